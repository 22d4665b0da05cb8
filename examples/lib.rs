//! Realistic programs on the ring flavours, each a Cargo example of this
//! package:
//!
//! - `audio_callback`: a realtime audio callback fed through ring-spin's
//!   chunks, which allocates nothing (the example counts its allocations);
//! - `logger`: a logging thread on ring-park, with timeouts on both sides
//!   and a clean shutdown through `close_channel`;
//! - `async_pipeline`: a blocking device thread feeding tokio tasks through
//!   ring-async, with `Stream`, `Sink`, `wait_items(n)` and `closed()`, and
//!   a shutdown that travels upstream;
//! - `byte_pipe`: `std::io::copy` through ring-park, then
//!   `tokio::io::copy` through ring-async.
//!
//! Run one with `cargo run --release -p ring-examples --example NAME`;
//! `-- --short` makes it brief, as `cargo xtask test` runs them all. Each
//! checks what it moved and exits with a panic if anything was lost.

/// Whether the program was asked to run briefly (`--short`), as the tests
/// run every example.
///
/// # Examples
///
/// ```
/// assert!(!ring_examples::short_run());
/// ```
pub fn short_run() -> bool {
    std::env::args().any(|argument| argument == "--short")
}
