//! Waiting for a number of items or free slots: spin briefly (as the
//! handle's [`SpinPolicy`](ring_core::spin::SpinPolicy) says), then park
//! until the other side has moved far enough, the deadline passes, or the
//! channel is disconnected. The other side wakes the waiter at each of its
//! publications, and the waiter looks again; the test itself is
//! ring-core's (`items_reached`, `free_slots_reached`).

use std::time::{Duration, Instant};

use ring_core::__private::assert_wait_reachable;

use crate::blocking::{deadline_after, passed, spin, spin_while_peer_wakes};
use crate::park_state::{ParkState, Woken};
use crate::{Consumer, Disconnected, PopError, Producer, WaitTimeoutError};

impl<T> Producer<T> {
    /// Waits until at least `n` slots are free, spinning briefly and then
    /// parking, and returns how many are: the next that many pushes find
    /// room without waiting. `n == 0` returns at once with the current
    /// count.
    ///
    /// # Errors
    ///
    /// [`Disconnected`] once the consumer is gone or a side closed the
    /// channel, also while waiting.
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_park::channel(4);
    /// assert_eq!(producer.push_slice(&[1, 2, 3, 4]), 4);
    /// let popper = std::thread::spawn(move || {
    ///     let mut period = [0; 2];
    ///     assert_eq!(consumer.pop_slice(&mut period), 2);
    ///     consumer
    /// });
    /// assert!(producer.wait_free_slots(2).unwrap() >= 2);
    /// drop(popper.join().unwrap());
    /// assert_eq!(producer.wait_free_slots(1), Err(ring_park::Disconnected));
    /// ```
    #[track_caller]
    pub fn wait_free_slots(&mut self, n: usize) -> Result<usize, Disconnected> {
        self.free_slots_until(n, None).map_err(|_| Disconnected)
    }

    /// Waits at most `timeout` until at least `n` slots are free, and
    /// returns how many are; as [`wait_free_slots`](Self::wait_free_slots).
    ///
    /// # Errors
    ///
    /// [`WaitTimeoutError::Timeout`] if fewer were free at the deadline,
    /// [`WaitTimeoutError::Disconnected`] once the consumer is gone or a
    /// side closed the channel.
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_park::WaitTimeoutError;
    ///
    /// let (mut producer, _consumer) = ring_park::channel(4);
    /// assert_eq!(producer.push_slice(&[1, 2, 3]), 3);
    /// assert_eq!(producer.wait_free_slots_timeout(1, Duration::from_millis(5)), Ok(1));
    /// assert_eq!(
    ///     producer.wait_free_slots_timeout(2, Duration::from_millis(5)),
    ///     Err(WaitTimeoutError::Timeout)
    /// );
    /// ```
    #[track_caller]
    pub fn wait_free_slots_timeout(
        &mut self,
        n: usize,
        timeout: Duration,
    ) -> Result<usize, WaitTimeoutError> {
        self.free_slots_until(n, deadline_after(timeout))
    }

    /// Waits until `deadline` at most until at least `n` slots are free;
    /// as [`wait_free_slots_timeout`](Self::wait_free_slots_timeout).
    ///
    /// # Errors
    ///
    /// As for [`wait_free_slots_timeout`](Self::wait_free_slots_timeout).
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (mut producer, mut consumer) = ring_park::channel(2);
    /// assert_eq!(producer.push_slice(&[1, 2]), 2);
    /// let popper = std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(10));
    ///     assert_eq!(consumer.pop(), Ok(1));
    ///     consumer // Keeps the consumer alive.
    /// });
    /// let deadline = Instant::now() + Duration::from_secs(10);
    /// assert_eq!(producer.wait_free_slots_deadline(1, deadline), Ok(1));
    /// drop(popper.join().unwrap());
    /// ```
    #[track_caller]
    pub fn wait_free_slots_deadline(
        &mut self,
        n: usize,
        deadline: Instant,
    ) -> Result<usize, WaitTimeoutError> {
        self.free_slots_until(n, Some(deadline))
    }

    /// The waiting part of every wait for free slots, as `push_until`.
    #[track_caller]
    fn free_slots_until(
        &mut self,
        n: usize,
        deadline: Option<Instant>,
    ) -> Result<usize, WaitTimeoutError> {
        assert_wait_reachable("wait_free_slots", n, self.inner.capacity());
        let Self {
            inner,
            registered_thread,
            spinner,
        } = self;
        let attempt = |inner: &ring_core::Producer<T, ParkState>| {
            inner
                .free_slots_reached(n)
                .map(|outcome| outcome.map_err(WaitTimeoutError::from))
        };
        if let Some(outcome) = spin(spinner, deadline, || attempt(inner)) {
            inner.wait_state().producer.relax();
            return outcome;
        }
        let consumer_waking =
            |inner: &ring_core::Producer<T, ParkState>| inner.wait_state().consumer_on_its_way();
        let attempt_mut = |inner: &mut ring_core::Producer<T, ParkState>| attempt(inner);
        if let Some(outcome) =
            spin_while_peer_wakes(spinner, inner, deadline, consumer_waking, attempt_mut)
        {
            inner.wait_state().producer.relax();
            return outcome;
        }
        spinner.slept();
        loop {
            let timed_out = passed(deadline) || {
                let ready = || inner.free_slots() >= n || inner.is_disconnected();
                let parker = &inner.wait_state().producer;
                parker.wait(registered_thread, ready, deadline, spinner) == Woken::TimedOut
            };
            // After each wake-up, and once more at the deadline.
            if let Some(outcome) = attempt(inner) {
                return outcome;
            }
            if timed_out {
                return Err(WaitTimeoutError::Timeout);
            }
        }
    }
}

