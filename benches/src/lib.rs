//! The benchmark bodies, written once and instantiated for every
//! implementation through the [`Queue`] trait (the approach of rtrb's
//! `benches/push_pop.rs`).
//!
//! Two workloads run on two threads, pinned to two distinct cores when the
//! machine has them; both threads spin at a [`StartLine`] first, so that
//! neither thread's wake-up lands inside the time:
//! - [`throughput`]: one thread pushes `count` items, the other pops and
//!   checks each, so nothing is optimized away; the time runs from the
//!   producer's first push until the consumer has the last item.
//! - [`round_trip`]: one item ping-pongs over two rings; the time of
//!   `count` round trips.
//!
//! The drivers choose `count` so that a sample lasts a set time, after
//! warm-up runs ([`steady`]): a long stream, not a burst from a cold start.
//!
//! The async implementations run the same two bodies as two tasks of a
//! tokio multi-thread runtime with two workers; see [`tasks`].

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

pub mod batch;
pub mod byte_pipes;
pub mod clocks;
pub mod items;
pub mod latency;
pub mod probe;
pub mod queues;
pub mod runner;
pub mod start_line;
pub mod steady;
pub mod streams;
pub mod tasks;
pub mod time_box;
pub mod working;

pub use items::Item;
use latency::{Latencies, TripRecorder};
pub use start_line::StartLine;

/// One SPSC implementation under test: how to make a ring and how to wait
/// for space or an item, as its users would.
pub trait Queue: 'static {
    /// The name in reports.
    const NAME: &'static str;
    /// The writing end.
    type Producer<T: Item>: Send + 'static;
    /// The reading end.
    type Consumer<T: Item>: Send + 'static;

    /// A ring of `capacity` items.
    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>);
    /// Pushes `value`, waiting while the ring is full.
    fn push<T: Item>(producer: &mut Self::Producer<T>, value: T);
    /// Pops a value, waiting while the ring is empty.
    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> T;
}

/// Where the two threads of a workload run.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    /// The core of the measuring thread (the consumer), if pinned.
    pub main_core: Option<core_affinity::CoreId>,
    /// The core of the other thread, if pinned.
    pub helper_core: Option<core_affinity::CoreId>,
}

impl Placement {
    /// The first two cores of the machine, or no pinning if it has fewer.
    pub fn pinned() -> Self {
        match core_affinity::get_core_ids().as_deref() {
            Some([first, second, ..]) => Self {
                main_core: Some(*first),
                helper_core: Some(*second),
            },
            _ => Self::unpinned(),
        }
    }

    /// Both threads wherever the scheduler puts them.
    pub fn unpinned() -> Self {
        Self {
            main_core: None,
            helper_core: None,
        }
    }

    /// Describes the cores, for reports.
    pub fn describe(&self) -> String {
        match (self.main_core, self.helper_core) {
            (Some(main), Some(helper)) => format!("pinned to cores {} and {}", main.id, helper.id),
            _ => "unpinned".to_string(),
        }
    }
}

/// Spawns a thread that runs `work` pinned to `core` (or wherever the
/// scheduler likes, without one). The calling thread is never pinned, so
/// no pinning outlives a measurement and `core_affinity::get_core_ids`
/// keeps seeing every core.
pub(crate) fn spawn_on<R: Send + 'static>(
    core: Option<core_affinity::CoreId>,
    work: impl FnOnce() -> R + Send + 'static,
) -> thread::JoinHandle<R> {
    thread::spawn(move || {
        if let Some(core) = core {
            core_affinity::set_for_current(core);
        }
        work()
    })
}

/// Runs `helper` and `measure` on two threads placed as `placement` says;
/// both start together at a spinning [`StartLine`]. Returns what each
/// returned.
pub(crate) fn on_two_threads<H: Send + 'static, R: Send + 'static>(
    placement: Placement,
    helper: impl FnOnce() -> H + Send + 'static,
    measure: impl FnOnce() -> R + Send + 'static,
) -> (H, R) {
    let start = StartLine::default();
    let helper_start = start.clone();
    on_thread_pair(
        placement,
        move || {
            helper_start.cross_spinning();
            helper()
        },
        move || {
            start.cross_spinning();
            measure()
        },
    )
}

