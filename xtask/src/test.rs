//! `cargo xtask test`: every check CI runs, in order, stopping at the first
//! failure; `lint` and `tests` run parts of it.

use crate::command::{cargo, run_step};
use crate::sanitizer::Sanitizer;

/// Items per flavour in the test command's soak: enough for millions of
/// wrap-arounds and waits, done in seconds.
const SOAK_ITEMS: u64 = 5_000_000;
/// Seconds per fuzz target in the test command: a smoke run that the
/// targets build and hold for a while; `verify-long` fuzzes for real.
const FUZZ_SECONDS: u64 = 20;
/// Miri seeds per concurrent test in the test command (under Stacked
/// Borrows); `verify-long` runs many more, under both models.
const MIRI_SEEDS: u64 = 4;

/// Everything: lint, the MSRV check, tests, the packaging check, the
/// quick benchmark report, a short soak,
/// loom, Miri (every crate under Stacked Borrows, ring-core under Tree
/// Borrows too, and a few seeds of the concurrent tests), the sanitizers
/// and a short fuzz run.
pub fn run() -> Result<(), String> {
    lint()?;
    crate::msrv::check()?;
    tests()?;
    crate::package::check()?;
    crate::bench::quick_check()?;
    crate::soak::soak(SOAK_ITEMS)?;
    crate::loom::run()?;
    crate::miri::run_for_test_command()?;
    crate::miri::many_seeds(0..MIRI_SEEDS, crate::miri::SeedModels::Stacked)?;
    crate::sanitizer::run(Sanitizer::Thread)?;
    crate::sanitizer::run(Sanitizer::Address)?;
    crate::fuzz::fuzz_for(FUZZ_SECONDS)?;
    eprintln!("\nAll checks passed.");
    Ok(())
}

/// Formatting, clippy for every build the workspace supports, and the
/// docs.
pub fn lint() -> Result<(), String> {
    run_step("format", cargo().args(["fmt", "--all", "--check"]))?;
    run_step(
        "format (fuzz targets)",
        cargo().args(["fmt", "--manifest-path", "fuzz/Cargo.toml", "--check"]),
    )?;
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
        "clippy (ring-async's features: tokio, futures-io, tokio-io)",
        cargo().args([
            "clippy",
            "-p",
            "ring-async",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run_step(
        "clippy (ablation builds)",
        ablation_cargo().args(["clippy", "-p", "ring-core", "--", "-D", "warnings"]),
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
        "clippy (fuzz targets)",
        cargo().args([
            "clippy",
            "--manifest-path",
            "fuzz/Cargo.toml",
            "--all-targets",
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
    run_step(
        "docs of ring-async's features",
        cargo()
            .args(["doc", "-p", "ring-async", "--all-features", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    Ok(())
}

/// The tests and doctests of every crate, and of the ablation builds.
pub fn tests() -> Result<(), String> {
    run_step("tests and doctests", cargo().args(["test", "--workspace"]))?;
    run_step(
        "tests of ring-async's features (tokio's budget, the byte streams)",
        cargo().args([
            "test",
            "-p",
            "ring-async",
            "--all-features",
            "--test",
            "coop",
            "--test",
            "byte_streams",
        ]),
    )?;
    run_step(
        "doctests of ring-async's features",
        cargo().args(["test", "-p", "ring-async", "--all-features", "--doc"]),
    )?;
    for example in EXAMPLES {
        run_step(
            &format!("example {example} (short run)"),
            cargo().args([
                "run",
                "-p",
                "ring-examples",
                "--example",
                example,
                "--",
                "--short",
            ]),
        )?;
    }
    run_step(
        "tests of the ablation builds",
        ablation_cargo().args(["test", "-p", "ring-core", "--tests"]),
    )
}

/// The programs of `examples/`, each of which checks what it moved; the
/// tests run each briefly (`--short`).
const EXAMPLES: [&str; 4] = ["audio_callback", "logger", "async_pipeline", "byte_pipe"];

/// A cargo command that builds ring-core with both benchmark ablations, in
/// a target directory of its own.
fn ablation_cargo() -> std::process::Command {
    crate::command::cargo_with_cfgs(
        "ablations",
        &[
            crate::command::ABLATION_UNPADDED,
            crate::command::ABLATION_UNCACHED,
        ],
    )
}
