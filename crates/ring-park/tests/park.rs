//! The parking operations of ring-park across threads. Everything that
//! could hang runs under a watchdog, so a lost wake-up fails the test
//! instead of stalling CI.

mod ping_pong;

use std::rc::Rc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ring_park::{
    PopError, PopTimeoutError, PushError, PushTimeoutError, SpinPolicy, channel, channel_with,
};
use test_support::{
    DropCounter, assert_not_send, assert_send, assert_send_sync, drop_in_order, scaled,
    with_watchdog,
};

/// A pause long enough for the other thread to be parked by then.
fn let_it_park() {
    thread::sleep(Duration::from_millis(if cfg!(miri) { 5 } else { 50 }));
}

#[test]
fn stream_arrives_complete_and_in_order() {
    with_watchdog(|| {
        for capacity in [1, 2, 3, 1024] {
            let count = scaled(200_000) as u64;
            let (mut producer, mut consumer) = channel(capacity);
            let sender = thread::spawn(move || {
                for value in 0..count {
                    producer.push(value).unwrap();
                }
            });
            let mut expected = 0;
            for value in consumer.iter() {
                assert_eq!(value, expected);
                expected += 1;
            }
            assert_eq!(expected, count);
            sender.join().unwrap();
        }
    });
}

#[test]
fn batches_through_small_rings_arrive_complete_with_every_spin_policy() {
    // Slices that fill or empty the ring at once make each side wait right
    // after it woke the other one: the spin while the other side wakes up
    // (or, with the policies that turn it off, the park) must neither lose
    // nor reorder an item.
    let policies = [
        SpinPolicy::FRUGAL,
        SpinPolicy::NEVER,
        SpinPolicy::LOW_LATENCY,
        SpinPolicy::FRUGAL.with_peer_wake_up_spin(Duration::ZERO),
        SpinPolicy::NEVER.with_peer_wake_up_spin(Duration::from_millis(1)),
    ];
    with_watchdog(move || {
        for policy in policies {
            for capacity in [1, 4, 64] {
                let count = scaled(50_000) as u64;
                let (mut producer, mut consumer) = channel_with(capacity, policy);
                let sender = thread::spawn(move || {
                    let items: Vec<u64> = (0..count).collect();
                    let mut sent = 0;
                    while sent < items.len() {
                        let batch = &items[sent..items.len().min(sent + 16)];
                        match producer.push_slice(batch) {
                            0 => producer.push(batch[0]).unwrap(),
                            pushed => sent += pushed - 1,
                        }
                        sent += 1;
                    }
                });
                let mut expected = 0;
                let mut batch = [0; 16];
                loop {
                    let popped = match consumer.pop_slice(&mut batch) {
                        0 => match consumer.pop() {
                            Ok(value) => {
                                batch[0] = value;
                                1
                            }
                            Err(PopError) => break,
                        },
                        popped => popped,
                    };
                    for &value in &batch[..popped] {
                        assert_eq!(value, expected, "{policy:?}, capacity {capacity}");
                        expected += 1;
                    }
                }
                assert_eq!(expected, count, "{policy:?}, capacity {capacity}");
                sender.join().unwrap();
            }
        }
    });
}

#[test]
fn capacity_one_ping_pong_never_hangs() {
    ping_pong::capacity_one_ping_pong();
}

#[test]
fn parked_push_is_woken_by_a_pop() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(1);
        producer.push(1).unwrap();
        let pusher = thread::spawn(move || {
            producer.push(2).unwrap();
            producer
        });
        let_it_park();
        assert_eq!(consumer.pop(), Ok(1));
        let _producer = pusher.join().unwrap();
        assert_eq!(consumer.pop(), Ok(2));
    });
}

#[test]
fn parked_pop_is_woken_by_a_push() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(4);
        let popper = thread::spawn(move || consumer.pop());
        let_it_park();
        producer.push("late").unwrap();
        assert_eq!(popper.join().unwrap(), Ok("late"));
    });
}

#[test]
fn parked_pop_is_woken_by_a_slice_and_a_chunk() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(4);
        let popper = thread::spawn(move || {
            let first = consumer.pop();
            let second = consumer.pop();
            (first, second)
        });
        let_it_park();
        assert_eq!(producer.push_slice(&[1]), 1);
        let_it_park();
        assert_eq!(producer.write_chunk_uninit(1).fill_from_iter([2]), 1);
        assert_eq!(popper.join().unwrap(), (Ok(1), Ok(2)));
    });
}

#[test]
fn consumer_drop_wakes_a_parked_push_with_its_value() {
    with_watchdog(|| {
        let (mut producer, consumer) = channel(1);
        producer.push(String::from("fills the ring")).unwrap();
        let pusher = thread::spawn(move || producer.push(String::from("waits")));
        let_it_park();
        drop(consumer);
        assert_eq!(
            pusher.join().unwrap(),
            Err(PushError(String::from("waits")))
        );
    });
}

