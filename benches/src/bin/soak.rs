//! The soak run behind `cargo xtask soak`: pushes many items through each
//! flavour across two threads (or two tasks), checks every item's place in
//! the sequence and a running checksum, and reports items per second.
//!
//! `soak [--items N]` (default 10^9 per run; the runs at capacity 1 and the
//! one with boxed items move fewer, as said in their names). A lost,
//! duplicated, reordered or corrupted item, or a checksum mismatch, panics
//! with the item's index; a run that stops making progress for a minute (a
//! lost wake-up) is reported and ends the process with a failure.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Items per slice or chunk in the batch runs.
const BATCH: usize = 64;

/// How long a run may go without an item arriving before the watchdog
/// calls it a hang.
const STALL_LIMIT: Duration = Duration::from_secs(60);

/// How many items the consumer takes between two progress reports.
const PROGRESS_EVERY: u64 = 4096;

/// Items received so far in the current run, for the watchdog. Relaxed
/// is enough: the watchdog only needs to see the count change eventually.
static PROGRESS: AtomicU64 = AtomicU64::new(0);

/// The value of the `index`th item: a bijection of the index whose bits all
/// change from one item to the next, so that a torn or stale slot shows.
fn value(index: u64) -> u64 {
    index.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5555_5555_5555_5555
}

/// A running checksum over a sequence of values, sensitive to their order.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Checksum(u64);

impl Checksum {
    fn add(&mut self, value: u64) {
        self.0 = self.0.rotate_left(5).wrapping_mul(31) ^ value;
    }
}

/// What the consumer checks for each item, in order.
struct Receiver {
    received: u64,
    checksum: Checksum,
}

impl Receiver {
    fn new() -> Self {
        Self {
            received: 0,
            checksum: Checksum::default(),
        }
    }

    fn take(&mut self, item: u64) {
        let expected = value(self.received);
        assert!(
            item == expected,
            "item {} is {item:#x}, expected {expected:#x}",
            self.received
        );
        self.checksum.add(item);
        self.received += 1;
        if self.received % PROGRESS_EVERY == 0 {
            PROGRESS.store(self.received, Ordering::Relaxed);
        }
    }
}

/// The producer's checksum of `items` items.
fn sent_checksum(items: u64) -> Checksum {
    let mut checksum = Checksum::default();
    (0..items).for_each(|index| checksum.add(value(index)));
    checksum
}

/// Runs `produce` and `consume` on two threads and returns the consumer's
/// receiver and how long the whole transfer took.
fn on_threads(
    produce: impl FnOnce() + Send + 'static,
    consume: impl FnOnce(&mut Receiver) + Send + 'static,
) -> (Receiver, Duration) {
    let start = Instant::now();
    let consumer = thread::spawn(move || {
        let mut receiver = Receiver::new();
        consume(&mut receiver);
        receiver
    });
    let producer = thread::spawn(produce);
    // The consumer first: if it finds a wrong item it panics, and the
    // producer then fails on the disconnection; the consumer's message is
    // the one that explains.
    let receiver = consumer.join().expect("the consumer panicked");
    producer.join().expect("the producer panicked");
    (receiver, start.elapsed())
}

/// A tokio runtime with two workers, or one on the current thread.
fn runtime(workers: usize) -> tokio::runtime::Runtime {
    if workers == 1 {
        tokio::runtime::Builder::new_current_thread().build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .build()
    }
    .expect("a tokio runtime")
}

fn ring_core_single(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_core::channel(capacity);
    on_threads(
        move || {
            for index in 0..items {
                let mut item = value(index);
                while let Err(error) = producer.try_push(item) {
                    assert!(error.is_full(), "the consumer left early");
                    item = error.into_inner();
                    std::hint::spin_loop();
                }
            }
        },
        move |receiver| {
            loop {
                match consumer.try_pop() {
                    Ok(item) => receiver.take(item),
                    Err(ring_core::TryPopError::Empty) => std::hint::spin_loop(),
                    Err(ring_core::TryPopError::Disconnected) => break,
                }
            }
        },
    )
}

