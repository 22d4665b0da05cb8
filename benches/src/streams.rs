//! The workloads of the waiting flavours' reason to exist: a plain producer
//! thread feeding a consumer that waits, either a thread or a task on a
//! tokio current-thread runtime (how a logger, a telemetry sink or a device
//! thread feeds a service).
//!
//! - [`paced`]: the producer sends at a fixed rate; the figures are the
//!   CPU time each side spends per item, the machine's busy time, and the
//!   delivery latency of every item (each carries its push time).
//! - [`saturated`]: the producer sends as fast as the ring takes items for
//!   a fixed time (steady state, not a burst from a cold start), while
//!   `busy` other threads compete for the cores; the figures are the
//!   throughput and the CPU time both sides spend per item.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use crate::clocks::{machine_busy_time, thread_cpu_of};
use crate::latency::Latencies;
use crate::queues::{CrossbeamBounded, RingPark, RingSpin, StdSyncChannel};
use crate::tasks::{AsyncQueue, KanalAsync, RingAsync, TokioMpsc, current_thread_runtime};
use crate::{Placement, Queue, spawn_on};

/// A ring fed by a plain thread, whose consumer runs the way its users run
/// it: as a thread, or as a task.
pub trait Feed: 'static {
    /// The name in reports.
    const NAME: &'static str;
    /// The writing end.
    type Producer: Send + 'static;
    /// The reading end.
    type Consumer: Send + 'static;

    /// A ring of `capacity` items.
    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer);
    /// Pushes `value`, blocking the calling thread while the ring is full.
    fn push(producer: &mut Self::Producer, value: u64);
    /// Pops items on the calling thread (directly, or as a task of a
    /// current-thread runtime that it runs) and hands each to `each`, until
    /// `each` returns `false`.
    fn consume(consumer: Self::Consumer, each: impl FnMut(u64) -> bool);
}

/// A [`Queue`] whose consumer is a thread.
#[derive(Debug)]
pub struct OnThreads<Q>(Q);

impl<Q: Queue> Feed for OnThreads<Q> {
    const NAME: &'static str = Q::NAME;
    type Producer = Q::Producer<u64>;
    type Consumer = Q::Consumer<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        Q::channel(capacity)
    }

    #[inline(always)]
    fn push(producer: &mut Self::Producer, value: u64) {
        Q::push(producer, value);
    }

    fn consume(mut consumer: Self::Consumer, mut each: impl FnMut(u64) -> bool) {
        while each(Q::pop(&mut consumer)) {}
    }
}

/// An [`AsyncQueue`] whose consumer is a task on a tokio current-thread
/// runtime, fed by a thread through the blocking push.
#[derive(Debug)]
pub struct ToTask<Q>(Q);

impl<Q: AsyncQueue> Feed for ToTask<Q> {
    const NAME: &'static str = Q::NAME;
    type Producer = Q::Producer<u64>;
    type Consumer = Q::Consumer<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        Q::channel(capacity)
    }

    #[inline(always)]
    fn push(producer: &mut Self::Producer, value: u64) {
        Q::push_blocking(producer, value);
    }

    fn consume(mut consumer: Self::Consumer, mut each: impl FnMut(u64) -> bool) {
        current_thread_runtime()
            .block_on(async move { while each(Q::pop(&mut consumer).await) {} });
    }
}

/// One paced sample.
#[derive(Clone, Debug)]
pub struct PacedSample {
    /// Items delivered.
    pub items: u64,
    /// The time from the first push to the last delivery.
    pub elapsed: Duration,
    /// The consumer's on-CPU time, if the system tells.
    pub consumer_cpu: Option<Duration>,
    /// The producer's on-CPU time, if the system tells.
    pub producer_cpu: Option<Duration>,
    /// The busy time of the whole machine (every core) during the sample.
    pub machine_busy: Option<Duration>,
    /// Every item's delivery latency, in an HDR histogram.
    pub latencies: Latencies,
}

impl PacedSample {
    /// The delivery latency at `quantile` (0 to 1; 1 is the maximum).
    pub fn latency_quantile(&self, quantile: f64) -> Duration {
        Duration::from_nanos(self.latencies.quantile_ns(quantile))
    }

