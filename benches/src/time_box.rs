//! A time box for round-trip runs. The drivers size a run from warm-up
//! runs, but a ring that waits by parking can switch mid-run from trips
//! its spin catches (a few hundred nanoseconds) to trips that each wait
//! for two thread wake-ups (tens of microseconds on a VM): a run sized for
//! 100 ms then lasts a minute, and a few such runs overran the full
//! benchmark's time budget. A run that passes [`ROUND_TRIP_TIME_LIMIT`]
//! therefore ends early, and its time is given for the count it was
//! asked for at the mean trip time it had, so every figure derived from
//! it (the mean trip, the calibration's rate) stays what it would be.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a round-trip run lasts at most: ten times a full run's
/// sample, long enough for a steady mean in the slowest mode.
pub const ROUND_TRIP_TIME_LIMIT: Duration = Duration::from_secs(1);

/// How many trips pass between two looks at the clock: a clock read costs
/// tens of nanoseconds, as much as a fast trip, so the measuring side
/// looks once per this many trips and the mean trip carries a share of
/// a clock read below one nanosecond.
const TRIPS_PER_LOOK: u64 = 64;

/// No trip is known to be the last yet.
const NOT_YET: u64 = u64::MAX;

/// The measuring side's half: decides which trip is the last.
#[derive(Debug)]
pub(crate) struct TripBudget {
    last_trip: Arc<AtomicU64>,
}

/// The echo side's half: learns whether a trip it echoed was the last.
#[derive(Debug)]
pub(crate) struct EchoEnd {
    last_trip: Arc<AtomicU64>,
}

/// A budget for one run, and its echo side's half.
pub(crate) fn trip_budget() -> (TripBudget, EchoEnd) {
    let last_trip = Arc::new(AtomicU64::new(NOT_YET));
    (
        TripBudget {
            last_trip: Arc::clone(&last_trip),
        },
        EchoEnd { last_trip },
    )
}

impl TripBudget {
    /// Whether trip `index`, about to start, is the last one of a run that
    /// started at `started`: every [`TRIPS_PER_LOOK`] trips, whether the
    /// run has passed the limit. If it is, the echo side is told before
    /// the trip's ping is sent. The echo side may learn it while still
    /// echoing the trip before, which is why it is told the index.
    pub(crate) fn ends_with(&self, index: u64, started: Instant) -> bool {
        let last = index % TRIPS_PER_LOOK == TRIPS_PER_LOOK - 1
            && started.elapsed() >= ROUND_TRIP_TIME_LIMIT;
        if last {
            // Relaxed suffices: the store is sequenced before the ping's
            // push, which every implementation hands over with release
            // semantics (or a lock), and the echo side loads the index after
            // popping that ping, so the load sees it.
            self.last_trip.store(index, Ordering::Relaxed);
        }
        last
    }
}

impl EchoEnd {
    /// Whether trip `index`, just echoed, was the measuring side's last.
    /// Asked after popping the trip's ping: see [`TripBudget::ends_with`].
    pub(crate) fn reached(&self, index: u64) -> bool {
        // Relaxed suffices, as explained where the index is stored.
        self.last_trip.load(Ordering::Relaxed) == index
    }
}

/// The time `count` trips would take at the mean trip time of a run that
/// made `made` of them in `elapsed`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use ring_benches::time_box::scaled_to_count;
///
/// let elapsed = Duration::from_millis(1);
/// assert_eq!(scaled_to_count(elapsed, 10, 10), elapsed);
/// assert_eq!(scaled_to_count(elapsed, 10, 1000), Duration::from_millis(100));
/// ```
///
/// # Panics
///
/// If no trip was made (`made` is 0).
pub fn scaled_to_count(elapsed: Duration, made: u64, count: u64) -> Duration {
    assert!(made > 0, "a run made no trip");
    if made == count {
        elapsed
    } else {
        elapsed.mul_f64(count as f64 / made as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Placement;

    /// More trips than any ring makes within the limit.
    const ENDLESS: u64 = 1 << 40;

    /// Checks a round-trip run of [`ENDLESS`] trips: it ends (a hang, or a
    /// panic where the echo side left one trip early, fails the test) and
    /// gives a time scaled far beyond the time it took.
    fn ends_early_and_scales(run: impl FnOnce() -> Duration) {
        let begun = Instant::now();
        let given = run();
        let took = begun.elapsed();
        assert!(
            took >= ROUND_TRIP_TIME_LIMIT,
            "the run ended before the limit"
        );
        assert!(
            given > took * 1000,
            "{given:?} for {ENDLESS} trips is not scaled from a run that took {took:?}"
        );
    }

    #[test]
    fn a_thread_round_trip_past_the_limit_ends_early() {
        ends_early_and_scales(|| {
            crate::round_trip::<crate::queues::RingPark, u64>(16, ENDLESS, Placement::unpinned())
        });
    }

    #[test]
    fn a_task_round_trip_past_the_limit_ends_early() {
        ends_early_and_scales(|| {
            crate::tasks::round_trip_two_runtimes::<crate::tasks::RingAsync, u64>(
                16,
                ENDLESS,
                Placement::unpinned(),
            )
        });
    }

    #[test]
    fn only_a_look_past_the_limit_ends_the_run() {
        let (budget, echo) = trip_budget();
        let now = Instant::now();
        assert!(
            !budget.ends_with(TRIPS_PER_LOOK - 1, now),
            "the limit has not passed"
        );
        assert!(!echo.reached(TRIPS_PER_LOOK - 1));
        let long_ago = now
            .checked_sub(ROUND_TRIP_TIME_LIMIT)
            .expect("the machine has been up longer than the limit");
        assert!(
            !budget.ends_with(0, long_ago),
            "trip 0 is not a look at the clock"
        );
        assert!(!echo.reached(0));
        assert!(budget.ends_with(TRIPS_PER_LOOK - 1, long_ago));
        assert!(
            !echo.reached(TRIPS_PER_LOOK - 2),
            "the trip before the last is not the last"
        );
        assert!(
            echo.reached(TRIPS_PER_LOOK - 1),
            "the echo side learns of the last trip"
        );
    }
}
