//! The error types of every flavour, defined once here and re-exported by
//! each flavour crate.
//!
//! Errors of operations that take a value hand it back, so nothing is lost
//! when a push fails. `Debug` never requires `T: Debug`: it prints the
//! variant and elides the value.

use core::fmt;

/// Why [`Producer::try_push`](crate::Producer::try_push) could not push; the
/// value comes back.
///
/// # Examples
///
/// ```
/// use ring_core::TryPushError;
///
/// let (mut producer, consumer) = ring_core::channel(1);
/// producer.try_push("first").unwrap();
/// assert_eq!(producer.try_push("second"), Err(TryPushError::Full("second")));
/// drop(consumer);
/// let error = producer.try_push("third").unwrap_err();
/// assert!(error.is_disconnected());
/// assert_eq!(error.into_inner(), "third");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum TryPushError<T> {
    /// The ring is full; the consumer is still there and may free space.
    Full(T),
    /// The channel is disconnected (the consumer is gone, or a side closed
    /// it), so the value could never be popped.
    Disconnected(T),
}

impl<T> TryPushError<T> {
    /// The value that could not be pushed.
    ///
    /// # Examples
    ///
    /// ```
    /// let error = ring_core::TryPushError::Full(7);
    /// assert_eq!(error.into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            Self::Full(value) | Self::Disconnected(value) => value,
        }
    }

    /// Whether the push failed because the ring was full.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::TryPushError::Full(1).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, Self::Full(_))
    }

    /// Whether the push failed because the consumer is gone or the channel
    /// was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::TryPushError::Disconnected(1).is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, Self::Disconnected(_))
    }
}

impl<T> fmt::Debug for TryPushError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full(_) => f.write_str("Full(..)"),
            Self::Disconnected(_) => f.write_str("Disconnected(..)"),
        }
    }
}

impl<T> fmt::Display for TryPushError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full(_) => f.write_str("pushing into a full ring"),
            Self::Disconnected(_) => {
                f.write_str("pushing into a disconnected ring (closed or gone)")
            }
        }
    }
}

#[cfg(feature = "std")]
impl<T> std::error::Error for TryPushError<T> {}

impl<T> From<PushError<T>> for TryPushError<T> {
    fn from(error: PushError<T>) -> Self {
        Self::Disconnected(error.0)
    }
}

/// A waiting push failed because the consumer is gone or the channel was
/// closed; the value comes back.
///
/// # Examples
///
/// ```
/// let error = ring_core::PushError("lost");
/// assert_eq!(error.to_string(), "pushing into a disconnected ring (closed or gone)");
/// assert_eq!(error.into_inner(), "lost");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PushError<T>(pub T);

impl<T> PushError<T> {
    /// The value that could not be pushed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(ring_core::PushError(3).into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for PushError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PushError(..)")
    }
}

impl<T> fmt::Display for PushError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("pushing into a disconnected ring (closed or gone)")
    }
}

#[cfg(feature = "std")]
impl<T> std::error::Error for PushError<T> {}

/// Why [`Consumer::try_pop`](crate::Consumer::try_pop) returned no value.
///
/// # Examples
///
/// ```
/// use ring_core::TryPopError;
///
/// let (producer, mut consumer) = ring_core::channel::<u8>(1);
/// assert_eq!(consumer.try_pop(), Err(TryPopError::Empty));
/// drop(producer);
/// assert_eq!(consumer.try_pop(), Err(TryPopError::Disconnected));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TryPopError {
    /// The ring is empty; the producer is still there and may push more.
    Empty,
    /// The ring is empty and the producer is gone or the channel was closed,
    /// so it stays empty.
    Disconnected,
}

impl TryPopError {
    /// Whether the ring was merely empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::TryPopError::Empty.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// Whether the ring is drained and the producer is gone or the channel
    /// was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::TryPopError::Disconnected.is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, Self::Disconnected)
    }
}

impl fmt::Display for TryPopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("popping from an empty ring"),
            Self::Disconnected => {
                f.write_str("popping from an empty, disconnected ring (closed or gone)")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for TryPopError {}

impl From<PopError> for TryPopError {
    fn from(_: PopError) -> Self {
        Self::Disconnected
    }
}

/// A waiting pop failed because the producer is gone or the channel was
/// closed, and the ring is drained.
///
/// # Examples
///
/// ```
/// let error = ring_core::PopError;
/// assert_eq!(error.to_string(), "popping from an empty, disconnected ring (closed or gone)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PopError;

impl fmt::Display for PopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("popping from an empty, disconnected ring (closed or gone)")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PopError {}

/// The consumer is gone or the channel was closed, so no item pushed will
/// ever be read: the error of the producer's waits that carry no value,
/// such as every flavour's `wait_free_slots`, and of ring-async's `Sink`.
///
/// # Examples
///
/// ```
/// let error = ring_core::Disconnected;
/// assert_eq!(error.to_string(), "the ring is disconnected (closed or gone)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Disconnected;

impl fmt::Display for Disconnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the ring is disconnected (closed or gone)")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Disconnected {}
