//! The samples of a benchmark run and the figures the report derives from
//! them: medians with their interquartile range over the samples taken
//! while the machine was fast, and ratios within the same rep with a
//! bootstrap interval of their median.

use std::collections::BTreeMap;

use serde_json::Value;

/// How much slower than the first quartile of its variant's probes a
/// sample's probe may be before the sample counts as taken while the
/// machine was slow.
const SLOW_FACTOR: f64 = 1.5;

/// One measured sample, as the matrix runner wrote it.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The point of the matrix it measures.
    pub key: Key,
    pub placement: String,
    pub rep: u64,
    pub value: f64,
    pub unit: String,
    pub probe_ns: f64,
    /// Set aside: taken while the machine was slow.
    pub slow: bool,
}

/// What identifies a point of the matrix (every sample of it shares it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub variant: String,
    pub workload: String,
    pub implementation: String,
    pub item: String,
    pub capacity: u64,
    pub pinned: bool,
}

impl Sample {
    /// Reads one sample from its JSON object.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let text = |field: &str| {
            value[field]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("sample without a text {field:?}: {value}"))
        };
        let number = |field: &str| {
            value[field]
                .as_f64()
                .ok_or_else(|| format!("sample without a number {field:?}: {value}"))
        };
        Ok(Self {
            key: Key {
                variant: text("variant")?,
                workload: text("workload")?,
                implementation: text("implementation")?,
                item: text("item")?,
                capacity: number("capacity")? as u64,
                pinned: value["pinned"]
                    .as_bool()
                    .ok_or_else(|| format!("sample without \"pinned\": {value}"))?,
            },
            placement: text("placement")?,
            rep: number("rep")? as u64,
            value: number("value")?,
            unit: text("unit")?,
            probe_ns: number("probe_ns")?,
            slow: value["slow"].as_bool().unwrap_or(false),
        })
    }

    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "variant": self.key.variant,
            "workload": self.key.workload,
            "implementation": self.key.implementation,
            "item": self.key.item,
            "capacity": self.key.capacity,
            "pinned": self.key.pinned,
            "placement": self.placement,
            "rep": self.rep,
            "value": self.value,
            "unit": self.unit,
            "probe_ns": self.probe_ns,
            "slow": self.slow,
        })
    }
}

/// The group of samples that share a probe limit: the matrix's build
/// variants run interleaved within one run and share one (a ratio between
/// two variants must judge both samples alike); the waiting workloads run
/// apart, with probes of their own.
pub fn probe_group(variant: &str) -> &'static str {
    if variant == "waiting" {
        "waiting"
    } else {
        "matrix"
    }
}

/// The probe limit of each probe group, and marks the samples above it
/// slow.
pub fn mark_slow_samples(samples: &mut [Sample]) -> BTreeMap<String, f64> {
    let mut probes: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for sample in samples.iter() {
        probes
            .entry(probe_group(&sample.key.variant).to_string())
            .or_default()
            .push(sample.probe_ns);
    }
    let limits: BTreeMap<String, f64> = probes
        .into_iter()
        .map(|(group, mut values)| {
            values.sort_by(f64::total_cmp);
            (group, values[values.len() / 4] * SLOW_FACTOR)
        })
        .collect();
    for sample in samples.iter_mut() {
        sample.slow = sample.probe_ns > limits[probe_group(&sample.key.variant)];
    }
    limits
}

/// A figure: a median with its spread and how many values it is made of.
#[derive(Clone, Copy, Debug)]
pub struct Figure {
    pub median: f64,
    /// The low end of the spread: a point's first quartile, or the 2.5th
    /// percentile of a ratio's bootstrapped median.
    pub low: f64,
    /// The high end: the third quartile, or the 97.5th percentile.
    pub high: f64,
    /// How many samples (or same-rep pairs) it is made of.
    pub n: usize,
    /// How many were taken while the machine was fast; when none was, the
    /// figure is made of the slow ones, and the report says so.
    pub fast: usize,
}

impl Figure {
    /// Whether a ratio's interval holds 1: the run cannot tell the two
    /// points apart.
    pub fn holds_one(&self) -> bool {
        self.low <= 1.0 && 1.0 <= self.high
    }

