//! The samples of a benchmark run and the figures the report derives from
//! them: medians with their spread over the samples taken while the
//! machine was fast, and ratios within the same rep.

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

/// The probe limit of each variant, and marks the samples above it slow.
/// Each variant is its own run, so each gets its own limit.
pub fn mark_slow_samples(samples: &mut [Sample]) -> BTreeMap<String, f64> {
    let mut probes: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for sample in samples.iter() {
        probes
            .entry(sample.key.variant.clone())
            .or_default()
            .push(sample.probe_ns);
    }
    let limits: BTreeMap<String, f64> = probes
        .into_iter()
        .map(|(variant, mut values)| {
            values.sort_by(f64::total_cmp);
            (variant, values[values.len() / 4] * SLOW_FACTOR)
        })
        .collect();
    for sample in samples.iter_mut() {
        sample.slow = sample.probe_ns > limits[&sample.key.variant];
    }
    limits
}

/// A point's figure: the median of its fast samples with their range.
#[derive(Clone, Copy, Debug)]
pub struct Figure {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// How many samples were taken while the machine was fast; when none
    /// was, the figure is made of the slow ones, and the report says so.
    pub fast: usize,
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
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let figure = Figure {
                median: median(&mut values),
                min,
                max,
                fast: samples.len() - slow,
            };
            (key, figure)
        })
        .collect()
}

/// The per-rep ratio of point `ours` to point `theirs` (same run, same
/// rep, both fast): its median and range, or `None` without such a rep.
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
    let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let max = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let fast = ratios.len();
    Some(Figure {
        median: median(&mut ratios),
        min,
        max,
        fast,
    })
}
