//! loom models of the index protocol: every interleaving of the two
//! handles (up to loom's preemption bound) of push, pop, wrap-around,
//! chunks, drop and disconnection.
//!
//! Run with `cargo xtask loom`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test -p ring-core --test loom --release`.
//!
//! Loom checks that each slot's read happens after its write and each
//! write after the read that freed it (through the crate's slot access
//! log), that no atomic ordering is too weak for that, and that the shared
//! block is freed. The protocol uses no `SeqCst` operation, so loom's
//! incomplete model of `SeqCst` fences (loom#246) does not weaken these
//! checks.

#![cfg(loom)]

use std::sync::Arc as StdArc;
use std::sync::atomic::{AtomicUsize, Ordering};

use loom::thread;
use ring_core::{Consumer, Producer, TryPopError, channel};

/// Pushes `values` in order, yielding to loom while the ring is full.
fn push_all(producer: &mut Producer<usize>, values: impl IntoIterator<Item = usize>) {
    for value in values {
        let mut value = value;
        while let Err(error) = producer.try_push(value) {
            assert!(error.is_full());
            value = error.into_inner();
            thread::yield_now();
        }
    }
}

/// Pops until the producer is gone and the ring drained, yielding to loom
/// while the ring is empty.
fn pop_until_disconnected(consumer: &mut Consumer<usize>) -> Vec<usize> {
    let mut received = Vec::new();
    loop {
        match consumer.try_pop() {
            Ok(value) => received.push(value),
            Err(TryPopError::Empty) => thread::yield_now(),
            Err(TryPopError::Disconnected) => return received,
        }
    }
}

/// Pushes one more item than fits, so the indices wrap at every capacity,
/// and checks order and disconnection.
fn push_pop_wrapping(capacity: usize) {
    loom::model(move || {
        let (mut producer, mut consumer) = channel(capacity);
        let count = capacity + 1;
        let sender = thread::spawn(move || push_all(&mut producer, 0..count));
        let received = pop_until_disconnected(&mut consumer);
        sender.join().unwrap();
        assert_eq!(received, (0..count).collect::<Vec<_>>());
    });
}

#[test]
fn push_pop_wrapping_capacity_1() {
    push_pop_wrapping(1);
}

#[test]
fn push_pop_wrapping_capacity_2() {
    push_pop_wrapping(2);
}

#[test]
fn push_pop_wrapping_capacity_3() {
    push_pop_wrapping(3);
}

#[test]
fn peek_sees_the_pushed_item() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(2);
        let sender = thread::spawn(move || push_all(&mut producer, [7, 8]));
        let peeked = consumer.peek().copied();
        assert!(peeked.is_none() || peeked == Some(7));
        let received = pop_until_disconnected(&mut consumer);
        sender.join().unwrap();
        assert_eq!(received, [7, 8]);
    });
}

#[test]
fn chunks_stream_in_order() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(2);
        let sender = thread::spawn(move || {
            let mut next = 0;
            while next < 3 {
                next += producer.write_chunk_uninit(2).fill_from_iter(next..3);
                thread::yield_now();
            }
        });
        let mut received: Vec<usize> = Vec::new();
        loop {
            let chunk = consumer.read_chunk(2);
            let (first, second) = chunk.as_slices();
            received.extend(first.iter().chain(second));
            let len = chunk.len();
            chunk.commit_all();
            if len == 0 {
                if consumer.is_disconnected() && consumer.is_empty() {
                    break;
                }
                thread::yield_now();
            }
        }
        sender.join().unwrap();
        assert_eq!(received, [0, 1, 2]);
    });
}

#[test]
fn consumer_drop_is_seen_by_the_producer() {
    loom::model(|| {
        let (mut producer, mut consumer) = channel(1);
        let receiver = thread::spawn(move || {
            let first = consumer.try_pop();
            drop(consumer);
            first
        });
        let mut pushed = 0;
        loop {
            match producer.try_push(pushed) {
                Ok(()) => pushed += 1,
                Err(error) if error.is_disconnected() => break,
                Err(_) => thread::yield_now(),
            }
        }
        let first = receiver.join().unwrap();
        assert!(
            pushed <= 2,
            "a ring of 1 took {pushed} items with at most one pop"
        );
        assert!(first.is_err() || first == Ok(0));
    });
}

