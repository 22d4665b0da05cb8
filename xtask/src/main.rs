//! Workspace automation, run as `cargo xtask <task>`.
//!
//! - `test`: everything CI checks, in order: `cargo fmt --check`, clippy
//!   with `-D warnings`, all tests and doctests, loom, Miri.
//! - `lint`, `tests`: the first two parts of `test` on their own.
//! - `loom`: the loom models of ring-core's protocol.
//! - `miri`: the ring-core and ring-spin tests under Miri with strict
//!   provenance; installs the nightly `miri` and `rust-src` components when
//!   they are missing.
//! - `bench`: the criterion benchmarks and the interleaved comparison of
//!   the flavours with their peers.

mod bench;
mod command;
mod loom;
mod miri;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <test | lint | tests | loom | miri | bench [--quick]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(),
        Some("lint") => test::lint(),
        Some("tests") => test::tests(),
        Some("loom") => loom::run(),
        Some("miri") => miri::run(),
        Some("bench") => bench::run(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing task\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
