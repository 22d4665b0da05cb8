//! The comparison report of a benchmark run: `report.md`, readable on its
//! own, and `report.html`, the same with a bar chart under each table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::bench_stats::{Figure, Key, Sample, figures, ratio};

mod byte_pipes;
pub mod peers;
mod waiting;

/// The implementation the headline ratios are taken against: the fastest
/// peer measured before this workspace.
pub const BASELINE: &str = "rtrb";
/// This workspace's flavours.
pub const OURS: [&str; 3] = ["ring-spin", "ring-park", "ring-async"];
/// The point every section varies one dimension of.
const BASE_ITEM: &str = "u64";
const BASE_CAPACITY: u64 = 1024;
const THROUGHPUT: &str = "throughput";
const ROUND_TRIP: &str = "round trip";
const BATCH: &str = "batch throughput";
const WORKING_PRODUCER: &str = "working-producer throughput";

/// One table of the report, with the figures its chart shows.
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Label and figure of each bar (its median, with its spread as
    /// whiskers), and the unit.
    pub chart: Vec<(String, Figure)>,
    pub chart_unit: String,
}

/// One section: a dimension of the matrix.
pub struct Section {
    pub title: String,
    pub text: String,
    pub tables: Vec<Table>,
}

/// Everything the report says.
pub struct Report {
    pub machine: Value,
    pub limits: BTreeMap<String, f64>,
    pub slow: usize,
    pub total: usize,
    pub sections: Vec<Section>,
    pub advice: Vec<String>,
}

fn key(
    variant: &str,
    workload: &str,
    implementation: &str,
    item: &str,
    capacity: u64,
    pinned: bool,
) -> Key {
    Key {
        variant: variant.into(),
        workload: workload.into(),
        implementation: implementation.into(),
        item: item.into(),
        capacity,
        pinned,
    }
}

fn base(variant: &str, workload: &str, implementation: &str) -> Key {
    key(
        variant,
        workload,
        implementation,
        BASE_ITEM,
        BASE_CAPACITY,
        true,
    )
}

/// This run's figures, and an earlier run's to compare with.
pub struct Measured {
    now: BTreeMap<Key, Figure>,
    old: Option<BTreeMap<Key, Figure>>,
    samples: Vec<Sample>,
}

impl Measured {
    fn get(&self, key: &Key) -> Option<&Figure> {
        self.now.get(key)
    }

    /// The same-rep ratio of point `ours` to point `theirs`.
    fn ratio(&self, ours: &Key, theirs: &Key) -> Option<Figure> {
        ratio(&self.samples, ours, theirs)
    }

    /// A point's cell: its figure, and with a baseline run the change of
    /// its median.
    fn cell(&self, key: &Key) -> String {
        let figure = self.get(key);
        let mut text = cell(figure);
        if let (Some(figure), Some(old)) = (figure, &self.old) {
            text.push_str(&old.get(key).map_or_else(
                || " (new)".into(),
                |before| format!(" ({:+.1} %)", (figure.median / before.median - 1.0) * 100.0),
            ));
        }
        text
    }
}

/// A point's figure as "median [first–third quartile] n=count", or a
/// dash; marked when every sample of it was taken while the machine was
/// slow.
fn cell(figure: Option<&Figure>) -> String {
    figure.map_or_else(
        || "–".into(),
        |f| {
            let marker = if f.fast == 0 { " (slow machine)" } else { "" };
            format!(
                "{} [{}–{}] n={}{marker}",
                short(f.median),
                short(f.low),
                short(f.high),
                f.n
            )
        },
    )
}

/// A same-rep ratio as "median [95 % interval] n=pairs", saying so where
/// the interval holds 1 (from enough reps); or a dash without a rep where
/// both points were fast.
pub(crate) fn ratio_cell(figure: Option<&Figure>) -> String {
    figure.map_or_else(
        || "–".into(),
        |f| {
            let verdict = if f.enough_reps() && f.holds_one() {
                ", no detectable difference"
            } else {
                ""
            };
            format!(
                "{}× [{}–{}] n={}{verdict}",
                short(f.median),
                short(f.low),
                short(f.high),
                f.n
            )
        },
    )
}

