//! A handle of a ring of `Rc` must not move to another thread. `Rc` is not
//! `Send`: its reference count is not atomic, so an `Rc` pushed on one
//! thread and popped (or dropped with the ring) on another could race with
//! its clones left behind. The handles are `Send` only when the item is.
use std::rc::Rc;

fn producer_to_another_thread() {
    let (mut producer, _consumer) = ring_spin::channel::<Rc<u32>>(4);
    std::thread::spawn(move || {
        producer.push(Rc::new(1)).unwrap();
    });
}

fn consumer_to_another_thread() {
    let (_producer, mut consumer) = ring_core::channel::<Rc<u32>>(4);
    std::thread::spawn(move || {
        let _ = consumer.try_pop();
    });
}

fn main() {
    producer_to_another_thread();
    consumer_to_another_thread();
}
