//! A short cache-line ping-pong between the two benchmark cores: how much
//! bouncing one line between them costs right now. On a shared VM this
//! swings several-fold from one second to the next (between about 45 ns
//! and several hundred on this project's machine), and every figure of a
//! two-thread benchmark swings with it, so the drivers measure the probe
//! before and after each sample and set aside the samples taken while the
//! machine was slow.

use std::hint::spin_loop;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crossbeam_utils::CachePadded;

use crate::{Placement, on_two_threads};

/// How many round trips one probe makes: a few hundred microseconds at
/// most, short against a sample, long enough to average out single misses.
const ROUND_TRIPS: u64 = 2_000;

/// The cost of one round trip of a cache line between the placement's two
/// threads: the measuring thread writes an odd number, the other answers
/// with the next even one. Both threads are awake (past a spinning start
/// line) before the clock starts.
pub fn cache_line_round_trip(placement: Placement) -> Duration {
    // Acquire and Release, as a real handoff would use: the probe measures
    // the cache-line transfer that every ring index store and load pays.
    let line = Arc::new(CachePadded::new(AtomicU64::new(0)));
    let echo_line = Arc::clone(&line);
    let (_, elapsed) = on_two_threads(
        placement,
        move || {
            for trip in 0..ROUND_TRIPS {
                let ping = 2 * trip + 1;
                while echo_line.load(Ordering::Acquire) != ping {
                    spin_loop();
                }
                echo_line.store(ping + 1, Ordering::Release);
            }
        },
        move || {
            let started = std::time::Instant::now();
            for trip in 0..ROUND_TRIPS {
                let ping = 2 * trip + 1;
                line.store(ping, Ordering::Release);
                while line.load(Ordering::Acquire) != ping + 1 {
                    spin_loop();
                }
            }
            started.elapsed()
        },
    );
    elapsed / ROUND_TRIPS as u32
}

/// A sample with the probe measured just before and just after it.
#[derive(Clone, Copy, Debug)]
pub struct Probed<T> {
    /// The sample.
    pub value: T,
    /// The slower of the two probes around it, in nanoseconds.
    pub probe_ns: f64,
}

/// Runs `sample` between two probes.
pub fn probed<T>(placement: Placement, sample: impl FnOnce() -> T) -> Probed<T> {
    let before = cache_line_round_trip(placement);
    let value = sample();
    let after = cache_line_round_trip(placement);
    Probed {
        value,
        probe_ns: before.max(after).as_nanos() as f64,
    }
}

/// The probe value above which a sample counts as taken while the machine
/// was slow: `factor` times the fastest quarter's bound (the first
/// quartile) of all probes of the run, so that the limit follows the
/// machine the run is on.
///
/// # Panics
///
/// If `probes` is empty.
pub fn slow_limit(probes: &[f64], factor: f64) -> f64 {
    assert!(!probes.is_empty(), "a slow limit needs probes");
    let mut sorted = probes.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 4] * factor
}
