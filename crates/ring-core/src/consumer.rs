//! The consumer's handle: it owns `head` and the filled slots.

use alloc::vec::Vec;
use core::cell::Cell;
use core::fmt;
use core::mem::ManuallyDrop;

use crate::chunks::ReadChunk;
use crate::positions::Positions;
use crate::shared::{CONSUMER_GONE, EITHER_GONE, ITEMS_DROPPED_UNREAD, Shared};
use crate::slip;
use crate::sync::{Arc, Ordering};
use crate::{TryPopError, WaitState};

/// Whether the benchmark-only ablation turned the cached tail off.
const CACHE_TAIL: bool = !cfg!(ring_ablation_uncached_indices);

/// The reading end of a ring.
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
/// let (mut producer, mut consumer) = ring_core::channel(4);
/// producer.push_slice(&[1, 2, 3]);
/// drop(producer);
/// let all: Vec<u8> = consumer.try_iter().collect();
/// assert_eq!(all, [1, 2, 3]);
/// assert!(consumer.try_pop().unwrap_err().is_disconnected());
/// ```
pub struct Consumer<T, W: WaitState = ()> {
    /// The block both handles share; dropped by hand, in this handle's
    /// drop, for the reason given there. Never `.clone()` the field: that
    /// clones the `ManuallyDrop` and leaks the `Arc`.
    pub(crate) shared: ManuallyDrop<Arc<Shared<T, W>>>,
    /// The consumer's own position. It runs ahead of `shared.head` while a
    /// [`ReadChunk`] iterator moves items out, until the iterator is dropped
    /// and publishes it; if the iterator was leaked, until
    /// `publish_leaked_reads` does.
    pub(crate) head: usize,
    /// Set when a [`ReadChunk`] iterator was created: it may have moved
    /// `head` without publishing it. Checked only off the hot path.
    pub(crate) reads_may_be_unpublished: bool,
    /// The producer's `tail` as last loaded. The real tail can only be
    /// further ahead, so this copy undercounts the items and is always safe
    /// to trust for "there is an item".
    cached_tail: Cell<usize>,
    /// A copy of the ring's capacity arithmetic, so that the hot path does
    /// not reach through the `Arc` for it.
    pub(crate) positions: Positions,
    /// Whether the last reload of `tail`, by any method, found items: the
    /// producer may be streaming, and a reload in
    /// [`try_pop_slipping`](Self::try_pop_slipping) that finds few items
    /// again may slip. A reload that finds the ring empty clears it.
    found_items: Cell<bool>,
    /// Below how many items such a reload slips ([`slip::slip_below`]).
    slip_below: usize,
    /// How many looks at `tail` the slips of this handle took, for the
    /// tests of when it slips.
    #[cfg(test)]
    slip_looks: u32,
}

impl<T, W: WaitState> Consumer<T, W> {
    pub(crate) fn new(shared: Arc<Shared<T, W>>) -> Self {
        let positions = shared.positions;
        Self {
            shared: ManuallyDrop::new(shared),
            head: 0,
            cached_tail: Cell::new(0),
            reads_may_be_unpublished: false,
            positions,
            found_items: Cell::new(false),
            slip_below: slip::slip_below::<T>(positions.capacity()),
            #[cfg(test)]
            slip_looks: 0,
        }
    }

    /// Pops the oldest item unless the ring is empty; never waits.
    ///
    /// # Errors
    ///
    /// [`TryPopError::Empty`] while the ring is empty and the producer is
    /// there; [`TryPopError::Disconnected`] once the producer is gone and
    /// every item it pushed has been popped.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::TryPopError;
    ///
    /// let (mut producer, mut consumer) = ring_core::channel(2);
    /// producer.try_push('a').unwrap();
    /// drop(producer);
    /// assert_eq!(consumer.try_pop(), Ok('a'));
    /// assert_eq!(consumer.try_pop(), Err(TryPopError::Disconnected));
    /// ```
    #[inline(always)]
    pub fn try_pop(&mut self) -> Result<T, TryPopError> {
        if (!CACHE_TAIL || self.head == self.cached_tail.get()) && self.reload_tail() == self.head {
            self.recheck_empty()?;
        }
        // SAFETY: we are the consumer and `head` is a filled slot: the
        // producer's release of it was acquired in `reload_tail` (now, in
        // `recheck_empty`, or on an earlier call).
        let value = unsafe { self.shared.read(self.positions.slot(self.head)) };
        self.release(1);
        Ok(value)
    }

