//! Zero-copy batches: the producer writes free slots in place and the
//! consumer reads filled ones in place, each publishing its index once per
//! batch.
//!
//! A batch spans at most two runs of slots, because the storage wraps
//! around: the run up to the end of the storage and the run from slot 0.

use core::fmt;
use core::mem::MaybeUninit;

use crate::{Consumer, Producer, WaitState};

/// Up to `len` free slots of the ring, reserved by
/// [`Producer::write_chunk_uninit`] for writing in place.
///
/// Nothing written is visible to the consumer until the chunk is committed;
/// dropping the chunk uncommitted leaves the slots free (and forgets
/// whatever was written into them, without dropping it).
///
/// # Examples
///
/// ```
/// use std::mem::MaybeUninit;
///
/// let (mut producer, mut consumer) = ring_core::channel::<String>(4);
/// let mut chunk = producer.write_chunk_uninit(2);
/// let (first, _second) = chunk.as_mut_slices();
/// first[0] = MaybeUninit::new("hello".to_string());
/// // SAFETY: the first slot was written just above.
/// unsafe { chunk.commit(1) };
/// assert_eq!(consumer.try_pop().unwrap(), "hello");
/// ```
pub struct WriteChunkUninit<'a, T, W: WaitState = ()> {
    producer: &'a mut Producer<T, W>,
    len: usize,
}

impl<'a, T, W: WaitState> WriteChunkUninit<'a, T, W> {
    pub(crate) fn new(producer: &'a mut Producer<T, W>, len: usize) -> Self {
        Self { producer, len }
    }

    /// How many slots the chunk spans.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, _consumer) = ring_core::channel::<u8>(3);
    /// assert_eq!(producer.write_chunk_uninit(5).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the chunk spans no slot (the ring was full or `max` was 0).
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, _consumer) = ring_core::channel::<u8>(3);
    /// assert!(producer.write_chunk_uninit(0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk's slots, in order: the run up to the end of the storage,
    /// then the run that wraps to its start (often empty).
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, _consumer) = ring_core::channel::<u8>(3);
    /// let mut chunk = producer.write_chunk_uninit(3);
    /// let (first, second) = chunk.as_mut_slices();
    /// assert_eq!(first.len() + second.len(), 3);
    /// ```
    pub fn as_mut_slices(&mut self) -> (&mut [MaybeUninit<T>], &mut [MaybeUninit<T>]) {
        // SAFETY: the chunk's slots are free (`write_chunk_uninit` acquired
        // the consumer's release of them), and the chunk borrows the
        // producer mutably, so these are the only references to them.
        unsafe {
            self.producer
                .shared
                .vacant_slices(self.producer.tail, self.len)
        }
    }

    /// Publishes the first `count` slots of the chunk, in the order of
    /// [`as_mut_slices`](Self::as_mut_slices), with one index store.
    ///
    /// # Safety
    ///
    /// The first `count` slots must have been initialized. The rest are
    /// left free; values written there are forgotten, not dropped.
    ///
    /// # Panics
    ///
    /// If `count` exceeds [`len`](Self::len).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::mem::MaybeUninit;
    ///
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// let mut chunk = producer.write_chunk_uninit(4);
    /// let (first, second) = chunk.as_mut_slices();
    /// for (slot, value) in first.iter_mut().chain(second).zip(1..=3) {
    ///     *slot = MaybeUninit::new(value);
    /// }
    /// // SAFETY: three slots were written just above.
    /// unsafe { chunk.commit(3) };
    /// assert_eq!(consumer.len(), 3);
    /// ```
    pub unsafe fn commit(self, count: usize) {
        assert!(
            count <= self.len,
            "cannot commit {count} slots of a write chunk of {}",
            self.len
        );
        if count > 0 {
            self.producer.publish(count);
        }
    }

    /// Moves items from `items` into the chunk's slots until either runs
    /// out, and publishes them; returns how many it moved.
    ///
    /// If the iterator panics, the items written before are still
    /// published.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(8);
    /// let pushed = producer.write_chunk_uninit(3).fill_from_iter("abcde".chars());
    /// assert_eq!(pushed, 3);
    /// assert_eq!(consumer.try_iter().collect::<String>(), "abc");
    /// ```
    #[must_use = "the items of the iterator that did not fit were dropped; the count says how many went in"]
    pub fn fill_from_iter<I: IntoIterator<Item = T>>(self, items: I) -> usize {
        let mut filled = PublishOnExit {
            producer: self.producer,
            count: 0,
        };
        let mut items = items.into_iter();
        while filled.count < self.len {
            let Some(item) = items.next() else { break };
            let positions = filled.producer.positions;
            let slot = positions.slot(positions.advance(filled.producer.tail, filled.count));
            // SAFETY: the slot is one of the chunk's free slots, which
            // nothing else references, and it is written once.
            unsafe { filled.producer.shared.write(slot, item) };
            filled.count += 1;
        }
        filled.count
    }

    /// Copies items from `items` into the chunk's slots until either runs
    /// out, and publishes them; returns how many it copied.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, consumer) = ring_core::channel(8);
    /// assert_eq!(producer.write_chunk_uninit(2).fill_from_slice(&[1, 2, 3]), 2);
    /// assert_eq!(consumer.len(), 2);
    /// ```
    #[must_use = "items that did not fit were not pushed; the count says how many went in"]
    pub fn fill_from_slice(mut self, items: &[T]) -> usize
    where
        T: Copy,
    {
        let (first, second) = self.as_mut_slices();
        let count = items.len().min(first.len() + second.len());
        let (first_items, second_items) = items[..count].split_at(count.min(first.len()));
        copy_into_uninit(&mut first[..first_items.len()], first_items);
        copy_into_uninit(&mut second[..second_items.len()], second_items);
        // SAFETY: the first `count` slots, in order, were written just above.
        unsafe { self.commit(count) };
        count
    }
}

