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
use crate::sync::{AtomicU8, Ordering};

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
/// # After a failed `membarrier`
///
/// A flag made while `membarrier` worked has a compiler fence for its light
/// half, which nothing pairs with once a `membarrier` call has failed (see
/// [`fence`]). The first announcement that finds the heavy half failing
/// switches the flag to full fences on both sides, for good: it sets a
/// mark that sends every waker to the slow path, where it issues a full
/// fence and loads the flag again (as in the symmetric mode, see
/// [`announce_for_long_wait`](Self::announce_for_long_wait)). The waiter
/// cannot know when the waker first looks at the flag after the switch,
/// and until then a waker may still look without a fence; so a waker that
/// sees the mark acknowledges it, and announcements return `false` (the
/// waiter naps and looks again) until the waiter sees the acknowledgement.
/// From then on every look of the waker comes after it saw the mark
/// (coherence: the mark is never cleared), so it fences; and every
/// publication before the acknowledgement is visible to the waiter, which
/// read the acknowledgement's `Release` with `Acquire`.
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
    /// [`WAITING`] while the waiter sleeps or is about to; cleared by the
    /// side that takes the announcement to wake it, or by the waiter when
    /// it stops waiting. [`FENCED`] while the waiter relies on the
    /// symmetric mode. Only the waiter sets either bit.
    state: AtomicU8,
    /// How many publications the wakers fenced in the symmetric mode since
    /// they last woke the waiter (see [`RELAX_ASKED`]). A hint, never used
    /// for correctness, so a plain atomic even under loom, and `Relaxed`.
    fenced_publications: core::sync::atomic::AtomicU32,
    /// The light half, chosen when the flag was made and kept on the line
    /// that [`wake_with`](Self::wake_with) loads anyway. Loading the
    /// process-wide choice (through the GOT, from a line of its own) at
    /// every push and pop instead cost ring-park 5 to 10 percent of its
    /// throughput in the benchmark.
    light: LightFence,
}

/// A waiter announced itself and has not been taken or withdrawn.
const WAITING: u8 = 1;
/// The symmetric mode: the waiter asks every waker to issue a full fence
/// between its publication and its look at the flag, and pairs with that
/// by a full fence of its own instead of the heavy half. Set and cleared
/// only by the waiter, and relied on only after a heavy fence that came
/// after it was set (see [`WaiterFlag::announce_for_long_wait`]).
const FENCED: u8 = 2;
/// The wakers ask the waiter to end the symmetric mode: they fenced
/// [`BUSY_PUBLICATIONS`] publications while it was awake, so the stream is
/// busy, and a fence on each of them costs more than the `membarrier` call
/// of the next wait saves. Set by a waker, cleared by the waiter's next
/// plain announcement or [`WaiterFlag::relax`].
const RELAX_ASKED: u8 = 4;

/// The flag uses full fences on both sides, for good: its light half is a
/// compiler fence, and a `membarrier` call failed (see the type's docs).
/// Set only by the waiter, never cleared.
const FULL_FENCES: u8 = 8;
/// A waker saw [`FULL_FENCES`]: every later look of the waker fences.
/// Set by a waker; one of the waiter's plain stores may undo it, and the
/// waker then sets it again at its next publication.
const FULL_FENCES_SEEN: u8 = 16;
/// A waker took the announcement to wake the waiter, and the waiter has
/// neither withdrawn nor announced itself since: it is on its way. Set by
/// the waker's compare-exchange that takes [`WAITING`], cleared by the
/// waiter's next store (its [`withdraw`](WaiterFlag::withdraw), its next
/// announcement), which comes after that compare-exchange in the flag's
/// modification order whenever the compare-exchange succeeded, so the
/// mark outlives the wait only for a waiter that neither withdraws nor
/// waits again (ring-async's task that finds its item on the first poll
/// after the wake; ring-async does not read the mark). A hint, never used
/// for correctness (see [`WaiterFlag::is_being_woken`]); publications that
/// find it alone do nothing more.
const WOKEN: u8 = 32;
/// The bits that describe the flag's fences rather than a wait, which every
/// store of the waiter keeps.
const FENCE_BITS: u8 = FULL_FENCES | FULL_FENCES_SEEN;