    /// Pops the oldest item as [`try_pop`](Self::try_pop) does, except that
    /// while a producer streams into a nearly empty ring it first lets the
    /// producer get a few cache lines ahead: the pop of the waiting
    /// flavours. Like `try_pop`, it never waits for an item (an empty ring
    /// gives [`TryPopError::Empty`] at once); unlike it, it may spin
    /// briefly while an item is there.
    ///
    /// When a reload of the producer's position finds fewer than a few
    /// cache lines of items (64 `u64`s, at most a quarter of the capacity)
    /// and the reload before found items too, it spins a little before it
    /// pops: up to 32 `spin_loop` hints, looking at the ring every 8, until
    /// that many items are there or a look finds no new one. A consumer
    /// right behind its producer otherwise takes each slot's cache line
    /// from the producer as soon as it is written, and the two sides pass
    /// lines back and forth for nearly every item: on a 2-vCPU VM, a
    /// producer that spent about 10 ns on each item streamed 4 times faster
    /// with the slip (`slip.rs` has the figures). A reload that finds the
    /// ring empty, by this method or any other, stops the slips until one
    /// finds items again, so a consumer that waited for an item (a round
    /// trip, a paced stream) gets it at once. It never slips where a
    /// quarter of the ring holds less than a cache line, nor for
    /// zero-sized items.
    ///
    /// # Errors
    ///
    /// As [`try_pop`](Self::try_pop): [`TryPopError::Empty`] while the ring
    /// is empty, [`TryPopError::Disconnected`] once it is empty for good.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(1024);
    /// assert!(consumer.try_pop_slipping().unwrap_err().is_empty());
    /// assert_eq!(producer.push_slice(&[1, 2]), 2);
    /// // The ring was empty at the last look: no slip, both items at once.
    /// assert_eq!(consumer.try_pop_slipping(), Ok(1));
    /// assert_eq!(consumer.try_pop_slipping(), Ok(2));
    /// ```
    #[inline(always)]
    pub fn try_pop_slipping(&mut self) -> Result<T, TryPopError> {
        self.try_pop_slipping_if(|_| true)
    }

    /// [`try_pop_slipping`](Self::try_pop_slipping), asking `may_slip`
    /// (given the flavour's waiting state) just before a slip whether to
    /// slip at all: a flavour that knows the producer cannot run during
    /// the slip (its task waits behind this one on the same thread) says
    /// no. `may_slip` runs only when a slip is due, never on the hot path.
    ///
    /// # Errors
    ///
    /// As [`try_pop`](Self::try_pop).
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(1024);
    /// assert_eq!(producer.push_slice(&[1, 2]), 2);
    /// assert_eq!(consumer.try_pop_slipping_if(|()| false), Ok(1));
    /// assert_eq!(consumer.try_pop_slipping_if(|()| false), Ok(2));
    /// assert!(consumer.try_pop_slipping_if(|()| false).unwrap_err().is_empty());
    /// ```
    #[inline(always)]
    pub fn try_pop_slipping_if(
        &mut self,
        may_slip: impl FnOnce(&W) -> bool,
    ) -> Result<T, TryPopError> {
        if !CACHE_TAIL || self.head == self.cached_tail.get() {
            let found_items_before = self.found_items.get();
            let items = self.reload_items();
            if items == 0 {
                self.recheck_empty()?;
            } else if items < self.slip_below && found_items_before {
                self.slip(items, may_slip);
            }
        }
        // SAFETY: we are the consumer and `head` is a filled slot: the
        // producer's release of it was acquired by a reload of `tail`
        // (now, while slipping, in `recheck_empty`, or on an earlier call).
        let value = unsafe { self.shared.read(self.positions.slot(self.head)) };
        self.release(1);
        Ok(value)
    }

