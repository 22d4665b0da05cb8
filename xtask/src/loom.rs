//! `cargo xtask loom`: the loom models of ring-core's index protocol and
//! wake-up handshake, ring-park's parking and ring-async's task wake-ups.

use crate::command::{cargo, run_step};

/// Loom's bound on preemptions per execution. Three explores every
/// interleaving of the models' two threads that matters here in seconds;
/// more grows the search exponentially.
const MAX_PREEMPTIONS: &str = "3";

pub fn run() -> Result<(), String> {
    let mut command = cargo();
    command
        .args([
            "test",
            "-p",
            "ring-core",
            "-p",
            "ring-park",
            "-p",
            "ring-async",
            "--test",
            "loom",
            "--release",
            "--target-dir",
            "target/loom",
        ])
        .env("RUSTFLAGS", "--cfg loom")
        .env(
            "LOOM_MAX_PREEMPTIONS",
            std::env::var("LOOM_MAX_PREEMPTIONS").unwrap_or(MAX_PREEMPTIONS.into()),
        );
    run_step("loom", &mut command)
}