    /// Whether a ratio rests on enough reps for its interval to mean
    /// something: below [`MIN_REPS`] the interval is the plain range, and
    /// two or three ratios fall on one side of 1 by chance too often.
    pub fn enough_reps(&self) -> bool {
        self.n >= MIN_REPS
    }
}

/// The `q` quantile (0 to 1) of sorted `values`, interpolated linearly.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64)
}

/// The fewest same-rep ratios a verdict (a difference, or none) is drawn
/// from.
pub const MIN_REPS: usize = 5;

/// How many resamples the bootstrap draws.
const RESAMPLES: usize = 2_000;

/// The 95 % percentile-bootstrap interval of the median of `values`, from
/// a fixed seed so that a report is reproducible from its samples. With
/// fewer than [`MIN_REPS`] values a bootstrap says little, and the range
/// stands in.
fn bootstrap_median_interval(values: &[f64]) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if values.len() < MIN_REPS {
        return (sorted[0], sorted[sorted.len() - 1]);
    }
    let mut state: u64 = 0x5EED;
    let mut next_index = || {
        // SplitMix64.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % values.len() as u64) as usize
    };
    let mut medians: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            let mut resample: Vec<f64> = (0..values.len()).map(|_| values[next_index()]).collect();
            median(&mut resample)
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    (quantile(&medians, 0.025), quantile(&medians, 0.975))
}

/// The median of `values`, which must not be empty.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

/// The figures of every point, over the samples not set aside (over all of
/// them when every sample of a point was set aside, which the counts show).
pub fn figures(samples: &[Sample]) -> BTreeMap<Key, Figure> {
    let mut by_key: BTreeMap<Key, Vec<&Sample>> = BTreeMap::new();
    for sample in samples {
        by_key.entry(sample.key.clone()).or_default().push(sample);
    }
    by_key
        .into_iter()
        .map(|(key, samples)| {
            let slow = samples.iter().filter(|sample| sample.slow).count();
            let mut values: Vec<f64> = samples
                .iter()
                .filter(|sample| !sample.slow || slow == samples.len())
                .map(|sample| sample.value)
                .collect();
            let n = values.len();
            let median = median(&mut values);
            let figure = Figure {
                median,
                low: quantile(&values, 0.25),
                high: quantile(&values, 0.75),
                n,
                fast: samples.len() - slow,
            };
            (key, figure)
        })
        .collect()
}

/// The per-rep ratio of point `ours` to point `theirs` (same run, same
/// rep, both fast): its median with the bootstrap interval of that median,
/// or `None` without such a rep.
pub fn ratio(samples: &[Sample], ours: &Key, theirs: &Key) -> Option<Figure> {
    let by_rep = |key: &Key| -> BTreeMap<u64, f64> {
        samples
            .iter()
            .filter(|sample| !sample.slow && &sample.key == key)
            .map(|sample| (sample.rep, sample.value))
            .collect()
    };
    let theirs = by_rep(theirs);
    let mut ratios: Vec<f64> = by_rep(ours)
        .into_iter()
        .filter_map(|(rep, value)| theirs.get(&rep).map(|other| value / other))
        .collect();
    if ratios.is_empty() {
        return None;
    }
    let (low, high) = bootstrap_median_interval(&ratios);
    let n = ratios.len();
    Some(Figure {
        median: median(&mut ratios),
        low,
        high,
        n,
        fast: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&sorted, 0.25), 2.0);
        assert_eq!(quantile(&sorted, 0.5), 3.0);
        assert_eq!(quantile(&[1.0, 2.0], 0.75), 1.75);
        assert_eq!(quantile(&[7.0], 0.25), 7.0);
    }

    #[test]
    fn bootstrap_interval_brackets_the_median_and_tells_apart() {
        let close = [0.97, 1.02, 0.99, 1.04, 1.0, 0.98, 1.03];
        let (low, high) = bootstrap_median_interval(&close);
        assert!(low <= 1.0 && 1.0 <= high, "[{low}, {high}]");
        let apart = [1.4, 1.5, 1.45, 1.6, 1.38, 1.52, 1.47];
        let (low, high) = bootstrap_median_interval(&apart);
        assert!(1.0 < low && low <= 1.47 && 1.47 <= high, "[{low}, {high}]");
    }

    #[test]
    fn few_values_give_their_range() {
        assert_eq!(bootstrap_median_interval(&[1.2, 0.9, 1.1]), (0.9, 1.2));
    }
}
