//! The two item types every input runs with.

use std::cell::Cell;

use crate::Flavour;

thread_local! {
    /// How many [`Tracked`] items were dropped on this thread. Counters per
    /// thread (each fuzz input runs on one) rather than a shared `Rc`, so
    /// that an item the ring is allowed to forget would not leak a counter
    /// allocation too.
    static TRACKED_DROPS: Cell<usize> = const { Cell::new(0) };
    /// How many [`Unit`] items were dropped on this thread.
    static UNIT_DROPS: Cell<usize> = const { Cell::new(0) };
}

/// An item type the driver can create from a sequence number and check.
pub trait Item: Sized {
    /// Whether drops of this type are counted (so the driver checks them).
    const COUNTS_DROPS: bool;
    /// Whether writing an item into a chunk slot that is then not committed
    /// is harmless: the ring forgets such slots without dropping them, so an
    /// item owning memory would leak (and LeakSanitizer would say so). The
    /// driver expects such items never to be dropped.
    const MAY_LEAK: bool;

    /// A new item carrying `value`.
    fn new(value: u64) -> Self;
    /// The value the item carries.
    fn value(&self) -> u64;
    /// What [`Item::value`] reports for an item created from `value`:
    /// `value` itself, except for a type with no room to carry it.
    fn carried(value: u64) -> u64 {
        value
    }
    /// Changes the item in place in a way [`Item::value`] shows.
    fn modify(&mut self);
    /// How many items of this type were dropped so far on this thread.
    fn drops() -> usize;
    /// Pushes items carrying `values` with `push_slice` and returns how many
    /// it pushed, or `None` if the type is not `Copy`.
    fn push_slice<F: Flavour>(producer: &mut F::Producer<Self>, values: &[u64]) -> Option<usize>;
    /// Pops up to `count` items with `pop_slice` and returns their values,
    /// or `None` if the type is not `Copy`.
    fn pop_slice<F: Flavour>(consumer: &mut F::Consumer<Self>, count: usize) -> Option<Vec<u64>>;
}

/// The value a modified item carries: the model applies the same change.
pub fn modified(value: u64) -> u64 {
    value ^ (1 << 63)
}

impl Item for u64 {
    const COUNTS_DROPS: bool = false;
    const MAY_LEAK: bool = true;

    fn new(value: u64) -> Self {
        value
    }

    fn value(&self) -> u64 {
        *self
    }

    fn modify(&mut self) {
        *self = modified(*self);
    }

    fn drops() -> usize {
        0
    }

    fn push_slice<F: Flavour>(producer: &mut F::Producer<Self>, values: &[u64]) -> Option<usize> {
        Some(F::push_slice(producer, values))
    }

    fn pop_slice<F: Flavour>(consumer: &mut F::Consumer<Self>, count: usize) -> Option<Vec<u64>> {
        // A marker no pushed value has, to see that the slots after the
        // popped ones are left untouched.
        const UNTOUCHED: u64 = u64::MAX;
        let mut out = vec![UNTOUCHED; count];
        let popped = F::pop_slice(consumer, &mut out);
        assert!(
            out[popped..].iter().all(|&value| value == UNTOUCHED),
            "pop_slice wrote past the items it popped"
        );
        out.truncate(popped);
        Some(out)
    }
}

/// A heap-owning item that counts its drops. The value is stored twice,
/// inline and in the box, and the two must agree whenever it is read: an
/// item read after being freed, or a slot read before being written, shows
/// as a mismatch even without a sanitizer.
#[derive(Debug)]
pub struct Tracked {
    value: u64,
    boxed: Box<u64>,
}

impl Item for Tracked {
    const COUNTS_DROPS: bool = true;
    const MAY_LEAK: bool = false;

    fn new(value: u64) -> Self {
        Self {
            value,
            boxed: Box::new(value),
        }
    }

    fn value(&self) -> u64 {
        assert_eq!(self.value, *self.boxed, "an item's two copies disagree");
        self.value
    }

    fn modify(&mut self) {
        self.value = modified(self.value);
        *self.boxed = modified(*self.boxed);
    }

    fn drops() -> usize {
        TRACKED_DROPS.with(Cell::get)
    }

    fn push_slice<F: Flavour>(_: &mut F::Producer<Self>, _: &[u64]) -> Option<usize> {
        None
    }

    fn pop_slice<F: Flavour>(_: &mut F::Consumer<Self>, _: usize) -> Option<Vec<u64>> {
        None
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        TRACKED_DROPS.with(|drops| drops.set(drops.get() + 1));
    }
}

/// A zero-sized item that counts its drops. It carries no value, so the
/// driver checks only how many there are and how many were dropped.
#[derive(Debug)]
pub struct Unit;

impl Item for Unit {
    const COUNTS_DROPS: bool = true;
    // Forgetting a zero-sized item leaks nothing, so the driver also writes
    // chunk slots it does not commit, and expects them never to be dropped.
    const MAY_LEAK: bool = true;

    fn new(_: u64) -> Self {
        Self
    }

    fn value(&self) -> u64 {
        0
    }

    fn carried(_: u64) -> u64 {
        0
    }

    fn modify(&mut self) {}

    fn drops() -> usize {
        UNIT_DROPS.with(Cell::get)
    }

    fn push_slice<F: Flavour>(_: &mut F::Producer<Self>, _: &[u64]) -> Option<usize> {
        None
    }

    fn pop_slice<F: Flavour>(_: &mut F::Consumer<Self>, _: usize) -> Option<Vec<u64>> {
        None
    }
}

impl Drop for Unit {
    fn drop(&mut self) {
        UNIT_DROPS.with(|drops| drops.set(drops.get() + 1));
    }
}
