//! The synchronization primitives the ring is built on, swapped for loom's
//! model-checked versions under `cfg(loom)`.
//!
//! Every atomic, every `Arc` and every slot access of the crate goes through
//! this module, so that `RUSTFLAGS="--cfg loom"` checks the whole protocol
//! and nothing escapes the model.

#[cfg(not(loom))]
pub(crate) use alloc::sync::Arc;
#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

#[cfg(loom)]
pub(crate) use loom::sync::Arc;
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// Records, for loom, which slots each side reads and writes.
///
/// The slots themselves are plain `UnsafeCell`s, because the chunk API hands
/// out contiguous slices of them and loom's cells cannot form a slice. Under
/// loom every slot gets a shadow `loom::cell::UnsafeCell<()>` that is touched
/// at each access, so loom still proves that every read of a slot happens
/// after the write that filled it and every write after the read that emptied
/// it. Outside loom this type is empty and its methods compile to nothing.
pub(crate) struct SlotAccessLog {
    #[cfg(loom)]
    shadows: alloc::boxed::Box<[loom::cell::UnsafeCell<()>]>,
}

impl SlotAccessLog {
    pub(crate) fn new(slot_count: usize) -> Self {
        #[cfg(not(loom))]
        let _ = slot_count;
        Self {
            #[cfg(loom)]
            shadows: (0..slot_count)
                .map(|_| loom::cell::UnsafeCell::new(()))
                .collect(),
        }
    }

    /// Tells loom that `len` slots from `first_slot` on are about to be read.
    #[inline(always)]
    pub(crate) fn reading(&self, first_slot: usize, len: usize) {
        #[cfg(loom)]
        for shadow in &self.shadows[first_slot..first_slot + len] {
            shadow.with(|_| ());
        }
        #[cfg(not(loom))]
        let _ = (first_slot, len);
    }

    /// Tells loom that `len` slots from `first_slot` on are about to be written.
    #[inline(always)]
    pub(crate) fn writing(&self, first_slot: usize, len: usize) {
        #[cfg(loom)]
        for shadow in &self.shadows[first_slot..first_slot + len] {
            shadow.with_mut(|_| ());
        }
        #[cfg(not(loom))]
        let _ = (first_slot, len);
    }
}
