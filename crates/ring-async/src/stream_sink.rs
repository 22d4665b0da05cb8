//! The consumer as a `Stream`, the producer as a `Sink`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use futures_sink::Sink;

use crate::{Consumer, Disconnected, Producer, TryPushError};

/// The items of the ring, in order; the stream ends once the producer is
/// gone and every item it pushed has been popped.
///
/// # Cancel safety
///
/// `poll_next` is cancel safe: an item leaves the ring only in the poll
/// that returns it, so `StreamExt::next` futures can be dropped freely.
///
/// # Examples
///
/// ```
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let (mut producer, consumer) = ring_async::channel(4);
/// producer.push_slice(&[1, 2, 3]);
/// drop(producer);
/// assert_eq!(consumer.collect::<Vec<_>>().await, [1, 2, 3]);
/// # });
/// ```
impl<T> Stream for Consumer<T> {
    type Item = T;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.get_mut().poll_pop(cx).map(Result::ok)
    }

    /// At least the items in the ring now; at most those too once the
    /// producer is gone.
    fn size_hint(&self) -> (usize, Option<usize>) {
        let disconnected = self.is_disconnected();
        let items = self.len();
        (items, disconnected.then_some(items))
    }
}

/// Once the stream has ended it stays ended: the producer never comes back.
///
/// # Examples
///
/// ```
/// use futures::stream::FusedStream;
///
/// let (producer, consumer) = ring_async::channel::<u8>(1);
/// assert!(!consumer.is_terminated());
/// drop(producer);
/// assert!(consumer.is_terminated());
/// ```
impl<T> FusedStream for Consumer<T> {
    fn is_terminated(&self) -> bool {
        // The disconnection is read first, so that an item pushed before
        // the producer left is seen by the emptiness check.
        self.is_disconnected() && self.is_empty()
    }
}

/// Items sent go into the ring in order. `poll_ready` waits for a free
/// slot; it and `start_send` fail with [`Disconnected`] once the channel is
/// disconnected (the consumer is gone, or either side closed it), and
/// `start_send` then drops the item (use [`Producer::push`] to get it
/// back).
///
/// Nothing is buffered outside the ring, so `poll_flush` never waits: it
/// returns `Ok` unless some items sent will never be received (the
/// consumer dropped items it had not popped, or it is gone or closed the
/// channel while items remain), then `Err(Disconnected)`. `poll_close` closes the
/// channel as [`Producer::close_channel`] does: the consumer pops what is
/// in the ring, then its stream ends; later sends fail. It then reports as
/// `poll_flush` does.
///
/// # Panics
///
/// `start_send` panics if the ring is full, which happens only when it is
/// called without a `poll_ready` that returned `Ready(Ok(()))` first.
///
/// # Cancel safety
///
/// As for [`Producer::push`]: a `SinkExt::send` or `feed` future dropped
/// while it waits for a free slot has put nothing into the ring, and its
/// item is dropped with it.
///
/// # Examples
///
/// ```
/// use futures::{SinkExt, StreamExt};
///
/// # futures::executor::block_on(async {
/// let (mut producer, consumer) = ring_async::channel(2);
/// let sender = async move {
///     let mut items = futures::stream::iter(1..=5).map(Ok);
///     producer.send_all(&mut items).await.unwrap();
///     // Dropping the producer here ends the consumer's stream.
/// };
/// let ((), received) = futures::join!(sender, consumer.collect::<Vec<_>>());
/// assert_eq!(received, [1, 2, 3, 4, 5]);
/// # });
/// ```
impl<T> Sink<T> for Producer<T> {
    type Error = Disconnected;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Disconnected>> {
        self.get_mut().poll_free_slots(cx).map_ok(|_| ())
    }

    fn start_send(self: Pin<&mut Self>, item: T) -> Result<(), Disconnected> {
        match self.get_mut().try_push(item) {
            Ok(()) => Ok(()),
            Err(TryPushError::Disconnected(_)) => Err(Disconnected),
            Err(TryPushError::Full(_)) => {
                panic!("`Sink::start_send` on a full ring: call `poll_ready` first")
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Result<(), Disconnected>> {
        Poll::Ready(if self.inner.has_undeliverable_items() {
            Err(Disconnected)
        } else {
            Ok(())
        })
    }

    fn poll_close(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Disconnected>> {
        self.close_channel();
        self.poll_flush(cx)
    }
}
