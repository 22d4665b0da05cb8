//! Temporal slipping (FastForward's term): a waiting consumer that keeps
//! finding only a few items in a ring that a busy producer is filling lets
//! the producer get a few cache lines ahead before it reads on.
//!
//! A streaming ring has two stable states. In one, the consumer trails the
//! producer by many cache lines: it reads lines the producer finished long
//! ago and reloads the producer's `tail` once per many items, so each line
//! crosses between the cores about once. In the other, the consumer is
//! right behind the producer: it reads each slot just after it was
//! written and reloads `tail` every few items, so the slot line and the
//! `tail` line cross for nearly every item, and the producer's stores wait
//! for lines the consumer keeps taking away. Each state sustains itself,
//! and a consumer faster than its producer (the usual case: a producer
//! has an item to make, the consumer often only stores it) falls into the
//! second. On a 2-vCPU Intel VM, with a producer that spent about 10 ns on
//! each item (the benchmark's working-producer workload), ring-spin
//! streamed u64s at 19 to 25 M items/s without the slip below and at 88 to
//! 105 M with it (rtrb 0.4.1: 30 to 38 M). A producer that only stores is
//! faster than the consumer and keeps a large ring nearly full, where the
//! slip never starts; in a ring of 64 it still runs close behind and the
//! slip doubled the rate (47 to 62 M items/s against 92 to 97 M).
//!
//! The slip costs latency only while items arrive back to back. It starts
//! only when the look at `tail` before also found items, so a consumer
//! that found the ring empty (a round trip, a paced stream) takes the first
//! item it sees at once; and it ends at the first look that finds no new
//! item, so a producer that is not streaming costs it 8 hints at most.

/// How many cache lines ahead the producer should be before the consumer
/// reads on: far enough that the two never work on one line, and that
/// `tail` is reloaded once per that many items.
const LINES_AHEAD: usize = 8;

/// The size of a cache line as far as slots go: what the slot lines of
/// x86-64 and aarch64 hold.
const SLOT_LINE: usize = 64;

/// How many `spin_loop` hints pass between two looks at `tail` while
/// slipping: a look pulls the `tail` line from the producer, so it must be
/// rare, and 8 hints take 70 to 320 ns (9 ns each on recent Intel cores, 40
/// on AMD EPYC), about the time a cache line takes to cross.
const HINTS_PER_LOOK: u32 = 8;

/// How many looks a slip takes at most before the consumer reads whatever
/// is there: it never waits long for items that are late.
pub(crate) const LOOKS: u32 = 4;

/// The number of items below which a reload that follows another one that
/// found items makes the consumer slip; 1 turns slipping off (a reload
/// that finds no item goes down the empty path instead).
///
/// A quarter of the capacity at most, so that a slip can end with items to
/// spare before the producer fills the ring; off where a quarter of the
/// ring holds less than a cache line (the two sides share lines whatever
/// the consumer does), for zero-sized items, which have no slot lines,
/// under loom, whose models gain nothing from a spin, and in the
/// benchmark's uncached-indices ablation, whose every pop reloads `tail`
/// and would slip.
pub(crate) fn slip_below<T>(capacity: usize) -> usize {
    let size = core::mem::size_of::<T>();
    if size == 0 || cfg!(loom) || cfg!(ring_ablation_uncached_indices) {
        return 1;
    }
    let items_per_line = (SLOT_LINE / size).max(1);
    if capacity / 4 < items_per_line {
        return 1;
    }
    (LINES_AHEAD * items_per_line).min(capacity / 4)
}

/// Spins, looking at how many items the ring holds through `items` (a
/// reload of `tail`) every few hints, until it holds `enough`, a look finds
/// no more than the one before (the first compares with `found`), or the
/// looks run out. Returns how many looks it took.
#[inline(never)]
pub(crate) fn slip(enough: usize, found: usize, mut items: impl FnMut() -> usize) -> u32 {
    let mut last = found;
    for look in 1..=LOOKS {
        for _ in 0..HINTS_PER_LOOK {
            core::hint::spin_loop();
        }
        let now = items();
        if now >= enough || now == last {
            return look;
        }
        last = now;
    }
    LOOKS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(ring_ablation_uncached_indices)]
    fn the_uncached_ablation_never_slips() {
        assert_eq!(slip_below::<u64>(1024), 1);
    }

    #[test]
    #[cfg(not(ring_ablation_uncached_indices))]
    fn threshold_is_eight_lines_within_a_quarter_of_the_capacity() {
        assert_eq!(slip_below::<u64>(1024), 64);
        assert_eq!(slip_below::<u64>(64), 16);
        assert_eq!(slip_below::<u64>(32), 8);
        assert_eq!(slip_below::<[u8; 256]>(1024), 8);
        assert_eq!(slip_below::<[u8; 256]>(4), 1);
        // A quarter of the ring under one line: off.
        assert_eq!(slip_below::<u64>(31), 1);
        assert_eq!(slip_below::<u64>(3), 1);
        assert_eq!(slip_below::<()>(1024), 1);
    }

    #[test]
    fn slip_stops_at_the_first_look_that_finds_enough() {
        let mut looks = 0;
        let taken = slip(10, 1, || {
            looks += 1;
            1 + looks * 3
        });
        assert_eq!((looks, taken), (3, 3));
    }

    #[test]
    fn slip_stops_at_the_first_look_that_finds_nothing_new() {
        // Two new items at the first look, none at the second.
        let mut looks = 0;
        let taken = slip(10, 3, || {
            looks += 1;
            5
        });
        assert_eq!((looks, taken), (2, 2));
        let mut looks = 0;
        let taken = slip(10, 2, || {
            looks += 1;
            2
        });
        assert_eq!((looks, taken), (1, 1));
    }

    #[test]
    fn slip_gives_up_after_its_looks() {
        let mut looks = 0;
        let taken = slip(100, 0, || {
            looks += 1;
            looks
        });
        assert_eq!((looks, taken), (LOOKS as usize, LOOKS));
    }
}