    /// Lets a streaming producer get ahead ([`slip::slip`]) when a reload
    /// found `items`, fewer than `slip_below`, after one that found items
    /// too, unless `may_slip` says no.
    ///
    /// Inline, like the rest of the pop paths, so that the handle never has
    /// its address passed to a call. A loop that pops can then keep `head`
    /// and the cached `tail` in registers; with the handle in memory, each
    /// pop waits for the store of the last one's `head` to reach the load
    /// of the next.
    #[inline(always)]
    fn slip(&mut self, items: usize, may_slip: impl FnOnce(&W) -> bool) {
        let slipped = slip_at(
            &self.shared,
            self.head,
            self.cached_tail.get(),
            self.reads_may_be_unpublished,
            self.slip_below,
            may_slip,
        );
        if let Some((tail, _looks)) = slipped {
            // `slip_at` published any reads a leaked iterator left.
            self.reads_may_be_unpublished = false;
            self.cached_tail.set(tail);
            // The slip's reloads only ever found more than `items`.
            debug_assert!(self.positions.distance(self.head, tail) >= items);
            self.found_items.set(true);
            #[cfg(test)]
            {
                self.slip_looks += _looks;
            }
        }
    }

    /// Returns the oldest item without popping it, or `None` while the ring
    /// is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(2);
    /// assert_eq!(consumer.peek(), None);
    /// producer.try_push(5).unwrap();
    /// assert_eq!(consumer.peek(), Some(&5));
    /// assert_eq!(consumer.try_pop(), Ok(5));
    /// ```
    #[inline]
    pub fn peek(&self) -> Option<&T> {
        if self.items_at_least(1) == 0 {
            return None;
        }
        // SAFETY: `head` is a filled slot we acquired; while the returned
        // reference borrows `self`, no `&mut self` method can pop it, so the
        // producer cannot reuse the slot either.
        Some(unsafe { self.shared.item(self.positions.slot(self.head)) })
    }

    /// Copies as many items as fit into `out`, in order, and frees their
    /// slots at once; never waits.
    ///
    /// Returns how many were popped; the rest of `out` is left as it was.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2, 3]);
    /// let mut out = [0; 2];
    /// assert_eq!(consumer.pop_slice(&mut out), 2);
    /// assert_eq!(out, [1, 2]);
    /// assert_eq!(consumer.try_pop(), Ok(3));
    /// ```
    #[inline]
    #[must_use = "only the first `count` elements of `out` were written"]
    pub fn pop_slice(&mut self, out: &mut [T]) -> usize
    where
        T: Copy,
    {
        let chunk = self.read_chunk(out.len());
        let (first, second) = chunk.as_slices();
        let popped = first.len() + second.len();
        out[..first.len()].copy_from_slice(first);
        out[first.len()..popped].copy_from_slice(second);
        chunk.commit_all();
        popped
    }

    /// Moves up to `max` items, in order, to the end of `out`, and frees
    /// their slots with one index publication; never waits. The items are
    /// moved, not copied, so there is no `T: Copy` bound.
    ///
    /// Returns how many it moved: 0 when the ring is empty, whether or not
    /// the producer is gone (see [`is_disconnected`](Self::is_disconnected)).
    /// Should growing `out` fail, the items stay in the ring.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// for word in ["a", "b", "c"] {
    ///     producer.try_push(String::from(word)).unwrap();
    /// }
    /// let mut batch = Vec::new();
    /// assert_eq!(consumer.pop_into(&mut batch, 2), 2);
    /// assert_eq!(consumer.pop_into(&mut batch, 8), 1);
    /// assert_eq!(batch, ["a", "b", "c"]);
    /// ```
    #[must_use = "the count says how many items were appended to `out`"]
    pub fn pop_into(&mut self, out: &mut Vec<T>, max: usize) -> usize {
        let chunk = self.read_chunk(max);
        let count = chunk.len();
        // Reserved before the chunk's items move: if it fails, the chunk is
        // dropped uncommitted and every item stays in the ring.
        out.reserve(count);
        out.extend(chunk);
        count
    }

