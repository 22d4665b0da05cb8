//! Exact capacity, for every size from 1 up, and clear panics for bad ones.

use ring_core::{TryPopError, TryPushError, channel};
use test_support::scaled;

/// Fills the ring to exactly its capacity, checks it refuses one more, and
/// drains it, `rounds` times so that the indices wrap around.
fn fill_and_drain(capacity: usize, rounds: usize) {
    let (mut producer, mut consumer) = channel::<usize>(capacity);
    assert_eq!(producer.capacity(), capacity);
    assert_eq!(consumer.capacity(), capacity);
    let mut next = 0;
    for _ in 0..rounds {
        for _ in 0..capacity {
            producer.try_push(next).unwrap();
            next += 1;
        }
        assert!(producer.is_full() && consumer.is_full());
        assert_eq!(producer.len(), capacity);
        assert_eq!(
            producer.try_push(usize::MAX),
            Err(TryPushError::Full(usize::MAX))
        );
        for expected in next - capacity..next {
            assert_eq!(consumer.try_pop(), Ok(expected));
        }
        assert!(producer.is_empty() && consumer.is_empty());
        assert_eq!(consumer.try_pop(), Err(TryPopError::Empty));
    }
}

#[test]
fn small_capacities_hold_exactly_their_capacity() {
    for capacity in 1..=9 {
        fill_and_drain(capacity, 5);
    }
}

#[test]
fn large_non_power_of_two_capacity() {
    fill_and_drain(scaled(100_003), 3);
}

#[test]
fn wraps_around_many_times_with_a_partly_full_ring() {
    for capacity in [1, 2, 3, 7] {
        let (mut producer, mut consumer) = channel::<usize>(capacity);
        let lead = capacity - 1;
        for value in 0..lead {
            producer.try_push(value).unwrap();
        }
        // Each step pushes one and pops one, so the indices make many laps
        // of `2 * capacity` with a constant fill.
        for value in lead..scaled(50_000) {
            producer.try_push(value).unwrap();
            assert_eq!(consumer.try_pop(), Ok(value - lead));
            assert_eq!(consumer.len(), lead);
        }
    }
}

#[test]
#[should_panic(expected = "ring capacity must be at least 1, got 0")]
fn zero_capacity_panics_with_a_clear_message() {
    let _ = channel::<u8>(0);
}

#[test]
#[should_panic(expected = "overflow the largest allocation")]
fn capacity_overflowing_the_allocation_panics() {
    let _ = channel::<u64>(usize::MAX / 4);
}

#[test]
#[should_panic(expected = "is too large")]
fn capacity_overflowing_the_index_range_panics() {
    let _ = channel::<()>(usize::MAX);
}

#[test]
fn max_capacity_is_the_limit_of_what_can_be_asked() {
    assert_eq!(ring_core::max_capacity::<()>(), ring_core::MAX_CAPACITY);
    let largest = ring_core::max_capacity::<[u8; 1024]>();
    let result = std::panic::catch_unwind(|| channel::<[u8; 1024]>(largest + 1));
    assert!(result.is_err(), "one past max_capacity must panic");
}

#[test]
fn zero_sized_items_use_the_full_index_range() {
    let capacity = ring_core::MAX_CAPACITY;
    let (mut producer, mut consumer) = channel::<()>(capacity);
    for _ in 0..3 {
        producer.try_push(()).unwrap();
    }
    assert_eq!(consumer.len(), 3);
    assert_eq!(producer.free_slots(), capacity - 3);
    assert_eq!(consumer.pop_slice(&mut [(); 5]), 3);
    assert!(consumer.is_empty());
}

#[test]
fn zero_sized_items_fill_and_drain() {
    let (mut producer, mut consumer) = channel::<()>(3);
    assert_eq!(producer.push_slice(&[(); 5]), 3);
    assert!(producer.try_push(()).unwrap_err().is_full());
    assert_eq!(consumer.try_iter().count(), 3);
}