#[test]
fn producer_drop_wakes_a_parked_pop_after_the_last_item() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(2);
        let popper = thread::spawn(move || [consumer.pop(), consumer.pop(), consumer.pop()]);
        producer.push(1).unwrap();
        producer.push(2).unwrap();
        let_it_park();
        drop(producer);
        assert_eq!(popper.join().unwrap(), [Ok(1), Ok(2), Err(PopError)]);
    });
}

#[test]
fn consumer_close_wakes_a_parked_push_with_its_value() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(1);
        producer.push(String::from("fills the ring")).unwrap();
        let pusher = thread::spawn(move || producer.push(String::from("waits")));
        let_it_park();
        consumer.close_channel();
        assert_eq!(
            pusher.join().unwrap(),
            Err(PushError(String::from("waits")))
        );
        assert_eq!(consumer.pop(), Ok(String::from("fills the ring")));
        assert_eq!(consumer.pop(), Err(PopError));
    });
}

#[test]
fn producer_close_wakes_a_parked_pop_after_the_last_item() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(2);
        let popper = thread::spawn(move || [consumer.pop(), consumer.pop(), consumer.pop()]);
        producer.push(1).unwrap();
        producer.push(2).unwrap();
        let_it_park();
        producer.close_channel();
        assert_eq!(popper.join().unwrap(), [Ok(1), Ok(2), Err(PopError)]);
        assert_eq!(producer.push(3), Err(PushError(3)));
    });
}

#[test]
fn pop_timeout_elapses_on_an_empty_ring() {
    let (_producer, mut consumer) = channel::<u8>(1);
    let timeout = Duration::from_millis(if cfg!(miri) { 2 } else { 30 });
    let started = Instant::now();
    assert_eq!(consumer.pop_timeout(timeout), Err(PopTimeoutError::Timeout));
    assert!(started.elapsed() >= timeout, "returned before the timeout");
}

#[test]
fn push_timeout_elapses_on_a_full_ring_and_hands_the_value_back() {
    let (mut producer, _consumer) = channel(1);
    producer.push(vec![1]).unwrap();
    let timeout = Duration::from_millis(if cfg!(miri) { 2 } else { 30 });
    let started = Instant::now();
    assert_eq!(
        producer.push_timeout(vec![2], timeout),
        Err(PushTimeoutError::Timeout(vec![2]))
    );
    assert!(started.elapsed() >= timeout, "returned before the timeout");
}

#[test]
fn zero_timeouts_try_once() {
    let (mut producer, mut consumer) = channel(1);
    assert_eq!(producer.push_timeout(1, Duration::ZERO), Ok(()));
    assert_eq!(
        producer.push_timeout(2, Duration::ZERO),
        Err(PushTimeoutError::Timeout(2))
    );
    assert_eq!(consumer.pop_timeout(Duration::ZERO), Ok(1));
    assert_eq!(
        consumer.pop_timeout(Duration::ZERO),
        Err(PopTimeoutError::Timeout)
    );
    let past = Instant::now();
    assert_eq!(consumer.pop_deadline(past), Err(PopTimeoutError::Timeout));
}

#[test]
fn timeouts_report_disconnection() {
    with_watchdog(|| {
        let (mut producer, consumer) = channel(1);
        producer.push(1).unwrap();
        let pusher = thread::spawn(move || producer.push_timeout(2, Duration::from_secs(60)));
        let_it_park();
        drop(consumer);
        assert_eq!(
            pusher.join().unwrap(),
            Err(PushTimeoutError::Disconnected(2))
        );

        let (producer, mut consumer) = channel::<u8>(1);
        let popper = thread::spawn(move || consumer.pop_timeout(Duration::from_secs(60)));
        let_it_park();
        drop(producer);
        assert_eq!(popper.join().unwrap(), Err(PopTimeoutError::Disconnected));
    });
}

#[test]
fn items_arriving_in_time_end_a_timed_wait() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(1);
        let popper = thread::spawn(move || consumer.pop_timeout(Duration::from_secs(60)));
        let_it_park();
        producer.push(9).unwrap();
        assert_eq!(popper.join().unwrap(), Ok(9));

        let (mut producer, mut consumer) = channel(1);
        producer.push(1).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let pusher = thread::spawn(move || (producer.push_deadline(2, deadline), producer));
        let_it_park();
        assert_eq!(consumer.pop(), Ok(1));
        let (pushed, _producer) = pusher.join().unwrap();
        assert_eq!(pushed, Ok(()));
        assert_eq!(consumer.pop(), Ok(2));
    });
}

