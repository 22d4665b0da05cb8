//! `cargo xtask soak [--items N]`: the soak binary of ring-benches, which
//! pushes `N` items (default 10^9) through each flavour across threads with
//! every item and a running checksum checked, and reports items per second.

use crate::command::{cargo, parse_count, run_step};

/// Items per flavour when `--items` is not given.
pub const DEFAULT_ITEMS: u64 = 1_000_000_000;

/// Runs the soak binary, built with optimizations, over `items` items.
pub fn soak(items: u64) -> Result<(), String> {
    run_step(
        &format!("soak of {items} items per flavour"),
        cargo().args([
            "run",
            "--release",
            "-p",
            "ring-benches",
            "--bin",
            "soak",
            "--",
            "--items",
            &items.to_string(),
        ]),
    )
}

pub fn run(args: &[String]) -> Result<(), String> {
    let items = match args {
        [] => DEFAULT_ITEMS,
        [flag, items] if flag == "--items" => parse_count(flag, items)?,
        _ => return Err("usage: cargo xtask soak [--items N]".into()),
    };
    soak(items)
}
