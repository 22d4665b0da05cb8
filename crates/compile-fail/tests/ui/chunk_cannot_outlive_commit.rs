//! The slices of a read chunk must not be used after the chunk is
//! committed. `commit` drops the committed items and frees their slots for
//! the producer, so a slice kept past it would read dropped items, or
//! items the producer is overwriting. `commit` takes the chunk by value
//! while `as_slices` borrows it, which the borrow checker refuses.
fn main() {
    let (mut producer, mut consumer) = ring_core::channel::<String>(4);
    producer.try_push("first".to_string()).unwrap();
    let chunk = consumer.read_chunk(1);
    let (items, _wrapped) = chunk.as_slices();
    chunk.commit(1);
    assert_eq!(items[0], "first");
}
