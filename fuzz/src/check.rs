//! Runs an [`Input`] on a ring and on its `VecDeque` model, and checks
//! every result, every length and every drop.

use std::collections::VecDeque;
use std::mem::MaybeUninit;

use ring_core::{TryPopError, TryPushError};

use crate::item::modified;
use crate::{Flavour, Input, Item, Operation, Readiness, Tracked, Unit, View, Waited, chunk_max};

/// Runs `input` on flavour `F`, with `u64`, [`Tracked`] and [`Unit`] items,
/// then as a byte stream ([`check_bytes`](crate::check_bytes)); panics
/// (which the fuzzer reports) at the first difference.
pub fn check<F: Flavour>(input: &Input) {
    Run::<F, u64>::new(input.capacity()).all(&input.operations);
    Run::<F, Tracked>::new(input.capacity()).all(&input.operations);
    Run::<F, Unit>::new(input.capacity()).all(&input.operations);
    crate::check_bytes::<F>(input);
}

/// One run: the ring's two handles (each `None` once dropped) and the model.
struct Run<F: Flavour, I: Item> {
    capacity: usize,
    producer: Option<F::Producer<I>>,
    consumer: Option<F::Consumer<I>>,
    /// The values in the ring as the consumer sees them, oldest first.
    model: VecDeque<u64>,
    /// A side closed the channel with `close_channel` (or a `Sink` close).
    closed: bool,
    /// The consumer closed the channel or is gone.
    consumer_closed: bool,
    /// The consumer's drop dropped items it had not popped.
    dropped_unread: bool,
    /// Items a leaked chunk iterator moved out whose slots the consumer has
    /// not published yet: the producer still counts them as taken.
    unpublished: usize,
    /// The value of the next item created.
    next: u64,
    /// How many items were created.
    created: usize,
    /// How many the ring was allowed to forget without dropping them
    /// (written into a chunk that was not committed; only for the item
    /// types whose [`Item::MAY_LEAK`] allows it).
    forgotten: usize,
    /// How many drops the model expects so far.
    expected_drops: usize,
    /// [`Item::drops`] when the run began.
    drops_before: usize,
}

impl<F: Flavour, I: Item> Run<F, I> {
    fn new(capacity: usize) -> Self {
        let (producer, consumer) = F::channel(capacity);
        Self {
            capacity,
            producer: Some(producer),
            consumer: Some(consumer),
            model: VecDeque::new(),
            closed: false,
            consumer_closed: false,
            dropped_unread: false,
            unpublished: 0,
            next: 0,
            created: 0,
            forgotten: 0,
            expected_drops: 0,
            drops_before: I::drops(),
        }
    }

    fn all(mut self, operations: &[Operation]) {
        for &operation in operations {
            self.step(operation);
            if self.producer.is_none() && self.consumer.is_none() {
                // The last handle freed the ring with the items still in it.
                self.expected_drops += self.model.len();
                self.model.clear();
                // The rest of the input runs on a new ring.
                let (producer, consumer) = F::channel(self.capacity);
                (self.producer, self.consumer) = (Some(producer), Some(consumer));
                (self.closed, self.consumer_closed, self.dropped_unread) = (false, false, false);
            }
            self.check_drops(operation);
        }
        self.check_producer_view("the end");
        self.check_consumer_view("the end");
        self.producer = None;
        self.consumer = None;
        self.expected_drops += self.model.len();
        if I::COUNTS_DROPS {
            assert_eq!(
                I::drops() - self.drops_before,
                self.created - self.forgotten,
                "every item must be dropped exactly once"
            );
        }
    }

    /// The values of `count` new items.
    fn fresh(&mut self, count: usize) -> Vec<u64> {
        let values = (self.next..self.next + count as u64).collect();
        self.next += count as u64;
        values
    }

    /// Creates an item; counted so that its drop is expected eventually.
    fn create(&mut self, value: u64) -> I {
        self.created += 1;
        I::new(value)
    }

    /// Whether both handles live and neither closed the channel.
    fn connected(&self) -> bool {
        self.producer.is_some() && self.consumer.is_some() && !self.closed
    }

    /// Whether some item pushed will never be popped, as
    /// `has_undeliverable_items` says from the producer's view (which counts
    /// the slots of a leaked iterator's reads as taken until published).
    fn undeliverable(&self) -> bool {
        let taken = self.model.len() + self.unpublished;
        self.dropped_unread || (self.consumer_closed && taken > 0)
    }