    /// `time` as a percentage of one core over the sample.
    pub fn percent_of_core(&self, time: Duration) -> f64 {
        100.0 * time.as_secs_f64() / self.elapsed.as_secs_f64()
    }
}

/// Sends `rate` items a second for `duration` from a plain thread to a
/// consumer of `F`, through a ring of `capacity`, on the cores of
/// `placement`. The producer sleeps until each item is due and then pushes
/// every item that is due, stamped with the time of its push (so at high
/// rates it sends the short bursts that the timer's granularity makes).
///
/// # Panics
///
/// If an item arrives out of order or with a time from the future.
pub fn paced<F: Feed>(
    rate: u64,
    duration: Duration,
    capacity: usize,
    placement: Placement,
) -> PacedSample {
    let count = (rate as f64 * duration.as_secs_f64()).max(1.0) as u64;
    let (mut producer, consumer) = F::channel(capacity);
    let start = Arc::new(Barrier::new(2));
    let producer_start = Arc::clone(&start);
    // Both sides measure time from one origin; each item carries the
    // nanoseconds from it to its push, plus one so that no item is 0.
    let origin = Instant::now();
    let busy_before = machine_busy_time();
    let sender = spawn_on(placement.helper_core, move || {
        producer_start.wait();
        let ((), cpu) = thread_cpu_of(|| {
            let first = Instant::now();
            let period = Duration::from_secs_f64(1.0 / rate as f64);
            let mut sent = 0;
            while sent < count {
                let due = first + period.mul_f64(sent as f64);
                let now = Instant::now();
                if due > now {
                    thread::sleep(due - now);
                }
                let now = Instant::now();
                while sent < count && first + period.mul_f64(sent as f64) <= now {
                    let stamp = origin.elapsed().as_nanos() as u64 + 1;
                    F::push(&mut producer, stamp);
                    sent += 1;
                }
            }
        });
        // The producer stays alive until the consumer has everything, so
        // that no flavour sees a disconnection mid-stream.
        (producer, cpu)
    });
    let receiver = spawn_on(placement.main_core, move || {
        start.wait();
        let mut latencies = Latencies::default();
        let mut received = 0;
        let mut last = 0;
        let ((), cpu) = thread_cpu_of(|| {
            F::consume(consumer, |stamp| {
                let now = origin.elapsed().as_nanos() as u64 + 1;
                assert!(
                    stamp >= last && stamp <= now,
                    "{} delivered out of order",
                    F::NAME
                );
                last = stamp;
                latencies.record(Duration::from_nanos(now - stamp));
                received += 1;
                received < count
            });
        });
        (latencies, cpu, origin.elapsed())
    });
    let (latencies, consumer_cpu, delivered) =
        receiver.join().expect("the paced consumer panicked");
    let (producer, producer_cpu) = sender.join().expect("the paced producer panicked");
    drop(producer);
    let machine_busy = machine_busy_time()
        .zip(busy_before)
        .map(|(after, before)| after.saturating_sub(before));
    PacedSample {
        items: count,
        elapsed: delivered,
        consumer_cpu,
        producer_cpu,
        machine_busy,
        latencies,
    }
}

/// One saturated sample.
#[derive(Clone, Copy, Debug)]
pub struct SaturatedSample {
    /// Items delivered.
    pub items: u64,
    /// The time from the first item's arrival to the last's.
    pub elapsed: Duration,
    /// The producer's and the consumer's on-CPU time together, if the
    /// system tells.
    pub cpu: Option<Duration>,
}

impl SaturatedSample {
    /// Millions of items per second.
    pub fn million_items_per_second(&self) -> f64 {
        self.items as f64 / self.elapsed.as_secs_f64() / 1e6
    }

    /// CPU nanoseconds (both sides) per item.
    pub fn cpu_ns_per_item(&self) -> Option<f64> {
        self.cpu
            .map(|cpu| cpu.as_nanos() as f64 / self.items.max(1) as f64)
    }
}

/// The value that ends a saturated stream.
const END: u64 = u64::MAX;

