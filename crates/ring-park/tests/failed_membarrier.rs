//! How ring-park copes when `membarrier` fails after its registration, as
//! when a sandbox installs a seccomp filter while the process runs: rings
//! made before the failure nap until the other side acknowledges their
//! switch to full fences and then sleep until woken again, rings made after
//! it pair at once, the failing call is never issued again, and deadlines
//! hold. In a test binary of its own, since the filter holds for the rest
//! of the process.

use std::thread;
use std::time::{Duration, Instant};

use ring_core::fence;
use ring_park::{Consumer, PopTimeoutError, Producer};
use test_support::{make_membarrier_fail, thread_run_count, with_watchdog};

/// How often a thread may run while it waits for `ITEMS` items spaced
/// `SPACING` apart and sleeps until each one wakes it: once per item, plus
/// spurious wake-ups and preemptions. A thread that napped for a
/// millisecond at a time would run about 300 times.
const MOST_RUNS_WHEN_WOKEN: u64 = 60;
const ITEMS: u64 = 3;
const SPACING: Duration = Duration::from_millis(100);

#[test]
fn waits_hold_after_membarrier_fails() {
    with_watchdog(|| {
        fence::prepare();
        if !fence::is_asymmetric() {
            eprintln!(
                "SKIPPED: membarrier is not in use in this process (Miri, another system, \
                 an old kernel or RING_FENCE=seqcst), so it cannot fail"
            );
            return;
        }
        // Made while `membarrier` works: their light halves are compiler
        // fences, which nothing pairs with after the failure.
        let (old_ping_producer, old_ping_consumer) = ring_park::channel::<u64>(1);
        let (old_pong_producer, old_pong_consumer) = ring_park::channel::<u64>(1);
        let (old_producer, mut old_consumer) = ring_park::channel::<u64>(4);

        make_membarrier_fail().expect("the test needs a seccomp filter");
        assert!(!fence::heavy(), "membarrier should fail under the filter");
        assert!(!fence::is_asymmetric());
        let calls = fence::membarrier_call_count();

        // A deadline on a ring made before the failure, whose flag switches
        // now: the waiter naps, so it must still leave on time.
        let timeout = Duration::from_millis(50);
        let started = Instant::now();
        assert_eq!(
            old_consumer.pop_timeout(timeout),
            Err(PopTimeoutError::Timeout)
        );
        let waited = started.elapsed();
        eprintln!("a 50 ms timeout took {waited:?}");
        assert!(waited >= timeout, "the timeout ended early: {waited:?}");
        assert!(
            waited < timeout + Duration::from_millis(100),
            "the timeout ended {:?} late",
            waited - timeout
        );

        // The producer's first push after the switch acknowledges it, so
        // the waits after the first one sleep until woken.
        let old_producer = feed_spaced(old_producer);
        assert_eq!(old_consumer.pop(), Ok(0));
        let runs = runs_while(|| {
            for expected in 1..ITEMS {
                assert_eq!(old_consumer.pop(), Ok(expected));
            }
        });
        old_producer.join().unwrap();
        if let Some(runs) = runs {
            eprintln!("old ring: {runs} runs for {} waits", ITEMS - 1);
            assert!(
                runs < MOST_RUNS_WHEN_WOKEN,
                "after the acknowledgement the consumer should sleep until woken, \
                 but it ran {runs} times"
            );
        }

        // Both sides of both rings wait at every item: no wake-up is lost
        // through the switch.
        ping_pong(
            (old_ping_producer, old_ping_consumer),
            (old_pong_producer, old_pong_consumer),
        );

        // A ring made after the failure pairs through its full fences from
        // its first wait on.
        let (new_producer, mut new_consumer) = ring_park::channel::<u64>(4);
        let new_producer = feed_spaced(new_producer);
        let runs = runs_while(|| {
            for expected in 0..ITEMS {
                assert_eq!(new_consumer.pop(), Ok(expected));
            }
        });
        new_producer.join().unwrap();
        if let Some(runs) = runs {
            eprintln!("new ring: {runs} runs for {ITEMS} waits");
            assert!(
                runs < MOST_RUNS_WHEN_WOKEN,
                "a ring made after the failure should sleep until woken, \
                 but its consumer ran {runs} times"
            );
        }
        ping_pong(ring_park::channel(1), ring_park::channel(1));

        assert_eq!(
            fence::membarrier_call_count(),
            calls,
            "the failing membarrier call was issued again"
        );
    });
}

/// Pushes `ITEMS` numbers from a new thread, `SPACING` apart.
fn feed_spaced(mut producer: Producer<u64>) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        for value in 0..ITEMS {
            thread::sleep(SPACING);
            producer.push(value).unwrap();
        }
    })
}

/// How often the calling thread ran while `wait` ran, where the system
/// tells.
fn runs_while(wait: impl FnOnce()) -> Option<u64> {
    let before = thread_run_count();
    wait();
    Some(thread_run_count()? - before?)
}

/// Echoes 10 000 values through two rings of capacity 1, so that every
/// push and pop of either side waits.
fn ping_pong(
    (mut ping_producer, mut ping_consumer): (Producer<u64>, Consumer<u64>),
    (mut pong_producer, mut pong_consumer): (Producer<u64>, Consumer<u64>),
) {
    let echo = thread::spawn(move || {
        for value in ping_consumer.iter() {
            pong_producer.push(value).unwrap();
        }
    });
    for value in 0..10_000 {
        ping_producer.push(value).unwrap();
        assert_eq!(pong_consumer.pop(), Ok(value));
    }
    drop(ping_producer);
    echo.join().unwrap();
}
