//! What the benchmark report says about the machine it ran on.

use std::process::Command;

use serde_json::{Value, json};

/// The machine, the toolchain and the checkout, as the report opens with.
pub fn describe() -> Value {
    json!({
        "cpu": cpu_model(),
        "cores": std::thread::available_parallelism().map_or(0, usize::from),
        "kernel": read_trimmed("/proc/sys/kernel/osrelease"),
        "rustc": output_of("rustc", &["--version"]),
        "commit": output_of("git", &["rev-parse", "--short", "HEAD"]),
        "date": output_of("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
    })
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn read_trimmed(path: &str) -> String {
    std::fs::read_to_string(path).map_or_else(|_| "unknown".into(), |text| text.trim().to_string())
}

fn output_of(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map_or_else(
            || "unknown".into(),
            |output| String::from_utf8_lossy(&output.stdout).trim().to_string(),
        )
}
