//! loom models of the parking handshake: every interleaving (up to loom's
//! preemption bound) of a waiting side and the side that wakes it. loom
//! models `thread::park` and `unpark`, so a lost wake-up shows as a
//! deadlock.
//!
//! Under loom the waits skip their spin phase and park at once, and both
//! halves of the asymmetric fence are read-modify-writes of one atomic
//! (ring-core's `fence_under_loom` says why). The models therefore check
//! the handshake's logic given a store-load barrier, not `membarrier`
//! itself, nor deadlines (loom has no clock) or handles moving between
//! threads; `park_state.rs` and ring-core's `fence.rs` write out those
//! arguments, and the thread tests exercise them.
//!
//! Run with `cargo xtask loom`.

#![cfg(loom)]

use loom::thread;
use ring_park::{PopError, PushError, channel};

#[test]
fn waiting_consumer_is_woken_by_a_push() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let popper = thread::spawn(move || consumer.pop());
        producer.push(1).unwrap();
        assert_eq!(popper.join().unwrap(), Ok(1));
    });
}

#[test]
fn waiting_producer_is_woken_by_a_pop() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        producer.push(1).unwrap();
        let pusher = thread::spawn(move || {
            producer.push(2).unwrap();
            producer
        });
        assert_eq!(consumer.pop(), Ok(1));
        let _producer = pusher.join().unwrap();
        assert_eq!(consumer.pop(), Ok(2));
    });
}

#[test]
fn producer_drop_wakes_a_waiting_consumer() {
    loom::model(|| {
        let (producer, mut consumer) = channel::<u8>(1);
        let popper = thread::spawn(move || consumer.pop());
        drop(producer);
        assert_eq!(popper.join().unwrap(), Err(PopError));
    });
}

#[test]
fn consumer_drop_wakes_a_waiting_producer() {
    loom::model(|| {
        let (mut producer, consumer) = channel(1);
        producer.push(1).unwrap();
        let pusher = thread::spawn(move || producer.push(2));
        drop(consumer);
        assert_eq!(pusher.join().unwrap(), Err(PushError(2)));
    });
}

#[test]
fn capacity_one_stream_with_both_sides_waiting() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let pusher = thread::spawn(move || {
            for value in 0..3 {
                producer.push(value).unwrap();
            }
        });
        for expected in 0..3 {
            assert_eq!(consumer.pop(), Ok(expected));
        }
        pusher.join().unwrap();
        assert_eq!(consumer.pop(), Err(PopError));
    });
}

fn ping_pong(round_trips: u32) {
    loom::model(move || {
        let (mut ping_producer, mut ping_consumer) = channel(1);
        let (mut pong_producer, mut pong_consumer) = channel(1);
        let echo = thread::spawn(move || {
            for _ in 0..round_trips {
                let value = ping_consumer.pop().unwrap();
                pong_producer.push(value).unwrap();
            }
        });
        for value in 0..round_trips {
            ping_producer.push(value).unwrap();
            assert_eq!(pong_consumer.pop(), Ok(value));
        }
        echo.join().unwrap();
    });
}

#[test]
fn capacity_one_ping_pong_one_round_trip() {
    ping_pong(1);
}

#[test]
fn capacity_one_ping_pong_two_round_trips() {
    ping_pong(2);
}

/// A wait for two items, fed one push at a time: the first push wakes the
/// waiter, which finds too few and parks again; the second must wake it
/// once more.
#[test]
fn a_wait_for_two_items_is_woken_by_the_push_that_completes_them() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(2);
        let waiter = thread::spawn(move || consumer.wait_items(2));
        producer.push(1).unwrap();
        producer.push(2).unwrap();
        assert_eq!(waiter.join().unwrap(), Ok(2));
    });
}

/// A wait for free slots ended by the consumer closing the channel, which
/// must wake it as the consumer's drop does.
#[test]
fn a_wait_for_free_slots_is_woken_by_the_consumers_close() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        producer.push(1).unwrap();
        let waiter = thread::spawn(move || producer.wait_free_slots(1));
        consumer.close_channel();
        assert_eq!(waiter.join().unwrap(), Err(ring_park::Disconnected));
        assert_eq!(consumer.pop(), Ok(1));
    });
}