    /// Gives access in place to up to `max` items (fewer when fewer are
    /// there), without copying them out.
    ///
    /// Read or modify them through [`as_slices`](ReadChunk::as_slices) and
    /// [`as_mut_slices`](ReadChunk::as_mut_slices), then
    /// [`commit`](ReadChunk::commit) how many to drop and free, or move them
    /// out one by one through its [`IntoIterator`] impl. Dropping the chunk
    /// without a commit leaves every item in the ring.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2, 3]);
    /// let chunk = consumer.read_chunk(8);
    /// let (first, second) = chunk.as_slices();
    /// assert_eq!(first.iter().chain(second).sum::<i32>(), 6);
    /// chunk.commit(2);
    /// assert_eq!(consumer.try_pop(), Ok(3));
    /// ```
    #[must_use = "a read chunk does nothing until its items are read and committed"]
    pub fn read_chunk(&mut self, max: usize) -> ReadChunk<'_, T, W> {
        self.publish_leaked_reads();
        let len = self.items_at_least(max).min(max);
        ReadChunk::new(self, len)
    }

    /// An iterator over the items in the ring now, popping each; it ends
    /// when the ring is empty, whether or not the producer is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2]);
    /// assert_eq!(consumer.try_iter().collect::<Vec<_>>(), [1, 2]);
    /// producer.push_slice(&[3]);
    /// assert_eq!(consumer.try_iter().collect::<Vec<_>>(), [3]);
    /// ```
    pub fn try_iter(&mut self) -> impl Iterator<Item = T> + '_ {
        core::iter::from_fn(move || self.try_pop().ok())
    }

    /// The number of items the ring holds at most; exactly what was asked
    /// for in [`channel`](crate::channel).
    ///
    /// # Examples
    ///
    /// ```
    /// let (_producer, consumer) = ring_core::channel::<u8>(7);
    /// assert_eq!(consumer.capacity(), 7);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        self.positions.capacity()
    }

    /// How many items are in the ring now. The producer may push more at any
    /// moment, so the answer is a lower bound.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, consumer) = ring_core::channel(3);
    /// producer.push_slice(&[1, 2]);
    /// assert_eq!(consumer.len(), 2);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.items_at_least(usize::MAX)
    }

    /// Where this handle stands in the ring's sequence of positions, which
    /// counts modulo twice the capacity: each pop moves it one step, and
    /// nothing but this handle's own pops moves it. A waiting flavour
    /// compares two readings to tell whether its handle made progress in
    /// between.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(2);
    /// let before = consumer.position();
    /// producer.push_slice(&[1, 2]);
    /// assert_eq!(consumer.position(), before); // Pushes do not move it.
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// assert_ne!(consumer.position(), before);
    /// ```
    #[inline]
    pub fn position(&self) -> usize {
        self.head
    }

    /// Whether the ring is empty now.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_producer, consumer) = ring_core::channel::<u8>(3);
    /// assert!(consumer.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.items_at_least(1) == 0
    }

    /// Whether the ring is full now (the producer may have been waiting for
    /// space).
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, consumer) = ring_core::channel(2);
    /// producer.push_slice(&[1, 2]);
    /// assert!(consumer.is_full());
    /// ```
    #[inline]
    pub fn is_full(&self) -> bool {
        self.len() == self.capacity()
    }

    /// Whether the channel is disconnected: the producer is gone, or either
    /// side closed it with `close_channel`. Items pushed before may still
    /// be in the ring: pop until [`TryPopError::Disconnected`] to drain
    /// them.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(1);
    /// producer.try_push(1).unwrap();
    /// drop(producer);
    /// assert!(consumer.is_disconnected());
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// ```
    #[inline]
    pub fn is_disconnected(&self) -> bool {
        self.shared.is_gone(EITHER_GONE)
    }

    /// Closes the channel without dropping the consumer: the producer's
    /// later pushes fail with `Disconnected` and hand the value back (a
    /// flavour's waiting producer is woken), while this consumer can still
    /// pop the items in the ring, then gets `Disconnected`. Closing again
    /// does nothing.
    ///
    /// A push that runs at the same moment on the producer's thread may
    /// still land after the close; its item is popped like the others, or
    /// dropped with the consumer.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(2);
    /// producer.try_push(1).unwrap();
    /// consumer.close_channel();
    /// assert!(producer.try_push(2).unwrap_err().is_disconnected());
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// assert!(consumer.try_pop().unwrap_err().is_disconnected());
    /// ```
    pub fn close_channel(&mut self) {
        if self.shared.mark_gone(CONSUMER_GONE) {
            self.shared.wait_state.after_consumer_drop();
        }
    }

    /// The flavour's waiting state, shared with the producer.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_producer, consumer) = ring_core::channel::<u8>(1);
    /// let (): &() = consumer.wait_state();
    /// ```
    #[inline]
    pub fn wait_state(&self) -> &W {
        &self.shared.wait_state
    }

    /// Called when the ring looked empty: says why, or `Ok` if an item
    /// turned up after all. [`TryPopError::Disconnected`] only if the
    /// channel is disconnected and a fresh look at `tail` still finds
    /// nothing.
    ///
    /// The order matters (flume#120): the flag is read first, and only then
    /// the tail. Trusting the earlier look at the tail could miss an item
    /// pushed just before the producer dropped, and report a disconnection
    /// with an item still in the ring.
    ///
    /// The work is out of line and cold ([`recheck_empty_at`]), so that the
    /// path of `try_pop` inlined into every caller is the cached comparison
    /// and the reload, and this wrapper only stores what it found. (When
    /// all of this method was out of line, moving the reload out of line
    /// too, or the whole empty path with the pop that follows a late item,
    /// measured 15 to 40 % slower while streaming.)
    #[inline(always)]
    pub(crate) fn recheck_empty(&mut self) -> Result<(), TryPopError> {
        let leaked_reads = core::mem::take(&mut self.reads_may_be_unpublished);
        let tail = recheck_empty_at(&self.shared, self.head, leaked_reads)?;
        self.cached_tail.set(tail);
        self.found_items.set(true);
        Ok(())
    }

    /// The number of filled slots, reloading the producer's `tail` only
    /// when the cached copy shows fewer than `wanted` (rigtorp's cached
    /// index).
    #[inline(always)]
    pub(crate) fn items_at_least(&self, wanted: usize) -> usize {
        if CACHE_TAIL {
            let items = self.positions.distance(self.head, self.cached_tail.get());
            if items >= wanted {
                return items;
            }
        }
        self.reload_items()
    }

    /// Reloads the producer's `tail` and returns the number of items.
    #[inline]
    fn reload_items(&self) -> usize {
        self.positions.distance(self.head, self.reload_tail())
    }

    /// Reloads the producer's `tail`, caches it and returns it, and notes
    /// whether it found items (for [`try_pop_slipping`](Self::try_pop_slipping)).
    #[inline(always)]
    fn reload_tail(&self) -> usize {
        // Acquire: pairs with the producer's Release store of `tail`, so its
        // writes of the slots happen before our reads.
        let tail = self.shared.tail.load(Ordering::Acquire);
        self.cached_tail.set(tail);
        self.found_items.set(tail != self.head);
        tail
    }

    /// Moves `head` past `count` items the consumer has moved out or
    /// dropped, without publishing it.
    #[inline(always)]
    pub(crate) fn advance_local(&mut self, count: usize) {
        self.head = self.positions.advance(self.head, count);
    }

    /// Publishes the items a leaked [`ReadChunk`] iterator moved out. Without
    /// this, a consumer that finds the ring empty after such a leak would
    /// never publish, and a producer waiting for space would wait forever.
    #[inline]
    fn publish_leaked_reads(&mut self) {
        if self.reads_may_be_unpublished {
            self.reads_may_be_unpublished = false;
            self.publish();
        }
    }

    /// Publishes `head`, freeing the slots behind it, and tells the flavour.
    #[inline(always)]
    pub(crate) fn publish(&mut self) {
        publish_head(&self.shared, self.head);
    }

    /// Frees the `count` slots after `head`, whose items the consumer has
    /// moved out or dropped.
    #[inline(always)]
    pub(crate) fn release(&mut self, count: usize) {
        self.advance_local(count);
        self.publish();
    }
}

