//! The capacity-1 ping-pong that both `park.rs` (with the default fences)
//! and `seqcst.rs` (with plain `SeqCst` fences) run: every push and pop of
//! it waits, so a lost wake-up hangs it, and its watchdog fails the test.

use std::thread;

use ring_park::{PopError, SpinPolicy, channel_with};
use test_support::{scaled, with_watchdog};

/// Echoes values through two rings of capacity 1, then checks that the
/// echo side's drop ends the stream: once without spinning (every wait
/// parks) and once with the default policy. `RING_STRESS_ROUNDS` sets the
/// values per run (`cargo xtask verify-long` runs millions); 100 000 by
/// default, fewer under Miri.
pub fn capacity_one_ping_pong() {
    let count = std::env::var("RING_STRESS_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(scaled(100_000) as u64);
    for policy in [SpinPolicy::NEVER, SpinPolicy::default()] {
        ping_pong(count, policy);
    }
}

fn ping_pong(count: u64, policy: SpinPolicy) {
    with_watchdog(move || {
        let (mut ping_producer, mut ping_consumer) = channel_with(1, policy);
        let (mut pong_producer, mut pong_consumer) = channel_with(1, policy);
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
