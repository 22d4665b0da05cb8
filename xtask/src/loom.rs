//! `cargo xtask loom`: the loom models of ring-core's index protocol and
//! wake-up handshake, ring-park's parking and ring-async's task wake-ups.

use std::process::Command;

use crate::command::{cargo, run_step};

/// Loom's bound on preemptions per execution. Three explores every
/// interleaving of the models' two threads that matters here in seconds;
/// more grows the search exponentially.
const MAX_PREEMPTIONS: &str = "3";

/// The crates with loom models.
const PACKAGES: [&str; 3] = ["ring-core", "ring-park", "ring-async"];

/// `cargo SUBCOMMAND` over the crates with loom models, built with
/// `--cfg loom` in a target directory of its own (so that switching the
/// flag does not rebuild the normal builds). The loom run and the loom
/// clippy build share it, so that they cannot drift apart.
pub fn loom_cargo(subcommand: &str) -> Command {
    let mut command = cargo();
    command.arg(subcommand);
    for package in PACKAGES {
        command.args(["-p", package]);
    }
    command
        .args(["--target-dir", "target/loom"])
        .env("RUSTFLAGS", "--cfg loom");
    command
}

pub fn run() -> Result<(), String> {
    let mut command = loom_cargo("test");
    command.args(["--test", "loom", "--release"]).env(
        "LOOM_MAX_PREEMPTIONS",
        std::env::var("LOOM_MAX_PREEMPTIONS").unwrap_or(MAX_PREEMPTIONS.into()),
    );
    run_step("loom", &mut command)
}
