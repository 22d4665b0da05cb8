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
use crate::thread_hint::{self, MarkHandle};
// Not loom's: a hint that loom need not explore (see `thread_hint`).
use std::sync::atomic::{AtomicUsize, Ordering};

/// How long a waiter sleeps at most when the heavy fence could not vouch
/// for the other side; it then checks the ring again.
const UNPAIRED_NAP: std::time::Duration = std::time::Duration::from_millis(1);

/// One side's waiting slot.
#[derive(Debug, Default)]
pub(crate) struct Parker {
    /// The announcement of the handshake: set while the side is parked or
    /// about to park.
    announcement: WaiterFlag,
    /// The thread to unpark and its mark (see `thread_hint`); written by
    /// the waiting side before it announces itself.
    thread: Mutex<Option<(Thread, MarkHandle)>>,
    /// The identity of the thread that woke this side last (see
    /// `thread_hint`), 0 before any wake-up: a hint for this side's next
    /// waits, written by the waker after it took the announcement. Its
    /// accesses are `Relaxed`: a stale or early value costs a spin at most,
    /// and never a wake-up.
    woken_by: AtomicUsize,
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
                .unwrap_or_else(|poisoned| poisoned.into_inner()) =
                Some((current, thread_hint::own_mark()));
        }
        // The announcement is a Release store followed by the heavy fence:
        // the thread stored above is visible to the waker that takes it, and
        // `ready` loads the ring only after the announcement.
        let paired = spinner.announce(&self.announcement);
        if ready() {
            self.announcement.withdraw();
            // A waker that took the announcement meanwhile marked this
            // thread as on its way; it is not.
            thread_hint::running();
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
        // After the withdrawal, so that a waker that took the announcement
        // before it has most likely marked this thread already (see
        // `thread_hint::waking`).
        thread_hint::running();
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

    /// Whether the thread that woke this side last is the thread that this
    /// thread woke last, and is still on its way (see `thread_hint`): the
    /// other side of a round trip over two rings, which this thread woke
    /// through the other ring.
    #[inline]
    pub(crate) fn waker_is_being_woken(&self) -> bool {
        // Relaxed: a hint (see the field).
        thread_hint::is_being_woken(self.woken_by.load(Ordering::Relaxed))
    }

    /// The busy side's half: after publishing, unpark the waiting side if
    /// there is one.
    #[inline(always)]
    pub(crate) fn wake(&self) {
        self.announcement.wake_with(|| {
            // Unpark outside the lock: the critical section stays short, and
            // the waiter is never blocked on the mutex when its token comes.
            let sleeper = self
                .thread
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .as_ref()
                .map(|(thread, mark)| (thread.clone(), thread_hint::waking(mark)));
            if let Some((thread, identity)) = sleeper {
                // Relaxed: a hint (see the field). Only if it changed, as
                // the waiter's line is hot.
                if self.woken_by.load(Ordering::Relaxed) != identity {
                    self.woken_by.store(identity, Ordering::Relaxed);
                }
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

impl ParkState {
    /// For the producer's waits: whether the consumer is on its way after
    /// this thread woke it, through this ring or, when the consumer's
    /// thread is the one that last woke the producer here, through another
    /// (see `thread_hint`).
    #[inline]
    pub(crate) fn consumer_on_its_way(&self) -> bool {
        self.consumer.is_being_woken() || self.producer.waker_is_being_woken()
    }

    /// For the consumer's waits: as
    /// [`consumer_on_its_way`](Self::consumer_on_its_way), for the producer.
    #[inline]
    pub(crate) fn producer_on_its_way(&self) -> bool {
        self.producer.is_being_woken() || self.consumer.waker_is_being_woken()
    }
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

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// Has `parker` announce this thread as its sleeper without parking, as
    /// a waiting side does before it parks.
    fn announce_this_thread(parker: &Parker) {
        announce(parker, thread::current(), thread_hint::own_mark());
    }

    /// Has `parker` announce `thread`, whose mark is `mark`, as its
    /// sleeper.
    fn announce(parker: &Parker, thread: Thread, mark: MarkHandle) {
        *parker.thread.lock().unwrap() = Some((thread, mark));
        let _paired = parker.announcement.announce();
    }

    /// What the echo thread of the test below is told to do.
    enum Step {
        /// Wake the consumer of the replies, as a reply would.
        WakeRepliesConsumer,
        /// Run, as a thread whose park returned does first.
        Run,
    }

    #[test]
    fn the_other_side_of_a_round_trip_is_on_its_way_only_after_this_thread_woke_it() {
        // `requests` goes from this thread to the echo thread, `replies`
        // back; `elsewhere` is a ring from a third thread to this one. No
        // thread parks: the wake-ups are the parkers' own, their unparks
        // leave tokens nobody collects.
        let requests = ParkState::default();
        let replies = ParkState::default();
        let elsewhere = ParkState::default();
        std::thread::scope(|scope| {
            let (handle_sender, handle_receiver) = mpsc::channel();
            let (step_sender, step_receiver) = mpsc::channel();
            let (done_sender, done_receiver) = mpsc::channel();
            let replies_for_echo = &replies;
            scope.spawn(move || {
                handle_sender
                    .send((
                        thread::current(),
                        thread_hint::own_mark(),
                        thread_hint::own_identity(),
                    ))
                    .unwrap();
                for step in step_receiver {
                    match step {
                        Step::WakeRepliesConsumer => replies_for_echo.consumer.wake(),
                        Step::Run => thread_hint::running(),
                    }
                    done_sender.send(()).unwrap();
                }
            });
            let (echo_thread, echo_mark, echo_identity) = handle_receiver.recv().unwrap();
            let step = |step| {
                step_sender.send(step).unwrap();
                done_receiver.recv().unwrap();
            };

            // The echo thread once woke this thread through `replies`.
            announce_this_thread(&replies.consumer);
            step(Step::WakeRepliesConsumer);
            thread_hint::running();
            assert_eq!(
                replies.consumer.woken_by.load(Ordering::Relaxed),
                echo_identity
            );
            assert!(!replies.producer_on_its_way(), "nobody was woken yet");

            // A third thread once woke this thread through `elsewhere`.
            announce_this_thread(&elsewhere.consumer);
            scope.spawn(|| elsewhere.consumer.wake()).join().unwrap();
            thread_hint::running();

            // This thread sends a request, which wakes the echo thread.
            announce(&requests.consumer, echo_thread, echo_mark);
            requests.consumer.wake();
            assert!(
                replies.producer_on_its_way(),
                "the reply's producer is the thread just woken"
            );
            assert!(
                !elsewhere.producer_on_its_way(),
                "the third thread was not woken"
            );
            assert!(
                !requests.producer_on_its_way(),
                "this thread is the producer of the requests"
            );

            // The echo thread runs: no longer on its way.
            step(Step::Run);
            assert!(!replies.producer_on_its_way());
            drop(step_sender);
        });
    }
}
