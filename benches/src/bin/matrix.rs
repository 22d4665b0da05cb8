//! The benchmark matrix runner that `cargo xtask bench` drives: one build
//! variant (allocator, ablations) per invocation, every point of that
//! variant measured rep by rep with the order rotating, each sample between
//! two cache-line probes, written as JSON lines for the xtask's report.
//!
//! `matrix --variant NAME --out FILE [--quick] [--reps N] [--filter PATTERN]`
//!
//! Variants: `default` (every implementation, every item type, capacity
//! and pinning), `jemalloc` (built with `--features jemalloc`), `unpadded`
//! and `uncached` (built with the ring-core ablation features).

use std::io::{IsTerminal, Write as _};
use std::time::{Duration, Instant};

use ring_benches::items::Words;
use ring_benches::probe::probed;
use ring_benches::runner::{Args, SampleLine};
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
    /// Items or round trips per sample.
    count: u64,
    unit: &'static str,
}

/// The sizes of one run.
struct Sizes {
    reps: usize,
    items: u64,
    trips: u64,
}

struct Options {
    variant: String,
    out: String,
    sizes: Sizes,
    filter: Option<String>,
}

fn options() -> Options {
    let args = Args::parse();
    let sizes = if args.quick {
        Sizes {
            reps: args.reps.unwrap_or(1),
            items: 2_000,
            trips: 20,
        }
    } else {
        Sizes {
            reps: args.reps.unwrap_or(15),
            items: 500_000,
            trips: 5_000,
        }
    };
    Options {
        variant: args.variant.expect("--variant is required"),
        out: args.out,
        sizes,
        filter: args.filter,
    }
}

fn main() {
    let options = options();
    let mut points = points(&options.variant);
    if let Some(filter) = &options.filter {
        points.retain(|point| point.label().contains(filter.as_str()));
    }
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&options.out)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", options.out)),
    );
    let Sizes { reps, items, trips } = options.sizes;
    let workloads = [
        WorkloadRun {
            name: "throughput",
            pick: |c| Some(c.throughput),
            count: items,
            unit: "M items/s",
        },
        WorkloadRun {
            name: "round trip",
            pick: |c| Some(c.round_trip),
            count: trips,
            unit: "ns",
        },
        WorkloadRun {
            name: "batch throughput",
            pick: |c| c.batch,
            count: items,
            unit: "M items/s",
        },
    ];
    let total = reps
        * points
            .iter()
            .map(|point| {
                workloads
                    .iter()
                    .filter(|workload| (workload.pick)(&point.contender).is_some())
                    .count()
            })
            .sum::<usize>();
    let started = Instant::now();
    let mut done = 0;
    for rep in 0..reps {
        for offset in 0..points.len() {
            let point = &points[(rep + offset) % points.len()];
            let placement = if point.pinned {
                Placement::pinned()
            } else {
                Placement::unpinned()
            };
            for WorkloadRun {
                name: workload,
                pick,
                count,
                unit,
            } in workloads
            {
                let Some(run) = pick(&point.contender) else {
                    continue;
                };
                let sample = probed(Placement::pinned(), || {
                    run(point.capacity, count, placement)
                });
                let value = match unit {
                    "ns" => sample.value.as_nanos() as f64 / count as f64,
                    _ => count as f64 / sample.value.as_secs_f64() / 1e6,
                };
                let line = SampleLine {
                    variant: &options.variant,
                    workload,
                    implementation: point.contender.name,
                    item: point.contender.item,
                    capacity: point.capacity,
                    pinned: point.pinned,
                    placement: &placement.describe(),
                    rep,
                    value,
                    unit,
                    probe_ns: sample.probe_ns,
                }
                .to_json();
                writeln!(out, "{line}").expect("writing the results");
                done += 1;
                report_progress(&options.variant, done, total, started, || {
                    format!("{workload}: {}", point.label())
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
