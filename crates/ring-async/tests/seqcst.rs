//! The whole async handshake with plain `SeqCst` fences on both sides
//! (`ring_core::fence::use_seqcst_fences`, as `RING_FENCE=seqcst` does),
//! in a test binary of its own, since the choice holds for the process: a
//! task and a blocked thread ping-pong through two rings of capacity 1.

use std::thread;

use ring_async::{PopError, channel};
use test_support::{scaled, with_watchdog};

#[test]
fn task_and_thread_ping_pong_with_seqcst_fences_never_hangs() {
    ring_core::fence::use_seqcst_fences().expect("no ring was made before");
    assert!(!ring_core::fence::is_asymmetric());
    with_watchdog(|| {
        let count = scaled(50_000) as u64;
        let (mut ping_producer, mut ping_consumer) = channel(1);
        let (mut pong_producer, mut pong_consumer) = channel(1);
        let echo = thread::spawn(move || {
            while let Ok(value) = ping_consumer.pop_blocking() {
                pong_producer.push_blocking(value).unwrap();
            }
        });
        futures::executor::block_on(async {
            for value in 0..count {
                ping_producer.push(value).await.unwrap();
                assert_eq!(pong_consumer.pop().await, Ok(value));
            }
            drop(ping_producer);
            assert_eq!(pong_consumer.pop().await, Err(PopError));
        });
        echo.join().unwrap();
    });
}
