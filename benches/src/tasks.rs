//! The async workloads: the same bodies as the thread workloads, run as two
//! tasks (on a tokio multi-thread runtime with two workers, or on two
//! current-thread runtimes on two threads), instantiated for every async
//! implementation through [`AsyncQueue`].

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::FutureExt;

use crate::latency::{Latencies, TripRecorder};
use crate::{Item, Placement, StartLine, time_box};

/// One async SPSC implementation under test: how to make a ring and how to
/// await space or an item, as its users would.
pub trait AsyncQueue: 'static {
    /// The name in reports.
    const NAME: &'static str;
    /// The name in reports of the runs on two current-thread runtimes.
    const NAME_ON_TWO_RUNTIMES: &'static str;
    /// The writing end.
    type Producer<T: Item>: Send + 'static;
    /// The reading end.
    type Consumer<T: Item>: Send + 'static;

    /// A ring of `capacity` items.
    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>);
    /// Pushes `value`, awaiting room while the ring is full.
    fn push<T: Item>(
        producer: &mut Self::Producer<T>,
        value: T,
    ) -> impl Future<Output = ()> + Send + '_;
    /// Pops a value, awaiting one while the ring is empty.
    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> impl Future<Output = T> + Send + '_;
    /// Pushes `value` from a plain thread, blocking it while the ring is
    /// full: how a device or logging thread feeds an async service.
    fn push_blocking<T: Item>(producer: &mut Self::Producer<T>, value: T);
}

/// A tokio multi-thread runtime with two workers, each pinned to one of the
/// placement's cores (when it has them).
fn two_worker_runtime(placement: Placement) -> tokio::runtime::Runtime {
    let cores = [placement.main_core, placement.helper_core];
    let started = Arc::new(AtomicUsize::new(0));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(move || {
            // Workers start first; a blocking-pool thread, should one start,
            // stays unpinned.
            // Relaxed: only the count matters; it orders nothing else.
            let index = started.fetch_add(1, Ordering::Relaxed);
            if let Some(Some(core)) = cores.get(index) {
                core_affinity::set_for_current(*core);
            }
        })
        .build()
        .expect("a tokio runtime")
}

/// Where the two tasks of a workload run.
#[derive(Clone, Copy, Debug)]
enum Runtimes {
    /// Spawned on one tokio multi-thread runtime with two workers pinned
    /// to the placement's cores; the runtime may move them.
    TwoWorkers,
    /// Each on a tokio current-thread runtime of its own, on two threads
    /// placed as the placement says: they never share a thread or migrate.
    TwoCurrentThread,
}

/// Runs `helper` and `measure` as two tasks placed as `runtimes` and
/// `placement` say, starting them together at a [`StartLine`] once their
/// runtimes are built, and returns what each returned. On two workers the
/// line only proves that both tasks were polled: should one worker have
/// polled both, the other's wake-up to steal one may still fall inside the
/// time (the runtime decides; the spread of those rows shows it).
fn on_two_tasks<H: Send + 'static, R: Send + 'static>(
    runtimes: Runtimes,
    placement: Placement,
    helper: impl Future<Output = H> + Send + 'static,
    measure: impl Future<Output = R> + Send + 'static,
) -> (H, R) {
    let start_line = StartLine::default();
    let helper_start = start_line.clone();
    let helper = async move {
        helper_start.cross().await;
        helper.await
    };
    let measure = async move {
        start_line.cross().await;
        measure.await
    };
    match runtimes {
        Runtimes::TwoWorkers => {
            let runtime = two_worker_runtime(placement);
            runtime.block_on(async move {
                let helper = tokio::spawn(helper);
                let measure = tokio::spawn(measure);
                let helped = helper.await.expect("the benchmark's helper task panicked");
                let result = measure
                    .await
                    .expect("the benchmark's measuring task panicked");
                (helped, result)
            })
        }
        Runtimes::TwoCurrentThread => {
            // Each thread builds its runtime before it reaches the start
            // line; on a current-thread runtime with one task, the line's
            // yield returns at once, so the wait spins.
            crate::on_thread_pair(
                placement,
                move || current_thread_runtime().block_on(helper),
                move || current_thread_runtime().block_on(measure),
            )
        }
    }
}

/// A tokio current-thread runtime.
pub(crate) fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime")
}

/// The time to move `count` items from a producer task to the measuring
/// consumer task, which checks every item, through a ring of `capacity`.
///
/// # Panics
///
/// If an item arrives out of order.
fn throughput_on<Q: AsyncQueue, T: Item>(
    runtimes: Runtimes,
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    let (mut producer, mut consumer) = Q::channel::<T>(capacity);
    let (started, finished) = on_two_tasks(
        runtimes,
        placement,
        async move {
            let started = Instant::now();
            for index in 0..count {
                Q::push(&mut producer, T::from_index(index)).await;
            }
            started
        },
        async move {
            for expected in 0..count {
                let value = Q::pop(&mut consumer).await;
                assert!(
                    value.matches(expected),
                    "{} delivered out of order",
                    Q::NAME
                );
            }
            Instant::now()
        },
    );
    finished.saturating_duration_since(started)
}

