//! The wake-up protocol: how a pending task is woken without a lost
//! wake-up, and without a cost on the hot path while nobody waits.
//!
//! # The protocol
//!
//! Each side has a [`TaskSlot`]. A side that finds the ring empty (the
//! consumer) or full (the producer) runs [`TaskSlot::register`]:
//!
//! 1. It registers the waker of its task in the slot's `WakerSlot`
//!    (ring-core's, which clones the waker only when it differs from the
//!    one stored, so a task polled again with the same waker pays no clone,
//!    and which keeps working after a waker whose `clone` panicked).
//! 2. It announces itself on the slot's [`WaiterFlag`]: a `Release` store,
//!    then the heavy half of ring-core's asymmetric fence.
//! 3. Its caller checks the ring and the other side's drop again. If either
//!    changed it withdraws the announcement and returns `Ready`; otherwise
//!    it returns `Pending`.
//!
//! The other side publishes first (the index store, or the disconnection
//! flag, inside ring-core), then the `WaitState` hook runs
//! [`WaiterFlag::wake_with`]: the light fence and a `Relaxed` load of the
//! flag. Only when a waiter announced itself does it take the announcement
//! (a compare-exchange, `Acquire`) and wake the registered waker.
//!
//! # Why no wake-up is lost
//!
//! The announcement and the re-check are one side of a Dekker handshake,
//! the publication and the flag load the other; the fence pair is a
//! store-load barrier on both sides, so at least one side sees the other's
//! store (ring-core's `handshake` and `fence` modules give the argument).
//! If the waiter sees the change it returns `Ready`. If the active side
//! sees the flag, it wakes the waker registered in step 1, which came
//! before the `Release` store that its `Acquire` compare-exchange read.
//! A task polled again with another waker registers the new one before it
//! announces itself anew, so the latest waker is the one woken:
//! `WakerSlot` hands a wake that races with a registration to the waker
//! being registered.
//!
//! # The hot path
//!
//! While the other side is not waiting, a push or pop adds a compiler fence
//! (on Linux, see ring-core's `fence`) and one `Relaxed` load of a cache
//! line that only a registering side writes: no read-modify-write on a
//! line the other side uses, and no waker clone.

use std::task::Waker;

use ring_core::WaitState;
use ring_core::handshake::WaiterFlag;
use ring_core::spin::Spinner;

use std::sync::atomic::Ordering;

use ring_core::waker_slot::WakerSlot;

/// One side's slot: its announcement and the waker to wake.
#[derive(Debug, Default)]
pub(crate) struct TaskSlot {
    announcement: WaiterFlag,
    waker: WakerSlot,
    /// A mark of the thread on which this side last had to wait or last
    /// woke the other side (see [`current_thread_mark`]), or 0 before
    /// either. Only a hint for whether spinning can help, never for
    /// correctness, so it is a plain atomic even under loom, and `Relaxed`.
    seen_on: std::sync::atomic::AtomicUsize,
}

/// A number that tells the current thread from every other thread alive:
/// the address of a thread-local byte. (A finished thread's number may be
/// reused, which only costs a heuristic its accuracy.)
fn current_thread_mark() -> usize {
    std::thread_local! {
        static MARK: u8 = const { 0 };
    }
    MARK.with(|mark| std::ptr::from_ref(mark).addr())
}

impl TaskSlot {
    /// Records that this side is about to wait on the current thread, and
    /// tells whether the other side (`peer`) was last seen (waiting, or
    /// waking this side) on this thread too. If it was, the two sides
    /// probably take turns on one thread (a current-thread runtime, or two
    /// tasks that met on one worker), and spinning for the peer would only
    /// delay it.
    pub(crate) fn shares_thread_with(&self, peer: &TaskSlot) -> bool {
        let current = self.note_current_thread();
        // Relaxed: a hint.
        peer.seen_on.load(Ordering::Relaxed) == current
    }

    /// Whether this side was last seen (waiting, or waking the other side)
    /// on the current thread, without recording anything: a hint, as in
    /// [`shares_thread_with`](Self::shares_thread_with).
    pub(crate) fn last_seen_on_this_thread(&self) -> bool {
        // Relaxed: a hint.
        self.seen_on.load(Ordering::Relaxed) == current_thread_mark()
    }

    /// Records the current thread as the one this side was last seen on,
    /// and returns its mark.
    fn note_current_thread(&self) -> usize {
        let current = current_thread_mark();
        // Relaxed: a hint. Stored only when it changes, so that a side that
        // keeps waiting on one thread does not keep writing the cache line
        // the other side reads on every push or pop.
        if self.seen_on.load(Ordering::Relaxed) != current {
            self.seen_on.store(current, Ordering::Relaxed);
        }
        current
    }

