//! What the fuzzer chooses: a capacity and a sequence of operations.

use arbitrary::Arbitrary;

/// One fuzz case.
#[derive(Arbitrary, Debug)]
pub struct Input {
    /// Mapped by [`Input::capacity`] to a capacity from 1 up.
    raw_capacity: u16,
    /// The operations, in order; an operation of a handle already dropped
    /// does nothing.
    pub operations: Vec<Operation>,
}

impl Input {
    /// Mostly small capacities, where wrap-around, full and empty rings
    /// happen every few operations; now and then one up to 1024, so that
    /// large chunks and slices are tried too.
    pub fn capacity(&self) -> usize {
        let raw = usize::from(self.raw_capacity);
        if raw & 0xF000 == 0xF000 {
            1 + raw % 1024
        } else {
            1 + raw % 17
        }
    }
}

/// A chunk size from a fuzzer byte: the byte itself, except that 255
/// stands for `usize::MAX` ("as many as there are"), which callers such as
/// ring-async's item count pass.
pub fn chunk_max(raw: u8) -> usize {
    if raw == u8::MAX {
        usize::MAX
    } else {
        raw.into()
    }
}

/// One operation on the ring. Counts are `u8`s, so that slices and chunks
/// can be bigger than small rings and smaller than large ones; chunk sizes
/// (`max`) go through [`chunk_max`].
///
/// Only the operations `ProducerView` and `ConsumerView` ask a handle for
/// its lengths: those calls refresh the handle's cached copy of the other
/// side's index, so asking after every operation would keep the caches
/// fresh and leave the stale-cache paths untested.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Operation {
    TryPush,
    /// The flavour's waiting push, in a form that cannot wait forever
    /// (`style` picks among the forms the flavour has).
    WaitingPush {
        style: u8,
    },
    PushSlice(u8),
    /// Reserves up to `max` slots, writes `written` of them and commits
    /// `committed` of those.
    WriteChunk {
        max: u8,
        written: u8,
        committed: u8,
    },
    FillFromIter {
        max: u8,
        available: u8,
    },
    TryPop,
    /// The flavour's waiting pop, in a form that cannot wait forever.
    WaitingPop {
        style: u8,
    },
    PopSlice(u8),
    /// Lends up to `max` items, changes them in place if `modify`, and
    /// commits `committed` of them.
    ReadChunk {
        max: u8,
        committed: u8,
        modify: bool,
    },
    /// Lends up to `max` items and moves `taken` of them out through the
    /// chunk's iterator, which is dropped or, if `leak`, forgotten.
    ReadChunkIter {
        max: u8,
        taken: u8,
        leak: bool,
    },
    /// Pops up to `count` items through `try_iter`.
    TryIter(u8),
    /// Moves up to `max` items into a `Vec` through `pop_into`.
    PopInto(u8),
    /// The flavour's wait for `wanted` free slots (taken modulo the
    /// capacity plus one, so that every count the wait accepts comes up), in
    /// a form that cannot wait forever; `style` picks the form.
    WaitFreeSlots {
        wanted: u16,
        style: u8,
    },
    /// The flavour's wait for `wanted` items, likewise.
    WaitItems {
        wanted: u16,
        style: u8,
    },
    /// ring-async's `producer.closed()`, polled once.
    Closed,
    /// Writes `count` bytes through the flavour's `io::Write` (or
    /// `AsyncWrite`, polled once; `style` picks the trait), on the byte
    /// run only: see [`check`](crate::check).
    WriteBytes {
        count: u8,
        style: u8,
    },
    /// Reads up to `count` bytes through `io::Read` (or `AsyncRead`), on
    /// the byte run only.
    ReadBytes {
        count: u8,
        style: u8,
    },
    /// The flavour's wait for free slots, polled once (ring-async only;
    /// `style` picks the form).
    ReadySlots {
        style: u8,
    },
    /// The flavour's wait for items, polled once (ring-async only).
    ReadyItems {
        style: u8,
    },
    Peek,
    /// Compares the producer's capacity, length, free slots, fullness and
    /// disconnection with the model.
    ProducerView,
    /// Compares the consumer's with the model.
    ConsumerView,
    DropProducer,
    DropConsumer,
    /// `producer.close_channel()`.
    CloseProducer,
    /// `consumer.close_channel()`.
    CloseConsumer,
}
