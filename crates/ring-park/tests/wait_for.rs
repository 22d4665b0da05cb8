//! ring-park's waits for a number of items or free slots across threads:
//! woken by the other side's publications only once enough are there,
//! ended by disconnection, bounded by their deadlines. Everything that
//! could hang runs under a watchdog.

use std::thread;
use std::time::{Duration, Instant};

use ring_park::{Disconnected, PopError, WaitTimeoutError, channel};
use test_support::with_watchdog;

/// A pause long enough for the other thread to be parked by then.
fn let_it_park() {
    thread::sleep(Duration::from_millis(if cfg!(miri) { 5 } else { 20 }));
}

#[test]
fn a_parked_wait_for_items_ends_once_enough_arrived_one_by_one() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(8);
        let pusher = thread::spawn(move || {
            for value in 0..6 {
                let_it_park();
                producer.push(value).unwrap();
            }
            producer
        });
        assert!(consumer.wait_items(6).unwrap() >= 6);
        let mut batch = Vec::new();
        assert_eq!(consumer.pop_into(&mut batch, 8), 6);
        assert_eq!(batch, [0, 1, 2, 3, 4, 5]);
        drop(pusher.join().unwrap());
    });
}

#[test]
fn a_parked_wait_for_free_slots_ends_once_enough_were_popped() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(4);
        assert_eq!(producer.push_slice(&[1, 2, 3, 4]), 4);
        let popper = thread::spawn(move || {
            for expected in 1..=3 {
                let_it_park();
                assert_eq!(consumer.pop(), Ok(expected));
            }
            consumer
        });
        assert!(producer.wait_free_slots(3).unwrap() >= 3);
        assert_eq!(producer.push_slice(&[5, 6, 7]), 3);
        let mut consumer = popper.join().unwrap();
        assert_eq!(consumer.try_iter().collect::<Vec<_>>(), [4, 5, 6, 7]);
    });
}

#[test]
fn disconnection_ends_parked_waits_for_counts() {
    with_watchdog(|| {
        // The producer's drop, with fewer items than waited for.
        let (mut producer, mut consumer) = channel(4);
        let waiter = thread::spawn(move || consumer.wait_items(3));
        assert_eq!(producer.push_slice(&[1, 2]), 2);
        let_it_park();
        drop(producer);
        assert_eq!(waiter.join().unwrap(), Err(PopError));

        // The consumer closing the channel while the producer waits.
        let (mut producer, mut consumer) = channel(2);
        assert_eq!(producer.push_slice(&[1, 2]), 2);
        let waiter = thread::spawn(move || producer.wait_free_slots(1));
        let_it_park();
        consumer.close_channel();
        assert_eq!(waiter.join().unwrap(), Err(Disconnected));
        // What was in the ring can still be popped.
        assert_eq!(consumer.pop(), Ok(1));
    });
}

#[test]
fn timed_waits_for_counts_elapse_end_early_or_see_disconnection() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel(4);
        assert_eq!(producer.push_slice(&[1]), 1);
        let timeout = Duration::from_millis(10);
        let started = Instant::now();
        assert_eq!(
            consumer.wait_items_timeout(2, timeout),
            Err(WaitTimeoutError::Timeout)
        );
        assert!(started.elapsed() >= timeout);
        assert_eq!(
            producer.wait_free_slots_timeout(4, timeout),
            Err(WaitTimeoutError::Timeout)
        );

        let pusher = thread::spawn(move || {
            let_it_park();
            assert_eq!(producer.push_slice(&[2, 3]), 2);
            producer
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        assert_eq!(consumer.wait_items_deadline(3, deadline), Ok(3));
        let mut producer = pusher.join().unwrap();
        assert_eq!(producer.wait_free_slots_timeout(1, timeout), Ok(1));

        drop(consumer);
        assert_eq!(
            producer.wait_free_slots_timeout(1, Duration::from_secs(60)),
            Err(WaitTimeoutError::Disconnected)
        );
    });
}

#[test]
fn waits_for_zero_return_the_count_at_once() {
    let (mut producer, mut consumer) = channel(3);
    assert_eq!(producer.push_slice(&[1]), 1);
    assert_eq!(consumer.wait_items(0), Ok(1));
    assert_eq!(producer.wait_free_slots(0), Ok(2));
    assert_eq!(consumer.wait_items_timeout(0, Duration::ZERO), Ok(1));
}

#[test]
#[should_panic(expected = "wait_free_slots(4) can never finish: the ring has 3 slots")]
fn waiting_for_more_free_slots_than_the_capacity_panics() {
    let (mut producer, _consumer) = channel::<u8>(3);
    let _ = producer.wait_free_slots(4);
}
