//! Which thread this thread woke last, and whether that thread is still on
//! its way: a hint that lets a wait on one ring see that its other side is
//! a thread this thread has just woken through another ring.
//!
//! Two threads that exchange requests and replies over two rings (a round
//! trip) would otherwise fall into taking turns sleeping: the side that
//! sends a request wakes the other through the first ring, then waits on
//! the second, where the other side's reply comes only after that side's
//! wake-up, tens of microseconds on a VM. The waiting side's spin misses
//! it, the side parks, and the reply must wake it in turn; from then on
//! every trip costs two wake-ups. The ring-local mark of ring-core's
//! `WaiterFlag::is_being_woken` cannot see this, as the wake-up went
//! through the other ring.
//!
//! So each thread has a mark that a waker sets to its own identity when it
//! unparks the thread, and that the thread clears once its wait is over; a
//! waker remembers the mark of the thread it woke last, and writes its own
//! identity into the parker of the side it woke. A side about to park
//! checks whether the thread that last woke it on this ring is the thread
//! it woke last, and whether this thread's wake-up of it is still on its
//! way: then the other side is bound to act soon, and the side spins
//! instead (see `Spinner::spin_while_peer_wakes`).
//!
//! A hint only: it decides whether to spin, never whether a wake-up is
//! owed, so stale or racing values cost a spin at worst, which the
//! spinner's back-off bounds. Not under loom, which models no clock and
//! spins nothing: there every function here does nothing.

#[cfg(not(loom))]
pub(crate) use real::*;

#[cfg(loom)]
pub(crate) use inert::*;

#[cfg(not(loom))]
mod real {
    use std::cell::RefCell;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A thread's mark.
    #[derive(Debug)]
    pub(crate) struct ThreadMark {
        /// The thread's identity: a number no other thread of the process
        /// gets, so that an identity written into a parker never names a
        /// later thread, as a reused address could.
        identity: usize,
        /// The identity of the thread whose unpark is on its way to this
        /// one, 0 once this thread runs again.
        woken_by: AtomicUsize,
    }

    /// The handle a parker keeps of its sleeping thread's mark.
    pub(crate) type MarkHandle = Option<Arc<ThreadMark>>;

    /// The last identity handed out; 0 is never one.
    static IDENTITIES: AtomicUsize = AtomicUsize::new(0);

    thread_local! {
        /// This thread's mark.
        static OWN: Arc<ThreadMark> = Arc::new(ThreadMark {
            // Relaxed: only the number's uniqueness matters, which the
            // read-modify-write gives whatever the ordering.
            identity: IDENTITIES.fetch_add(1, Ordering::Relaxed) + 1,
            woken_by: AtomicUsize::new(0),
        });
        /// The mark of the thread this thread woke last.
        static LAST_WOKEN: RefCell<MarkHandle> = const { RefCell::new(None) };
    }

    /// This thread's mark, for the parker that is about to put it to sleep;
    /// `None` while the thread's locals are being destroyed.
    pub(crate) fn own_mark() -> MarkHandle {
        OWN.try_with(Arc::clone).ok()
    }

    /// This thread's identity as a waker; 0 while the thread's locals are
    /// being destroyed.
    pub(crate) fn own_identity() -> usize {
        OWN.try_with(|mark| mark.identity).unwrap_or(0)
    }

    /// Records that this thread is about to unpark the thread of `mark`:
    /// the mark names this thread until that thread runs again, and this
    /// thread remembers it as the thread it woke last. Returns this
    /// thread's identity (see [`own_identity`]), for the woken side's
    /// parker.
    pub(crate) fn waking(mark: &MarkHandle) -> usize {
        let identity = own_identity();
        let Some(mark) = mark else { return identity };
        // Relaxed: a hint. The woken thread clears it once its wait is
        // over, which normally comes after the unpark that follows this
        // store; should a waker take the announcement just before the
        // waiter withdrew it, the clearing may come first, and the mark
        // stands until the thread's next wait ends (the unpark's token
        // ends that wait at once). A stale mark costs its waker a spin,
        // bounded by the spin's limit and backed off after a miss.
        mark.woken_by.store(identity, Ordering::Relaxed);
        // A thread that is being torn down remembers nothing.
        let _ = LAST_WOKEN.try_with(|last| {
            let mut last = last.borrow_mut();
            if !last.as_ref().is_some_and(|last| Arc::ptr_eq(last, mark)) {
                *last = Some(Arc::clone(mark));
            }
        });
        identity
    }

    /// Records that this thread runs again: its wait is over.
    pub(crate) fn running() {
        // Relaxed: a hint (see `waking`). Only if set: the store would
        // otherwise move the mark's line for nothing.
        let _ = OWN.try_with(|mark| {
            if mark.woken_by.load(Ordering::Relaxed) != 0 {
                mark.woken_by.store(0, Ordering::Relaxed);
            }
        });
    }

    /// Whether the thread of identity `thread` (see [`own_identity`]) is the
    /// thread this thread woke last, and that wake-up is still on its way.
    /// A wake-up by another thread does not count: this thread has no
    /// reason to expect that thread to serve it.
    pub(crate) fn is_being_woken(thread: usize) -> bool {
        thread != 0
            && LAST_WOKEN
                .try_with(|last| {
                    last.borrow().as_ref().is_some_and(|mark| {
                        mark.identity == thread
                            // Relaxed: a hint (see `waking`).
                            && mark.woken_by.load(Ordering::Relaxed) == own_identity()
                    })
                })
                .unwrap_or(false)
    }
}

#[cfg(loom)]
mod inert {
    /// Under loom a thread has no mark.
    pub(crate) type MarkHandle = ();

    pub(crate) fn own_mark() -> MarkHandle {}

    pub(crate) fn waking(_mark: &MarkHandle) -> usize {
        0
    }

    pub(crate) fn running() {}

    pub(crate) fn is_being_woken(_waker: usize) -> bool {
        false
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_woken_thread_is_on_its_way_until_it_runs() {
        let (mark_sender, mark_receiver) = std::sync::mpsc::channel();
        let (go_sender, go_receiver) = std::sync::mpsc::channel::<()>();
        let (done_sender, done_receiver) = std::sync::mpsc::channel();
        let sleeper = std::thread::spawn(move || {
            mark_sender.send((own_mark(), own_identity())).unwrap();
            go_receiver.recv().unwrap();
            running();
            done_sender.send(()).unwrap();
        });
        let (mark, identity) = mark_receiver.recv().unwrap();
        assert_ne!(identity, 0);
        assert_ne!(identity, own_identity());
        // Nobody woken yet.
        assert!(!is_being_woken(identity));
        waking(&mark);
        assert!(is_being_woken(identity));
        // Another thread's identity is not the one woken.
        assert!(!is_being_woken(own_identity()));
        // Once a third thread woke it too, the wake-up on its way is not
        // this thread's.
        std::thread::scope(|scope| scope.spawn(|| waking(&mark)).join().unwrap());
        assert!(!is_being_woken(identity));
        waking(&mark);
        assert!(is_being_woken(identity));
        go_sender.send(()).unwrap();
        done_receiver.recv().unwrap();
        assert!(!is_being_woken(identity));
        sleeper.join().unwrap();
    }
}
