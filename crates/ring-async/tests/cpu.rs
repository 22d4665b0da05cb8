//! A consumer task fed at a paced rate must return `Pending` between items,
//! not spin: the CPU time of the thread that runs it is bounded generously,
//! so that a waiting policy that burns a core fails while machine noise
//! does not. Speed itself is measured by the benchmark (`cargo xtask
//! bench`), not here.

use std::time::Duration;

/// The rate of the stream, items per second.
const RATE: u64 = 10_000;
/// The share of one core the consumer's thread may use at most.
const BOUND: f64 = 0.30;

#[test]
fn a_consumer_task_fed_10000_items_a_second_uses_under_30_percent_of_a_core() {
    test_support::with_watchdog(|| {
        let (mut producer, mut consumer) = ring_async::channel::<u64>(1024);
        let share = test_support::paced_consumer_cpu_share(
            RATE,
            Duration::from_secs(1),
            move |index| producer.push_blocking(index).unwrap(),
            move || {
                futures::executor::block_on(async move {
                    let mut expected = 0;
                    while let Ok(value) = consumer.pop().await {
                        assert_eq!(value, expected);
                        expected += 1;
                    }
                    expected
                })
            },
        );
        // `None`: Miri, a sanitizer, or no thread clock; nothing to measure.
        if let Some(share) = share {
            assert!(
                share < BOUND,
                "the consumer's thread used {:.1} % of a core on a paced stream",
                share * 100.0
            );
        }
    });
}
