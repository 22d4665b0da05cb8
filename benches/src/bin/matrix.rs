//! The benchmark matrix runner that `cargo xtask bench` drives: one build
//! variant (allocator, ablations) per invocation, every point of that
//! variant measured rep by rep in an order shuffled per rep (from
//! `--seed`), each a steady-state sample (see `ring_benches::steady`)
//! whose measured run sits between two cache-line probes, written as JSON lines for the xtask's
//! report. The xtask runs one rep per invocation and alternates the
//! variants, so that their samples pair up by rep.
//!
//! `matrix --variant NAME --out FILE [--quick] [--reps N] [--first-rep N]
//! [--seed N] [--filter PATTERN]`
//!
//! Variants: `default` (every implementation, every item type, capacity
//! and pinning), `jemalloc` (built with `--features jemalloc`), `unpadded`
//! and `uncached` (built with the ring-core ablation flags,
//! `--cfg ring_ablation_unpadded_indices` and
//! `--cfg ring_ablation_uncached_indices`).

use std::io::{IsTerminal, Write as _};
use std::time::{Duration, Instant};

use ring_benches::items::Words;
use ring_benches::latency::PERCENTILES;
use ring_benches::probe::probed;
use ring_benches::runner::{Args, SampleLine, shuffle};
use ring_benches::steady::{Timing, calibrate};
use ring_benches::{Contender, Placement, Workload};

#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The flavours of this workspace, which the ablation variants measure.
const OURS: [&str; 3] = ["ring-spin", "ring-park", "ring-async"];

/// The capacity of every point but the capacity dimension's.
const BASE_CAPACITY: usize = 1024;

/// One point of the matrix: an implementation moving one item type through
/// one capacity, placed one way; measured for both workloads.
struct Point {
    contender: Contender,
    capacity: usize,
    pinned: bool,
}

impl Point {
    /// Whether the round-trip latency percentiles are measured here: at the
    /// headline point (u64, the base capacity, pinned) of the default build.
    fn measures_latency(&self, variant: &str) -> bool {
        variant == "default"
            && self.contender.item == "u64"
            && self.capacity == BASE_CAPACITY
            && self.pinned
    }

    fn label(&self) -> String {
        format!(
            "{} {} cap {} {}",
            self.contender.name,
            self.contender.item,
            self.capacity,
            if self.pinned { "pinned" } else { "unpinned" }
        )
    }
}

/// The points of `variant`.
fn points(variant: &str) -> Vec<Point> {
    let base = |contender: Contender| Point {
        contender,
        capacity: BASE_CAPACITY,
        pinned: true,
    };
    let mut points = Vec::new();
    match variant {
        "default" => {
            points.extend(Contender::all_with_batches().into_iter().map(base));
            for contenders in [
                Contender::all::<u8>(),
                Contender::all::<Words<8>>(),
                Contender::all::<Words<32>>(),
                Contender::all::<String>(),
            ] {
                points.extend(contenders.into_iter().map(base));
            }
            for capacity in [64, 65_536] {
                points.extend(Contender::all::<u64>().into_iter().map(|contender| Point {
                    contender,
                    capacity,
                    pinned: true,
                }));
            }
            points.extend(Contender::all::<u64>().into_iter().map(|contender| Point {
                contender,
                capacity: BASE_CAPACITY,
                pinned: false,
            }));
        }
        "jemalloc" => {
            points.extend(Contender::all::<u64>().into_iter().map(base));
            points.extend(Contender::all::<String>().into_iter().map(base));
        }
        "unpadded" | "uncached" => {
            points.extend(
                Contender::all::<u64>()
                    .into_iter()
                    .filter(|contender| OURS.contains(&contender.name))
                    .map(base),
            );
        }
        other => panic!("no variant is named {other:?}"),
    }
    points
}

/// One workload as the runner measures it.
#[derive(Clone, Copy)]
struct WorkloadRun {
    name: &'static str,
    /// The contender's function for it, if the contender has one.
    pick: fn(&Contender) -> Option<Workload>,
    /// Items or round trips of the first warm-up run.
    first_count: u64,
    unit: &'static str,
}

const WORKLOADS: [WorkloadRun; 4] = [
    WorkloadRun {
        name: "throughput",
        pick: |c| Some(c.throughput),
        first_count: 1024,
        unit: "M items/s",
    },
    WorkloadRun {
        name: "round trip",
        pick: |c| Some(c.round_trip),
        first_count: 64,
        unit: "ns",
    },
    WorkloadRun {
        name: "batch throughput",
        pick: |c| c.batch,
        first_count: 1024,
        unit: "M items/s",
    },
    WorkloadRun {
        name: "working-producer throughput",
        pick: |c| c.working_producer,
        first_count: 1024,
        unit: "M items/s",
    },
];

struct Options {
    variant: String,
    out: String,
    reps: usize,
    first_rep: usize,
    seed: u64,
    timing: Timing,
    filter: Option<String>,
}

