//! The comparison report of a benchmark run: `report.md`, readable on its
//! own, and `report.html`, the same with a bar chart under each table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::bench_stats::{Figure, Key, Sample, figures, ratio};

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

/// One table of the report, with the figures its chart shows.
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Label and value of each bar, and the unit.
    pub chart: Vec<(String, f64)>,
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
}

impl Measured {
    fn get(&self, key: &Key) -> Option<&Figure> {
        self.now.get(key)
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

/// A figure as "median [min–max]", or a dash; marked when every sample of
/// it was taken while the machine was slow.
fn cell(figure: Option<&Figure>) -> String {
    figure.map_or_else(
        || "–".into(),
        |f| {
            let marker = if f.fast == 0 { " (slow machine)" } else { "" };
            format!(
                "{} [{}–{}]{marker}",
                short(f.median),
                short(f.min),
                short(f.max)
            )
        },
    )
}

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

/// The implementations of the run, in the order they were measured.
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
    };
    let names = implementations(samples);
    let mut sections = vec![headline(samples, &figures, &names)];
    sections.push(waiting_policy(samples, &figures));
    sections.push(batches(samples, &figures, &names));
    sections.push(item_types(samples, &figures, &names));
    sections.push(capacities(samples, &figures, &names));
    sections.push(pinning(&figures, &names));
    sections.push(allocator(&figures, &names));
    sections.push(ablation(
        &figures,
        "Cache alignment: padded against unpadded indices",
        "unpadded",
        "The ring-core ablation `ablation-unpadded-indices` puts the producer's and the consumer's index on one cache line (a separate build).",
    ));
    sections.push(ablation(
        &figures,
        "rigtorp's cached indices: cached against uncached",
        "uncached",
        "The ring-core ablation `ablation-uncached-indices` makes each side load the other's index on every operation instead of caching it (a separate build).",
    ));
    sections.push(waiting::paced(samples, &figures));
    sections.push(waiting::shared_cores(samples, &figures));
    sections.push(waiting::cpu_per_item(samples, &figures));
    let mut advice = advice(&figures);
    let last = advice.pop();
    advice.extend(waiting::advice(samples));
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

fn headline(samples: &[Sample], figures: &Measured, names: &[String]) -> Section {
    let mut tables = Vec::new();
    for (workload, unit, better) in [
        (THROUGHPUT, "million items/s", "higher is better"),
        (ROUND_TRIP, "ns per round trip", "lower is better"),
    ] {
        let headers = vec![
            "implementation".to_string(),
            format!("{workload}, {unit}, median [min–max]"),
            format!("ratio to {BASELINE} (same rep)"),
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
                name.clone(),
                figures.cell(&point),
                cell(against.as_ref()),
            ]);
            chart.push((name.clone(), figure.median));
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
            "Threads pinned to two cores; the async implementations run as two tasks of a tokio runtime with two workers pinned the same way. Ratios are the median of each rep's ratio to {BASELINE}, over the reps where both samples were taken while the machine was fast."
        ),
        tables,
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
            cell(
                ratio(
                    samples,
                    &throughput,
                    &base("default", THROUGHPUT, "ring-spin"),
                )
                .as_ref(),
            ),
            figures.cell(&round_trip),
            cell(
                ratio(
                    samples,
                    &round_trip,
                    &base("default", ROUND_TRIP, "ring-spin"),
                )
                .as_ref(),
            ),
        ]);
        if let Some(figure) = figures.get(&throughput) {
            chart.push((name.to_string(), figure.median));
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
            cell(ratio(samples, &batch, &single).as_ref()),
        ]);
        chart.push((format!("{name}, batches"), batch_figure.median));
        if let Some(figure) = figures.get(&single) {
            chart.push((format!("{name}, single items"), figure.median));
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

/// A column of a dimension's table: its label, and the point it shows for
/// an implementation.
type Column<'a> = (String, Box<dyn Fn(&str) -> Key + 'a>);

