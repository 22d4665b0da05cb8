//! The shared block: the slot storage, the two indices, the disconnection
//! flags and the flavour's waiting state. Every `unsafe` operation on the
//! slots lives in this file.
//!
//! # Layout
//!
//! The block sits in one `Arc` allocation. `head` and `tail` each fill a
//! `CachePadded` line of their own (128 bytes on x86-64, covering the
//! adjacent-line prefetcher), so the consumer's stores to `head` never
//! invalidate the line holding `tail` and the other way round. The fields
//! both sides only read (`positions`, `slots`, ...) come after them on lines
//! that nobody writes while the ring runs. The waiting state has lines of its
//! own, because a waiting side writes it. The slots live in a separate
//! allocation aligned to, and rounded up to, whole cache lines
//! ([`SlotStorage`]), so that no neighbouring heap allocation shares a cache
//! line with a slot.

use core::mem::{self, MaybeUninit};
use core::ptr;

use crossbeam_utils::CachePadded;

use crate::positions::Positions;
use crate::storage::SlotStorage;
use crate::sync::{AtomicU8, AtomicUsize, Ordering, SlotAccessLog};

/// An index, padded to a cache line of its own unless the benchmark-only
/// ablation asks for false sharing.
#[cfg(not(ring_ablation_unpadded_indices))]
pub(crate) type IndexCell = CachePadded<AtomicUsize>;
#[cfg(ring_ablation_unpadded_indices)]
pub(crate) type IndexCell = AtomicUsize;

fn new_index_cell() -> IndexCell {
    #[cfg(not(ring_ablation_unpadded_indices))]
    return CachePadded::new(AtomicUsize::new(0));
    #[cfg(ring_ablation_unpadded_indices)]
    return AtomicUsize::new(0);
}

/// The bit of [`Shared::gone`] the producer sets when it is dropped or
/// closes the channel.
pub(crate) const PRODUCER_GONE: u8 = 1;
/// The bit of [`Shared::gone`] the consumer sets when it is dropped or
/// closes the channel.
pub(crate) const CONSUMER_GONE: u8 = 2;
/// Either side gone: the channel is disconnected for both.
pub(crate) const EITHER_GONE: u8 = PRODUCER_GONE | CONSUMER_GONE;
/// The bit of [`Shared::gone`] the consumer sets when its drop dropped
/// items it had not popped, before it frees their slots.
pub(crate) const ITEMS_DROPPED_UNREAD: u8 = 4;

/// The state both handles point to. `repr(C)` keeps the fields in the
/// order written, so that the layout described above holds (and the
/// unpadded ablation really puts `head` and `tail` side by side).
#[repr(C)]
pub(crate) struct Shared<T, W> {
    /// The consumer's position: the next item to pop. Stored only by the
    /// consumer, always in `0 .. 2 * capacity`.
    pub(crate) head: IndexCell,
    /// The producer's position: the next slot to fill. Stored only by the
    /// producer, always in `0 .. 2 * capacity`.
    pub(crate) tail: IndexCell,
    /// The flavour's waiting state.
    pub(crate) wait_state: CachePadded<W>,
    /// Capacity and index arithmetic.
    pub(crate) positions: Positions,
    /// `PRODUCER_GONE`, `CONSUMER_GONE` and `ITEMS_DROPPED_UNREAD` bits,
    /// each set once and never cleared.
    gone: AtomicU8,
    /// `capacity` slots. The slots `slot(p)` for the positions `p` in
    /// `head .. tail` hold initialized items; all others are uninitialized.
    storage: SlotStorage<T>,
    /// Loom's view of the slot accesses; empty outside loom.
    access_log: SlotAccessLog,
}

