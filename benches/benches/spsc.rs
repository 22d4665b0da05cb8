//! Criterion benchmarks: the flavours against their peers, u64 items,
//! capacity 1024, threads pinned to two cores. `cargo bench -p ring-benches`.
//! Criterion measures one implementation after the other; on a noisy
//! machine, prefer the interleaved `compare` binary for ratios.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ring_benches::queues::{CrossbeamBounded, RingPark, RingSpin, Rtrb, StdSyncChannel};
use ring_benches::{Placement, Queue, round_trip, throughput};

const CAPACITY: usize = 1024;

fn bench_throughput<Q: Queue>(c: &mut Criterion, items: u64) {
    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Elements(items));
    group.bench_function(BenchmarkId::new(Q::NAME, CAPACITY), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| throughput::<Q>(CAPACITY, items, Placement::pinned()))
                .sum::<Duration>()
        })
    });
    group.finish();
}

fn bench_round_trip<Q: Queue>(c: &mut Criterion) {
    let mut group = c.benchmark_group("round_trip");
    group.bench_function(BenchmarkId::new(Q::NAME, CAPACITY), |b| {
        b.iter_custom(|iters| round_trip::<Q>(CAPACITY, iters, Placement::pinned()))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    const ITEMS: u64 = 100_000;
    bench_throughput::<RingSpin>(c, ITEMS);
    bench_throughput::<Rtrb>(c, ITEMS);
    bench_throughput::<RingPark>(c, ITEMS);
    bench_throughput::<CrossbeamBounded>(c, ITEMS);
    bench_throughput::<StdSyncChannel>(c, ITEMS);
    bench_round_trip::<RingSpin>(c);
    bench_round_trip::<Rtrb>(c);
    bench_round_trip::<RingPark>(c);
    bench_round_trip::<CrossbeamBounded>(c);
    bench_round_trip::<StdSyncChannel>(c);
}

criterion_group! {
    name = spsc;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(spsc);
