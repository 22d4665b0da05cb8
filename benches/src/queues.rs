//! The implementations under test.

use crate::Queue;

/// This workspace's busy-spinning flavour.
#[derive(Debug)]
pub struct RingSpin;

impl Queue for RingSpin {
    const NAME: &'static str = "ring-spin";
    type Producer = ring_spin::Producer<u64>;
    type Consumer = ring_spin::Consumer<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        ring_spin::channel(capacity)
    }

    #[inline]
    fn push(producer: &mut Self::Producer, value: u64) {
        producer.push(value).expect("consumer gone");
    }

    #[inline]
    fn pop(consumer: &mut Self::Consumer) -> u64 {
        consumer.pop().expect("producer gone")
    }
}

/// rtrb, the fastest SPSC crate measured before this workspace, with the
/// spin loop its documentation suggests.
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

/// ring-core's handles driven directly, spinning on `try_push`/`try_pop`.
#[derive(Debug)]
pub struct RingCore;

impl Queue for RingCore {
    const NAME: &'static str = "ring-core";
    type Producer = ring_core::Producer<u64>;
    type Consumer = ring_core::Consumer<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        ring_core::channel(capacity)
    }

    #[inline]
    fn push(producer: &mut Self::Producer, value: u64) {
        while producer.try_push(value).is_err() {
            std::hint::spin_loop();
        }
    }

    #[inline]
    fn pop(consumer: &mut Self::Consumer) -> u64 {
        loop {
            if let Ok(value) = consumer.try_pop() {
                return value;
            }
            std::hint::spin_loop();
        }
    }
}

/// This workspace's parking flavour.
#[derive(Debug)]
pub struct RingPark;

impl Queue for RingPark {
    const NAME: &'static str = "ring-park";
    type Producer = ring_park::Producer<u64>;
    type Consumer = ring_park::Consumer<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        ring_park::channel(capacity)
    }

    #[inline]
    fn push(producer: &mut Self::Producer, value: u64) {
        producer.push(value).expect("consumer gone");
    }

    #[inline]
    fn pop(consumer: &mut Self::Consumer) -> u64 {
        consumer.pop().expect("producer gone")
    }
}

/// crossbeam-channel's bounded channel, which spins briefly and then
/// parks.
#[derive(Debug)]
pub struct CrossbeamBounded;

impl Queue for CrossbeamBounded {
    const NAME: &'static str = "crossbeam";
    type Producer = crossbeam_channel::Sender<u64>;
    type Consumer = crossbeam_channel::Receiver<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        crossbeam_channel::bounded(capacity)
    }

    #[inline]
    fn push(producer: &mut Self::Producer, value: u64) {
        producer.send(value).expect("receiver gone");
    }

    #[inline]
    fn pop(consumer: &mut Self::Consumer) -> u64 {
        consumer.recv().expect("sender gone")
    }
}

/// The standard library's bounded channel.
#[derive(Debug)]
pub struct StdSyncChannel;

impl Queue for StdSyncChannel {
    const NAME: &'static str = "std-sync";
    type Producer = std::sync::mpsc::SyncSender<u64>;
    type Consumer = std::sync::mpsc::Receiver<u64>;

    fn channel(capacity: usize) -> (Self::Producer, Self::Consumer) {
        std::sync::mpsc::sync_channel(capacity)
    }

    #[inline]
    fn push(producer: &mut Self::Producer, value: u64) {
        producer.send(value).expect("receiver gone");
    }

    #[inline]
    fn pop(consumer: &mut Self::Consumer) -> u64 {
        consumer.recv().expect("sender gone")
    }
}