/// The work of [`Consumer::recheck_empty`], given the shared block and the
/// consumer's `head` by value (see [`Consumer::slip`] for why): publishes
/// `head` first if a leaked [`ReadChunk`] iterator left reads unpublished,
/// then says why the ring looked empty, or returns the `tail` of the items
/// that turned up after all.
#[cold]
#[inline(never)]
fn recheck_empty_at<T, W: WaitState>(
    shared: &Shared<T, W>,
    head: usize,
    leaked_reads: bool,
) -> Result<usize, TryPopError> {
    if leaked_reads {
        publish_head(shared, head);
    }
    if !shared.is_gone(EITHER_GONE) {
        return Err(TryPopError::Empty);
    }
    // The Acquire load of the flag synchronized with the producer's
    // Release, which followed its last tail store, so this reload sees
    // the final tail. Acquire on `tail` itself, as in every reload, makes
    // the items' writes visible.
    let tail = shared.tail.load(Ordering::Acquire);
    if tail == head {
        Err(TryPopError::Disconnected)
    } else {
        Ok(tail)
    }
}

/// The work of [`Consumer::slip`], given the shared block and the
/// consumer's fields by value: unless `may_slip` says no, publishes `head`
/// if reads were left unpublished (so that the producer sees the room they
/// freed while this side spins), then slips, starting from `tail`, the
/// reload that found too few items. Returns the last `tail` it knows of
/// and how many looks the slip took, or `None` if it did not slip.
#[cold]
#[inline(never)]
fn slip_at<T, W: WaitState>(
    shared: &Shared<T, W>,
    head: usize,
    mut tail: usize,
    leaked_reads: bool,
    enough: usize,
    may_slip: impl FnOnce(&W) -> bool,
) -> Option<(usize, u32)> {
    if !may_slip(&shared.wait_state) {
        return None;
    }
    if leaked_reads {
        publish_head(shared, head);
    }
    let found = shared.positions.distance(head, tail);
    let looks = slip::slip(enough, found, || {
        // Acquire: as in `Consumer::reload_tail`.
        tail = shared.tail.load(Ordering::Acquire);
        shared.positions.distance(head, tail)
    });
    Some((tail, looks))
}

