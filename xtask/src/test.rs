//! `cargo xtask test`: every check CI runs, in order, stopping at the first
//! failure; `lint` and `tests` run parts of it.

use crate::command::{cargo, run_step};

/// Everything: lint, tests, the quick benchmark report, loom, Miri.
pub fn run() -> Result<(), String> {
    lint()?;
    tests()?;
    crate::bench::quick_check()?;
    crate::loom::run()?;
    crate::miri::run()?;
    eprintln!("\nAll checks passed.");
    Ok(())
}

/// Formatting, clippy for every build the workspace supports, and the
/// docs.
pub fn lint() -> Result<(), String> {
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
    run_step(
        "clippy (loom build)",
        crate::loom::loom_cargo("clippy").args(["--tests", "--", "-D", "warnings"]),
    )?;
    run_step(
        "docs (broken links and doc warnings)",
        cargo()
            .args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    Ok(())
}

/// The tests and doctests of every crate, and of the ablation builds.
pub fn tests() -> Result<(), String> {
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
    )
}
