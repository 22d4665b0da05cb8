//! The futures that wait for a state of the ring rather than move an item:
//! for a number of free slots or items, and for the consumer to close or
//! go. Each only looks at the ring, so each is cancel safe.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use ring_core::__private::assert_wait_reachable;

use crate::future_types::Lent;
use crate::{Consumer, Disconnected, PopError, Producer};

impl<T> Producer<T> {
    /// Waits until at least `n` slots are free, and resolves to how many
    /// are: the next that many pushes find room without waiting (they
    /// still fail if the consumer leaves meanwhile). For batch writes with
    /// [`push_slice`](Self::push_slice) or
    /// [`write_chunk_uninit`](Self::write_chunk_uninit). `n == 0` resolves
    /// at once with the current count.
    ///
    /// The task is woken at each pop of the consumer and looks again, so a
    /// consumer that pops one item at a time wakes it up to `n` times.
    ///
    /// # Errors
    ///
    /// Resolves to [`Disconnected`] once the consumer is gone or a side
    /// closed the channel.
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity, when called: the wait could never end.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only looks at the ring.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel(8);
    /// let free = producer.wait_free_slots(3).await.unwrap();
    /// assert!(free >= 3);
    /// assert_eq!(producer.push_slice(&[1, 2, 3]), 3);
    /// assert_eq!(consumer.len(), 3);
    /// # });
    /// ```
    #[inline]
    #[track_caller]
    pub fn wait_free_slots(&mut self, n: usize) -> WaitFreeSlots<'_, T> {
        assert_wait_reachable("wait_free_slots", n, self.capacity());
        WaitFreeSlots {
            producer: Lent::new(self),
            wanted: n,
        }
    }

    /// Waits until the consumer is gone or a side closed the channel, like
    /// tokio's `Sender::closed`: for a producer that has nothing to send
    /// and should stop once nobody listens.
    ///
    /// The task is woken at each pop of the consumer and looks again.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only looks at the ring.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (mut producer, consumer) = ring_async::channel::<u8>(4);
    /// let listener = std::thread::spawn(move || drop(consumer));
    /// producer.closed().await;
    /// assert!(producer.is_disconnected());
    /// listener.join().unwrap();
    /// # });
    /// ```
    #[inline]
    pub fn closed(&mut self) -> Closed<'_, T> {
        Closed {
            producer: Lent::new(self),
        }
    }
}

impl<T> Consumer<T> {
    /// Waits until the ring holds at least `n` items, and resolves to how
    /// many it holds, without popping them: for reading a whole period at
    /// once with [`read_chunk`](Self::read_chunk),
    /// [`pop_slice`](Self::pop_slice) or [`pop_into`](Self::pop_into).
    /// `n == 0` resolves at once with the current count.
    ///
    /// The task is woken at each push of the producer and looks again, so a
    /// producer that pushes one item at a time wakes it up to `n` times.
    ///
    /// # Errors
    ///
    /// Resolves to [`PopError`] once the producer is gone (or a side closed
    /// the channel) and fewer than `n` items remain.
    ///
    /// # Panics
    ///
    /// If `n` exceeds the capacity, when called: the wait could never end.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only looks at the ring.
    ///
    /// # Examples
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel(8);
    /// let feeder = std::thread::spawn(move || {
    ///     for sample in 0..6 {
    ///         producer.push_blocking(sample).unwrap();
    ///     }
    /// });
    /// assert!(consumer.wait_items(4).await.unwrap() >= 4);
    /// let mut period = [0; 4];
    /// assert_eq!(consumer.pop_slice(&mut period), 4);
    /// assert_eq!(period, [0, 1, 2, 3]);
    /// feeder.join().unwrap();
    /// assert_eq!(consumer.wait_items(3).await, Err(ring_async::PopError));
    /// assert_eq!(consumer.wait_items(2).await, Ok(2));
    /// # });
    /// ```
    #[inline]
    #[track_caller]
    pub fn wait_items(&mut self, n: usize) -> WaitItems<'_, T> {
        assert_wait_reachable("wait_items", n, self.capacity());
        WaitItems {
            consumer: Lent::new(self),
            wanted: n,
        }
    }
}

/// The future of [`Producer::wait_free_slots`].
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, _consumer) = ring_async::channel::<u8>(3);
/// let wait: ring_async::WaitFreeSlots<'_, u8> = producer.wait_free_slots(2);
/// assert_eq!(wait.await, Ok(3));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct WaitFreeSlots<'a, T> {
    producer: Lent<'a, Producer<T>>,
    /// How many free slots end the wait.
    wanted: usize,
}

impl<T> Future for WaitFreeSlots<'_, T> {
    type Output = Result<usize, Disconnected>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let wanted = this.wanted;
        this.producer
            .poll(|producer| producer.poll_free_slots_at_least(cx, wanted))
    }
}

impl<T> fmt::Debug for WaitFreeSlots<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitFreeSlots")
            .field("producer", &*self.producer.handle)
            .field("wanted", &self.wanted)
            .finish()
    }
}

/// The future of [`Consumer::wait_items`].
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, mut consumer) = ring_async::channel(3);
/// assert_eq!(producer.push_slice(&[1, 2]), 2);
/// let wait: ring_async::WaitItems<'_, i32> = consumer.wait_items(2);
/// assert_eq!(wait.await, Ok(2));
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct WaitItems<'a, T> {
    consumer: Lent<'a, Consumer<T>>,
    /// How many items end the wait.
    wanted: usize,
}

impl<T> Future for WaitItems<'_, T> {
    type Output = Result<usize, PopError>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let wanted = this.wanted;
        this.consumer
            .poll(|consumer| consumer.poll_items_at_least(cx, wanted))
    }
}

impl<T> fmt::Debug for WaitItems<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitItems")
            .field("consumer", &*self.consumer.handle)
            .field("wanted", &self.wanted)
            .finish()
    }
}

/// The future of [`Producer::closed`].
///
/// # Examples
///
/// ```
/// # futures::executor::block_on(async {
/// let (mut producer, mut consumer) = ring_async::channel::<u8>(3);
/// consumer.close_channel();
/// let closed: ring_async::Closed<'_, u8> = producer.closed();
/// closed.await;
/// # });
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Closed<'a, T> {
    producer: Lent<'a, Producer<T>>,
}

impl<T> Future for Closed<'_, T> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.get_mut()
            .producer
            .poll(|producer| producer.poll_closed(cx))
    }
}

impl<T> fmt::Debug for Closed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Closed")
            .field("producer", &*self.producer.handle)
            .finish()
    }
}