/// Publishes the consumer's `head`, freeing the slots behind it, and tells
/// the flavour; a function of the shared block and `head` so that the
/// out-of-line paths can call it without the handle.
#[inline(always)]
fn publish_head<T, W: WaitState>(shared: &Shared<T, W>, head: usize) {
    // Release: the consumer's reads and drops of the freed slots happen
    // before the producer's Acquire load that sees this head, hence before
    // it overwrites them.
    shared.head.store(head, Ordering::Release);
    shared.wait_state.after_pop();
}

impl<T, W: WaitState> Drop for Consumer<T, W> {
    /// Drops the items in the ring at once, oldest first, as a channel's
    /// receiver does: nobody can read them any more, and an item may hold
    /// something its sender waits to see dropped (the sending half of a
    /// reply channel, say). Items the producer pushes after this are
    /// dropped with the ring, when the producer goes too.
    #[inline]
    fn drop(&mut self) {
        // Inline, with the work out of line given the shared block and
        // `head` as values, and the `Arc` taken out of the handle (its own
        // drop takes a reference to it): the handle's address must not
        // reach a call, as `slip` says.
        // SAFETY: `shared` is taken once, here, and the handle is never
        // used again: this is its drop.
        let shared = unsafe { ManuallyDrop::take(&mut self.shared) };
        close_consumer_side(&shared, self.head);
    }
}

