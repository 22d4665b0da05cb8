//! A slot for the waker of a waiting task that survives wakers whose
//! `clone`, `wake` or `drop` panics.
//!
//! The waiting side registers its task's waker here before it announces
//! itself (see [`handshake`](crate::handshake)); the active side, having
//! taken the announcement, wakes whatever waker the slot holds. A waker is
//! user code: its `clone` may panic while the slot is being written. An
//! atomic waker that is left "being registered" by such a panic ignores
//! every later registration and wakes nobody, so the task hangs for good.
//! This slot runs each piece of user code only where a panic cannot leave
//! it so: the clone inside `catch_unwind`, resumed once the slot is
//! consistent again, and every `wake` and `drop` after the state is
//! restored.
//!
//! # The protocol
//!
//! `state` holds two bits. `REGISTERING` is set by the registering side
//! while it writes the cell, and gives it the cell alone. `WAKING` is set
//! by the waking side: if the cell was free, the waker owns it until it has
//! taken the waker out and clears the bit; if a registration was under way,
//! the bit tells the registering side, when it leaves, to take the waker it
//! just stored and wake it itself. A registration that finds a wake under
//! way wakes its own waker at once: the wake is for it.
//!
//! One side registers and one side wakes (a ring has one waiting side per
//! slot), so neither bit is ever contended by two threads of the same
//! role.

use core::fmt;
use core::task::Waker;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use crate::sync::{AtomicU8, Ordering};

/// Set by the registering side while it owns the cell.
const REGISTERING: u8 = 1;
/// Set by the waking side; see the module's docs.
const WAKING: u8 = 2;

/// The waker of one waiting side, registered and woken from two threads.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::task::{Wake, Waker};
///
/// use ring_core::waker_slot::WakerSlot;
///
/// struct Count(AtomicUsize);
/// impl Wake for Count {
///     fn wake(self: Arc<Self>) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// let count = Arc::new(Count(AtomicUsize::new(0)));
/// let slot = WakerSlot::default();
/// slot.register(&Waker::from(Arc::clone(&count)));
/// slot.wake();
/// slot.wake(); // Taken by the first wake: nothing to wake.
/// assert_eq!(count.0.load(Ordering::Relaxed), 1);
/// ```
pub struct WakerSlot {
    state: AtomicU8,
    waker: Cell,
}

/// The cell, loom's under `cfg(loom)` so that loom checks every access.
#[cfg(not(loom))]
struct Cell(core::cell::UnsafeCell<Option<Waker>>);
#[cfg(loom)]
struct Cell(loom::cell::UnsafeCell<Option<Waker>>);

impl Cell {
    fn new() -> Self {
        #[cfg(not(loom))]
        return Self(core::cell::UnsafeCell::new(None));
        #[cfg(loom)]
        return Self(loom::cell::UnsafeCell::new(None));
    }

    /// Runs `f` on the cell's content.
    ///
    /// # Safety
    ///
    /// The caller owns the cell: it set [`REGISTERING`] on an idle state,
    /// or [`WAKING`] on an idle state, and has not cleared it yet.
    unsafe fn with<R>(&self, f: impl FnOnce(&mut Option<Waker>) -> R) -> R {
        #[cfg(not(loom))]
        // SAFETY: the caller owns the cell, so no other reference exists.
        return f(unsafe { &mut *self.0.get() });
        #[cfg(loom)]
        // SAFETY: as above; loom checks it.
        return self.0.with_mut(|content| f(unsafe { &mut *content }));
    }
}

// SAFETY: the cell is accessed only by the side that owns it through
// `state` (see the module's docs), and `Waker` is `Send + Sync`.
unsafe impl Send for WakerSlot {}
// SAFETY: as above.
unsafe impl Sync for WakerSlot {}

impl Default for WakerSlot {
    fn default() -> Self {
        Self {
            state: AtomicU8::new(0),
            waker: Cell::new(),
        }
    }
}

impl fmt::Debug for WakerSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WakerSlot").finish_non_exhaustive()
    }
}

