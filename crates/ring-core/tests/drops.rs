//! Every item is dropped exactly once: popped, committed, left in the ring
//! when either handle goes first, or around a panicking destructor.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Tracked, drop_count};
use ring_core::channel;

/// Pushes `pushed` items into a ring of 5, pops `popped`, and drops the
/// handles in the given order; the items left are dropped with the ring.
fn leave_items_behind(pushed: u64, popped: u64, producer_first: bool) {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, mut consumer) = channel(5);
    // Move the indices off zero so that the leftovers wrap around.
    for value in 0..3 {
        producer.try_push(Tracked::new(value, &drops)).unwrap();
        drop(consumer.try_pop().unwrap());
    }
    for value in 0..pushed {
        producer.try_push(Tracked::new(value, &drops)).unwrap();
    }
    for value in 0..popped {
        assert_eq!(consumer.try_pop().unwrap().value, value);
    }
    assert_eq!(drop_count(&drops), 3 + popped as usize);
    if producer_first {
        drop(producer);
        assert_eq!(
            drop_count(&drops),
            3 + popped as usize,
            "items outlive the producer"
        );
        drop(consumer);
    } else {
        drop(consumer);
        assert_eq!(
            drop_count(&drops),
            3 + pushed as usize,
            "the consumer's drop drops the items in the ring at once"
        );
        drop(producer);
    }
    assert_eq!(drop_count(&drops), 3 + pushed as usize);
}

#[test]
fn leftovers_dropped_once_whichever_handle_goes_first() {
    for pushed in 0..=5 {
        for popped in 0..=pushed {
            leave_items_behind(pushed, popped, true);
            leave_items_behind(pushed, popped, false);
        }
    }
}

#[test]
fn rejected_pushes_hand_the_value_back_undropped() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, consumer) = channel(1);
    producer.try_push(Tracked::new(1, &drops)).unwrap();
    let full = producer.try_push(Tracked::new(2, &drops)).unwrap_err();
    assert_eq!(drop_count(&drops), 0);
    assert_eq!(full.into_inner().value, 2);
    drop(consumer);
    assert_eq!(drop_count(&drops), 2, "the consumer's drop dropped item 1");
    let gone = producer.try_push(Tracked::new(3, &drops)).unwrap_err();
    assert!(gone.is_disconnected());
    assert_eq!(drop_count(&drops), 2, "the refused value is handed back");
    assert_eq!(gone.into_inner().value, 3);
    assert_eq!(drop_count(&drops), 3);
    drop(producer);
    assert_eq!(drop_count(&drops), 3);
}

/// An item whose destructor panics when its value is odd.
struct PanicsOnDrop {
    value: u64,
    drops: Arc<AtomicUsize>,
}

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
        if self.value % 2 == 1 && !std::thread::panicking() {
            panic!("drop of item {}", self.value);
        }
    }
}

/// Pushes a `PanicsOnDrop` item of `value` into a ring that has room.
fn push_panicking(
    producer: &mut ring_core::Producer<PanicsOnDrop>,
    value: u64,
    drops: &Arc<AtomicUsize>,
) {
    producer
        .try_push(PanicsOnDrop {
            value,
            drops: Arc::clone(drops),
        })
        .unwrap_or_else(|_| panic!("ring full"));
}

#[test]
fn panicking_destructors_while_the_ring_drops() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, mut consumer) = channel(4);
    // Wrap the indices, so that the leftovers span both runs of slots.
    for value in [0, 2, 4] {
        push_panicking(&mut producer, value, &drops);
        drop(consumer.try_pop());
    }
    for value in [1, 2, 4, 6] {
        push_panicking(&mut producer, value, &drops);
    }
    drop(producer);
    let result = catch_unwind(AssertUnwindSafe(move || drop(consumer)));
    assert!(result.is_err(), "the panic reaches the dropping thread");
    assert_eq!(drop_count(&drops), 3 + 4, "every item dropped exactly once");
}

#[test]
fn panicking_destructor_while_the_consumer_drops_first() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, consumer) = channel(4);
    for value in [0, 1, 2, 4] {
        push_panicking(&mut producer, value, &drops);
    }
    let result = catch_unwind(AssertUnwindSafe(move || drop(consumer)));
    assert!(result.is_err(), "the panic reaches the dropping thread");
    assert!(
        producer.is_disconnected(),
        "the consumer is gone all the same"
    );
    assert_eq!(drop_count(&drops), 2, "dropped up to the panicking item");
    assert!(producer.has_undeliverable_items());
    drop(producer);
    assert_eq!(
        drop_count(&drops),
        4,
        "the ring's drop takes the rest, once"
    );
}