    /// Free slots as the producer sees them.
    fn free_for_producer(&self) -> usize {
        self.capacity - self.model.len() - self.unpublished
    }

    /// Drops an item the ring handed back, after checking its value.
    fn drop_returned(&mut self, item: I, expected: u64) {
        assert_eq!(
            item.value(),
            I::carried(expected),
            "the ring handed back another item"
        );
        drop(item);
        self.expected_drops += 1;
    }

    fn step(&mut self, operation: Operation) {
        let producer_alive = self.producer.is_some();
        let consumer_alive = self.consumer.is_some();
        match operation {
            Operation::TryPush if producer_alive => self.try_push(),
            Operation::WaitingPush { style } if producer_alive => self.waiting_push(style),
            Operation::PushSlice(count) if producer_alive => self.push_slice(count.into()),
            Operation::WriteChunk {
                max,
                written,
                committed,
            } if producer_alive => {
                self.write_chunk(chunk_max(max), written.into(), committed.into())
            }
            Operation::FillFromIter { max, available } if producer_alive => {
                self.fill_from_iter(chunk_max(max), available.into());
            }
            Operation::ReadySlots { style } if producer_alive => self.ready_slots(style),
            Operation::ProducerView if producer_alive => self.check_producer_view("ProducerView"),
            Operation::TryPop if consumer_alive => self.try_pop(),
            Operation::WaitingPop { style } if consumer_alive => self.waiting_pop(style),
            Operation::PopSlice(count) if consumer_alive => self.pop_slice(count.into()),
            Operation::ReadChunk {
                max,
                committed,
                modify,
            } if consumer_alive => self.read_chunk(chunk_max(max), committed.into(), modify),
            Operation::ReadChunkIter { max, taken, leak } if consumer_alive => {
                self.read_chunk_iter(chunk_max(max), taken.into(), leak);
            }
            Operation::TryIter(count) if consumer_alive => self.try_iter(count.into()),
            Operation::PopInto(max) if consumer_alive => self.pop_into(chunk_max(max)),
            Operation::WaitFreeSlots { wanted, style } if producer_alive => {
                self.wait_free_slots(self.wanted(wanted), style);
            }
            Operation::WaitItems { wanted, style } if consumer_alive => {
                self.wait_items(self.wanted(wanted), style);
            }
            Operation::Closed if producer_alive => {
                let closed = F::closed(self.producer.as_mut().unwrap());
                if let Some(closed) = closed {
                    assert_eq!(closed, !self.connected(), "closed() ready");
                }
            }
            Operation::ReadyItems { style } if consumer_alive => self.ready_items(style),
            Operation::Peek if consumer_alive => {
                let consumer = self.consumer.as_ref().unwrap();
                let seen = F::peek(consumer).map(Item::value);
                let expected = self.model.front().map(|&value| I::carried(value));
                assert_eq!(seen, expected, "peek");
            }
            Operation::ConsumerView if consumer_alive => self.check_consumer_view("ConsumerView"),
            Operation::CloseProducer if producer_alive => {
                F::close_producer(self.producer.as_mut().unwrap());
                self.closed = true;
                self.check_producer_view("CloseProducer");
            }
            Operation::CloseConsumer if consumer_alive => {
                F::close_consumer(self.consumer.as_mut().unwrap());
                self.closed = true;
                self.consumer_closed = true;
                self.check_consumer_view("CloseConsumer");
            }
            Operation::DropProducer => self.producer = None,
            Operation::DropConsumer => {
                self.consumer = None;
                // The consumer's drop publishes what a leaked iterator took,
                // and drops the items in the ring at once.
                self.unpublished = 0;
                self.consumer_closed = true;
                self.dropped_unread |= !self.model.is_empty();
                self.expected_drops += self.model.len();
                self.model.clear();
            }
            _ => {} // The operation's handle is gone.
        }
    }

    fn try_push(&mut self) {
        let value = self.fresh(1)[0];
        let item = self.create(value);
        let free = self.free_for_producer();
        let consumer_alive = self.connected();
        match F::try_push(self.producer.as_mut().unwrap(), item) {
            Ok(()) => {
                assert!(
                    consumer_alive && free > 0,
                    "try_push succeeded on {free} free slots"
                );
                self.model.push_back(value);
            }
            Err(TryPushError::Full(item)) => {
                assert!(
                    consumer_alive && free == 0,
                    "try_push: Full with {free} free slots"
                );
                self.drop_returned(item, value);
            }
            Err(TryPushError::Disconnected(item)) => {
                assert!(
                    !consumer_alive,
                    "try_push: Disconnected with the consumer alive"
                );
                self.drop_returned(item, value);
            }
        }
    }

