//! The primitives of the parking handshake, swapped for loom's under
//! `cfg(loom)` so that the models check the real code.

#[cfg(not(loom))]
pub(crate) use std::sync::Mutex;
#[cfg(not(loom))]
pub(crate) use std::thread::{self, Thread, ThreadId};

#[cfg(loom)]
pub(crate) use loom::sync::Mutex;
#[cfg(loom)]
pub(crate) use loom::thread::{self, Thread, ThreadId};