/// Runs `helper` and `measure` on two threads placed as `placement` says,
/// as they are (a caller that needs a common start builds it in), and
/// returns what each returned once both are done.
pub(crate) fn on_thread_pair<H: Send + 'static, R: Send + 'static>(
    placement: Placement,
    helper: impl FnOnce() -> H + Send + 'static,
    measure: impl FnOnce() -> R + Send + 'static,
) -> (H, R) {
    let helper = spawn_on(placement.helper_core, helper);
    let measurer = spawn_on(placement.main_core, measure);
    let result = measurer
        .join()
        .expect("the benchmark's measuring thread panicked");
    let helped = helper
        .join()
        .expect("the benchmark's helper thread panicked");
    (helped, result)
}

/// The time to move `count` items from a producer thread to the
/// measuring consumer thread through a ring of `capacity`: from the
/// producer's first push until the consumer has the last item.
///
/// # Panics
///
/// If an item arrives out of order.
pub fn throughput<Q: Queue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    throughput_made_by::<Q, T>(capacity, count, placement, |index| index)
}

/// [`throughput`] with a producer that makes the item of each index from
/// `make(index)`, which must return the index (it may take time on the
/// way, as in [`working`]). `make` is a type parameter, not a function
/// pointer, so that each workload gets its own producer loop with `make`
/// inlined into it.
pub(crate) fn throughput_made_by<Q: Queue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
    make: impl Fn(u64) -> u64 + Send + 'static,
) -> Duration {
    let (mut producer, mut consumer) = Q::channel::<T>(capacity);
    let (started, finished) = on_two_threads(
        placement,
        move || {
            let started = Instant::now();
            for index in 0..count {
                Q::push(&mut producer, T::from_index(make(index)));
            }
            started
        },
        move || {
            for expected in 0..count {
                let value = Q::pop(&mut consumer);
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
/// `capacity`: the measuring thread pushes into the first ring and waits
/// for the echo thread to send the value back through the second. A run
/// that passes [`time_box::ROUND_TRIP_TIME_LIMIT`] ends early and gives
/// the time `count` trips would take at its mean trip time.
pub fn round_trip<Q: Queue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    round_trip_recorded::<Q, T, ()>(capacity, count, placement).0
}

/// [`round_trip`] with each trip timed on its own and recorded: the time
/// of all trips and their latencies. Reading the clock twice per trip adds
/// its cost to every trip (tens of nanoseconds on this project's VM, where
/// the timed median sits some 60–90 ns above the untimed mean), so the
/// mean round trip comes from [`round_trip`].
///
/// # Examples
///
/// ```
/// use ring_benches::queues::RingSpin;
/// use ring_benches::{Placement, round_trip_latencies};
///
/// let (_, latencies) = round_trip_latencies::<RingSpin, u64>(16, 100, Placement::unpinned());
/// assert_eq!(latencies.count(), 100);
/// assert!(latencies.quantile_ns(0.5) <= latencies.quantile_ns(1.0));
/// ```
pub fn round_trip_latencies<Q: Queue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> (Duration, Latencies) {
    round_trip_recorded::<Q, T, Latencies>(capacity, count, placement)
}

/// The round-trip body, with each trip's time handed to an `R`.
fn round_trip_recorded<Q: Queue, T: Item, R: TripRecorder>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> (Duration, R) {
    let (mut ping_producer, mut ping_consumer) = Q::channel::<T>(capacity);
    let (mut pong_producer, mut pong_consumer) = Q::channel::<T>(capacity);
    let (budget, echo_end) = time_box::trip_budget();
    let (elapsed, made, recorder) = on_two_threads(
        placement,
        move || {
            for index in 0..count {
                let value = Q::pop(&mut ping_consumer);
                Q::push(&mut pong_producer, value);
                if echo_end.reached(index) {
                    break;
                }
            }
        },
        move || {
            let mut recorder = R::default();
            let started = Instant::now();
            let mut made = count;
            for index in 0..count {
                let last = budget.ends_with(index, started);
                // A constant per recorder: the mean round trip reads no
                // clock inside the loop but the time box's rare look.
                let trip_started = R::TIMES_EACH_TRIP.then(Instant::now);
                Q::push(&mut ping_producer, T::from_index(black_box(index)));
                let echoed = Q::pop(&mut pong_consumer);
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

/// A workload of one implementation: the time it takes for a capacity, a
/// count (of items or of round trips) and a placement.
pub type Workload = fn(usize, u64, Placement) -> Duration;

/// A round-trip workload that times each trip: the time of all trips and
/// their latencies, for a capacity, a count and a placement.
pub type LatencyWorkload = fn(usize, u64, Placement) -> (Duration, Latencies);

/// One implementation's workloads as plain functions of the capacity, the
/// count and the placement, whether it runs on threads or as tasks: what
/// the benchmark drivers iterate over.
#[derive(Clone, Copy, Debug)]
pub struct Contender {
    /// The name in reports.
    pub name: &'static str,
    /// The name of the item type.
    pub item: &'static str,
    /// [`throughput`] or [`tasks::throughput_tasks`] of the implementation.
    pub throughput: Workload,
    /// [`round_trip`] or [`tasks::round_trip_tasks`] of the implementation.
    pub round_trip: Workload,
    /// [`round_trip_latencies`] or its task forms.
    pub round_trip_latency: LatencyWorkload,
    /// The batch workload (`u64` items only), for the implementations with
    /// batch operations.
    pub batch: Option<Workload>,
    /// The working-producer workload (`u64` items only), for the
    /// implementations whose sides are threads.
    pub working_producer: Option<Workload>,
}

impl Contender {
    /// An implementation whose two sides are threads, moving `T`s.
    pub fn threads<Q: Queue, T: Item>() -> Self {
        Self {
            name: Q::NAME,
            item: T::NAME,
            throughput: throughput::<Q, T>,
            round_trip: round_trip::<Q, T>,
            round_trip_latency: round_trip_latencies::<Q, T>,
            batch: None,
            working_producer: Some(working::working_producer_throughput::<Q, T>),
        }
    }

    /// An async implementation whose two sides are tasks, moving `T`s.
    pub fn tasks<Q: tasks::AsyncQueue, T: Item>() -> Self {
        Self {
            name: Q::NAME,
            item: T::NAME,
            throughput: tasks::throughput_tasks::<Q, T>,
            round_trip: tasks::round_trip_tasks::<Q, T>,
            round_trip_latency: tasks::round_trip_latencies_tasks::<Q, T>,
            batch: None,
            working_producer: None,
        }
    }

    /// An async implementation whose two sides are tasks on two
    /// current-thread runtimes on two threads, moving `T`s.
    pub fn tasks_on_two_runtimes<Q: tasks::AsyncQueue, T: Item>() -> Self {
        Self {
            name: Q::NAME_ON_TWO_RUNTIMES,
            item: T::NAME,
            throughput: tasks::throughput_two_runtimes::<Q, T>,
            round_trip: tasks::round_trip_two_runtimes::<Q, T>,
            round_trip_latency: tasks::round_trip_latencies_two_runtimes::<Q, T>,
            batch: None,
            working_producer: None,
        }
    }

    /// Every implementation moving `u64`s, with the batch and the
    /// working-producer workloads of those that have them.
    pub fn all_with_batches() -> Vec<Self> {
        Self::every::<u64>()
            .into_iter()
            .map(|contender| Self {
                batch: batch::batch_workload(contender.name),
                ..contender
            })
            .collect()
    }

    /// Every implementation measured, moving `T`s: the flavours of this
    /// workspace and their peers, with the workloads of every point (not
    /// the batch and working-producer ones, which
    /// [`all_with_batches`](Self::all_with_batches) adds for `u64`).
    pub fn all<T: Item>() -> Vec<Self> {
        Self::every::<T>()
            .into_iter()
            .map(|contender| Self {
                working_producer: None,
                ..contender
            })
            .collect()
    }

    /// Every implementation, with every workload it has for `T`s.
    fn every<T: Item>() -> Vec<Self> {
        use queues::{
            ArrayQueue, CrossbeamBounded, FlumeBounded, RingPark, RingSpin, Ringbuf, Rtrb,
            StdSyncChannel,
        };
        use tasks::{KanalAsync, RingAsync, TokioMpsc};
        vec![
            Self::threads::<RingSpin, T>(),
            Self::threads::<Rtrb, T>(),
            Self::threads::<Ringbuf, T>(),
            Self::threads::<ArrayQueue, T>(),
            Self::threads::<RingPark, T>(),
            Self::threads::<CrossbeamBounded, T>(),
            Self::threads::<FlumeBounded, T>(),
            Self::threads::<StdSyncChannel, T>(),
            Self::tasks::<RingAsync, T>(),
            Self::tasks::<KanalAsync, T>(),
            Self::tasks::<TokioMpsc, T>(),
            Self::tasks_on_two_runtimes::<RingAsync, T>(),
            Self::tasks_on_two_runtimes::<KanalAsync, T>(),
            Self::tasks_on_two_runtimes::<TokioMpsc, T>(),
        ]
    }
}

/// The examples of README.md, run as doctests here, where every flavour is
/// a dependency.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
