//! `cargo xtask bench`: runs the benchmark matrix and the waiting workloads
//! and writes the comparison report to `target/bench-report/`:
//! `report.md`, `report.html` and `results.json` (every sample with its
//! probe, for tools and for `--baseline`).
//!
//! Every benchmark binary is built with the `measure` profile (fat LTO,
//! one codegen unit; `release` with `--quick`), once per build variant
//! (the default build, jemalloc as the global allocator, and the two
//! ring-core ablations). The matrix then runs rep by rep, each rep running
//! every variant in turn (in an order rotating from rep to rep), so that
//! an allocator or ablation figure is a ratio within one rep, minutes
//! apart at most. Within a rep each binary shuffles its points from the
//! run's seed, which the report records. The waiting workloads (paced
//! streams, shared cores, CPU per item; the `waiting` binary) run last.
//!
//! Options: `--quick` (every implementation and dimension at a tiny size),
//! `--filter PATTERN` (only the points whose label contains it, e.g.
//! `ring-spin` or `cap 64`), `--reps N`, `--seed N` (the order of a
//! recorded run again), `--baseline FILE` (an earlier `results.json`; the
//! headline shows each figure's change), `--from FILE` (no measurement:
//! the report of an earlier `results.json` again, for instance after a
//! change to the report's code; copy the file first, as the run rewrites
//! it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use crate::bench_report;
use crate::bench_stats::{Sample, mark_slow_samples};
use crate::command::{
    ABLATION_UNCACHED, ABLATION_UNPADDED, cargo, cargo_with_cfgs, run_step, workspace_root,
};

/// A build of the benchmark binaries.
struct Variant {
    name: &'static str,
    /// Features of the `ring-benches` build.
    features: &'static str,
    /// `--cfg` flags of the build (ring-core's ablations), which then gets
    /// a target directory of its own.
    cfgs: &'static [&'static str],
}

/// The build variants.
const VARIANTS: [Variant; 4] = [
    Variant {
        name: "default",
        features: "",
        cfgs: &[],
    },
    Variant {
        name: "jemalloc",
        features: "jemalloc",
        cfgs: &[],
    },
    Variant {
        name: "unpadded",
        features: "",
        cfgs: &[ABLATION_UNPADDED],
    },
    Variant {
        name: "uncached",
        features: "",
        cfgs: &[ABLATION_UNCACHED],
    },
];

/// How the samples are taken, recorded in `results.json`: a baseline taken
/// another way is not comparable figure by figure, and the report says so.
pub const METHOD: &str = "steady state: ~100 ms samples after warm-up, paired builds";

/// Every implementation the default variant must cover.
pub const IMPLEMENTATIONS: [&str; 14] = [
    "ring-spin",
    "rtrb",
    "ringbuf",
    "crossbeam-queue ArrayQueue",
    "ring-park",
    "crossbeam-channel bounded",
    "flume bounded",
    "std sync_channel",
    "ring-async",
    "kanal bounded_async",
    "tokio mpsc",
    "ring-async 2×1",
    "kanal bounded_async 2×1",
    "tokio mpsc 2×1",
];

#[derive(Default)]
struct Options {
    quick: bool,
    filter: Option<String>,
    reps: Option<String>,
    seed: Option<u64>,
    baseline: Option<PathBuf>,
    from: Option<PathBuf>,
}

impl Options {
    /// Passes the options that every benchmark binary takes on to one.
    fn pass_on(&self, command: &mut Command) {
        if self.quick {
            command.arg("--quick");
        }
        if let Some(filter) = &self.filter {
            command.args(["--filter", filter]);
        }
    }

    /// The cargo profile of the benchmark binaries.
    fn profile(&self) -> &'static str {
        if self.quick { "release" } else { "measure" }
    }

    /// How many reps of the matrix: enough for quartiles and a bootstrap
    /// interval in the full run, a multiple of the number of builds, so
    /// that each build runs first in a rep equally often, and few enough
    /// that the full run stays within its budget of 30 minutes.
    fn matrix_reps(&self) -> Result<usize, String> {
        self.reps
            .as_deref()
            .map_or(Ok(if self.quick { 1 } else { 8 }), |reps| {
                reps.parse()
                    .map_err(|_| format!("bench: --reps takes a number, not {reps:?}"))
            })
    }
}

