//! The MSRV check of `cargo xtask test`: the four published crates, with
//! and without `std`, checked with the Rust version they declare.

use std::process::Command;

use crate::command::{RING_CRATES, run_step, workspace_root};

/// The declared minimum Rust version (`rust-version` of the workspace).
const MSRV: &str = "1.85";

/// `cargo +1.85 check` of the ring crates, and of the `no_std` builds.
/// Without the toolchain (`.ci/run` installs it, and a failed download
/// must not fail CI), the step says so loudly and is skipped.
pub fn check() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["run", MSRV, "rustc", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        eprintln!(
            "\n=== MSRV check SKIPPED: the Rust {MSRV} toolchain is not installed \
             (`rustup toolchain install {MSRV} --profile minimal`)\n"
        );
        return Ok(());
    }
    let cargo = || {
        let mut command = Command::new("cargo");
        command
            .arg(format!("+{MSRV}"))
            .current_dir(workspace_root())
            // The variables of the outer cargo pin its toolchain; the
            // check must run the MSRV's own cargo and rustc.
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO")
            .env_remove("RUSTC")
            .env(
                "CARGO_TARGET_DIR",
                workspace_root().join("target").join("msrv"),
            );
        command
    };
    let mut command = cargo();
    command.arg("check");
    for package in RING_CRATES {
        command.args(["-p", package]);
    }
    run_step(
        &format!("check with Rust {MSRV} (the declared MSRV)"),
        &mut command,
    )?;
    run_step(
        &format!("check with Rust {MSRV}, no_std"),
        cargo().args([
            "check",
            "-p",
            "ring-core",
            "-p",
            "ring-spin",
            "--no-default-features",
        ]),
    )
}
