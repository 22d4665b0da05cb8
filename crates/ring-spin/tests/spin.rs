//! The busy-waiting operations of ring-spin across threads. Everything that
//! could hang runs under a watchdog, so a lost disconnection fails the test
//! instead of stalling CI.
//!
//! ring-spin never yields, so it assumes a core per thread. The test
//! harness runs tests in parallel, and several spinning streams on a 2-core
//! machine take turns only at the scheduler's time slice: a capacity-1
//! stream under a sanitizer then took minutes (one CI run hit the watchdog).
//! The tests that spin across threads therefore take turns, through
//! [`one_spinning_test_at_a_time`], before their watchdog starts.

use std::rc::Rc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

use ring_spin::{PopError, PushError, channel};
use test_support::{
    DropCounter, assert_not_send, assert_send, drop_in_order, scaled, with_watchdog,
};

/// Holds the turn of one spinning test; a test that failed while holding
/// it passes the turn on all the same.
fn one_spinning_test_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(PoisonError::into_inner)
}

#[test]
fn stream_arrives_complete_and_in_order() {
    let _turn = one_spinning_test_at_a_time();
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
fn push_waits_for_space() {
    let _turn = one_spinning_test_at_a_time();
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(1);
        producer.push(1).unwrap();
        let popper = thread::spawn(move || {
            let values = [consumer.pop(), consumer.pop()];
            (values, consumer)
        });
        producer.push(2).unwrap(); // Waits until the first pop.
        let (values, _consumer) = popper.join().unwrap();
        assert_eq!(values, [Ok(1), Ok(2)]);
    });
}

#[test]
fn pop_waits_for_an_item() {
    let _turn = one_spinning_test_at_a_time();
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(4);
        let popper = thread::spawn(move || consumer.pop());
        thread::sleep(Duration::from_millis(if cfg!(miri) { 1 } else { 20 }));
        producer.push("late").unwrap();
        assert_eq!(popper.join().unwrap(), Ok("late"));
    });
}

#[test]
fn consumer_drop_releases_a_waiting_push_with_its_value() {
    let _turn = one_spinning_test_at_a_time();
    with_watchdog(|| {
        let (mut producer, consumer) = channel(1);
        producer.push(String::from("fills the ring")).unwrap();
        let pusher = thread::spawn(move || producer.push(String::from("waits")));
        thread::sleep(Duration::from_millis(if cfg!(miri) { 1 } else { 20 }));
        drop(consumer);
        assert_eq!(
            pusher.join().unwrap(),
            Err(PushError(String::from("waits")))
        );
    });
}

#[test]
fn producer_drop_releases_a_waiting_pop_after_the_last_item() {
    let _turn = one_spinning_test_at_a_time();
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(2);
        let popper = thread::spawn(move || [consumer.pop(), consumer.pop(), consumer.pop()]);
        producer.push(1).unwrap();
        producer.push(2).unwrap();
        drop(producer);
        assert_eq!(popper.join().unwrap(), [Ok(1), Ok(2), Err(PopError)]);
    });
}

#[test]
fn handles_move_between_threads_mid_stream() {
    let _turn = one_spinning_test_at_a_time();
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
fn zero_sized_items_stream() {
    let _turn = one_spinning_test_at_a_time();
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
fn items_left_behind_across_threads_are_dropped_once() {
    let _turn = one_spinning_test_at_a_time();
    with_watchdog(|| {
        for producer_first in [true, false] {
            let drops = DropCounter::default();
            let (mut producer, mut consumer) = channel(16);
            let counter = drops.clone();
            let sender = thread::spawn(move || {
                for _ in 0..10 {
                    producer.push(counter.item()).unwrap();
                }
                producer
            });
            let receiver = thread::spawn(move || {
                for _ in 0..4 {
                    drop(consumer.pop().unwrap());
                }
                consumer
            });
            let producer = sender.join().unwrap();
            let consumer = receiver.join().unwrap();
            assert_eq!(drops.drops(), 4);
            if producer_first {
                drop_in_order(producer, consumer);
            } else {
                drop_in_order(consumer, producer);
            }
            assert_eq!(drops.drops(), 10);
        }
    });
}

#[test]
fn errors_are_ring_cores() {
    let core_error: ring_core::PushError<u8> = ring_spin::PushError(1);
    assert_eq!(core_error.into_inner(), 1);
    let _: ring_core::TryPopError = ring_spin::TryPopError::Empty;
}

#[test]
fn handles_are_send_exactly_when_items_are() {
    assert_send::<ring_spin::Producer<String>>();
    assert_send::<ring_spin::Consumer<String>>();
    assert_send::<ring_spin::Producer<std::cell::Cell<u8>>>();
    assert_not_send!(ring_spin::Producer<Rc<u8>>);
    assert_not_send!(ring_spin::Consumer<Rc<u8>>);
}

#[test]
fn debug_output_names_the_handle() {
    let (producer, consumer) = channel::<u8>(3);
    assert!(format!("{producer:?}").starts_with("Producer { capacity: 3"));
    assert!(format!("{consumer:?}").starts_with("Consumer { capacity: 3"));
}

#[test]
fn waits_for_n_items_and_n_free_slots_end_when_reached_or_disconnected() {
    let _turn = one_spinning_test_at_a_time();
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(8);
        let pusher = thread::spawn(move || {
            for value in 0..8 {
                producer.push(value).unwrap();
            }
            // Waits until the consumer has made room for 6 at once.
            assert!(producer.wait_free_slots(6).unwrap() >= 6);
            producer.push_slice(&[8, 9])
        });
        // The items arrive one at a time; the wait ends only at 5.
        assert!(consumer.wait_items(5).unwrap() >= 5);
        let mut period = [0; 6];
        assert_eq!(consumer.wait_items(6).map(|n| n >= 6), Ok(true));
        assert_eq!(consumer.pop_slice(&mut period), 6);
        assert_eq!(period, [0, 1, 2, 3, 4, 5]);
        assert_eq!(pusher.join().unwrap(), 2);
        // The producer is gone: a wait for more than remain fails, one for
        // what remains succeeds.
        assert_eq!(consumer.wait_items(5), Err(PopError));
        assert_eq!(consumer.wait_items(4), Ok(4));
        assert_eq!(consumer.wait_items(0), Ok(4));
    });
}

#[test]
#[should_panic(expected = "wait_items(3) can never finish: the ring has 2 slots")]
fn waiting_for_more_items_than_the_capacity_panics() {
    let (_producer, mut consumer) = channel::<u8>(2);
    let _ = consumer.wait_items(3);
}

#[test]
fn a_byte_stream_arrives_whole_and_ends_when_the_writer_closes() {
    use std::io::{ErrorKind, Read, Write};

    let _turn = one_spinning_test_at_a_time();
    with_watchdog(|| {
        let length = scaled(1 << 18);
        let bytes: Vec<u8> = (0..length).map(|index| (index % 251) as u8).collect();
        let expected = bytes.clone();
        let (mut producer, mut consumer) = channel::<u8>(61);
        let writer = thread::spawn(move || {
            std::io::copy(&mut &bytes[..], &mut producer).unwrap();
            producer.close_channel();
            producer
        });
        let mut received = Vec::new();
        assert_eq!(consumer.read_to_end(&mut received).unwrap(), length);
        assert!(received == expected, "the bytes arrived changed");
        let mut producer = writer.join().unwrap();
        let error = producer.write(b"late").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
    });
}
