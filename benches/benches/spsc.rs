//! Criterion benchmarks over the same bodies as `cargo xtask bench`: every
//! implementation, every item type, the throughput, round-trip and batch
//! workloads, capacity 1024, threads pinned to two cores (the async
//! implementations as tasks, as in the matrix). `cargo bench -p
//! ring-benches`, or with a filter such as `-- throughput/u64`. Criterion
//! measures one implementation after the other; on a noisy machine the
//! interleaved report of `cargo xtask bench` gives the fairer ratios.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ring_benches::items::Words;
use ring_benches::{Contender, Placement, Workload};

const CAPACITY: usize = 1024;
const ITEMS: u64 = 100_000;

/// One criterion group of a streaming workload (`ITEMS` items a run).
fn streaming(c: &mut Criterion, group: &str, contenders: &[(String, Workload)]) {
    let mut group = c.benchmark_group(group);
    group.throughput(Throughput::Elements(ITEMS));
    for (name, workload) in contenders {
        group.bench_function(BenchmarkId::new(name, CAPACITY), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| workload(CAPACITY, ITEMS, Placement::pinned()))
                    .sum()
            })
        });
    }
    group.finish();
}

/// The throughput and round-trip groups of one item type.
fn per_item(c: &mut Criterion, contenders: &[Contender]) {
    let item = contenders[0].item;
    let throughput: Vec<(String, Workload)> = contenders
        .iter()
        .map(|contender| (contender.name.to_string(), contender.throughput))
        .collect();
    streaming(c, &format!("throughput/{item}"), &throughput);
    let mut group = c.benchmark_group(format!("round_trip/{item}"));
    for contender in contenders {
        group.bench_function(BenchmarkId::new(contender.name, CAPACITY), |b| {
            b.iter_custom(|trips| (contender.round_trip)(CAPACITY, trips, Placement::pinned()))
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    per_item(c, &Contender::all::<u64>());
    per_item(c, &Contender::all::<u8>());
    per_item(c, &Contender::all::<Words<8>>());
    per_item(c, &Contender::all::<Words<32>>());
    per_item(c, &Contender::all::<String>());
    let batches: Vec<(String, Workload)> = Contender::all_with_batches()
        .into_iter()
        .filter_map(|contender| Some((contender.name.to_string(), contender.batch?)))
        .collect();
    streaming(c, "batch_throughput/u64", &batches);
}

criterion_group! {
    name = spsc;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(spsc);
