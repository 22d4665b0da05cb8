//! The waiting operations: spin briefly, then park until the other side
//! moves, the deadline passes, or the other side is gone.

use std::time::{Duration, Instant};

use crate::park_state::Woken;
use crate::{
    Consumer, PopError, PopTimeoutError, Producer, PushError, PushTimeoutError, TryPopError,
    TryPushError,
};

/// How many polls, each followed by one `spin_loop` hint, a waiting side
/// makes before it yields and then parks: about 120 microseconds on this
/// project's machine, longer than a park and wake-up round trip (tens of
/// microseconds, more when the hypervisor has descheduled an idle vCPU).
/// A shorter spin lets a stalled peer send a streaming side to sleep, and
/// the wake-ups then cost more than the spinning saved: with 256 polls
/// ring-park streamed at 0.35 of ring-spin's rate, with 4096 at 0.74. A
/// side that waits for long burns these microseconds once per wait. Under
/// Miri, which runs code thousands of times slower, a few polls suffice.
#[cfg(not(loom))]
const SPIN_POLLS: u32 = if cfg!(miri) { 16 } else { 4096 };
/// How many times it yields its core after spinning, for a peer that needs
/// the core to make progress, before it parks.
#[cfg(not(loom))]
const YIELDS: u32 = 2;

/// How many polls pass between two looks at the clock while spinning
/// towards a deadline.
#[cfg(not(loom))]
const POLLS_PER_CLOCK_CHECK: u32 = 256;

/// How many polls `push` and `pop` make inline, each followed by a
/// `spin_loop` hint, before they call the out-of-line waiting code. A
/// streaming side finds the ring full or empty for a moment again and
/// again; catching those moments without a call keeps the waiting code off
/// the hot path. `push` and `pop` are `#[inline(always)]`, so these polls
/// land in the caller's loop: in the benchmark, with 8 polls ring-park
/// streamed at 0.92 to 0.96 of ring-spin's rate, with 1 poll (the rest out
/// of line) at 0.85 to 0.95. Under loom one poll, the plain fast path: more
/// would multiply the interleavings to explore.
const INLINE_POLLS: u32 = if cfg!(loom) { 1 } else { 8 };

/// What a waiting side does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(loom, allow(dead_code, reason = "loom parks at once"))]
enum Next {
    /// Look at the ring again.
    Retry,
    /// Spinning is over: park until woken.
    Park,
    /// The deadline passed: one last look, then give up.
    GiveUp,
}

/// The phases of a wait: spinning, yielding, parking. The deadline ends
/// spinning early, so that a short timeout is not overrun by the spin
/// phase and an expired one costs no system call.
struct Patience {
    #[cfg_attr(loom, allow(dead_code, reason = "loom parks at once"))]
    polls: u32,
    #[cfg_attr(loom, allow(dead_code, reason = "loom parks at once"))]
    deadline: Option<Instant>,
}

impl Patience {
    fn new(deadline: Option<Instant>) -> Self {
        Self { polls: 0, deadline }
    }

    /// Waits a little without the kernel, or says it is time to park or to
    /// give up.
    #[cfg(not(loom))]
    #[inline]
    fn next(&mut self) -> Next {
        if self.polls % POLLS_PER_CLOCK_CHECK == 0
            && self
                .deadline
                .is_some_and(|deadline| Instant::now() >= deadline)
        {
            return Next::GiveUp;
        }
        self.polls += 1;
        if self.polls <= SPIN_POLLS {
            std::hint::spin_loop();
            Next::Retry
        } else if self.polls <= SPIN_POLLS + YIELDS {
            std::thread::yield_now();
            Next::Retry
        } else {
            Next::Park
        }
    }

    /// loom explores the handshake, not the spinning or the clock: park at
    /// once.
    #[cfg(loom)]
    fn next(&mut self) -> Next {
        Next::Park
    }
}

/// The deadline `timeout` from now, or `None` (no deadline) if that
/// instant is too far to represent.
fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