/// Streams items as fast as `F` takes them for `duration`, through a ring
/// of `capacity`, on the cores of `placement`, while `busy` threads spin
/// on any core. The clock starts at the consumer's first item, after both
/// threads run, and stops at the last, so thread start-up stays out.
///
/// # Panics
///
/// If an item arrives out of order.
pub fn saturated<F: Feed>(
    duration: Duration,
    capacity: usize,
    placement: Placement,
    busy: usize,
) -> SaturatedSample {
    let spinners = BusyThreads::start(busy);
    let stop = Arc::new(AtomicBool::new(false));
    let (mut producer, consumer) = F::channel(capacity);
    let start = Arc::new(Barrier::new(2));
    let producer_start = Arc::clone(&start);
    let producer_stop = Arc::clone(&stop);
    let sender = spawn_on(placement.helper_core, move || {
        producer_start.wait();
        let ((), cpu) = thread_cpu_of(|| {
            let mut next = 0;
            // Relaxed: the flag carries no data; the ring carries the items.
            while !producer_stop.load(Ordering::Relaxed) {
                for _ in 0..256 {
                    F::push(&mut producer, next);
                    next += 1;
                }
            }
            F::push(&mut producer, END);
        });
        (producer, cpu)
    });
    let receiver = spawn_on(placement.main_core, move || {
        start.wait();
        let mut expected = 0;
        let mut first_arrival = None;
        let ((), cpu) = thread_cpu_of(|| {
            F::consume(consumer, |value| {
                if value == END {
                    return false;
                }
                assert_eq!(value, expected, "{} delivered out of order", F::NAME);
                first_arrival.get_or_insert_with(Instant::now);
                expected += 1;
                true
            });
        });
        let elapsed = first_arrival.map_or(Duration::ZERO, |first| first.elapsed());
        (expected, elapsed, cpu)
    });
    thread::sleep(duration);
    // Relaxed: the flag only ends the producer's loop.
    stop.store(true, Ordering::Relaxed);
    let (items, elapsed, consumer_cpu) = receiver.join().expect("the consumer panicked");
    let (producer, producer_cpu) = sender.join().expect("the producer panicked");
    drop(producer);
    drop(spinners);
    SaturatedSample {
        items,
        elapsed,
        cpu: consumer_cpu.zip(producer_cpu).map(|(a, b)| a + b),
    }
}

/// Threads that spin on any core until dropped: the other programs of a
/// machine whose cores are shared.
#[derive(Debug)]
pub struct BusyThreads {
    stop: Arc<AtomicBool>,
    threads: Vec<thread::JoinHandle<()>>,
}

impl BusyThreads {
    /// Starts `count` spinning threads, unpinned.
    pub fn start(count: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..count)
            .map(|_| {
                let stop = Arc::clone(&stop);
                thread::spawn(move || {
                    let mut spins = 0u64;
                    // Relaxed: the flag carries no data; it only ends the
                    // loop.
                    while !stop.load(Ordering::Relaxed) {
                        spins = std::hint::black_box(spins.wrapping_add(1));
                    }
                })
            })
            .collect();
        Self { stop, threads }
    }
}

impl Drop for BusyThreads {
    fn drop(&mut self) {
        // Relaxed: see `start`.
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// One implementation's waiting workloads as plain functions.
#[derive(Clone, Copy, Debug)]
pub struct Feeder {
    /// The name in reports.
    pub name: &'static str,
    /// Whether the consumer is an async task.
    pub task: bool,
    /// [`paced`] of the implementation.
    pub paced: fn(u64, Duration, usize, Placement) -> PacedSample,
    /// [`saturated`] of the implementation.
    pub saturated: fn(Duration, usize, Placement, usize) -> SaturatedSample,
}

impl Feeder {
    fn of<F: Feed>(task: bool) -> Self {
        Self {
            name: F::NAME,
            task,
            paced: paced::<F>,
            saturated: saturated::<F>,
        }
    }

    /// Every implementation the waiting workloads measure: the waiting
    /// flavours, ring-spin as the reference, and the peers users would
    /// pick instead.
    pub fn all() -> Vec<Self> {
        vec![
            Self::of::<OnThreads<RingSpin>>(false),
            Self::of::<OnThreads<RingPark>>(false),
            Self::of::<OnThreads<StdSyncChannel>>(false),
            Self::of::<OnThreads<CrossbeamBounded>>(false),
            Self::of::<ToTask<RingAsync>>(true),
            Self::of::<ToTask<KanalAsync>>(true),
            Self::of::<ToTask<TokioMpsc>>(true),
        ]
    }
}
