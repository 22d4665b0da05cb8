//! The report's sections on what waiting costs: paced streams, shared
//! cores and the CPU time per item of a saturated stream, from the
//! `waiting` variant's samples, and the advice they support.

use super::{Measured, SAME, Section, Table, Wording, compare, key, ratio_cell, short};
use crate::bench_stats::{Figure, Key, Sample, ratio};

/// The variant the waiting workloads are written under.
const VARIANT: &str = "waiting";
/// The rates of the paced streams, items per second.
const RATES: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];
/// How many busy threads compete on shared cores.
const BUSY: [u64; 3] = [1, 2, 4];
/// Each flavour that waits and the peers its figures are held against.
const PEERS: [(&str, &[&str]); 2] = [
    (
        "ring-park",
        &["std sync_channel", "crossbeam-channel bounded"],
    ),
    ("ring-async", &["kanal bounded_async", "tokio mpsc"]),
];
fn point(workload: &str, implementation: &str, pinned: bool) -> Key {
    key(VARIANT, workload, implementation, "u64", 1024, pinned)
}

/// The same-rep ratio of `ours` to `theirs` at an unpinned `workload`.
fn same_rep(samples: &[Sample], workload: &str, ours: &str, theirs: &str) -> Option<Figure> {
    ratio(
        samples,
        &point(workload, ours, false),
        &point(workload, theirs, false),
    )
}

/// A ratio column's cell: `name`'s same-rep ratio to the peer it is held
/// against, or nothing for an implementation without one.
fn peer_ratio_cell(samples: &[Sample], workload: &str, name: &str) -> String {
    reference(name).map_or_else(String::new, |peer| {
        let against = same_rep(samples, workload, name, peer);
        format!("{} (to {peer})", ratio_cell(against.as_ref()))
    })
}

/// The implementations of the waiting workloads, in the order measured.
fn names(samples: &[Sample]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for sample in samples.iter().filter(|s| s.key.variant == VARIANT) {
        if !names.contains(&sample.key.implementation) {
            names.push(sample.key.implementation.clone());
        }
    }
    names
}

/// The peer `name`'s figures are held against in ratio columns.
fn reference(name: &str) -> Option<&'static str> {
    PEERS
        .iter()
        .find(|(ours, _)| *ours == name)
        .map(|(_, peers)| peers[0])
}

fn paced_workload(rate: u64, what: &str) -> String {
    format!("paced {rate}/s: {what}")
}

