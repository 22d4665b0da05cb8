//! The waiter's announcement of a Dekker-style wake-up handshake, shared by
//! every flavour that sleeps (parked threads, pending tasks).
//!
//! A side that must wait announces itself, then checks the ring once more;
//! the side that makes progress publishes, then checks for an announcement
//! and wakes the waiter if it finds one. Each side stores one location and
//! then loads the other's, so each needs a store-load barrier between the
//! two, or both could miss each other's store and the waiter would sleep
//! forever. [`WaiterFlag`] places the two halves of an asymmetric fence
//! (see [`fence`]): the heavy half after the announcement,
//! which is the rare path, and the light half before the check, which runs
//! after every push or pop.

use crate::fence::{self, LightFence};
use crate::sync::{AtomicBool, Ordering};

/// One side's announcement that it is waiting, or about to wait, for the
/// other side to move.
///
/// The waiting side stores what wakes it (a thread, a waker) somewhere of
/// its own, calls [`announce`](Self::announce), checks its condition once
/// more, and sleeps only if the condition still does not hold. The other
/// side publishes its change and then calls [`wake_with`](Self::wake_with),
/// which runs the wake-up only if a waiter announced itself.
///
/// # Why no wake-up is lost
///
/// The waiter stores the flag, issues the heavy fence and loads the ring;
/// the active side stores the ring's index (inside ring-core, before the
/// [`WaitState`](crate::WaitState) hook runs), issues the light fence and
/// loads the flag. The fence pair is a store-load barrier on both sides, so
/// at least one of the two loads sees the other side's store: either the
/// waiter sees the change and does not sleep, or the active side sees the
/// flag and wakes the waiter.
///
/// # Examples
///
/// A waiter and a publisher over one shared value; whichever interleaving
/// the threads take, the waiter either sees the value or is woken:
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use ring_core::handshake::WaiterFlag;
///
/// #[derive(Default)]
/// struct Shared {
///     flag: WaiterFlag,
///     value_ready: AtomicBool,
/// }
///
/// let shared = Arc::new(Shared::default());
/// let waiter = {
///     let shared = Arc::clone(&shared);
///     std::thread::spawn(move || loop {
///         let paired = shared.flag.announce();
///         if shared.value_ready.load(Ordering::Acquire) {
///             shared.flag.withdraw();
///             break;
///         }
///         // A real waiter sleeps here until woken (or only briefly, if
///         // `paired` is false); this one just looks again.
///         let _ = paired;
///     })
/// };
/// shared.value_ready.store(true, Ordering::Release);
/// shared.flag.wake_with(|| println!("the waiter announced itself"));
/// waiter.join().unwrap();
/// assert!(!shared.flag.is_announced());
/// ```
#[derive(Debug)]
pub struct WaiterFlag {
    /// Set by the waiter while it sleeps or is about to; cleared by the
    /// side that takes the announcement to wake it, or by the waiter when it
    /// stops waiting.
    waiting: AtomicBool,
    /// The light half, chosen when the flag was made and kept on the line
    /// that [`wake_with`](Self::wake_with) loads anyway. Loading the
    /// process-wide choice (through the GOT, from a line of its own) at
    /// every push and pop instead cost ring-park 5 to 10 percent of its
    /// throughput in the benchmark.
    light: LightFence,
}

impl Default for WaiterFlag {
    fn default() -> Self {
        Self {
            waiting: AtomicBool::new(false),
            light: LightFence::chosen(),
        }
    }
}

impl WaiterFlag {
    /// The waiter's half: announces that it is about to sleep, then issues
    /// the heavy fence. The caller then checks its condition once more and
    /// sleeps only if it still does not hold.
    ///
    /// Returns the heavy fence's verdict (see
    /// [`fence::heavy`]): when it is `false`, the
    /// barrier may not pair with light fences issued just before, and the
    /// waiter must not sleep without a short timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// let paired = flag.announce();
    /// assert!(flag.is_announced());
    /// assert!(paired || !ring_core::fence::is_asymmetric());
    /// ```
    #[must_use = "a `false` means the waiter must not sleep without a timeout"]
    pub fn announce(&self) -> bool {
        // Release: whatever the waiter stored to be woken by (its thread,
        // its waker) is visible to a waker whose Acquire compare-exchange in
        // `wake_with` reads this `true`.
        self.waiting.store(true, Ordering::Release);
        // The waiter's store-load barrier: this store comes before the
        // loads of the caller's re-check, for every thread that issued the
        // light half.
        fence::heavy()
    }

    /// The waiter's way out: it found its condition after all, or woke up,
    /// and is no longer waiting. Wakers stop taking the slow path.
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// let _ = flag.announce();
    /// flag.withdraw();
    /// assert!(!flag.is_announced());
    /// ```
    #[inline]
    pub fn withdraw(&self) {
        // Relaxed: only the waiter sets the flag, so this store cannot
        // cover a newer announcement; a waker that already took the flag
        // merely wakes a waiter that is awake, which every waiter tolerates
        // (wake-ups may be spurious).
        self.waiting.store(false, Ordering::Relaxed);
    }

    /// The active side's half, run after it published a change: if a
    /// waiter announced itself, takes the announcement (so that later
    /// changes do not wake it again before it announces itself anew) and
    /// runs `wake`.
    ///
    /// When nobody waits this costs the light fence (a compiler fence where
    /// `membarrier` is available) and one `Relaxed` load of a cache line
    /// that only a waiting side writes: no read-modify-write, no call.
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// let mut wakes = 0;
    /// flag.wake_with(|| wakes += 1); // Nobody waits.
    /// let _ = flag.announce();
    /// flag.wake_with(|| wakes += 1); // Takes the announcement.
    /// flag.wake_with(|| wakes += 1); // Already taken.
    /// assert_eq!(wakes, 1);
    /// ```
    #[inline(always)]
    pub fn wake_with(&self, wake: impl FnOnce()) {
        self.light.issue();
        // Relaxed: the fence pair orders this load against the waiter's
        // store (see the type's docs); the compare-exchange below acquires
        // what the waking needs.
        if self.waiting.load(Ordering::Relaxed) {
            self.take_and_wake(wake);
        }
    }

    #[cold]
    #[inline(never)]
    fn take_and_wake(&self, wake: impl FnOnce()) {
        // Acquire: pairs with the Release store in `announce`, so what the
        // waiter stored to be woken by is visible to `wake`. A
        // compare-exchange rather than a swap: when the waiter has already
        // withdrawn, nothing is written, so a stale `false` never lands on
        // top of a newer announcement in the flag's modification order.
        if self
            .waiting
            .compare_exchange(true, false, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            wake();
        }
    }

    /// Whether a waiter has announced itself and not yet been taken or
    /// withdrawn; for assertions and debugging, as the answer may be stale
    /// as soon as it is returned.
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// assert!(!flag.is_announced());
    /// ```
    pub fn is_announced(&self) -> bool {
        self.waiting.load(Ordering::Relaxed)
    }
}
