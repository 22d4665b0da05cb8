//! A lock-free single-producer single-consumer ring buffer whose blocking
//! operations park the thread while the ring is full or empty, and are
//! woken by the other side.
//!
//! # Which flavour?
//!
//! - `ring-park` (this crate): a waiting side spins for a few microseconds
//!   at most (see [`SpinPolicy`]; longer, up to 200 µs, only while the
//!   other side is on its way after this side woke it), then sleeps in the
//!   kernel until the other side moves, using no CPU.
//!   Choose it when threads share cores, when streams are paced or bursty
//!   (a telemetry sink, a logger, a worker fed in bursts), or when a burnt
//!   core costs more than the microseconds of a wake-up. It offers
//!   timeouts.
//! - `ring-spin`: a waiting side never sleeps, for the lowest latency when
//!   each thread owns a core.
//! - `ring-async`: a waiting side is an async task.
//!
//! While neither side waits, a push or pop costs what `ring-spin`'s does
//! plus one load of a flag: no system call and no read-modify-write on the
//! hot path. (That holds on Linux, where the store-load barrier of the
//! hot path is a compiler fence; elsewhere each push and pop also issues a
//! `fence(SeqCst)`.) The spin phase before parking catches a peer that is
//! about to act without a system call; it adapts to what spinning achieves
//! (see [`SpinPolicy`]), so that a paced stream costs little more than one
//! park and one wake-up per item. [`channel_with`] chooses a longer spin for
//! a saturated stream between two cores of its own. A side whose spins keep
//! missing parks in the handshake's symmetric mode, which spares each wait
//! the `membarrier` call (see ring-core's `handshake` module).
//!
//! A side that must wait right after it woke the other side (the producer
//! that filled a small ring after its first push woke the consumer, or a
//! batch that emptied the ring at once) keeps spinning while that side is
//! on its way, up to 200 µs
//! ([`SpinPolicy::peer_wake_up_spin`]): parking too would make the two
//! take turns sleeping, one ring's worth per two wake-ups. It backs off
//! from this spin when the other side keeps arriving late, as it does when
//! it waits for a core on a machine whose cores are shared. The same holds
//! across two rings: a thread that sends a request on one ring (waking the
//! other thread) and waits for the reply on another, whose producer is the
//! thread it woke, spins while that thread is on its way; otherwise each
//! round trip would cost two wake-ups.
//!
//! ```
//! // Requests one way, replies the other. While each thread has a core,
//! // the requester spins for a reply from the thread it has just woken
//! // instead of parking until that thread wakes it in turn.
//! let (mut requests, mut incoming) = ring_park::channel::<u32>(16);
//! let (mut outgoing, mut replies) = ring_park::channel::<u32>(16);
//! let echo = std::thread::spawn(move || {
//!     for request in incoming.iter() {
//!         outgoing.push(request * 2).unwrap();
//!     }
//! });
//! for request in 0..1_000 {
//!     requests.push(request).unwrap();
//!     assert_eq!(replies.pop(), Ok(request * 2));
//! }
//! drop(requests); // Ends the echo thread's loop.
//! echo.join().unwrap();
//! ```
//!
//! ```
//! use std::time::Duration;
//!
//! let (mut producer, mut consumer) = ring_park::channel::<u64>(1024);
//! let sender = std::thread::spawn(move || {
//!     for reading in 0..10_000 {
//!         producer.push(reading).unwrap(); // Sleeps while the ring is full.
//!     }
//! });
//! let sum: u64 = consumer.iter().sum(); // Sleeps while it is empty.
//! sender.join().unwrap();
//! assert_eq!(sum, (0..10_000).sum());
//! assert!(consumer.pop_timeout(Duration::from_millis(1)).unwrap_err().is_disconnected());
//! ```
//!
//! # Byte streams
//!
//! `Producer<u8>` implements `std::io::Write` and `Consumer<u8>` implements
//! `std::io::Read`: a write waits until at least one byte fits and writes
//! as many as fit, failing with `ErrorKind::BrokenPipe` once the consumer
//! is gone or the channel closed; a read waits until at least one byte is
//! there, and returns `Ok(0)` at the end of the stream (the producer gone
//! or the channel closed, and the ring drained). So `std::io::copy` pipes
//! bytes through, and [`Producer::close_channel`] ends the stream.
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let (mut producer, mut consumer) = ring_park::channel::<u8>(4096);
//! let writer = std::thread::spawn(move || {
//!     std::io::copy(&mut &b"a log line\nanother\n"[..], &mut producer).unwrap();
//!     producer.close_channel(); // The reader sees the end of the stream.
//! });
//! let mut text = String::new();
//! consumer.read_to_string(&mut text).unwrap();
//! writer.join().unwrap();
//! assert_eq!(text, "a log line\nanother\n");
//! ```
//!
//! # The handshake
//!
//! A waiting side announces itself (stores its thread and sets a flag),
//! then checks the ring once more, then parks; the side that makes progress
//! publishes, then checks the flag and unparks. This needs a store-load
//! barrier on both sides, or each could miss the other's store and the
//! waiter would sleep forever. The busy side's barrier is the light half of
//! an asymmetric fence: on Linux a mere compiler fence, because the waiting
//! side's heavy half (`membarrier`) forces a barrier on every thread of the
//! process; elsewhere both halves are `fence(SeqCst)`. The `park_state`
//! module walks through the interleavings. `park` may return spuriously and
//! `unpark` is not counted, so every wait loops until its condition holds.
//!
//! Dropping either handle wakes a parked peer, which then gets its error
//! (a push gets its value back). loom checks the handshake in every
//! interleaving of its models, up to a bound on preemptions: a lost wake-up
//! shows as a deadlock there.

