//! Steady-state samples. A sample of a fixed count from a cold start
//! measures start-up (thread wake-up, first cache misses, page faults of
//! the ring) as much as the stream; a sample here first runs the same
//! workload as a warm-up until one run lasts [`Timing::warm_up`], then
//! takes the count that lasts about [`Timing::sample`] at the rate the
//! warm-up saw, and measures that.

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

/// A measured run: how many items (or round trips) it moved and how long
/// that took.
#[derive(Clone, Copy, Debug)]
pub struct Measured {
    /// Items or round trips.
    pub count: u64,
    /// The time of the run.
    pub elapsed: Duration,
}

/// Warms `run` up (a function of the count that returns the time the run
/// took), starting from `first_count`, then measures one run of the count
/// that lasts about `timing.sample`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use ring_benches::steady::{Timing, steady_sample};
///
/// // A stand-in workload at one item per microsecond.
/// let run = |count: u64| Duration::from_micros(count);
/// let timing = Timing {
///     warm_up: Duration::from_millis(1),
///     sample: Duration::from_millis(4),
/// };
/// let measured = steady_sample(run, 10, timing);
/// assert!((3_000..=5_000).contains(&measured.count));
/// assert_eq!(measured.elapsed, Duration::from_micros(measured.count));
/// ```
pub fn steady_sample(run: impl Fn(u64) -> Duration, first_count: u64, timing: Timing) -> Measured {
    let mut count = first_count.max(1);
    let mut elapsed = run(count);
    while elapsed < timing.warm_up {
        // Grow by what the last run suggests, at least twofold (a run
        // that took no measurable time suggests nothing) and at most
        // sixteenfold (the first runs are the noisiest).
        let suggested = timing.warm_up.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
        count = (count as f64 * suggested.clamp(2.0, 16.0)).ceil() as u64;
        elapsed = run(count);
    }
    let rate = count as f64 / elapsed.as_secs_f64();
    let count = ((rate * timing.sample.as_secs_f64()).round() as u64).max(1);
    Measured {
        count,
        elapsed: run(count),
    }
}