/// Copies `source` into `target`, which have the same length; the compiler
/// turns the loop into a `memcpy`.
fn copy_into_uninit<T: Copy>(target: &mut [MaybeUninit<T>], source: &[T]) {
    for (slot, item) in target.iter_mut().zip(source) {
        slot.write(*item);
    }
}

/// Publishes the slots the producer filled so far when dropped, also when
/// unwinding from a panic in the middle of a batch.
struct PublishOnExit<'a, T, W: WaitState> {
    producer: &'a mut Producer<T, W>,
    count: usize,
}

impl<T, W: WaitState> Drop for PublishOnExit<'_, T, W> {
    fn drop(&mut self) {
        if self.count > 0 {
            self.producer.publish(self.count);
        }
    }
}

impl<T, W: WaitState> fmt::Debug for WriteChunkUninit<'_, T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteChunkUninit")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// Up to `len` filled slots of the ring, lent by [`Consumer::read_chunk`]
/// for reading in place.
///
/// [`commit`](Self::commit) drops and frees the first items; iterating the
/// chunk by value moves items out instead. Dropping the chunk without either
/// leaves every item in the ring.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_core::channel(4);
/// producer.push_slice(&[1, 2, 3]);
/// let taken: Vec<i32> = consumer.read_chunk(2).into_iter().collect();
/// assert_eq!(taken, [1, 2]);
/// assert_eq!(consumer.len(), 1);
/// ```
pub struct ReadChunk<'a, T, W: WaitState = ()> {
    consumer: &'a mut Consumer<T, W>,
    len: usize,
}

impl<'a, T, W: WaitState> ReadChunk<'a, T, W> {
    pub(crate) fn new(consumer: &'a mut Consumer<T, W>, len: usize) -> Self {
        Self { consumer, len }
    }

    /// How many items the chunk spans.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2]);
    /// assert_eq!(consumer.read_chunk(5).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the chunk spans no item (the ring was empty or `max` was 0).
    ///
    /// # Examples
    ///
    /// ```
    /// let (_producer, mut consumer) = ring_core::channel::<u8>(4);
    /// assert!(consumer.read_chunk(5).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk's items, oldest first: the run up to the end of the
    /// storage, then the run that wraps to its start (often empty).
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2]);
    /// let chunk = consumer.read_chunk(2);
    /// assert_eq!(chunk.as_slices(), (&[1, 2][..], &[][..]));
    /// ```
    pub fn as_slices(&self) -> (&[T], &[T]) {
        // SAFETY: the chunk's slots are filled (`read_chunk` acquired the
        // producer's release of them) and the chunk borrows the consumer
        // mutably, so nothing moves or mutates them while `self` is
        // borrowed.
        unsafe { self.consumer.shared.occupied(self.consumer.head, self.len) }
    }

    /// The chunk's items, mutable in place, in the order of
    /// [`as_slices`](Self::as_slices).
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2]);
    /// let mut chunk = consumer.read_chunk(2);
    /// chunk.as_mut_slices().0[0] = 10;
    /// drop(chunk);
    /// assert_eq!(consumer.try_pop(), Ok(10));
    /// ```
    pub fn as_mut_slices(&mut self) -> (&mut [T], &mut [T]) {
        // SAFETY: as in `as_slices`, and `&mut self` makes these the only
        // references to the items.
        unsafe {
            self.consumer
                .shared
                .occupied_slices(self.consumer.head, self.len)
        }
    }

    /// Drops the first `count` items of the chunk and frees their slots
    /// with one index store; the rest stay in the ring.
    ///
    /// If an item's destructor panics, that item counts as dropped, the
    /// slots up to it are freed, and the items after it stay in the ring:
    /// nothing is dropped twice.
    ///
    /// # Panics
    ///
    /// If `count` exceeds [`len`](Self::len).
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2, 3]);
    /// consumer.read_chunk(3).commit(2);
    /// assert_eq!(consumer.try_pop(), Ok(3));
    /// ```
    pub fn commit(self, count: usize) {
        assert!(
            count <= self.len,
            "cannot commit {count} items of a read chunk of {}",
            self.len
        );
        let mut freed = FreeOnExit {
            consumer: self.consumer,
            count: 0,
        };
        let head = freed.consumer.head;
        // SAFETY: the positions are the chunk's filled slots, each dropped
        // once, and `freed` frees them without reading them again.
        unsafe {
            freed
                .consumer
                .shared
                .drop_items_counting(head, count, &mut freed.count);
        }
    }

    /// Drops every item of the chunk and frees their slots.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_core::channel(4);
    /// producer.push_slice(&[1, 2, 3]);
    /// consumer.read_chunk(2).commit_all();
    /// assert_eq!(consumer.len(), 1);
    /// ```
    pub fn commit_all(self) {
        let len = self.len;
        self.commit(len);
    }
}