/// A value that counts its drops, to check that the last handle drops the
/// leftovers exactly once whichever handle goes first.
struct Counted(StdArc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn leftovers_dropped_once_by_the_last_handle() {
    loom::model(|| {
        let drops = StdArc::new(AtomicUsize::new(0));
        let (mut producer, mut consumer) = channel(2);
        let counter = StdArc::clone(&drops);
        let sender = thread::spawn(move || {
            for _ in 0..2 {
                let _ = producer.try_push(Counted(StdArc::clone(&counter)));
            }
        });
        let receiver = thread::spawn(move || {
            drop(consumer.try_pop());
        });
        sender.join().unwrap();
        receiver.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 2);
    });
}

/// One round of the handshake: a waiter thread announces itself with
/// `announce` and then looks at a value (withdrawing if it found it), while
/// this thread stores the value and then looks for a waiter. Fails if
/// neither saw the other: the waiter would sleep and nobody would wake it.
fn waiter_meets_publisher(
    flag: &loom::sync::Arc<ring_core::handshake::WaiterFlag>,
    announce: fn(&ring_core::handshake::WaiterFlag) -> bool,
) {
    use loom::sync::atomic::AtomicBool;

    let published = loom::sync::Arc::new(AtomicBool::new(false));
    let waiter = {
        let flag = loom::sync::Arc::clone(flag);
        let published = loom::sync::Arc::clone(&published);
        thread::spawn(move || {
            assert!(announce(&flag), "loom's fences always pair");
            let saw = published.load(Ordering::Relaxed);
            if saw {
                flag.withdraw();
            }
            saw
        })
    };
    published.store(true, Ordering::Relaxed);
    let mut woken = false;
    flag.wake_with(|| woken = true);
    let waiter_saw_value = waiter.join().unwrap();
    assert!(
        waiter_saw_value || woken,
        "the waiter would sleep and nobody would wake it"
    );
}

/// The handshake's core: a waiter that announces itself and then looks at a
/// value, and a publisher that stores the value and then looks for a
/// waiter. In every interleaving at least one of them sees the other.
#[test]
fn waiter_flag_never_misses_both_ways() {
    loom::model(|| {
        let flag = loom::sync::Arc::new(ring_core::handshake::WaiterFlag::default());
        waiter_meets_publisher(&flag, |flag| flag.announce());
        assert!(
            !flag.is_announced(),
            "the announcement was taken or withdrawn"
        );
    });
}

/// The handshake's symmetric mode: a waiter that established the mode in
/// an earlier wait announces itself with a full fence only, while the
/// publisher stores and then looks for it (fencing when it sees the mode).
/// In every interleaving at least one of them sees the other; the mode
/// lasts until the waiter relaxes.
#[test]
fn waiter_flag_in_the_symmetric_mode_never_misses_both_ways() {
    loom::model(|| {
        let flag = loom::sync::Arc::new(ring_core::handshake::WaiterFlag::default());
        // The earlier wait that established the mode.
        assert!(flag.announce_for_long_wait());
        flag.withdraw();
        assert!(flag.is_fenced());
        waiter_meets_publisher(&flag, |flag| flag.announce_for_long_wait());
        assert!(
            !flag.is_announced(),
            "the announcement was taken or withdrawn"
        );
        assert!(flag.is_fenced(), "only the waiter ends the mode");
        flag.relax();
        assert!(!flag.is_fenced());
    });
}

/// A waiter that establishes the symmetric mode while the publisher runs:
/// the establishing announcement pairs through the heavy fence.
#[test]
fn waiter_flag_establishing_the_symmetric_mode_never_misses_both_ways() {
    loom::model(|| {
        let flag = loom::sync::Arc::new(ring_core::handshake::WaiterFlag::default());
        waiter_meets_publisher(&flag, |flag| flag.announce_for_long_wait());
        assert!(
            !flag.is_announced(),
            "the announcement was taken or withdrawn"
        );
    });
}

/// A busy stream asks the waiter to leave the symmetric mode: a waker's
/// request (an RMW on the flag) races with the waiter's next announcement,
/// which declines the mode when it sees the request, as
/// `Spinner::announce` does. No interleaving loses a wake-up, and a
/// declined announcement ends the mode.
#[test]
fn waiter_flag_asked_to_leave_the_symmetric_mode_never_misses_both_ways() {
    loom::model(|| {
        let flag = loom::sync::Arc::new(ring_core::handshake::WaiterFlag::default());
        assert!(flag.announce_for_long_wait());
        flag.withdraw();
        // A publication while the waiter is awake: one short of the
        // request under loom.
        flag.wake_with(|| unreachable!("nobody waits"));
        // No check of the flag's final value here: the waker's request (an
        // RMW) races with the waiter's withdrawal (a load, then a plain
        // store), and loom then lets the joined thread read the RMW's value
        // rather than the later store's. What matters, no lost wake-up, is
        // checked inside.
        waiter_meets_publisher(&flag, |flag| {
            if flag.relax_requested() {
                let paired = flag.announce();
                assert!(!flag.is_fenced(), "a plain announcement ends the mode");
                paired
            } else {
                flag.announce_for_long_wait()
            }
        });
    });
}