#![forbid(unsafe_code)]

mod blocking;
mod park_state;
mod sync;
mod thread_hint;
mod wait_for;

pub use park_state::ParkState;
pub use ring_core::spin::SpinPolicy;
pub use ring_core::{
    Disconnected, PopError, PopTimeoutError, PushError, PushTimeoutError, TryPopError,
    TryPushError, WaitTimeoutError,
};

use ring_core::spin::Spinner;

/// The writing end of a ring; see [`channel`].
///
/// It is `Send` when `T` is, so it can move to another thread at any time;
/// the thread that waits is the one woken.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_park::channel(1);
/// producer.push(1).unwrap();
/// assert_eq!(consumer.pop(), Ok(1));
/// ```
pub struct Producer<T> {
    inner: ring_core::Producer<T, ParkState>,
    /// The thread this handle last registered to be woken.
    registered_thread: Option<sync::ThreadId>,
    /// How long this handle's next wait spins before it parks.
    spinner: Spinner,
}

/// The reading end of a ring; see [`channel`].
///
/// It is `Send` when `T` is, so it can move to another thread at any time;
/// the thread that waits is the one woken.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_park::channel(1);
/// producer.push("hi").unwrap();
/// drop(producer);
/// assert_eq!(consumer.pop(), Ok("hi"));
/// assert_eq!(consumer.pop(), Err(ring_park::PopError));
/// ```
pub struct Consumer<T> {
    inner: ring_core::Consumer<T, ParkState>,
    /// The thread this handle last registered to be woken.
    registered_thread: Option<sync::ThreadId>,
    /// How long this handle's next wait spins before it parks.
    spinner: Spinner,
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
/// let (producer, consumer) = ring_park::channel::<u8>(3);
/// assert_eq!(producer.capacity(), 3);
/// assert_eq!(consumer.capacity(), 3);
/// ```
#[must_use = "dropping a handle disconnects the channel"]
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    channel_with(capacity, SpinPolicy::default())
}

/// Creates a ring of exactly `capacity` slots whose handles spin as
/// `spin_policy` says before they park, and returns its two handles.
///
/// [`channel`] uses [`SpinPolicy::FRUGAL`], which spins a few microseconds
/// at most: a paced stream then costs little more than one park and one
/// wake-up per item. [`SpinPolicy::LOW_LATENCY`] spins 100 µs before
/// parking, which keeps a saturated stream between two cores of their own
/// from ever sleeping, at the price of a burnt core on paced streams and
/// of time slices stolen from the other side on shared cores. Each handle
/// can change its own policy later with `set_spin_policy`.
///
/// # Panics
///
/// As [`channel`].
///
/// # Examples
///
/// ```
/// use ring_park::SpinPolicy;
///
/// let (producer, consumer) = ring_park::channel_with::<u64>(1024, SpinPolicy::LOW_LATENCY);
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
        registered_thread: None,
        spinner: Spinner::new(spin_policy),
    };
    let consumer = Consumer {
        inner: consumer,
        registered_thread: None,
        spinner: Spinner::new(spin_policy),
    };
    (producer, consumer)
}

ring_core::impl_flavour_api!(crate = "ring_park", wait_state = ParkState);
// `std::io::Write` for `Producer<u8>` and `std::io::Read` for
// `Consumer<u8>`, parking while the ring is full or empty (see the crate
// docs' "Byte streams").
ring_core::impl_blocking_io!();

ring_core::impl_spin_policy_api!(crate = "ring_park", sleeps = "it parks");

/// The examples of this crate's README.md, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