impl<T> Producer<T> {
    /// Pushes `value`, waiting while the ring is full: spinning briefly,
    /// then parking until the consumer frees a slot.
    ///
    /// # Errors
    ///
    /// Returns the value in a [`PushError`] as soon as the consumer is gone,
    /// also while waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_park::channel(1);
    /// producer.push(1).unwrap();
    /// let popper = std::thread::spawn(move || (consumer.pop(), consumer.pop()));
    /// producer.push(2).unwrap(); // Sleeps until the other thread has popped 1.
    /// assert_eq!(popper.join().unwrap(), (Ok(1), Ok(2)));
    /// assert_eq!(producer.push(3), Err(ring_park::PushError(3)));
    /// ```
    // Always inlined: when LLVM chose not to, every push of a stream paid a
    // call, and ring-park streamed at about 0.6 of ring-spin's rate.
    #[inline(always)]
    pub fn push(&mut self, value: T) -> Result<(), PushError<T>> {
        // A few polls inline (see `INLINE_POLLS`); the real waiting is out of
        // line.
        let mut value = value;
        for _ in 0..INLINE_POLLS {
            match self.inner.try_push(value) {
                Ok(()) => return Ok(()),
                Err(TryPushError::Full(returned)) => value = returned,
                Err(TryPushError::Disconnected(returned)) => return Err(PushError(returned)),
            }
            std::hint::spin_loop();
        }
        self.push_until(value, None)
            .map_err(|error| PushError(error.into_inner()))
    }

    /// Pushes `value`, waiting at most `timeout` while the ring is full.
    ///
    /// # Errors
    ///
    /// [`PushTimeoutError::Timeout`] if the ring stayed full,
    /// [`PushTimeoutError::Disconnected`] as soon as the consumer is gone;
    /// either hands the value back.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (mut producer, _consumer) = ring_park::channel(1);
    /// assert_eq!(producer.push_timeout(1, Duration::from_millis(5)), Ok(()));
    /// let full = producer.push_timeout(2, Duration::from_millis(5)).unwrap_err();
    /// assert!(full.is_timeout());
    /// ```
    pub fn push_timeout(&mut self, value: T, timeout: Duration) -> Result<(), PushTimeoutError<T>> {
        self.push_until(value, deadline_after(timeout))
    }

    /// Pushes `value`, waiting until `deadline` at most while the ring is
    /// full.
    ///
    /// # Errors
    ///
    /// As for [`push_timeout`](Self::push_timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (mut producer, mut consumer) = ring_park::channel(1);
    /// producer.push(1).unwrap();
    /// let popper = std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(10));
    ///     (consumer.pop(), consumer) // Keeps the consumer alive.
    /// });
    /// let deadline = Instant::now() + Duration::from_secs(10);
    /// assert_eq!(producer.push_deadline(2, deadline), Ok(()));
    /// assert_eq!(popper.join().unwrap().0, Ok(1));
    /// ```
    pub fn push_deadline(
        &mut self,
        value: T,
        deadline: Instant,
    ) -> Result<(), PushTimeoutError<T>> {
        self.push_until(value, Some(deadline))
    }

    #[inline(never)]
    fn push_until(
        &mut self,
        mut value: T,
        deadline: Option<Instant>,
    ) -> Result<(), PushTimeoutError<T>> {
        let mut patience = Patience::new(deadline);
        loop {
            match self.inner.try_push(value) {
                Ok(()) => return Ok(()),
                Err(TryPushError::Disconnected(returned)) => {
                    return Err(PushTimeoutError::Disconnected(returned));
                }
                Err(TryPushError::Full(returned)) => value = returned,
            }
            let give_up = match patience.next() {
                Next::Retry => false,
                Next::GiveUp => true,
                Next::Park => {
                    let inner = &self.inner;
                    let ready = || !inner.is_full() || inner.is_disconnected();
                    let parker = &inner.wait_state().producer;
                    parker.wait(&mut self.registered_thread, ready, deadline) == Woken::TimedOut
                }
            };
            if give_up {
                // One last try: space may have appeared at the deadline.
                return match self.inner.try_push(value) {
                    Ok(()) => Ok(()),
                    Err(TryPushError::Full(returned)) => Err(PushTimeoutError::Timeout(returned)),
                    Err(TryPushError::Disconnected(returned)) => {
                        Err(PushTimeoutError::Disconnected(returned))
                    }
                };
            }
        }
    }
}