    /// Registers `waker` and announces the waiting side; the caller then
    /// checks its condition once more and returns `Pending` only if it still
    /// does not hold, calling [`withdraw`](Self::withdraw) otherwise.
    ///
    /// Returns `false` when the heavy fence could not vouch for the other
    /// side (a failing `membarrier`): the caller must then not rely on being
    /// woken, and asks to be polled again instead.
    ///
    /// `spinner` chooses how to announce (see
    /// [`Spinner::announce`]): in the handshake's symmetric mode while this
    /// side's spins keep missing, which spares each wait the `membarrier`
    /// call.
    pub(crate) fn register(&self, waker: &Waker, spinner: &mut Spinner) -> bool {
        self.waker.register(waker);
        spinner.announce(&self.announcement)
    }

    /// Registers `waker` and announces the waiting side in the handshake's
    /// symmetric mode (see [`WaiterFlag::announce_for_long_wait`]), whatever
    /// this side's spins did: for a wait whose other side runs on the same
    /// thread and wakes it after a publication or two, where a full fence on
    /// each side costs far less than the `membarrier` call of a plain
    /// announcement. Returns what [`register`](Self::register) returns.
    pub(crate) fn register_in_turn(&self, waker: &Waker) -> bool {
        self.waker.register(waker);
        self.announcement.announce_for_long_wait()
    }

    /// Ends the symmetric mode unless this side's announcement stands (a
    /// standing announcement made in that mode relies on the wakers'
    /// fences): for a side that waits without announcing, whose other
    /// side's publications need not fence.
    pub(crate) fn relax_unless_announced(&self) {
        if !self.announcement.is_announced() {
            self.announcement.relax();
        }
    }

    /// Registers `waker` without announcing: for a poll again while this
    /// side's announcement stands. Clones the waker only if it differs
    /// from the one registered.
    pub(crate) fn register_waker(&self, waker: &Waker) {
        self.waker.register(waker);
    }

    /// This side's waits have become short (a spin caught the other side):
    /// ends the symmetric mode, so that the other side's publications are
    /// plain again.
    pub(crate) fn relax(&self) {
        self.announcement.relax();
    }

    /// Whether this side's announcement stands: made and neither taken by
    /// the other side nor withdrawn. Only this side announces, so a `true`
    /// may be stale only in that the other side has just taken it.
    pub(crate) fn is_announced(&self) -> bool {
        self.announcement.is_announced()
    }

    /// The waiting side no longer waits: it found its condition.
    pub(crate) fn withdraw(&self) {
        self.announcement.withdraw();
    }

    /// The active side's half, after it published: wakes the waiting side
    /// if it announced itself. `waking` is the active side's own slot,
    /// where the waking thread is noted for the waiter's spin heuristic:
    /// a side that only ever wakes is otherwise never seen anywhere.
    #[inline(always)]
    pub(crate) fn wake(&self, waking: &TaskSlot) {
        self.announcement.wake_with(|| {
            waking.note_current_thread();
            self.waker.wake();
        });
    }

    /// Drops the registered waker, if any: a handle being dropped will never
    /// need it, and a waker kept in the ring could keep its task alive.
    pub(crate) fn forget(&self) {
        drop(self.waker.take());
    }
}

/// The waiting state of an async ring, which ring-core keeps beside the
/// indices: one task slot per side, each on cache lines of its own, since
/// each is written by its own side when it registers and read by the other
/// side on every push or pop.
///
/// Users never need to name it; it appears in the types of the chunk
/// aliases.
///
/// # Examples
///
/// ```
/// let (mut producer, _consumer) = ring_async::channel::<u8>(2);
/// let chunk: ring_core::WriteChunkUninit<'_, u8, ring_async::AsyncState> =
///     producer.write_chunk_uninit(2);
/// assert_eq!(chunk.len(), 2);
/// ```
#[derive(Debug, Default)]
pub struct AsyncState {
    pub(crate) consumer: crossbeam_utils::CachePadded<TaskSlot>,
    pub(crate) producer: crossbeam_utils::CachePadded<TaskSlot>,
}

impl WaitState for AsyncState {
    #[inline(always)]
    fn after_push(&self) {
        self.consumer.wake(&self.producer);
    }

    #[inline(always)]
    fn after_pop(&self) {
        self.producer.wake(&self.consumer);
    }
}
