//! The working-producer workload: the throughput workload with a producer
//! that spends a little time making each item, as most producers do (they
//! read, parse or compute what they send), so that the consumer is the
//! faster side.
//!
//! A consumer faster than its producer keeps the ring nearly empty, and a
//! consumer right behind its producer pulls each slot's cache line over as
//! soon as it is written: the two sides pass lines back and forth for
//! nearly every item. The plain throughput workload, whose producer only
//! stores, keeps a ring of 1024 nearly full instead and does not show
//! this (a ring of 64 shows some of it).

use std::hint::black_box;
use std::time::Duration;

use crate::{Item, Placement, Queue, throughput_made_by};

/// How many times the producer passes each item's index through
/// `black_box` before it pushes the item: a chain of dependent stores and
/// loads of about 10 ns on the 2-vCPU Intel VM of our reports, enough to
/// make the producer the slower side.
///
/// # Examples
///
/// ```
/// assert_eq!(ring_benches::working::WORK_STEPS, 8);
/// ```
pub const WORK_STEPS: u32 = 8;

/// The index after the producer's work on it: the same number, made
/// through [`WORK_STEPS`] opaque steps.
///
/// # Examples
///
/// ```
/// assert_eq!(ring_benches::working::work_on(41), 41);
/// ```
#[inline(always)]
pub fn work_on(index: u64) -> u64 {
    let mut value = index;
    for _ in 0..WORK_STEPS {
        value = black_box(value);
    }
    value
}

/// The time to move `count` items from a producer thread that works on
/// each one ([`work_on`]) to the measuring consumer thread through a ring
/// of `capacity`, from the producer's first push until the consumer has
/// the last item.
///
/// # Panics
///
/// If an item arrives out of order.
///
/// # Examples
///
/// ```
/// use ring_benches::Placement;
/// use ring_benches::queues::RingSpin;
/// use ring_benches::working::working_producer_throughput;
///
/// let time = working_producer_throughput::<RingSpin, u64>(64, 1_000, Placement::unpinned());
/// assert!(time > std::time::Duration::ZERO);
/// ```
pub fn working_producer_throughput<Q: Queue, T: Item>(
    capacity: usize,
    count: u64,
    placement: Placement,
) -> Duration {
    throughput_made_by::<Q, T>(capacity, count, placement, work_on)
}