/// After how many fenced publications without a wake-up the wakers ask the
/// waiter to end the symmetric mode. A fence costs a few tens of
/// nanoseconds and a `membarrier` call from a few hundred to a few thousand;
/// a paced stream publishes one or two items per wake-up, a busy one
/// hundreds. Two under loom, so that its models reach the request. A
/// flavour that chooses the symmetric mode for sides taking turns uses it
/// as the longest run such sides make between two waits, so that their
/// wakers never ask to end the mode.
///
/// # Examples
///
/// ```
/// assert!(ring_core::handshake::BUSY_PUBLICATIONS >= 2);
/// ```
pub const BUSY_PUBLICATIONS: u32 = if cfg!(loom) { 2 } else { 32 };

impl Default for WaiterFlag {
    fn default() -> Self {
        Self {
            state: AtomicU8::new(0),
            fenced_publications: core::sync::atomic::AtomicU32::new(0),
            light: LightFence::chosen(),
        }
    }
}

impl WaiterFlag {
    /// The waiter's half: announces that it is about to sleep, then issues
    /// the heavy fence. The caller then checks its condition once more and
    /// sleeps only if it still does not hold.
    ///
    /// This also ends the symmetric mode (see
    /// [`announce_for_long_wait`](Self::announce_for_long_wait)), so that
    /// wakers stop fencing: a waiter whose waits are short, because the
    /// other side is busy, calls this one.
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
        // Acquire: a waker's acknowledgement of full fences (see the type's
        // docs) makes its earlier publications visible to the re-check.
        // Only the waiter sets the other bits, so it reads its own writes.
        let state = self.state.load(Ordering::Acquire);
        if state & FULL_FENCES != 0 {
            return self.announce_with_full_fences(state);
        }
        // Release: whatever the waiter stored to be woken by (its thread,
        // its waker) is visible to a waker whose Acquire compare-exchange in
        // `wake_with` reads this announcement.
        self.state.store(WAITING, Ordering::Release);
        // The waiter's store-load barrier: this store comes before the
        // loads of the caller's re-check, for every thread that issued the
        // light half.
        if fence::heavy_pairing_with(self.light) {
            return true;
        }
        self.switch_to_full_fences();
        false
    }

    /// After a heavy half that does not pair with this flag's light half
    /// (a failed `membarrier`): marks the flag as using full fences on both
    /// sides from now on (see the type's docs), and fences.
    #[cold]
    fn switch_to_full_fences(&self) {
        // Release: as in `announce`; the store keeps the announcement.
        self.state.store(WAITING | FULL_FENCES, Ordering::Release);
        fence::full();
    }

    /// An announcement once the flag uses full fences: a full fence after
    /// the store, which pairs with the wakers' once one has acknowledged
    /// the switch. Returns whether one has.
    #[cold]
    fn announce_with_full_fences(&self, state: u8) -> bool {
        // Release: as in `announce`.
        self.state
            .store(WAITING | (state & FENCE_BITS), Ordering::Release);
        fence::full();
        state & FULL_FENCES_SEEN != 0
    }

    /// The waiter's half for a waiter that expects to sleep for long, and
    /// often (a consumer fed at a paced rate): like
    /// [`announce`](Self::announce), but in the symmetric mode, which
    /// replaces the heavy fence (a `membarrier` system call, which also
    /// interrupts every core that runs the other side) by a plain full
    /// fence. The price is paid by the wakers: while the mode lasts, every
    /// publication of the other side issues a full fence and loads the flag
    /// again, which a stream whose waiter sleeps often does not notice.
    ///
    /// The first announcement in the mode sets the mode's mark and then
    /// issues the heavy fence, which makes every waker's later look at the
    /// flag see the mode; only the announcements after it rely on the
    /// wakers' fences. If that heavy fence failed, the mode is dropped again.
    /// [`announce`](Self::announce) or [`relax`](Self::relax) end it.
    ///
    /// # Why no wake-up is lost
    ///
    /// A waker that finds the mode's mark issues a full fence and loads the
    /// flag again; with the waiter's full fence after its store, that is
    /// Dekker's pattern with a store-load barrier on both sides. A waker
    /// that does not find the mode's mark (where the waiter already relies
    /// on it) loaded the flag before the heavy fence that established the
    /// mode: its publication came before that load, so the heavy fence
    /// made it visible before the establishing announcement's re-check,
    /// and so before this one's.
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// let paired = flag.announce_for_long_wait(); // Establishes the mode.
    /// flag.withdraw();
    /// assert!(flag.is_fenced() || !paired);
    /// assert!(flag.announce_for_long_wait()); // A full fence only.
    /// flag.withdraw();
    /// flag.relax();
    /// assert!(!flag.is_fenced());
    /// ```
    #[must_use = "a `false` means the waiter must not sleep without a timeout"]
    pub fn announce_for_long_wait(&self) -> bool {
        // Acquire: as in `announce`. Only this waiter writes the FENCED
        // bit, so it reads its own latest write.
        let state = self.state.load(Ordering::Acquire);
        if state & FULL_FENCES != 0 {
            return self.announce_with_full_fences(state);
        }
        let established = state & FENCED != 0;
        // Release: as in `announce`.
        self.state.store(WAITING | FENCED, Ordering::Release);
        if established {
            fence::full();
            return true;
        }
        // Relaxed: a hint (see the field); a fresh mode starts counting.
        self.fenced_publications.store(0, Ordering::Relaxed);
        if fence::heavy_pairing_with(self.light) {
            return true;
        }
        // The mode was not established: wakers may still look without
        // fencing. Full fences on both sides take its place for good.
        self.switch_to_full_fences();
        false
    }

    /// The waiter's way out: it found its condition after all, or woke up,
    /// and is no longer waiting. Wakers stop taking the slow path (unless
    /// the symmetric mode lasts).
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
        // The store is Relaxed: only the waiter sets the flag, so this
        // store cannot cover a newer announcement, and it keeps the
        // waiter's own mode bits; a waker that already took the
        // announcement merely wakes a waiter that is awake, which every
        // waiter tolerates (wake-ups may be spurious). The load is Acquire:
        // it may be the waiter's first sight of a waker's acknowledgement
        // of full fences, which the store copies for later announcements to
        // rely on (see the type's docs).
        let mode = self.state.load(Ordering::Acquire) & (FENCED | RELAX_ASKED | FENCE_BITS);
        self.state.store(mode, Ordering::Relaxed);
    }

    /// Ends the symmetric mode while the waiter is not waiting, so that
    /// the wakers' publications are plain again: a waiter whose waits have
    /// become short calls it. Costs one load when the mode is off.
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// let _ = flag.announce_for_long_wait();
    /// flag.withdraw();
    /// flag.relax();
    /// assert!(!flag.is_fenced());
    /// ```
    #[inline]
    pub fn relax(&self) {
        // Relaxed: only the waiter writes the mode; a waker that still
        // sees it merely fences once too often. The symmetric mode is never
        // on together with full fences (the switch ends it), so no fence
        // bit is lost.
        let state = self.state.load(Ordering::Relaxed);
        if state & FENCED != 0 {
            self.state.store(state & WAITING, Ordering::Relaxed);
        }
    }

    /// The active side's half, run after it published a change: if a
    /// waiter announced itself, takes the announcement (so that later
    /// changes do not wake it again before it announces itself anew) and
    /// runs `wake`.
    ///
    /// When nobody waits this costs the light fence (a compiler fence where
    /// `membarrier` is available) and one `Relaxed` load of a cache line
    /// that only a waiting side writes: no read-modify-write, no call.
    /// While the waiter is in the symmetric mode, it also costs a full
    /// fence and a second load, out of line.
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
        // [`WOKEN`] alone needs nothing done: the waiter was woken already.
        let state = self.state.load(Ordering::Relaxed);
        if state & !WOKEN != 0 {
            self.take_and_wake(state, wake);
        }
    }

    #[cold]
    #[inline(never)]
    fn take_and_wake(&self, mut state: u8, wake: impl FnOnce()) {
        if state & (FENCED | FULL_FENCES) != 0 {
            // The symmetric mode, or full fences for good: this fence pairs
            // with the waiter's full fence (see `announce_for_long_wait`
            // and the type's docs), and the load after it sees an
            // announcement that the one before may have missed.
            fence::full();
            // Relaxed: ordered by the fence pair, as in `wake_with`.
            state = self.state.load(Ordering::Relaxed);
            if state & (FULL_FENCES | FULL_FENCES_SEEN) == FULL_FENCES {
                // Release: this side's publications so far are visible to
                // the waiter that reads the acknowledgement (see the
                // type's docs). An RMW, so that it never undoes the
                // waiter's stores.
                state = self.state.fetch_or(FULL_FENCES_SEEN, Ordering::Release) | FULL_FENCES_SEEN;
            }
            if state & WAITING == 0 {
                if state & FENCED != 0 {
                    self.count_fenced_publication(state);
                }
                return;
            }
            // Relaxed: a hint (see the field).
            self.fenced_publications.store(0, Ordering::Relaxed);
        }
        if state & WAITING == 0 {
            return;
        }
        // Acquire: pairs with the Release store of the announcement, so
        // what the waiter stored to be woken by is visible to `wake`. A
        // compare-exchange rather than a store: when the waiter has
        // already withdrawn, nothing is written, so a stale value never
        // lands on top of a newer announcement in the flag's modification
        // order. A failure means the waiter withdrew (it is awake) or
        // announced itself anew after this side's publication, when its
        // re-check sees that publication: either way no wake-up is owed.
        // The same write marks the waiter as being woken (see [`WOKEN`]).
        if self
            .state
            .compare_exchange(
                state,
                (state & !WAITING) | WOKEN,
                Ordering::Acquire,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            wake();
        }
    }

    /// Counts a publication fenced while the waiter was awake in the
    /// symmetric mode, and asks the waiter to end the mode once the stream
    /// looks busy (see [`RELAX_ASKED`]).
    fn count_fenced_publication(&self, state: u8) {
        // Relaxed: a hint (see the field).
        let count = self.fenced_publications.load(Ordering::Relaxed) + 1;
        self.fenced_publications.store(count, Ordering::Relaxed);
        if count >= BUSY_PUBLICATIONS && state & RELAX_ASKED == 0 {
            // Relaxed: a request, not a publication; the waiter acts on it
            // at its next announcement, and until then this side keeps
            // fencing. An RMW, so that it never undoes the waiter's stores;
            // one of the waiter's plain stores may undo it, and this side
            // then asks again.
            self.state.fetch_or(RELAX_ASKED, Ordering::Relaxed);
        }
    }

    /// Whether the wakers asked the waiter to end the symmetric mode: they
    /// fenced many publications while it was awake, so the stream is busy
    /// and the mode costs more than it saves. A waiter that sees it
    /// announces itself with [`announce`](Self::announce), which ends the
    /// mode and the request.
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// assert!(flag.announce_for_long_wait()); // Establishes the mode.
    /// flag.withdraw();
    /// for _ in 0..100 {
    ///     flag.wake_with(|| unreachable!("nobody waits")); // A busy stream.
    /// }
    /// assert!(flag.relax_requested());
    /// let _ = flag.announce();
    /// assert!(!flag.relax_requested() && !flag.is_fenced());
    /// # flag.withdraw();
    /// ```
    pub fn relax_requested(&self) -> bool {
        self.state.load(Ordering::Relaxed) & RELAX_ASKED != 0
    }

    /// Whether a waker took the waiter's announcement and woke it, and the
    /// waiter has not withdrawn since: it was asleep and is on its way. A
    /// hint: the side that woke it and must now wait itself can expect it
    /// to act within a wake-up's latency, and spin rather than sleep too
    /// (see [`Spinner::spin_while_peer_wakes`](crate::spin::Spinner::spin_while_peer_wakes)).
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::handshake::WaiterFlag;
    ///
    /// let flag = WaiterFlag::default();
    /// let _paired = flag.announce();
    /// flag.wake_with(|| {}); // The waker takes the announcement.
    /// assert!(flag.is_being_woken());
    /// flag.withdraw(); // The waiter runs again.
    /// assert!(!flag.is_being_woken());
    /// ```
    pub fn is_being_woken(&self) -> bool {
        // Relaxed: a hint (see `WOKEN`), never relied on for a wake-up.
        self.state.load(Ordering::Relaxed) & WOKEN != 0
    }

    /// Whether a waiter has announced itself and not yet been taken or
    /// withdrawn. To anyone but the waiter, the answer may be stale as soon
    /// as it is returned; the waiter itself learns from it whether its
    /// announcement may still stand (a `true` may miss that a waker has
    /// just taken it, and then that waker wakes it).
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// assert!(!flag.is_announced());
    /// ```
    pub fn is_announced(&self) -> bool {
        self.state.load(Ordering::Relaxed) & WAITING != 0
    }

    /// Whether the waiter is in the symmetric mode (see
    /// [`announce_for_long_wait`](Self::announce_for_long_wait)); for
    /// assertions and debugging, like [`is_announced`](Self::is_announced).
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// assert!(!flag.is_fenced());
    /// ```
    pub fn is_fenced(&self) -> bool {
        self.state.load(Ordering::Relaxed) & FENCED != 0
    }

    /// Whether the flag uses full fences on both sides for good, because a
    /// `membarrier` call failed after its light half was chosen (see the
    /// type's docs); for assertions and debugging, like
    /// [`is_announced`](Self::is_announced).
    ///
    /// # Examples
    ///
    /// ```
    /// let flag = ring_core::handshake::WaiterFlag::default();
    /// let paired = flag.announce();
    /// assert_eq!(flag.uses_full_fences(), !paired);
    /// # flag.withdraw();
    /// ```
    pub fn uses_full_fences(&self) -> bool {
        self.state.load(Ordering::Relaxed) & FULL_FENCES != 0
    }

    /// A flag whose light half is a compiler fence that nothing pairs with,
    /// as after a failed `membarrier`: for loom models of the switch to
    /// full fences. Exists only under `--cfg loom`.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn after_failed_membarrier() -> Self {
        Self {
            light: LightFence::after_failed_membarrier(),
            ..Self::default()
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn only_a_wake_up_marks_the_waiter_as_being_woken_and_its_withdrawal_clears_it() {
        let flag = WaiterFlag::default();
        // A publication with nobody waiting wakes nobody.
        flag.wake_with(|| panic!("nobody waits"));
        assert!(!flag.is_being_woken());
        for long_wait in [false, true] {
            let _paired = if long_wait {
                flag.announce_for_long_wait()
            } else {
                flag.announce()
            };
            // Announced, not yet taken: asleep, not on its way.
            assert!(!flag.is_being_woken());
            let mut woken = 0;
            flag.wake_with(|| woken += 1);
            assert_eq!(woken, 1);
            assert!(flag.is_being_woken());
            // Later publications find no announcement and change nothing.
            flag.wake_with(|| woken += 1);
            assert_eq!(woken, 1);
            assert!(flag.is_being_woken());
            flag.withdraw();
            assert!(!flag.is_being_woken());
        }
    }
}
