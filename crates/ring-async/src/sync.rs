//! The primitives of the wake-up protocol, swapped for loom's under
//! `cfg(loom)` so that the models check the real code.

#[cfg(not(loom))]
pub(crate) use futures_util::task::AtomicWaker;
#[cfg(not(loom))]
pub(crate) use std::thread::{self, Thread, ThreadId};

#[cfg(loom)]
pub(crate) use loom::thread::{self, Thread, ThreadId};

/// loom's model of an atomic waker, under the names of the one from
/// `futures` that the crate uses outside loom.
#[cfg(loom)]
#[derive(Debug, Default)]
pub(crate) struct AtomicWaker(loom::future::AtomicWaker);

#[cfg(loom)]
impl AtomicWaker {
    pub(crate) fn register(&self, waker: &std::task::Waker) {
        self.0.register_by_ref(waker);
    }

    pub(crate) fn wake(&self) {
        self.0.wake();
    }

    pub(crate) fn take(&self) -> Option<std::task::Waker> {
        self.0.take_waker()
    }
}
