//! A lock-free single-producer single-consumer ring buffer whose blocking
//! operations busy-spin while the ring is full or empty.
//!
//! Choose `ring-spin` when both threads have a core of their own and the
//! lowest latency matters more than the CPU time a waiting thread burns:
//! audio callbacks, trading pipelines, pinned network stacks. A waiting
//! `push` or `pop` spins on `core::hint::spin_loop()`, never yields and
//! never sleeps, so it reacts within a cache-line transfer of the other
//! side's move. (A `pop` that keeps finding only a few items in a busy
//! stream waits a few hundred nanoseconds at most for more, so that the
//! two sides do not pass cache lines back and forth for every item; see
//! [`Consumer::pop`].) When threads share cores or wait for long, use `ring-park`
//! (the thread sleeps until woken); in async code, use `ring-async`.
//!
//! The ring is `ring-core`'s: exactly `capacity` items fit, the handles keep
//! cached copies of each other's index on separate cache lines, every item
//! left in the ring is dropped once, and each side sees the other's drop.
//!
//! ```
//! let (mut producer, mut consumer) = ring_spin::channel::<u64>(1024);
//! let sender = std::thread::spawn(move || {
//!     for i in 0..10_000 {
//!         producer.push(i).unwrap();
//!     }
//! });
//! let sum: u64 = consumer.iter().sum();
//! sender.join().unwrap();
//! assert_eq!(sum, (0..10_000).sum());
//! ```
//!
//! # Byte streams
//!
//! With the default `std` feature, `Producer<u8>` implements
//! `std::io::Write` and `Consumer<u8>` implements `std::io::Read`: a write
//! spins until at least one byte fits and writes as many as fit, failing
//! with `ErrorKind::BrokenPipe` once the consumer is gone or the channel
//! closed; a read spins until at least one byte is there, and returns
//! `Ok(0)` at the end of the stream (the producer gone or the channel
//! closed, and the ring drained). So `std::io::copy` pipes bytes through.
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let (mut producer, mut consumer) = ring_spin::channel::<u8>(64);
//! let writer = std::thread::spawn(move || producer.write_all(&[7; 1000]));
//! let mut received = Vec::new();
//! consumer.read_to_end(&mut received).unwrap();
//! writer.join().unwrap().unwrap();
//! assert_eq!(received, [7; 1000]);
//! ```
//!
//! The crate is `no_std` (it needs `alloc`); the default `std` feature
//! implements `std::error::Error` for the error types and the byte-stream
//! traits.

#![no_std]
#![forbid(unsafe_code)]

pub use ring_core::{Disconnected, PopError, PushError, TryPopError, TryPushError};

/// The writing end of a ring; see [`channel`].
///
/// It is `Send` when `T` is, so it can move to another thread at any time.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_spin::channel(1);
/// producer.push(1).unwrap();
/// assert_eq!(consumer.pop(), Ok(1));
/// ```
pub struct Producer<T> {
    inner: ring_core::Producer<T>,
}

/// The reading end of a ring; see [`channel`].
///
/// It is `Send` when `T` is, so it can move to another thread at any time.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_spin::channel(1);
/// producer.push("hi").unwrap();
/// drop(producer);
/// assert_eq!(consumer.pop(), Ok("hi"));
/// assert_eq!(consumer.pop(), Err(ring_spin::PopError));
/// ```
pub struct Consumer<T> {
    inner: ring_core::Consumer<T>,
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
/// let (producer, consumer) = ring_spin::channel::<u8>(3);
/// assert_eq!(producer.capacity(), 3);
/// assert_eq!(consumer.capacity(), 3);
/// ```
#[must_use = "dropping a handle disconnects the channel"]
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    let (producer, consumer) = ring_core::channel(capacity);
    (Producer { inner: producer }, Consumer { inner: consumer })
}

ring_core::impl_flavour_api!(crate = "ring_spin", wait_state = ());
// `std::io::Write` for `Producer<u8>` and `std::io::Read` for
// `Consumer<u8>`, spinning while the ring is full or empty (see the
// crate docs' "Byte streams").
#[cfg(feature = "std")]
ring_core::impl_blocking_io!();

impl<T> Producer<T> {
    /// Pushes `value`, spinning while the ring is full.
    ///
    /// # Errors
    ///
    /// Returns the value in a [`PushError`] as soon as the consumer is gone,
    /// also while waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_spin::channel(1);
    /// producer.push(1).unwrap();
    /// let popper = std::thread::spawn(move || (consumer.pop(), consumer.pop()));
    /// producer.push(2).unwrap(); // Waits until the other thread has popped 1.
    /// assert_eq!(popper.join().unwrap(), (Ok(1), Ok(2)));
    /// // That thread dropped the consumer: pushing now fails.
    /// assert_eq!(producer.push(3), Err(ring_spin::PushError(3)));
    /// ```
    #[inline]
    pub fn push(&mut self, mut value: T) -> Result<(), PushError<T>> {
        loop {
            match self.inner.try_push(value) {
                Ok(()) => return Ok(()),
                Err(TryPushError::Full(returned)) => value = returned,
                Err(TryPushError::Disconnected(returned)) => return Err(PushError(returned)),
            }
            core::hint::spin_loop();
        }
    }

