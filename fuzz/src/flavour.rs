//! The operations every flavour shares, as a trait the driver is generic
//! over, plus each flavour's own waiting forms.

use std::io;

use ring_core::{ReadChunk, TryPopError, TryPushError, WaitState, WriteChunkUninit};

/// What a handle reports about the ring.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct View {
    pub capacity: usize,
    pub len: usize,
    pub is_empty: bool,
    pub is_full: bool,
    pub is_disconnected: bool,
}

/// The outcome of a flavour's waiting operation, asked in a form that
/// cannot wait forever.
#[derive(Debug)]
pub enum Waited<T> {
    /// The push or pop happened; a pop's item is here.
    Done(Option<T>),
    /// It would have had to wait; a push hands its value back.
    WouldWait(Option<T>),
    /// A push would have had to wait, and was a future that the driver
    /// dropped while pending, dropping its value with it.
    DroppedPending,
    /// The other side is gone; a push hands its value back.
    Disconnected(Option<T>),
}

/// What a wait for free slots or for items gave when polled once.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Readiness {
    /// This many slots (or items) are there: at least one, or at least as
    /// many as a wait for `n` asked for.
    Ready(usize),
    /// Not yet: the task would be woken later.
    Pending,
    /// The other side is gone or a side closed the channel (and, for items,
    /// the ring is drained).
    Disconnected,
    /// `Sink::poll_flush` (`closed` false) or `poll_close` (`closed` true)
    /// returned, `delivered` telling whether it reported that no item sent
    /// is lost.
    Flushed { closed: bool, delivered: bool },
}

/// One ring flavour, as the driver sees it. The shared operations have the
/// names and meanings of the flavour crates' methods; see ring-core's docs.
pub trait Flavour {
    /// The flavour's waiting state in ring-core.
    type Wait: WaitState;
    /// The flavour's producer handle.
    type Producer<T>;
    /// The flavour's consumer handle.
    type Consumer<T>;

    /// `channel(capacity)`.
    fn channel<T>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>);

    /// `producer.try_push(value)`.
    fn try_push<T>(producer: &mut Self::Producer<T>, value: T) -> Result<(), TryPushError<T>>;
    /// `producer.push_slice(items)`.
    fn push_slice<T: Copy>(producer: &mut Self::Producer<T>, items: &[T]) -> usize;
    /// `producer.close_channel()`.
    fn close_producer<T>(producer: &mut Self::Producer<T>);
    /// `consumer.close_channel()`.
    fn close_consumer<T>(consumer: &mut Self::Consumer<T>);
    /// `producer.write_chunk_uninit(max)`.
    fn write_chunk_uninit<T>(
        producer: &mut Self::Producer<T>,
        max: usize,
    ) -> WriteChunkUninit<'_, T, Self::Wait>;
    /// The producer's view, with its free slots.
    fn producer_view<T>(producer: &Self::Producer<T>) -> (View, usize);
    /// The flavour's waiting push; `style` picks among its forms.
    fn waiting_push<T>(producer: &mut Self::Producer<T>, value: T, style: u8) -> Waited<T>;

    /// The flavour's wait for free slots, polled once; `None` if the
    /// flavour has none.
    fn ready_slots<T>(_producer: &mut Self::Producer<T>, _style: u8) -> Option<Readiness> {
        None
    }

    /// The flavour's wait for `wanted` free slots (`wait_free_slots(n)` or
    /// ring-core's `free_slots_reached(n)`), in a form that cannot wait
    /// forever; `style` picks among its forms.
    fn wait_free_slots<T>(producer: &mut Self::Producer<T>, wanted: usize, style: u8) -> Readiness;

    /// ring-async's `producer.closed()`, polled once: `Some(true)` when it
    /// is ready; `None` if the flavour has no such wait.
    fn closed<T>(_producer: &mut Self::Producer<T>) -> Option<bool> {
        None
    }

    /// Writes `bytes` through the flavour's byte-stream trait, `style`
    /// picking among them; `None` where a blocking write would block.
    /// `Err(WouldBlock)` stands for a pending async write.
    fn write_bytes(
        producer: &mut Self::Producer<u8>,
        bytes: &[u8],
        style: u8,
    ) -> Option<io::Result<usize>>;

    /// `consumer.try_pop()`.
    fn try_pop<T>(consumer: &mut Self::Consumer<T>) -> Result<T, TryPopError>;
    /// `consumer.pop_slice(out)`.
    fn pop_slice<T: Copy>(consumer: &mut Self::Consumer<T>, out: &mut [T]) -> usize;
    /// `consumer.read_chunk(max)`.
    fn read_chunk<T>(consumer: &mut Self::Consumer<T>, max: usize) -> ReadChunk<'_, T, Self::Wait>;
    /// Up to `count` items from `consumer.try_iter()`.
    fn try_iter<T>(consumer: &mut Self::Consumer<T>, count: usize) -> Vec<T>;
    /// `consumer.peek()`.
    fn peek<T>(consumer: &Self::Consumer<T>) -> Option<&T>;
    /// The consumer's view.
    fn consumer_view<T>(consumer: &Self::Consumer<T>) -> View;
    /// The flavour's waiting pop; `style` picks among its forms.
    fn waiting_pop<T>(consumer: &mut Self::Consumer<T>, style: u8) -> Waited<T>;
    /// The flavour's wait for items, polled once; `None` if the flavour has
    /// none.
    fn ready_items<T>(_consumer: &mut Self::Consumer<T>, _style: u8) -> Option<Readiness> {
        None
    }

    /// `consumer.pop_into(out, max)`.
    fn pop_into<T>(consumer: &mut Self::Consumer<T>, out: &mut Vec<T>, max: usize) -> usize;

    /// The flavour's wait for `wanted` items (`wait_items(n)` or ring-core's
    /// `items_reached(n)`), in a form that cannot wait forever.
    fn wait_items<T>(consumer: &mut Self::Consumer<T>, wanted: usize, style: u8) -> Readiness;

    /// Reads into `buf` through the flavour's byte-stream trait; `None`
    /// where a blocking read would block, `Err(WouldBlock)` for a pending
    /// async read.
    fn read_bytes(
        consumer: &mut Self::Consumer<u8>,
        buf: &mut [u8],
        style: u8,
    ) -> Option<io::Result<usize>>;
}

