//! A handle of `ring-async` must have at most one pending future at a
//! time. Two `push` futures of one producer would be two producers racing
//! on the tail slot, two `pop` futures two consumers racing on the head
//! slot (an item read twice, or dropped twice), and each handle has room
//! for one task's waker only. Every future borrows its handle mutably, so a
//! second one cannot be made while the first is alive.
fn main() {
    let (mut producer, mut consumer) = ring_async::channel::<u32>(4);

    let first_push = producer.push(1);
    let second_push = producer.push(2);
    drop(first_push);
    drop(second_push);

    let first_pop = consumer.pop();
    let second_pop = consumer.pop();
    drop(first_pop);
    drop(second_pop);
}
