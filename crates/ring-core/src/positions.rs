//! Index arithmetic: safe code only.
//!
//! Both indices run over `0 .. 2 * capacity` instead of `0 .. capacity`.
//! Positions `p` and `p + capacity` name the same slot, so a full ring
//! (`tail - head == capacity`) and an empty one (`tail == head`) look
//! different without a wasted slack slot and without requiring a power of
//! two. Wrapping at `2 * capacity` is a compare and a subtraction, never a
//! division.

/// The arithmetic of positions for a ring of one fixed capacity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Positions {
    capacity: usize,
    /// `2 * capacity`, where positions wrap; stored to save the hot path a
    /// multiplication.
    period: usize,
}

/// The largest capacity of any ring: its positions (`0 .. 2 * capacity`)
/// must fit a `usize`. Rings of non-zero-sized items are limited further by
/// their size in bytes; see [`max_capacity`](crate::max_capacity).
///
/// # Examples
///
/// ```
/// let (producer, _consumer) = ring_core::channel::<()>(ring_core::MAX_CAPACITY);
/// assert_eq!(producer.capacity(), ring_core::MAX_CAPACITY);
/// ```
pub const MAX_CAPACITY: usize = usize::MAX / 2;

impl Positions {
    /// Panics unless `1 <= capacity <= MAX_CAPACITY`.
    pub(crate) fn new(capacity: usize) -> Self {
        assert!(capacity != 0, "ring capacity must be at least 1, got 0");
        assert!(
            capacity <= MAX_CAPACITY,
            "ring capacity {capacity} is too large: the largest is {MAX_CAPACITY}"
        );
        Self {
            capacity,
            period: 2 * capacity,
        }
    }

    #[inline(always)]
    pub(crate) fn capacity(self) -> usize {
        self.capacity
    }

    /// The position `steps` after `position`.
    #[inline(always)]
    pub(crate) fn advance(self, position: usize, steps: usize) -> usize {
        let period = self.period;
        debug_assert!(position < period && steps <= self.capacity);
        // Written so that no intermediate value exceeds `period`.
        if position >= period - steps {
            position - (period - steps)
        } else {
            position + steps
        }
    }

    /// How many steps lead from `from` to `to`: the number of items between
    /// a head at `from` and a tail at `to`, in `0 ..= capacity`.
    #[inline(always)]
    pub(crate) fn distance(self, from: usize, to: usize) -> usize {
        let period = self.period;
        debug_assert!(from < period && to < period);
        let distance = if to >= from {
            to - from
        } else {
            period - (from - to)
        };
        debug_assert!(distance <= self.capacity, "corrupt ring indices");
        distance
    }

    /// The slot, in `0 .. capacity`, that `position` names.
    #[inline(always)]
    pub(crate) fn slot(self, position: usize) -> usize {
        debug_assert!(position < self.period);
        if position >= self.capacity {
            position - self.capacity
        } else {
            position
        }
    }

    /// Splits `len` items (or free slots) starting at `position` into the
    /// run up to the end of the storage and the run that wraps to slot 0.
    #[inline(always)]
    pub(crate) fn split(self, position: usize, len: usize) -> (usize, usize) {
        debug_assert!(len <= self.capacity);
        let until_end = self.capacity - self.slot(position);
        if len <= until_end {
            (len, 0)
        } else {
            (until_end, len - until_end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_wraps_at_twice_the_capacity() {
        let positions = Positions::new(3);
        assert_eq!(positions.advance(0, 3), 3);
        assert_eq!(positions.advance(5, 1), 0);
        assert_eq!(positions.advance(4, 3), 1);
        assert_eq!(positions.advance(5, 0), 5);
    }

    #[test]
    fn distance_counts_across_the_wrap() {
        let positions = Positions::new(3);
        assert_eq!(positions.distance(0, 0), 0);
        assert_eq!(positions.distance(0, 3), 3);
        assert_eq!(positions.distance(5, 2), 3);
        assert_eq!(positions.distance(4, 0), 2);
    }

    #[test]
    fn slot_and_split() {
        let positions = Positions::new(3);
        assert_eq!(positions.slot(4), 1);
        assert_eq!(positions.split(4, 3), (2, 1));
        assert_eq!(positions.split(0, 3), (3, 0));
        assert_eq!(positions.split(2, 0), (0, 0));
    }

    #[test]
    fn largest_capacity_does_not_overflow() {
        let positions = Positions::new(MAX_CAPACITY);
        let last = 2 * MAX_CAPACITY - 1;
        assert_eq!(positions.advance(last, MAX_CAPACITY), MAX_CAPACITY - 1);
        assert_eq!(positions.distance(last, MAX_CAPACITY - 1), MAX_CAPACITY);
    }

    #[test]
    #[should_panic(expected = "ring capacity must be at least 1")]
    fn zero_capacity_panics() {
        Positions::new(0);
    }

    #[test]
    #[should_panic(expected = "is too large")]
    fn oversized_capacity_panics() {
        Positions::new(MAX_CAPACITY + 1);
    }
}
