//! Running cargo and other tools, with clear errors when one fails.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The crates with `unsafe` code or a concurrency protocol, whose tests run
/// under Miri and the sanitizers: one list, so that the runs cannot drift
/// apart.
pub const RING_CRATES: [&str; 4] = ["ring-core", "ring-spin", "ring-park", "ring-async"];

/// Parses the value of a count option such as `--items 1_000_000`
/// (underscores allowed), with an error naming `flag`.
pub fn parse_count(flag: &str, value: &str) -> Result<u64, String> {
    value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{flag} takes a whole number, not {value:?}"))
}

/// The workspace root: the parent of this crate's directory.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The `--cfg` flags of ring-core's benchmark-only ablations: the padding
/// between the indices off, and the cached indices off.
pub const ABLATION_UNPADDED: &str = "ring_ablation_unpadded_indices";
pub const ABLATION_UNCACHED: &str = "ring_ablation_uncached_indices";

/// A `cargo` command that builds with the `--cfg` flags `cfgs` added to
/// the compiler's flags, into a target directory of its own (`<target
/// directory>/<name>`): a change of flags rebuilds every dependency, so a
/// build with other flags than the usual ones keeps its own artifacts and
/// reuses them next time instead of evicting the usual ones. The flags go
/// where cargo reads them: into `CARGO_ENCODED_RUSTFLAGS` when that is set
/// (cargo then ignores `RUSTFLAGS`), else into `RUSTFLAGS`. The variable
/// `RING_EXPECT_ABLATIONS` names the flags for the tests that check they
/// arrived.
pub fn cargo_with_cfgs(name: &str, cfgs: &[&str]) -> Command {
    let mut command = cargo();
    if let Ok(mut encoded) = std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        for cfg in cfgs {
            for part in ["--cfg", cfg] {
                if !encoded.is_empty() {
                    encoded.push('\x1f');
                }
                encoded.push_str(part);
            }
        }
        command.env("CARGO_ENCODED_RUSTFLAGS", encoded);
    } else {
        let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
        for cfg in cfgs {
            flags.push_str(" --cfg ");
            flags.push_str(cfg);
        }
        command.env("RUSTFLAGS", flags.trim());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace_root().join("target"), PathBuf::from);
    command
        .env("CARGO_TARGET_DIR", target.join(name))
        .env("RING_EXPECT_ABLATIONS", cfgs.join(","));
    command
}

/// A `cargo` command run from the workspace root, with the toolchain that
/// runs the xtask (stable unless told otherwise).
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(workspace_root());
    command
}

/// A `cargo +nightly` command run from the workspace root. It goes through
/// the rustup proxy, without the variables that pin the outer toolchain.
pub fn nightly_cargo() -> Command {
    let mut command = Command::new("cargo");
    command
        .arg("+nightly")
        .current_dir(workspace_root())
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC");
    command
}

/// Runs `command`, echoing it first, and fails with `step` in the message
/// if it does not succeed.
pub fn run_step(step: &str, command: &mut Command) -> Result<(), String> {
    eprintln!("\n=== {step}: {command:?}");
    let start = Instant::now();
    let status = command
        .status()
        .map_err(|error| format!("{step}: could not start {command:?}: {error}"))?;
    // The time of each step, so that a slow one is easy to spot in a log.
    eprintln!("=== {step}: {status} after {:.0?}", start.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

/// Installs the nightly `components` that are missing (Miri needs `miri`
/// and `rust-src`; `-Zbuild-std` needs `rust-src`).
pub fn ensure_nightly_components(components: &[&str]) -> Result<(), String> {
    let listed = Command::new("rustup")
        .args(["+nightly", "component", "list", "--installed"])
        .output()
        .map_err(|error| format!("could not run rustup: {error}"))?;
    let installed = String::from_utf8_lossy(&listed.stdout);
    let missing: Vec<&str> = components
        .iter()
        .copied()
        .filter(|component| !installed.lines().any(|line| line.starts_with(component)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    run_step(
        "install nightly components",
        Command::new("rustup")
            .args(["+nightly", "component", "add"])
            .args(&missing),
    )
}
