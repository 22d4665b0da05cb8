//! The trade-off of the spin policy of ring-park and ring-async: for spin
//! lengths from none to 100 µs, and the default (frugal, adaptive) policy,
//! the consumer's CPU on a stream paced at 10 000 items/s, the saturated
//! throughput on two pinned cores, and the round trip. Interleaved rep by
//! rep; prints medians with their range.
//!
//! `cargo run --release -p ring-benches --bin spin_tradeoff -- [REPS]`

use std::time::Duration;

use ring_benches::queues::{FRUGAL_SPIN, RingParkSpin};
use ring_benches::streams::{Feed, OnThreads, ToTask, paced, saturated};
use ring_benches::tasks::{RingAsyncSpin, round_trip_tasks};
use ring_benches::{Placement, Workload, round_trip};

/// One policy's measurement: consumer CPU (% of a core) at 10 000
/// items/s, saturated M items/s, round trip in ns.
type Measure = fn() -> [f64; 3];

const CAPACITY: usize = 1024;
const TRIPS: u64 = 20_000;

/// The three figures of one policy: `F` is the paced and saturated
/// stream's setup, `round_trip` the round-trip workload of the same ring.
fn measure<F: Feed>(round_trip: Workload) -> [f64; 3] {
    let paced = paced::<F>(
        10_000,
        Duration::from_secs(1),
        CAPACITY,
        Placement::unpinned(),
    );
    let cpu = paced.percent_of_core(paced.consumer_cpu.unwrap_or_default());
    let stream = saturated::<F>(Duration::from_millis(300), CAPACITY, Placement::pinned(), 0);
    let trip = round_trip(CAPACITY, TRIPS, Placement::pinned());
    [
        cpu,
        stream.million_items_per_second(),
        trip.as_nanos() as f64 / TRIPS as f64,
    ]
}

/// ring-park spinning `MICROS` µs, on two threads.
fn park<const MICROS: u64>() -> [f64; 3] {
    measure::<OnThreads<RingParkSpin<MICROS>>>(round_trip::<RingParkSpin<MICROS>, u64>)
}

/// ring-async spinning `MICROS` µs: a thread feeding a task, and two tasks
/// of a 2-worker runtime for the round trip.
fn task<const MICROS: u64>() -> [f64; 3] {
    measure::<ToTask<RingAsyncSpin<MICROS>>>(round_trip_tasks::<RingAsyncSpin<MICROS>, u64>)
}

fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .map_or(3, |reps| reps.parse().expect("REPS is a number"));
    let points: [(&str, Measure); 12] = [
        ("ring-park, no spin", park::<0>),
        ("ring-park, 1 µs", park::<1>),
        ("ring-park, frugal (default)", park::<FRUGAL_SPIN>),
        ("ring-park, 16 µs", park::<16>),
        ("ring-park, 50 µs", park::<50>),
        ("ring-park, 100 µs (low latency)", park::<100>),
        ("ring-async, no spin", task::<0>),
        ("ring-async, 1 µs", task::<1>),
        ("ring-async, frugal (default)", task::<FRUGAL_SPIN>),
        ("ring-async, 16 µs", task::<16>),
        ("ring-async, 50 µs", task::<50>),
        ("ring-async, 100 µs (low latency)", task::<100>),
    ];
    let mut figures = vec![Vec::new(); points.len()];
    for rep in 0..reps {
        for offset in 0..points.len() {
            let index = (rep + offset) % points.len();
            figures[index].push((points[index].1)());
        }
    }
    println!(
        "| policy | consumer CPU at 10 000 items/s, % of a core | saturated, M items/s | round trip, ns |"
    );
    println!("|---|---|---|---|");
    for ((name, _), samples) in points.iter().zip(&figures) {
        let column = |index: usize| {
            let mut values: Vec<f64> = samples.iter().map(|sample| sample[index]).collect();
            values.sort_by(f64::total_cmp);
            format!(
                "{:.3} [{:.3}–{:.3}]",
                values[values.len() / 2],
                values[0],
                values[values.len() - 1]
            )
        };
        println!("| {name} | {} | {} | {} |", column(0), column(1), column(2));
    }
}
