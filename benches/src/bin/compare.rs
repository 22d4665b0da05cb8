//! Interleaved head-to-head comparison for noisy machines: rep 1 of every
//! implementation, then rep 2, and so on, with the order rotating from rep
//! to rep, so that a slow second of the machine hits all of them alike.
//! Prints medians with their interquartile range, and for chosen pairs the
//! median (and interquartile range) of each rep's ratio, which cancels most
//! of the machine's drift.
//!
//! `cargo run --release -p ring-benches --bin compare -- [REPS] [ITEMS] [NAME...]`
//!
//! With names, only those implementations run.

use std::time::Duration;

use ring_benches::{Contender, Placement, Workload};

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
/// and returns each contender's figures (`to_figure` of the elapsed time).
fn interleave(
    contenders: &[Contender],
    reps: usize,
    count: u64,
    workload: fn(&Contender) -> Workload,
    to_figure: impl Fn(Duration) -> f64,
) -> Vec<Vec<f64>> {
    let mut figures = vec![Vec::with_capacity(reps); contenders.len()];
    for rep in 0..reps {
        for offset in 0..contenders.len() {
            let index = (rep + offset) % contenders.len();
            let elapsed = workload(&contenders[index])(CAPACITY, count, Placement::pinned());
            figures[index].push(to_figure(elapsed));
        }
    }
    figures
}

/// The pairs whose per-rep ratio the report gives: each flavour against
/// the implementation its issue measures it by.
const PAIRS: [(&str, &str); 8] = [
    ("ring-spin", "rtrb"),
    ("ring-park", "ring-spin"),
    ("ring-park", "std-sync"),
    ("ring-park", "crossbeam"),
    ("crossbeam", "std-sync"),
    ("ring-async", "kanal-async"),
    ("ring-async", "tokio-mpsc"),
    ("kanal-async", "tokio-mpsc"),
];

/// Prints every contender's figures, then the per-rep ratio of each pair.
fn report(what: &str, contenders: &[Contender], figures: &[Vec<f64>]) {
    println!(
        "{what} (median [interquartile range] of {} reps)",
        figures[0].len()
    );
    for (contender, values) in contenders.iter().zip(figures) {
        let figure = summary(values);
        println!(
            "  {:<12} {:>9.2} [{:.2}-{:.2}]",
            contender.name, figure.median, figure.first_quartile, figure.third_quartile,
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
            .map(|(ours, theirs)| ours / theirs)
            .collect();
        let ratio = summary(&ratios);
        println!(
            "  {ours} / {theirs}: {:.3} [{:.3}-{:.3}]",
            ratio.median, ratio.first_quartile, ratio.third_quartile
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
    let contenders: Vec<Contender> = Contender::all()
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

    let figures = interleave(
        &contenders,
        reps,
        items,
        |c| c.throughput,
        |elapsed| items as f64 / elapsed.as_secs_f64() / 1e6,
    );
    report(
        "throughput, million items/s (higher is better)",
        &contenders,
        &figures,
    );

    // std's channel parks on every hop (about 90 us here), so round trips
    // are fewer than items.
    let trips = (items / 100).max(1);
    let figures = interleave(
        &contenders,
        reps,
        trips,
        |c| c.round_trip,
        |elapsed| elapsed.as_nanos() as f64 / trips as f64,
    );
    report("round trip, ns (lower is better)", &contenders, &figures);
}