/// What the report says of the build.
fn describe_profile(profile: &str) -> &'static str {
    match profile {
        "measure" => "`measure` (release with fat LTO, one codegen unit)",
        _ => "`release` (no LTO; `--quick` figures are indicative only)",
    }
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("bench: {arg} needs a value"))
        };
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--filter" => options.filter = Some(value()?),
            "--reps" => options.reps = Some(value()?),
            "--seed" => {
                let seed = value()?;
                options.seed = Some(
                    seed.parse()
                        .map_err(|_| format!("bench: --seed takes a number, not {seed:?}"))?,
                );
            }
            "--baseline" => options.baseline = Some(PathBuf::from(value()?)),
            "--from" => options.from = Some(PathBuf::from(value()?)),
            other => return Err(format!("bench: unknown option {other}")),
        }
    }
    Ok(options)
}

/// Where the report lands.
pub fn report_dir() -> PathBuf {
    workspace_root().join("target").join("bench-report")
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let dir = report_dir();
    let baseline = options.baseline.as_deref().map(read_results).transpose()?;
    if let Some(path) = &options.baseline {
        warn_of_another_method(path);
    }
    let (machine, mut samples) = match &options.from {
        Some(path) => read_run(path)?,
        None => measure(&options, args, &dir)?,
    };
    if samples.is_empty() {
        return Err("bench: no sample was taken (does the filter match any point?)".into());
    }
    let limits = mark_slow_samples(&mut samples);
    let report = bench_report::build(machine.clone(), &samples, limits, baseline.as_deref());
    let results = json!({
        "machine": machine,
        "samples": samples.iter().map(Sample::to_json).collect::<Vec<_>>(),
    });
    write(
        &dir.join("results.json"),
        &serde_json::to_string_pretty(&results).expect("JSON"),
    )?;
    write(&dir.join("report.md"), &bench_report::markdown(&report))?;
    write(&dir.join("report.html"), &bench_report::html(&report))?;
    eprintln!(
        "\nbench: {} samples ({} set aside as slow); report in {}",
        samples.len(),
        report.slow,
        dir.join("report.md").display()
    );
    Ok(())
}

/// Builds the binaries and runs them: the matrix rep by rep with the
/// builds taking turns, then the waiting workloads. Returns the
/// description of the machine and the run, and the samples.
fn measure(options: &Options, args: &[String], dir: &Path) -> Result<(Value, Vec<Sample>), String> {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin)
        .map_err(|error| format!("bench: cannot create {}: {error}", bin.display()))?;
    let begun = Instant::now();
    build_binaries(options, &bin)?;
    let built = Instant::now();
    let seed = options.seed.unwrap_or_else(seed_from_clock);
    let reps = options.matrix_reps()?;
    let mut samples = Vec::new();
    for rep in 0..reps {
        for turn in 0..VARIANTS.len() {
            let variant = VARIANTS[(rep + turn) % VARIANTS.len()].name;
            let out = dir.join(format!("{variant}.rep{rep}.jsonl"));
            let mut command = Command::new(bin.join(format!("matrix-{variant}")));
            command
                .args(["--variant", variant, "--out"])
                .arg(&out)
                .args(["--reps", "1", "--first-rep", &rep.to_string()])
                .args(["--seed", &seed.to_string()]);
            options.pass_on(&mut command);
            run_step(
                &format!("benchmark variant {variant:?}, rep {}/{reps}", rep + 1),
                &mut command,
            )?;
            samples.extend(read_lines(&out)?);
        }
    }
    let matrix_done = Instant::now();
    let out = dir.join("waiting.jsonl");
    let mut command = Command::new(bin.join("waiting"));
    command.arg("--out").arg(&out);
    options.pass_on(&mut command);
    if let Some(reps) = &options.reps {
        command.args(["--reps", reps]);
    }
    run_step("waiting workloads", &mut command)?;
    samples.extend(read_lines(&out)?);
    let minutes = |from: Instant, to: Instant| (to - from).as_secs_f64() / 60.0;
    let mut machine = crate::machine::describe();
    machine["minutes"] = json!({
        "builds": minutes(begun, built),
        "matrix": minutes(built, matrix_done),
        "waiting": minutes(matrix_done, Instant::now()),
        "matrix_reps": reps,
    });
    machine["pinning"] = samples
        .iter()
        .find(|sample| sample.key.pinned)
        .map_or(Value::from("none"), |sample| {
            Value::from(sample.placement.clone())
        });
    machine["profile"] = describe_profile(options.profile()).into();
    // A string: the seed is above 2^53, which JSON readers in floating
    // point would round.
    machine["seed"] = seed.to_string().into();
    machine["method"] = METHOD.into();
    machine["command"] = format!("cargo xtask bench {}", args.join(" "))
        .trim()
        .into();
    machine["peers"] = crate::bench_report::peers::versions(&workspace_root().join("Cargo.lock"));
    Ok((machine, samples))
}

