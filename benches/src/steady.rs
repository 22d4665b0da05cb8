//! Steady-state samples. A short burst from a cold start measures the
//! start-up (thread wake-up, the first cache misses and page faults of a
//! fresh ring) as much as the stream; a sample here is long instead (about
//! [`Timing::sample`]), so that the start-up is a small share of it. Before
//! it, warm-up runs of the same point warm the code paths, the allocator
//! and the core's clock, and set the sample's count: they grow until one
//! lasts [`Timing::warm_up`], and the count is the one that lasts about
//! `Timing::sample` at the faster of the last two warm-up rates (a stall
//! of the machine in one of them would otherwise shorten the sample).
//! Each run builds its own ring and threads, as the benchmark bodies do.

use std::time::Duration;

/// How long the warm-up and the measured run of a sample last.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// The shortest warm-up run that ends the warm-up.
    pub warm_up: Duration,
    /// The length a measured run aims at.
    pub sample: Duration,
}

impl Timing {
    /// The full run's timing: 100 ms samples after at least 25 ms of
    /// warm-up, long against a scheduler tick and a cache-line probe.
    pub const FULL: Self = Self {
        warm_up: Duration::from_millis(25),
        sample: Duration::from_millis(100),
    };

    /// `--quick`: every point measured, the figures only indicative.
    pub const QUICK: Self = Self {
        warm_up: Duration::from_micros(500),
        sample: Duration::from_millis(2),
    };
}

/// Warms `run` up (a function of the count that returns the time the run
/// took), starting from `first_count`, and returns the count that lasts
/// about `timing.sample`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use ring_benches::steady::{Timing, calibrate};
///
/// // A stand-in workload at one item per microsecond.
/// let run = |count: u64| Duration::from_micros(count);
/// let timing = Timing {
///     warm_up: Duration::from_millis(1),
///     sample: Duration::from_millis(4),
/// };
/// assert_eq!(calibrate(run, 10, timing), 4_000);
/// ```
pub fn calibrate(run: impl Fn(u64) -> Duration, first_count: u64, timing: Timing) -> u64 {
    let rate = |count: u64, elapsed: Duration| count as f64 / elapsed.as_secs_f64().max(1e-9);
    let mut count = first_count.max(1);
    let mut elapsed = run(count);
    let mut earlier_rate = 0.0;
    while elapsed < timing.warm_up {
        earlier_rate = rate(count, elapsed);
        // Grow by what the last run suggests, at least twofold (a run
        // that took no measurable time suggests nothing) and at most
        // sixteenfold (the first runs are the noisiest).
        let suggested = timing.warm_up.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
        count = (count as f64 * suggested.clamp(2.0, 16.0)).ceil() as u64;
        elapsed = run(count);
    }
    let faster = rate(count, elapsed).max(earlier_rate);
    ((faster * timing.sample.as_secs_f64()).round() as u64).max(1)
}
