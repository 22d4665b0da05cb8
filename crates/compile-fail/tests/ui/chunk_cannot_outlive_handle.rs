//! A chunk must not outlive the handle it was taken from. Dropping the
//! last handle frees the ring's storage and drops the items still in it,
//! so a chunk used after its handle is gone would read or write freed
//! memory. Each chunk borrows its handle mutably, so the handle cannot be
//! moved into `drop` while the chunk is alive.
use std::mem::MaybeUninit;

fn read_chunk_after_consumer_drop() {
    let (mut producer, mut consumer) = ring_core::channel::<String>(4);
    producer.try_push("first".to_string()).unwrap();
    drop(producer);
    let chunk = consumer.read_chunk(1);
    drop(consumer);
    assert_eq!(chunk.as_slices().0[0], "first");
}

fn write_chunk_after_producer_drop() {
    let (mut producer, consumer) = ring_core::channel::<String>(4);
    drop(consumer);
    let mut chunk = producer.write_chunk_uninit(1);
    drop(producer);
    chunk.as_mut_slices().0[0] = MaybeUninit::new("first".to_string());
}

fn main() {
    read_chunk_after_consumer_drop();
    write_chunk_after_producer_drop();
}
