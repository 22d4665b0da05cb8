//! The error of the producer's waits that carry no value.

use std::fmt;

/// The consumer is gone or the channel was closed, so no item pushed will
/// ever be read: the error of [`Producer::poll_free_slots`],
/// [`Producer::wait_free_slots`] and of the producer's
/// [`Sink`](futures_sink::Sink) implementation.
///
/// [`Producer::poll_free_slots`]: crate::Producer::poll_free_slots
/// [`Producer::wait_free_slots`]: crate::Producer::wait_free_slots
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, consumer) = ring_async::channel::<u8>(1);
/// drop(consumer);
/// let error = producer.wait_free_slots().await.unwrap_err();
/// assert_eq!(error, ring_async::Disconnected);
/// assert_eq!(error.to_string(), "the ring is disconnected (closed or gone)");
/// # });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Disconnected;

impl fmt::Display for Disconnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the ring is disconnected (closed or gone)")
    }
}

impl std::error::Error for Disconnected {}
