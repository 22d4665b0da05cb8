//! The wake-up protocol, polled by hand with counting wakers: who is woken,
//! by what, how often, and that nobody is woken when nobody waits.

#![cfg(not(loom))]

mod common;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use common::{CountingWaker, poll_registered};
use ring_async::{Disconnected, PopError, PushError, channel};

#[test]
fn pending_pop_is_woken_once_by_a_push() {
    let (mut producer, mut consumer) = channel(4);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(
        poll_registered(&counter, || consumer.poll_pop(&mut cx)),
        Poll::Pending
    );
    producer.try_push(1).unwrap();
    assert_eq!(counter.wakes(), 1);
    // The announcement was taken: more pushes do not wake again.
    producer.try_push(2).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(1)));
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(2)));
    assert_eq!(counter.wakes(), 1);
}

#[test]
fn nobody_is_woken_while_nobody_waits() {
    let (mut producer, mut consumer) = channel(2);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    producer.try_push(1).unwrap();
    // Ready at once: the waker is not registered.
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(1)));
    producer.try_push(2).unwrap();
    assert_eq!(producer.poll_free_slots(&mut cx), Poll::Ready(Ok(1)));
    assert_eq!(consumer.try_pop(), Ok(2));
    assert_eq!(counter.wakes(), 0);
}

#[test]
fn pending_pop_is_woken_by_a_slice_and_by_a_chunk() {
    let (mut producer, mut consumer) = channel(4);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    assert_eq!(
        poll_registered(&counter, || consumer.poll_pop(&mut cx)),
        Poll::Pending
    );
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    assert_eq!(counter.wakes(), 1);
    assert_eq!(consumer.pop_slice(&mut [0; 2]), 2);

    assert_eq!(
        poll_registered(&counter, || consumer.poll_items(&mut cx)),
        Poll::Pending
    );
    let chunk = producer.write_chunk_uninit(3);
    assert_eq!(counter.wakes(), 1, "nothing is published before the commit");
    assert_eq!(chunk.fill_from_iter(10..13), 3);
    assert_eq!(counter.wakes(), 2);
    assert_eq!(consumer.poll_items(&mut cx), Poll::Ready(Ok(3)));
}

#[test]
fn pending_push_is_woken_by_a_pop_a_slice_and_a_chunk() {
    let (mut producer, mut consumer) = channel(2);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(producer.push_slice(&[1, 2]), 2);

    {
        let mut push = pin!(producer.push(3));
        assert_eq!(
            poll_registered(&counter, || push.as_mut().poll(&mut cx)),
            Poll::Pending
        );
        assert_eq!(consumer.try_pop(), Ok(1));
        assert_eq!(counter.wakes(), 1);
        assert_eq!(push.poll(&mut cx), Poll::Ready(Ok(())));
    }

    assert_eq!(
        poll_registered(&counter, || producer.poll_free_slots(&mut cx)),
        Poll::Pending
    );
    assert_eq!(consumer.pop_slice(&mut [0; 1]), 1);
    assert_eq!(counter.wakes(), 2);
    assert_eq!(producer.poll_free_slots(&mut cx), Poll::Ready(Ok(1)));

    producer.try_push(4).unwrap();
    assert_eq!(
        poll_registered(&counter, || producer.poll_free_slots(&mut cx)),
        Poll::Pending
    );
    let chunk = consumer.read_chunk(2);
    assert_eq!(counter.wakes(), 2, "nothing is freed before the commit");
    chunk.commit(1);
    assert_eq!(counter.wakes(), 3);
}

#[test]
fn a_future_polled_again_with_another_waker_wakes_the_latest() {
    let (mut producer, mut consumer) = channel(1);
    let (first, first_waker) = CountingWaker::new();
    let (second, second_waker) = CountingWaker::new();

    {
        let mut pop = pin!(consumer.pop());
        assert_eq!(
            pop.as_mut().poll(&mut Context::from_waker(&first_waker)),
            Poll::Pending
        );
        assert_eq!(
            pop.as_mut().poll(&mut Context::from_waker(&second_waker)),
            Poll::Pending
        );
        producer.try_push(1).unwrap();
        assert_eq!((first.wakes(), second.wakes()), (0, 1));
        assert_eq!(
            pop.poll(&mut Context::from_waker(&second_waker)),
            Poll::Ready(Ok(1))
        );
    }

    // The same for a push.
    assert_eq!(
        pin!(producer.push(2)).poll(&mut Context::from_waker(&first_waker)),
        Poll::Ready(Ok(()))
    );
    let mut push = pin!(producer.push(3));
    assert_eq!(
        poll_registered(&first, || push
            .as_mut()
            .poll(&mut Context::from_waker(&first_waker))),
        Poll::Pending
    );
    assert_eq!(
        push.as_mut().poll(&mut Context::from_waker(&second_waker)),
        Poll::Pending
    );
    assert_eq!(consumer.try_pop(), Ok(2));
    assert_eq!((first.wakes(), second.wakes()), (0, 2));
    assert_eq!(
        push.poll(&mut Context::from_waker(&second_waker)),
        Poll::Ready(Ok(()))
    );
}

