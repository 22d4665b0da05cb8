//! The raw slot storage: one allocation of `capacity` slots, aligned to and
//! rounded up to whole `CachePadded` units (128 bytes on x86-64 and
//! aarch64), so that no other heap allocation shares a cache line with a
//! slot (rigtorp's slot padding, without wasted slots at the ends).

use alloc::alloc::{alloc, dealloc, handle_alloc_error};
use core::alloc::Layout;
use core::mem::{self, MaybeUninit};
use core::ptr::{self, NonNull};

use crossbeam_utils::CachePadded;

use crate::positions::MAX_CAPACITY;

/// The unit of false sharing the storage is aligned to: `CachePadded`'s
/// alignment (128 bytes on x86-64 and aarch64, covering the adjacent-line
/// prefetcher; 32 to 256 elsewhere, as crossbeam chose per platform).
const LINE: usize = mem::align_of::<CachePadded<u8>>();

/// `capacity` slots of possibly uninitialized `T`s. It never drops the
/// items: which slots hold one is the index protocol's business.
pub(crate) struct SlotStorage<T> {
    /// The first slot. Dangling (but aligned) when nothing was allocated:
    /// for zero-sized `T`.
    first: NonNull<MaybeUninit<T>>,
    /// The allocation's layout; size 0 when nothing was allocated.
    layout: Layout,
}

/// The layout of the storage for `capacity` `T`s, or `None` if it overflows
/// `isize::MAX` bytes.
fn layout_for<T>(capacity: usize) -> Option<Layout> {
    let array = Layout::array::<T>(capacity).ok()?;
    if array.size() == 0 {
        return Some(array);
    }
    Some(array.align_to(LINE).ok()?.pad_to_align())
}

/// The largest capacity for which [`SlotStorage::new`] does not panic.
pub(crate) fn max_capacity<T>() -> usize {
    match mem::size_of::<T>() {
        0 => MAX_CAPACITY,
        // The size rounded up to a whole `LINE` must stay within
        // `isize::MAX`: at most the largest multiple of `LINE` below it.
        item_size => ((isize::MAX as usize / LINE * LINE) / item_size).min(MAX_CAPACITY),
    }
}

impl<T> SlotStorage<T> {
    /// Allocates `capacity` uninitialized slots.
    ///
    /// # Panics
    ///
    /// If the size in bytes overflows `isize::MAX`; aborts through
    /// `handle_alloc_error` if the allocator fails.
    pub(crate) fn new(capacity: usize) -> Self {
        let layout = layout_for::<T>(capacity).unwrap_or_else(|| {
            panic!(
                "ring capacity {capacity} is too large: {capacity} items of {} bytes \
                 overflow the largest allocation (isize::MAX bytes)",
                mem::size_of::<T>()
            )
        });
        let first = if layout.size() == 0 {
            NonNull::dangling()
        } else {
            // SAFETY: the layout has a non-zero size, as `alloc` requires.
            let raw = unsafe { alloc(layout) };
            match NonNull::new(raw.cast::<MaybeUninit<T>>()) {
                Some(first) => first,
                None => handle_alloc_error(layout),
            }
        };
        Self { first, layout }
    }

    /// The one place that turns a slot number into a pointer: `len` slots
    /// from `first_slot` on, as a raw slice.
    ///
    /// The arithmetic is safe (`wrapping_add` cannot cause undefined
    /// behaviour by itself); callers' `unsafe` blocks rely on the range
    /// being inside the storage, which the index protocol guarantees and the
    /// `debug_assert` checks.
    #[inline(always)]
    pub(crate) fn slots(&self, first_slot: usize, len: usize) -> *mut [MaybeUninit<T>] {
        debug_assert!(
            mem::size_of::<T>() == 0
                || (first_slot + len) * mem::size_of::<T>() <= self.layout.size()
        );
        ptr::slice_from_raw_parts_mut(self.first.as_ptr().wrapping_add(first_slot), len)
    }

    /// One slot, as a raw pointer.
    #[inline(always)]
    pub(crate) fn slot(&self, slot: usize) -> *mut MaybeUninit<T> {
        self.slots(slot, 1).cast()
    }
}

impl<T> Drop for SlotStorage<T> {
    fn drop(&mut self) {
        if self.layout.size() != 0 {
            // SAFETY: `first` came from `alloc` with this very layout, and is
            // freed once, here.
            unsafe { dealloc(self.first.as_ptr().cast(), self.layout) };
        }
    }
}
