//! Compile-fail tests for the ring-* crates; this library is empty.
//!
//! The single-producer single-consumer contract rests on the type system:
//! each end is one handle, every operation that changes the ring takes
//! `&mut self`, and a chunk, a peeked reference or a future borrows the
//! handle it came from. `tests/ui` holds programs that break that contract
//! (a handle of a `!Send` item sent to another thread, a second producer, a
//! reference kept past the pop or commit that frees its slot, two futures of
//! one handle at once), and `tests/compile_fail.rs` checks with `trybuild`
//! that each fails to compile, with the error recorded in its `.stderr`
//! file. A change that lets one of them compile fails the test.