/// Chunks written with `fill_from_iter` and read through the chunk's
/// iterator, with ring-core's own handles.
fn ring_core_chunks(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_core::channel(capacity);
    on_threads(
        move || {
            let mut next = 0;
            while next < items {
                let wanted = (items - next).min(BATCH as u64);
                let chunk = producer.write_chunk_uninit(wanted as usize);
                next += chunk.fill_from_iter((next..next + wanted).map(value)) as u64;
                assert!(!producer.is_disconnected(), "the consumer left early");
                std::hint::spin_loop();
            }
        },
        move |receiver| {
            loop {
                let disconnected = consumer.is_disconnected();
                let chunk = consumer.read_chunk(BATCH);
                if chunk.is_empty() && disconnected {
                    break;
                }
                chunk.into_iter().for_each(|item| receiver.take(item));
            }
        },
    )
}

fn ring_spin_single(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_spin::channel(capacity);
    on_threads(
        move || (0..items).for_each(|index| producer.push(value(index)).unwrap()),
        move |receiver| consumer.iter().for_each(|item| receiver.take(item)),
    )
}

/// Heap-owning items: each allocated by the producer and freed by the
/// consumer, so a slot read twice or a lost item shows as a wrong value or
/// a double free.
fn ring_spin_boxed(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_spin::channel(capacity);
    on_threads(
        move || (0..items).for_each(|index| producer.push(Box::new(value(index))).unwrap()),
        move |receiver| consumer.iter().for_each(|item| receiver.take(*item)),
    )
}

fn ring_spin_slices(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_spin::channel(capacity);
    on_threads(
        move || {
            let mut next = 0;
            let mut batch = [0; BATCH];
            while next < items {
                let count = (items - next).min(BATCH as u64) as usize;
                for (offset, slot) in batch[..count].iter_mut().enumerate() {
                    *slot = value(next + offset as u64);
                }
                let mut pushed = 0;
                while pushed < count {
                    pushed += producer.push_slice(&batch[pushed..count]);
                    assert!(!producer.is_disconnected(), "the consumer left early");
                }
                next += count as u64;
            }
        },
        move |receiver| {
            let mut batch = [0; BATCH];
            loop {
                let disconnected = consumer.is_disconnected();
                let popped = consumer.pop_slice(&mut batch);
                batch[..popped].iter().for_each(|&item| receiver.take(item));
                if popped == 0 {
                    if disconnected {
                        break;
                    }
                    std::hint::spin_loop();
                }
            }
        },
    )
}

fn ring_park_single(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_park::channel(capacity);
    on_threads(
        move || (0..items).for_each(|index| producer.push(value(index)).unwrap()),
        move |receiver| consumer.iter().for_each(|item| receiver.take(item)),
    )
}

/// Producer and consumer tasks on a tokio runtime with two workers.
fn ring_async_tasks(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_async::channel(capacity);
    let start = Instant::now();
    let receiver = runtime(2).block_on(async move {
        let producer = tokio::spawn(async move {
            for index in 0..items {
                producer.push(value(index)).await.unwrap();
            }
        });
        let consumer = tokio::spawn(async move {
            let mut receiver = Receiver::new();
            while let Ok(item) = consumer.pop().await {
                receiver.take(item);
            }
            receiver
        });
        let receiver = consumer.await.expect("the consumer task panicked");
        producer.await.expect("the producer task panicked");
        receiver
    });
    (receiver, start.elapsed())
}

/// A plain thread blocking on `push_blocking` feeds a task on a
/// current-thread runtime of another thread.
fn ring_async_thread_to_task(items: u64, capacity: usize) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_async::channel(capacity);
    on_threads(
        move || (0..items).for_each(|index| producer.push_blocking(value(index)).unwrap()),
        move |receiver| {
            runtime(1).block_on(async {
                while let Ok(item) = consumer.pop().await {
                    receiver.take(item);
                }
            });
        },
    )
}

/// One soak run: its name, ring capacity, the share of `--items` it moves
/// (its divisor), and the function that moves them.
struct Run {
    name: &'static str,
    capacity: usize,
    divisor: u64,
    soak: fn(u64, usize) -> (Receiver, Duration),
}

