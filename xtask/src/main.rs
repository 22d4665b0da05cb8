//! Workspace automation, run as `cargo xtask <task>`.
//!
//! - `test`: everything CI checks, in order: `cargo fmt --check`, clippy
//!   with `-D warnings`, `cargo +1.85 check` of the published crates (the
//!   declared MSRV; skipped with a warning without that toolchain), all
//!   tests and doctests (the compile-fail tests among them), `cargo
//!   package` of the published crates with each package built on its own,
//!   the quick benchmark run and its coverage check, a short
//!   soak, loom, Miri under both aliasing models (and the concurrent tests
//!   over a few scheduler seeds), ThreadSanitizer,
//!   AddressSanitizer, and a short run of every fuzz target.
//! - `lint`, `msrv`, `tests`, `package`: the first parts of `test` on
//!   their own.
//! - `loom`: the loom models of ring-core, ring-park and ring-async.
//! - `miri`: the tests of every ring crate under Miri with strict
//!   provenance, under Stacked Borrows and under Tree Borrows; installs the
//!   nightly `miri` and `rust-src` components when they are missing.
//! - `tsan`, `asan`: the tests under ThreadSanitizer, and under
//!   AddressSanitizer with LeakSanitizer (nightly, `-Zbuild-std`).
//! - `fuzz [--time SECS]`: every cargo-fuzz target for `SECS` seconds
//!   (installs cargo-fuzz when missing).
//! - `soak [--items N]`: `N` items (default 10^9) through each flavour,
//!   every one checked, with the rate of each.
//! - `verify-long [--seeds N] [--fuzz-time SECS] [--items N] [--rounds N]`:
//!   the long runs: the full soak, the ping-pong stress tests, long
//!   fuzzing, Miri over many seeds.
//! - `bench [--quick] [--filter PATTERN] [--reps N] [--seed N]
//!   [--baseline FILE] [--from FILE]`: the
//!   benchmark matrix and its comparison report in `target/bench-report/`.

mod bench;
mod bench_report;
mod bench_stats;
mod command;
mod fuzz;
mod loom;
mod machine;
mod miri;
mod msrv;
mod package;
mod sanitizer;
mod soak;
mod test;
mod verify_long;

use sanitizer::Sanitizer;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <test | lint | tests | msrv | package | loom | miri | tsan | asan \
                     | fuzz [--time SECS] | soak [--items N] \
                     | verify-long [--seeds N] [--fuzz-time SECS] [--items N] [--rounds N] \
                     | bench [--quick] [--filter PATTERN] [--reps N] [--seed N] [--baseline FILE] [--from FILE]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(),
        Some("lint") => test::lint(),
        Some("tests") => test::tests(),
        Some("msrv") => msrv::check(),
        Some("package") => package::check(),
        Some("loom") => loom::run(),
        Some("miri") => miri::run(),
        Some("tsan") => sanitizer::run(Sanitizer::Thread),
        Some("asan") => sanitizer::run(Sanitizer::Address),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("soak") => soak::run(&args[1..]),
        Some("verify-long") => verify_long::run(&args[1..]),
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
