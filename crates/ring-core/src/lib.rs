//! The slot storage and index protocol shared by the `ring-*` flavours of
//! lock-free single-producer single-consumer (SPSC) ring buffers.
//!
//! Most users want a flavour crate instead: `ring-spin` (busy-waits),
//! `ring-park` (parks the thread) or `ring-async` (awaits). They share this
//! core and its error types, and add the waiting operations. ring-core on
//! its own is a complete non-blocking ring: [`channel`] gives a
//! [`Producer`] and a [`Consumer`], which `try_push` and `try_pop` without
//! ever waiting (the flavours' waiting pops use
//! [`Consumer::try_pop_slipping`], which may spin briefly in a busy stream).
//!
//! ```
//! let (mut producer, mut consumer) = ring_core::channel::<u32>(3);
//! producer.try_push(1).unwrap();
//! producer.push_slice(&[2, 3]);
//! assert!(producer.try_push(4).unwrap_err().is_full());
//! assert_eq!(consumer.try_pop(), Ok(1));
//! assert_eq!(consumer.try_iter().collect::<Vec<_>>(), [2, 3]);
//! ```
//!
//! All the `unsafe` code of the workspace lives in this crate: in
//! `storage.rs` (the allocation), `shared.rs` (the slot accesses), and the
//! calls to them in `chunks.rs` and in the single-item push, pop and peek
//! of `producer.rs` and `consumer.rs`; plus the `membarrier` system call in
//! `fence.rs`. The flavour crates are `#![forbid(unsafe_code)]`.
//!
//! # The protocol
//!
//! The ring is an array of `capacity` slots and two indices, `head` (the
//! next item to pop) and `tail` (the next slot to fill). Each index has one
//! writer: the consumer owns `head`, the producer owns `tail`. An index runs
//! over `0 .. 2 * capacity`, and position `p` lives in slot `p mod
//! capacity`; counting to twice the capacity tells a full ring (`tail -
//! head == capacity`) from an empty one (`tail == head`) without a slack
//! slot, so exactly `capacity` items fit, for any capacity from 1 up.
//!
//! - **Push**: the producer writes the item into slot `tail`, then stores
//!   `tail + 1` with `Release`. The consumer loads `tail` with `Acquire`
//!   before reading a slot, so the write of the item happens before the read
//!   of it.
//! - **Pop**: the consumer moves the item out of slot `head`, then stores
//!   `head + 1` with `Release`. The producer loads `head` with `Acquire`
//!   before reusing a slot, so the read happens before the overwrite.
//! - No read-modify-write operation is needed on the hot path, and each side
//!   loads its own index from a private copy, never from the shared atomic.
//!
//! # Cached indices
//!
//! Following rigtorp.se/ringbuffer, each handle keeps a copy of the other
//! side's index as last loaded, and reloads the shared atomic only when the
//! copy says the ring is full (producer) or empty (consumer). A stale copy
//! is safe because an index only moves forward: the real `head` is at or
//! after the producer's copy, so the producer can only undercount the free
//! slots, never overwrite an unread item; likewise for the consumer and
//! `tail`. While the ring is neither full nor empty, a push or pop touches
//! no cache line the other side writes. Nothing but the atomics is trusted
//! when the ring is dropped (rigtorp#35).
//!
//! `head` and `tail` each sit on a cache line of their own
//! (`crossbeam_utils::CachePadded`, 128 bytes on x86-64 because of the
//! adjacent-line prefetcher), and the slot storage is a separate allocation
//! aligned to and rounded up to whole cache lines, so no index shares a line
//! with a slot and no slot shares one with a neighbouring allocation. The benchmark-only flags
//! `--cfg ring_ablation_unpadded_indices` and `--cfg
//! ring_ablation_uncached_indices` (set through `RUSTFLAGS`, never through
//! a Cargo feature, so that no dependency can turn them on for a whole
//! program) turn the two optimizations off, for `cargo xtask bench` to
//! measure what they are worth; every other build has both.
//!
//! # Disconnection and drop
//!
//! Dropping a handle sets its bit in a flags byte with `Release`, after its
//! last index store. The other side reads the flags with `Acquire`, so once
//! it sees the producer gone, one more load of `tail` sees every item ever
//! pushed. The consumer therefore checks the flag first and the ring second
//! before it reports [`TryPopError::Disconnected`]; the opposite order
//! would lose a last item pushed just before the drop.
//!
//! The storage lives in an `Arc` that both handles hold, so whichever handle
//! is dropped last frees it. Its drop takes the indices from the atomics and
//! drops every item still in the ring exactly once; if one of their
//! destructors panics, the others are still dropped. Zero-sized types work
//! and allocate no storage.
//!
//! # Batches
//!
//! [`Producer::write_chunk_uninit`] lends up to two slices of free slots to
//! write in place, and [`Consumer::read_chunk`] up to two slices of items to
//! read in place; each publishes its index once when committed.
//! `push_slice` and `pop_slice` copy `T: Copy` items through them.
//!
//! # The extension point for flavours
//!
//! A flavour adds its waiting state through the [`WaitState`] trait: a type
//! parameter `W` of the handles, stored inline in the shared block (no
//! second allocation), reached through `wait_state()`, and told about every
//! change through hooks that run after the change is published: after each
//! push, each pop, and each handle's drop, whichever method caused it. A
//! flavour thus never forgets a wake-up, and needs no `unsafe` code.
//! [`impl_flavour_api!`] writes the flavour's non-waiting methods. The
//! flavours that sleep share the [`handshake`] (how a sleeper is woken
//! without a lost wake-up, and without a system call on the busy side) and,
//! with `std`, the `spin` module (how long to spin before sleeping, and
//! `impl_spin_policy_api!` for the handles' `spin_policy` methods).
//!
//! # Features
//!
//! - `std` (default): `std::error::Error` for the error types, and the
//!   `spin` module (the spinning policy of the flavours that sleep, which
//!   needs a clock). Without it
//!   the crate is `no_std` and needs only `alloc`.
//!
//! # Verification
//!
//! The protocol is model-checked with loom (`cargo xtask loom`), the tests
//! run under Miri with strict provenance (`cargo xtask miri`), and a
//! property test compares the ring with a `VecDeque`.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod chunks;
mod consumer;
mod error;
pub mod fence;
mod flavour_api;
pub mod handshake;
#[cfg(feature = "std")]
pub mod io;
mod positions;
mod producer;
mod shared;
mod slip;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod spin;
mod storage;
mod sync;
mod timeout_error;
mod wait_for;
mod wait_state;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod waker_slot;