    /// Spins until at least `n` slots are free, and returns how many are:
    /// the next that many pushes find room without waiting. `n == 0`
    /// returns at once with the current count.
    ///
    /// # Errors
    ///
    /// [`Disconnected`] once the consumer is gone or a side closed the
    /// channel.
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_spin::channel(4);
    /// assert_eq!(producer.push_slice(&[1, 2, 3, 4]), 4);
    /// let popper = std::thread::spawn(move || {
    ///     let mut period = [0; 2];
    ///     consumer.wait_items(2).unwrap();
    ///     assert_eq!(consumer.pop_slice(&mut period), 2);
    ///     consumer
    /// });
    /// assert!(producer.wait_free_slots(2).unwrap() >= 2);
    /// drop(popper.join().unwrap());
    /// assert_eq!(producer.wait_free_slots(1), Err(ring_spin::Disconnected));
    /// ```
    #[track_caller]
    pub fn wait_free_slots(&mut self, n: usize) -> Result<usize, Disconnected> {
        loop {
            if let Some(outcome) = self.inner.free_slots_reached(n) {
                return outcome;
            }
            core::hint::spin_loop();
        }
    }
}

impl<T> Consumer<T> {
    /// Spins until the ring holds at least `n` items, and returns how many
    /// it holds, without popping them: for reading a whole period at once
    /// with [`read_chunk`](Self::read_chunk) or
    /// [`pop_slice`](Self::pop_slice). `n == 0` returns at once with the
    /// current count.
    ///
    /// # Errors
    ///
    /// [`PopError`] once the producer is gone (or a side closed the
    /// channel) and fewer than `n` items remain.
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_spin::channel(8);
    /// std::thread::spawn(move || {
    ///     for sample in 0..6 {
    ///         producer.push(sample).unwrap();
    ///     }
    /// });
    /// assert!(consumer.wait_items(4).unwrap() >= 4);
    /// let mut period = [0; 4];
    /// assert_eq!(consumer.pop_slice(&mut period), 4);
    /// assert_eq!(period, [0, 1, 2, 3]);
    /// assert_eq!(consumer.wait_items(2), Ok(2));
    /// assert_eq!(consumer.pop_slice(&mut period), 2);
    /// assert_eq!(consumer.wait_items(1), Err(ring_spin::PopError));
    /// ```
    #[track_caller]
    pub fn wait_items(&mut self, n: usize) -> Result<usize, PopError> {
        loop {
            if let Some(outcome) = self.inner.items_reached(n) {
                return outcome;
            }
            core::hint::spin_loop();
        }
    }

    /// Pops the oldest item, spinning while the ring is empty.
    ///
    /// While a busy producer keeps the ring nearly empty, it spins a little
    /// before reading on, so that the producer gets a few cache lines ahead
    /// (see [`ring_core::Consumer::try_pop_slipping`]): a consumer right
    /// behind its producer would pull each slot's cache line over as soon
    /// as it is written, and slow both sides down severalfold. A pop that
    /// had to wait for its item never adds that spin.
    ///
    /// # Errors
    ///
    /// [`PopError`] once the producer is gone and every item it pushed has
    /// been popped.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_spin::channel(4);
    /// std::thread::spawn(move || producer.push(7).unwrap());
    /// assert_eq!(consumer.pop(), Ok(7));
    /// assert_eq!(consumer.pop(), Err(ring_spin::PopError));
    /// ```
    #[inline]
    pub fn pop(&mut self) -> Result<T, PopError> {
        loop {
            match self.inner.try_pop_slipping() {
                Ok(value) => return Ok(value),
                Err(TryPopError::Empty) => core::hint::spin_loop(),
                Err(TryPopError::Disconnected) => return Err(PopError),
            }
        }
    }

    /// An iterator that pops items, spinning while the ring is empty; it
    /// ends once the producer is gone and the ring is drained.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_spin::channel(2);
    /// std::thread::spawn(move || {
    ///     for word in ["a", "b", "c"] {
    ///         producer.push(word).unwrap();
    ///     }
    /// });
    /// assert_eq!(consumer.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    /// ```
    pub fn iter(&mut self) -> impl Iterator<Item = T> + '_ {
        core::iter::from_fn(move || self.pop().ok())
    }
}

/// The examples of this crate's README.md, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