/// The paced streams: one table per rate.
pub fn paced(samples: &[Sample], figures: &Measured) -> Section {
    let names = names(samples);
    let mut tables = Vec::new();
    for rate in RATES {
        let mut rows = Vec::new();
        let mut chart = Vec::new();
        for name in &names {
            let consumer = point(&paced_workload(rate, "consumer CPU"), name, false);
            let Some(figure) = figures.get(&consumer) else {
                continue;
            };
            chart.push((name.clone(), *figure));
            let mut row = vec![
                name.clone(),
                figures.cell(&consumer),
                peer_ratio_cell(samples, &paced_workload(rate, "consumer CPU"), name),
            ];
            for what in [
                "producer CPU",
                "machine busy",
                "latency p50",
                "latency p99",
                "latency p99.9",
                "latency max",
            ] {
                row.push(figures.cell(&point(&paced_workload(rate, what), name, false)));
            }
            rows.push(row);
        }
        tables.push(Table {
            title: format!("{rate} items/s"),
            headers: [
                "implementation",
                "consumer CPU, % of a core",
                "same-rep ratio",
                "producer CPU, %",
                "machine busy, % of a core",
                "latency p50, µs",
                "latency p99, µs",
                "latency p99.9, µs",
                "latency max, µs",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            chart,
            chart_unit: "consumer CPU, % of a core".into(),
        });
    }
    Section {
        title: "Paced streams: CPU time and latency".into(),
        text: "A plain producer thread sends at a fixed rate (sleeping until each item is due, so at high rates it sends the short bursts the timer's granularity makes); the consumer is a thread, or for the async implementations a task on a tokio current-thread runtime fed through the blocking send. Threads unpinned, capacity 1024. CPU is each thread's on-CPU time (`/proc/thread-self/schedstat`) over the stream's duration; machine busy is the whole machine's busy time from `/proc/stat` (10 ms ticks, so small values are coarse), which also counts the kernel's wake-up and idle work. Latency runs from each item's push to its pop, every item recorded in an HDR histogram (0.1 % precision); each cell is the median over the reps of that sample's percentile. ring-spin is the reference that never sleeps. Ratios are the median of each rep's ratio of the consumer's CPU to the named peer's, with the 95 % bootstrap interval of that median.".into(),
        tables,
    }
}

/// The saturated stream with busy threads competing for the cores.
pub fn shared_cores(samples: &[Sample], figures: &Measured) -> Section {
    let names = names(samples);
    let mut tables = Vec::new();
    for (suffix, title) in [
        (
            "",
            "producer a thread; consumer a thread, or a task on a current-thread runtime",
        ),
        (
            ", 2 workers",
            "both sides tasks of one 2-worker tokio runtime",
        ),
    ] {
        let mut rows = Vec::new();
        let mut chart = Vec::new();
        for name in &names {
            let mut row = vec![name.clone()];
            let mut any = false;
            for busy in BUSY {
                let workload = format!("shared cores +{busy}{suffix}");
                let ours = point(&workload, name, false);
                if let Some(figure) = figures.get(&ours) {
                    any = true;
                    if busy == 4 {
                        chart.push((name.clone(), *figure));
                    }
                }
                row.push(figures.cell(&ours));
                row.push(peer_ratio_cell(samples, &workload, name));
            }
            if any {
                rows.push(row);
            }
        }
        tables.push(Table {
            title: title.into(),
            headers: [
                "implementation",
                "+1 busy, M items/s",
                "ratio",
                "+2 busy",
                "ratio",
                "+4 busy",
                "ratio",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            chart,
            chart_unit: "M items/s with 4 busy threads".into(),
        });
    }
    Section {
        title: "Shared cores: more runnable threads than cores".into(),
        text: "The saturated stream (u64, capacity 1024, time-boxed, timed from the first item to the last), unpinned, while 1, 2 or 4 other threads spin on the machine's cores. Ratios are same-rep ratios to the named peer.".into(),
        tables,
    }
}

/// The CPU time per item of the saturated stream on two pinned cores.
pub fn cpu_per_item(samples: &[Sample], figures: &Measured) -> Section {
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for name in names(samples) {
        let cpu = point("saturated: CPU per item", &name, true);
        let Some(figure) = figures.get(&cpu) else {
            continue;
        };
        chart.push((name.clone(), *figure));
        rows.push(vec![
            name.clone(),
            figures.cell(&point("saturated", &name, true)),
            figures.cell(&cpu),
        ]);
    }
    Section {
        title: "CPU time per item of a saturated stream".into(),
        text: "The producer thread sends as fast as the ring takes items for a fixed time, the consumer (a thread, or a task on a current-thread runtime) pops; both pinned to their own cores. CPU per item is both threads' on-CPU time over the items moved.".into(),
        tables: vec![Table {
            title: "saturated, pinned".into(),
            headers: [
                "implementation",
                "throughput, M items/s",
                "CPU per item, ns (both sides)",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            chart,
            chart_unit: "ns of CPU per item".into(),
        }],
    }
}

/// Advice on the waiting flavours, from the waiting workloads' same-rep
/// ratios; nothing where the run did not measure them.
pub fn advice(samples: &[Sample]) -> Vec<String> {
    let mut advice = Vec::new();
    for (ours, peers) in PEERS {
        let mut clauses = Vec::new();
        for rate in [1_000, 10_000, 100_000] {
            let workload = paced_workload(rate, "consumer CPU");
            for peer in peers {
                if let Some(against) = same_rep(samples, &workload, ours, peer) {
                    clauses.push(format!(
                        "at {rate} items/s its consumer used {}",
                        compare(
                            &against,
                            &Wording {
                                less: "less CPU than",
                                more: "more CPU than",
                                same: "about as much CPU as",
                                undetected: "CPU not detectably different from",
                            },
                            &format!("{peer}'s"),
                        )
                    ));
                }
            }
        }
        for busy in [2, 4] {
            let workload = format!("shared cores +{busy}");
            let peer = peers[0];
            if let Some(against) = same_rep(samples, &workload, ours, peer) {
                clauses.push(format!(
                    "with {busy} busy threads on the cores it streamed at {}× {peer}'s rate",
                    short(against.median)
                ));
            }
        }
        if !clauses.is_empty() {
            advice.push(format!(
                "Paced streams and shared cores, **{ours}** (same-rep medians of this run): {}.",
                clauses.join("; ")
            ));
        }
    }
    if let (Some(spin), Some(park)) = (
        same_rep(
            samples,
            "paced 10000/s: consumer CPU",
            "ring-spin",
            "ring-park",
        ),
        same_rep(samples, "shared cores +4", "ring-park", "ring-spin"),
    ) {
        // The conclusion only where both ratios detectably favour
        // ring-park by more than the noise threshold.
        let parking_wins =
            |figure: &Figure| figure.enough_reps() && figure.median >= SAME && !figure.holds_one();
        let conclusion = if parking_wins(&spin) && parking_wins(&park) {
            ": choose ring-spin only where each side owns a core"
        } else {
            ""
        };
        advice.push(format!(
            "On a stream of 10 000 items/s ring-spin's consumer used {}, and on cores shared with 4 busy threads ring-park streamed at {}× ring-spin's rate{conclusion}.",
            compare(
                &spin,
                &Wording {
                    less: "less CPU than",
                    more: "more CPU than",
                    same: "about as much CPU as",
                    undetected: "CPU not detectably different from",
                },
                "ring-park's",
            ),
            short(park.median)
        ));
    }
    advice
}
