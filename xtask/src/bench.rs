//! `cargo xtask bench`: the criterion benchmarks, then the interleaved
//! comparison of the flavours with their peers (the `compare` binary). The
//! full matrix and report are still to come.
//!
//! `--quick` runs both at a tiny size, to check that they work.

use crate::command::{cargo, run_step};

pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|arg| arg == "--quick");
    if let Some(unknown) = args.iter().find(|arg| *arg != "--quick") {
        return Err(format!("bench: unknown option {unknown}"));
    }
    let mut criterion = cargo();
    criterion.args(["bench", "-p", "ring-benches", "--bench", "spsc", "--"]);
    if quick {
        criterion.arg("--test");
    }
    run_step("criterion benchmarks", &mut criterion)?;
    let (reps, items) = if quick {
        ("3", "10000")
    } else {
        ("21", "2000000")
    };
    run_step(
        "interleaved comparison",
        cargo().args([
            "run",
            "--release",
            "-p",
            "ring-benches",
            "--bin",
            "compare",
            "--",
            reps,
            items,
        ]),
    )
}
