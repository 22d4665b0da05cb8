//! The reference returned by `peek` must not outlive the next pop. Popping
//! moves the item out of its slot and frees the slot for the producer,
//! which may overwrite it at once, so a peeked reference kept across
//! `try_pop` would read a moved or overwritten item.
fn main() {
    let (mut producer, mut consumer) = ring_core::channel::<String>(4);
    producer.try_push("first".to_string()).unwrap();
    let front = consumer.peek().unwrap();
    let _ = consumer.try_pop();
    assert_eq!(front, "first");
}
