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
//! So each thread has a mark that a waker sets when it unparks the thread
//! and the thread clears once it runs again; a waker remembers the mark of
//! the thread it woke last, and writes its own identity into the parker of
//! the side it woke. A side about to park checks whether the thread that
//! last woke it on this ring is the thread it woke last, and whether that
//! thread is still on its way: then the other side is bound to act soon,
//! and the side spins instead (see `Spinner::spin_while_peer_wakes`).
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
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A thread's mark: set while a waker's unpark is on its way to it.
    #[derive(Debug, Default)]
    pub(crate) struct ThreadMark {
        being_woken: AtomicBool,
    }

    /// The handle a parker keeps of its sleeping thread's mark.
    pub(crate) type MarkHandle = Option<Arc<ThreadMark>>;

    thread_local! {
        /// This thread's mark.
        static OWN: Arc<ThreadMark> = Arc::new(ThreadMark::default());
        /// The mark of the thread this thread woke last.
        static LAST_WOKEN: RefCell<MarkHandle> = const { RefCell::new(None) };
    }

    /// This thread's mark, for the parker that is about to put it to sleep;
    /// `None` while the thread's locals are being destroyed.
    pub(crate) fn own_mark() -> MarkHandle {
        OWN.try_with(Arc::clone).ok()
    }

    /// This thread's identity as a waker: the address of its mark, unique
    /// among live threads; 0 while the thread's locals are being destroyed.
    pub(crate) fn own_identity() -> usize {
        OWN.try_with(|mark| Arc::as_ptr(mark) as usize).unwrap_or(0)
    }

    /// Records that this thread is about to unpark the thread of `mark`:
    /// the mark is set until that thread runs again, and this thread
    /// remembers it as the thread it woke last.
    pub(crate) fn waking(mark: &MarkHandle) {
        let Some(mark) = mark else { return };
        // Relaxed: a hint. The woken thread clears it after its `park`
        // returns, which the unpark that follows this store happens
        // before, so the clearing comes later in the flag's order.
        mark.being_woken.store(true, Ordering::Relaxed);
        // A thread that is being torn down remembers nothing.
        let _ = LAST_WOKEN.try_with(|last| {
            let mut last = last.borrow_mut();
            if !last.as_ref().is_some_and(|last| Arc::ptr_eq(last, mark)) {
                *last = Some(Arc::clone(mark));
            }
        });
    }

    /// Records that this thread runs again after a park.
    pub(crate) fn running() {
        // Relaxed: a hint (see `waking`). Only if set: the store would
        // otherwise move the mark's line for nothing.
        let _ = OWN.try_with(|mark| {
            if mark.being_woken.load(Ordering::Relaxed) {
                mark.being_woken.store(false, Ordering::Relaxed);
            }
        });
    }

    /// Whether the thread of identity `waker` (see [`own_identity`]) is the
    /// thread this thread woke last, and is still on its way.
    pub(crate) fn is_being_woken(waker: usize) -> bool {
        waker != 0
            && LAST_WOKEN
                .try_with(|last| {
                    last.borrow().as_ref().is_some_and(|mark| {
                        Arc::as_ptr(mark) as usize == waker
                            // Relaxed: a hint (see `waking`).
                            && mark.being_woken.load(Ordering::Relaxed)
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

    pub(crate) fn own_identity() -> usize {
        0
    }

    pub(crate) fn waking(_mark: &MarkHandle) {}

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
        go_sender.send(()).unwrap();
        done_receiver.recv().unwrap();
        assert!(!is_being_woken(identity));
        sleeper.join().unwrap();
    }
}
