//! Workspace automation, run as `cargo xtask <task>`.
//!
//! - `test`: everything CI checks, in order: `cargo fmt --check`, clippy
//!   with `-D warnings`, all tests and doctests, the quick benchmark run
//!   and its coverage check, loom, Miri.
//! - `lint`, `tests`: the first two parts of `test` on their own.
//! - `loom`: the loom models of ring-core, ring-park and ring-async.
//! - `miri`: the tests of every ring crate under Miri with strict
//!   provenance; installs the nightly `miri` and `rust-src` components when
//!   they are missing.
//! - `bench [--quick] [--filter PATTERN] [--reps N] [--baseline FILE]`: the
//!   benchmark matrix and its comparison report in `target/bench-report/`.

mod bench;
mod bench_report;
mod bench_stats;
mod command;
mod loom;
mod machine;
mod miri;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <test | lint | tests | loom | miri | bench [--quick] \
                     [--filter PATTERN] [--reps N] [--baseline FILE]>";

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
