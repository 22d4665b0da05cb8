//! A lock-free single-producer single-consumer ring buffer whose waiting
//! operations are futures: the consumer awaits an item or the producer's
//! drop, the producer awaits a free slot or the consumer's drop. It runs on
//! any executor (tokio, async-std, smol, `futures::executor`, an embedded
//! one) and needs none: the crate depends on no runtime.
//!
//! # Which flavour?
//!
//! - `ring-async` (this crate): a waiting side is a pending task, so one
//!   thread can run many rings. Choose it inside async code, and for a
//!   bridge between async code and a plain thread: [`Producer::push_blocking`]
//!   and [`Consumer::pop_blocking`] let either end be a thread (an audio or
//!   hardware thread feeding an async service, or async producers feeding a
//!   worker thread) while the other end awaits.
//! - `ring-park`: a waiting thread sleeps in the kernel, with timeouts.
//! - `ring-spin`: a waiting thread never sleeps, for the lowest latency
//!   when each thread owns a core.
//!
//! A side that finds the ring empty or full first spins for a moment, to
//! catch a peer that runs on another thread without the cost of a wake-up:
//! by default ([`SpinPolicy::FRUGAL`]) 4 µs at most, halved after each
//! spin that ended without the peer acting (down to 0.1 µs) and back to the
//! full length after one that caught it, and not at all while the peer was
//! last seen on the same thread (where it cannot act until this task
//! returns). There, if the two sides take turns (fewer than 32 items moved
//! since this side's last such wait), the task registers in the
//! handshake's symmetric mode (a full fence on each side instead of a
//! `membarrier` call) and the peer's next move wakes it; if they stream,
//! the task yields once instead (it wakes itself and returns `Pending`, so
//! the peer runs first), and registers only if the ring is still full or
//! empty at its next poll. After a spin that caught
//! nothing, it registers its waker and returns `Pending`. So a poll
//! holds its executor's thread for a few microseconds at most, and a paced
//! stream costs about one registration and one wake-up per item;
//! [`channel_with`] chooses another policy, such as
//! [`SpinPolicy::LOW_LATENCY`] for a saturated stream between two threads
//! of their own. A side whose spins keep missing (three in a row) skips
//! its quick looks before the spin, and registers in the handshake's
//! symmetric mode, which spares it the `membarrier` call of each wait (see
//! ring-core's `handshake` module).
//!
//! While neither side waits, a push or pop costs what `ring-spin`'s does
//! plus one load of a flag: no read-modify-write on a cache line the other
//! side uses, no waker clone, no system call. (That holds on Linux, where
//! the store-load barrier of the hot path is a compiler fence; elsewhere
//! each push and pop also issues a `fence(SeqCst)`.)
//!
//! ```
//! # futures::executor::block_on(async {
//! let (mut producer, mut consumer) = ring_async::channel::<u64>(1024);
//! let sender = async move {
//!     for reading in 0..10_000 {
//!         producer.push(reading).await.unwrap(); // Pending while full.
//!     }
//! };
//! let receiver = async move {
//!     let mut sum = 0;
//!     while let Ok(reading) = consumer.pop().await { // Pending while empty.
//!         sum += reading;
//!     }
//!     sum // The producer is gone and every item was popped.
//! };
//! let ((), sum) = futures::join!(sender, receiver);
//! assert_eq!(sum, (0..10_000).sum());
//! # });
//! ```
//!
//! A plain thread at one end:
//!
//! ```
//! let (mut producer, mut consumer) = ring_async::channel::<u32>(64);
//! let hardware = std::thread::spawn(move || {
//!     for sample in 0..1000 {
//!         producer.push_blocking(sample).unwrap(); // Parks while full.
//!     }
//! });
//! let total = futures::executor::block_on(async {
//!     let mut total = 0;
//!     while let Ok(sample) = consumer.pop().await {
//!         total += sample;
//!     }
//!     total
//! });
//! hardware.join().unwrap();
//! assert_eq!(total, (0..1000).sum());
//! ```
//!
//! # The wake-up protocol
//!
//! A side that must wait registers its task's waker, announces itself on a
//! flag, and checks the ring once more before it returns `Pending`; the
//! side that makes progress publishes, then checks the flag and wakes the
//! registered waker. Both sides need a store-load barrier between their
//! store and their load, or each could miss the other's store and the task
//! would never be woken. The busy side's barrier is the light half of
//! ring-core's asymmetric fence: on Linux a mere compiler fence, because
//! the waiting side's heavy half (`membarrier`) forces a barrier on every
//! thread of the process. A task polled again with another waker has the
//! latest one woken. The `task_slot` module walks through the argument,
//! and loom checks it in every interleaving of its models.
//!
//! Dropping either handle wakes the other side, which then gets its error
//! (a push gets its value back).
//!
//! # Cancel safety
//!
//! No future of this crate loses an item of the ring when it is dropped
//! before completion: a dropped [`Pop`] has popped nothing, so the next pop
//! gets the item. A dropped [`Push`] has pushed nothing, and the value it
//! carried is dropped with it, as with `tokio::sync::mpsc::Sender::send`;
//! a caller that may give up waiting keeps the future and takes the value
//! back with [`Push::into_value`]. Each method says so under "Cancel
//! safety". A future dropped while pending also withdraws its task from
//! the ring, so that the other side neither wakes it nor keeps its waker.
//! [`Push`] and [`Pop`] are fused (`futures::select!` takes them without
//! `.fuse()`) and panic if polled after they resolved.

