//! loom models of the wake-up protocol: every interleaving (up to loom's
//! preemption bound) of a pending task and the side that wakes it. Tasks
//! run under `loom::future::block_on`, whose waker blocks the loom thread
//! until woken, so a lost wake-up shows as a deadlock.
//!
//! Under loom a poll registers at once (no spin), the blocking forms park
//! at once, both halves of the asymmetric fence are read-modify-writes of
//! one atomic (ring-core's `fence_under_loom` says why), and the atomic
//! waker is loom's model of one. The models therefore check the protocol's
//! logic given a store-load barrier; `task_slot.rs` and ring-core's
//! `fence.rs` write out the rest of the argument.
//!
//! Run with `cargo xtask loom`.

#![cfg(loom)]

use std::future::Future;

use loom::future::block_on;
use loom::thread;
use ring_async::{PopError, PushError, channel};

#[test]
fn pending_pop_is_woken_by_a_push() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let popper = thread::spawn(move || block_on(consumer.pop()));
        block_on(producer.push(1)).unwrap();
        assert_eq!(popper.join().unwrap(), Ok(1));
    });
}

#[test]
fn pending_push_is_woken_by_a_pop() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        producer.try_push(1).unwrap();
        let pusher = thread::spawn(move || {
            block_on(producer.push(2)).unwrap();
            producer
        });
        assert_eq!(block_on(consumer.pop()), Ok(1));
        let _producer = pusher.join().unwrap();
        assert_eq!(consumer.try_pop(), Ok(2));
    });
}

#[test]
fn producer_drop_wakes_a_pending_pop() {
    loom::model(|| {
        let (producer, mut consumer) = channel::<u8>(1);
        let popper = thread::spawn(move || block_on(consumer.pop()));
        drop(producer);
        assert_eq!(popper.join().unwrap(), Err(PopError));
    });
}

#[test]
fn consumer_drop_wakes_a_pending_push_with_its_value() {
    loom::model(|| {
        let (mut producer, consumer) = channel(1);
        producer.try_push(1).unwrap();
        let pusher = thread::spawn(move || block_on(producer.push(2)));
        drop(consumer);
        assert_eq!(pusher.join().unwrap(), Err(PushError(2)));
    });
}

#[test]
fn capacity_one_ping_pong() {
    loom::model(|| {
        let (mut ping_producer, mut ping_consumer) = channel(1);
        let (mut pong_producer, mut pong_consumer) = channel(1);
        let echo = thread::spawn(move || {
            block_on(async {
                while let Ok(value) = ping_consumer.pop().await {
                    pong_producer.push(value).await.unwrap();
                }
            });
        });
        block_on(async {
            for value in 0..2 {
                ping_producer.push(value).await.unwrap();
                assert_eq!(pong_consumer.pop().await, Ok(value));
            }
        });
        drop(ping_producer);
        echo.join().unwrap();
    });
}

#[test]
fn a_blocking_thread_is_woken_by_a_task_and_wakes_it() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let thread_side = thread::spawn(move || {
            assert_eq!(consumer.pop_blocking(), Ok(1));
            assert_eq!(consumer.pop_blocking(), Ok(2));
        });
        block_on(async {
            producer.push(1).await.unwrap();
            producer.push(2).await.unwrap();
        });
        thread_side.join().unwrap();
    });
}

/// A pop first polled with one waker and then, still pending, with
/// another, while the producer pushes: whichever waker the push finds, the
/// task polled last is woken (or sees the item when it polls).
#[test]
fn a_pop_polled_again_with_another_waker_is_woken_through_the_latest() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let popper = thread::spawn(move || {
            let mut pop = Box::pin(consumer.pop());
            // A first poll with a waker that wakes nobody ...
            let noop = std::task::Waker::noop();
            let first = pop.as_mut().poll(&mut std::task::Context::from_waker(noop));
            // ... then the task that really waits polls it with its own.
            match first {
                std::task::Poll::Ready(result) => result,
                std::task::Poll::Pending => block_on(pop),
            }
        });
        block_on(producer.push(1)).unwrap();
        assert_eq!(popper.join().unwrap(), Ok(1));
    });
}

