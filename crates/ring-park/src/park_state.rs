//! The parking handshake: how a waiting side sleeps without ever missing
//! the other side's move.
//!
//! # The handshake
//!
//! Each side has a [`Parker`]. A side that must wait (the consumer on an
//! empty ring, the producer on a full one) runs [`Parker::wait`]:
//!
//! 1. It stores its current thread in the parker unless it is the thread
//!    stored last (the handles move between threads, so the thread to wake
//!    is the one waiting now), then sets `waiting` with `Release`.
//! 2. A heavy fence ([`ring_core::fence::heavy`]).
//! 3. It checks the ring and the other side's drop again; if either
//!    changed, it clears `waiting` and does not park.
//! 4. Otherwise it parks, and loops: `park` may return spuriously.
//!
//! The other side publishes first (the index store or the disconnection
//! flag, inside ring-core), then the [`WaitState`] hook runs the active
//! half of the handshake ([`WaiterFlag::wake_with`]): a light fence (a
//! [`ring_core::fence::LightFence`], chosen when the ring was made) and a
//! load of `waiting`. Only if it is set
//! does it take the flag (a compare-exchange from `true` to `false`,
//! `Acquire`) and unpark the stored thread.
//!
//! # Why no wake-up is lost
//!
//! This is Dekker's pattern: the waiter stores `waiting` and loads the
//! index; the active side stores the index and loads `waiting`. The fence
//! pair is a store-load barrier on both sides (see ring-core's `fence`
//! module: `membarrier` on Linux, `fence(SeqCst)` elsewhere), so at least one
//! side sees the other's store. If the waiter sees the new index, it does
//! not park. If the active side sees `waiting`, it unparks the thread; an
//! `unpark` that comes before the `park` leaves a token that makes the
//! `park` return at once. The `Release` store of `waiting` after the thread
//! is stored, with the waker's `Acquire` compare-exchange, makes the waker's lock of the
//! mutex come after the waiter's, so it finds the right thread.
//!
//! The busy side's cost when nobody waits is the light fence (a compiler
//! fence on Linux) and one `Relaxed` load of a cache line that only a
//! waiting side writes: no system call, no read-modify-write.

use crossbeam_utils::CachePadded;
use ring_core::WaitState;
use ring_core::spin::Spinner;

use ring_core::handshake::WaiterFlag;

use crate::sync::{Mutex, Thread, ThreadId, thread};

/// How long a waiter sleeps at most when the heavy fence could not vouch
/// for the other side; it then checks the ring again.
const UNPAIRED_NAP: std::time::Duration = std::time::Duration::from_millis(1);

/// One side's waiting slot.
#[derive(Debug, Default)]
pub(crate) struct Parker {
    /// The announcement of the handshake: set while the side is parked or
    /// about to park.
    announcement: WaiterFlag,
    /// The thread to unpark; written by the waiting side before it
    /// announces itself.
    thread: Mutex<Option<Thread>>,
}

/// What ended a [`Parker::wait`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Woken {
    /// The condition may have changed; check the ring again.
    Retry,
    /// The deadline passed.
    TimedOut,
}

impl Parker {
    /// Announces the current thread as waiting, checks `ready` once more
    /// after the store-load barrier, and parks unless it holds or the
    /// deadline passed. The caller loops: a `Retry` may be spurious.
    ///
    /// `registered` is the waiting handle's memory of the thread it last
    /// stored here: the mutex is locked only when the handle waits on a new
    /// thread, so a waker's lock rarely meets the waiter's.
    ///
    /// `spinner` chooses how to announce (see
    /// [`Spinner::announce`](ring_core::spin::Spinner::announce)): in the
    /// handshake's symmetric mode while this side's spins keep missing,
    /// which spares each wait the `membarrier` call.
    pub(crate) fn wait(
        &self,
        registered: &mut Option<ThreadId>,
        ready: impl FnOnce() -> bool,
        deadline: Option<std::time::Instant>,
        spinner: &mut Spinner,
    ) -> Woken {
        let current = thread::current();
        if *registered != Some(current.id()) {
            *registered = Some(current.id());
            *self
                .thread
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(current);
        }
        // The announcement is a Release store followed by the heavy fence:
        // the thread stored above is visible to the waker that takes it, and
        // `ready` loads the ring only after the announcement.
        let paired = spinner.announce(&self.announcement);
        if ready() {
            self.announcement.withdraw();
            return Woken::Retry;
        }
        // If the barrier could not vouch for the waker's side (a failing
        // `membarrier`, see ring-core's `fence`), a wake-up may have been
        // missed: sleep briefly and let the caller look again.
        let deadline = if paired {
            deadline
        } else {
            let soon = std::time::Instant::now() + UNPAIRED_NAP;
            Some(deadline.map_or(soon, |deadline| deadline.min(soon)))
        };
        let woken = match park_until(deadline) {
            Woken::TimedOut if !paired => Woken::Retry,
            woken => woken,
        };
        self.announcement.withdraw();
        woken
    }

    /// This side's waits have become short (a spin caught the other side):
    /// ends the symmetric mode, so that the other side's publications are
    /// plain again.
    #[inline]
    pub(crate) fn relax(&self) {
        self.announcement.relax();
    }

    /// Whether the other side took this side's announcement and unparked
    /// it, and this side has not run since: it is on its way (see
    /// [`WaiterFlag::is_being_woken`]).
    #[inline]
    pub(crate) fn is_being_woken(&self) -> bool {
        self.announcement.is_being_woken()
    }

    /// The busy side's half: after publishing, unpark the waiting side if
    /// there is one.
    #[inline(always)]
    pub(crate) fn wake(&self) {
        self.announcement.wake_with(|| {
            // Unpark outside the lock: the critical section stays short, and
            // the waiter is never blocked on the mutex when its token comes.
            let thread = self
                .thread
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            if let Some(thread) = thread {
                thread.unpark();
            }
        });
    }
}

/// Parks until unparked, spuriously woken, or `deadline`.
#[cfg(not(loom))]
fn park_until(deadline: Option<std::time::Instant>) -> Woken {
    match deadline {
        None => {
            thread::park();
            Woken::Retry
        }
        Some(deadline) => {
            let now = std::time::Instant::now();
            if now >= deadline {
                return Woken::TimedOut;
            }
            thread::park_timeout(deadline - now);
            Woken::Retry
        }
    }
}

/// loom models no clock: a deadline is treated as never reached.
#[cfg(loom)]
fn park_until(_deadline: Option<std::time::Instant>) -> Woken {
    thread::park();
    Woken::Retry
}

/// The waiting state of a parking ring, which ring-core keeps beside the
/// indices: one parker per side, each on cache lines of its own, since each
/// is written by its own side when it parks and read by the other side on
/// every push or pop.
///
/// Users never need to name it; it appears in the types of the chunk
/// aliases.
///
/// # Examples
///
/// ```
/// let (mut producer, _consumer) = ring_park::channel::<u8>(2);
/// let chunk: ring_core::WriteChunkUninit<'_, u8, ring_park::ParkState> =
///     producer.write_chunk_uninit(2);
/// assert_eq!(chunk.len(), 2);
/// ```
#[derive(Debug, Default)]
pub struct ParkState {
    pub(crate) consumer: CachePadded<Parker>,
    pub(crate) producer: CachePadded<Parker>,
}

impl WaitState for ParkState {
    #[inline(always)]
    fn after_push(&self) {
        self.consumer.wake();
    }

    #[inline(always)]
    fn after_pop(&self) {
        self.producer.wake();
    }
}
