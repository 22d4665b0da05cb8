//! How ring-async copes when `membarrier` fails after its registration, as
//! when a sandbox installs a seccomp filter while the process runs: a task
//! waiting on a ring made before the failure is woken by a timer after a
//! nap (not at once, which kept its thread busy) until the other side
//! acknowledges the ring's switch to full fences, and then sleeps until
//! woken again; rings made after the failure pair at once; the failing call
//! is never issued again. In a test binary of its own, since the filter
//! holds for the rest of the process.

use std::thread;
use std::time::{Duration, Instant};

use futures::executor::block_on;
use ring_async::{Consumer, Producer};
use ring_core::fence;
use test_support::{make_membarrier_fail, thread_cpu_time, thread_run_count, with_watchdog};

/// How often a thread may run while its task waits for `ITEMS` items
/// spaced `SPACING` apart and sleeps until each one wakes it: once per
/// item, plus spurious wake-ups and preemptions. A task woken every
/// millisecond would run about 300 times.
const MOST_RUNS_WHEN_WOKEN: u64 = 60;
const ITEMS: u64 = 3;
const SPACING: Duration = Duration::from_millis(100);
/// The share of a core a task's thread may use while it naps: a task
/// that woke itself at once used nearly all of one.
const MOST_CPU_WHILE_NAPPING: f64 = 0.30;

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
        let (old_ping_producer, old_ping_consumer) = ring_async::channel::<u64>(1);
        let (old_pong_producer, old_pong_consumer) = ring_async::channel::<u64>(1);
        let (old_producer, mut old_consumer) = ring_async::channel::<u64>(4);

        make_membarrier_fail().expect("the test needs a seccomp filter");
        assert!(!fence::heavy(), "membarrier should fail under the filter");
        let calls = fence::membarrier_call_count();

        // The first wait switches the ring's flag and naps until the first
        // push acknowledges the switch; the later ones sleep until woken.
        let old_producer = feed_spaced(old_producer);
        let cpu_before = thread_cpu_time();
        let started = Instant::now();
        assert_eq!(block_on(old_consumer.pop()), Ok(0));
        let napping_share = match (cpu_before, thread_cpu_time()) {
            (Some(before), Some(after)) => {
                Some((after - before).as_secs_f64() / started.elapsed().as_secs_f64())
            }
            _ => None,
        };
        let runs = runs_while(|| {
            for expected in 1..ITEMS {
                assert_eq!(block_on(old_consumer.pop()), Ok(expected));
            }
        });
        old_producer.join().unwrap();
        if let Some(share) = napping_share.filter(|_| test_support::cpu_time_is_meaningful()) {
            eprintln!("old ring, napping: {:.2} % of a core", share * 100.0);
            assert!(
                share < MOST_CPU_WHILE_NAPPING,
                "a task napping until the switch is acknowledged used {:.1} % of a core",
                share * 100.0
            );
        }
        if let Some(runs) = runs {
            eprintln!("old ring: {runs} runs for {} waits", ITEMS - 1);
            assert!(
                runs < MOST_RUNS_WHEN_WOKEN,
                "after the acknowledgement the task should sleep until woken, \
                 but its thread ran {runs} times"
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
        let (new_producer, mut new_consumer) = ring_async::channel::<u64>(4);
        let new_producer = feed_spaced(new_producer);
        let runs = runs_while(|| {
            for expected in 0..ITEMS {
                assert_eq!(block_on(new_consumer.pop()), Ok(expected));
            }
        });
        new_producer.join().unwrap();
        if let Some(runs) = runs {
            eprintln!("new ring: {runs} runs for {ITEMS} waits");
            assert!(
                runs < MOST_RUNS_WHEN_WOKEN,
                "a ring made after the failure should sleep until woken, \
                 but its task's thread ran {runs} times"
            );
        }
        ping_pong(ring_async::channel(1), ring_async::channel(1));

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
            producer.push_blocking(value).unwrap();
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

/// Echoes 10 000 values through two rings of capacity 1 between a task
/// and a thread, so that every push and pop of either side waits.
fn ping_pong(
    (mut ping_producer, mut ping_consumer): (Producer<u64>, Consumer<u64>),
    (mut pong_producer, mut pong_consumer): (Producer<u64>, Consumer<u64>),
) {
    let echo = thread::spawn(move || {
        while let Ok(value) = ping_consumer.pop_blocking() {
            pong_producer.push_blocking(value).unwrap();
        }
    });
    block_on(async {
        for value in 0..10_000 {
            ping_producer.push(value).await.unwrap();
            assert_eq!(pong_consumer.pop().await, Ok(value));
        }
    });
    drop(ping_producer);
    echo.join().unwrap();
}
