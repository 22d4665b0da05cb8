//! The start line of a two-sided workload: both sides arrive, and neither
//! starts before the other is there and awake. A barrier would park the
//! first side to arrive, and its wake-up (microseconds to milliseconds on
//! a VM) would land inside the measurement; here both sides spin, so the
//! clock that starts right after the line measures the workload alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A start line for two sides; clone it for the second.
///
/// # Examples
///
/// ```
/// use ring_benches::StartLine;
///
/// let line = StartLine::default();
/// let other = line.clone();
/// let side = std::thread::spawn(move || other.cross_spinning());
/// line.cross_spinning(); // Returns once both have arrived.
/// side.join().unwrap();
/// ```
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
    ///
    /// Not cancel safe: the arrival counts from the first poll, so a
    /// future dropped before it resolves still lets the other side start.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_benches::StartLine;
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// runtime.block_on(async {
    ///     let line = StartLine::default();
    ///     let other = line.clone();
    ///     // Both sides on one thread: each yields until the other arrived.
    ///     futures_util::future::join(line.cross(), other.cross()).await;
    /// });
    /// ```
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
