//! The implementations under test.

use crate::Queue;

/// Implements [`Queue`] for an implementation whose handles wait by
/// themselves: `$push` waits for space and `$pop` for an item, each
/// returning a `Result` that is `Err` only once the other side is gone.
macro_rules! waiting_queue {
    (
        $(#[$doc:meta])*
        $queue:ident, $name:literal,
        $producer:ty, $consumer:ty,
        channel = $channel:path, push = $push:ident, pop = $pop:ident $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $queue;

        impl Queue for $queue {
            const NAME: &'static str = $name;
            type Producer = $producer;
            type Consumer = $consumer;

            fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
                $channel(capacity)
            }

            #[inline]
            fn push(producer: &mut Self::Producer, value: u64) {
                producer.$push(value).expect("the consumer is gone");
            }

            #[inline]
            fn pop(consumer: &mut Self::Consumer) -> u64 {
                consumer.$pop().expect("the producer is gone")
            }
        }
    };
}

waiting_queue! {
    /// This workspace's busy-spinning flavour.
    RingSpin, "ring-spin",
    ring_spin::Producer<u64>, ring_spin::Consumer<u64>,
    channel = ring_spin::channel, push = push, pop = pop,
}

waiting_queue! {
    /// This workspace's parking flavour.
    RingPark, "ring-park",
    ring_park::Producer<u64>, ring_park::Consumer<u64>,
    channel = ring_park::channel, push = push, pop = pop,
}

waiting_queue! {
    /// crossbeam-channel's bounded channel, which spins briefly and then
    /// parks.
    CrossbeamBounded, "crossbeam",
    crossbeam_channel::Sender<u64>, crossbeam_channel::Receiver<u64>,
    channel = crossbeam_channel::bounded, push = send, pop = recv,
}

waiting_queue! {
    /// The standard library's bounded channel.
    StdSyncChannel, "std-sync",
    std::sync::mpsc::SyncSender<u64>, std::sync::mpsc::Receiver<u64>,
    channel = std::sync::mpsc::sync_channel, push = send, pop = recv,
}

/// rtrb, the fastest SPSC crate measured before this workspace, with the
/// spin loop its documentation suggests (its handles never wait).
#[derive(Debug)]
pub struct Rtrb;

impl Queue for Rtrb {
    const NAME: &'static str = "rtrb";
    type Producer = rtrb::Producer<u64>;
    type Consumer = rtrb::Consumer<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        rtrb::RingBuffer::new(capacity)
    }

    #[inline]
    fn push(producer: &mut Self::Producer, value: u64) {
        while producer.push(value).is_err() {
            std::hint::spin_loop();
        }
    }

    #[inline]
    fn pop(consumer: &mut Self::Consumer) -> u64 {
        loop {
            if let Ok(value) = consumer.pop() {
                return value;
            }
            std::hint::spin_loop();
        }
    }
}
