//! The waiting workloads that `cargo xtask bench` runs after the matrix:
//! paced streams (CPU time per item, machine busy time, delivery latency),
//! saturated streams on shared cores (with busy threads competing), and
//! the CPU time per item of a saturated stream on two pinned cores, and
//! the byte pipes ([`ring_benches::byte_pipes`]). Every
//! point is measured rep by rep with the order rotating, each sample
//! between two cache-line probes, and written as JSON lines in the
//! matrix's format (variant `waiting`), one line per figure.
//!
//! `waiting --out FILE [--quick] [--reps N] [--filter PATTERN]`
//! (see [`ring_benches::runner::Args`])

use std::io::Write as _;
use std::time::Duration;

use ring_benches::byte_pipes::{BytePipe, PIPE_BYTES};
use ring_benches::latency::PERCENTILES;
use ring_benches::probe::probed;
use ring_benches::runner::{Args, SampleLine};
use ring_benches::streams::{BusyThreads, Feeder};
use ring_benches::{Contender, Placement};

/// The rates of the paced streams, in items per second.
const RATES: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];
/// How many busy threads compete with a stream on shared cores.
const BUSY: [usize; 3] = [1, 2, 4];
/// The capacity of every ring here.
const CAPACITY: usize = 1024;
/// The async implementations whose two sides also run as tasks of one
/// 2-worker runtime on shared cores.
const TWO_WORKERS: [&str; 3] = ["ring-async", "kanal bounded_async", "tokio mpsc"];

struct Options {
    out: String,
    reps: usize,
    paced: Duration,
    saturated: Duration,
    /// Items per sample of the 2-worker runs, which are count-based.
    items: u64,
    /// Bytes per sample of the byte pipes.
    pipe_bytes: usize,
    filter: Option<String>,
}

fn options() -> Options {
    let args = Args::parse();
    let (default_reps, paced, saturated, items, pipe_bytes) = if args.quick {
        (
            1,
            Duration::from_millis(50),
            Duration::from_millis(20),
            20_000,
            1 << 20,
        )
    } else {
        (
            5,
            Duration::from_secs(1),
            Duration::from_millis(300),
            2_000_000,
            64 << 20,
        )
    };
    Options {
        out: args.out,
        reps: args.reps.unwrap_or(default_reps),
        paced,
        saturated,
        items,
        pipe_bytes,
        filter: args.filter,
    }
}

/// One figure of a sample, for the report.
struct Figure {
    workload: String,
    value: f64,
    unit: &'static str,
}

impl Figure {
    fn new(workload: impl Into<String>, value: f64, unit: &'static str) -> Self {
        Self {
            workload: workload.into(),
            value,
            unit,
        }
    }
}

/// One point: a label to filter and order by, and how to measure it.
struct Point {
    label: String,
    implementation: &'static str,
    /// The item type and capacity the figures are written under.
    item: &'static str,
    capacity: usize,
    pinned: bool,
    measure: Box<dyn Fn() -> Vec<Figure>>,
}