pub use chunks::{ReadChunk, ReadChunkIntoIter, WriteChunkUninit};
pub use consumer::Consumer;
pub use error::{Disconnected, PopError, PushError, TryPopError, TryPushError};
pub use positions::MAX_CAPACITY;
pub use producer::Producer;
pub use timeout_error::{PopTimeoutError, PushTimeoutError, WaitTimeoutError};
pub use wait_state::WaitState;

/// What [`impl_flavour_api!`] names through `$crate`, so that a `no_std`
/// flavour needs no `extern crate alloc` of its own. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::wait_for::assert_wait_reachable;
    pub use alloc::vec::Vec;
    #[cfg(feature = "std")]
    pub use std::io;
}

use shared::Shared;
use sync::Arc;

/// Creates a ring of exactly `capacity` slots and returns its two handles.
///
/// # Panics
///
/// If `capacity` is 0, if it exceeds [`MAX_CAPACITY`], or if the storage's
/// size in bytes overflows `isize::MAX`.
///
/// # Examples
///
/// ```
/// let (mut producer, mut consumer) = ring_core::channel::<String>(2);
/// producer.try_push("one".to_string()).unwrap();
/// assert_eq!(consumer.try_pop().as_deref(), Ok("one"));
/// ```
#[must_use = "dropping a handle disconnects the channel"]
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    channel_with_state(capacity)
}

/// Creates a ring whose handles carry the flavour's waiting state `W`,
/// initialized with `W::default()`; see [`WaitState`].
///
/// # Panics
///
/// As for [`channel`].
///
/// # Examples
///
/// ```
/// let (producer, _consumer) = ring_core::channel_with_state::<u8, ()>(8);
/// assert_eq!(producer.capacity(), 8);
/// ```
#[must_use = "dropping a handle disconnects the channel"]
pub fn channel_with_state<T, W: WaitState>(capacity: usize) -> (Producer<T, W>, Consumer<T, W>) {
    let shared = Arc::new(Shared::new(capacity));
    (Producer::new(Arc::clone(&shared)), Consumer::new(shared))
}

/// The largest capacity a ring of `T` can have, in items: limited by the
/// index range for zero-sized types and by `isize::MAX` bytes of storage
/// otherwise.
///
/// # Examples
///
/// ```
/// assert_eq!(ring_core::max_capacity::<()>(), ring_core::MAX_CAPACITY);
/// assert!(ring_core::max_capacity::<u64>() < ring_core::MAX_CAPACITY);
/// ```
pub fn max_capacity<T>() -> usize {
    storage::max_capacity::<T>()
}

/// The examples of this crate's README.md, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