impl<T> Consumer<T> {
    /// Pops the oldest item, waiting while the ring is empty: spinning
    /// briefly, then parking until the producer pushes.
    ///
    /// # Errors
    ///
    /// [`PopError`] once the producer is gone and every item it pushed has
    /// been popped.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_park::channel(4);
    /// std::thread::spawn(move || producer.push(7).unwrap());
    /// assert_eq!(consumer.pop(), Ok(7));
    /// assert_eq!(consumer.pop(), Err(ring_park::PopError));
    /// ```
    // Always inlined, as `Producer::push` is.
    #[inline(always)]
    pub fn pop(&mut self) -> Result<T, PopError> {
        // As in `Producer::push`: a few polls inline, waiting out of line.
        for _ in 0..INLINE_POLLS {
            match self.inner.try_pop() {
                Ok(value) => return Ok(value),
                Err(TryPopError::Empty) => {}
                Err(TryPopError::Disconnected) => return Err(PopError),
            }
            std::hint::spin_loop();
        }
        self.pop_until(None).map_err(|_| PopError)
    }

    /// Pops the oldest item, waiting at most `timeout` while the ring is
    /// empty.
    ///
    /// # Errors
    ///
    /// [`PopTimeoutError::Timeout`] if the ring stayed empty,
    /// [`PopTimeoutError::Disconnected`] once the producer is gone and the
    /// ring drained.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (mut producer, mut consumer) = ring_park::channel(1);
    /// assert!(consumer.pop_timeout(Duration::from_millis(5)).unwrap_err().is_timeout());
    /// producer.push('x').unwrap();
    /// assert_eq!(consumer.pop_timeout(Duration::from_millis(5)), Ok('x'));
    /// ```
    pub fn pop_timeout(&mut self, timeout: Duration) -> Result<T, PopTimeoutError> {
        self.pop_until(deadline_after(timeout))
    }

    /// Pops the oldest item, waiting until `deadline` at most while the
    /// ring is empty.
    ///
    /// # Errors
    ///
    /// As for [`pop_timeout`](Self::pop_timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (mut producer, mut consumer) = ring_park::channel(1);
    /// std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(10));
    ///     producer.push(42).unwrap();
    /// });
    /// let deadline = Instant::now() + Duration::from_secs(10);
    /// assert_eq!(consumer.pop_deadline(deadline), Ok(42));
    /// ```
    pub fn pop_deadline(&mut self, deadline: Instant) -> Result<T, PopTimeoutError> {
        self.pop_until(Some(deadline))
    }

    /// An iterator that pops items, waiting while the ring is empty; it
    /// ends once the producer is gone and the ring is drained.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_park::channel(2);
    /// std::thread::spawn(move || {
    ///     for word in ["a", "b", "c"] {
    ///         producer.push(word).unwrap();
    ///     }
    /// });
    /// assert_eq!(consumer.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    /// ```
    pub fn iter(&mut self) -> impl Iterator<Item = T> + '_ {
        std::iter::from_fn(move || self.pop().ok())
    }

    #[inline(never)]
    fn pop_until(&mut self, deadline: Option<Instant>) -> Result<T, PopTimeoutError> {
        let mut patience = Patience::new(deadline);
        loop {
            match self.inner.try_pop() {
                Ok(value) => return Ok(value),
                Err(TryPopError::Disconnected) => return Err(PopTimeoutError::Disconnected),
                Err(TryPopError::Empty) => {}
            }
            let give_up = match patience.next() {
                Next::Retry => false,
                Next::GiveUp => true,
                Next::Park => {
                    let inner = &self.inner;
                    let ready = || !inner.is_empty() || inner.is_disconnected();
                    let parker = &inner.wait_state().consumer;
                    parker.wait(&mut self.registered_thread, ready, deadline) == Woken::TimedOut
                }
            };
            if give_up {
                // One last try: an item may have arrived at the deadline.
                return self.inner.try_pop().map_err(|error| match error {
                    TryPopError::Empty => PopTimeoutError::Timeout,
                    TryPopError::Disconnected => PopTimeoutError::Disconnected,
                });
            }
        }
    }
}
