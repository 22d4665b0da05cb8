//! Two tasks of one thread hand the ring back and forth by yielding, not
//! by announcing themselves: a wait whose other side last waited on the
//! same thread first lets it run, once per position. Alone in its test
//! binary, because the fence count it reads is the whole process's.

// Not under loom, whose fences are models and whose waits never yield.
#![cfg(not(loom))]

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use ring_async::channel;
use ring_core::fence::heavy_fence_count;

#[test]
fn tasks_on_one_thread_stream_without_announcing_each_wait() {
    // Miri runs a shorter stream; the count of waits is what matters.
    let items: u64 = if cfg!(miri) { 2_000 } else { 100_000 };
    let (mut producer, mut consumer) = channel(16);
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
    // Each side waits once per 16 items, over 12 000 waits in all (Miri:
    // 250); before either has waited, neither knows the other shares its
    // thread, so the first few waits announce.
    let announced = heavy_fence_count() - fences;
    assert!(announced <= 4, "{announced} heavy fences for {items} items");
}

#[test]
fn a_wait_yields_once_then_registers_when_the_other_task_waits_elsewhere() {
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