/// The `/proc` path of the calling thread's statistics.
#[cfg(all(target_os = "linux", not(miri)))]
fn current_thread_stat_path() -> std::path::PathBuf {
    let link = std::fs::read_link("/proc/thread-self").expect("/proc/thread-self exists");
    std::path::Path::new("/proc").join(link).join("stat")
}

/// A thread's CPU time (user plus system) from its `/proc` stat file, in
/// clock ticks.
#[cfg(all(target_os = "linux", not(miri)))]
fn thread_cpu_ticks(stat_path: &std::path::Path) -> u64 {
    let stat = std::fs::read_to_string(stat_path).expect("the thread's stat is readable");
    // The command name may hold spaces; the fields after it are plain.
    let after_name = &stat[stat.rfind(')').expect("stat has a command name") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
#[cfg(all(target_os = "linux", not(miri)))]
fn a_parked_thread_uses_next_to_no_cpu() {
    with_watchdog(|| {
        let (producer, mut consumer) = channel::<u8>(1);
        let (stat_path_sender, stat_path) = mpsc::channel();
        let popper = thread::spawn(move || {
            stat_path_sender.send(current_thread_stat_path()).unwrap();
            consumer.pop()
        });
        let stat_path = stat_path.recv().unwrap();
        let_it_park();
        let before = thread_cpu_ticks(&stat_path);
        thread::sleep(Duration::from_secs(1));
        let used = thread_cpu_ticks(&stat_path) - before;
        drop(producer);
        assert_eq!(popper.join().unwrap(), Err(PopError));
        // Clock ticks are usually 10 ms: a spinning thread would use about
        // 100 of them in this second, a parked one none.
        assert!(
            used <= 2,
            "a parked consumer used {used} ticks of CPU in one second"
        );
    });
}

#[test]
fn handles_move_between_threads_mid_stream() {
    with_watchdog(|| {
        let batch = scaled(20_000);
        let (mut producer, mut consumer) = channel(8);
        for round in 0..4 {
            let sender = thread::spawn(move || {
                for value in round * batch..(round + 1) * batch {
                    producer.push(value).unwrap();
                }
                producer
            });
            let receiver = thread::spawn(move || {
                for expected in round * batch..(round + 1) * batch {
                    assert_eq!(consumer.pop(), Ok(expected));
                }
                consumer
            });
            producer = sender.join().unwrap();
            consumer = receiver.join().unwrap();
        }
        drop(producer);
        assert_eq!(consumer.pop(), Err(PopError));
    });
}

#[test]
fn the_thread_woken_is_the_one_waiting_now() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel::<u32>(1);
        // The consumer parks on one thread, is woken, then moves to another
        // thread and parks there: the second wake-up must reach the second.
        let first = thread::spawn(move || {
            assert_eq!(consumer.pop(), Ok(1));
            consumer
        });
        let_it_park();
        producer.push(1).unwrap();
        let mut consumer = first.join().unwrap();
        let second = thread::spawn(move || consumer.pop());
        let_it_park();
        producer.push(2).unwrap();
        assert_eq!(second.join().unwrap(), Ok(2));
    });
}

#[test]
fn items_left_behind_are_dropped_once() {
    for producer_first in [true, false] {
        let drops = DropCounter::default();
        let (mut producer, mut consumer) = channel(16);
        for _ in 0..10 {
            producer.push(drops.item()).unwrap();
        }
        for _ in 0..4 {
            drop(consumer.pop().unwrap());
        }
        if producer_first {
            drop_in_order(producer, consumer);
        } else {
            drop_in_order(consumer, producer);
        }
        assert_eq!(drops.drops(), 10);
    }
}

#[test]
fn zero_sized_items_stream() {
    with_watchdog(|| {
        let count = scaled(100_000);
        let (mut producer, mut consumer) = channel(3);
        let sender = thread::spawn(move || {
            for _ in 0..count {
                producer.push(()).unwrap();
            }
        });
        assert_eq!(consumer.iter().count(), count);
        sender.join().unwrap();
    });
}

#[test]
fn handles_and_errors_have_the_right_auto_traits() {
    assert_send::<ring_park::Producer<String>>();
    assert_send::<ring_park::Consumer<String>>();
    assert_not_send!(ring_park::Producer<Rc<u8>>);
    assert_not_send!(ring_park::Consumer<Rc<u8>>);
    assert_send_sync::<PushTimeoutError<String>>();
    assert_send_sync::<PopTimeoutError>();
    let error: Box<dyn std::error::Error + Send + Sync> = Box::new(PushTimeoutError::Timeout(()));
    assert_eq!(
        error.to_string(),
        "timed out waiting for space in a full ring"
    );
}