impl<T> Consumer<T> {
    /// Waits until the ring holds at least `n` items, spinning briefly and
    /// then parking, and returns how many it holds, without popping them:
    /// for reading a whole period at once with
    /// [`read_chunk`](Self::read_chunk) or [`pop_slice`](Self::pop_slice).
    /// `n == 0` returns at once with the current count.
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
    /// let (mut producer, mut consumer) = ring_park::channel(8);
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
    /// assert_eq!(consumer.wait_items(1), Err(ring_park::PopError));
    /// ```
    #[track_caller]
    pub fn wait_items(&mut self, n: usize) -> Result<usize, PopError> {
        self.items_until(n, None).map_err(|_| PopError)
    }

    /// Waits at most `timeout` until the ring holds at least `n` items, and
    /// returns how many it holds; as [`wait_items`](Self::wait_items).
    ///
    /// # Errors
    ///
    /// [`WaitTimeoutError::Timeout`] if fewer were there at the deadline,
    /// [`WaitTimeoutError::Disconnected`] once the producer is gone (or a
    /// side closed the channel) and fewer than `n` remain.
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_park::WaitTimeoutError;
    ///
    /// let (mut producer, mut consumer) = ring_park::channel(4);
    /// assert_eq!(producer.push_slice(&[1, 2]), 2);
    /// assert_eq!(consumer.wait_items_timeout(2, Duration::from_millis(5)), Ok(2));
    /// assert_eq!(
    ///     consumer.wait_items_timeout(3, Duration::from_millis(5)),
    ///     Err(WaitTimeoutError::Timeout)
    /// );
    /// drop(producer);
    /// assert_eq!(
    ///     consumer.wait_items_timeout(3, Duration::from_secs(10)),
    ///     Err(WaitTimeoutError::Disconnected)
    /// );
    /// ```
    #[track_caller]
    pub fn wait_items_timeout(
        &mut self,
        n: usize,
        timeout: Duration,
    ) -> Result<usize, WaitTimeoutError> {
        self.items_until(n, deadline_after(timeout))
    }

    /// Waits until `deadline` at most until the ring holds at least `n`
    /// items; as [`wait_items_timeout`](Self::wait_items_timeout).
    ///
    /// # Errors
    ///
    /// As for [`wait_items_timeout`](Self::wait_items_timeout).
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (mut producer, mut consumer) = ring_park::channel(4);
    /// std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(10));
    ///     producer.push_slice(&[1, 2, 3]);
    /// });
    /// let deadline = Instant::now() + Duration::from_secs(10);
    /// assert_eq!(consumer.wait_items_deadline(3, deadline), Ok(3));
    /// ```
    #[track_caller]
    pub fn wait_items_deadline(
        &mut self,
        n: usize,
        deadline: Instant,
    ) -> Result<usize, WaitTimeoutError> {
        self.items_until(n, Some(deadline))
    }

    /// The waiting part of every wait for items, as `pop_until`.
    #[track_caller]
    fn items_until(
        &mut self,
        n: usize,
        deadline: Option<Instant>,
    ) -> Result<usize, WaitTimeoutError> {
        assert_wait_reachable("wait_items", n, self.inner.capacity());
        let Self {
            inner,
            registered_thread,
            spinner,
        } = self;
        let attempt = |inner: &mut ring_core::Consumer<T, ParkState>| {
            inner
                .items_reached(n)
                .map(|outcome| outcome.map_err(WaitTimeoutError::from))
        };
        if let Some(outcome) = spin(spinner, deadline, || attempt(inner)) {
            inner.wait_state().consumer.relax();
            return outcome;
        }
        let producer_waking =
            |inner: &ring_core::Consumer<T, ParkState>| inner.wait_state().producer_on_its_way();
        if let Some(outcome) =
            spin_while_peer_wakes(spinner, inner, deadline, producer_waking, attempt)
        {
            inner.wait_state().consumer.relax();
            return outcome;
        }
        spinner.slept();
        loop {
            let timed_out = passed(deadline) || {
                let ready = || inner.len() >= n || inner.is_disconnected();
                let parker = &inner.wait_state().consumer;
                parker.wait(registered_thread, ready, deadline, spinner) == Woken::TimedOut
            };
            // After each wake-up, and once more at the deadline.
            if let Some(outcome) = attempt(inner) {
                return outcome;
            }
            if timed_out {
                return Err(WaitTimeoutError::Timeout);
            }
        }
    }
}