// SAFETY: the handles move items of type `T` between threads, hence
// `T: Send`. A slot is accessed by one side at a time: the producer only
// touches free slots and the consumer only filled ones, and the index
// protocol (Release stores, Acquire loads) orders every hand-over. `T` need
// not be `Sync` because no slot is ever read from two threads at once. `W` is
// `Sync` by the `WaitState` bound, which flavours rely on.
unsafe impl<T: Send, W: Send + Sync> Sync for Shared<T, W> {}
// SAFETY: as above; dropping the block on either thread drops the remaining
// `T`s there, which `T: Send` allows.
unsafe impl<T: Send, W: Send + Sync> Send for Shared<T, W> {}

impl<T, W: Default> Shared<T, W> {
    /// Allocates the storage for `capacity` items.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0, or if the storage's size in bytes overflows
    /// `isize::MAX`.
    pub(crate) fn new(capacity: usize) -> Self {
        let positions = Positions::new(capacity);
        let storage = SlotStorage::new(capacity);
        Self {
            head: new_index_cell(),
            tail: new_index_cell(),
            wait_state: CachePadded::new(W::default()),
            positions,
            gone: AtomicU8::new(0),
            storage,
            access_log: SlotAccessLog::new(capacity),
        }
    }
}

impl<T, W> Shared<T, W> {
    /// Records that one handle is gone (or closed the channel), or sets
    /// another of the `gone` bits.
    ///
    /// `Release`: everything the dropping side did before (its last index
    /// store in particular) happens before the other side's `Acquire` load
    /// of the flag in [`Self::is_gone`].
    ///
    /// Returns whether the bits were not all set before, so that a side
    /// closing the channel twice tells the flavour once.
    pub(crate) fn mark_gone(&self, side: u8) -> bool {
        self.gone.fetch_or(side, Ordering::Release) & side != side
    }

    /// Whether any of the `gone` bits in `side` is set.
    ///
    /// `Acquire`: pairs with the `Release` of [`Self::mark_gone`], so that a
    /// load of the gone side's index made after this one sees its final
    /// value.
    pub(crate) fn is_gone(&self, side: u8) -> bool {
        self.gone.load(Ordering::Acquire) & side != 0
    }

    /// The slots of the `len` positions from `position` on, split at the end
    /// of the storage: the first run and the run that wraps to slot 0.
    #[inline(always)]
    fn position_range(
        &self,
        position: usize,
        len: usize,
    ) -> (*mut [MaybeUninit<T>], *mut [MaybeUninit<T>]) {
        let (first_len, second_len) = self.positions.split(position, len);
        let first_slot = self.positions.slot(position);
        (
            self.storage.slots(first_slot, first_len),
            self.storage.slots(0, second_len),
        )
    }

    /// Moves `value` into the free `slot` (a slot number, not a position).
    ///
    /// # Safety
    ///
    /// Only the producer may call this, for the slot of a position in `tail
    /// .. head + capacity` (a free slot) whose emptying it has acquired.
    #[inline(always)]
    pub(crate) unsafe fn write(&self, slot: usize, value: T) {
        self.access_log.writing(slot, 1);
        let target = self.storage.slot(slot);
        // SAFETY: the slot is in bounds and free, and no other reference to
        // it exists, as the caller guarantees.
        unsafe { target.write(MaybeUninit::new(value)) };
    }

    /// Moves the item out of `slot`, which becomes free once the consumer
    /// publishes a head past it.
    ///
    /// # Safety
    ///
    /// Only the consumer may call this, for the slot of a position in `head
    /// .. tail` (a filled slot) whose filling it has acquired, and it must
    /// not read or drop the item again.
    #[inline(always)]
    pub(crate) unsafe fn read(&self, slot: usize) -> T {
        self.access_log.reading(slot, 1);
        let source = self.storage.slot(slot).cast::<T>();
        // SAFETY: the slot is in bounds and holds an initialized item, which
        // the caller takes over, as the caller guarantees.
        unsafe { source.read() }
    }