/// The description and the samples of an earlier run's `results.json`,
/// for `--from`: the report again, written by this checkout's code.
fn read_run(path: &Path) -> Result<(Value, Vec<Sample>), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("bench: cannot read {}: {error}", path.display()))?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|error| format!("bench: {} is not JSON: {error}", path.display()))?;
    Ok((value["machine"].clone(), read_results(path)?))
}

/// Builds `matrix` once per variant and `waiting` once, with the run's
/// profile, and copies them into `bin` (`matrix-<variant>` and `waiting`):
/// the jemalloc feature rebuilds ring-benches in the usual target
/// directory, so each build is copied out before the next overwrites it;
/// the ablation builds have target directories of their own
/// (`target/bench-unpadded`, `target/bench-uncached`), as their `RUSTFLAGS`
/// rebuild every dependency. The paths come from cargo's own report
/// of what it built, so a target directory set elsewhere is honoured.
fn build_binaries(options: &Options, bin: &Path) -> Result<(), String> {
    let profile = options.profile();
    for Variant {
        name: variant,
        features,
        cfgs,
    } in VARIANTS
    {
        let mut command = if cfgs.is_empty() {
            cargo()
        } else {
            cargo_with_cfgs(&format!("bench-{variant}"), cfgs)
        };
        command.args(["build", "--profile", profile, "-p", "ring-benches"]);
        command.args(["--message-format", "json-render-diagnostics"]);
        command.args(["--bin", "matrix"]);
        let builds_waiting = variant == "default";
        if builds_waiting {
            command.args(["--bin", "waiting"]);
        }
        if !features.is_empty() {
            command.args(["--features", features]);
        }
        let built = built_executables(
            &format!("build the benchmarks, variant {variant:?} ({profile} profile)"),
            &mut command,
        )?;
        let executable = |name: &str| {
            built
                .iter()
                .find(|path| path.file_name().is_some_and(|file| file == name))
                .ok_or_else(|| format!("bench: cargo reported no {name} executable"))
        };
        copy(
            executable("matrix")?,
            &bin.join(format!("matrix-{variant}")),
        )?;
        if builds_waiting {
            copy(executable("waiting")?, &bin.join("waiting"))?;
        }
    }
    Ok(())
}

/// Runs a `cargo build --message-format json...` step and returns the
/// executables it reports.
fn built_executables(step: &str, command: &mut Command) -> Result<Vec<PathBuf>, String> {
    eprintln!("\n=== {step}: {command:?}");
    let started = std::time::Instant::now();
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|error| format!("{step}: could not start {command:?}: {error}"))?;
    eprintln!(
        "=== {step}: {} after {:.0?}",
        output.status,
        started.elapsed()
    );
    if !output.status.success() {
        return Err(format!("{step} failed ({})", output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter_map(|message| message["executable"].as_str().map(PathBuf::from))
        .collect())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(drop).map_err(|error| {
        format!(
            "bench: cannot copy {} to {}: {error}",
            from.display(),
            to.display()
        )
    })
}

/// A seed for a run that was not given one: the clock's nanoseconds.
fn seed_from_clock() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos() as u64)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text)
        .map_err(|error| format!("bench: cannot write {}: {error}", path.display()))
}

/// The samples a matrix run wrote, one JSON object a line.
fn read_lines(path: &Path) -> Result<Vec<Sample>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("bench: cannot read {}: {error}", path.display()))?;
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .map_err(|error| format!("bench: bad line in {}: {error}", path.display()))?;
            Sample::from_json(&value)
        })
        .collect()
}

/// Warns when a baseline's samples were taken by another method than this
/// run's: the changes the report shows against it then mix the two.
fn warn_of_another_method(path: &Path) {
    let method = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|value| value["machine"]["method"].as_str().map(str::to_owned));
    if method.as_deref() != Some(METHOD) {
        eprintln!(
            "bench: warning: {} was measured another way ({}); its changes compare methods as well as code",
            path.display(),
            method.as_deref().unwrap_or(
                "a burst of 500 000 items from a cold start, before the method was recorded"
            ),
        );
    }
}

