//! The futures of the waiting operations, as named types so that they can
//! be stored in structs and polled by hand.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::FusedFuture;

use crate::poll::Waiting;
use crate::{Consumer, PopError, Producer, PushError};

impl<T> Producer<T> {
    /// Pushes `value`, waiting while the ring is full until the consumer
    /// frees a slot.
    ///
    /// # Errors
    ///
    /// Resolves to a [`PushError`] holding the value as soon as the consumer
    /// is gone, also while waiting.
    ///
    /// # Cancel safety
    ///
    /// The value is in the ring if and only if the future resolved to
    /// `Ok(())`: a future dropped before then (for example because another
    /// branch of a `select!` won) has pushed nothing, and the value is
    /// dropped with it, so in that sense the method is not cancel safe. To
    /// keep the value, keep the future (`select!` on `&mut push`) and take
    /// the value back with [`Push::into_value`].
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel(1);
    /// producer.push(1).await.unwrap();
    /// let consumer_side = async move {
    ///     assert_eq!(consumer.pop().await, Ok(1));
    ///     assert_eq!(consumer.pop().await, Ok(2));
    /// };
    /// let producer_side = async move {
    ///     producer.push(2).await.unwrap(); // Waits until 1 is popped.
    /// };
    /// futures::join!(consumer_side, producer_side);
    /// # });
    /// ```
    #[inline]
    pub fn push(&mut self, value: T) -> Push<'_, T> {
        Push {
            producer: Lent::new(self),
            value: Some(value),
        }
    }
}

impl<T> Consumer<T> {
    /// Pops the oldest item, waiting while the ring is empty until the
    /// producer pushes one or is dropped.
    ///
    /// # Errors
    ///
    /// Resolves to [`PopError`] once the producer is gone and every item it
    /// pushed has been popped.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: an item leaves the ring only in the poll that resolves
    /// the future, so a future dropped while pending loses nothing, and the
    /// next pop gets the item.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel(4);
    /// producer.push_slice(&[1, 2]);
    /// drop(producer);
    /// assert_eq!(consumer.pop().await, Ok(1));
    /// assert_eq!(consumer.pop().await, Ok(2));
    /// assert_eq!(consumer.pop().await, Err(ring_async::PopError));
    /// # });
    /// ```
    #[inline]
    pub fn pop(&mut self) -> Pop<'_, T> {
        Pop {
            consumer: Lent::new(self),
            finished: false,
        }
    }
}

/// The future of [`Producer::push`].
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, _consumer) = ring_async::channel(1);
/// let push: ring_async::Push<'_, char> = producer.push('a');
/// assert_eq!(push.await, Ok(()));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Push<'a, T> {
    producer: Lent<'a, Producer<T>>,
    /// The value until it is in the ring or handed back.
    value: Option<T>,
}

impl<T> Push<'_, T> {
    /// The value, unless it has been pushed (or handed back in an error):
    /// how a caller that gives up waiting, for example because the other
    /// branch of a `select!` won, keeps the value.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::task::Poll;
    /// use futures::FutureExt;
    ///
    /// let (mut producer, _consumer) = ring_async::channel(1);
    /// producer.try_push(1).unwrap();
    /// let mut push = producer.push(2);
    /// assert_eq!((&mut push).now_or_never(), None); // The ring is full.
    /// assert_eq!(push.into_value(), Some(2));
    /// ```
    pub fn into_value(self) -> Option<T> {
        self.value
    }
}

impl<T> Future for Push<'_, T> {
    type Output = Result<(), PushError<T>>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.value.is_none() {
            panic!("`Push` polled after it completed");
        }
        let value = &mut this.value;
        this.producer
            .poll(|producer| producer.poll_push_value(cx, value))
    }
}

/// Terminated once it resolved, so that `futures::select!` takes it
/// without `.fuse()`.
///
/// # Examples
///
/// ```
/// use futures::future::FusedFuture;
///
/// # futures::executor::block_on(async {
/// let (mut producer, _consumer) = ring_async::channel(1);
/// let mut push = producer.push(1);
/// assert!(!push.is_terminated());
/// (&mut push).await.unwrap();
/// assert!(push.is_terminated());
/// # });
/// ```
impl<T> FusedFuture for Push<'_, T> {
    fn is_terminated(&self) -> bool {
        self.value.is_none()
    }
}

// The value is never pinned: it moves into the ring or back to the caller.
impl<T> Unpin for Push<'_, T> {}

impl<T> fmt::Debug for Push<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Push")
            .field("producer", &*self.producer.handle)
            .field("pending", &self.value.is_some())
            .finish()
    }
}

/// The future of [`Consumer::pop`].
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, mut consumer) = ring_async::channel(1);
/// producer.try_push('a').unwrap();
/// let pop: ring_async::Pop<'_, char> = consumer.pop();
/// assert_eq!(pop.await, Ok('a'));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Pop<'a, T> {
    consumer: Lent<'a, Consumer<T>>,
    /// Resolved: polling again would pop another item, so it panics.
    finished: bool,
}

impl<T> Future for Pop<'_, T> {
    type Output = Result<T, PopError>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.finished {
            panic!("`Pop` polled after it completed");
        }
        let poll = this.consumer.poll(|consumer| consumer.poll_pop(cx));
        this.finished = poll.is_ready();
        poll
    }
}

/// Terminated once it resolved, so that `futures::select!` takes it
/// without `.fuse()`.
///
/// # Examples
///
/// ```
/// use futures::future::FusedFuture;
///
/// # futures::executor::block_on(async {
/// let (mut producer, mut consumer) = ring_async::channel(1);
/// producer.try_push(1).unwrap();
/// let mut pop = consumer.pop();
/// assert!(!pop.is_terminated());
/// assert_eq!((&mut pop).await, Ok(1));
/// assert!(pop.is_terminated());
/// # });
/// ```
impl<T> FusedFuture for Pop<'_, T> {
    fn is_terminated(&self) -> bool {
        self.finished
    }
}

impl<T> fmt::Debug for Pop<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pop")
            .field("consumer", &*self.consumer.handle)
            .finish()
    }
}

/// A handle lent to one of this crate's futures, with whether the future's
/// last poll returned `Pending`. Every future of this crate shares it, so that each
/// withdraws its task from the ring the same way when dropped while
/// pending: the other side then neither wakes it nor keeps its waker.
pub(crate) struct Lent<'a, H: Waiting> {
    pub(crate) handle: &'a mut H,
    /// Whether the last poll returned `Pending`: the task is registered.
    pending: bool,
}

impl<'a, H: Waiting> Lent<'a, H> {
    pub(crate) fn new(handle: &'a mut H) -> Self {
        Self {
            handle,
            pending: false,
        }
    }

    /// Polls the handle through `poll`, noting whether it is pending.
    #[inline(always)]
    pub(crate) fn poll<R>(&mut self, poll: impl FnOnce(&mut H) -> Poll<R>) -> Poll<R> {
        let outcome = poll(self.handle);
        self.pending = outcome.is_pending();
        outcome
    }
}

impl<H: Waiting> Drop for Lent<'_, H> {
    fn drop(&mut self) {
        if self.pending {
            self.handle.cancel_wait();
        }
    }
}