#[test]
fn producer_drop_wakes_a_pending_pop_which_drains_first() {
    let (mut producer, mut consumer) = channel(2);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(
        poll_registered(&counter, || consumer.poll_items(&mut cx)),
        Poll::Pending
    );
    producer.try_push(1).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(1)));
    assert_eq!(
        poll_registered(&counter, || consumer.poll_pop(&mut cx)),
        Poll::Pending
    );
    drop(producer);
    assert_eq!(counter.wakes(), 2);
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Err(PopError)));
    assert_eq!(consumer.poll_items(&mut cx), Poll::Ready(Err(PopError)));
}

#[test]
fn consumer_drop_wakes_a_pending_push_which_gets_its_value_back() {
    let (mut producer, consumer) = channel(1);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    producer.try_push(String::from("first")).unwrap();
    {
        let mut push = pin!(producer.push(String::from("second")));
        assert_eq!(
            poll_registered(&counter, || push.as_mut().poll(&mut cx)),
            Poll::Pending
        );
        drop(consumer);
        assert_eq!(counter.wakes(), 1);
        assert_eq!(
            push.poll(&mut cx),
            Poll::Ready(Err(PushError(String::from("second"))))
        );
    }
    assert_eq!(
        producer.poll_free_slots(&mut cx),
        Poll::Ready(Err(Disconnected))
    );
}

#[test]
fn a_dropped_handle_releases_its_registered_waker() {
    let (producer, mut consumer) = channel::<u8>(1);
    let (counter, waker) = CountingWaker::new();
    assert_eq!(
        consumer.poll_pop(&mut Context::from_waker(&waker)),
        Poll::Pending
    );
    // The ring holds a clone of the waker while the consumer waits (and
    // the consumer another, to tell a spurious poll) ...
    assert_eq!(std::sync::Arc::strong_count(&counter), 4);
    drop(consumer);
    // ... and none once the consumer is gone, so a task cannot be kept
    // alive by its own ring.
    assert_eq!(std::sync::Arc::strong_count(&counter), 2);
    drop(producer);
    assert_eq!(counter.wakes(), 0);
}

#[test]
fn a_cancelled_pop_loses_nothing_and_a_cancelled_push_hands_its_value_back() {
    let (mut producer, mut consumer) = channel(1);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    let mut pop = Box::pin(consumer.pop());
    assert_eq!(
        poll_registered(&counter, || pop.as_mut().poll(&mut cx)),
        Poll::Pending
    );
    drop(pop);
    producer.try_push(1).unwrap();
    assert_eq!(consumer.peek(), Some(&1));

    let mut push = producer.push(2);
    assert_eq!(
        poll_registered(&counter, || std::pin::Pin::new(&mut push).poll(&mut cx)),
        Poll::Pending
    );
    assert_eq!(push.into_value(), Some(2));
    assert_eq!(consumer.try_pop(), Ok(1));
    assert!(consumer.is_empty());
}