fn points(options: &Options) -> Vec<Point> {
    let mut points = Vec::new();
    for feeder in Feeder::all() {
        for rate in RATES {
            let duration = options.paced;
            points.push(Point {
                label: format!("{} paced {rate}/s", feeder.name),
                implementation: feeder.name,
                item: "u64",
                capacity: CAPACITY,
                pinned: false,
                measure: Box::new(move || {
                    let sample = (feeder.paced)(rate, duration, CAPACITY, Placement::unpinned());
                    let name = |what: &str| format!("paced {rate}/s: {what}");
                    let mut figures = Vec::new();
                    for (what, time) in [
                        ("consumer CPU", sample.consumer_cpu),
                        ("producer CPU", sample.producer_cpu),
                        ("machine busy", sample.machine_busy),
                    ] {
                        if let Some(time) = time {
                            figures.push(Figure::new(
                                name(what),
                                sample.percent_of_core(time),
                                "% of a core",
                            ));
                        }
                    }
                    for (what, quantile) in PERCENTILES {
                        let latency = sample.latency_quantile(quantile).as_nanos() as f64 / 1e3;
                        figures.push(Figure::new(name(&format!("latency {what}")), latency, "µs"));
                    }
                    figures
                }),
            });
        }
        for busy in BUSY {
            let duration = options.saturated;
            points.push(Point {
                label: format!("{} shared cores +{busy}", feeder.name),
                implementation: feeder.name,
                item: "u64",
                capacity: CAPACITY,
                pinned: false,
                measure: Box::new(move || {
                    let sample =
                        (feeder.saturated)(duration, CAPACITY, Placement::unpinned(), busy);
                    vec![Figure::new(
                        format!("shared cores +{busy}"),
                        sample.million_items_per_second(),
                        "M items/s",
                    )]
                }),
            });
        }
        let duration = options.saturated;
        points.push(Point {
            label: format!("{} saturated pinned", feeder.name),
            implementation: feeder.name,
            item: "u64",
            capacity: CAPACITY,
            pinned: true,
            measure: Box::new(move || {
                let sample = (feeder.saturated)(duration, CAPACITY, Placement::pinned(), 0);
                let mut figures = vec![Figure::new(
                    "saturated",
                    sample.million_items_per_second(),
                    "M items/s",
                )];
                if let Some(cpu) = sample.cpu_ns_per_item() {
                    figures.push(Figure::new("saturated: CPU per item", cpu, "ns"));
                }
                figures
            }),
        });
    }
    for contender in Contender::all::<u64>() {
        if !TWO_WORKERS.contains(&contender.name) {
            continue;
        }
        for busy in BUSY {
            let items = options.items;
            points.push(Point {
                label: format!("{} (2 workers) shared cores +{busy}", contender.name),
                implementation: contender.name,
                item: "u64",
                capacity: CAPACITY,
                pinned: false,
                measure: Box::new(move || {
                    let _busy = BusyThreads::start(busy);
                    let elapsed = (contender.throughput)(CAPACITY, items, Placement::unpinned());
                    vec![Figure::new(
                        format!("shared cores +{busy}, 2 workers"),
                        items as f64 / elapsed.as_secs_f64() / 1e6,
                        "M items/s",
                    )]
                }),
            });
        }
    }
    for pipe in BytePipe::all() {
        let bytes = options.pipe_bytes;
        points.push(Point {
            label: format!("{} byte pipe", pipe.name),
            implementation: pipe.name,
            item: "u8",
            capacity: PIPE_BYTES,
            pinned: false,
            measure: Box::new(move || {
                let elapsed = (pipe.copy)(bytes);
                vec![Figure::new(
                    "byte pipe",
                    bytes as f64 / elapsed.as_secs_f64() / f64::from(1 << 20),
                    "MiB/s",
                )]
            }),
        });
    }
    if let Some(filter) = &options.filter {
        points.retain(|point| point.label.contains(filter.as_str()));
    }
    points
}

fn main() {
    let options = options();
    let points = points(&options);
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&options.out)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", options.out)),
    );
    let total = options.reps * points.len();
    let mut done = 0;
    for rep in 0..options.reps {
        for offset in 0..points.len() {
            let point = &points[(rep + offset) % points.len()];
            let begun = std::time::Instant::now();
            let sample = probed(Placement::pinned(), || (point.measure)());
            let seconds = begun.elapsed().as_secs_f64();
            let placement = if point.pinned {
                Placement::pinned()
            } else {
                Placement::unpinned()
            };
            for figure in sample.value {
                let line = SampleLine {
                    variant: "waiting",
                    workload: &figure.workload,
                    implementation: point.implementation,
                    item: point.item,
                    capacity: point.capacity,
                    pinned: point.pinned,
                    placement: &placement.describe(),
                    rep,
                    value: figure.value,
                    unit: figure.unit,
                    probe_ns: sample.probe_ns,
                    seconds,
                }
                .to_json();
                writeln!(out, "{line}").expect("writing the results");
            }
            done += 1;
            if done == total || done % total.div_ceil(20) == 0 {
                eprintln!("[waiting] {done}/{total} {}", point.label);
            }
        }
    }
    out.flush().expect("writing the results");
}
