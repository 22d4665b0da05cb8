//! A ring must have exactly one producer. Two producers would both write
//! the slot at the tail index and both publish it, so one item would be
//! overwritten without being dropped, or the consumer would read a slot
//! that is still being written. The producer is not `Clone`, and pushing
//! takes `&mut self`, so two threads cannot push through one producer.
fn cloned_producer() {
    let (mut producer, _consumer) = ring_spin::channel::<u32>(4);
    let mut second = producer.clone();
    producer.push(1).unwrap();
    second.push(2).unwrap();
}

fn shared_producer() {
    let (mut producer, _consumer) = ring_spin::channel::<u32>(4);
    std::thread::scope(|scope| {
        scope.spawn(|| producer.push(1).unwrap());
        scope.spawn(|| producer.push(2).unwrap());
    });
}

fn main() {
    cloned_producer();
    shared_producer();
}
