//! `cargo xtask verify-long [--seeds N] [--fuzz-time SECS] [--items N]
//! [--rounds N]`: the long runs that CI's test command only samples. The
//! 10^9-item soak, the capacity-1 ping-pong stress tests of ring-park and
//! ring-async over `--rounds` rounds per spin policy (default 5 000 000),
//! every fuzz target for `SECS` seconds (default 30 minutes each), every
//! ring crate's tests under Miri with both aliasing models (the test
//! command runs only ring-core under Tree Borrows), and the concurrent
//! tests under Miri, with both models, once per seed of `0..N` (default
//! 64).

use crate::command::{cargo, parse_count, run_step};
use crate::{fuzz, miri, soak};

/// Miri seeds per concurrent test when `--seeds` is not given.
const DEFAULT_SEEDS: u64 = 64;
/// Fuzzing seconds per target when `--fuzz-time` is not given.
const DEFAULT_FUZZ_SECONDS: u64 = 30 * 60;
/// Ping-pong rounds per stress run when `--rounds` is not given.
const DEFAULT_STRESS_ROUNDS: u64 = 5_000_000;

const USAGE: &str =
    "usage: cargo xtask verify-long [--seeds N] [--fuzz-time SECS] [--items N] [--rounds N]";

struct Options {
    seeds: u64,
    fuzz_seconds: u64,
    items: u64,
    rounds: u64,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        seeds: DEFAULT_SEEDS,
        fuzz_seconds: DEFAULT_FUZZ_SECONDS,
        items: soak::DEFAULT_ITEMS,
        rounds: DEFAULT_STRESS_ROUNDS,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = parse_count(flag, value)?;
        match flag.as_str() {
            "--seeds" => options.seeds = number,
            "--fuzz-time" if number == 0 => {
                return Err(
                    "--fuzz-time takes seconds from 1 up (libFuzzer reads 0 as no limit)".into(),
                );
            }
            "--fuzz-time" => options.fuzz_seconds = number,
            "--items" => options.items = number,
            "--rounds" => options.rounds = number,
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    Ok(options)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    soak::soak(options.items)?;
    stress(options.rounds)?;
    fuzz::fuzz_for(options.fuzz_seconds)?;
    // Every crate under both aliasing models: the test command runs only
    // ring-core under Tree Borrows.
    miri::run()?;
    miri::many_seeds(0..options.seeds, miri::SeedModels::Both)?;
    eprintln!("\nAll long runs passed.");
    Ok(())
}

/// The capacity-1 ping-pong stress tests on the path that ships (compiler
/// fence and `membarrier`), optimized, over `rounds` rounds per policy: a
/// lost wake-up hangs them, and their watchdog fails them.
fn stress(rounds: u64) -> Result<(), String> {
    run_step(
        &format!("stress: capacity-1 ping-pong, {rounds} rounds per spin policy"),
        cargo()
            .args(["test", "--release", "-p", "ring-park", "--test", "park"])
            .args(["-p", "ring-async", "--test", "stress", "--", "ping_pong"])
            .env("RING_STRESS_ROUNDS", rounds.to_string()),
    )
}
