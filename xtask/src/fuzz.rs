//! `cargo xtask fuzz [--time SECS]`: each cargo-fuzz target of `fuzz/`
//! (one per ring crate) for `SECS` seconds, with AddressSanitizer, as
//! cargo-fuzz builds by default. Installs cargo-fuzz when it is missing.

use std::process::{Command, Stdio};

use crate::command::{cargo, nightly_cargo, run_step};

/// The targets, one per crate; see `fuzz/fuzz_targets`.
const TARGETS: [&str; 4] = ["ring_core", "ring_spin", "ring_park", "ring_async"];

/// Seconds per target when `--time` is not given.
const DEFAULT_SECONDS: u64 = 60;

/// libFuzzer's limit on one input, in seconds: an input that runs longer
/// is a hang (say, a spinning push the driver should not have made) and
/// fails the run. Its own default is 20 minutes.
const HANG_SECONDS: u64 = 20;

fn ensure_cargo_fuzz() -> Result<(), String> {
    let found = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if found {
        return Ok(());
    }
    run_step(
        "install cargo-fuzz",
        cargo().args(["install", "cargo-fuzz", "--locked"]),
    )
}

/// Runs every target for `seconds` seconds each.
pub fn fuzz_for(seconds: u64) -> Result<(), String> {
    ensure_cargo_fuzz()?;
    for target in TARGETS {
        run_step(
            &format!("fuzz {target} for {seconds} s"),
            nightly_cargo()
                .args([
                    "fuzz",
                    "run",
                    target,
                    "--",
                    &format!("-max_total_time={seconds}"),
                    &format!("-timeout={HANG_SECONDS}"),
                    // Report the final statistics only, not every new input.
                    "-print_final_stats=1",
                    "-verbosity=0",
                ])
                // cargo-fuzz appends these to its own flags: a warning in the
                // fuzz driver fails the run, as clippy's `-D warnings` does for
                // the workspace.
                .env("RUSTFLAGS", "-D warnings"),
        )?;
    }
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let seconds = match args {
        [] => DEFAULT_SECONDS,
        // libFuzzer reads a limit of 0 as no limit at all.
        [flag, seconds] if flag == "--time" => match seconds.parse() {
            Ok(0) | Err(_) => {
                return Err(format!(
                    "--time takes whole seconds from 1 up, not {seconds:?}"
                ));
            }
            Ok(seconds) => seconds,
        },
        _ => return Err("usage: cargo xtask fuzz [--time SECS]".into()),
    };
    fuzz_for(seconds)
}