fn options() -> Options {
    let args = Args::parse();
    Options {
        variant: args.variant.expect("--variant is required"),
        out: args.out,
        reps: args.reps.unwrap_or(if args.quick { 1 } else { 12 }),
        first_rep: args.first_rep,
        seed: args.seed.unwrap_or(0),
        timing: if args.quick {
            Timing::QUICK
        } else {
            Timing::FULL
        },
        filter: args.filter,
    }
}

fn main() {
    let options = options();
    // A build whose ablation flags got lost (or were set by accident)
    // would measure the wrong ring under the variant's name.
    assert_eq!(
        (
            cfg!(ring_ablation_unpadded_indices),
            cfg!(ring_ablation_uncached_indices)
        ),
        (options.variant == "unpadded", options.variant == "uncached"),
        "the {} build has the wrong ring-core ablation flags",
        options.variant
    );
    let mut points = points(&options.variant);
    if let Some(filter) = &options.filter {
        points.retain(|point| point.label().contains(filter.as_str()));
    }
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&options.out)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", options.out)),
    );
    let total = options.reps
        * points
            .iter()
            .map(|point| {
                WORKLOADS
                    .iter()
                    .filter(|workload| (workload.pick)(&point.contender).is_some())
                    .count()
                    + usize::from(point.measures_latency(&options.variant))
            })
            .sum::<usize>();
    let started = Instant::now();
    let mut done = 0;
    for rep in options.first_rep..options.first_rep + options.reps {
        let mut order: Vec<&Point> = points.iter().collect();
        shuffle(&mut order, options.seed, rep);
        for point in order {
            let placement = if point.pinned {
                Placement::pinned()
            } else {
                Placement::unpinned()
            };
            let described = placement.describe();
            // What every figure of this point's samples shares.
            let point_line = SampleLine {
                variant: &options.variant,
                workload: "",
                implementation: point.contender.name,
                item: point.contender.item,
                capacity: point.capacity,
                pinned: point.pinned,
                placement: &described,
                rep,
                value: 0.0,
                unit: "",
                probe_ns: 0.0,
                seconds: 0.0,
            };
            for workload in WORKLOADS {
                let Some(run) = (workload.pick)(&point.contender) else {
                    continue;
                };
                let begun = Instant::now();
                let count = calibrate(
                    |count| run(point.capacity, count, placement),
                    workload.first_count,
                    options.timing,
                );
                // The probes bracket the measured run alone.
                let sample = probed(Placement::pinned(), || {
                    run(point.capacity, count, placement)
                });
                let value = match workload.unit {
                    "ns" => sample.value.as_nanos() as f64 / count as f64,
                    _ => count as f64 / sample.value.as_secs_f64() / 1e6,
                };
                let line = SampleLine {
                    workload: workload.name,
                    value,
                    unit: workload.unit,
                    probe_ns: sample.probe_ns,
                    seconds: begun.elapsed().as_secs_f64(),
                    ..point_line
                }
                .to_json();
                writeln!(out, "{line}").expect("writing the results");
                done += 1;
                report_progress(&options.variant, done, total, started, || {
                    format!("{}: {}", workload.name, point.label())
                });
            }
            if point.measures_latency(&options.variant) {
                let run = point.contender.round_trip_latency;
                let begun = Instant::now();
                let count = calibrate(
                    |count| run(point.capacity, count, placement).0,
                    64,
                    options.timing,
                );
                let sample = probed(Placement::pinned(), || {
                    run(point.capacity, count, placement).1
                });
                let seconds = begun.elapsed().as_secs_f64();
                for (name, quantile) in PERCENTILES {
                    let line = SampleLine {
                        workload: &format!("round-trip latency {name}"),
                        value: sample.value.quantile_ns(quantile) as f64,
                        unit: "ns",
                        probe_ns: sample.probe_ns,
                        seconds,
                        ..point_line
                    }
                    .to_json();
                    writeln!(out, "{line}").expect("writing the results");
                }
                done += 1;
                report_progress(&options.variant, done, total, started, || {
                    format!("round-trip latency: {}", point.label())
                });
            }
        }
    }
    out.flush().expect("writing the results");
}

/// Shows which point ran, how many are left and about how long they take:
/// on one rewritten line in a terminal, every tenth of the run otherwise
/// (CI logs).
fn report_progress(
    variant: &str,
    done: usize,
    total: usize,
    started: Instant,
    point: impl FnOnce() -> String,
) {
    let left = started
        .elapsed()
        .mul_f64((total - done) as f64 / done as f64);
    let line = format!(
        "[{variant}] {done}/{total} {:<56} about {} left",
        point(),
        format_duration(left)
    );
    if std::io::stderr().is_terminal() {
        eprint!("\r{line}   ");
        if done == total {
            eprintln!();
        }
    } else if done == total || done % total.div_ceil(10) == 0 {
        eprintln!("{line}");
    }
}

fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 60 {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds}s")
    }
}
