//! The whole parking handshake with plain `SeqCst` fences on both sides
//! (`ring_core::fence::use_seqcst_fences`, as `RING_FENCE=seqcst` does),
//! in a test binary of its own, since the choice holds for the process.

use std::thread;

use ring_park::{PopError, channel};
use test_support::{scaled, with_watchdog};

#[test]
fn capacity_one_ping_pong_with_seqcst_fences_never_hangs() {
    ring_core::fence::use_seqcst_fences().expect("no ring was made before");
    assert!(!ring_core::fence::is_asymmetric());
    with_watchdog(|| {
        let count = scaled(100_000) as u64;
        let (mut ping_producer, mut ping_consumer) = channel(1);
        let (mut pong_producer, mut pong_consumer) = channel(1);
        let echo = thread::spawn(move || {
            for value in ping_consumer.iter() {
                pong_producer.push(value).unwrap();
            }
        });
        for value in 0..count {
            ping_producer.push(value).unwrap();
            assert_eq!(pong_consumer.pop(), Ok(value));
        }
        drop(ping_producer);
        echo.join().unwrap();
        assert_eq!(pong_consumer.pop(), Err(PopError));
    });
}