#[test]
#[should_panic(expected = "`Push` polled after it completed")]
fn polling_a_completed_push_panics_clearly() {
    let (mut producer, _consumer) = channel(1);
    let (_counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let mut push = producer.push(1);
    let mut push = std::pin::Pin::new(&mut push);
    assert_eq!(push.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    let _ = push.poll(&mut cx);
}

#[test]
fn waiting_for_items_publishes_the_reads_of_a_leaked_chunk_iterator() {
    let (mut producer, mut consumer) = channel(2);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    let mut items = consumer.read_chunk(2).into_iter();
    assert_eq!((items.next(), items.next()), (Some(1), Some(2)));
    std::mem::forget(items);
    // The producer cannot reuse the slots until the consumer publishes the
    // leaked reads: it waits for room ...
    let mut push = pin!(producer.push(3));
    assert_eq!(
        poll_registered(&counter, || push.as_mut().poll(&mut cx)),
        Poll::Pending
    );
    // ... and the consumer, waiting for items, publishes them and wakes it,
    // instead of both waiting for each other forever.
    // Its poll publishes them, which wakes the producer, and then yields
    // (the producer waited on this thread), which wakes its own task: two
    // wake-ups of the one waker both tasks use here.
    assert_eq!(consumer.poll_items(&mut cx), Poll::Pending);
    assert_eq!(counter.wakes(), 2);
    assert_eq!(push.poll(&mut cx), Poll::Ready(Ok(())));
    assert_eq!(consumer.poll_items(&mut cx), Poll::Ready(Ok(1)));
}

#[test]
fn the_stream_ends_once_the_producer_is_gone_and_the_ring_drained() {
    use futures::Stream;
    use futures::stream::FusedStream;

    let (mut producer, mut consumer) = channel(4);
    let (_counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    assert_eq!(consumer.size_hint(), (2, None));
    drop(producer);
    assert_eq!(consumer.size_hint(), (2, Some(2)));
    assert!(!consumer.is_terminated());
    let mut stream = std::pin::Pin::new(&mut consumer);
    assert_eq!(stream.as_mut().poll_next(&mut cx), Poll::Ready(Some(1)));
    assert_eq!(stream.as_mut().poll_next(&mut cx), Poll::Ready(Some(2)));
    assert!(stream.is_terminated());
    assert_eq!(stream.as_mut().poll_next(&mut cx), Poll::Ready(None));
    assert_eq!(stream.poll_next(&mut cx), Poll::Ready(None));
}

#[test]
fn a_push_future_is_unpin_whatever_its_value() {
    fn assert_unpin<T: Unpin>() {}
    assert_unpin::<ring_async::Push<'static, std::marker::PhantomPinned>>();
    assert_unpin::<ring_async::Pop<'static, std::marker::PhantomPinned>>();
    assert_unpin::<ring_async::Producer<std::marker::PhantomPinned>>();
}

#[test]
fn producer_close_wakes_a_pending_pop_which_drains_first() {
    let (mut producer, mut consumer) = channel(2);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    producer.try_push(1).unwrap();
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(1)));
    assert_eq!(
        poll_registered(&counter, || consumer.poll_pop(&mut cx)),
        Poll::Pending
    );
    producer.try_push(2).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(consumer.poll_items(&mut cx), Poll::Ready(Ok(1)));
    producer.close_channel();
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(2)));
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Err(PopError)));
    assert_eq!(counter.wakes(), 1, "nobody waited when the channel closed");
}

#[test]
fn close_wakes_the_waiting_side() {
    let (mut producer, mut consumer) = channel::<u8>(1);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(
        poll_registered(&counter, || consumer.poll_pop(&mut cx)),
        Poll::Pending
    );
    producer.close_channel();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Err(PopError)));

    let (mut producer, mut consumer) = channel(1);
    producer.try_push(1).unwrap();
    let mut push = pin!(producer.push(2));
    assert_eq!(
        poll_registered(&counter, || push.as_mut().poll(&mut cx)),
        Poll::Pending
    );
    consumer.close_channel();
    assert_eq!(counter.wakes(), 2);
    assert_eq!(push.poll(&mut cx), Poll::Ready(Err(PushError(2))));
    assert_eq!(consumer.try_pop(), Ok(1));
}

#[test]
fn sink_close_ends_the_stream_after_the_items_sent() {
    use futures::{SinkExt, StreamExt};
    futures::executor::block_on(async {
        let (mut producer, consumer) = channel(4);
        producer.send(1).await.unwrap();
        producer.send(2).await.unwrap();
        producer.close().await.unwrap();
        assert!(consumer.is_disconnected());
        assert_eq!(producer.send(3).await, Err(Disconnected));
        assert_eq!(producer.try_push(4).unwrap_err().into_inner(), 4);
        // The producer is still alive, yet the stream ends after the items.
        assert_eq!(consumer.collect::<Vec<_>>().await, [1, 2]);
        drop(producer);
    });
}

#[test]
fn sink_flush_fails_only_when_items_were_lost() {
    use futures::SinkExt;
    futures::executor::block_on(async {
        let (mut producer, mut consumer) = channel(4);
        producer.feed(1).await.unwrap();
        producer.flush().await.unwrap();
        assert_eq!(consumer.pop().await, Ok(1));
        drop(consumer);
        assert_eq!(producer.flush().await, Ok(()), "everything was delivered");

        let (mut producer, consumer) = channel(4);
        producer.feed(1).await.unwrap();
        drop(consumer);
        assert_eq!(
            producer.flush().await,
            Err(Disconnected),
            "1 was dropped unread"
        );
    });
}

