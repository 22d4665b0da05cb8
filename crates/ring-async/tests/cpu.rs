//! A consumer task fed at a paced rate must return `Pending` between items,
//! not spin: the CPU time of the thread that runs it is bounded generously,
//! so that a waiting policy that burns a core fails while machine noise
//! does not. Speed itself is measured by the benchmark (`cargo xtask
//! bench`), not here.

use std::time::{Duration, Instant};

/// The rate of the stream, items per second.
const RATE: u64 = 10_000;
/// The share of one core the consumer's thread may use at most.
const BOUND: f64 = 0.30;

#[test]
fn a_consumer_task_fed_10000_items_a_second_uses_under_30_percent_of_a_core() {
    if !test_support::cpu_time_is_meaningful() || test_support::thread_cpu_time().is_none() {
        return; // Miri, a sanitizer, or no thread clock: nothing to measure.
    }
    test_support::with_watchdog(|| {
        let (mut producer, mut consumer) = ring_async::channel::<u64>(1024);
        let feed = test_support::paced_feed(RATE, Duration::from_secs(1), move |index| {
            producer.push_blocking(index).unwrap();
        });
        let started = Instant::now();
        let cpu_before = test_support::thread_cpu_time().unwrap();
        let received = futures::executor::block_on(async move {
            let mut expected = 0;
            while let Ok(value) = consumer.pop().await {
                assert_eq!(value, expected);
                expected += 1;
            }
            expected
        });
        let cpu = test_support::thread_cpu_time().unwrap() - cpu_before;
        let share = cpu.as_secs_f64() / started.elapsed().as_secs_f64();
        feed.join().unwrap();
        assert_eq!(received, RATE);
        assert!(
            share < BOUND,
            "the consumer's thread used {:.1} % of a core ({cpu:?}) on a paced stream",
            share * 100.0
        );
    });
}