    fn waiting_push(&mut self, style: u8) {
        let value = self.fresh(1)[0];
        let item = self.create(value);
        let free = self.free_for_producer();
        let consumer_alive = self.connected();
        match F::waiting_push(self.producer.as_mut().unwrap(), item, style) {
            Waited::Done(returned) => {
                assert!(
                    returned.is_none(),
                    "a push that succeeded handed a value back"
                );
                assert!(
                    consumer_alive && free > 0,
                    "push succeeded on {free} free slots"
                );
                self.model.push_back(value);
            }
            Waited::WouldWait(returned) => {
                assert!(
                    consumer_alive && free == 0,
                    "push would wait with {free} free slots"
                );
                let item = returned.expect("a push that would wait hands its value back");
                self.drop_returned(item, value);
            }
            Waited::DroppedPending => {
                assert!(
                    consumer_alive && free == 0,
                    "push pending with {free} free slots"
                );
                // The dropped future dropped the value.
                self.expected_drops += 1;
            }
            Waited::Disconnected(returned) => {
                assert!(
                    !consumer_alive,
                    "push: disconnected with the consumer alive"
                );
                self.drop_returned(returned.expect("a failed push hands its value back"), value);
            }
        }
    }

    fn push_slice(&mut self, count: usize) {
        let values = self.fresh(count);
        let free = self.free_for_producer();
        let expected = if self.connected() { free.min(count) } else { 0 };
        match I::push_slice::<F>(self.producer.as_mut().unwrap(), &values) {
            Some(pushed) => {
                assert_eq!(
                    pushed, expected,
                    "push_slice of {count} on {free} free slots"
                );
                self.created += count;
                self.model.extend(&values[..pushed]);
            }
            // Not `Copy`: an iterator of fresh items instead.
            None => self.fill_from_iter(count, count),
        }
    }

    fn write_chunk(&mut self, max: usize, written: usize, committed: usize) {
        let free = self.free_for_producer();
        // Nothing once the channel is disconnected.
        let len = if self.connected() { free.min(max) } else { 0 };
        let written = written.min(len);
        let committed = committed.min(written);
        // Items that own memory are written only where they are committed:
        // the ring forgets uncommitted slots without dropping them.
        let written = if I::MAY_LEAK { written } else { committed };
        let values = self.fresh(written);
        let mut items: Vec<I> = values.iter().map(|&value| self.create(value)).collect();
        let mut chunk = F::write_chunk_uninit(self.producer.as_mut().unwrap(), max);
        assert_eq!(
            chunk.len(),
            len,
            "write chunk of up to {max} on {free} free slots"
        );
        let (first, second) = chunk.as_mut_slices();
        assert_eq!(first.len() + second.len(), len);
        for (slot, item) in first
            .iter_mut()
            .chain(second.iter_mut())
            .zip(items.drain(..))
        {
            *slot = MaybeUninit::new(item);
        }
        // SAFETY: the first `written >= committed` slots were written above.
        unsafe { chunk.commit(committed) };
        self.forgotten += written - committed;
        self.model.extend(&values[..committed]);
    }

    fn fill_from_iter(&mut self, max: usize, available: usize) {
        let free = self.free_for_producer();
        let values = self.fresh(available);
        let items: Vec<I> = values.iter().map(|&value| self.create(value)).collect();
        let room = if self.connected() { free.min(max) } else { 0 };
        let chunk = F::write_chunk_uninit(self.producer.as_mut().unwrap(), max);
        let pushed = chunk.fill_from_iter(items);
        assert_eq!(pushed, room.min(available), "fill_from_iter");
        // The iterator dropped the items it did not push.
        self.expected_drops += available - pushed;
        self.model.extend(&values[..pushed]);
    }

    /// The pop the model expects: the oldest item, or why there is none.
    fn expected_pop(&mut self) -> Result<u64, TryPopError> {
        // Every pop publishes what a leaked iterator took.
        self.unpublished = 0;
        match self.model.pop_front() {
            Some(value) => Ok(value),
            None if !self.connected() => Err(TryPopError::Disconnected),
            None => Err(TryPopError::Empty),
        }
    }

