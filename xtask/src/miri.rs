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
    ensure_nightly_components(&COMPONENTS)?;
    for (model, flags) in [
        ("Stacked Borrows", ""),
        ("Tree Borrows", "-Zmiri-tree-borrows"),
    ] {
        let mut command = miri_test(flags);
        for package in RING_CRATES {
            command.args(["-p", package]);
        }
        run_step(&format!("miri ({model})"), &mut command)?;
    }
    Ok(())
}

/// The concurrent tests once per seed of `seeds`, under each aliasing
/// model: each seed makes Miri pick other thread interleavings and other
/// values for weak-memory loads.
pub fn many_seeds(seeds: Range<u64>) -> Result<(), String> {
    ensure_nightly_components(&COMPONENTS)?;
    for (model, model_flag) in MODELS {
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