//! # Cooperative scheduling
//!
//! A consumer that always finds an item never returns `Pending`, so a
//! loop such as `while let Ok(x) = consumer.pop().await` would keep its
//! executor's thread from every other task. With the `tokio` feature,
//! every poll of this crate's futures, `Stream` and `Sink` takes part in
//! tokio's cooperative budget, as tokio's own channels do: once the task
//! has spent its budget, the poll returns `Pending` and the task yields.
//! Without it, ring-async depends on no runtime (the `tokio-io` feature
//! brings tokio's I/O traits, not its runtime); on other executors, yield
//! by hand now and then if the ring may never run empty.

//! # Byte streams
//!
//! With the feature `futures-io`, a `Producer<u8>` is a
//! `futures_io::AsyncWrite` and a `Consumer<u8>` a `futures_io::AsyncRead`;
//! with `tokio-io`, they implement tokio's `AsyncWrite` and `AsyncRead`.
//! A write waits until at least one byte fits, then copies as many as fit;
//! it fails with `ErrorKind::BrokenPipe` once the consumer is gone or a
//! side closed the channel. A read waits until at least one byte is there
//! and copies as many as fit; it reads nothing (the end of the stream) once
//! the producer is gone or a side closed the channel, and the ring is
//! drained. Flushing does nothing; closing (`poll_close`, `poll_shutdown`)
//! closes the channel, so that the reader sees the end after the bytes
//! written before. These are the semantics of ring-spin's and ring-park's
//! `std::io` traits, which wait by spinning or parking instead.

#![forbid(unsafe_code)]

mod blocking;
#[cfg(not(loom))]
mod blocking_deadline;
#[cfg(any(feature = "futures-io", feature = "tokio-io"))]
mod byte_io;
mod future_types;
#[cfg(not(loom))]
mod nap_timer;
mod poll;
mod stream_sink;
mod sync;
mod task_slot;
mod wait_futures;

pub use future_types::{Pop, Push};
pub use ring_core::spin::SpinPolicy;
pub use ring_core::{
    Disconnected, PopError, PopTimeoutError, PushError, PushTimeoutError, TryPopError, TryPushError,
};
pub use wait_futures::{Closed, WaitFreeSlots, WaitItems};

use ring_core::spin::Spinner;
pub use task_slot::AsyncState;

/// The writing end of a ring; see [`channel`].
///
/// It is `Send` when `T` is, so it can move between tasks and threads at
/// any time: each wait registers the waker it is polled with, so the task
/// woken is the one that polled last. It is a
/// [`Sink`](futures_sink::Sink) of `T`.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, mut consumer) = ring_async::channel(1);
/// producer.push(1).await.unwrap();
/// assert_eq!(consumer.pop().await, Ok(1));
/// # });
/// ```
pub struct Producer<T> {
    inner: ring_core::Producer<T, AsyncState>,
    /// The waker that unparks the thread last blocked in `push_blocking`.
    thread_waker: blocking::ThreadWaker,
    /// How long the next wait spins before it registers.
    spinner: Spinner,
    /// The waker of this side's announcement while it stands (see
    /// `poll::wait_slow`).
    standing: Option<std::task::Waker>,
    /// The handle's position at its last wait while the other side was on
    /// the same thread (see `poll::wait_slow`).
    colocated_wait_at: Option<usize>,
}

