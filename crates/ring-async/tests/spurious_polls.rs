//! A pending future polled again and again with the same waker (common
//! under `join!` and `select!`) announces itself once: one heavy fence per
//! wait, not one per poll. Alone in its test binary, because the fence
//! count it reads is the whole process's.

// Not under Miri: there, a waker's clone may carry a vtable at another
// address (Miri does not promise unique vtables, as Rust does not), so
// `will_wake` says no and every poll announces anew, which is correct, only
// slower. Not under loom either, whose fences are models.
#![cfg(not(any(loom, miri)))]

mod common;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use common::CountingWaker;
use ring_async::channel;
use ring_core::fence::heavy_fence_count;

#[test]
fn spurious_polls_announce_once_per_wait() {
    let (mut producer, mut consumer) = channel(1);
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    {
        let mut pop = pin!(consumer.pop());
        assert_eq!(pop.as_mut().poll(&mut cx), Poll::Pending);
        let fences = heavy_fence_count();
        for _ in 0..1000 {
            assert_eq!(pop.as_mut().poll(&mut cx), Poll::Pending);
        }
        assert_eq!(heavy_fence_count(), fences, "a spurious poll fenced again");
        producer.try_push(1).unwrap();
        assert_eq!(counter.wakes(), 1, "the standing announcement wakes");
        assert_eq!(pop.poll(&mut cx), Poll::Ready(Ok(1)));
    }

    producer.try_push(2).unwrap();
    let mut push = pin!(producer.push(3));
    // The consumer last waited on this thread, so the first poll lets it
    // run first (it wakes its own task and announces nothing); the second
    // announces.
    let fences = heavy_fence_count();
    assert_eq!(push.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(counter.wakes(), 2, "the first poll yields");
    assert_eq!(heavy_fence_count(), fences, "a yield fenced");
    assert_eq!(push.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(heavy_fence_count(), fences + 1, "the second poll announces");
    let fences = heavy_fence_count();
    for _ in 0..1000 {
        assert_eq!(push.as_mut().poll(&mut cx), Poll::Pending);
    }
    assert_eq!(heavy_fence_count(), fences, "a spurious poll fenced again");
    assert_eq!(consumer.try_pop(), Ok(2));
    assert_eq!(counter.wakes(), 3);
    assert_eq!(push.poll(&mut cx), Poll::Ready(Ok(())));
}