/// The time of `count` round trips of one item over two rings of
/// `capacity`, between the measuring task and an echo task, time-boxed as
/// the thread body is (see [`time_box`]).
fn round_trip_on<Q: AsyncQueue, T: Item, R: TripRecorder>(
    runtimes: Runtimes,
    capacity: usize,
    count: u64,
    placement: Placement,
) -> (Duration, R) {
    let (mut ping_producer, mut ping_consumer) = Q::channel::<T>(capacity);
    let (mut pong_producer, mut pong_consumer) = Q::channel::<T>(capacity);
    let (budget, echo_end) = time_box::trip_budget();
    let (elapsed, made, recorder) = on_two_tasks(
        runtimes,
        placement,
        async move {
            for index in 0..count {
                let value = Q::pop(&mut ping_consumer).await;
                Q::push(&mut pong_producer, value).await;
                if echo_end.reached(index) {
                    break;
                }
            }
        },
        async move {
            let mut recorder = R::default();
            let started = Instant::now();
            let mut made = count;
            for index in 0..count {
                let last = budget.ends_with(index, started);
                // A constant per recorder, as in the thread body.
                let trip_started = R::TIMES_EACH_TRIP.then(Instant::now);
                Q::push(&mut ping_producer, T::from_index(black_box(index))).await;
                let echoed = Q::pop(&mut pong_consumer).await;
                if let Some(trip_started) = trip_started {
                    recorder.record(trip_started.elapsed());
                }
                assert!(echoed.matches(index), "{} echoed the wrong value", Q::NAME);
                if last {
                    made = index + 1;
                    break;
                }
            }
            (started.elapsed(), made, recorder)
        },
    )
    .1;
    (time_box::scaled_to_count(elapsed, made, count), recorder)
}

/// The throughput workload as two tasks of a tokio multi-thread runtime
/// with two workers, timed from the producer's first push until the
/// consumer has the last item.
///
/// # Panics
///
/// If an item arrives out of order.
pub fn throughput_tasks<Q: AsyncQueue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    throughput_on::<Q, T>(Runtimes::TwoWorkers, capacity, count, placement)
}

/// The throughput workload with each task on a current-thread runtime of
/// its own, on two threads: the tasks never share a thread or migrate.
///
/// # Panics
///
/// If an item arrives out of order.
pub fn throughput_two_runtimes<Q: AsyncQueue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    throughput_on::<Q, T>(Runtimes::TwoCurrentThread, capacity, count, placement)
}

/// The round-trip workload as two tasks of a tokio multi-thread runtime
/// with two workers.
pub fn round_trip_tasks<Q: AsyncQueue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    round_trip_on::<Q, T, ()>(Runtimes::TwoWorkers, capacity, count, placement).0
}

/// [`round_trip_tasks`] with each trip timed and recorded, as
/// [`round_trip_latencies`](crate::round_trip_latencies) does for threads.
pub fn round_trip_latencies_tasks<Q: AsyncQueue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> (Duration, Latencies) {
    round_trip_on::<Q, T, Latencies>(Runtimes::TwoWorkers, capacity, count, placement)
}

/// The round-trip workload on two current-thread runtimes, as
/// [`throughput_two_runtimes`].
pub fn round_trip_two_runtimes<Q: AsyncQueue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    round_trip_on::<Q, T, ()>(Runtimes::TwoCurrentThread, capacity, count, placement).0
}

/// [`round_trip_two_runtimes`] with each trip timed and recorded.
pub fn round_trip_latencies_two_runtimes<Q: AsyncQueue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> (Duration, Latencies) {
    round_trip_on::<Q, T, Latencies>(Runtimes::TwoCurrentThread, capacity, count, placement)
}

/// The batch workload of ring-async: `wait_free_slots` then `push_slice`,
/// `wait_items` then `pop_slice`, in batches of up to
/// [`BATCH`](crate::batch::BATCH), between two tasks as in
/// [`throughput_tasks`].
pub fn batch_throughput_tasks(capacity: usize, count: u64, placement: Placement) -> Duration {
    use crate::batch::BATCH;
    let (mut producer, mut consumer) = ring_async::channel::<u64>(capacity);
    let (started, finished) = on_two_tasks(
        Runtimes::TwoWorkers,
        placement,
        async move {
            let started = Instant::now();
            let mut next = 0;
            let mut batch = [0; BATCH];
            while next < count {
                let free = producer
                    .wait_free_slots(1)
                    .await
                    .expect("the consumer is gone");
                let len = (count - next).min(free.min(BATCH) as u64) as usize;
                for (slot, value) in batch.iter_mut().zip(next..) {
                    *slot = value;
                }
                assert_eq!(
                    producer.push_slice(&batch[..len]),
                    len,
                    "the free slots were counted"
                );
                next += len as u64;
            }
            started
        },
        async move {
            let mut expected = 0;
            let mut batch = [0; BATCH];
            while expected < count {
                consumer.wait_items(1).await.expect("the producer is gone");
                let popped = consumer.pop_slice(&mut batch);
                for &value in &batch[..popped] {
                    assert_eq!(value, expected, "ring-async delivered out of order");
                    expected += 1;
                }
            }
            Instant::now()
        },
    );
    finished.saturating_duration_since(started)
}

