//! `cargo xtask tsan` and `cargo xtask asan`: the tests of every ring
//! crate under ThreadSanitizer, and under AddressSanitizer with its
//! LeakSanitizer.
//!
//! Both rebuild the standard library with the sanitizer (`-Zbuild-std` on
//! nightly), so that its atomics, threads and allocations are instrumented
//! too; without that, TSan reports false races on synchronization done
//! inside `std` (`Arc`, `thread::park`, channels). No suppression is
//! needed: the runs have none, so every report fails the step.
//!
//! Only the integration and unit tests run (`--lib --tests`); the doctests
//! show usage and would be rebuilt without the sanitizer by rustdoc. The
//! loom models are compiled out without `--cfg loom`.

use std::process::Command;

use crate::command::{RING_CRATES, ensure_nightly_components, nightly_cargo, run_step};

/// A sanitizer this xtask runs.
#[derive(Clone, Copy, Debug)]
pub enum Sanitizer {
    /// Data races, including on the items in the slots.
    Thread,
    /// Use after free, double free, out-of-bounds access, and (through
    /// LeakSanitizer, part of it on Linux) leaked items.
    Address,
}

impl Sanitizer {
    fn flag(self) -> &'static str {
        match self {
            Self::Thread => "thread",
            Self::Address => "address",
        }
    }

    /// The sanitizer's own target directory, as its builds share nothing
    /// with the others.
    fn target_dir(self) -> &'static str {
        match self {
            Self::Thread => "target/tsan",
            Self::Address => "target/asan",
        }
    }

    /// The runtime options: stop at the first report with a failing exit
    /// status, so that a report cannot scroll past unnoticed.
    fn options(self) -> (&'static str, &'static str) {
        match self {
            Self::Thread => ("TSAN_OPTIONS", "halt_on_error=1 second_deadlock_stack=1"),
            Self::Address => ("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1"),
        }
    }
}

/// The host's target triple, which `-Zbuild-std` needs spelled out.
fn host_triple() -> Result<String, String> {
    let output = Command::new("rustc")
        .args(["+nightly", "-vV"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .map_err(|error| format!("could not run rustc +nightly: {error}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc +nightly -vV printed no host triple".into())
}

pub fn run(sanitizer: Sanitizer) -> Result<(), String> {
    ensure_nightly_components(&["rust-src"])?;
    let flag = sanitizer.flag();
    let (options_variable, options) = sanitizer.options();
    let mut command = nightly_cargo();
    command.args(["test", "-Zbuild-std", "--target", &host_triple()?]);
    for package in RING_CRATES {
        command.args(["-p", package]);
    }
    command
        .args(["--lib", "--tests", "--target-dir", sanitizer.target_dir()])
        .env("RUSTFLAGS", format!("-Zsanitizer={flag}"))
        .env(options_variable, options);
    run_step(&format!("tests under the {flag} sanitizer"), &mut command)
}