#[test]
fn waits_for_room_and_for_items_see_the_other_side_leave() {
    loom::model(|| {
        let (mut producer, consumer) = channel::<u8>(1);
        producer.try_push(1).unwrap();
        let waiter = thread::spawn(move || block_on(producer.wait_free_slots(1)));
        drop(consumer);
        assert_eq!(waiter.join().unwrap(), Err(ring_async::Disconnected));
    });
    loom::model(|| {
        let (producer, mut consumer) = channel::<u8>(1);
        let waiter = thread::spawn(move || block_on(consumer.wait_items(1)));
        drop(producer);
        assert_eq!(waiter.join().unwrap(), Err(PopError));
    });
}

/// A task waiting for two items, fed one push at a time: the first push
/// wakes it, it finds too few and registers again; the second must wake it
/// once more.
#[test]
fn a_wait_for_two_items_is_woken_by_the_push_that_completes_them() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(2);
        let waiter = thread::spawn(move || block_on(consumer.wait_items(2)));
        producer.try_push(1).unwrap();
        producer.try_push(2).unwrap();
        assert_eq!(waiter.join().unwrap(), Ok(2));
    });
}

/// `closed` ended by the consumer closing the channel, which must wake it
/// as the consumer's drop does.
#[test]
fn closed_is_woken_by_the_consumers_close() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel::<u8>(1);
        let waiter = thread::spawn(move || {
            block_on(producer.closed());
            producer.is_disconnected()
        });
        consumer.close_channel();
        assert!(waiter.join().unwrap());
    });
}

#[test]
fn a_blocking_push_gets_its_value_back_when_the_consumer_leaves() {
    loom::model(|| {
        let (mut producer, consumer) = channel(1);
        producer.try_push(1).unwrap();
        let pusher = thread::spawn(move || producer.push_blocking(2));
        drop(consumer);
        assert_eq!(pusher.join().unwrap(), Err(PushError(2)));
    });
}

#[test]
fn close_wakes_the_pending_side() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel::<u8>(1);
        let popper = thread::spawn(move || block_on(consumer.pop()));
        producer.close_channel();
        assert_eq!(popper.join().unwrap(), Err(PopError));
    });
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        producer.try_push(1).unwrap();
        let pusher = thread::spawn(move || block_on(producer.push(2)));
        consumer.close_channel();
        assert_eq!(pusher.join().unwrap(), Err(PushError(2)));
        assert_eq!(consumer.try_pop(), Ok(1));
    });
}

/// A pop polled again at once with the same waker (a spurious poll, which
/// relies on the announcement of the poll before) while the push races
/// with both polls.
#[test]
fn a_spurious_poll_keeps_the_announcement_that_wakes_it() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let popper = thread::spawn(move || {
            block_on(async move {
                let mut pop = std::pin::pin!(consumer.pop());
                std::future::poll_fn(|cx| match pop.as_mut().poll(cx) {
                    std::task::Poll::Pending => pop.as_mut().poll(cx),
                    ready => ready,
                })
                .await
            })
        });
        producer.try_push(1).unwrap();
        assert_eq!(popper.join().unwrap(), Ok(1));
    });
}

/// A pop cancelled while pending withdraws its announcement; the next pop
/// announces itself anew and is woken by a push that races with both.
#[test]
fn a_pop_after_a_cancelled_one_is_woken() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let popper = thread::spawn(move || {
            let waker = futures::task::noop_waker();
            let mut cx = std::task::Context::from_waker(&waker);
            let first = std::pin::pin!(consumer.pop()).poll(&mut cx);
            match first {
                std::task::Poll::Ready(item) => item,
                std::task::Poll::Pending => block_on(consumer.pop()),
            }
        });
        producer.try_push(1).unwrap();
        assert_eq!(popper.join().unwrap(), Ok(1));
    });
}
