//! The report's section on byte pipes: ring-async against tokio's
//! in-memory pipes, ring-park against a Unix socket pair, ring-spin as a
//! pipe that does nothing but copy in and out, and the advice it supports.

use super::{Measured, Section, Table, Wording, compare, key, ratio_cell};
use crate::bench_stats::{Figure, Key, Sample, ratio};

/// The byte pipes' figures are written under the waiting variant.
const VARIANT: &str = "waiting";
const WORKLOAD: &str = "byte pipe";
/// The pipe's size in bytes, written as the point's capacity.
const PIPE_BYTES: u64 = 65_536;
/// Each implementation, in the order of the table, and the peer its
/// same-rep ratio is taken against.
const PIPES: [(&str, Option<&str>); 6] = [
    ("ring-async", Some("tokio simplex")),
    ("tokio simplex", None),
    ("tokio duplex", None),
    ("ring-park", Some("UnixStream pair")),
    ("UnixStream pair", None),
    ("ring-spin", Some("tokio simplex")),
];

fn point(implementation: &str) -> Key {
    key(VARIANT, WORKLOAD, implementation, "u8", PIPE_BYTES, false)
}

fn same_rep(samples: &[Sample], ours: &str, theirs: &str) -> Option<Figure> {
    ratio(samples, &point(ours), &point(theirs))
}

/// The byte pipes' throughput, with same-rep ratios.
pub fn section(samples: &[Sample], figures: &Measured) -> Section {
    let mut rows = Vec::new();
    let mut chart = Vec::new();
    for (name, peer) in PIPES {
        let Some(figure) = figures.get(&point(name)) else {
            continue;
        };
        chart.push((name.to_string(), *figure));
        let against = peer.map_or_else(String::new, |peer| {
            format!(
                "{} (to {peer})",
                ratio_cell(same_rep(samples, name, peer).as_ref())
            )
        });
        rows.push(vec![name.to_string(), figures.cell(&point(name)), against]);
    }
    Section {
        title: "Byte pipes: a stream of bytes through `io::Write`/`io::Read`".into(),
        text: "64 MiB (`--quick`: 1 MiB) written in 4 KiB writes into a pipe that holds 64 KiB and read out in reads of up to 4 KiB, timed from the first write until the reader sees the end of the stream; the reader compares every read with the pattern written. ring-async (built with its feature `tokio-io` and without `tokio`, so without tokio's cooperative budget) and tokio's `io::simplex(65_536)` and `io::duplex(65_536)` run each end as a task of one 2-worker tokio runtime; ring-park and a `std::os::unix::net::UnixStream` pair (kernel socket buffers at their defaults) run each end on a thread, unpinned. ring-spin, whose ends are two threads that never sleep, shows what the copies alone cost while each end has a core: a write copies into the ring and a read out of it, as in every pipe of the table, with nothing else in between but one index publication per write (unpinned, it also shows how much a spinning pair loses when the machine takes a core away). Ratios are same-rep ratios of throughput.".into(),
        tables: vec![Table {
            title: "byte pipe throughput".into(),
            headers: ["implementation", "MiB/s", "same-rep ratio"]
                .map(String::from)
                .to_vec(),
            rows,
            chart,
            chart_unit: "MiB/s".into(),
        }],
    }
}

/// Advice on byte streams, where the run measured them.
pub fn advice(samples: &[Sample]) -> Vec<String> {
    let wording = Wording {
        less: "slower than",
        more: "faster than",
        same: "as fast as",
        undetected: "not detectably faster or slower than",
    };
    PIPES
        .iter()
        .filter_map(|(ours, peer)| {
            let peer = (*peer)?;
            let against = same_rep(samples, ours, peer)?;
            let ends = match *ours {
                "ring-async" => "both ends tasks of a 2-worker tokio runtime",
                "ring-spin" => "both ends spinning threads, nothing but the copies",
                _ => "both ends threads",
            };
            Some(format!(
                "Byte streams ({ends}): **{ours}** moved bytes {}.",
                compare(&against, &wording, peer)
            ))
        })
        .collect()
}