/// A column over the points `point` gives for each implementation.
fn column<'a>(label: impl Into<String>, point: impl Fn(&str) -> Key + 'a) -> Column<'a> {
    (label.into(), Box::new(point))
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
    headers.extend(columns.iter().map(|(label, _)| label.clone()));
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for name in names {
        let mut row = vec![name.clone()];
        let mut any = false;
        for (label, point) in columns {
            let point = point(name);
            let figure = figures.get(&point);
            any |= figure.is_some();
            if let Some(figure) = figure {
                chart.push((format!("{name}, {label}"), figure.median));
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
        "The jemalloc figures come from a separate build with tikv-jemallocator as the global allocator, run after the default one; compare within a column pair with the machine's drift in mind (each run has its own probe limit).",
        |workload| {
            [
                ("system, u64", "default", "u64"),
                ("jemalloc, u64", "jemalloc", "u64"),
                ("system, String", "default", "String"),
                ("jemalloc, String", "jemalloc", "String"),
            ]
            .into_iter()
            .map(|(label, variant, item)| {
                column(label, move |name| {
                    key(variant, workload, name, item, BASE_CAPACITY, true)
                })
            })
            .collect()
        },
    )
}

fn ablation(figures: &Measured, title: &str, variant: &'static str, text: &str) -> Section {
    let names: Vec<String> = OURS.iter().map(|name| name.to_string()).collect();
    dimension(figures, &names, title, text, |workload| {
        [("as shipped", "default"), (variant, variant)]
            .into_iter()
            .map(|(label, run)| column(label, move |name| base(run, workload, name)))
            .collect()
    })
}

/// "Which flavour should I use", from this run's figures.
fn advice(figures: &Measured) -> Vec<String> {
    let median = |workload: &str, name: &str| {
        figures
            .get(&base("default", workload, name))
            .map(|f| f.median)
    };
    let mut advice = Vec::new();
    if let (Some(spin), Some(park)) = (
        median(THROUGHPUT, "ring-spin"),
        median(THROUGHPUT, "ring-park"),
    ) {
        let (spin_rt, park_rt) = (
            median(ROUND_TRIP, "ring-spin"),
            median(ROUND_TRIP, "ring-park"),
        );
        advice.push(format!(
            "Two threads, each with a core of its own: **ring-spin** ({} M items/s, {} ns round trip in this run). **ring-park** streams at {:.0} % of that ({} M/s, {} ns) and sleeps when idle instead of burning the core; the paced and shared-core figures below say what that saves.",
            short(spin),
            spin_rt.map_or("–".into(), short),
            park / spin * 100.0,
            short(park),
            park_rt.map_or("–".into(), short),
        ));
    }
    if let (Some(ours), Some(kanal), Some(tokio)) = (
        median(THROUGHPUT, "ring-async"),
        median(THROUGHPUT, "kanal-async"),
        median(THROUGHPUT, "tokio-mpsc"),
    ) {
        advice.push(format!(
            "Async code: **ring-async** ({} M items/s) against kanal's bounded async channel ({} M/s, {:.1}×) and tokio's mpsc ({} M/s, {:.1}×); its round trip is {} ns against kanal's {} ns. Its `push_blocking`/`pop_blocking` serve a plain thread at either end.",
            short(ours),
            short(kanal),
            ours / kanal,
            short(tokio),
            ours / tokio,
            median(ROUND_TRIP, "ring-async").map_or("–".into(), short),
            median(ROUND_TRIP, "kanal-async").map_or("–".into(), short),
        ));
    }
    if let (Some(spin), Some(rtrb)) = (median(THROUGHPUT, "ring-spin"), median(THROUGHPUT, "rtrb"))
    {
        advice.push(format!(
            "Against the SPSC crate users pick today: ring-spin streams at {:.2}× rtrb's rate here; see the headline ratios (same rep) for the spread.",
            spin / rtrb
        ));
    }
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
        "- Machine: {} ({} cores), Linux {}\n- Toolchain: {}\n- Commit: {}\n- Date: {}\n- Pinning: {}",
        m["cpu"].as_str().unwrap_or("?"),
        m["cores"],
        m["kernel"].as_str().unwrap_or("?"),
        m["rustc"].as_str().unwrap_or("?"),
        m["commit"].as_str().unwrap_or("?"),
        m["date"].as_str().unwrap_or("?"),
        m["pinning"].as_str().unwrap_or("?"),
    );
    let limits: Vec<String> = report
        .limits
        .iter()
        .map(|(variant, limit)| format!("{variant} {limit:.0} ns"))
        .collect();
    let _ = writeln!(
        out,
        "- Noise: a cache-line round trip between the two cores was probed before and after every sample; {} of {} samples were taken while it was more than 1.5 times its run's first quartile (limits: {}) and are left out of the figures below. Figures are medians [min–max] of the other samples (with `--baseline`, followed by the change of the median from the baseline run); a point all of whose samples were slow shows them, marked \"(slow machine)\"; a dash marks a ratio without a rep where both points were fast.\n",
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

/// A horizontal bar chart as inline SVG.
fn bar_chart(bars: &[(String, f64)], unit: &str) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let (label_width, bar_width, row) = (260.0, 420.0, 18.0);
    let top = bars
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let height = row * bars.len() as f64 + 24.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">",
        label_width + bar_width + 80.0
    );
    for (index, (label, value)) in bars.iter().enumerate() {
        let y = index as f64 * row;
        let width = value / top * bar_width;
        let ours = OURS.iter().any(|name| label.starts_with(name));
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_width}\" y=\"{}\" width=\"{width:.1}\" height=\"{}\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            label_width - 6.0,
            y + 13.0,
            escape(label),
            y + 3.0,
            row - 5.0,
            if ours { "#2b6cb0" } else { "#a0aec0" },
            label_width + width + 4.0,
            y + 13.0,
            short(*value),
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{label_width}\" y=\"{}\">{}</text></svg>",
        height - 6.0,
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
