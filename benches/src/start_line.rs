//! The start line of a two-sided workload: both sides arrive, and neither
//! starts before the other is there and awake. A barrier would park the
//! first side to arrive, and its wake-up (microseconds to milliseconds on
//! a VM) would land inside the measurement; here both sides spin, so the
//! clock that starts right after the line measures the workload alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A start line for two sides; clone it for the second.
#[derive(Clone, Debug, Default)]
pub struct StartLine(Arc<AtomicUsize>);

impl StartLine {
    /// Arrives, then spins until the other side has arrived too: for two
    /// threads, each with a core (or a time slice) of its own.
    pub fn cross_spinning(&self) {
        self.arrive();
        while !self.both_arrived() {
            std::hint::spin_loop();
        }
    }

    /// Arrives, then yields to the runtime until the other side has
    /// arrived: for two tasks, which may share one worker thread.
    pub async fn cross(&self) {
        self.arrive();
        while !self.both_arrived() {
            tokio::task::yield_now().await;
        }
    }

    fn arrive(&self) {
        // The counter only starts the clocks and publishes no data; the
        // rings' own orderings carry the items. AcqRel and Acquire keep the
        // two sides' starts in a clear happens-before order all the same.
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    fn both_arrived(&self) -> bool {
        self.0.load(Ordering::Acquire) >= 2
    }
}
