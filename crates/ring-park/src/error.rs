//! The errors of the timed operations, which only this flavour has. They
//! hand the value back, like ring-core's errors.

use std::fmt;

/// Why [`Producer::push_timeout`](crate::Producer::push_timeout) or
/// [`Producer::push_deadline`](crate::Producer::push_deadline) failed; the
/// value comes back.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use ring_park::PushTimeoutError;
///
/// let (mut producer, consumer) = ring_park::channel(1);
/// producer.push(1).unwrap();
/// let error = producer.push_timeout(2, Duration::from_millis(1)).unwrap_err();
/// assert_eq!(error, PushTimeoutError::Timeout(2));
/// drop(consumer);
/// assert_eq!(producer.push_timeout(3, Duration::ZERO), Err(PushTimeoutError::Disconnected(3)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum PushTimeoutError<T> {
    /// The ring stayed full until the deadline.
    Timeout(T),
    /// The channel is disconnected (the consumer is gone, or a side closed
    /// it), so the value could never be popped.
    Disconnected(T),
}

impl<T> PushTimeoutError<T> {
    /// The value that could not be pushed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(ring_park::PushTimeoutError::Timeout(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            Self::Timeout(value) | Self::Disconnected(value) => value,
        }
    }

    /// Whether the deadline passed with the ring still full.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_park::PushTimeoutError::Timeout(5).is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// Whether the consumer is gone or the channel was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_park::PushTimeoutError::Disconnected(5).is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, Self::Disconnected(_))
    }
}

impl<T> fmt::Debug for PushTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout(_) => f.write_str("Timeout(..)"),
            Self::Disconnected(_) => f.write_str("Disconnected(..)"),
        }
    }
}

impl<T> fmt::Display for PushTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout(_) => f.write_str("timed out waiting for space in a full ring"),
            Self::Disconnected(_) => {
                f.write_str("pushing into a disconnected ring (closed or gone)")
            }
        }
    }
}

impl<T> std::error::Error for PushTimeoutError<T> {}

impl<T> From<ring_core::PushError<T>> for PushTimeoutError<T> {
    fn from(error: ring_core::PushError<T>) -> Self {
        Self::Disconnected(error.0)
    }
}

/// Why [`Consumer::pop_timeout`](crate::Consumer::pop_timeout) or
/// [`Consumer::pop_deadline`](crate::Consumer::pop_deadline) returned no
/// value.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use ring_park::PopTimeoutError;
///
/// let (producer, mut consumer) = ring_park::channel::<u8>(1);
/// assert_eq!(consumer.pop_timeout(Duration::from_millis(1)), Err(PopTimeoutError::Timeout));
/// drop(producer);
/// assert_eq!(consumer.pop_timeout(Duration::ZERO), Err(PopTimeoutError::Disconnected));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PopTimeoutError {
    /// The ring stayed empty until the deadline.
    Timeout,
    /// The ring is empty and the producer is gone or the channel was closed,
    /// so it stays empty.
    Disconnected,
}

impl PopTimeoutError {
    /// Whether the deadline passed with the ring still empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_park::PopTimeoutError::Timeout.is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout)
    }

    /// Whether the ring is drained and the producer gone.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_park::PopTimeoutError::Disconnected.is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, Self::Disconnected)
    }
}

impl fmt::Display for PopTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("timed out waiting for an item in an empty ring"),
            Self::Disconnected => {
                f.write_str("popping from an empty, disconnected ring (closed or gone)")
            }
        }
    }
}

impl std::error::Error for PopTimeoutError {}

impl From<ring_core::PopError> for PopTimeoutError {
    fn from(_: ring_core::PopError) -> Self {
        Self::Disconnected
    }
}
