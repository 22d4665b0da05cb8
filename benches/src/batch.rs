//! The batch workload: the throughput workload with items moved in slices
//! of up to [`BATCH`] (`push_slice`/`pop_slice` or the chunk API) instead
//! of one at a time, for the implementations that have batch operations.

use std::hint::spin_loop;
use std::time::{Duration, Instant};

use crate::queues::{RingPark, RingSpin, Rtrb};
use crate::{Placement, Queue, Workload, on_two_threads};

/// The most items one batch operation moves.
pub const BATCH: usize = 64;

/// An implementation with batch operations on `u64`s.
pub trait BatchQueue: Queue {
    /// Pushes a prefix of `items`, waiting as the implementation's users
    /// would while none fits; returns how many were pushed (at least one).
    fn push_some(producer: &mut Self::Producer<u64>, items: &[u64]) -> usize;
    /// Pops into a prefix of `out`, waiting while the ring is empty;
    /// returns how many were popped (at least one).
    fn pop_some(consumer: &mut Self::Consumer<u64>, out: &mut [u64]) -> usize;
}

/// For the flavours of this workspace: a slice when it fits, else one
/// item through the flavour's own waiting push or pop.
macro_rules! waiting_batches {
    ($queue:ident) => {
        impl BatchQueue for $queue {
            #[inline]
            fn push_some(producer: &mut Self::Producer<u64>, items: &[u64]) -> usize {
                match producer.push_slice(items) {
                    0 => {
                        producer.push(items[0]).expect("the consumer is gone");
                        1
                    }
                    pushed => pushed,
                }
            }

            #[inline]
            fn pop_some(consumer: &mut Self::Consumer<u64>, out: &mut [u64]) -> usize {
                match consumer.pop_slice(out) {
                    0 => {
                        out[0] = consumer.pop().expect("the producer is gone");
                        1
                    }
                    popped => popped,
                }
            }
        }
    };
}

waiting_batches!(RingSpin);
waiting_batches!(RingPark);

/// rtrb's chunk API, spinning while nothing fits or nothing is there.
impl BatchQueue for Rtrb {
    #[inline]
    fn push_some(producer: &mut Self::Producer<u64>, items: &[u64]) -> usize {
        loop {
            let fits = producer.slots().min(items.len());
            if fits > 0 {
                let chunk = producer
                    .write_chunk_uninit(fits)
                    .expect("the free slots were counted");
                return chunk.fill_from_iter(items.iter().copied());
            }
            spin_loop();
        }
    }

    #[inline]
    fn pop_some(consumer: &mut Self::Consumer<u64>, out: &mut [u64]) -> usize {
        loop {
            let there = consumer.slots().min(out.len());
            if there > 0 {
                let chunk = consumer.read_chunk(there).expect("the items were counted");
                let (first, second) = chunk.as_slices();
                out[..first.len()].copy_from_slice(first);
                out[first.len()..there].copy_from_slice(second);
                chunk.commit_all();
                return there;
            }
            spin_loop();
        }
    }
}

/// The time to move `count` items in batches from a producer thread to
/// the measuring consumer thread, which checks every item: from the
/// producer's first push until the consumer has the last item.
///
/// # Panics
///
/// If an item arrives out of order.
pub fn batch_throughput<Q: BatchQueue>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    let (mut producer, mut consumer) = Q::channel::<u64>(capacity);
    let (started, finished) = on_two_threads(
        placement,
        move || {
            let started = Instant::now();
            let mut next = 0;
            let mut batch = [0; BATCH];
            while next < count {
                let len = (count - next).min(BATCH as u64) as usize;
                for (slot, value) in batch.iter_mut().zip(next..) {
                    *slot = value;
                }
                let mut pushed = 0;
                while pushed < len {
                    pushed += Q::push_some(&mut producer, &batch[pushed..len]);
                }
                next += len as u64;
            }
            started
        },
        move || {
            let mut expected = 0;
            let mut batch = [0; BATCH];
            while expected < count {
                let popped = Q::pop_some(&mut consumer, &mut batch);
                for &value in &batch[..popped] {
                    assert_eq!(value, expected, "{} delivered out of order", Q::NAME);
                    expected += 1;
                }
            }
            Instant::now()
        },
    );
    finished.saturating_duration_since(started)
}

/// The batch workload of the implementation named `name`, if it has one.
pub fn batch_workload(name: &str) -> Option<Workload> {
    match name {
        RingSpin::NAME => Some(batch_throughput::<RingSpin>),
        RingPark::NAME => Some(batch_throughput::<RingPark>),
        Rtrb::NAME => Some(batch_throughput::<Rtrb>),
        <crate::tasks::RingAsync as crate::tasks::AsyncQueue>::NAME => {
            Some(crate::tasks::batch_throughput_tasks)
        }
        _ => None,
    }
}
