//! The producer's handle: it owns `tail` and the free slots.

use core::cell::Cell;
use core::fmt;
use core::mem::ManuallyDrop;

use crate::chunks::WriteChunkUninit;
use crate::positions::Positions;
use crate::shared::{CONSUMER_GONE, EITHER_GONE, ITEMS_DROPPED_UNREAD, PRODUCER_GONE, Shared};
use crate::sync::{Arc, Ordering};
use crate::{TryPushError, WaitState};

/// Whether the benchmark-only ablation turned the cached head off.
const CACHE_HEAD: bool = !cfg!(ring_ablation_uncached_indices);

/// The writing end of a ring.
///
/// There is exactly one per ring: it is not `Clone`, and every operation
/// that changes the ring takes `&mut self`. It is `Send` when `T` is, so it
/// can move to another thread at any time, even mid-stream.
///
/// `W` is the flavour's [`WaitState`]; plain ring-core users leave it `()`.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_core::channel(2);
/// std::thread::spawn(move || {
///     for i in 0..10u32 {
///         while let Err(error) = producer.try_push(i) {
///             assert!(error.is_full());
///             std::hint::spin_loop();
///         }
///     }
/// });
/// let mut received = Vec::new();
/// while received.len() < 10 {
///     if let Ok(value) = consumer.try_pop() {
///         received.push(value);
///     }
/// }
/// assert_eq!(received, (0..10).collect::<Vec<_>>());
/// ```
pub struct Producer<T, W: WaitState = ()> {
    /// The block both handles share; dropped by hand, in this handle's
    /// drop, for the reason given there. Never `.clone()` the field: that
    /// clones the `ManuallyDrop` and leaks the `Arc`.
    pub(crate) shared: ManuallyDrop<Arc<Shared<T, W>>>,
    /// The producer's own position, always equal to `shared.tail` once a
    /// method returns; kept here so that the producer never loads its own
    /// atomic.
    pub(crate) tail: usize,
    /// Where the ring is full according to the consumer's `head` as last
    /// loaded: that head plus `capacity`. The real head can only be further
    /// ahead, so this bound undercounts the free slots and is always safe to
    /// trust for "there is room". Keeping the bound rather than the head
    /// makes the hot-path check a single comparison with `tail`.
    full_at: Cell<usize>,
    /// A copy of the ring's capacity arithmetic, so that the hot path does
    /// not reach through the `Arc` for it.
    pub(crate) positions: Positions,
}

impl<T, W: WaitState> Producer<T, W> {
    pub(crate) fn new(shared: Arc<Shared<T, W>>) -> Self {
        let positions = shared.positions;
        Self {
            shared: ManuallyDrop::new(shared),
            tail: 0,
            full_at: Cell::new(positions.capacity()),
            positions,
        }
    }

    /// Pushes `value` unless the ring is full or the consumer is gone; never
    /// waits.
    ///
    /// # Errors
    ///
    /// [`TryPushError::Disconnected`] once the consumer is gone,
    /// [`TryPushError::Full`] while the ring is full; either hands the value
    /// back.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(1);
    /// assert_eq!(producer.try_push(1), Ok(()));
    /// assert!(producer.try_push(2).unwrap_err().is_full());
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// ```
    #[inline(always)]
    pub fn try_push(&mut self, value: T) -> Result<(), TryPushError<T>> {
        // Every path stays inline. Moving the full ring's path out of line
        // (and, separately, a one-step increment in place of the general
        // `advance`) cost 7 to 16 % of streaming throughput, measured
        // against this exact code in one binary, though each executes fewer
        // instructions: how soon the producer writes a slot that the
        // consumer has just freed decides how often the cache line holding
        // it moves between the cores.
        if self.is_disconnected() {
            return Err(TryPushError::Disconnected(value));
        }
        if !CACHE_HEAD || self.tail == self.full_at.get() {
            if self.reload_full_at() == self.tail {
                return Err(TryPushError::Full(value));
            }
            // The consumer's drop frees the slots of the items it drops
            // only after it marks itself gone, so room found by this reload
            // may be such slots: look at the flag again, after the reload's
            // Acquire, so that a push waiting on a full ring gets its value
            // back rather than writing it into a ring nobody reads.
            if self.is_disconnected() {
                return Err(TryPushError::Disconnected(value));
            }
        }
        // SAFETY: we are the producer and `tail` is a free slot: the
        // consumer's release of it was acquired in `reload_full_at`, now
        // or on an earlier call.
        unsafe { self.shared.write(self.positions.slot(self.tail), value) };
        self.publish(1);
        Ok(())
    }