/// Implements [`AsyncQueue`] for an async implementation: `$push` awaits
/// room and `$pop` an item, each resolving to a `Result` (or, for `$pop`,
/// anything with `expect`) that fails only once the other side is gone.
macro_rules! async_queue {
    (
        $(#[$doc:meta])*
        $queue:ident, $name:literal, $two_runtimes:literal,
        $($producer:ident)::+, $($consumer:ident)::+,
        channel = $channel:path, push = $push:ident, pop = $pop:ident,
        push_blocking = |$blocking_producer:ident, $blocking_value:ident| $push_blocking:expr $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $queue;

        impl AsyncQueue for $queue {
            const NAME: &'static str = $name;
            const NAME_ON_TWO_RUNTIMES: &'static str = $two_runtimes;
            type Producer<T: Item> = $($producer)::+<T>;
            type Consumer<T: Item> = $($consumer)::+<T>;

            fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
                $channel(capacity)
            }

            fn push<T: Item>(
                producer: &mut Self::Producer<T>,
                value: T,
            ) -> impl Future<Output = ()> + Send + '_ {
                producer.$push(value).map(|result| {
                    if result.is_err() {
                        panic!("the consumer is gone");
                    }
                })
            }

            fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> impl Future<Output = T> + Send + '_ {
                consumer.$pop().map(|result| match result {
                    Ok(value) => value,
                    Err(_) => panic!("the producer is gone"),
                })
            }

            fn push_blocking<T: Item>($blocking_producer: &mut Self::Producer<T>, $blocking_value: T) {
                if $push_blocking.is_err() {
                    panic!("the consumer is gone");
                }
            }
        }
    };
}

async_queue! {
    /// kanal's bounded async channel, the fastest async channel measured on
    /// this project's machine before ring-async.
    KanalAsync, "kanal bounded_async", "kanal bounded_async 2×1",
    kanal::AsyncSender, kanal::AsyncReceiver,
    channel = kanal::bounded_async, push = send, pop = recv,
    push_blocking = |producer, value| producer.as_sync().send(value),
}

/// tokio's bounded mpsc channel, what most tokio users reach for.
#[derive(Debug)]
pub struct TokioMpsc;

impl AsyncQueue for TokioMpsc {
    const NAME: &'static str = "tokio mpsc";
    const NAME_ON_TWO_RUNTIMES: &'static str = "tokio mpsc 2×1";
    type Producer<T: Item> = tokio::sync::mpsc::Sender<T>;
    type Consumer<T: Item> = tokio::sync::mpsc::Receiver<T>;

    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
        tokio::sync::mpsc::channel(capacity)
    }

    fn push<T: Item>(
        producer: &mut Self::Producer<T>,
        value: T,
    ) -> impl Future<Output = ()> + Send + '_ {
        producer.send(value).map(|result| {
            if result.is_err() {
                panic!("the consumer is gone");
            }
        })
    }

    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> impl Future<Output = T> + Send + '_ {
        consumer
            .recv()
            .map(|result| result.expect("the producer is gone"))
    }

    fn push_blocking<T: Item>(producer: &mut Self::Producer<T>, value: T) {
        if producer.blocking_send(value).is_err() {
            panic!("the consumer is gone");
        }
    }
}

/// This workspace's async flavour, as `channel` makes it.
pub type RingAsync = RingAsyncSpin<{ crate::queues::FRUGAL_SPIN }>;

/// ring-async whose handles spin `MICROS` µs before a wait registers (or
/// as the default policy, for [`FRUGAL_SPIN`](crate::queues::FRUGAL_SPIN)):
/// the points of the spin trade-off.
#[derive(Debug)]
pub struct RingAsyncSpin<const MICROS: u64>;

impl<const MICROS: u64> AsyncQueue for RingAsyncSpin<MICROS> {
    const NAME: &'static str = if MICROS == crate::queues::FRUGAL_SPIN {
        "ring-async"
    } else {
        "ring-async (spin policy)"
    };
    const NAME_ON_TWO_RUNTIMES: &'static str = if MICROS == crate::queues::FRUGAL_SPIN {
        "ring-async 2×1"
    } else {
        "ring-async 2×1 (spin policy)"
    };
    type Producer<T: Item> = ring_async::Producer<T>;
    type Consumer<T: Item> = ring_async::Consumer<T>;

    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
        ring_async::channel_with(capacity, crate::queues::spin_policy(MICROS))
    }

    fn push<T: Item>(
        producer: &mut Self::Producer<T>,
        value: T,
    ) -> impl Future<Output = ()> + Send + '_ {
        producer.push(value).map(|result| {
            if result.is_err() {
                panic!("the consumer is gone");
            }
        })
    }

    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> impl Future<Output = T> + Send + '_ {
        consumer
            .pop()
            .map(|result| result.expect("the producer is gone"))
    }

    fn push_blocking<T: Item>(producer: &mut Self::Producer<T>, value: T) {
        if producer.push_blocking(value).is_err() {
            panic!("the consumer is gone");
        }
    }
}
