//! ring-async's waits for a number of items or free slots, `closed`, and
//! the blocking forms' timeouts: hand-polled with counting wakers where the
//! wake-ups matter, and across a thread where a deadline does.

#![cfg(not(loom))]

mod common;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};
use std::thread;
use std::time::{Duration, Instant};

use common::CountingWaker;
use ring_async::{Disconnected, PopError, PopTimeoutError, PushTimeoutError, channel};

#[test]
fn a_wait_for_items_resolves_only_once_enough_are_there() {
    let (mut producer, mut consumer) = channel(8);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let mut wait = pin!(consumer.wait_items(3));
    assert_eq!(wait.as_mut().poll(&mut cx), Poll::Pending);
    for (value, wakes) in [(1, 1), (2, 2)] {
        producer.try_push(value).unwrap();
        // Each push wakes the task, which looks again and waits on.
        assert_eq!(counter.wakes(), wakes);
        assert_eq!(wait.as_mut().poll(&mut cx), Poll::Pending);
    }
    producer.try_push(3).unwrap();
    assert_eq!(wait.as_mut().poll(&mut cx), Poll::Ready(Ok(3)));
}

#[test]
fn a_wait_for_free_slots_resolves_only_once_enough_are_free() {
    let (mut producer, mut consumer) = channel(4);
    assert_eq!(producer.push_slice(&[1, 2, 3, 4]), 4);
    let (_counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let mut wait = pin!(producer.wait_free_slots(2));
    assert_eq!(wait.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(consumer.try_pop(), Ok(1));
    assert_eq!(wait.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(consumer.try_pop(), Ok(2));
    assert_eq!(wait.as_mut().poll(&mut cx), Poll::Ready(Ok(2)));
}

#[test]
fn waits_for_counts_end_with_the_channel() {
    let (mut producer, mut consumer) = channel(4);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(producer.push_slice(&[1]), 1);
    {
        let mut wait = pin!(consumer.wait_items(2));
        assert_eq!(wait.as_mut().poll(&mut cx), Poll::Pending);
        producer.close_channel();
        assert_eq!(counter.wakes(), 1);
        assert_eq!(wait.as_mut().poll(&mut cx), Poll::Ready(Err(PopError)));
    }
    // What remains still satisfies a smaller wait.
    assert_eq!(futures::executor::block_on(consumer.wait_items(1)), Ok(1));
    assert_eq!(
        futures::executor::block_on(producer.wait_free_slots(1)),
        Err(Disconnected)
    );
    assert_eq!(
        futures::executor::block_on(producer.wait_free_slots(0)),
        Ok(3)
    );
}

#[test]
fn closed_resolves_when_the_consumer_goes_or_closes() {
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    let (mut producer, consumer) = channel::<u8>(2);
    {
        let mut closed = pin!(producer.closed());
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
        drop(consumer);
        assert_eq!(counter.wakes(), 1);
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Ready(()));
    }

    let (mut producer, mut consumer) = channel::<u8>(2);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    let mut closed = pin!(producer.closed());
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
    // A pop wakes the task, which finds the channel open and waits on.
    assert_eq!(consumer.try_pop(), Ok(1));
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
    consumer.close_channel();
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Ready(()));
    assert_eq!(consumer.try_pop(), Ok(2), "closing keeps the items");
}

#[test]
#[should_panic(expected = "wait_items(3) can never finish: the ring has 2 slots")]
fn a_wait_for_more_items_than_the_capacity_panics_when_made() {
    let (_producer, mut consumer) = channel::<u8>(2);
    let _never = consumer.wait_items(3);
}

#[test]
fn blocking_timeouts_elapse_and_hand_the_value_back() {
    let (mut producer, mut consumer) = channel(1);
    let timeout = Duration::from_millis(10);
    let started = Instant::now();
    assert_eq!(
        consumer.pop_blocking_timeout(timeout),
        Err(PopTimeoutError::Timeout)
    );
    assert!(started.elapsed() >= timeout);
    producer.push_blocking(1).unwrap();
    assert_eq!(
        producer.push_blocking_timeout(2, timeout),
        Err(PushTimeoutError::Timeout(2))
    );
    // The timed-out waits withdrew their registrations: nothing is woken
    // now, and the handles wait normally afterwards.
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(1)));
    assert_eq!(counter.wakes(), 0);
    let popper = thread::spawn(move || {
        let value = consumer.pop_blocking_timeout(Duration::from_secs(60));
        (value, consumer)
    });
    thread::sleep(Duration::from_millis(20));
    producer.push_blocking(3).unwrap();
    let (value, consumer) = popper.join().unwrap();
    assert_eq!(value, Ok(3));
    drop(consumer);
    assert_eq!(
        producer.push_blocking_timeout(4, Duration::from_secs(60)),
        Err(PushTimeoutError::Disconnected(4))
    );
}

#[test]
fn a_blocked_timed_pop_is_woken_by_the_producers_drop() {
    let (producer, mut consumer) = channel::<u8>(1);
    let popper = thread::spawn(move || consumer.pop_blocking_timeout(Duration::from_secs(60)));
    thread::sleep(Duration::from_millis(20));
    drop(producer);
    assert_eq!(popper.join().unwrap(), Err(PopTimeoutError::Disconnected));
}
