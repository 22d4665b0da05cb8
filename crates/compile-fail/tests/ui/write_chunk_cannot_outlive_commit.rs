//! The slices of a write chunk must not be used after the chunk is
//! committed. `commit` publishes the slots to the consumer, which may pop
//! them at once, so writing through a slice kept past it would race with
//! the consumer's read and overwrite an item without dropping it. `commit`
//! takes the chunk by value while `as_mut_slices` borrows it, which the
//! borrow checker refuses.
use std::mem::MaybeUninit;

fn main() {
    let (mut producer, _consumer) = ring_core::channel::<String>(4);
    let mut chunk = producer.write_chunk_uninit(1);
    let (slots, _wrapped) = chunk.as_mut_slices();
    slots[0] = MaybeUninit::new("first".to_string());
    // SAFETY: the first slot was written just above.
    unsafe { chunk.commit(1) };
    slots[0] = MaybeUninit::new("second".to_string());
}
