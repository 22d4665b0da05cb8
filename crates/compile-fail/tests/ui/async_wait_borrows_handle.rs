//! A pending `wait_items(n)` or `closed()` future borrows its handle
//! mutably, so the handle cannot pop or push while the wait is pending. A
//! pop between the count the wait saw and the wake-up it registered for
//! would make its answer ("n items are there") false, and a second waiter
//! on one handle would displace the first one's waker. The pop below has
//! to wait until the wait is over.
fn main() {
    let (mut producer, mut consumer) = ring_async::channel::<u32>(8);
    let wait = consumer.wait_items(2);
    let _ = consumer.try_pop();
    drop(wait);

    let closed = producer.closed();
    let _ = producer.try_push(1);
    drop(closed);
}