/// The words a comparison of one measure uses: `less` and `more` for a
/// detected difference ("below", "above"), `same` for a detected but small
/// one ("about as much CPU as"), `undetected` for none detected ("CPU not
/// detectably different from").
pub(crate) struct Wording<'a> {
    pub less: &'a str,
    pub more: &'a str,
    pub same: &'a str,
    pub undetected: &'a str,
}

/// How a same-rep ratio of ours to `theirs` (a possessive, "rtrb's")
/// reads in words: with too few reps, the factor without a verdict; where
/// the interval holds 1, `undetected`; where the median is within [`SAME`]
/// of 1, `same`; else `less` or `more`. The factor and interval follow in
/// brackets.
pub(crate) fn compare(figure: &Figure, wording: &Wording<'_>, theirs: &str) -> String {
    let numbers = format!(
        "{:.2}× [{:.2}–{:.2}], n={}",
        figure.median, figure.low, figure.high, figure.n
    );
    let median = figure.median;
    if !figure.enough_reps() {
        format!(
            "{median:.2}× {theirs} (n={}, too few reps to tell)",
            figure.n
        )
    } else if figure.holds_one() {
        format!("{} {theirs} ({numbers})", wording.undetected)
    } else if 1.0 / SAME < median && median < SAME {
        format!("{} {theirs} ({numbers})", wording.same)
    } else if median <= 1.0 {
        format!("{} {theirs} ({numbers})", wording.less)
    } else {
        format!("{} {theirs} ({numbers})", wording.more)
    }
}

/// A same-rep ratio within this factor of 1 counts as a small difference.
pub(crate) const SAME: f64 = 1.1;