/// Every run. Capacity 1000 is not a power of two, so the exact-capacity
/// index arithmetic wraps at an odd place; capacity 1 makes every item a
/// full and an empty ring, where the waiting flavours sleep and wake the
/// most, and moves a hundredth of the items.
const RUNS: [Run; 10] = [
    Run {
        name: "ring-core try_push/try_pop",
        capacity: 1000,
        divisor: 1,
        soak: ring_core_single,
    },
    Run {
        name: "ring-core chunks of 64",
        capacity: 1000,
        divisor: 1,
        soak: ring_core_chunks,
    },
    Run {
        name: "ring-spin",
        capacity: 1000,
        divisor: 1,
        soak: ring_spin_single,
    },
    Run {
        name: "ring-spin slices of 64",
        capacity: 1000,
        divisor: 1,
        soak: ring_spin_slices,
    },
    Run {
        name: "ring-spin boxed items (1/10)",
        capacity: 1000,
        divisor: 10,
        soak: ring_spin_boxed,
    },
    Run {
        name: "ring-park",
        capacity: 1000,
        divisor: 1,
        soak: ring_park_single,
    },
    Run {
        name: "ring-park capacity 1 (1/100)",
        capacity: 1,
        divisor: 100,
        soak: ring_park_single,
    },
    Run {
        name: "ring-async two tasks",
        capacity: 1000,
        divisor: 1,
        soak: ring_async_tasks,
    },
    Run {
        name: "ring-async two tasks capacity 1 (1/100)",
        capacity: 1,
        divisor: 100,
        soak: ring_async_tasks,
    },
    Run {
        name: "ring-async thread to task",
        capacity: 1000,
        divisor: 1,
        soak: ring_async_thread_to_task,
    },
];

/// Watches [`PROGRESS`] while `run` runs, and ends the process with a
/// failure if no item arrives for [`STALL_LIMIT`].
fn watched<R>(name: &str, run: impl FnOnce() -> R) -> R {
    PROGRESS.store(0, Ordering::Relaxed);
    // Relaxed: the flag only tells the watchdog to stop looking; no data is
    // handed over through it, and the scope's join orders the rest.
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            let mut last = (PROGRESS.load(Ordering::Relaxed), Instant::now());
            while !done.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(200));
                let progress = PROGRESS.load(Ordering::Relaxed);
                if progress != last.0 {
                    last = (progress, Instant::now());
                } else if last.1.elapsed() > STALL_LIMIT {
                    eprintln!(
                        "soak: {name} made no progress for {STALL_LIMIT:?} after {progress} items: a hang"
                    );
                    std::process::exit(1);
                }
            }
        });
        let result = run();
        done.store(true, Ordering::Relaxed);
        result
    })
}

fn items_from_args() -> Result<u64, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => Ok(1_000_000_000),
        [flag, count] if flag == "--items" => count
            .replace('_', "")
            .parse()
            .map_err(|_| format!("--items takes a whole number, not {count:?}")),
        _ => Err("usage: soak [--items N]".into()),
    }
}

fn main() {
    let items = items_from_args().unwrap_or_else(|message| {
        eprintln!("soak: {message}");
        std::process::exit(2);
    });
    println!("soak: up to {items} items per run, every item and the checksum checked");
    for run in RUNS {
        let items = (items / run.divisor).max(1);
        let (receiver, elapsed) = watched(run.name, || (run.soak)(items, run.capacity));
        assert_eq!(
            receiver.received, items,
            "{}: {} of {items} items arrived",
            run.name, receiver.received
        );
        assert_eq!(
            receiver.checksum,
            sent_checksum(items),
            "{}: checksum mismatch",
            run.name
        );
        println!(
            "{:<40} {items:>10} items in {:>7.2} s: {:>7.1} M items/s, checksum {:016x} ok",
            run.name,
            elapsed.as_secs_f64(),
            items as f64 / elapsed.as_secs_f64() / 1e6,
            receiver.checksum.0,
        );
    }
}