#[test]
fn a_cancelled_pop_or_push_withdraws_its_task() {
    let (mut producer, mut consumer) = channel(1);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let references = std::sync::Arc::strong_count(&counter);

    let mut pop = Box::pin(consumer.pop());
    assert_eq!(
        poll_registered(&counter, || pop.as_mut().poll(&mut cx)),
        Poll::Pending
    );
    assert!(
        std::sync::Arc::strong_count(&counter) > references,
        "registered"
    );
    drop(pop); // Another branch of a `select!` won.
    assert_eq!(
        std::sync::Arc::strong_count(&counter),
        references,
        "waker kept"
    );
    producer.try_push(1).unwrap();
    assert_eq!(counter.wakes(), 0, "a cancelled pop was woken");

    let mut push = Box::pin(producer.push(2));
    assert_eq!(
        poll_registered(&counter, || push.as_mut().poll(&mut cx)),
        Poll::Pending
    );
    assert_eq!(std::pin::Pin::into_inner(push).into_value(), Some(2));
    assert_eq!(
        std::sync::Arc::strong_count(&counter),
        references,
        "waker kept"
    );
    assert_eq!(consumer.try_pop(), Ok(1));
    assert_eq!(counter.wakes(), 0, "a cancelled push was woken");

    for wait in 0..2 {
        if wait == 0 {
            let mut items = Box::pin(consumer.wait_items(1));
            assert_eq!(
                poll_registered(&counter, || items.as_mut().poll(&mut cx)),
                Poll::Pending
            );
        } else {
            producer.try_push(3).unwrap();
            let mut slots = Box::pin(producer.wait_free_slots(1));
            assert_eq!(
                poll_registered(&counter, || slots.as_mut().poll(&mut cx)),
                Poll::Pending
            );
        }
        assert_eq!(std::sync::Arc::strong_count(&counter), references);
    }
    assert_eq!(consumer.try_pop(), Ok(3));
    assert_eq!(counter.wakes(), 0, "a cancelled wait was woken");
}

#[test]
fn a_later_pop_after_a_cancelled_one_is_still_woken() {
    let (mut producer, mut consumer) = channel(1);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let mut cancelled = Box::pin(consumer.pop());
    assert_eq!(
        poll_registered(&counter, || cancelled.as_mut().poll(&mut cx)),
        Poll::Pending
    );
    drop(cancelled);
    let mut pop = pin!(consumer.pop());
    assert_eq!(
        poll_registered(&counter, || pop.as_mut().poll(&mut cx)),
        Poll::Pending
    );
    producer.try_push(1).unwrap();
    assert_eq!(counter.wakes(), 1);
    assert_eq!(pop.poll(&mut cx), Poll::Ready(Ok(1)));
}

#[test]
#[should_panic(expected = "`Pop` polled after it completed")]
fn a_pop_polled_after_it_completed_panics() {
    let (mut producer, mut consumer) = channel(2);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    let (_counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let mut pop = pin!(consumer.pop());
    assert_eq!(pop.as_mut().poll(&mut cx), Poll::Ready(Ok(1)));
    let _ = pop.poll(&mut cx); // Would pop 2 silently.
}

#[test]
fn pop_and_push_go_into_select_without_fuse() {
    futures::executor::block_on(async {
        let (mut producer, mut consumer) = channel(1);
        let mut never = futures::future::pending::<()>();
        let mut push = producer.push(1);
        futures::select! {
            pushed = push => assert_eq!(pushed, Ok(())),
            () = never => unreachable!(),
        }
        drop(push);
        let mut pop = consumer.pop();
        futures::select! {
            popped = pop => assert_eq!(popped, Ok(1)),
            () = never => unreachable!(),
        }
    });
}

/// A waker whose `clone` panics (its `wake` and `drop` do nothing).
fn waker_whose_clone_panics() -> std::task::Waker {
    use std::task::{RawWaker, RawWakerVTable};
    fn clone(_: *const ()) -> RawWaker {
        panic!("this waker's clone panics");
    }
    fn nothing(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, nothing, nothing, nothing);
    // SAFETY: the vtable's functions ignore the data pointer, which is never
    // dereferenced.
    unsafe { std::task::Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) }
}

#[test]
fn a_waker_whose_clone_panicked_does_not_lose_later_wake_ups() {
    let (mut producer, mut consumer) = channel(1);
    let bad = waker_whose_clone_panics();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        consumer.poll_pop(&mut Context::from_waker(&bad))
    }));
    assert!(panicked.is_err(), "the clone's panic reaches the poll");
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(
        poll_registered(&counter, || consumer.poll_pop(&mut cx)),
        Poll::Pending
    );
    producer.try_push(1).unwrap();
    assert_eq!(counter.wakes(), 1, "the wake-up was lost");
    assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(1)));
}