    /// Drops the item in `slot` in place.
    ///
    /// # Safety
    ///
    /// As for [`Self::read`]: the item is the consumer's and is dropped once.
    #[inline(always)]
    pub(crate) unsafe fn drop_item(&self, slot: usize) {
        self.access_log.writing(slot, 1);
        let item = self.storage.slot(slot).cast::<T>();
        // SAFETY: the slot is in bounds and holds an initialized item that
        // the caller gives up, as the caller guarantees.
        unsafe { ptr::drop_in_place(item) };
    }

    /// Drops the items of the `count` positions from `position` on in
    /// place, oldest first, adding one to `dropped` just before each drop:
    /// if a destructor panics, `dropped` still counts its item, which the
    /// unwinding glue dropped, and the caller's guard frees that many
    /// slots. Items without a destructor are all counted at once.
    ///
    /// # Safety
    ///
    /// As for [`Self::drop_item`], for each of the positions; `*dropped`
    /// starts at 0.
    #[inline]
    pub(crate) unsafe fn drop_items_counting(
        &self,
        position: usize,
        count: usize,
        dropped: &mut usize,
    ) {
        if !mem::needs_drop::<T>() {
            *dropped = count;
            return;
        }
        while *dropped < count {
            let slot = self
                .positions
                .slot(self.positions.advance(position, *dropped));
            *dropped += 1;
            // SAFETY: the slot holds one of the caller's items, dropped
            // once, as the caller guarantees.
            unsafe { self.drop_item(slot) };
        }
    }

    /// A shared reference to the item in `slot`.
    ///
    /// # Safety
    ///
    /// Only the consumer may call this, for the slot of a filled position it
    /// has acquired, and it must not move, drop or mutate the item (nor let
    /// the producer reuse its slot) while the reference lives.
    #[inline(always)]
    pub(crate) unsafe fn item(&self, slot: usize) -> &T {
        self.access_log.reading(slot, 1);
        let item = self.storage.slot(slot).cast::<T>();
        // SAFETY: the slot is in bounds and initialized, and the caller
        // keeps it so for the reference's lifetime.
        unsafe { &*item }
    }

    /// The free slots of the `len` positions from `position` on, as one or
    /// two mutable slices.
    ///
    /// # Safety
    ///
    /// Only the producer may call this, for free positions whose emptying it
    /// has acquired, and it must hold no other reference to those slots
    /// while the slices live.
    #[allow(
        clippy::mut_from_ref,
        reason = "the producer owns free slots exclusively"
    )]
    pub(crate) unsafe fn vacant_slices(
        &self,
        position: usize,
        len: usize,
    ) -> (&mut [MaybeUninit<T>], &mut [MaybeUninit<T>]) {
        let (first, second) = self.position_range(position, len);
        self.access_log
            .writing(self.positions.slot(position), first.len());
        self.access_log.writing(0, second.len());
        // SAFETY: the two ranges are in bounds, disjoint, and free slots the
        // caller holds exclusively; any bytes are valid `MaybeUninit`s.
        let first = unsafe { &mut *first };
        // SAFETY: as for the first range.
        let second = unsafe { &mut *second };
        (first, second)
    }

    /// The items of the `len` positions from `position` on, as one or two
    /// shared slices.
    ///
    /// # Safety
    ///
    /// Only the consumer may call this, for filled positions whose filling
    /// it has acquired, and it must not move, drop or mutate those items
    /// while the slices live.
    pub(crate) unsafe fn occupied(&self, position: usize, len: usize) -> (&[T], &[T]) {
        let (first, second) = self.position_range(position, len);
        self.access_log
            .reading(self.positions.slot(position), first.len());
        self.access_log.reading(0, second.len());
        // SAFETY: the two ranges are in bounds and initialized, and the
        // caller keeps them so; `MaybeUninit<T>` has `T`'s layout.
        let first = unsafe { &*(first as *const [T]) };
        // SAFETY: as for the first range.
        let second = unsafe { &*(second as *const [T]) };
        (first, second)
    }

    /// The items of the `len` positions from `position` on, as one or two
    /// mutable slices.
    ///
    /// # Safety
    ///
    /// Only the consumer may call this, for filled positions whose filling
    /// it has acquired, and it must hold no other reference to those items
    /// while the slices live.
    #[allow(
        clippy::mut_from_ref,
        reason = "the consumer owns filled slots exclusively"
    )]
    pub(crate) unsafe fn occupied_slices(
        &self,
        position: usize,
        len: usize,
    ) -> (&mut [T], &mut [T]) {
        let (first, second) = self.position_range(position, len);
        self.access_log
            .writing(self.positions.slot(position), first.len());
        self.access_log.writing(0, second.len());
        // SAFETY: the two ranges are in bounds, disjoint, initialized and
        // held exclusively by the caller; `MaybeUninit<T>` has `T`'s layout.
        let first = unsafe { &mut *(first as *mut [T]) };
        // SAFETY: as for the first range.
        let second = unsafe { &mut *(second as *mut [T]) };
        (first, second)
    }
}

