//! The threads of the blocking forms, swapped for loom's under `cfg(loom)`
//! so that the models check the real code. The waker slot is ring-core's
//! `WakerSlot`, which builds on loom's atomics itself under `cfg(loom)`.

#[cfg(not(loom))]
pub(crate) use std::thread::{self, Thread, ThreadId};

#[cfg(loom)]
pub(crate) use loom::thread::{self, Thread, ThreadId};