/// The reading end of a ring; see [`channel`].
///
/// It is `Send` when `T` is, so it can move between tasks and threads at
/// any time: each wait registers the waker it is polled with, so the task
/// woken is the one that polled last. It is a
/// [`Stream`](futures_core::Stream) of `T` that ends once the producer is
/// gone and every item it pushed has been popped.
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, mut consumer) = ring_async::channel(1);
/// producer.push("hi").await.unwrap();
/// drop(producer);
/// assert_eq!(consumer.pop().await, Ok("hi"));
/// assert_eq!(consumer.pop().await, Err(ring_async::PopError));
/// # });
/// ```
pub struct Consumer<T> {
    inner: ring_core::Consumer<T, AsyncState>,
    /// The waker that unparks the thread last blocked in `pop_blocking`.
    thread_waker: blocking::ThreadWaker,
    /// How long the next wait spins before it registers.
    spinner: Spinner,
    /// The waker of this side's announcement while it stands (see
    /// `poll::wait_slow`).
    standing: Option<std::task::Waker>,
    /// The handle's position at its last wait while the other side was on
    /// the same thread (see `poll::wait_slow`).
    colocated_wait_at: Option<usize>,
}

/// Creates a ring of exactly `capacity` slots and returns its two handles.
///
/// # Panics
///
/// If `capacity` is 0, or if the storage's size in bytes overflows
/// `isize::MAX`.
///
/// # Examples
///
/// ```
/// let (producer, consumer) = ring_async::channel::<u8>(3);
/// assert_eq!(producer.capacity(), 3);
/// assert_eq!(consumer.capacity(), 3);
/// ```
#[must_use = "dropping a handle disconnects the channel"]
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    channel_with(capacity, SpinPolicy::default())
}

/// Creates a ring of exactly `capacity` slots whose handles spin as
/// `spin_policy` says before a wait registers its waker, and returns its
/// two handles.
///
/// [`channel`] uses [`SpinPolicy::FRUGAL`], which spins a few microseconds
/// at most, so that a poll never holds its executor's thread for longer.
/// [`SpinPolicy::LOW_LATENCY`] spins 100 µs, which keeps a saturated stream
/// between tasks on two threads from ever registering, at the price of a
/// burnt core on paced streams, and of an executor thread held that long by
/// each pending poll. Each handle can change its own policy later with
/// `set_spin_policy`. A wait never spins while the other side was last seen
/// on the same thread.
///
/// # Panics
///
/// As [`channel`].
///
/// # Examples
///
/// ```
/// use ring_async::SpinPolicy;
///
/// let (producer, consumer) = ring_async::channel_with::<u64>(1024, SpinPolicy::LOW_LATENCY);
/// assert_eq!(producer.spin_policy(), SpinPolicy::LOW_LATENCY);
/// assert_eq!(consumer.spin_policy(), SpinPolicy::LOW_LATENCY);
/// ```
#[must_use = "dropping a handle disconnects the channel"]
pub fn channel_with<T>(capacity: usize, spin_policy: SpinPolicy) -> (Producer<T>, Consumer<T>) {
    // The waiter flags of the ring's state decide, when they are made,
    // whether the asymmetric fence can use `membarrier` (see
    // `ring_core::fence::LightFence`).
    let (producer, consumer) = ring_core::channel_with_state(capacity);
    let producer = Producer {
        inner: producer,
        thread_waker: blocking::ThreadWaker::default(),
        spinner: Spinner::new(spin_policy),
        standing: None,
        colocated_wait_at: None,
    };
    let consumer = Consumer {
        inner: consumer,
        thread_waker: blocking::ThreadWaker::default(),
        spinner: Spinner::new(spin_policy),
        standing: None,
        colocated_wait_at: None,
    };
    (producer, consumer)
}

ring_core::impl_flavour_api!(crate = "ring_async", wait_state = AsyncState);

ring_core::impl_spin_policy_api!(crate = "ring_async", sleeps = "a wait registers its waker");

// The handles are never pinned structurally: no future of this crate
// points into them, so they may move after being polled whatever `T` is.
impl<T> Unpin for Producer<T> {}
impl<T> Unpin for Consumer<T> {}

impl<T> Drop for Producer<T> {
    fn drop(&mut self) {
        // A waker left in the ring could keep this handle's task alive (the
        // task owns the handle, which owns the ring): drop it now. The
        // consumer is woken by ring-core's drop hook right after.
        self.inner.wait_state().producer.forget();
    }
}

impl<T> Drop for Consumer<T> {
    fn drop(&mut self) {
        // As for the producer.
        self.inner.wait_state().consumer.forget();
    }
}

/// The examples of this crate's README.md, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