    fn try_pop(&mut self) {
        let popped = F::try_pop(self.consumer.as_mut().unwrap());
        match (popped, self.expected_pop()) {
            (Ok(item), Ok(value)) => self.drop_returned(item, value),
            (Err(error), Err(expected)) => assert_eq!(error, expected, "try_pop"),
            (popped, expected) => panic!(
                "try_pop gave {:?}, the model {expected:?}",
                popped.map(|item| item.value())
            ),
        }
    }

    fn waiting_pop(&mut self, style: u8) {
        let popped = F::waiting_pop(self.consumer.as_mut().unwrap(), style);
        match (popped, self.expected_pop()) {
            (Waited::Done(Some(item)), Ok(value)) => self.drop_returned(item, value),
            (Waited::WouldWait(None), Err(TryPopError::Empty))
            | (Waited::Disconnected(None), Err(TryPopError::Disconnected)) => {}
            (popped, expected) => panic!(
                "pop (style {style}) gave {:?}, the model {expected:?}",
                waited_value(&popped)
            ),
        }
    }

    fn ready_slots(&mut self, style: u8) {
        let free = self.free_for_producer();
        let connected = self.connected();
        let Some(readiness) = F::ready_slots(self.producer.as_mut().unwrap(), style) else {
            return;
        };
        let expected = match readiness {
            Readiness::Flushed { closed, .. } => {
                // A close closes the channel first, then reports as a flush.
                self.closed |= closed;
                Readiness::Flushed {
                    closed,
                    delivered: !self.undeliverable(),
                }
            }
            _ if !connected => Readiness::Disconnected,
            _ if free == 0 => Readiness::Pending,
            _ => Readiness::Ready(free),
        };
        assert_eq!(readiness, expected, "wait for free slots (style {style})");
    }

    fn ready_items(&mut self, style: u8) {
        let Some(readiness) = F::ready_items(self.consumer.as_mut().unwrap(), style) else {
            return;
        };
        // Counting the items takes a chunk, which publishes what a leaked
        // iterator took.
        self.unpublished = 0;
        let expected = match self.model.len() {
            0 if !self.connected() => Readiness::Disconnected,
            0 => Readiness::Pending,
            items => Readiness::Ready(items),
        };
        assert_eq!(readiness, expected, "wait for items (style {style})");
    }

    /// A count to wait for from a fuzzer's number: from 0 up to the
    /// capacity (at most 1024), every count the waits accept (more panics,
    /// which the unit tests check; the fuzz targets abort on a panic).
    fn wanted(&self, raw: u16) -> usize {
        usize::from(raw) % (self.capacity + 1)
    }

    fn wait_free_slots(&mut self, wanted: usize, style: u8) {
        let free = self.free_for_producer();
        let expected = if wanted == 0 {
            Readiness::Ready(free)
        } else if !self.connected() {
            Readiness::Disconnected
        } else if free >= wanted {
            Readiness::Ready(free)
        } else {
            Readiness::Pending
        };
        let readiness = F::wait_free_slots(self.producer.as_mut().unwrap(), wanted, style);
        assert_eq!(
            readiness, expected,
            "wait_free_slots({wanted}) (style {style})"
        );
    }

    fn wait_items(&mut self, wanted: usize, style: u8) {
        // The wait counts the items through a read chunk, which publishes
        // what a leaked iterator took.
        self.unpublished = 0;
        let items = self.model.len();
        let expected = if wanted == 0 || items >= wanted {
            Readiness::Ready(items)
        } else if !self.connected() {
            Readiness::Disconnected
        } else {
            Readiness::Pending
        };
        let readiness = F::wait_items(self.consumer.as_mut().unwrap(), wanted, style);
        assert_eq!(readiness, expected, "wait_items({wanted}) (style {style})");
    }

    fn pop_into(&mut self, max: usize) {
        // Taking the chunk publishes what a leaked iterator took.
        self.unpublished = 0;
        // An item already there, which `pop_into` must append after.
        let first = self.fresh(1)[0];
        let mut out = vec![self.create(first)];
        let moved = F::pop_into(self.consumer.as_mut().unwrap(), &mut out, max);
        assert_eq!(moved, max.min(self.model.len()), "pop_into of up to {max}");
        assert_eq!(out.len(), moved + 1, "pop_into's count");
        let mut out = out.into_iter();
        self.drop_returned(out.next().unwrap(), first);
        for item in out {
            let value = self.model.pop_front().expect("the model has the item");
            self.drop_returned(item, value);
        }
    }

