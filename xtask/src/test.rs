//! `cargo xtask test`: every check CI runs, in order, stopping at the first
//! failure.

use crate::command::{cargo, run_step};

pub fn run() -> Result<(), String> {
    run_step("format", cargo().args(["fmt", "--all", "--check"]))?;
    run_step(
        "clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run_step(
        "clippy (ablation builds)",
        cargo().args([
            "clippy",
            "-p",
            "ring-core",
            "--features",
            "ablation-unpadded-indices,ablation-uncached-indices",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run_step(
        "clippy (no_std)",
        cargo().args([
            "clippy",
            "-p",
            "ring-core",
            "-p",
            "ring-spin",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run_step("tests and doctests", cargo().args(["test", "--workspace"]))?;
    run_step(
        "tests of the ablation builds",
        cargo().args([
            "test",
            "-p",
            "ring-core",
            "--features",
            "ablation-unpadded-indices,ablation-uncached-indices",
            "--tests",
        ]),
    )?;
    crate::loom::run()?;
    crate::miri::run()?;
    eprintln!("\nAll checks passed.");
    Ok(())
}
