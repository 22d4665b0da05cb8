//! The capacity-1 ping-pong that both `park.rs` (with the default fences)
//! and `seqcst.rs` (with plain `SeqCst` fences) run: every push and pop of
//! it waits, so a lost wake-up hangs it, and its watchdog fails the test.

use std::thread;

use ring_park::{PopError, channel};
use test_support::{scaled, with_watchdog};

/// Echoes 100 000 values (fewer under Miri) through two rings of capacity
/// 1, then checks that the echo side's drop ends the stream.
pub fn capacity_one_ping_pong() {
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
