//! The blocking forms with a timeout or a deadline, for a plain thread at
//! one end of an async ring that must not wait for ever: the same waits as
//! `push_blocking` and `pop_blocking`, given up at the deadline.

use std::time::{Duration, Instant};

use crate::blocking::block_on;
use crate::{Consumer, PopError, PopTimeoutError, Producer, PushError, PushTimeoutError};

/// The deadline `timeout` from now, or `None` (no deadline) if that
/// instant is too far to represent.
fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

impl<T> Producer<T> {
    /// Pushes `value` from a plain thread, waiting at most `timeout` while
    /// the ring is full; as [`push_blocking`](Self::push_blocking).
    ///
    /// Do not call it from inside an async task: it blocks the executor's
    /// thread.
    ///
    /// # Errors
    ///
    /// [`PushTimeoutError::Timeout`] if the ring stayed full,
    /// [`PushTimeoutError::Disconnected`] as soon as the consumer is gone
    /// or a side closed the channel; either hands the value back.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_async::PushTimeoutError;
    ///
    /// let (mut producer, _consumer) = ring_async::channel(1);
    /// assert_eq!(producer.push_blocking_timeout(1, Duration::from_millis(5)), Ok(()));
    /// assert_eq!(
    ///     producer.push_blocking_timeout(2, Duration::from_millis(5)),
    ///     Err(PushTimeoutError::Timeout(2))
    /// );
    /// ```
    pub fn push_blocking_timeout(
        &mut self,
        value: T,
        timeout: Duration,
    ) -> Result<(), PushTimeoutError<T>> {
        self.push_blocking_until(value, deadline_after(timeout))
    }

    /// Pushes `value` from a plain thread, waiting until `deadline` at most
    /// while the ring is full; as
    /// [`push_blocking_timeout`](Self::push_blocking_timeout).
    ///
    /// # Errors
    ///
    /// As for [`push_blocking_timeout`](Self::push_blocking_timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (mut producer, mut consumer) = ring_async::channel(1);
    /// producer.push_blocking(1).unwrap();
    /// let popper = std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(10));
    ///     let first = futures::executor::block_on(consumer.pop());
    ///     (first, consumer) // Keeps the consumer alive.
    /// });
    /// let deadline = Instant::now() + Duration::from_secs(10);
    /// assert_eq!(producer.push_blocking_deadline(2, deadline), Ok(()));
    /// assert_eq!(popper.join().unwrap().0, Ok(1));
    /// ```
    pub fn push_blocking_deadline(
        &mut self,
        value: T,
        deadline: Instant,
    ) -> Result<(), PushTimeoutError<T>> {
        self.push_blocking_until(value, Some(deadline))
    }

    /// The timed push: `push_blocking`'s wait, given up at `deadline`.
    fn push_blocking_until(
        &mut self,
        value: T,
        deadline: Option<Instant>,
    ) -> Result<(), PushTimeoutError<T>> {
        let mut value = Some(value);
        let outcome = block_on(
            self,
            &mut value,
            |producer| producer.thread_waker.for_current_thread().clone(),
            |producer, value, waker| producer.wait_push(waker, value),
            deadline,
        );
        match outcome {
            Some(Ok(())) => Ok(()),
            Some(Err(PushError(value))) => Err(PushTimeoutError::Disconnected(value)),
            None => Err(PushTimeoutError::Timeout(
                value.expect("a push that timed out still holds its value"),
            )),
        }
    }
}

impl<T> Consumer<T> {
    /// Pops the oldest item on a plain thread, waiting at most `timeout`
    /// while the ring is empty; as [`pop_blocking`](Self::pop_blocking).
    ///
    /// Do not call it from inside an async task: it blocks the executor's
    /// thread.
    ///
    /// # Errors
    ///
    /// [`PopTimeoutError::Timeout`] if the ring stayed empty,
    /// [`PopTimeoutError::Disconnected`] once the producer is gone (or a
    /// side closed the channel) and the ring is drained.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_async::PopTimeoutError;
    ///
    /// let (mut producer, mut consumer) = ring_async::channel(1);
    /// assert_eq!(
    ///     consumer.pop_blocking_timeout(Duration::from_millis(5)),
    ///     Err(PopTimeoutError::Timeout)
    /// );
    /// producer.try_push('x').unwrap();
    /// assert_eq!(consumer.pop_blocking_timeout(Duration::from_millis(5)), Ok('x'));
    /// drop(producer);
    /// assert_eq!(
    ///     consumer.pop_blocking_timeout(Duration::from_secs(10)),
    ///     Err(PopTimeoutError::Disconnected)
    /// );
    /// ```
    pub fn pop_blocking_timeout(&mut self, timeout: Duration) -> Result<T, PopTimeoutError> {
        self.pop_blocking_until(deadline_after(timeout))
    }

    /// Pops the oldest item on a plain thread, waiting until `deadline` at
    /// most while the ring is empty; as
    /// [`pop_blocking_timeout`](Self::pop_blocking_timeout).
    ///
    /// # Errors
    ///
    /// As for [`pop_blocking_timeout`](Self::pop_blocking_timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (mut producer, mut consumer) = ring_async::channel(1);
    /// let pusher = std::thread::spawn(move || {
    ///     std::thread::sleep(Duration::from_millis(10));
    ///     futures::executor::block_on(producer.push(42)).unwrap();
    /// });
    /// let deadline = Instant::now() + Duration::from_secs(10);
    /// assert_eq!(consumer.pop_blocking_deadline(deadline), Ok(42));
    /// pusher.join().unwrap();
    /// ```
    pub fn pop_blocking_deadline(&mut self, deadline: Instant) -> Result<T, PopTimeoutError> {
        self.pop_blocking_until(Some(deadline))
    }

    /// The timed pop: `pop_blocking`'s wait, given up at `deadline`.
    fn pop_blocking_until(&mut self, deadline: Option<Instant>) -> Result<T, PopTimeoutError> {
        let outcome = block_on(
            self,
            &mut (),
            |consumer| consumer.thread_waker.for_current_thread().clone(),
            |consumer, (), waker| consumer.wait_pop(waker),
            deadline,
        );
        match outcome {
            Some(Ok(value)) => Ok(value),
            Some(Err(PopError)) => Err(PopTimeoutError::Disconnected),
            None => Err(PopTimeoutError::Timeout),
        }
    }
}
