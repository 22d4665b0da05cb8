//! Disconnection seen by both ends: by a drop or by `close_channel` on
//! either side, through every way of pushing, and what the producer can
//! tell about the items it pushed.

mod common;

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use common::{Tracked, drop_count};
use ring_core::{TryPopError, channel};

#[test]
fn chunks_and_slices_write_nothing_once_the_consumer_is_gone() {
    let (mut producer, consumer) = channel(8);
    assert_eq!(producer.push_slice(&[1, 2, 3, 4]), 4);
    drop(consumer);
    assert_eq!(producer.write_chunk_uninit(8).len(), 0);
    assert_eq!(producer.write_chunk_uninit(8).fill_from_iter(10..20), 0);
    assert_eq!(producer.push_slice(&[5, 6]), 0);
    assert!(producer.try_push(7).unwrap_err().is_disconnected());
}

#[test]
fn producer_close_lets_the_consumer_drain_then_disconnects_both() {
    let (mut producer, mut consumer) = channel(4);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    producer.close_channel();
    producer.close_channel(); // A second close changes nothing.
    assert!(producer.is_disconnected());
    assert!(consumer.is_disconnected());
    let refused = producer.try_push(3).unwrap_err();
    assert!(refused.is_disconnected());
    assert_eq!(refused.into_inner(), 3);
    assert_eq!(producer.push_slice(&[4]), 0);
    assert_eq!(consumer.try_pop(), Ok(1));
    assert_eq!(consumer.try_pop(), Ok(2));
    assert_eq!(consumer.try_pop(), Err(TryPopError::Disconnected));
    assert!(!producer.has_undeliverable_items());
}

#[test]
fn consumer_close_refuses_pushes_and_keeps_the_items_poppable() {
    let (mut producer, mut consumer) = channel(4);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    consumer.close_channel();
    consumer.close_channel();
    assert!(producer.is_disconnected());
    assert!(consumer.is_disconnected());
    assert_eq!(producer.try_push(3).unwrap_err().into_inner(), 3);
    assert!(producer.has_undeliverable_items(), "closed with items left");
    assert_eq!(consumer.try_pop(), Ok(1));
    assert_eq!(consumer.try_pop(), Ok(2));
    assert_eq!(consumer.try_pop(), Err(TryPopError::Disconnected));
    assert!(!producer.has_undeliverable_items(), "all popped after all");
}

#[test]
fn the_producer_learns_whether_everything_was_delivered() {
    let (mut producer, mut consumer) = channel(4);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    assert!(!producer.has_undeliverable_items(), "the consumer is there");
    consumer.read_chunk(2).commit_all();
    drop(consumer);
    assert!(!producer.has_undeliverable_items(), "every item was popped");

    let (mut producer, consumer) = channel(4);
    assert_eq!(producer.push_slice(&[1, 2]), 2);
    drop(consumer);
    assert!(producer.is_empty(), "the consumer's drop freed the slots");
    assert!(producer.has_undeliverable_items(), "it dropped two unread");
}

#[test]
fn consumer_close_then_drop_drops_what_it_left() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, mut consumer) = channel(4);
    for value in 0..3 {
        producer.try_push(Tracked::new(value, &drops)).unwrap();
    }
    consumer.close_channel();
    assert_eq!(consumer.try_pop().unwrap().value, 0);
    assert_eq!(drop_count(&drops), 1);
    drop(consumer);
    assert_eq!(drop_count(&drops), 3, "dropped with the consumer");
    drop(producer);
    assert_eq!(drop_count(&drops), 3, "and only once");
}