    /// Copies as many items of `items` as fit, in order, and publishes them
    /// at once; never waits.
    ///
    /// Returns how many were pushed: all of them, fewer when the ring fills
    /// up, none once the consumer is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(3);
    /// assert_eq!(producer.push_slice(&[1, 2, 3, 4]), 3);
    /// let mut out = [0; 4];
    /// assert_eq!(consumer.pop_slice(&mut out), 3);
    /// assert_eq!(out, [1, 2, 3, 0]);
    /// ```
    #[inline]
    #[must_use = "items that did not fit were not pushed; the count says how many went in"]
    pub fn push_slice(&mut self, items: &[T]) -> usize
    where
        T: Copy,
    {
        self.write_chunk_uninit(items.len()).fill_from_slice(items)
    }

    /// Reserves up to `max` free slots (fewer when fewer are free) for
    /// writing in place, without copying through an intermediate buffer.
    ///
    /// Write the slots through
    /// [`as_mut_slices`](WriteChunkUninit::as_mut_slices) and publish them
    /// with [`commit`](WriteChunkUninit::commit), or let
    /// [`fill_from_iter`](WriteChunkUninit::fill_from_iter) do both safely.
    /// Nothing is visible to the consumer before the commit, which
    /// publishes the whole batch with one index store.
    ///
    /// Once the consumer is gone, the chunk is empty: nobody would read what
    /// it wrote, and a producer that only writes chunks learns of the
    /// disconnection from the empty chunk (then
    /// [`is_disconnected`](Self::is_disconnected) tells it from a full
    /// ring), as [`push_slice`](Self::push_slice) returns 0.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// let chunk = producer.write_chunk_uninit(8);
    /// assert_eq!(chunk.len(), 4);
    /// assert_eq!(chunk.fill_from_iter(10..12), 2);
    /// assert_eq!(consumer.try_pop(), Ok(10));
    /// assert_eq!(consumer.try_pop(), Ok(11));
    /// ```
    #[must_use = "a write chunk does nothing until it is filled and committed"]
    pub fn write_chunk_uninit(&mut self, max: usize) -> WriteChunkUninit<'_, T, W> {
        let free = self.free_slots_at_least(max).min(max);
        // The flag after the free slots, as in `try_push`: the consumer's
        // drop marks itself gone before it frees any slot.
        let len = if self.is_disconnected() { 0 } else { free };
        WriteChunkUninit::new(self, len)
    }

    /// The number of items the ring holds at most; exactly what was asked
    /// for in [`channel`](crate::channel).
    ///
    /// # Examples
    ///
    /// ```
    /// let (producer, _consumer) = ring_core::channel::<u8>(1000);
    /// assert_eq!(producer.capacity(), 1000);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        self.positions.capacity()
    }

    /// How many slots are free now. The consumer may free more at any
    /// moment, so the answer is a lower bound.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, _consumer) = ring_core::channel(3);
    /// producer.try_push(1).unwrap();
    /// assert_eq!(producer.free_slots(), 2);
    /// ```
    #[inline]
    pub fn free_slots(&self) -> usize {
        self.free_slots_at_least(usize::MAX)
    }

    /// How many items are in the ring now. The consumer may pop at any
    /// moment, so the answer is an upper bound.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, _consumer) = ring_core::channel(3);
    /// producer.push_slice(&[1, 2]);
    /// assert_eq!(producer.len(), 2);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.capacity() - self.free_slots()
    }

    /// Where this handle stands in the ring's sequence of positions, which
    /// counts modulo twice the capacity: each push moves it one step, and
    /// nothing but this handle's own pushes moves it. A waiting flavour
    /// compares two readings to tell whether its handle made progress in
    /// between.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(2);
    /// let before = producer.position();
    /// producer.try_push(1).unwrap();
    /// assert_ne!(producer.position(), before);
    /// let after_push = producer.position();
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// assert_eq!(producer.position(), after_push); // Pops do not move it.
    /// ```
    #[inline]
    pub fn position(&self) -> usize {
        self.tail
    }

    /// Whether the ring holds no items now (the consumer may have popped the
    /// last one just before).
    ///
    /// # Examples
    ///
    /// ```
    /// let (producer, _consumer) = ring_core::channel::<u8>(3);
    /// assert!(producer.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the ring is full now.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, _consumer) = ring_core::channel(1);
    /// producer.try_push(1).unwrap();
    /// assert!(producer.is_full());
    /// ```
    #[inline]
    pub fn is_full(&self) -> bool {
        self.free_slots_at_least(1) == 0
    }

    /// Whether the channel is disconnected: the consumer is gone, or either
    /// side closed it with `close_channel`. Once it is, it stays so, and
    /// every push fails.
    ///
    /// Every push checks it first: one load of a cache line that nobody
    /// writes while both handles live. Its `Acquire` costs nothing more than
    /// `Relaxed` on x86; the producer needs no data from the consumer's
    /// drop, but one function keeps the reasoning in one place.
    ///
    /// # Examples
    ///
    /// ```
    /// let (producer, consumer) = ring_core::channel::<u8>(1);
    /// assert!(!producer.is_disconnected());
    /// drop(consumer);
    /// assert!(producer.is_disconnected());
    /// ```
    #[inline(always)]
    pub fn is_disconnected(&self) -> bool {
        self.shared.is_gone(EITHER_GONE)
    }

    /// Closes the channel without dropping the producer: its later pushes
    /// fail with `Disconnected` and hand the value back, and the consumer,
    /// after popping every item pushed before, gets `Disconnected`, exactly
    /// as after the producer's drop. A flavour's waiting consumer is woken.
    /// Closing again does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(2);
    /// producer.try_push(1).unwrap();
    /// producer.close_channel();
    /// assert!(producer.try_push(2).unwrap_err().is_disconnected());
    /// assert!(consumer.is_disconnected());
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// assert!(consumer.try_pop().unwrap_err().is_disconnected());
    /// ```
    pub fn close_channel(&mut self) {
        // Release (in `mark_gone`): the last tail store comes before, so a
        // consumer that sees the flag sees every item.
        if self.shared.mark_gone(PRODUCER_GONE) {
            self.shared.wait_state.after_producer_drop();
        }
    }

    /// Whether some items this producer pushed will never be popped: the
    /// consumer's drop dropped items it had not popped, or the consumer is
    /// gone or closed the channel while items remain in the ring. A
    /// `Sink`'s flush reports it.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(2);
    /// producer.push_slice(&[1, 2]);
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// assert!(!producer.has_undeliverable_items());
    /// drop(consumer);
    /// assert!(producer.has_undeliverable_items());
    /// ```
    pub fn has_undeliverable_items(&self) -> bool {
        let empty = self.is_empty();
        // Read after the emptiness check: the consumer's drop marks the
        // items it drops before it frees their slots (with a Release store
        // of `head`, which `is_empty` loads with Acquire), so a ring found
        // empty because of that drop shows the mark.
        self.shared.is_gone(ITEMS_DROPPED_UNREAD) || (!empty && self.shared.is_gone(CONSUMER_GONE))
    }

    /// The flavour's waiting state, shared with the consumer.
    ///
    /// # Examples
    ///
    /// ```
    /// let (producer, _consumer) = ring_core::channel::<u8>(1);
    /// let (): &() = producer.wait_state();
    /// ```
    #[inline]
    pub fn wait_state(&self) -> &W {
        &self.shared.wait_state
    }

    /// The number of free slots, reloading the consumer's `head` only when
    /// the cached bound shows fewer than `wanted` (rigtorp's cached index).
    #[inline(always)]
    pub(crate) fn free_slots_at_least(&self, wanted: usize) -> usize {
        if CACHE_HEAD {
            let free = self.positions.distance(self.tail, self.full_at.get());
            if free >= wanted {
                return free;
            }
        }
        self.reload_free_slots()
    }

    /// Reloads the consumer's `head` and returns the number of free slots.
    #[inline]
    fn reload_free_slots(&self) -> usize {
        self.positions.distance(self.tail, self.reload_full_at())
    }

    /// Reloads the consumer's `head`, caches where the ring is full
    /// according to it, and returns that position.
    #[inline(always)]
    fn reload_full_at(&self) -> usize {
        // Acquire: pairs with the consumer's Release store of `head`, so its
        // reads (and drops) of the slots it freed happen before we overwrite
        // them.
        let head = self.shared.head.load(Ordering::Acquire);
        let full_at = self.positions.advance(head, self.positions.capacity());
        self.full_at.set(full_at);
        full_at
    }

    /// Publishes the `count` slots after `tail`, which the producer has
    /// filled, and tells the flavour.
    #[inline(always)]
    pub(crate) fn publish(&mut self, count: usize) {
        let tail = self.positions.advance(self.tail, count);
        // Release: the writes of the filled slots happen before the
        // consumer's Acquire load that sees this tail.
        self.shared.tail.store(tail, Ordering::Release);
        self.tail = tail;
        self.shared.wait_state.after_push();
    }
}

impl<T, W: WaitState> Drop for Producer<T, W> {
    #[inline]
    fn drop(&mut self) {
        // Inline, with the `Arc` taken out of the handle first (its own
        // drop takes a reference to it), so that the handle's address
        // never reaches a call: a loop that pushes can then keep `tail`
        // and the cached bound in registers (`Consumer::slip` says more).
        // SAFETY: `shared` is taken once, here, and the handle is never
        // used again: this is its drop.
        let shared = unsafe { ManuallyDrop::take(&mut self.shared) };
        shared.mark_gone(PRODUCER_GONE);
        shared.wait_state.after_producer_drop();
    }
}

impl<T, W: WaitState> fmt::Debug for Producer<T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Producer")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .field("is_disconnected", &self.is_disconnected())
            .finish_non_exhaustive()
    }
}
