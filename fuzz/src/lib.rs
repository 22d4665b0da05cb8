//! The driver shared by the fuzz targets: a fuzzer-chosen capacity and
//! sequence of operations runs on one flavour's ring and on a `VecDeque`,
//! and every result, length, item and drop is compared.
//!
//! Each target runs its input three times: with `u64` items, which reach
//! the `Copy`-only operations (`push_slice`, `pop_slice`); with [`Tracked`]
//! items, which own heap memory (so that AddressSanitizer, on by default
//! under `cargo fuzz`, catches a double drop or a read of a freed item) and
//! count their drops; and with [`Unit`], a zero-sized item that counts its
//! drops, since the ring stores zero-sized types on a path of their own.
//!
//! A fourth run puts the input's byte-stream operations through the
//! flavour's `io::Write`/`io::Read` (ring-async: `AsyncWrite`/`AsyncRead`
//! of futures-io and tokio) on a ring of bytes.
//!
//! Run a target with `cargo xtask fuzz --time SECS`, or directly with
//! `cargo +nightly fuzz run ring_core` from the workspace root.

mod bytes;
mod check;
mod flavour;
mod flavours;
mod input;
mod item;

pub use bytes::check_bytes;
pub use check::check;
pub use flavour::{Flavour, Readiness, View, Waited};
pub use flavours::{Async, Core, Park, Spin};
pub use input::{Input, Operation, chunk_max};
pub use item::{Item, Tracked, Unit};