    fn pop_slice(&mut self, count: usize) {
        self.unpublished = 0;
        match I::pop_slice::<F>(self.consumer.as_mut().unwrap(), count) {
            Some(popped) => {
                let expected: Vec<u64> = self.model.drain(..count.min(self.model.len())).collect();
                assert_eq!(popped, expected, "pop_slice of {count}");
            }
            // Not `Copy`: moved out through a chunk's iterator instead.
            None => self.read_chunk_iter(count, count, false),
        }
    }

    fn try_iter(&mut self, count: usize) {
        // Each item the iterator yields is a pop, which publishes what a
        // leaked iterator took; taking none pops nothing.
        if count > 0 {
            self.unpublished = 0;
        }
        let popped = F::try_iter(self.consumer.as_mut().unwrap(), count);
        assert_eq!(
            popped.len(),
            count.min(self.model.len()),
            "try_iter of {count}"
        );
        for item in popped {
            let value = self.model.pop_front().expect("the model has the item");
            self.drop_returned(item, value);
        }
    }

    fn read_chunk(&mut self, max: usize, committed: usize, modify: bool) {
        // Lending a chunk publishes what a leaked iterator took.
        self.unpublished = 0;
        let len = self.model.len().min(max);
        let mut chunk = F::read_chunk(self.consumer.as_mut().unwrap(), max);
        assert_eq!(chunk.len(), len, "read chunk of up to {max}");
        if modify {
            let (first, second) = chunk.as_mut_slices();
            first.iter_mut().chain(second).for_each(Item::modify);
            self.model
                .iter_mut()
                .take(len)
                .for_each(|value| *value = modified(*value));
        }
        let (first, second) = chunk.as_slices();
        let seen: Vec<u64> = first.iter().chain(second).map(Item::value).collect();
        let expected: Vec<u64> = self
            .model
            .iter()
            .take(len)
            .map(|&value| I::carried(value))
            .collect();
        assert_eq!(seen, expected, "read chunk's items");
        let committed = committed.min(len);
        chunk.commit(committed);
        self.model.drain(..committed);
        self.expected_drops += committed;
    }

    fn read_chunk_iter(&mut self, max: usize, taken: usize, leak: bool) {
        self.unpublished = 0;
        let len = self.model.len().min(max);
        let mut items = F::read_chunk(self.consumer.as_mut().unwrap(), max).into_iter();
        assert_eq!(items.len(), len, "chunk iterator of up to {max}");
        let moved: Vec<I> = items.by_ref().take(taken).collect();
        if leak {
            std::mem::forget(items);
            self.unpublished = moved.len();
        } else {
            drop(items);
        }
        for item in moved {
            let value = self.model.pop_front().expect("the model has the item");
            self.drop_returned(item, value);
        }
    }

    /// Compares what the producer reports with the model.
    fn check_producer_view(&self, at: &str) {
        let Some(producer) = &self.producer else {
            return;
        };
        let taken = self.model.len() + self.unpublished;
        let expected = View {
            capacity: self.capacity,
            len: taken,
            is_empty: taken == 0,
            is_full: taken == self.capacity,
            is_disconnected: !self.connected(),
        };
        let (view, free) = F::producer_view(producer);
        assert_eq!(view, expected, "the producer's view at {at}");
        assert_eq!(free, self.capacity - taken, "free slots at {at}");
    }

    /// Compares what the consumer reports with the model.
    fn check_consumer_view(&self, at: &str) {
        let Some(consumer) = &self.consumer else {
            return;
        };
        let expected = View {
            capacity: self.capacity,
            len: self.model.len(),
            is_empty: self.model.is_empty(),
            is_full: self.model.len() == self.capacity,
            is_disconnected: !self.connected(),
        };
        let view = F::consumer_view(consumer);
        assert_eq!(view, expected, "the consumer's view at {at}");
    }

    fn check_drops(&self, after: Operation) {
        if I::COUNTS_DROPS {
            assert_eq!(
                I::drops() - self.drops_before,
                self.expected_drops,
                "drops after {after:?}"
            );
        }
    }
}

/// A `Waited`'s item value, for failure messages.
fn waited_value<I: Item>(waited: &Waited<I>) -> String {
    match waited {
        Waited::Done(item) => format!("Done({:?})", item.as_ref().map(Item::value)),
        Waited::WouldWait(item) => format!("WouldWait({:?})", item.as_ref().map(Item::value)),
        Waited::DroppedPending => "DroppedPending".into(),
        Waited::Disconnected(item) => {
            format!("Disconnected({:?})", item.as_ref().map(Item::value))
        }
    }
}
