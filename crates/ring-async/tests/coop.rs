//! With the `tokio` feature, ring-async takes part in tokio's cooperative
//! budget: a consumer that always finds items yields now and then, so the
//! other tasks of its worker run. `cargo xtask tests` runs this file with
//! the feature on.

#![cfg(all(feature = "tokio", not(loom)))]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const ITEMS: u32 = 1 << 20;

#[test]
fn a_consumer_that_always_finds_items_lets_other_tasks_run() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (mut producer, mut consumer) = ring_async::channel(ITEMS as usize);
        for item in 0..ITEMS {
            producer.try_push(item).unwrap();
        }
        let advances = Arc::new(AtomicUsize::new(0));
        let drained = Arc::new(AtomicBool::new(false));
        let other = tokio::spawn({
            let advances = Arc::clone(&advances);
            let drained = Arc::clone(&drained);
            async move {
                while !drained.load(Ordering::Relaxed) {
                    advances.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            }
        });
        let drain = tokio::spawn({
            let advances = Arc::clone(&advances);
            let drained = Arc::clone(&drained);
            async move {
                for expected in 0..ITEMS {
                    assert_eq!(consumer.pop().await, Ok(expected));
                }
                drained.store(true, Ordering::Relaxed);
                advances.load(Ordering::Relaxed)
            }
        });
        let advances_during_drain = drain.await.unwrap();
        other.await.unwrap();
        drop(producer);
        assert!(
            advances_during_drain >= 100,
            "the other task advanced only {advances_during_drain} times while the ring drained"
        );
    });
}
