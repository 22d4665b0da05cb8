//! The test that ends a wait for a number of items or free slots, written
//! once for every flavour's `wait_items` and `wait_free_slots`: a flavour
//! only adds how it waits between two looks.

use crate::{Consumer, Disconnected, PopError, Producer, WaitState};

/// Panics with a message naming `operation` unless a ring of `capacity`
/// slots can ever hold `wanted`; a wait for more could never end.
#[track_caller]
fn assert_reachable(operation: &str, wanted: usize, capacity: usize) {
    assert!(
        wanted <= capacity,
        "{operation}({wanted}) can never finish: the ring has {capacity} slots"
    );
}

impl<T, W: WaitState> Producer<T, W> {
    /// Whether a wait for `wanted` free slots is over, and how: `Some(Ok(n))`
    /// with the `n >= wanted` slots free now, `Some(Err(Disconnected))` once
    /// the consumer is gone or a side closed the channel, and `None` while
    /// fewer slots are free. `wanted == 0` is over at once, with the count.
    /// Every flavour's `wait_free_slots` looks with this; it never waits.
    ///
    /// # Panics
    ///
    /// If `wanted` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::Disconnected;
    ///
    /// let (mut producer, consumer) = ring_core::channel::<u8>(4);
    /// assert_eq!(producer.push_slice(&[1, 2]), 2);
    /// assert_eq!(producer.free_slots_reached(3), None);
    /// assert_eq!(producer.free_slots_reached(2), Some(Ok(2)));
    /// drop(consumer);
    /// assert_eq!(producer.free_slots_reached(1), Some(Err(Disconnected)));
    /// ```
    #[track_caller]
    pub fn free_slots_reached(&self, wanted: usize) -> Option<Result<usize, Disconnected>> {
        assert_reachable("wait_free_slots", wanted, self.capacity());
        // The free slots first, then the flag: the consumer's drop marks
        // itself gone before it frees the slots of the items it drops, so
        // room made that way is never reported as room.
        let free = self.free_slots();
        if wanted == 0 {
            Some(Ok(free))
        } else if self.is_disconnected() {
            Some(Err(Disconnected))
        } else {
            (free >= wanted).then_some(Ok(free))
        }
    }
}

impl<T, W: WaitState> Consumer<T, W> {
    /// Whether a wait for `wanted` items is over, and how: `Some(Ok(n))`
    /// with the `n >= wanted` items in the ring now, `Some(Err(PopError))`
    /// once the producer is gone (or a side closed the channel) and fewer
    /// than `wanted` remain, and `None` while fewer are there and more may
    /// come. `wanted == 0` is over at once, with the count. Every flavour's
    /// `wait_items` looks with this; it never waits.
    ///
    /// # Panics
    ///
    /// If `wanted` exceeds the capacity: the wait could never end.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::PopError;
    ///
    /// let (mut producer, mut consumer) = ring_core::channel::<u8>(4);
    /// assert_eq!(producer.push_slice(&[1, 2]), 2);
    /// assert_eq!(consumer.items_reached(3), None);
    /// assert_eq!(consumer.items_reached(2), Some(Ok(2)));
    /// drop(producer);
    /// assert_eq!(consumer.items_reached(2), Some(Ok(2)));
    /// assert_eq!(consumer.items_reached(3), Some(Err(PopError)));
    /// ```
    #[track_caller]
    pub fn items_reached(&mut self, wanted: usize) -> Option<Result<usize, PopError>> {
        assert_reachable("wait_items", wanted, self.capacity());
        // The flag first, then the ring: every item pushed before the
        // producer left is then counted. The items are counted through an
        // empty read chunk rather than `len`, because taking the chunk also
        // publishes the reads of a leaked chunk iterator: otherwise a
        // producer waiting for those slots and this consumer waiting for
        // items would wait for each other forever.
        let disconnected = self.is_disconnected();
        let items = self.read_chunk(usize::MAX).len();
        if wanted == 0 || items >= wanted {
            Some(Ok(items))
        } else if disconnected {
            Some(Err(PopError))
        } else {
            None
        }
    }
}

/// Panics as the waits for `wanted` items or free slots do when a ring of
/// `capacity` slots can never reach it; for a flavour whose wait is a
/// future, which checks when it is made rather than when first polled.
/// Not part of the API.
#[doc(hidden)]
#[track_caller]
pub fn assert_wait_reachable(operation: &str, wanted: usize, capacity: usize) {
    assert_reachable(operation, wanted, capacity);
}