/// Frees the first `count` slots after the consumer's head when dropped,
/// also when unwinding from a panicking destructor.
struct FreeOnExit<'a, T, W: WaitState> {
    consumer: &'a mut Consumer<T, W>,
    count: usize,
}

impl<T, W: WaitState> Drop for FreeOnExit<'_, T, W> {
    fn drop(&mut self) {
        if self.count > 0 {
            self.consumer.release(self.count);
        }
    }
}

impl<T, W: WaitState> fmt::Debug for ReadChunk<'_, T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadChunk")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl<'a, T, W: WaitState> IntoIterator for ReadChunk<'a, T, W> {
    type Item = T;
    type IntoIter = ReadChunkIntoIter<'a, T, W>;

    /// Moves the chunk's items out, oldest first. Their slots are freed
    /// with one index store when the iterator is dropped; items it did not
    /// reach stay in the ring.
    fn into_iter(self) -> Self::IntoIter {
        // Cleared by the iterator's drop; stays set if the iterator leaks.
        self.consumer.reads_may_be_unpublished = true;
        ReadChunkIntoIter {
            consumer: self.consumer,
            remaining: self.len,
            taken: 0,
        }
    }
}

/// Moves the items of a [`ReadChunk`] out of the ring, oldest first.
///
/// The slots are freed when the iterator is dropped. Leaking it with
/// `mem::forget` is safe: the consumer frees them at its next pop, or when
/// it next finds the ring empty or lends a chunk.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_core::channel(4);
/// producer.push_slice(&[1, 2, 3]);
/// let mut items = consumer.read_chunk(3).into_iter();
/// assert_eq!(items.next(), Some(1));
/// assert_eq!(items.len(), 2);
/// drop(items);
/// assert_eq!(consumer.len(), 2);
/// ```
pub struct ReadChunkIntoIter<'a, T, W: WaitState = ()> {
    consumer: &'a mut Consumer<T, W>,
    remaining: usize,
    taken: usize,
}

impl<T, W: WaitState> Iterator for ReadChunkIntoIter<'_, T, W> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.remaining == 0 {
            return None;
        }
        let slot = self.consumer.positions.slot(self.consumer.head);
        // SAFETY: `head` is one of the chunk's filled slots, and advancing
        // the consumer's head right after makes sure it is never read or
        // dropped again, even if this iterator is leaked.
        let item = unsafe { self.consumer.shared.read(slot) };
        self.consumer.advance_local(1);
        self.remaining -= 1;
        self.taken += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T, W: WaitState> ExactSizeIterator for ReadChunkIntoIter<'_, T, W> {}

impl<T, W: WaitState> core::iter::FusedIterator for ReadChunkIntoIter<'_, T, W> {}

impl<T, W: WaitState> Drop for ReadChunkIntoIter<'_, T, W> {
    fn drop(&mut self) {
        self.consumer.reads_may_be_unpublished = false;
        if self.taken > 0 {
            self.consumer.publish();
        }
    }
}

impl<T, W: WaitState> fmt::Debug for ReadChunkIntoIter<'_, T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadChunkIntoIter")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}
