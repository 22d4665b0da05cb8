//! Criterion benchmarks: the flavours against their peers, u64 items,
//! capacity 1024, threads pinned to two cores (the async implementations
//! as two tasks of a tokio runtime whose two workers are pinned so).
//! `cargo bench -p ring-benches`. Criterion measures one implementation
//! after the other; on a noisy machine, prefer the interleaved `compare`
//! binary for ratios.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ring_benches::{Contender, Placement};

const CAPACITY: usize = 1024;
const ITEMS: u64 = 100_000;

fn benches(c: &mut Criterion) {
    let contenders = Contender::all::<u64>();
    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Elements(ITEMS));
    for contender in &contenders {
        group.bench_function(BenchmarkId::new(contender.name, CAPACITY), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| (contender.throughput)(CAPACITY, ITEMS, Placement::pinned()))
                    .sum()
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("round_trip");
    for contender in &contenders {
        group.bench_function(BenchmarkId::new(contender.name, CAPACITY), |b| {
            b.iter_custom(|trips| (contender.round_trip)(CAPACITY, trips, Placement::pinned()))
        });
    }
    group.finish();
}

criterion_group! {
    name = spsc;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(spsc);