/// The consumer's drop: publishes `head`, marks the consumer gone and
/// drops the unread items, oldest first.
#[inline(never)]
fn close_consumer_side<T, W: WaitState>(shared: &Shared<T, W>, head: usize) {
    // A `ReadChunk` iterator that was leaked with `mem::forget` may have
    // moved items out without publishing; publish them first, so that
    // they are not dropped a second time. Release pairs with the
    // producer's Acquire loads of `head`, and with the `Arc` drop's
    // synchronization like any head store.
    shared.head.store(head, Ordering::Release);
    // Gone first, so that the producer stops pushing (its later pushes
    // hand their values back) and a waiting producer is woken before
    // the destructors run.
    shared.mark_gone(CONSUMER_GONE);
    shared.wait_state.after_consumer_drop();
    // Acquire: as in `Consumer::reload_tail`, so that the items' writes
    // happen before their drops.
    let tail = shared.tail.load(Ordering::Acquire);
    let unread = shared.positions.distance(head, tail);
    if unread == 0 {
        return;
    }
    // Set before the slots are freed, so that a producer that finds the
    // ring empty afterwards (`Acquire` on `head`, which the guard stores
    // with `Release`) also finds the mark.
    shared.mark_gone(ITEMS_DROPPED_UNREAD);
    // If a destructor panics, the guard still frees the items dropped so
    // far and the panic unwinds out of this drop; the ring's own drop
    // takes the rest.
    let mut freed = FreeOnClose {
        shared,
        head,
        count: 0,
    };
    // SAFETY: `head .. tail` are the filled positions, which the consumer
    // owns and nobody reads again; the guard frees them without reading.
    unsafe { shared.drop_items_counting(head, unread, &mut freed.count) };
}

/// Frees the first `count` slots after the closing consumer's `head` when
/// dropped, also when unwinding from a panicking destructor.
struct FreeOnClose<'a, T, W: WaitState> {
    shared: &'a Shared<T, W>,
    head: usize,
    count: usize,
}

impl<T, W: WaitState> Drop for FreeOnClose<'_, T, W> {
    fn drop(&mut self) {
        let head = self.shared.positions.advance(self.head, self.count);
        publish_head(self.shared, head);
    }
}

impl<T, W: WaitState> fmt::Debug for Consumer<T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .field("is_disconnected", &self.is_disconnected())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod slip_tests {
    use crate::channel;

    /// A ring of 1024 whose consumer popped items 1 and 2 through one
    /// reload that found them (without slipping: the reload before found
    /// none), after which the producer pushed item 3: the next reload finds
    /// 1 item, fewer than 64, right after one that found items. Only for
    /// the tests that expect a slip, which the uncached-indices ablation
    /// turns off.
    #[cfg(not(ring_ablation_uncached_indices))]
    fn streaming_with_item_3_pushed() -> (crate::Producer<u64>, crate::Consumer<u64>) {
        let (mut producer, mut consumer) = channel::<u64>(1024);
        assert_eq!(consumer.slip_below, 64);
        assert_eq!(producer.push_slice(&[1, 2]), 2);
        assert_eq!(consumer.try_pop_slipping(), Ok(1));
        assert_eq!(consumer.try_pop_slipping(), Ok(2));
        assert_eq!(consumer.slip_looks, 0, "the first reload follows none");
        producer.try_push(3).unwrap();
        (producer, consumer)
    }

    #[test]
    fn a_pop_that_found_the_ring_empty_before_does_not_slip() {
        let (mut producer, mut consumer) = channel::<u64>(1024);
        for round in 0..3 {
            assert!(consumer.try_pop_slipping().unwrap_err().is_empty());
            producer.try_push(round).unwrap();
            assert_eq!(consumer.try_pop_slipping(), Ok(round));
        }
        assert_eq!(consumer.slip_looks, 0);
    }

