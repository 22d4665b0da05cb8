//! The waiting operations: spin briefly (as the handle's
//! [`SpinPolicy`](ring_core::spin::SpinPolicy) says), then park until the
//! other side moves, the deadline passes, or the other side is gone.

use std::time::{Duration, Instant};

use ring_core::spin::Spinner;

use crate::park_state::{ParkState, Woken};
use crate::{
    Consumer, PopError, PopTimeoutError, Producer, PushError, PushTimeoutError, TryPopError,
    TryPushError,
};

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

/// Spins on `attempt` as the handle's spinner says (see
/// [`ring_core::spin`]), unless the deadline has passed. loom explores the
/// handshake, not the spinning or the clock: one attempt there.
#[inline]
pub(crate) fn spin<R>(
    spinner: &mut Spinner,
    deadline: Option<Instant>,
    mut attempt: impl FnMut() -> Option<R>,
) -> Option<R> {
    if cfg!(loom) {
        attempt()
    } else {
        spinner.spin(deadline, attempt)
    }
}

/// After a missed spin: spins on `attempt` while the other side, whose
/// `peer_waking` tells, is on its way after this thread woke it, through
/// this ring or another (see [`Spinner::spin_while_peer_wakes`] and
/// `thread_hint`). Without this, a side that fills or empties the ring
/// right after waking the other one parks too, and the two take turns
/// sleeping: every wait then costs a wake-up's latency, a stream through a
/// small ring, or in batches, slows to one ring's worth per two wake-ups,
/// and a round trip over two rings costs two wake-ups. Not under loom,
/// which models no clock.
#[inline]
pub(crate) fn spin_while_peer_wakes<H, R>(
    spinner: &mut Spinner,
    handle: &mut H,
    deadline: Option<Instant>,
    peer_waking: impl FnMut(&H) -> bool,
    attempt: impl FnMut(&mut H) -> Option<R>,
) -> Option<R> {
    if cfg!(loom) {
        None
    } else {
        spinner.spin_while_peer_wakes(handle, deadline, peer_waking, attempt)
    }
}

/// Whether `deadline` has passed; never under loom, which models no clock.
pub(crate) fn passed(deadline: Option<Instant>) -> bool {
    !cfg!(loom) && deadline.is_some_and(|deadline| Instant::now() >= deadline)
}

/// One push attempt of the value in `value`, which stays there while the
/// ring is full.
#[inline]
fn attempt_push<T>(
    inner: &mut ring_core::Producer<T, ParkState>,
    value: &mut Option<T>,
) -> Option<Result<(), PushTimeoutError<T>>> {
    let item = value
        .take()
        .expect("the value is put back after each attempt");
    match inner.try_push(item) {
        Ok(()) => Some(Ok(())),
        Err(TryPushError::Full(returned)) => {
            *value = Some(returned);
            None
        }
        Err(TryPushError::Disconnected(returned)) => {
            Some(Err(PushTimeoutError::Disconnected(returned)))
        }
    }
}

/// One pop attempt.
#[inline]
fn attempt_pop<T>(
    inner: &mut ring_core::Consumer<T, ParkState>,
) -> Option<Result<T, PopTimeoutError>> {
    match inner.try_pop_slipping() {
        Ok(value) => Some(Ok(value)),
        Err(TryPopError::Empty) => None,
        Err(TryPopError::Disconnected) => Some(Err(PopTimeoutError::Disconnected)),
    }
}

/// The deadline `timeout` from now, or `None` (no deadline) if that
/// instant is too far to represent.
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
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

    /// The waiting part of every push: spin (see [`ring_core::spin`]),
    /// then park until woken, and look again after each wake-up.
    #[inline(never)]
    fn push_until(
        &mut self,
        value: T,
        deadline: Option<Instant>,
    ) -> Result<(), PushTimeoutError<T>> {
        let Self {
            inner,
            registered_thread,
            spinner,
        } = self;
        let mut value = Some(value);
        if let Some(outcome) = spin(spinner, deadline, || attempt_push(inner, &mut value)) {
            inner.wait_state().producer.relax();
            return outcome;
        }
        let consumer_waking =
            |inner: &ring_core::Producer<T, ParkState>| inner.wait_state().consumer_on_its_way();
        let attempt = |inner: &mut _| attempt_push(inner, &mut value);
        if let Some(outcome) =
            spin_while_peer_wakes(spinner, inner, deadline, consumer_waking, attempt)
        {
            inner.wait_state().producer.relax();
            return outcome;
        }
        spinner.slept();
        loop {
            let timed_out = passed(deadline) || {
                let ready = || !inner.is_full() || inner.is_disconnected();
                let parker = &inner.wait_state().producer;
                parker.wait(registered_thread, ready, deadline, spinner) == Woken::TimedOut
            };
            // After a wake-up, and once more at the deadline: space may
            // have appeared. A wake-up that finds none was spurious, and
            // the handle parks again without spinning: a spin now would
            // only burn the time that parking saves.
            if let Some(outcome) = attempt_push(inner, &mut value) {
                return outcome;
            }
            if timed_out {
                let value = value
                    .take()
                    .expect("the value is put back after each attempt");
                return Err(PushTimeoutError::Timeout(value));
            }
        }
    }
}

impl<T> Consumer<T> {
    /// Pops the oldest item, waiting while the ring is empty: spinning
    /// briefly, then parking until the producer pushes.
    ///
    /// While a busy producer keeps the ring nearly empty, it spins a little
    /// before reading on, so that the producer gets a few cache lines ahead
    /// (see [`ring_core::Consumer::try_pop_slipping`]); a pop that had to
    /// wait for its item never adds that spin. The timed pops do the same.
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
            match self.inner.try_pop_slipping() {
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

    /// The waiting part of every pop, as [`Producer::push_until`].
    #[inline(never)]
    fn pop_until(&mut self, deadline: Option<Instant>) -> Result<T, PopTimeoutError> {
        let Self {
            inner,
            registered_thread,
            spinner,
        } = self;
        if let Some(outcome) = spin(spinner, deadline, || attempt_pop(inner)) {
            inner.wait_state().consumer.relax();
            return outcome;
        }
        let producer_waking =
            |inner: &ring_core::Consumer<T, ParkState>| inner.wait_state().producer_on_its_way();
        if let Some(outcome) =
            spin_while_peer_wakes(spinner, inner, deadline, producer_waking, attempt_pop)
        {
            inner.wait_state().consumer.relax();
            return outcome;
        }
        spinner.slept();
        loop {
            let timed_out = passed(deadline) || {
                let ready = || !inner.is_empty() || inner.is_disconnected();
                let parker = &inner.wait_state().consumer;
                parker.wait(registered_thread, ready, deadline, spinner) == Woken::TimedOut
            };
            // As in `push_until`.
            if let Some(outcome) = attempt_pop(inner) {
                return outcome;
            }
            if timed_out {
                return Err(PopTimeoutError::Timeout);
            }
        }
    }
}
