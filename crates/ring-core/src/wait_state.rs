//! The extension point through which a flavour adds its waiting state.

/// State that a flavour keeps beside the ring to wait and wake, such as the
/// thread to unpark or the waker to wake.
///
/// The state lives inline in the ring's shared block, allocated together
/// with the indices and freed with them, so a flavour needs no allocation
/// and no `unsafe` code of its own. Each handle reaches it through
/// [`Producer::wait_state`](crate::Producer::wait_state) and
/// [`Consumer::wait_state`](crate::Consumer::wait_state).
///
/// The ring calls the hooks below after every change the other side may be
/// waiting for, whichever method made it: a single push, a slice, a chunk
/// commit or a dropped handle. A flavour therefore cannot forget a wake-up
/// in one of its paths. The hooks run on the hot path, so a flavour keeps
/// them cheap when nobody waits; the default hooks do nothing, which is
/// exactly what a busy-spinning flavour needs.
///
/// # Memory ordering
///
/// Each hook runs after the change it reports has been published with
/// `Release` ordering (a store to the index, or a read-modify-write of the
/// disconnection flags). A waiting side that loads the index or the flags
/// with `Acquire` after the hook woke it sees the change. A flavour that
/// needs a store-load barrier between the publication and its own check for
/// a waiter (a Dekker-style handshake) issues it inside the hook.
///
/// # Examples
///
/// A flavour that counts how often its consumer would have to be woken:
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// #[derive(Default)]
/// struct CountPushes(AtomicUsize);
///
/// impl ring_core::WaitState for CountPushes {
///     fn after_push(&self) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// let (mut producer, consumer) = ring_core::channel_with_state::<u8, CountPushes>(4);
/// producer.try_push(1).unwrap();
/// producer.push_slice(&[2, 3]);
/// assert_eq!(consumer.wait_state().0.load(Ordering::Relaxed), 2);
/// ```
pub trait WaitState: Default + Send + Sync {
    /// Called by the producer after it published one or more items.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    ///
    /// #[derive(Default)]
    /// struct Pushed(AtomicBool);
    ///
    /// impl ring_core::WaitState for Pushed {
    ///     fn after_push(&self) {
    ///         self.0.store(true, Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let (mut producer, _consumer) = ring_core::channel_with_state::<u8, Pushed>(1);
    /// producer.try_push(1).unwrap();
    /// assert!(producer.wait_state().0.load(Ordering::Relaxed));
    /// ```
    #[inline(always)]
    fn after_push(&self) {}

    /// Called by the consumer after it freed one or more slots.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// #[derive(Default)]
    /// struct Pops(AtomicUsize);
    ///
    /// impl ring_core::WaitState for Pops {
    ///     fn after_pop(&self) {
    ///         self.0.fetch_add(1, Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let (mut producer, mut consumer) = ring_core::channel_with_state::<u8, Pops>(4);
    /// producer.push_slice(&[1, 2, 3]);
    /// consumer.try_pop().unwrap();
    /// consumer.read_chunk(2).commit_all(); // One batch, one call.
    /// assert_eq!(consumer.wait_state().0.load(Ordering::Relaxed), 2);
    /// ```
    #[inline(always)]
    fn after_pop(&self) {}

    /// Called when the producer is dropped, after the consumer can see that
    /// it is gone. By default it is reported like a push, which wakes a
    /// waiting consumer so that it finds the disconnection.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    ///
    /// #[derive(Default)]
    /// struct Gone(AtomicBool);
    ///
    /// impl ring_core::WaitState for Gone {
    ///     fn after_producer_drop(&self) {
    ///         self.0.store(true, Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let (producer, consumer) = ring_core::channel_with_state::<u8, Gone>(1);
    /// drop(producer);
    /// assert!(consumer.wait_state().0.load(Ordering::Relaxed));
    /// assert!(consumer.is_disconnected());
    /// ```
    #[inline(always)]
    fn after_producer_drop(&self) {
        self.after_push();
    }

    /// Called when the consumer is dropped, after the producer can see that
    /// it is gone. By default it is reported like a pop, which wakes a
    /// waiting producer so that it finds the disconnection.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    ///
    /// #[derive(Default)]
    /// struct Gone(AtomicBool);
    ///
    /// impl ring_core::WaitState for Gone {
    ///     fn after_consumer_drop(&self) {
    ///         self.0.store(true, Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let (producer, consumer) = ring_core::channel_with_state::<u8, Gone>(1);
    /// drop(consumer);
    /// assert!(producer.wait_state().0.load(Ordering::Relaxed));
    /// assert!(producer.is_disconnected());
    /// ```
    #[inline(always)]
    fn after_consumer_drop(&self) {
        self.after_pop();
    }
}

/// The state of a flavour that never waits by blocking: nothing at all.
impl WaitState for () {}
