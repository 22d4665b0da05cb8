//! Latency percentiles: each round trip (or each item's delivery) timed on
//! its own and recorded in an HDR histogram, so that p50, p99, p99.9 and
//! the maximum come from every trip of a sample at a fixed relative
//! precision, without keeping every value.

use std::time::Duration;

use hdrhistogram::Histogram;

/// Significant decimal digits of the histograms: 0.1 % relative precision.
const SIGNIFICANT_DIGITS: u8 = 3;

/// The range a histogram covers from the start, in nanoseconds (10 s):
/// a histogram that grew while a sample records would reallocate inside
/// the measured loop. A longer latency still grows it.
const PREALLOCATED_NS: u64 = 10_000_000_000;

/// What a round-trip body does with each trip's time: nothing, for the
/// mean round trip (no clock read inside the loop), or record it.
pub trait TripRecorder: Default + Send + 'static {
    /// Whether the body reads the clock around each trip for this recorder.
    const TIMES_EACH_TRIP: bool;
    /// Records one trip's time.
    fn record(&mut self, trip: Duration);
}

impl TripRecorder for () {
    const TIMES_EACH_TRIP: bool = false;

    fn record(&mut self, _trip: Duration) {}
}

/// Latencies in nanoseconds, from 1 ns up.
#[derive(Clone, Debug)]
pub struct Latencies(Histogram<u64>);

impl Default for Latencies {
    fn default() -> Self {
        let mut histogram = Histogram::new_with_max(PREALLOCATED_NS, SIGNIFICANT_DIGITS)
            .expect("10 s at three significant digits is a valid histogram range");
        histogram.auto(true);
        Self(histogram)
    }
}

impl TripRecorder for Latencies {
    const TIMES_EACH_TRIP: bool = true;

    fn record(&mut self, trip: Duration) {
        self.record(trip);
    }
}

impl Latencies {
    /// Records one latency (a zero one as 1 ns, the histogram's floor).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_benches::latency::Latencies;
    ///
    /// let mut latencies = Latencies::default();
    /// latencies.record(Duration::ZERO);
    /// assert_eq!((latencies.count(), latencies.quantile_ns(1.0)), (1, 1));
    /// ```
    pub fn record(&mut self, latency: Duration) {
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX).max(1);
        // `record` grows the histogram to the value; `saturating_record`
        // would clamp it to the current range instead. Only a value beyond
        // the largest the histogram can ever track (about 146 years) fails
        // to grow it, and is clamped.
        if self.0.record(nanos).is_err() {
            self.0.saturating_record(nanos);
        }
    }

    /// The latency at `quantile` (0 to 1), in nanoseconds; 1.0 gives the
    /// maximum.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_benches::latency::Latencies;
    ///
    /// let mut latencies = Latencies::default();
    /// for micros in 1..=100 {
    ///     latencies.record(Duration::from_micros(micros));
    /// }
    /// assert!((49_900..=50_100).contains(&latencies.quantile_ns(0.5)));
    /// assert!((99_900..=100_100).contains(&latencies.quantile_ns(1.0)));
    /// assert_eq!(latencies.count(), 100);
    ///
    /// // Far beyond the first range: the histogram grows.
    /// latencies.record(Duration::from_secs(3));
    /// assert!(latencies.quantile_ns(1.0) >= 2_990_000_000);
    /// ```
    pub fn quantile_ns(&self, quantile: f64) -> u64 {
        if quantile >= 1.0 {
            self.0.max()
        } else {
            self.0.value_at_quantile(quantile)
        }
    }

    /// How many latencies were recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(ring_benches::latency::Latencies::default().count(), 0);
    /// ```
    pub fn count(&self) -> u64 {
        self.0.len()
    }
}

/// The percentiles the reports show: name and quantile.
pub const PERCENTILES: [(&str, f64); 4] =
    [("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999), ("max", 1.0)];
