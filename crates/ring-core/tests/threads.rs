//! Two threads at once: order, disconnection across threads, and handles
//! that move between threads mid-stream.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use ring_core::{TryPopError, channel};
use test_support::scaled;

/// Pushes `values` in order, yielding while the ring is full.
fn push_sequence(producer: &mut ring_core::Producer<usize>, values: std::ops::Range<usize>) {
    for value in values {
        let mut value = value;
        while let Err(error) = producer.try_push(value) {
            value = error.into_inner();
            thread::yield_now();
        }
    }
}

/// Pops until `count` items arrived, checking that they come in order.
fn expect_sequence(consumer: &mut ring_core::Consumer<usize>, from: usize, count: usize) {
    expect_sequence_popped_by(consumer, from, count, ring_core::Consumer::try_pop);
}

/// [`expect_sequence`], popping with `pop`.
fn expect_sequence_popped_by(
    consumer: &mut ring_core::Consumer<usize>,
    from: usize,
    count: usize,
    pop: fn(&mut ring_core::Consumer<usize>) -> Result<usize, TryPopError>,
) {
    let mut expected = from;
    while expected < from + count {
        match pop(consumer) {
            Ok(value) => {
                assert_eq!(value, expected);
                expected += 1;
            }
            Err(TryPopError::Empty) => thread::yield_now(),
            Err(TryPopError::Disconnected) => panic!("disconnected at {expected}"),
        }
    }
}

#[test]
fn stream_arrives_complete_and_in_order() {
    for capacity in [1, 2, 3, 64, 1000] {
        let count = scaled(100_000);
        let (mut producer, mut consumer) = channel(capacity);
        let sender = thread::spawn(move || push_sequence(&mut producer, 0..count));
        expect_sequence(&mut consumer, 0, count);
        sender.join().unwrap();
        assert_eq!(consumer.try_pop(), Err(TryPopError::Disconnected));
    }
}

#[test]
fn slipping_pops_receive_a_stream_complete_and_in_order() {
    // Capacities 1 and 8 never slip (a quarter of them holds less than a
    // cache line of `usize`s); 32 slips below 8 items, 64 below 16 and
    // 1000 below 64. A producer that yields now and then keeps those rings
    // nearly empty at times, where the slips happen.
    for capacity in [1, 8, 32, 64, 1000] {
        let count = scaled(100_000);
        let (mut producer, mut consumer) = channel(capacity);
        let sender = thread::spawn(move || push_sequence(&mut producer, 0..count));
        expect_sequence_popped_by(
            &mut consumer,
            0,
            count,
            ring_core::Consumer::try_pop_slipping,
        );
        sender.join().unwrap();
        assert_eq!(consumer.try_pop_slipping(), Err(TryPopError::Disconnected));
    }
}

#[test]
fn batches_stream_complete_and_in_order() {
    let count = scaled(100_000);
    let (mut producer, mut consumer) = channel(7);
    let sender = thread::spawn(move || {
        let items: Vec<usize> = (0..count).collect();
        let mut sent = 0;
        while sent < count {
            let end = (sent + 5).min(count);
            sent += producer.push_slice(&items[sent..end]);
            thread::yield_now();
        }
    });
    let mut received = Vec::with_capacity(count);
    let mut buffer = [0; 4];
    loop {
        let popped = consumer.pop_slice(&mut buffer);
        received.extend_from_slice(&buffer[..popped]);
        if popped == 0 {
            if consumer.is_disconnected() && consumer.is_empty() {
                break;
            }
            thread::yield_now();
        }
    }
    sender.join().unwrap();
    assert_eq!(received, (0..count).collect::<Vec<_>>());
}

#[test]
fn handles_move_between_threads_mid_stream() {
    let batch = scaled(10_000);
    let (mut producer, mut consumer) = channel(16);
    for round in 0..4 {
        // Each round runs both handles on fresh threads, passing them back.
        let sender = thread::spawn(move || {
            push_sequence(&mut producer, round * batch..(round + 1) * batch);
            producer
        });
        let receiver = thread::spawn(move || {
            expect_sequence(&mut consumer, round * batch, batch);
            consumer
        });
        producer = sender.join().unwrap();
        consumer = receiver.join().unwrap();
    }
    assert!(consumer.is_empty());
}

/// A write made before the producer drops must be visible to a consumer
/// that saw the disconnection (rtrb#114: `Arc::strong_count` alone does not
/// synchronize). Miri and the sanitizers flag a data race otherwise.
#[test]
fn disconnection_publishes_what_happened_before_the_drop() {
    static mut WRITTEN_BEFORE_DROP: usize = 0;
    for _ in 0..scaled(1000) {
        let (producer, consumer) = channel::<u8>(1);
        let dropper = thread::spawn(move || {
            // SAFETY: no other thread touches the static until it has seen
            // the producer's drop, which happens after this write.
            unsafe { WRITTEN_BEFORE_DROP += 1 };
            drop(producer);
        });
        while !consumer.is_disconnected() {
            thread::yield_now();
        }
        // SAFETY: the write above happens before the drop that we observed
        // with `is_disconnected`, and the dropping thread writes nothing
        // more.
        let _ = unsafe { WRITTEN_BEFORE_DROP };
        dropper.join().unwrap();
    }
}

#[test]
fn last_item_before_the_drop_is_never_lost() {
    for _ in 0..scaled(2000) {
        let (mut producer, mut consumer) = channel(2);
        let sender = thread::spawn(move || {
            producer.try_push(1).unwrap();
            producer.try_push(2).unwrap();
        });
        let mut received = Vec::new();
        loop {
            match consumer.try_pop() {
                Ok(value) => received.push(value),
                Err(TryPopError::Empty) => thread::yield_now(),
                Err(TryPopError::Disconnected) => break,
            }
        }
        sender.join().unwrap();
        assert_eq!(received, [1, 2]);
    }
}

#[test]
fn consumer_drop_is_seen_by_a_pushing_producer() {
    let (mut producer, mut consumer) = channel(4);
    let pops = AtomicUsize::new(0);
    thread::scope(|scope| {
        scope.spawn(|| {
            for _ in 0..3 {
                while consumer.try_pop().is_err() {
                    thread::yield_now();
                }
                pops.fetch_add(1, Ordering::SeqCst);
            }
            drop(consumer);
        });
        let mut value = 0;
        loop {
            match producer.try_push(value) {
                Ok(()) => value += 1,
                Err(error) if error.is_disconnected() => break,
                Err(_) => thread::yield_now(),
            }
        }
    });
    assert_eq!(pops.load(Ordering::SeqCst), 3);
}
