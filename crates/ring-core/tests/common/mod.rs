//! Helpers shared by the integration tests.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An item that counts its drops in a shared counter, and owns heap memory
/// so that Miri and the sanitizers see leaks and double frees.
#[derive(Debug)]
pub struct Tracked {
    /// The value the test checks.
    pub value: u64,
    heap: Box<u64>,
    drops: Arc<AtomicUsize>,
}

impl Tracked {
    /// An item of `value` that counts its drop in `drops`.
    pub fn new(value: u64, drops: &Arc<AtomicUsize>) -> Self {
        Self {
            value,
            heap: Box::new(value),
            drops: Arc::clone(drops),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        assert_eq!(*self.heap, self.value, "item corrupted before its drop");
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// How many drops `drops` counted.
pub fn drop_count(drops: &Arc<AtomicUsize>) -> usize {
    drops.load(Ordering::SeqCst)
}
