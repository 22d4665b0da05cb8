//! `cargo xtask miri`: the tests of ring-core, ring-spin, ring-park and
//! ring-async under Miri.

use std::process::Command;

use crate::command::{nightly_cargo, run_step};

/// The nightly components Miri needs.
const COMPONENTS: [&str; 2] = ["miri", "rust-src"];

/// Installs the nightly `miri` and `rust-src` components when missing.
fn ensure_components() -> Result<(), String> {
    let listed = Command::new("rustup")
        .args(["+nightly", "component", "list", "--installed"])
        .output()
        .map_err(|error| format!("miri: could not run rustup: {error}"))?;
    let installed = String::from_utf8_lossy(&listed.stdout);
    let missing: Vec<&str> = COMPONENTS
        .into_iter()
        .filter(|component| !installed.lines().any(|line| line.starts_with(component)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut install = Command::new("rustup");
    install
        .args(["+nightly", "component", "add"])
        .args(&missing);
    run_step("install Miri", &mut install)
}

pub fn run() -> Result<(), String> {
    ensure_components()?;
    let mut command = nightly_cargo();
    command
        .args([
            "miri",
            "test",
            "-p",
            "ring-core",
            "-p",
            "ring-spin",
            "-p",
            "ring-park",
            "-p",
            "ring-async",
            "--target-dir",
            "target/miri",
        ])
        .env("MIRIFLAGS", "-Zmiri-strict-provenance");
    run_step("miri", &mut command)
}