/// A number with three significant digits at most.
fn short(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else if value >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

/// The implementations of the run, each once.
fn implementations(samples: &[Sample]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for sample in samples {
        if !names.contains(&sample.key.implementation) {
            names.push(sample.key.implementation.clone());
        }
    }
    names
}

fn distinct<T: PartialEq + Clone>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// Builds the report of `samples` (already marked slow or not).
pub fn build(
    machine: Value,
    samples: &[Sample],
    limits: BTreeMap<String, f64>,
    baseline: Option<&[Sample]>,
) -> Report {
    let figures = Measured {
        now: figures(samples),
        old: baseline.map(figures),
        samples: samples.to_vec(),
    };
    let names = peers::in_report_order(implementations(samples));
    let versions = &machine["peers"];
    let mut sections = vec![implementations_measured(&names, versions)];
    sections.push(headline(samples, &figures, &names, versions));
    sections.push(latency(&figures, &names));
    sections.push(waiting_policy(samples, &figures));
    sections.push(batches(samples, &figures, &names));
    sections.push(working_producer(samples, &figures, &names));
    sections.push(item_types(samples, &figures, &names));
    sections.push(capacities(samples, &figures, &names));
    sections.push(pinning(&figures, &names));
    sections.push(allocator(&figures, &names));
    sections.push(ablation(
        &figures,
        "Cache alignment: padded against unpadded indices",
        "unpadded",
        "The ring-core ablation `ablation-unpadded-indices` puts the producer's and the consumer's index on one cache line (a separate build, run in the same reps as the default one).",
    ));
    sections.push(ablation(
        &figures,
        "rigtorp's cached indices: cached against uncached",
        "uncached",
        "The ring-core ablation `ablation-uncached-indices` makes each side load the other's index on every operation instead of caching it (a separate build, run in the same reps as the default one).",
    ));
    sections.push(waiting::paced(samples, &figures));
    sections.push(waiting::shared_cores(samples, &figures));
    sections.push(waiting::cpu_per_item(samples, &figures));
    sections.push(byte_pipes::section(samples, &figures));
    let mut advice = advice(&figures);
    let last = advice.pop();
    advice.extend(waiting::advice(samples));
    advice.extend(byte_pipes::advice(samples));
    advice.extend(last);
    Report {
        machine,
        limits,
        slow: samples.iter().filter(|sample| sample.slow).count(),
        total: samples.len(),
        sections,
        advice,
    }
}

/// Who was measured, with the release of each peer.
fn implementations_measured(names: &[String], versions: &Value) -> Section {
    Section {
        title: "Implementations measured".into(),
        text: "Each implementation's name in the tables below, what it is and where it comes from (the versions are those of Cargo.lock for this run).".into(),
        tables: vec![Table {
            title: "implementations".into(),
            headers: vec!["name".into(), "what it is".into(), "release".into()],
            rows: peers::rows(names, versions),
            chart: Vec::new(),
            chart_unit: String::new(),
        }],
    }
}

fn headline(samples: &[Sample], figures: &Measured, names: &[String], versions: &Value) -> Section {
    let mut tables = Vec::new();
    for (workload, unit, better) in [
        (THROUGHPUT, "million items/s", "higher is better"),
        (ROUND_TRIP, "ns per round trip", "lower is better"),
    ] {
        let headers = vec![
            "implementation".to_string(),
            format!("{workload}, {unit}, median [quartiles] n"),
            format!("ratio to {BASELINE} (same rep) [95 % interval] n"),
        ];
        let mut rows = Vec::new();
        let mut chart = Vec::new();
        for name in names {
            let point = base("default", workload, name);
            let Some(figure) = figures.get(&point) else {
                continue;
            };
            let against = ratio(samples, &point, &base("default", workload, BASELINE));
            rows.push(vec![
                peers::label(name, versions),
                figures.cell(&point),
                ratio_cell(against.as_ref()),
            ]);
            chart.push((name.clone(), *figure));
        }
        tables.push(Table {
            title: format!("{workload} ({better})"),
            headers,
            rows,
            chart,
            chart_unit: unit.into(),
        });
    }
    Section {
        title: "Headline: every implementation at u64, capacity 1024, pinned".into(),
        text: format!(
            "Steady state: each sample is a run of about 100 ms (2 ms with `--quick`), after warm-up runs of the same point that also set its count. Both sides start past a start line where they spin (threads) or yield (tasks); a throughput sample is timed from the producer's first push until the consumer has the last item, a round-trip sample over its round trips. Threads pinned to two cores; the async implementations run as two tasks of a tokio runtime with two workers pinned the same way, and the \"2×1\" rows as one task on each of two current-thread runtimes on the two cores. Ratios are the median of each rep's ratio to {BASELINE}, over the reps where both samples were taken while the machine was fast, with a 95 % bootstrap interval of that median."
        ),
        tables,
    }
}

/// The round-trip latency percentiles of the headline point.
fn latency(figures: &Measured, names: &[String]) -> Section {
    let columns: Vec<Column<'static>> = ["p50", "p99", "p99.9", "max"]
        .into_iter()
        .map(|percentile| {
            column(percentile, move |name: &str| {
                base("default", &format!("round-trip latency {percentile}"), name)
            })
        })
        .collect();
    Section {
        title: "Round-trip latency percentiles".into(),
        text: "u64, capacity 1024, pinned: the round-trip workload with each trip timed on its own (the two clock reads per trip add their cost to every trip: compare p50 with the untimed mean round trip of the headline) and recorded in an HDR histogram (0.1 % precision). Each cell is the median [quartiles] over the reps of that sample's percentile, in nanoseconds. A sample lasts about 100 ms, so for the implementations whose trips take over 10 µs the p99.9 and the maximum rest on a handful of trips. The one-way delivery latency of paced streams is in \"Paced streams\".".into(),
        tables: vec![grid(
            figures,
            names,
            "round-trip latency, ns",
            &columns,
            "ns per round trip",
        )],
    }
}

fn waiting_policy(samples: &[Sample], figures: &Measured) -> Section {
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for name in OURS {
        let throughput = base("default", THROUGHPUT, name);
        let round_trip = base("default", ROUND_TRIP, name);
        rows.push(vec![
            name.to_string(),
            figures.cell(&throughput),
            ratio_cell(
                ratio(
                    samples,
                    &throughput,
                    &base("default", THROUGHPUT, "ring-spin"),
                )
                .as_ref(),
            ),
            figures.cell(&round_trip),
            ratio_cell(
                ratio(
                    samples,
                    &round_trip,
                    &base("default", ROUND_TRIP, "ring-spin"),
                )
                .as_ref(),
            ),
        ]);
        if let Some(figure) = figures.get(&throughput) {
            chart.push((name.to_string(), *figure));
        }
    }
    Section {
        title: "Waiting policy: spin, park, async".into(),
        text: "The same ring and workload; only the waiting differs. Spinning never sleeps, parking sleeps in the kernel after a spin phase, async returns `Pending` after a spin phase.".into(),
        tables: vec![Table {
            title: "spin against park against async".into(),
            headers: vec![
                "flavour".into(),
                "throughput, M items/s".into(),
                "ratio to ring-spin".into(),
                "round trip, ns".into(),
                "ratio to ring-spin".into(),
            ],
            rows,
            chart,
            chart_unit: "million items/s".into(),
        }],
    }
}

fn batches(samples: &[Sample], figures: &Measured, names: &[String]) -> Section {
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for name in names {
        let batch = base("default", BATCH, name);
        let Some(batch_figure) = figures.get(&batch) else {
            continue;
        };
        let single = base("default", THROUGHPUT, name);
        rows.push(vec![
            name.clone(),
            figures.cell(&single),
            figures.cell(&batch),
            ratio_cell(ratio(samples, &batch, &single).as_ref()),
        ]);
        chart.push((format!("{name}, batches"), *batch_figure));
        if let Some(figure) = figures.get(&single) {
            chart.push((format!("{name}, single items"), *figure));
        }
    }
    Section {
        title: "Batches against single items".into(),
        text: "The throughput workload with items moved in slices of up to 64: `push_slice`/`pop_slice` for this workspace's flavours (waiting through their single-item operations when nothing fits), rtrb's chunk API (spinning), and `wait_free_slots`/`wait_items` before the slices for ring-async. u64, capacity 1024, pinned.".into(),
        tables: vec![Table {
            title: "batch throughput, million items/s".into(),
            headers: vec![
                "implementation".into(),
                "single items".into(),
                "batches of up to 64".into(),
                "ratio (same rep)".into(),
            ],
            rows,
            chart,
            chart_unit: "million items/s".into(),
        }],
    }
}

/// The throughput workload with a producer that works on each item, next
/// to the plain one.
fn working_producer(samples: &[Sample], figures: &Measured, names: &[String]) -> Section {
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for name in names {
        let working = base("default", WORKING_PRODUCER, name);
        let Some(working_figure) = figures.get(&working) else {
            continue;
        };
        rows.push(vec![
            name.clone(),
            figures.cell(&base("default", THROUGHPUT, name)),
            figures.cell(&working),
            ratio_cell(
                ratio(
                    samples,
                    &working,
                    &base("default", WORKING_PRODUCER, BASELINE),
                )
                .as_ref(),
            ),
        ]);
        chart.push((name.clone(), *working_figure));
    }
    Section {
        title: "A producer that works on each item".into(),
        text: format!(
            "The throughput workload with a producer that passes each item's index through `black_box` 8 times before it pushes it (about 10 ns on the 2-vCPU Intel VM of our runs), as most producers spend some time making what they send. The consumer is then the faster side and keeps the ring nearly empty, where a consumer right behind its producer pulls each slot's cache line over as soon as it is written; the plain workload keeps a ring of 1024 nearly full and does not show it. (The 8 is `WORK_STEPS` in `benches/src/working.rs`.) u64, capacity 1024, pinned; the ratio is to {BASELINE}'s working-producer throughput in the same rep."
        ),
        tables: vec![Table {
            title: "working-producer throughput, million items/s".into(),
            headers: vec![
                "implementation".into(),
                "plain producer".into(),
                "working producer".into(),
                format!("working, ratio to {BASELINE} (same rep)"),
            ],
            rows,
            chart,
            chart_unit: "million items/s".into(),
        }],
    }
}

/// A column of a dimension's table: its label, the point it shows for an
/// implementation, and for a ratio column the point it is divided by
/// (same rep).
struct Column<'a> {
    label: String,
    point: PointOf<'a>,
    against: Option<PointOf<'a>>,
}

