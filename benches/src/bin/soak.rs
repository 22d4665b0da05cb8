//! The soak run behind `cargo xtask soak`: pushes many items through each
//! flavour across two threads (or two tasks), checks every item's place in
//! the sequence and a running checksum, and reports items per second.
//!
//! `soak [--items N]` (default 10^9 per flavour). A lost, duplicated,
//! reordered or corrupted item, or a checksum mismatch, panics with the
//! item's index, so the process fails.

use std::thread;
use std::time::{Duration, Instant};

/// The ring capacity: not a power of two, so that the exact-capacity index
/// arithmetic wraps at an odd place.
const CAPACITY: usize = 1000;
/// Items per slice in the batch run.
const BATCH: usize = 64;

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
    producer.join().expect("the producer panicked");
    let receiver = consumer.join().expect("the consumer panicked");
    (receiver, start.elapsed())
}

fn ring_core(items: u64) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_core::channel(CAPACITY);
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

fn ring_spin(items: u64) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_spin::channel(CAPACITY);
    on_threads(
        move || (0..items).for_each(|index| producer.push(value(index)).unwrap()),
        move |receiver| consumer.iter().for_each(|item| receiver.take(item)),
    )
}

fn ring_spin_batches(items: u64) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_spin::channel(CAPACITY);
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
                let popped = consumer.pop_slice(&mut batch);
                batch[..popped].iter().for_each(|&item| receiver.take(item));
                if popped == 0 {
                    if consumer.is_disconnected() && consumer.is_empty() {
                        break;
                    }
                    std::hint::spin_loop();
                }
            }
        },
    )
}

fn ring_park(items: u64) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_park::channel(CAPACITY);
    on_threads(
        move || (0..items).for_each(|index| producer.push(value(index)).unwrap()),
        move |receiver| consumer.iter().for_each(|item| receiver.take(item)),
    )
}

/// Producer and consumer tasks on a tokio runtime with two workers.
fn ring_async_tasks(items: u64) -> (Receiver, Duration) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let (mut producer, mut consumer) = ring_async::channel(CAPACITY);
    let start = Instant::now();
    let receiver = runtime.block_on(async move {
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
        producer.await.expect("the producer task panicked");
        consumer.await.expect("the consumer task panicked")
    });
    (receiver, start.elapsed())
}

/// A plain thread blocking on `push_blocking` feeds a task on a
/// current-thread runtime of another thread.
fn ring_async_thread_to_task(items: u64) -> (Receiver, Duration) {
    let (mut producer, mut consumer) = ring_async::channel(CAPACITY);
    on_threads(
        move || (0..items).for_each(|index| producer.push_blocking(value(index)).unwrap()),
        move |receiver| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async {
                while let Ok(item) = consumer.pop().await {
                    receiver.take(item);
                }
            });
        },
    )
}

/// A soak of one flavour: moves the given number of items, and returns the
/// consumer's receiver and the time the transfer took.
type Soak = fn(u64) -> (Receiver, Duration);

/// Every flavour, by name.
const RUNS: [(&str, Soak); 6] = [
    ("ring-core (try_push/try_pop)", ring_core),
    ("ring-spin", ring_spin),
    ("ring-spin (slices of 64)", ring_spin_batches),
    ("ring-park", ring_park),
    ("ring-async (two tasks, tokio 2 workers)", ring_async_tasks),
    ("ring-async (thread to task)", ring_async_thread_to_task),
];

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
    let expected = sent_checksum(items);
    println!("soak: {items} items through each flavour, capacity {CAPACITY}");
    for (name, run) in RUNS {
        let (receiver, elapsed) = run(items);
        assert_eq!(
            receiver.received, items,
            "{name}: {} of {items} items arrived",
            receiver.received
        );
        assert_eq!(receiver.checksum, expected, "{name}: checksum mismatch");
        println!(
            "{name:<42} {items} items in {:>7.2} s: {:>7.1} M items/s, checksum {:016x} ok",
            elapsed.as_secs_f64(),
            items as f64 / elapsed.as_secs_f64() / 1e6,
            receiver.checksum.0,
        );
    }
}