/// The samples of an earlier run's `results.json`.
pub fn read_results(path: &Path) -> Result<Vec<Sample>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("bench: cannot read {}: {error}", path.display()))?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|error| format!("bench: {} is not JSON: {error}", path.display()))?;
    value["samples"]
        .as_array()
        .ok_or_else(|| format!("bench: {} has no \"samples\" list", path.display()))?
        .iter()
        .map(Sample::from_json)
        .collect()
}

/// Runs `bench --quick` and checks that the report and the results exist,
/// are not empty, and cover every implementation and every dimension: the
/// check CI runs.
pub fn quick_check() -> Result<(), String> {
    run(&["--quick".to_string()])?;
    let dir = report_dir();
    let samples = read_results(&dir.join("results.json"))?;
    let mut missing = Vec::new();
    let covers = |test: &dyn Fn(&Sample) -> bool| samples.iter().any(test);
    for name in IMPLEMENTATIONS {
        for workload in ["throughput", "round trip", "round-trip latency p99.9"] {
            if !covers(&|s| {
                s.key.variant == "default"
                    && s.key.implementation == name
                    && s.key.workload == workload
            }) {
                missing.push(format!("{name} {workload}"));
            }
        }
    }
    for name in ["ring-spin", "ring-park", "ring-async", "rtrb"] {
        if !covers(&|s| s.key.implementation == name && s.key.workload == "batch throughput") {
            missing.push(format!("{name} batch throughput"));
        }
    }
    for name in ["ring-spin", "ring-park", "rtrb"] {
        if !covers(&|s| {
            s.key.implementation == name && s.key.workload == "working-producer throughput"
        }) {
            missing.push(format!("{name} working-producer throughput"));
        }
    }
    for variant in VARIANTS {
        if !covers(&|s| s.key.variant == variant.name) {
            missing.push(format!("variant {}", variant.name));
        }
    }
    for item in ["u8", "u64", "64 B", "256 B", "String"] {
        if !covers(&|s| s.key.item == item) {
            missing.push(format!("item {item}"));
        }
    }
    for capacity in [64, 1024, 65_536] {
        if !covers(&|s| s.key.capacity == capacity) {
            missing.push(format!("capacity {capacity}"));
        }
    }
    for name in [
        "ring-spin",
        "ring-park",
        "std sync_channel",
        "crossbeam-channel bounded",
        "ring-async",
        "kanal bounded_async",
        "tokio mpsc",
    ] {
        for workload in [
            "paced 10000/s: consumer CPU",
            "paced 10000/s: latency p99",
            "shared cores +4",
            "saturated: CPU per item",
        ] {
            if !covers(&|s| {
                s.key.variant == "waiting"
                    && s.key.implementation == name
                    && s.key.workload == workload
            }) {
                missing.push(format!("{name} {workload}"));
            }
        }
    }
    for name in [
        "ring-async",
        "tokio simplex",
        "tokio duplex",
        "ring-park",
        "UnixStream pair",
        "ring-spin",
    ] {
        if !covers(&|s| s.key.implementation == name && s.key.workload == "byte pipe") {
            missing.push(format!("{name} byte pipe"));
        }
    }
    if !covers(&|s| !s.key.pinned) {
        missing.push("unpinned threads".into());
    }
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap_or_default();
    if !report.contains("rtrb 0.4") {
        missing.push("the peers' versions (rtrb 0.4.x) in the headline".into());
    }
    for heading in [
        "## Implementations measured",
        "## Headline",
        "## Round-trip latency percentiles",
        "## Waiting policy",
        "## Batches against single items",
        "## Item types",
        "## Capacity",
        "## Pinned against unpinned",
        "## Allocator",
        "## Cache alignment",
        "## rigtorp's cached indices",
        "## Paced streams",
        "## Shared cores",
        "## CPU time per item",
        "## Byte pipes",
        "## Which flavour should I use?",
    ] {
        if !report.contains(heading) {
            missing.push(format!("report section {heading:?}"));
        }
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap_or_default();
    if !html.contains("<svg") {
        missing.push("charts in report.html".into());
    }
    if missing.is_empty() {
        eprintln!("bench: the quick report covers every implementation and dimension");
        Ok(())
    } else {
        Err(format!(
            "bench: the quick report misses {}",
            missing.join(", ")
        ))
    }
}
