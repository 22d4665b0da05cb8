//! Interleaved head-to-head comparison for noisy machines: rep 1 of every
//! implementation, then rep 2, and so on, with the order rotating from rep
//! to rep, so that a slow second of the machine hits all of them alike.
//! Each sample sits between two cache-line ping-pong probes; samples whose
//! probe was more than 1.5 times the first quartile of all the run's probes
//! were taken while the machine was slow and are set aside (the count is
//! printed). Prints
//! medians of the other samples with their interquartile range, and for
//! chosen pairs the median (and interquartile range) of each rep's ratio,
//! over the reps where both samples were fast, which cancels most of the
//! machine's drift.
//!
//! `cargo run --release -p ring-benches --bin compare -- [REPS] [ITEMS] [NAME...]`
//!
//! With names, only those implementations run.

use std::time::Duration;

use ring_benches::probe::{Probed, probed, slow_limit};
use ring_benches::{Contender, Placement, Workload};

/// How much slower than the run's first quartile a probe may be before its
/// sample is set aside.
const SLOW_FACTOR: f64 = 1.5;

const CAPACITY: usize = 1024;

/// The median and quartiles of some figures.
struct Summary {
    first_quartile: f64,
    median: f64,
    third_quartile: f64,
}

/// The value at fraction `rank` (0 to 1) of sorted `values`, interpolating
/// linearly between neighbours.
fn quantile(sorted: &[f64], rank: f64) -> f64 {
    let position = rank * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64)
}

fn summary(values: &[f64]) -> Summary {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Summary {
        first_quartile: quantile(&sorted, 0.25),
        median: quantile(&sorted, 0.5),
        third_quartile: quantile(&sorted, 0.75),
    }
}

/// Runs `workload` of every contender `reps` times, rotating the order,
/// and returns each contender's figures (`to_figure` of the elapsed time),
/// each with its probe.
fn interleave(
    contenders: &[Contender],
    reps: usize,
    count: u64,
    workload: fn(&Contender) -> Workload,
    to_figure: impl Fn(Duration) -> f64,
) -> Vec<Vec<Probed<f64>>> {
    let placement = Placement::pinned();
    let mut figures = vec![Vec::with_capacity(reps); contenders.len()];
    for rep in 0..reps {
        for offset in 0..contenders.len() {
            let index = (rep + offset) % contenders.len();
            let sample = probed(placement, || {
                to_figure(workload(&contenders[index])(CAPACITY, count, placement))
            });
            figures[index].push(sample);
        }
    }
    figures
}

/// The pairs whose per-rep ratio the report gives: each flavour against
/// the implementation its issue measures it by.
const PAIRS: [(&str, &str); 9] = [
    ("ring-spin", "rtrb"),
    ("ring-park", "ring-spin"),
    ("ring-park", "std sync_channel"),
    ("ring-park", "crossbeam-channel bounded"),
    ("crossbeam-channel bounded", "std sync_channel"),
    ("ring-async", "kanal bounded_async"),
    ("ring-async", "tokio mpsc"),
    ("kanal bounded_async", "tokio mpsc"),
    ("ring-async 2×1", "kanal bounded_async 2×1"),
];

/// Prints every contender's figures taken while the machine was fast, then
/// the per-rep ratio of each pair over the reps where both were.
fn report(what: &str, contenders: &[Contender], figures: &[Vec<Probed<f64>>], limit: f64) {
    let probes: Vec<f64> = figures
        .iter()
        .flatten()
        .map(|sample| sample.probe_ns)
        .collect();
    let fast = |sample: &Probed<f64>| sample.probe_ns <= limit;
    let set_aside = figures
        .iter()
        .flatten()
        .filter(|sample| !fast(sample))
        .count();
    let probe = summary(&probes);
    println!(
        "{what}: median [interquartile range] of {} reps; cache-line round trip {:.0} ns \
         [{:.0}-{:.0}], {set_aside} of {} samples set aside (probe above {limit:.0} ns)",
        figures[0].len(),
        probe.median,
        probe.first_quartile,
        probe.third_quartile,
        probes.len(),
    );
    for (contender, samples) in contenders.iter().zip(figures) {
        let values: Vec<f64> = samples
            .iter()
            .filter(|s| fast(s))
            .map(|s| s.value)
            .collect();
        if values.is_empty() {
            println!("  {:<12} (every sample set aside)", contender.name);
            continue;
        }
        let figure = summary(&values);
        println!(
            "  {:<12} {:>9.2} [{:.2}-{:.2}] of {}",
            contender.name,
            figure.median,
            figure.first_quartile,
            figure.third_quartile,
            values.len(),
        );
    }
    let index_of = |name: &str| {
        contenders
            .iter()
            .position(|contender| contender.name == name)
    };
    for (ours, theirs) in PAIRS {
        let (Some(ours_index), Some(theirs_index)) = (index_of(ours), index_of(theirs)) else {
            continue;
        };
        let ratios: Vec<f64> = figures[ours_index]
            .iter()
            .zip(&figures[theirs_index])
            .filter(|(ours, theirs)| fast(ours) && fast(theirs))
            .map(|(ours, theirs)| ours.value / theirs.value)
            .collect();
        if ratios.is_empty() {
            println!("  {ours} / {theirs}: no rep where both were fast");
            continue;
        }
        let ratio = summary(&ratios);
        println!(
            "  {ours} / {theirs}: {:.3} [{:.3}-{:.3}] of {} reps",
            ratio.median,
            ratio.first_quartile,
            ratio.third_quartile,
            ratios.len(),
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let reps: usize = args
        .next()
        .map_or(21, |arg| arg.parse().expect("REPS is a number"));
    let items: u64 = args
        .next()
        .map_or(2_000_000, |arg| arg.parse().expect("ITEMS is a number"));
    let chosen: Vec<String> = args.collect();
    let contenders: Vec<Contender> = Contender::all::<u64>()
        .into_iter()
        .filter(|contender| chosen.is_empty() || chosen.iter().any(|name| name == contender.name))
        .collect();
    assert!(
        !contenders.is_empty(),
        "no implementation is named {chosen:?}"
    );
    println!(
        "u64 items, capacity {CAPACITY}, {}, {reps} interleaved reps; \
         async implementations as two tasks of a tokio runtime with 2 workers",
        Placement::pinned().describe()
    );

    let throughputs = interleave(
        &contenders,
        reps,
        items,
        |c| c.throughput,
        |elapsed| items as f64 / elapsed.as_secs_f64() / 1e6,
    );
    // std's channel parks on every hop (about 90 us here), so round trips
    // are fewer than items.
    let trips = (items / 100).max(1);
    let round_trips = interleave(
        &contenders,
        reps,
        trips,
        |c| c.round_trip,
        |elapsed| elapsed.as_nanos() as f64 / trips as f64,
    );
    let probes: Vec<f64> = throughputs
        .iter()
        .chain(&round_trips)
        .flatten()
        .map(|sample| sample.probe_ns)
        .collect();
    let limit = slow_limit(&probes, SLOW_FACTOR);
    report(
        "throughput, million items/s (higher is better)",
        &contenders,
        &throughputs,
        limit,
    );
    report(
        "round trip, ns (lower is better)",
        &contenders,
        &round_trips,
        limit,
    );
}
