//! Two tasks of one thread hand the ring back and forth without a heavy
//! fence per wait: a wait whose other side last waited or woke it on the
//! same thread registers in the handshake's symmetric mode when the two
//! take turns (a run of fewer than 32 items since its last wait), and
//! otherwise yields, once per position. Alone in its test binary, because
//! the fence count it reads is the whole process's.

// Not under loom, whose fences are models and whose waits never yield.
#![cfg(not(loom))]

mod common;

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Mutex;
use std::task::{Context, Poll};

use futures::channel::oneshot;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use ring_async::channel;
use ring_core::fence::heavy_fence_count;

/// Held by every test of this binary: the fence count is the whole
/// process's, so the tests run one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Two tasks of one `LocalPool` move `items` through a ring of
/// `capacity` and check their sum; returns how many heavy fences the
/// process issued meanwhile.
fn stream_on_one_thread(capacity: usize, items: u64) -> usize {
    let (mut producer, mut consumer) = channel(capacity);
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let fences = heavy_fence_count();
    spawner
        .spawn_local(async move {
            for item in 0..items {
                producer.push(item).await.unwrap();
            }
        })
        .unwrap();
    let sum = Rc::new(Cell::new(0));
    let total = Rc::clone(&sum);
    spawner
        .spawn_local(async move {
            while let Ok(item) = consumer.pop().await {
                total.set(total.get() + item);
            }
        })
        .unwrap();
    pool.run();
    assert_eq!(sum.get(), items * (items - 1) / 2);
    heavy_fence_count() - fences
}

#[test]
fn tasks_on_one_thread_stream_without_a_heavy_fence_per_wait() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Miri runs shorter streams; the count of waits is what matters.
    let items: u64 = if cfg!(miri) { 2_000 } else { 100_000 };
    // Capacity 16: each side waits once per 16 items (taking turns), over
    // 12 000 waits in all (Miri: 250). Capacity 256: once per 256 items (a
    // stream, so the waits yield). Before either side has waited, neither
    // knows the other shares its thread, so the first few waits announce
    // plainly, and the first in the symmetric mode fences heavily.
    for capacity in [16, 256] {
        let announced = stream_on_one_thread(capacity, items);
        assert!(
            announced <= 4,
            "{announced} heavy fences for {items} items through {capacity} slots"
        );
    }
}

#[test]
fn sides_that_take_turns_on_one_thread_register_instead_of_yielding() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // A yield is a self-wake, which tokio's multi-thread runtime answers by
    // waking an idle worker that then steals one of the two tasks; sides
    // that take turns register instead, in the symmetric mode.
    let (mut producer, mut consumer) = channel::<u32>(4);
    let (counter, waker) = common::CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let rounds = if cfg!(miri) { 20 } else { 200 };
    let mut fences = 0;
    for round in 0..rounds {
        // The first rounds teach each side that the other shares its
        // thread (and yield once); from the fourth on, none yields.
        if round == 3 {
            fences = heavy_fence_count();
        }
        let mut pop = pin!(consumer.pop());
        let wakes = counter.wakes();
        let pending = common::poll_registered(&counter, || pop.as_mut().poll(&mut cx));
        assert!(pending.is_pending(), "round {round}: the ring is empty");
        if round >= 3 {
            assert_eq!(
                counter.wakes(),
                wakes,
                "round {round}: a wait that takes turns woke its own task"
            );
        }
        assert!(producer.try_push(round).is_ok());
        assert_eq!(
            counter.wakes(),
            wakes + 1,
            "round {round}: the push woke the pop"
        );
        assert_eq!(pop.as_mut().poll(&mut cx), Poll::Ready(Ok(round)));
    }
    let announced = heavy_fence_count() - fences;
    assert!(
        announced <= 1,
        "{announced} heavy fences for {} turns",
        rounds - 3
    );
}

#[test]
fn a_wait_yields_once_then_registers_when_the_other_task_waits_elsewhere() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (mut producer, mut consumer) = channel(1);
    let (release, released) = oneshot::channel::<()>();
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let popped = Rc::new(Cell::new(0));
    spawner
        .spawn_local(async move {
            // Waits on the ring once, so that the consumer sees it on this
            // thread, then on something else entirely.
            producer.push(1).await.unwrap();
            producer.push(2).await.unwrap();
            released.await.unwrap();
            producer.push(3).await.unwrap();
        })
        .unwrap();
    let count = Rc::clone(&popped);
    spawner
        .spawn_local(async move {
            while consumer.pop().await.is_ok() {
                count.set(count.get() + 1);
            }
        })
        .unwrap();
    // If the consumer's wait polled itself again and again while the
    // producer waits for `released`, this would never return.
    pool.run_until_stalled();
    assert_eq!(popped.get(), 2);
    release.send(()).unwrap();
    pool.run();
    assert_eq!(popped.get(), 3);
}