/// Implements the shared part of [`Flavour`] for a flavour crate, whose
/// handles all have the same inherent methods.
macro_rules! shared_operations {
    ($krate:ident) => {
        fn channel<T>(capacity: usize) -> (Self::Producer<T>, Self::Consumer<T>) {
            $krate::channel(capacity)
        }

        fn try_push<T>(
            producer: &mut Self::Producer<T>,
            value: T,
        ) -> Result<(), ring_core::TryPushError<T>> {
            producer.try_push(value)
        }

        fn push_slice<T: Copy>(producer: &mut Self::Producer<T>, items: &[T]) -> usize {
            producer.push_slice(items)
        }

        fn close_producer<T>(producer: &mut Self::Producer<T>) {
            producer.close_channel();
        }

        fn close_consumer<T>(consumer: &mut Self::Consumer<T>) {
            consumer.close_channel();
        }

        fn write_chunk_uninit<T>(
            producer: &mut Self::Producer<T>,
            max: usize,
        ) -> ring_core::WriteChunkUninit<'_, T, Self::Wait> {
            producer.write_chunk_uninit(max)
        }

        fn producer_view<T>(producer: &Self::Producer<T>) -> ($crate::View, usize) {
            let view = $crate::View {
                capacity: producer.capacity(),
                len: producer.len(),
                is_empty: producer.is_empty(),
                is_full: producer.is_full(),
                is_disconnected: producer.is_disconnected(),
            };
            (view, producer.free_slots())
        }

        fn try_pop<T>(consumer: &mut Self::Consumer<T>) -> Result<T, ring_core::TryPopError> {
            consumer.try_pop()
        }

        fn pop_slice<T: Copy>(consumer: &mut Self::Consumer<T>, out: &mut [T]) -> usize {
            consumer.pop_slice(out)
        }

        fn read_chunk<T>(
            consumer: &mut Self::Consumer<T>,
            max: usize,
        ) -> ring_core::ReadChunk<'_, T, Self::Wait> {
            consumer.read_chunk(max)
        }

        fn try_iter<T>(consumer: &mut Self::Consumer<T>, count: usize) -> Vec<T> {
            consumer.try_iter().take(count).collect()
        }

        fn pop_into<T>(consumer: &mut Self::Consumer<T>, out: &mut Vec<T>, max: usize) -> usize {
            consumer.pop_into(out, max)
        }

        fn peek<T>(consumer: &Self::Consumer<T>) -> Option<&T> {
            consumer.peek()
        }

        fn consumer_view<T>(consumer: &Self::Consumer<T>) -> $crate::View {
            $crate::View {
                capacity: consumer.capacity(),
                len: consumer.len(),
                is_empty: consumer.is_empty(),
                is_full: consumer.is_full(),
                is_disconnected: consumer.is_disconnected(),
            }
        }
    };
}
pub(crate) use shared_operations;
