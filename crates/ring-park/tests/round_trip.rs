//! Two threads exchanging requests and replies over two rings, each on a
//! core of its own, must not take turns sleeping: the requester, which has
//! just woken the echo thread through the requests, spins for the reply
//! while that thread is on its way, instead of parking and being woken in
//! turn on every trip. Counted in the requester's runs on a CPU (each park
//! and wake-up is one), not timed: speed is measured by the benchmark
//! (`cargo xtask bench`).
//!
//! The threads are pinned: left to the scheduler, they often end up on one
//! core (Linux tends to wake a thread on its waker's core), where parking
//! on every trip is the right thing to do, since a spin would only keep the
//! other thread from the core.

/// How many round trips the requester makes, after as many to warm up:
/// few under Miri and the sanitizers, which check the trips but whose
/// slowness leaves nothing to count.
fn trips() -> u32 {
    if test_support::cpu_time_is_meaningful() {
        10_000
    } else {
        100
    }
}

/// Pins the calling thread to `core`, if the machine has it.
fn pin(core: Option<core_affinity::CoreId>) -> bool {
    core.is_some_and(core_affinity::set_for_current)
}

#[test]
fn a_round_trip_between_two_cores_does_not_park_on_every_trip() {
    test_support::with_watchdog(|| {
        let meaningful = test_support::cpu_time_is_meaningful();
        let cores = if meaningful {
            core_affinity::get_core_ids().unwrap_or_default()
        } else {
            Vec::new()
        };
        let (mut requests, mut incoming) = ring_park::channel::<u32>(16);
        let (mut outgoing, mut replies) = ring_park::channel::<u32>(16);
        let echo_core = cores.get(1).copied();
        let echo = std::thread::spawn(move || {
            let pinned = pin(echo_core);
            for request in incoming.iter() {
                outgoing.push(request + 1).unwrap();
            }
            pinned
        });
        let pinned = pin(cores.first().copied());
        let trips = trips();
        let mut round_trips = || {
            for request in 0..trips {
                requests.push(request).unwrap();
                assert_eq!(replies.pop(), Ok(request + 1));
            }
        };
        round_trips(); // The warm-up.
        // Not under Miri, which cannot read `/proc`.
        let run_count = || meaningful.then(test_support::thread_run_count).flatten();
        let runs_before = run_count();
        round_trips();
        let runs = run_count()
            .zip(runs_before)
            .map(|(after, before)| after - before);
        drop(requests);
        let echo_pinned = echo.join().unwrap();
        if !(meaningful && pinned && echo_pinned) {
            eprintln!("not counted: no two cores to pin to, or a slow checker");
            return;
        }
        if let Some(runs) = runs {
            // Parking on every trip makes at least one run per trip; the
            // machine's preemptions make a few in the time of these trips.
            // A quarter leaves room for a slow or crowded machine.
            assert!(
                runs < u64::from(trips) / 4,
                "the requester was put on a CPU {runs} times in {trips} round trips"
            );
        }
    });
}