impl<T, W> Drop for Shared<T, W> {
    /// Drops the items still in the ring, each exactly once, even if one of
    /// their destructors panics.
    fn drop(&mut self) {
        // Relaxed suffices: the last handle's `Arc` drop synchronized with
        // the other's (the `Arc` count is released and acquired), so both
        // final index stores happen before this point. The atomics, not any
        // handle's cached copy, are the truth here.
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        if !mem::needs_drop::<T>() {
            return;
        }
        let len = self.positions.distance(head, tail);
        // SAFETY: we are the last owner, and `head .. tail` are exactly the
        // filled positions.
        let (first, second) = unsafe { self.occupied_slices(head, len) };
        // Locals drop in reverse order, and the second guard still runs if
        // the first panics. `drop_in_place` on a slice goes on with the
        // remaining elements when one panics, so every item is dropped once.
        let _second = DropSliceOnExit(second);
        let _first = DropSliceOnExit(first);
    }
}

/// Drops a slice of items in place when it goes out of scope.
struct DropSliceOnExit<'a, T>(&'a mut [T]);

impl<T> Drop for DropSliceOnExit<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the slice holds initialized items that nobody uses again:
        // they are the remaining items of a ring being freed.
        unsafe { ptr::drop_in_place(self.0) };
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    extern crate std;

    use super::Shared;

    /// The distance in bytes from `head` to `tail` in a ring's shared block.
    fn index_distance() -> usize {
        let shared = Shared::<u64, ()>::new(4);
        let head = core::ptr::from_ref(&shared.head) as usize;
        let tail = core::ptr::from_ref(&shared.tail) as usize;
        tail - head
    }

    /// The ablation flags this build has, against those the xtask asked
    /// for (`RING_EXPECT_ABLATIONS`, a comma-separated list of the flags'
    /// names; none when unset): a flag lost on the way, or one set where
    /// none was asked for, fails here.
    #[test]
    fn the_build_has_the_ablations_it_was_asked_for() {
        let expected = std::env::var("RING_EXPECT_ABLATIONS").unwrap_or_default();
        let asked = |flag: &str| expected.split(',').any(|name| name == flag);
        assert_eq!(
            cfg!(ring_ablation_unpadded_indices),
            asked("ring_ablation_unpadded_indices")
        );
        assert_eq!(
            cfg!(ring_ablation_uncached_indices),
            asked("ring_ablation_uncached_indices")
        );
    }

    /// The shipped layout: each index on a cache line of its own (at least
    /// 64 bytes apart), unless the unpadded ablation flag is set, which
    /// puts them side by side.
    #[test]
    fn indices_sit_on_lines_of_their_own_unless_the_ablation_says_otherwise() {
        let distance = index_distance();
        if cfg!(ring_ablation_unpadded_indices) {
            assert_eq!(distance, core::mem::size_of::<usize>());
        } else {
            assert!(distance >= 64, "head and tail are {distance} bytes apart");
        }
    }
}
