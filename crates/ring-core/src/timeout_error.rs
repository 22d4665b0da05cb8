//! The errors of the flavours' waits with a deadline (ring-park's, and
//! ring-async's blocking forms), defined once here so that every flavour
//! returns the same types. Like the other errors, they hand the value back.

use core::fmt;

use crate::{Disconnected, PopError, PushError};

/// Why a push with a timeout or a deadline failed; the value comes back.
///
/// # Examples
///
/// ```
/// use ring_core::PushTimeoutError;
///
/// let error = PushTimeoutError::Timeout(2);
/// assert!(error.is_timeout());
/// assert_eq!(error.to_string(), "timed out waiting for space in a full ring");
/// assert_eq!(error.into_inner(), 2);
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
    /// assert_eq!(ring_core::PushTimeoutError::Timeout(5).into_inner(), 5);
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
    /// assert!(ring_core::PushTimeoutError::Timeout(5).is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// Whether the consumer is gone or the channel was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::PushTimeoutError::Disconnected(5).is_disconnected());
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

#[cfg(feature = "std")]
impl<T> std::error::Error for PushTimeoutError<T> {}

impl<T> From<PushError<T>> for PushTimeoutError<T> {
    fn from(error: PushError<T>) -> Self {
        Self::Disconnected(error.0)
    }
}

/// Why a pop with a timeout or a deadline returned no value.
///
/// # Examples
///
/// ```
/// use ring_core::PopTimeoutError;
///
/// assert!(PopTimeoutError::Timeout.is_timeout());
/// assert_eq!(
///     PopTimeoutError::Disconnected.to_string(),
///     "popping from an empty, disconnected ring (closed or gone)"
/// );
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
    /// assert!(ring_core::PopTimeoutError::Timeout.is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout)
    }

    /// Whether the ring is drained and the producer is gone or the channel
    /// was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::PopTimeoutError::Disconnected.is_disconnected());
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

#[cfg(feature = "std")]
impl std::error::Error for PopTimeoutError {}

impl From<PopError> for PopTimeoutError {
    fn from(_: PopError) -> Self {
        Self::Disconnected
    }
}

/// Why a wait for items or free slots with a timeout or a deadline ended
/// without enough of them.
///
/// # Examples
///
/// ```
/// use ring_core::WaitTimeoutError;
///
/// assert!(WaitTimeoutError::Timeout.is_timeout());
/// assert_eq!(
///     WaitTimeoutError::Disconnected.to_string(),
///     "the ring is disconnected (closed or gone) and cannot reach the count waited for"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WaitTimeoutError {
    /// The deadline passed before the ring held the count waited for.
    Timeout,
    /// The channel is disconnected (the other side is gone, or a side
    /// closed it), so the count waited for can never be reached.
    Disconnected,
}

impl WaitTimeoutError {
    /// Whether the deadline passed first.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::WaitTimeoutError::Timeout.is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout)
    }

    /// Whether the channel is disconnected.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(ring_core::WaitTimeoutError::Disconnected.is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, Self::Disconnected)
    }
}

impl fmt::Display for WaitTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("timed out waiting for items or free slots"),
            Self::Disconnected => f.write_str(
                "the ring is disconnected (closed or gone) and cannot reach the count waited for",
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for WaitTimeoutError {}

impl From<PopError> for WaitTimeoutError {
    fn from(_: PopError) -> Self {
        Self::Disconnected
    }
}

impl From<Disconnected> for WaitTimeoutError {
    fn from(_: Disconnected) -> Self {
        Self::Disconnected
    }
}