#[test]
fn panicking_destructor_in_a_read_chunk_commit() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, mut consumer) = channel(4);
    for value in [0, 1, 2, 4] {
        push_panicking(&mut producer, value, &drops);
    }
    let result = catch_unwind(AssertUnwindSafe(|| consumer.read_chunk(4).commit(3)));
    assert!(result.is_err());
    // Items 0 and 1 were dropped (1 panicked), 2 and 4 are still there.
    assert_eq!(drop_count(&drops), 2);
    assert_eq!(consumer.len(), 2);
    assert_eq!(consumer.peek().map(|item| item.value), Some(2));
    assert_eq!(producer.free_slots(), 2);
    drop(consumer);
    drop(producer);
    assert_eq!(drop_count(&drops), 4);
}

#[test]
fn read_chunk_commit_and_iteration_drop_what_they_take() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, mut consumer) = channel(6);
    let pushed = producer
        .write_chunk_uninit(6)
        .fill_from_iter((0..6).map(|value| Tracked::new(value, &drops)));
    assert_eq!(pushed, 6);
    consumer.read_chunk(2).commit(1);
    assert_eq!(drop_count(&drops), 1);
    let mut items = consumer.read_chunk(3).into_iter();
    assert_eq!(items.next().map(|item| item.value), Some(1));
    drop(items);
    assert_eq!(drop_count(&drops), 2);
    {
        let uncommitted = consumer.read_chunk(2);
        assert_eq!(uncommitted.len(), 2);
    } // Never committed: nothing dropped.
    assert_eq!(drop_count(&drops), 2);
    assert_eq!(consumer.len(), 4);
    drop(producer);
    drop(consumer);
    assert_eq!(drop_count(&drops), 6);
}

#[test]
fn leaked_read_chunk_iterator_does_not_double_drop() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, mut consumer) = channel(4);
    let pushed = producer
        .write_chunk_uninit(4)
        .fill_from_iter((0..4).map(|value| Tracked::new(value, &drops)));
    assert_eq!(pushed, 4);
    let mut items = consumer.read_chunk(4).into_iter();
    let first = items.next().unwrap();
    std::mem::forget(items);
    assert_eq!(first.value, 0);
    drop(first);
    // The consumer knows the first item is gone even though the iterator
    // never published its head.
    assert_eq!(consumer.try_pop().unwrap().value, 1);
    drop(consumer);
    drop(producer);
    assert_eq!(drop_count(&drops), 4);
}

#[test]
fn uncommitted_write_chunk_leaves_the_ring_unchanged() {
    let (mut producer, consumer) = channel::<u64>(3);
    {
        let mut chunk = producer.write_chunk_uninit(3);
        chunk.as_mut_slices().0[0].write(7);
    } // Written but never committed: the consumer never sees it.
    assert!(consumer.is_empty());
    assert_eq!(producer.free_slots(), 3);
}

#[test]
fn a_panicking_iterator_still_publishes_what_it_wrote() {
    let (mut producer, mut consumer) = channel::<String>(4);
    let result = catch_unwind(AssertUnwindSafe(|| {
        producer
            .write_chunk_uninit(4)
            .fill_from_iter((0..4).map(|index| {
                assert!(index < 2, "the iterator fails at item {index}");
                index.to_string()
            }))
    }));
    assert!(result.is_err());
    assert_eq!(consumer.try_iter().collect::<Vec<_>>(), ["0", "1"]);
}

#[test]
fn leaked_read_chunk_iterator_does_not_starve_the_producer() {
    let (mut producer, mut consumer) = channel(1);
    producer.try_push(1).unwrap();
    let mut items = consumer.read_chunk(1).into_iter();
    assert_eq!(items.next(), Some(1));
    std::mem::forget(items);
    // The consumer finds the ring empty, which publishes the leaked read.
    assert!(consumer.try_pop().unwrap_err().is_empty());
    assert_eq!(producer.try_push(2), Ok(()));
    // Lending a chunk publishes a leaked read too.
    let mut items = consumer.read_chunk(1).into_iter();
    assert_eq!(items.next(), Some(2));
    std::mem::forget(items);
    assert!(consumer.read_chunk(1).is_empty());
    assert_eq!(producer.try_push(3), Ok(()));
}
