//! The implementations under test.

use crate::{Item, Queue};

/// Implements [`Queue`] for an implementation whose handles wait by
/// themselves: `$push` waits for space and `$pop` for an item, each
/// returning a `Result` that is `Err` only once the other side is gone.
macro_rules! waiting_queue {
    (
        $(#[$doc:meta])*
        $queue:ident, $name:literal,
        $($producer:ident)::+, $($consumer:ident)::+,
        channel = $channel:path, push = $push:ident, pop = $pop:ident $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $queue;

        impl Queue for $queue {
            const NAME: &'static str = $name;
            type Producer<T: Item> = $($producer)::+<T>;
            type Consumer<T: Item> = $($consumer)::+<T>;

            fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
                $channel(capacity)
            }

            #[inline(always)]
            fn push<T: Item>(producer: &mut Self::Producer<T>, value: T) {
                if producer.$push(value).is_err() {
                    panic!("the consumer is gone");
                }
            }

            #[inline(always)]
            fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> T {
                match consumer.$pop() {
                    Ok(value) => value,
                    Err(_) => panic!("the producer is gone"),
                }
            }
        }
    };
}

waiting_queue! {
    /// This workspace's busy-spinning flavour.
    RingSpin, "ring-spin",
    ring_spin::Producer, ring_spin::Consumer,
    channel = ring_spin::channel, push = push, pop = pop,
}

waiting_queue! {
    /// crossbeam-channel's bounded channel, which spins briefly and then
    /// parks.
    CrossbeamBounded, "crossbeam-channel bounded",
    crossbeam_channel::Sender, crossbeam_channel::Receiver,
    channel = crossbeam_channel::bounded, push = send, pop = recv,
}

waiting_queue! {
    /// The standard library's bounded channel.
    StdSyncChannel, "std sync_channel",
    std::sync::mpsc::SyncSender, std::sync::mpsc::Receiver,
    channel = std::sync::mpsc::sync_channel, push = send, pop = recv,
}

/// Offers `value` to `try_push` until it takes it, spinning between
/// tries: how users of a ring whose handles never wait push into it.
#[inline(always)]
fn spin_push<T>(mut value: T, mut try_push: impl FnMut(T) -> Result<(), T>) {
    while let Err(returned) = try_push(value) {
        value = returned;
        std::hint::spin_loop();
    }
}

/// Asks `try_pop` until it gives an item, spinning between tries.
#[inline(always)]
fn spin_pop<T>(mut try_pop: impl FnMut() -> Option<T>) -> T {
    loop {
        if let Some(value) = try_pop() {
            return value;
        }
        std::hint::spin_loop();
    }
}

/// rtrb, the fastest SPSC crate measured before this workspace, with the
/// spin loop its documentation suggests (its handles never wait).
#[derive(Debug)]
pub struct Rtrb;

impl Queue for Rtrb {
    const NAME: &'static str = "rtrb";
    type Producer<T: Item> = rtrb::Producer<T>;
    type Consumer<T: Item> = rtrb::Consumer<T>;

    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
        rtrb::RingBuffer::new(capacity)
    }

    #[inline(always)]
    fn push<T: Item>(producer: &mut Self::Producer<T>, value: T) {
        spin_push(value, |value| {
            producer
                .push(value)
                .map_err(|rtrb::PushError::Full(value)| value)
        });
    }

    #[inline(always)]
    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> T {
        spin_pop(|| consumer.pop().ok())
    }
}

waiting_queue! {
    /// flume's bounded channel (default features), an MPMC channel behind
    /// a mutex whose waiting side parks at once (no spin phase without
    /// flume's `spin` feature), often chosen over crossbeam-channel.
    FlumeBounded, "flume bounded",
    flume::Sender, flume::Receiver,
    channel = flume::bounded, push = send, pop = recv,
}

/// ringbuf's heap ring (`HeapRb`, split into its caching producer and
/// consumer), spun on as rtrb is: its handles never wait either.
#[derive(Debug)]
pub struct Ringbuf;

impl Queue for Ringbuf {
    const NAME: &'static str = "ringbuf";
    type Producer<T: Item> = ringbuf::HeapProd<T>;
    type Consumer<T: Item> = ringbuf::HeapCons<T>;

    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
        use ringbuf::traits::Split as _;
        ringbuf::HeapRb::new(capacity).split()
    }

    #[inline(always)]
    fn push<T: Item>(producer: &mut Self::Producer<T>, value: T) {
        use ringbuf::traits::Producer as _;
        spin_push(value, |value| producer.try_push(value));
    }

    #[inline(always)]
    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> T {
        use ringbuf::traits::Consumer as _;
        spin_pop(|| consumer.try_pop())
    }
}

/// crossbeam-queue's `ArrayQueue`, a bounded MPMC queue that users often
/// pick for SPSC too, shared through an `Arc` and spun on.
#[derive(Debug)]
pub struct ArrayQueue;

impl Queue for ArrayQueue {
    const NAME: &'static str = "crossbeam-queue ArrayQueue";
    type Producer<T: Item> = std::sync::Arc<crossbeam_queue::ArrayQueue<T>>;
    type Consumer<T: Item> = std::sync::Arc<crossbeam_queue::ArrayQueue<T>>;

    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
        let queue = std::sync::Arc::new(crossbeam_queue::ArrayQueue::new(capacity));
        (std::sync::Arc::clone(&queue), queue)
    }

    #[inline(always)]
    fn push<T: Item>(producer: &mut Self::Producer<T>, value: T) {
        spin_push(value, |value| producer.push(value));
    }

    #[inline(always)]
    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> T {
        spin_pop(|| consumer.pop())
    }
}

/// The spin length of the policy variants below, in microseconds, with
/// [`FRUGAL_SPIN`] for the default policy.
pub const FRUGAL_SPIN: u64 = u64::MAX;

/// The spin policy a variant's `MICROS` stands for.
pub fn spin_policy(micros: u64) -> ring_park::SpinPolicy {
    if micros == FRUGAL_SPIN {
        ring_park::SpinPolicy::FRUGAL
    } else {
        ring_park::SpinPolicy::fixed(std::time::Duration::from_micros(micros))
    }
}

/// This workspace's parking flavour, as `channel` makes it.
pub type RingPark = RingParkSpin<FRUGAL_SPIN>;

/// ring-park whose handles spin `MICROS` µs before they park (or as the
/// default policy, for [`FRUGAL_SPIN`]): the points of the spin trade-off.
#[derive(Debug)]
pub struct RingParkSpin<const MICROS: u64>;

impl<const MICROS: u64> Queue for RingParkSpin<MICROS> {
    const NAME: &'static str = if MICROS == FRUGAL_SPIN {
        "ring-park"
    } else {
        "ring-park (spin policy)"
    };
    type Producer<T: Item> = ring_park::Producer<T>;
    type Consumer<T: Item> = ring_park::Consumer<T>;

    fn channel<T: Item>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
        ring_park::channel_with(capacity, spin_policy(MICROS))
    }

    #[inline(always)]
    fn push<T: Item>(producer: &mut Self::Producer<T>, value: T) {
        if producer.push(value).is_err() {
            panic!("the consumer is gone");
        }
    }

    #[inline(always)]
    fn pop<T: Item>(consumer: &mut Self::Consumer<T>) -> T {
        consumer.pop().expect("the producer is gone")
    }
}
