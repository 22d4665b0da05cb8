//! Interleaved head-to-head comparison of ring-spin and rtrb, for noisy
//! machines: rep 1 of every implementation, then rep 2, and so on, with
//! the order alternating, so that a slow second of the machine hits both
//! alike. Prints medians with their min–max spread, and the ratio of each
//! rep's pair, which cancels most of the machine's drift.
//!
//! `cargo run --release -p ring-benches --bin compare -- [REPS] [ITEMS]`

use std::time::Duration;

use ring_benches::queues::{RingSpin, Rtrb};
use ring_benches::{Placement, Queue, round_trip, throughput};

const CAPACITY: usize = 1024;

/// Median, minimum and maximum of `values`.
fn summary(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    let median = if values.len() % 2 == 0 {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    };
    (median, values[0], values[values.len() - 1])
}

fn per_item(elapsed: Duration, count: u64) -> f64 {
    elapsed.as_nanos() as f64 / count as f64
}

/// Measures `workload` for ring-spin and rtrb in alternating order,
/// returning nanoseconds per item (or per round trip) for each.
fn interleave(
    reps: usize,
    count: u64,
    ours: fn(u64) -> Duration,
    theirs: fn(u64) -> Duration,
) -> (Vec<f64>, Vec<f64>) {
    let mut spin = Vec::with_capacity(reps);
    let mut rtrb = Vec::with_capacity(reps);
    for rep in 0..reps {
        let (a, b) = run_pair(ours, theirs, rep % 2 == 0, count);
        spin.push(per_item(a, count));
        rtrb.push(per_item(b, count));
    }
    (spin, rtrb)
}

fn run_pair(
    ours: fn(u64) -> Duration,
    theirs: fn(u64) -> Duration,
    ours_first: bool,
    count: u64,
) -> (Duration, Duration) {
    if ours_first {
        let a = ours(count);
        (a, theirs(count))
    } else {
        let b = theirs(count);
        (ours(count), b)
    }
}

/// Prints both implementations' figures and the per-rep ratio
/// ring-spin / rtrb of the values given (rates or times).
fn report(what: &str, unit: &str, spin: &[f64], rtrb: &[f64], ratio_meaning: &str) {
    let ratios: Vec<f64> = spin
        .iter()
        .zip(rtrb)
        .map(|(ours, theirs)| ours / theirs)
        .collect();
    let (spin_median, spin_min, spin_max) = summary(&mut spin.to_vec());
    let (rtrb_median, rtrb_min, rtrb_max) = summary(&mut rtrb.to_vec());
    let (ratio_median, ratio_min, ratio_max) = summary(&mut ratios.clone());
    println!("{what} ({unit}, median [min-max] of {} reps)", spin.len());
    println!(
        "  {:<10} {spin_median:>8.2} [{spin_min:.2}-{spin_max:.2}]",
        RingSpin::NAME
    );
    println!(
        "  {:<10} {rtrb_median:>8.2} [{rtrb_min:.2}-{rtrb_max:.2}]",
        Rtrb::NAME
    );
    println!(
        "  per-rep ratio {ratio_meaning}: median {ratio_median:.3} [{ratio_min:.3}-{ratio_max:.3}]"
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let reps: usize = args
        .next()
        .map_or(21, |arg| arg.parse().expect("REPS is a number"));
    let items: u64 = args
        .next()
        .map_or(2_000_000, |arg| arg.parse().expect("ITEMS is a number"));
    let placement = Placement::pinned();
    println!(
        "u64 items, capacity {CAPACITY}, {}, {reps} interleaved reps",
        placement.describe()
    );

    let (spin, rtrb) = interleave(
        reps,
        items,
        |count| throughput::<RingSpin>(CAPACITY, count, Placement::pinned()),
        |count| throughput::<Rtrb>(CAPACITY, count, Placement::pinned()),
    );
    let to_rate = |values: &[f64]| values.iter().map(|ns| 1e3 / ns).collect::<Vec<_>>();
    report(
        "throughput",
        "million items/s",
        &to_rate(&spin),
        &to_rate(&rtrb),
        "ring-spin/rtrb (above 1: ring-spin faster)",
    );

    let trips = (items / 20).max(1);
    let (spin, rtrb) = interleave(
        reps,
        trips,
        |count| round_trip::<RingSpin>(CAPACITY, count, Placement::pinned()),
        |count| round_trip::<Rtrb>(CAPACITY, count, Placement::pinned()),
    );
    report(
        "round trip",
        "ns",
        &spin,
        &rtrb,
        "ring-spin/rtrb (below 1: ring-spin faster)",
    );
}