impl WakerSlot {
    /// Stores `waker` to be woken by the next [`wake`](Self::wake), in place
    /// of the waker stored before. Clones it only if the stored one would
    /// not wake the same task. If a wake is under way, `waker` is woken at
    /// once instead (the wake was meant for this registration).
    ///
    /// If `waker`'s `clone`, or the displaced waker's `drop`, panics, the
    /// panic goes on to the caller, and the slot still works: later
    /// registrations and wakes behave as if this one had not happened (or
    /// had, for a panicking `drop`).
    ///
    /// # Examples
    ///
    /// ```
    /// let slot = ring_core::waker_slot::WakerSlot::default();
    /// slot.register(std::task::Waker::noop());
    /// assert!(slot.take().is_some());
    /// ```
    pub fn register(&self, waker: &Waker) {
        // Acquire: the cell's last content, left by a waker's Release
        // below or by our own earlier registration, is what we see.
        match self
            .state
            .compare_exchange(0, REGISTERING, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {}
            Err(state) => {
                // Only a wake can hold the slot (one side registers): it is
                // taking the previous waker out. The wake is for this
                // registration, so wake the new waker now.
                debug_assert_eq!(state, WAKING, "two registering threads");
                // Under loom, say that this thread waits for another: a
                // blocking waiter woken this way registers again at once,
                // and would otherwise loop while the waker is never
                // scheduled, which loom reports as a spin lock.
                #[cfg(loom)]
                loom::thread::yield_now();
                waker.wake_by_ref();
                return;
            }
        }
        // SAFETY: REGISTERING was set on an idle state, so the cell is ours.
        let stored = catch_unwind(AssertUnwindSafe(|| unsafe {
            self.waker.with(|cell| match cell {
                Some(stored) if stored.will_wake(waker) => None,
                _ => cell.replace(waker.clone()),
            })
        }));
        // Release: the cell's new content is visible to the waker's Acquire
        // of the idle state. Acquire on failure: the waker set WAKING, and
        // we take the waker below.
        let woken =
            match self
                .state
                .compare_exchange(REGISTERING, 0, Ordering::Release, Ordering::Acquire)
            {
                Ok(_) => None,
                Err(state) => {
                    debug_assert_eq!(state, REGISTERING | WAKING);
                    // SAFETY: REGISTERING is still ours; the waker left the cell
                    // to us.
                    let woken = unsafe { self.waker.with(Option::take) };
                    // A read-modify-write, not a plain store: it must come after
                    // the waker's `fetch_or` in the state's modification order
                    // (loom found a lost wake with a store, which its model let
                    // a second wake's `fetch_or` read past). Release: our access
                    // to the cell happens before the next owner's.
                    self.state.swap(0, Ordering::AcqRel);
                    woken
                }
            };
        // The slot is consistent again: user code may run, and panic.
        if let Some(woken) = woken {
            woken.wake();
        }
        match stored {
            Ok(displaced) => drop(displaced),
            Err(panic) => resume_unwind(panic),
        }
    }

    /// Takes the stored waker out, if any and if no registration is under
    /// way (that registration then wakes its waker itself).
    ///
    /// # Examples
    ///
    /// ```
    /// let slot = ring_core::waker_slot::WakerSlot::default();
    /// assert!(slot.take().is_none());
    /// ```
    pub fn take(&self) -> Option<Waker> {
        // AcqRel: Acquire to see the cell as the registering side left it;
        // Release so that a registering side that finds WAKING acquires it.
        match self.state.fetch_or(WAKING, Ordering::AcqRel) {
            0 => {
                // SAFETY: WAKING was set on an idle state, so the cell is
                // ours until we clear it.
                let waker = unsafe { self.waker.with(Option::take) };
                // Release: our access to the cell happens before the next
                // owner's.
                self.state.fetch_and(!WAKING, Ordering::Release);
                waker
            }
            // A registration is under way and will see WAKING; or another
            // wake (a drop racing with a publication) has it.
            _ => None,
        }
    }

    /// Wakes the stored waker, if any; see [`take`](Self::take).
    ///
    /// # Examples
    ///
    /// ```
    /// let slot = ring_core::waker_slot::WakerSlot::default();
    /// slot.wake(); // Nothing stored: nothing happens.
    /// ```
    pub fn wake(&self) {
        if let Some(waker) = self.take() {
            waker.wake();
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use std::task::{RawWaker, RawWakerVTable, Wake};

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn counting() -> (Arc<Count>, Waker) {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        (count, waker)
    }

    /// A waker whose `clone` panics (its `wake` and `drop` do nothing).
    fn clone_panics() -> Waker {
        fn clone(_: *const ()) -> RawWaker {
            panic!("this waker's clone panics");
        }
        fn nothing(_: *const ()) {}
        static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, nothing, nothing, nothing);
        // SAFETY: the vtable's functions ignore the data pointer, which is
        // never dereferenced.
        unsafe { Waker::from_raw(RawWaker::new(core::ptr::null(), &VTABLE)) }
    }

    #[test]
    fn a_waker_whose_clone_panics_does_not_break_the_slot() {
        let slot = WakerSlot::default();
        let panicked = catch_unwind(AssertUnwindSafe(|| slot.register(&clone_panics())));
        assert!(panicked.is_err(), "the clone's panic reaches the caller");
        let (count, waker) = counting();
        slot.register(&waker);
        slot.wake();
        assert_eq!(count.0.load(Ordering::Relaxed), 1, "a later wake was lost");
    }

    #[test]
    fn registering_the_same_waker_again_keeps_it() {
        let slot = WakerSlot::default();
        let (count, waker) = counting();
        slot.register(&waker);
        let references = Arc::strong_count(&count);
        slot.register(&waker);
        assert_eq!(Arc::strong_count(&count), references, "cloned again");
        slot.wake();
        assert_eq!(count.0.load(Ordering::Relaxed), 1);
    }
}