    // The uncached-indices ablation turns slipping off.
    #[test]
    #[cfg(not(ring_ablation_uncached_indices))]
    fn a_reload_with_few_items_after_one_that_found_items_slips() {
        let (_producer, mut consumer) = streaming_with_item_3_pushed();
        // Streaming, and one item is fewer than 64: the slip looks once,
        // finds no new item (nobody pushes) and stops; the item comes out
        // all the same.
        assert_eq!(consumer.try_pop_slipping(), Ok(3));
        assert_eq!(consumer.slip_looks, 1);
    }

    #[test]
    fn an_empty_ring_seen_by_any_method_stops_the_slips() {
        let (mut producer, mut consumer) = channel::<u64>(1024);
        assert_eq!(producer.push_slice(&[1, 2]), 2);
        assert_eq!(consumer.try_pop_slipping(), Ok(1));
        assert_eq!(consumer.try_pop(), Ok(2));
        // `try_pop` finds the ring empty; so would `is_empty`, `pop_slice`
        // or `read_chunk`, which reload `tail` the same way.
        assert!(consumer.try_pop().unwrap_err().is_empty());
        producer.try_push(3).unwrap();
        assert_eq!(consumer.try_pop_slipping(), Ok(3));
        producer.try_push(4).unwrap();
        assert!(!consumer.is_empty());
        assert_eq!(consumer.try_pop_slipping(), Ok(4));
        assert!(consumer.is_empty());
        producer.try_push(5).unwrap();
        assert_eq!(consumer.try_pop_slipping(), Ok(5));
        assert_eq!(consumer.slip_looks, 0);
    }

    // The uncached-indices ablation turns slipping off.
    #[test]
    #[cfg(not(ring_ablation_uncached_indices))]
    fn a_flavour_may_forbid_the_slip() {
        let (_producer, mut consumer) = streaming_with_item_3_pushed();
        let mut asked = 0;
        let popped = consumer.try_pop_slipping_if(|()| {
            asked += 1;
            false
        });
        assert_eq!((popped, asked, consumer.slip_looks), (Ok(3), 1, 0));
    }

    #[test]
    fn a_reload_with_enough_items_does_not_slip() {
        let (mut producer, mut consumer) = channel::<u64>(1024);
        let items: alloc::vec::Vec<u64> = (0..200).collect();
        assert_eq!(producer.push_slice(&items[..100]), 100);
        assert_eq!(consumer.try_pop_slipping(), Ok(0));
        for expected in 1..100 {
            assert_eq!(consumer.try_pop_slipping(), Ok(expected));
        }
        assert_eq!(producer.push_slice(&items[100..]), 100);
        for expected in 100..200 {
            assert_eq!(consumer.try_pop_slipping(), Ok(expected));
        }
        assert_eq!(consumer.slip_looks, 0);
    }

    #[test]
    fn small_rings_never_slip() {
        let (mut producer, mut consumer) = channel::<u64>(4);
        assert_eq!(consumer.slip_below, 1);
        for round in 0..4 {
            assert_eq!(producer.push_slice(&[round, round]), 2);
            assert_eq!(consumer.try_pop_slipping(), Ok(round));
            assert_eq!(consumer.try_pop_slipping(), Ok(round));
        }
        assert_eq!(consumer.slip_looks, 0);
    }

    #[test]
    fn slipping_pop_reports_disconnection_after_the_last_item() {
        let (mut producer, mut consumer) = channel::<u64>(1024);
        assert_eq!(producer.push_slice(&[1, 2]), 2);
        drop(producer);
        assert_eq!(consumer.try_pop_slipping(), Ok(1));
        assert_eq!(consumer.try_pop_slipping(), Ok(2));
        assert!(consumer.try_pop_slipping().unwrap_err().is_disconnected());
    }
}