/// A flag whose `membarrier` failed after its light half was chosen (a
/// compiler fence, which loom treats as no fence): the first announcement
/// switches it to full fences and cannot rely on them yet; a publication
/// acknowledges the switch, and from then on the handshake pairs through
/// full fences on both sides.
#[test]
fn waiter_flag_after_a_failed_membarrier_pairs_once_the_switch_is_acknowledged() {
    loom::model(|| {
        let flag =
            loom::sync::Arc::new(ring_core::handshake::WaiterFlag::after_failed_membarrier());
        assert!(!flag.announce(), "nothing pairs with a compiler fence");
        assert!(flag.uses_full_fences());
        flag.withdraw();
        // A publication while the waiter is awake acknowledges the switch.
        flag.wake_with(|| unreachable!("nobody waits"));
        waiter_meets_publisher(&flag, |flag| flag.announce());
        assert!(
            !flag.is_announced(),
            "the announcement was taken or withdrawn"
        );
        assert!(flag.uses_full_fences(), "the switch is for good");
    });
}

/// The switch itself racing with two publications: the waiter naps and
/// looks again while its announcements cannot be relied on (as ring-park
/// and ring-async do), and sleeps only on one that can. Whenever it
/// sleeps without having seen the last publication, a later look of the
/// publisher takes its announcement and wakes it.
#[test]
fn waiter_flag_switching_to_full_fences_never_loses_a_wake_up() {
    use loom::sync::atomic::AtomicUsize as LoomUsize;

    loom::model(|| {
        let flag =
            loom::sync::Arc::new(ring_core::handshake::WaiterFlag::after_failed_membarrier());
        let published = loom::sync::Arc::new(LoomUsize::new(0));
        let waiter = {
            let flag = loom::sync::Arc::clone(&flag);
            let published = loom::sync::Arc::clone(&published);
            thread::spawn(move || {
                // Each round but the last ends in a nap.
                for _ in 0..3 {
                    let paired = flag.announce();
                    if published.load(Ordering::Acquire) == 2 {
                        flag.withdraw();
                        return false;
                    }
                    if paired {
                        return true;
                    }
                    flag.withdraw();
                }
                false
            })
        };
        for value in 1..=2 {
            published.store(value, Ordering::Release);
            flag.wake_with(|| {});
        }
        let sleeps = waiter.join().unwrap();
        if sleeps {
            assert!(
                !flag.is_announced(),
                "the waiter sleeps and nobody wakes it"
            );
        }
    });
}

/// A waker that counts its wake-ups, for the waker slot's models.
struct CountingWake(AtomicUsize);

impl std::task::Wake for CountingWake {
    fn wake(self: StdArc<Self>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// A registration racing with a wake: the wake is never lost. Either the
/// waker registered is woken (by the wake, or by the registration that saw
/// the wake under way), or the wake came first and found nothing, and the
/// waker is still in the slot for the next one. A second registration of
/// another waker then races with a second wake the same way.
#[test]
fn waker_slot_never_loses_a_wake_racing_with_a_registration() {
    loom::model(|| {
        let slot = loom::sync::Arc::new(ring_core::waker_slot::WakerSlot::default());
        let first = StdArc::new(CountingWake(AtomicUsize::new(0)));
        let second = StdArc::new(CountingWake(AtomicUsize::new(0)));
        let waking = {
            let slot = loom::sync::Arc::clone(&slot);
            thread::spawn(move || {
                slot.wake();
                slot.wake();
            })
        };
        slot.register(&std::task::Waker::from(StdArc::clone(&first)));
        slot.register(&std::task::Waker::from(StdArc::clone(&second)));
        waking.join().unwrap();
        let left = slot.take();
        let woken = first.0.load(Ordering::Relaxed) + second.0.load(Ordering::Relaxed);
        // Two wakes and two registrations: every registration is either
        // woken or still waiting in the slot (only the latest can be).
        assert!(woken >= 1 || left.is_some(), "a wake was lost");
        if left.is_none() {
            assert!(
                second.0.load(Ordering::Relaxed) >= 1,
                "the latest waker was not woken (first woken {} times)",
                first.0.load(Ordering::Relaxed)
            );
        }
    });
}
