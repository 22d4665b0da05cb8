//! Who is measured: each implementation's name in the report, what it is,
//! and the crate release it comes from (read from `Cargo.lock`, so that the
//! report names the versions that actually ran).

use std::path::Path;

use serde_json::{Map, Value};

/// Where an implementation comes from: this workspace, the standard
/// library, or a crate of crates.io.
#[derive(Clone, Copy)]
enum Source {
    Workspace,
    Std,
    Crate(&'static str),
}

use Source::{Crate, Std, Workspace};

/// Every implementation the benchmarks know, in the order the report lists
/// them: its name in the report, what it is, and where it comes from.
const IMPLEMENTATIONS: [(&str, &str, Source); 17] = [
    ("ring-spin", "this workspace, busy-spinning", Workspace),
    ("ring-park", "this workspace, spins then parks", Workspace),
    (
        "ring-async",
        "this workspace, async; two tasks on a 2-worker tokio runtime",
        Workspace,
    ),
    (
        "ring-async 2×1",
        "ring-async, each task on a current-thread runtime of its own",
        Workspace,
    ),
    ("rtrb", "rtrb `RingBuffer`, spun on", Crate("rtrb")),
    (
        "ringbuf",
        "ringbuf `HeapRb` (caching producer and consumer), spun on",
        Crate("ringbuf"),
    ),
    (
        "crossbeam-queue ArrayQueue",
        "crossbeam-queue `ArrayQueue` (MPMC) in an `Arc`, spun on",
        Crate("crossbeam-queue"),
    ),
    (
        "crossbeam-channel bounded",
        "crossbeam-channel `bounded` (MPMC, spins then parks)",
        Crate("crossbeam-channel"),
    ),
    (
        "flume bounded",
        "flume `bounded` (MPMC, default features)",
        Crate("flume"),
    ),
    (
        "std sync_channel",
        "the standard library's `mpsc::sync_channel`",
        Std,
    ),
    (
        "kanal bounded_async",
        "kanal `bounded_async`; two tasks on a 2-worker tokio runtime",
        Crate("kanal"),
    ),
    (
        "kanal bounded_async 2×1",
        "kanal `bounded_async`, each task on a current-thread runtime",
        Crate("kanal"),
    ),
    (
        "tokio mpsc",
        "tokio `sync::mpsc::channel`; two tasks on a 2-worker runtime",
        Crate("tokio"),
    ),
    (
        "tokio mpsc 2×1",
        "tokio `sync::mpsc::channel`, each task on a current-thread runtime",
        Crate("tokio"),
    ),
    (
        "tokio simplex",
        "tokio `io::simplex` (byte pipes only); two tasks on a 2-worker runtime",
        Crate("tokio"),
    ),
    (
        "tokio duplex",
        "tokio `io::duplex` (byte pipes only); two tasks on a 2-worker runtime",
        Crate("tokio"),
    ),
    (
        "UnixStream pair",
        "`std::os::unix::net::UnixStream::pair` (byte pipes only); two threads",
        Std,
    ),
];

/// The versions of the peers' crates in `lock`, as a JSON object from crate
/// name to version (several versions of one crate joined by " and ").
pub fn versions(lock: &Path) -> Value {
    versions_in(&std::fs::read_to_string(lock).unwrap_or_default())
}

/// [`versions`] of the text of a lock file.
fn versions_in(text: &str) -> Value {
    let mut found = Map::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(name) = quoted_value(line, "name") else {
            continue;
        };
        let is_peer = IMPLEMENTATIONS
            .iter()
            .any(|(_, _, source)| matches!(source, Crate(krate) if *krate == name));
        let version = lines.next().and_then(|line| quoted_value(line, "version"));
        if let (true, Some(version)) = (is_peer, version) {
            let entry = found
                .entry(name.to_string())
                .or_insert_with(|| Value::from(""));
            *entry = match entry.as_str() {
                Some("") => version.into(),
                Some(earlier) => format!("{earlier} and {version}").into(),
                None => version.into(),
            };
        }
    }
    Value::Object(found)
}

/// The value of `key = "value"`.
fn quoted_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim()
        .strip_prefix('"')?
        .strip_suffix('"')
}

/// Where an implementation comes from, in words.
fn release(source: Source, versions: &Value) -> String {
    match source {
        Crate(krate) => format!(
            "{krate} {}",
            versions[krate].as_str().unwrap_or("(version unknown)")
        ),
        Workspace => "this checkout".into(),
        Std => "the toolchain's std (see above)".into(),
    }
}

/// What the report knows of the implementation named `name`.
fn known(name: &str) -> Option<&'static (&'static str, &'static str, Source)> {
    IMPLEMENTATIONS.iter().find(|(known, _, _)| *known == name)
}

/// `name` with the release of its crate, for the headline: "rtrb 0.4.1",
/// "tokio mpsc (tokio 1.54.1)"; this workspace's flavours and std as they
/// are.
pub fn label(name: &str, versions: &Value) -> String {
    match known(name).map(|(_, _, source)| *source) {
        Some(Crate(krate)) => match versions[krate].as_str() {
            Some(version) if krate == name => format!("{name} {version}"),
            Some(version) => format!("{name} ({krate} {version})"),
            None => name.to_string(),
        },
        _ => name.to_string(),
    }
}

/// `names` in the report's order (the known ones as listed above, then any
/// other in the order given), whatever order the run measured them in.
pub fn in_report_order(mut names: Vec<String>) -> Vec<String> {
    let position = |name: &String| {
        IMPLEMENTATIONS
            .iter()
            .position(|(known, _, _)| known == name)
            .unwrap_or(IMPLEMENTATIONS.len())
    };
    // A stable sort keeps the unknown ones in their order.
    names.sort_by_key(position);
    names
}

/// The rows of the table of implementations: name, what it is, release.
pub fn rows(names: &[String], versions: &Value) -> Vec<Vec<String>> {
    names
        .iter()
        .map(|name| match known(name) {
            Some((_, what, source)) => {
                vec![name.clone(), what.to_string(), release(*source, versions)]
            }
            None => vec![name.clone(), String::new(), "?".into()],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "rtrb"
version = "0.4.1"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.0"

[[package]]
name = "tokio"
version = "1.54.1"

[[package]]
name = "tokio"
version = "1.30.0"
"#;

    #[test]
    fn versions_are_read_for_the_peers_only() {
        let versions = versions_in(LOCK);
        assert_eq!(versions["rtrb"], "0.4.1");
        assert_eq!(versions["tokio"], "1.54.1 and 1.30.0");
        assert!(versions.get("serde").is_none());
    }

    #[test]
    fn labels_name_the_release() {
        let versions = versions_in(LOCK);
        assert_eq!(label("rtrb", &versions), "rtrb 0.4.1");
        assert_eq!(
            label("tokio mpsc", &versions),
            "tokio mpsc (tokio 1.54.1 and 1.30.0)"
        );
        assert_eq!(label("ring-spin", &versions), "ring-spin");
        assert_eq!(
            label("kanal bounded_async", &versions),
            "kanal bounded_async"
        );
    }

    #[test]
    fn report_order_is_fixed_whatever_the_run_order() {
        let names = ["tokio mpsc", "someone new", "rtrb", "ring-spin"].map(String::from);
        assert_eq!(
            in_report_order(names.to_vec()),
            ["ring-spin", "rtrb", "tokio mpsc", "someone new"]
        );
    }
}
