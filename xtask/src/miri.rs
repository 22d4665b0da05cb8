//! `cargo xtask miri`: the tests of ring-core, ring-spin, ring-park and
//! ring-async under Miri, with strict provenance, under both of Miri's
//! aliasing models (Stacked Borrows, then Tree Borrows). `verify-long`
//! adds runs of the concurrent tests over many scheduler seeds.

use std::ops::Range;
use std::process::Command;

use crate::command::{RING_CRATES, ensure_nightly_components, nightly_cargo, run_step};

/// The nightly components Miri needs.
const COMPONENTS: [&str; 2] = ["miri", "rust-src"];

/// The tests that run two threads (or tasks) at once, whose outcome depends
/// on Miri's scheduling and weak-memory choices, made from its seed:
/// (package, test target).
const CONCURRENT_TESTS: [(&str, &str); 4] = [
    ("ring-core", "threads"),
    ("ring-spin", "spin"),
    ("ring-park", "park"),
    ("ring-async", "executors"),
];

/// Miri's two aliasing models, with the flag that selects each.
const MODELS: [(&str, &str); 2] = [
    ("Stacked Borrows", ""),
    ("Tree Borrows", "-Zmiri-tree-borrows"),
];

/// Flags of every Miri run. Strict provenance rejects integer-to-pointer
/// casts, which the ring has none of.
const BASE_FLAGS: &str = "-Zmiri-strict-provenance";

/// `cargo miri test` in Miri's own target directory (the flags in
/// `MIRIFLAGS` change only how the tests are interpreted, so every run
/// shares one build).
fn miri_test(flags: &str) -> Command {
    let mut command = nightly_cargo();
    command
        .args(["miri", "test", "--target-dir", "target/miri"])
        .env("MIRIFLAGS", format!("{BASE_FLAGS} {flags}"));
    command
}

/// Every test of every ring crate, under Stacked Borrows and then under
/// Tree Borrows: the two models forbid different aliasing patterns, and
/// code sound under both does not depend on which one Rust settles on.
pub fn run() -> Result<(), String> {
    run_under_models(&RING_CRATES, &RING_CRATES)
}

/// The test command's share, to keep CI within its time budget: every
/// ring crate under Stacked Borrows, the stricter model, and ring-core,
/// where all the `unsafe` code lives, under Tree Borrows too. `cargo xtask
/// miri` and `verify-long` run every crate under both.
pub fn run_for_test_command() -> Result<(), String> {
    run_under_models(&RING_CRATES, &["ring-core"])
}

/// The tests of `stacked` under Stacked Borrows, then those of `tree`
/// under Tree Borrows.
fn run_under_models(stacked: &[&str], tree: &[&str]) -> Result<(), String> {
    ensure_nightly_components(&COMPONENTS)?;
    for ((model, flags), packages) in MODELS.into_iter().zip([stacked, tree]) {
        let mut command = miri_test(flags);
        for package in packages {
            command.args(["-p", package]);
        }
        run_step(
            &format!("miri ({model}): {}", packages.join(", ")),
            &mut command,
        )?;
    }
    Ok(())
}

/// Which aliasing models the seeded runs use.
#[derive(Clone, Copy, Debug)]
pub enum SeedModels {
    /// Stacked Borrows only: the test command's share.
    Stacked,
    /// Both models: `verify-long`.
    Both,
}

/// The concurrent tests once per seed of `seeds`, under the aliasing
/// models `models` names: each seed makes Miri pick other thread
/// interleavings and other values for weak-memory loads.
pub fn many_seeds(seeds: Range<u64>, models: SeedModels) -> Result<(), String> {
    ensure_nightly_components(&COMPONENTS)?;
    let models = match models {
        SeedModels::Stacked => &MODELS[..1],
        SeedModels::Both => &MODELS[..],
    };
    for &(model, model_flag) in models {
        for (package, test) in CONCURRENT_TESTS {
            let flags = format!(
                "{model_flag} -Zmiri-many-seeds={}..{}",
                seeds.start, seeds.end
            );
            let mut command = miri_test(&flags);
            command.args(["-p", package, "--test", test]);
            run_step(
                &format!("miri ({model}) over seeds {seeds:?}: {package} {test}"),
                &mut command,
            )?;
        }
    }
    Ok(())
}