/// The point a column shows for an implementation's name.
type PointOf<'a> = Box<dyn Fn(&str) -> Key + 'a>;

/// A column over the points `point` gives for each implementation.
fn column<'a>(label: impl Into<String>, point: impl Fn(&str) -> Key + 'a) -> Column<'a> {
    Column {
        label: label.into(),
        point: Box::new(point),
        against: None,
    }
}

/// A column of the same-rep ratios of `point` to `against`.
fn ratio_column<'a>(
    label: impl Into<String>,
    point: impl Fn(&str) -> Key + 'a,
    against: impl Fn(&str) -> Key + 'a,
) -> Column<'a> {
    Column {
        label: label.into(),
        point: Box::new(point),
        against: Some(Box::new(against)),
    }
}

/// A table with one row per implementation and one column per value of a
/// dimension, for one workload.
fn grid(
    figures: &Measured,
    names: &[String],
    title: &str,
    columns: &[Column<'_>],
    unit: &str,
) -> Table {
    let mut headers = vec!["implementation".to_string()];
    headers.extend(columns.iter().map(|column| column.label.clone()));
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for name in names {
        let mut row = vec![name.clone()];
        let mut any = false;
        for column in columns {
            let point = (column.point)(name);
            if let Some(against) = &column.against {
                row.push(ratio_cell(figures.ratio(&point, &against(name)).as_ref()));
                continue;
            }
            let figure = figures.get(&point);
            any |= figure.is_some();
            if let Some(figure) = figure {
                chart.push((format!("{name}, {}", column.label), *figure));
            }
            row.push(figures.cell(&point));
        }
        if any {
            rows.push(row);
        }
    }
    Table {
        title: title.into(),
        headers,
        rows,
        chart,
        chart_unit: unit.into(),
    }
}

/// A dimension's section: a [`grid`] for each workload, whose columns
/// `columns` makes for the workload.
fn dimension(
    figures: &Measured,
    names: &[String],
    title: &str,
    text: &str,
    columns: impl Fn(&'static str) -> Vec<Column<'static>>,
) -> Section {
    let tables = [
        (THROUGHPUT, "million items/s"),
        (ROUND_TRIP, "ns per round trip"),
    ]
    .into_iter()
    .map(|(workload, unit)| {
        grid(
            figures,
            names,
            &format!("{workload}, {unit}"),
            &columns(workload),
            unit,
        )
    })
    .collect();
    Section {
        title: title.into(),
        text: text.into(),
        tables,
    }
}

fn item_types(samples: &[Sample], figures: &Measured, names: &[String]) -> Section {
    let items = distinct(
        samples
            .iter()
            .filter(|s| s.key.variant == "default")
            .map(|s| s.key.item.clone()),
    );
    dimension(
        figures,
        names,
        "Item types",
        "u8 and u64, `Copy` structs of 64 and 256 bytes, and a heap-owning `String` (allocated by the producer, freed by the consumer). Capacity 1024, pinned.",
        |workload| {
            items
                .iter()
                .map(|item| {
                    let item = item.clone();
                    column(item.clone(), move |name| {
                        key("default", workload, name, &item, BASE_CAPACITY, true)
                    })
                })
                .collect()
        },
    )
}

fn capacities(samples: &[Sample], figures: &Measured, names: &[String]) -> Section {
    let mut capacities = distinct(
        samples
            .iter()
            .filter(|s| s.key.variant == "default")
            .map(|s| s.key.capacity),
    );
    capacities.sort_unstable();
    dimension(
        figures,
        names,
        "Capacity",
        "u64 items, pinned. A small ring makes the sides meet often; a large one spreads them over more memory.",
        |workload| {
            capacities
                .iter()
                .map(|&capacity| {
                    column(format!("capacity {capacity}"), move |name| {
                        key("default", workload, name, BASE_ITEM, capacity, true)
                    })
                })
                .collect()
        },
    )
}

fn pinning(figures: &Measured, names: &[String]) -> Section {
    dimension(
        figures,
        names,
        "Pinned against unpinned threads",
        "u64, capacity 1024. Pinned: the two threads (or tokio workers) on the two cores named above; unpinned: wherever the scheduler puts them.",
        |workload| {
            [("pinned", true), ("unpinned", false)]
                .into_iter()
                .map(|(label, pinned)| {
                    column(label, move |name| {
                        key("default", workload, name, BASE_ITEM, BASE_CAPACITY, pinned)
                    })
                })
                .collect()
        },
    )
}

fn allocator(figures: &Measured, names: &[String]) -> Section {
    dimension(
        figures,
        names,
        "Allocator: system against jemalloc",
        "The jemalloc figures come from a build with tikv-jemallocator as the global allocator, run in the same reps as the default build (the builds take turns within each rep), so the ratio columns are same-rep ratios.",
        |workload| {
            let point = move |variant: &'static str, item: &'static str| {
                move |name: &str| key(variant, workload, name, item, BASE_CAPACITY, true)
            };
            vec![
                column("system, u64", point("default", "u64")),
                column("jemalloc, u64", point("jemalloc", "u64")),
                ratio_column(
                    "jemalloc ÷ system, u64",
                    point("jemalloc", "u64"),
                    point("default", "u64"),
                ),
                column("system, String", point("default", "String")),
                column("jemalloc, String", point("jemalloc", "String")),
                ratio_column(
                    "jemalloc ÷ system, String",
                    point("jemalloc", "String"),
                    point("default", "String"),
                ),
            ]
        },
    )
}

fn ablation(figures: &Measured, title: &str, variant: &'static str, text: &str) -> Section {
    let names: Vec<String> = OURS.iter().map(|name| name.to_string()).collect();
    dimension(figures, &names, title, text, |workload| {
        vec![
            column("as shipped", move |name| base("default", workload, name)),
            column(variant, move |name| base(variant, workload, name)),
            ratio_column(
                format!("{variant} ÷ as shipped (same rep)"),
                move |name| base(variant, workload, name),
                move |name| base("default", workload, name),
            ),
        ]
    })
}

/// "Which flavour should I use", from this run's same-rep ratios: every
/// comparison is worded from its ratio and interval (see [`compare`]),
/// and a comparison the run did not measure is left out.
fn advice(figures: &Measured) -> Vec<String> {
    let same_rep = |workload: &str, ours: &str, theirs: &str| {
        figures.ratio(
            &base("default", workload, ours),
            &base("default", workload, theirs),
        )
    };
    let clause = |workload: &str, wording: &Wording<'_>, ours: &str, theirs: &str| {
        same_rep(workload, ours, theirs)
            .map(|figure| compare(&figure, wording, &format!("{theirs}'s")))
    };
    let rate = Wording {
        less: "below",
        more: "above",
        same: "about the same as",
        undetected: "not detectably different from",
    };
    let time = Wording {
        less: "shorter than",
        more: "longer than",
        same: "about as long as",
        undetected: "not detectably different from",
    };
    let throughput = |ours: &str, theirs: &str| clause(THROUGHPUT, &rate, ours, theirs);
    let round_trip = |ours: &str, theirs: &str| clause(ROUND_TRIP, &time, ours, theirs);
    let sentence = |opening: &str, clauses: Vec<Option<String>>| {
        let clauses: Vec<String> = clauses.into_iter().flatten().collect();
        (!clauses.is_empty()).then(|| format!("{opening}{}.", clauses.join("; ")))
    };
    let mut advice = Vec::new();
    advice.extend(sentence(
        "Two threads with a core each, **ring-spin** against the SPSC crates users pick today (u64, capacity 1024, pinned, same-rep ratios): its throughput is ",
        vec![
            throughput("ring-spin", "rtrb"),
            throughput("ring-spin", "ringbuf"),
            round_trip("ring-spin", "rtrb").map(|clause| format!("its round trip is {clause}")),
        ],
    ));
    advice.extend(sentence(
        "With a producer that works on each item (the consumer the faster side), **ring-spin**'s throughput is ",
        vec![clause(WORKING_PRODUCER, &rate, "ring-spin", "rtrb")],
    ));
    advice.extend(sentence(
        "**ring-park** on the same cores, which sleeps when idle instead of spinning: its throughput is ",
        vec![
            throughput("ring-park", "ring-spin"),
            round_trip("ring-park", "ring-spin").map(|clause| format!("its round trip is {clause}")),
        ],
    ));
    advice.extend(sentence(
        "Async code, **ring-async** on a 2-worker tokio runtime: its throughput is ",
        vec![
            throughput("ring-async", "kanal bounded_async"),
            throughput("ring-async", "tokio mpsc"),
            round_trip("ring-async", "kanal bounded_async")
                .map(|clause| format!("its round trip is {clause}")),
        ],
    ));
    advice.push("The figures of a shared VM drift from second to second: trust the same-rep ratios over the absolute numbers, and rerun on your own machine.".into());
    advice
}

/// The report as Markdown.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let m = &report.machine;
    let _ = writeln!(out, "# SPSC ring benchmark report\n");
    let _ = writeln!(
        out,
        "- Machine: {} ({} cores), Linux {}\n- Toolchain: {}\n- Build profile: {}\n- Commit: {}\n- Date: {}\n- Command: `{}` (the order of the points in each rep comes from seed {}; `--seed {}` repeats it)\n- Pinning: {}",
        m["cpu"].as_str().unwrap_or("?"),
        m["cores"],
        m["kernel"].as_str().unwrap_or("?"),
        m["rustc"].as_str().unwrap_or("?"),
        m["profile"].as_str().unwrap_or("?"),
        m["commit"].as_str().unwrap_or("?"),
        m["date"].as_str().unwrap_or("?"),
        m["command"].as_str().unwrap_or("?"),
        m["seed"].as_str().unwrap_or("?"),
        m["seed"].as_str().unwrap_or("?"),
        m["pinning"].as_str().unwrap_or("?"),
    );
    let minutes = &m["minutes"];
    if let (Some(builds), Some(matrix), Some(waiting)) = (
        minutes["builds"].as_f64(),
        minutes["matrix"].as_f64(),
        minutes["waiting"].as_f64(),
    ) {
        let _ = writeln!(
            out,
            "- Time: {:.1} min in all: the builds {builds:.1}, the matrix ({} reps) {matrix:.1}, the waiting workloads {waiting:.1}",
            builds + matrix + waiting,
            minutes["matrix_reps"],
        );
    }
    let limits: Vec<String> = report
        .limits
        .iter()
        .map(|(variant, limit)| format!("{variant} {limit:.0} ns"))
        .collect();
    let _ = writeln!(
        out,
        "- Noise: a cache-line round trip between the two cores was probed before and after every sample; {} of {} samples were taken while it was more than 1.5 times the first quartile of its group (the matrix's builds share one limit, the waiting workloads have their own: {}) and are left out of the figures below. A figure is the median [first–third quartile] of the other samples, n of them (with `--baseline`, followed by the change of the median from the baseline run); a point all of whose samples were slow shows them, marked \"(slow machine)\". A ratio is the median of the same-rep ratios [95 % bootstrap interval of that median; the range below 5 reps], n reps, and says \"no detectable difference\" where the interval of at least 5 reps holds 1; \"same rep\" pairs two samples with the same rep number, which for two builds of the matrix (separate processes taking turns within each rep) may be a few minutes apart; a dash marks a ratio without a rep where both points were fast.\n",
        report.slow,
        report.total,
        limits.join(", "),
    );
    for section in &report.sections {
        let _ = writeln!(out, "## {}\n\n{}\n", section.title, section.text);
        for table in &section.tables {
            let _ = writeln!(out, "### {}\n", table.title);
            let _ = writeln!(out, "| {} |", table.headers.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(table.headers.len()));
            for row in &table.rows {
                let _ = writeln!(out, "| {} |", row.join(" | "));
            }
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(out, "## Which flavour should I use?\n");
    for line in &report.advice {
        let _ = writeln!(out, "- {line}");
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A horizontal chart as inline SVG of each figure's median with a
/// whisker over its spread. On a linear scale a bar runs from zero to the
/// median; when the values span more than a decade the scale is
/// logarithmic, with a gridline at each labelled power of ten, and a dot
/// marks the median (a bar from an arbitrary origin would suggest ratios
/// the figures do not have).
fn bar_chart(bars: &[(String, Figure)], unit: &str) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let (label_width, plot_width, row) = (260.0, 420.0, 18.0);
    let positive = |value: f64| value.max(f64::MIN_POSITIVE);
    let top = positive(
        bars.iter()
            .map(|(_, f)| f.high.max(f.median))
            .fold(0.0, f64::max),
    );
    let bottom = positive(
        bars.iter()
            .map(|(_, f)| f.low.min(f.median))
            .filter(|value| *value > 0.0)
            .fold(f64::INFINITY, f64::min)
            .min(top),
    );
    let logarithmic = top / bottom > 10.0;
    // The log scale spans whole decades around the values.
    let (first_decade, last_decade) = (bottom.log10().floor(), top.log10().ceil());
    let x = |value: f64| -> f64 {
        let fraction = if logarithmic {
            (positive(value).log10() - first_decade) / (last_decade - first_decade)
        } else {
            value / top
        };
        label_width + fraction.clamp(0.0, 1.0) * plot_width
    };
    let plot_height = row * bars.len() as f64;
    let height = plot_height + 36.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">",
        label_width + plot_width + 80.0
    );
    if logarithmic {
        for decade in first_decade as i32..=last_decade as i32 {
            let at = x(10f64.powi(decade));
            let _ = write!(
                svg,
                "<line x1=\"{at:.1}\" x2=\"{at:.1}\" y1=\"0\" y2=\"{plot_height}\" stroke=\"#e2e8f0\"/><text x=\"{at:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                plot_height + 12.0,
                short(10f64.powi(decade)),
            );
        }
    }
    for (index, (label, figure)) in bars.iter().enumerate() {
        let y = index as f64 * row;
        let colour = if OURS.iter().any(|name| label.starts_with(name)) {
            "#2b6cb0"
        } else {
            "#718096"
        };
        let middle = y + 8.5;
        let at = x(figure.median);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_width - 6.0,
            y + 13.0,
            escape(label),
        );
        if logarithmic {
            let _ = write!(
                svg,
                "<circle cx=\"{at:.1}\" cy=\"{middle}\" r=\"4\" fill=\"{colour}\"/>"
            );
        } else {
            let _ = write!(
                svg,
                "<rect x=\"{label_width}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\"/>",
                y + 3.0,
                at - label_width,
                row - 5.0,
            );
        }
        let _ = write!(
            svg,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{middle}\" y2=\"{middle}\" stroke=\"#1a202c\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
            x(figure.low),
            x(figure.high),
            x(figure.high).max(at) + 6.0,
            y + 13.0,
            short(figure.median),
        );
    }
    let scale = if logarithmic { ", log scale" } else { "" };
    let _ = write!(
        svg,
        "<text x=\"{label_width}\" y=\"{}\">{}{scale}; whiskers: the spread given in the table</text></svg>",
        height - 4.0,
        escape(unit)
    );
    svg
}

/// The report as HTML, with a chart under each table.
pub fn html(report: &Report) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>SPSC ring benchmark report</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child{text-align:left}</style></head><body>",
    );
    let markdown_head = markdown(report);
    // The opening list, as paragraphs.
    for line in markdown_head
        .lines()
        .take_while(|line| !line.starts_with("## "))
    {
        if let Some(item) = line.strip_prefix("- ") {
            let _ = write!(out, "<p>{}</p>", escape(item));
        } else if let Some(title) = line.strip_prefix("# ") {
            let _ = write!(out, "<h1>{}</h1>", escape(title));
        }
    }
    for section in &report.sections {
        let _ = write!(
            out,
            "<h2>{}</h2><p>{}</p>",
            escape(&section.title),
            escape(&section.text)
        );
        for table in &section.tables {
            let _ = write!(out, "<h3>{}</h3><table><tr>", escape(&table.title));
            for header in &table.headers {
                let _ = write!(out, "<th>{}</th>", escape(header));
            }
            out.push_str("</tr>");
            for row in &table.rows {
                out.push_str("<tr>");
                for value in row {
                    let _ = write!(out, "<td>{}</td>", escape(value));
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
            out.push_str(&bar_chart(&table.chart, &table.chart_unit));
        }
    }
    out.push_str("<h2>Which flavour should I use?</h2><ul>");
    for line in &report.advice {
        let _ = write!(out, "<li>{}</li>", escape(&line.replace("**", "")));
    }
    out.push_str("</ul></body></html>\n");
    out
}
