//! A stress test of the wake-up protocol on the path that ships (compiler
//! fence and `membarrier`, which loom and Miri replace by other fences): a
//! capacity-1 ping-pong between two threads, each running its side under
//! `futures::executor::block_on`, so that every push and every pop waits
//! and parks its thread, with cancelled futures in between. A lost wake-up
//! hangs it, and the watchdog fails it.
//!
//! `RING_STRESS_ROUNDS` sets the rounds (`cargo xtask verify-long` runs
//! millions); the test command runs a short sample.

#![cfg(not(loom))]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::thread;

use futures::executor::block_on;
use ring_async::{PopError, SpinPolicy, channel_with};
use test_support::{scaled, with_watchdog};

/// The rounds to run: `RING_STRESS_ROUNDS`, or a short default.
fn rounds() -> u64 {
    std::env::var("RING_STRESS_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(scaled(20_000) as u64)
}

/// Polls `future` once with a waker that wakes nobody: the first poll of a
/// future that another branch of a `select!` then cancels.
fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

#[test]
fn capacity_one_ping_pong_with_cancelled_futures() {
    // Without spinning, every wait that finds the ring empty or full
    // registers and parks; with the default policy, the spin's catches and
    // misses mix with parking, and the symmetric mode comes and goes.
    for policy in [SpinPolicy::NEVER, SpinPolicy::default()] {
        ping_pong(policy);
    }
}

fn ping_pong(policy: SpinPolicy) {
    with_watchdog(move || {
        let rounds = rounds();
        let (mut ping_producer, mut ping_consumer) = channel_with(1, policy);
        let (mut pong_producer, mut pong_consumer) = channel_with(1, policy);
        let echo = thread::spawn(move || {
            block_on(async move {
                let mut round = 0u64;
                loop {
                    round += 1;
                    // Now and then a pop is polled once and dropped first.
                    let first = if round % 7 == 0 {
                        poll_once(ping_consumer.pop())
                    } else {
                        None
                    };
                    let value = match first {
                        Some(result) => result,
                        None => ping_consumer.pop().await,
                    };
                    let Ok(value) = value else { break };
                    pong_producer.push(value).await.unwrap();
                }
            });
        });
        block_on(async move {
            for value in 0..rounds {
                // Now and then a push is polled once and dropped, taking
                // its value back; the next push sends it.
                if value % 11 == 0 {
                    let mut push = Box::pin(ping_producer.push(value));
                    let pushed = poll_once(push.as_mut());
                    match pushed {
                        Some(result) => result.unwrap(),
                        None => {
                            let value = std::pin::Pin::into_inner(push)
                                .into_value()
                                .expect("a pending push keeps its value");
                            ping_producer.push(value).await.unwrap();
                        }
                    }
                } else {
                    ping_producer.push(value).await.unwrap();
                }
                assert_eq!(pong_consumer.pop().await, Ok(value));
            }
            drop(ping_producer);
            assert_eq!(pong_consumer.pop().await, Err(PopError));
        });
        echo.join().unwrap();
    });
}
