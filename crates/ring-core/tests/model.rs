//! Random sequences of every operation, checked step by step against a
//! `VecDeque` (a property test, shrunk to a minimal failing sequence by
//! proptest).

mod common;

use std::collections::VecDeque;
use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use common::{Tracked, drop_count};
#[cfg(not(miri))]
use proptest::prelude::*;
use ring_core::{Disconnected, PopError, TryPopError, TryPushError, channel};

#[derive(Clone, Debug)]
enum Operation {
    TryPush,
    PushSlice(usize),
    /// Reserve up to `max` slots, write `written` of them and commit
    /// `committed` of those.
    WriteChunk {
        max: usize,
        written: usize,
        committed: usize,
    },
    FillFromIter {
        max: usize,
        available: usize,
    },
    TryPop,
    /// `try_pop_slipping`, which must behave as `try_pop` does.
    TryPopSlipping,
    PopSlice(usize),
    /// Lend up to `max` items and drop `committed` of them.
    ReadChunk {
        max: usize,
        committed: usize,
    },
    /// Lend up to `max` items and move `taken` of them out.
    ReadChunkIter {
        max: usize,
        taken: usize,
    },
    Peek,
    /// Move up to this many items into a `Vec` that holds one already.
    PopInto(usize),
    /// Ask whether a wait for this many items (at most the capacity) is
    /// over.
    ItemsReached(usize),
    /// Ask whether a wait for this many free slots (at most the capacity)
    /// is over.
    FreeSlotsReached(usize),
    CloseProducer,
    CloseConsumer,
    DropProducer,
    DropConsumer,
}

/// A `TryPop` or `TryPopSlipping` operation, which must behave alike.
fn pop_as<T>(pop: &Operation, consumer: &mut ring_core::Consumer<T>) -> Result<T, TryPopError> {
    match pop {
        Operation::TryPopSlipping => consumer.try_pop_slipping(),
        _ => consumer.try_pop(),
    }
}

#[cfg(not(miri))]
fn operation() -> impl Strategy<Value = Operation> {
    prop_oneof![
        4 => Just(Operation::TryPush),
        2 => (0..10usize).prop_map(Operation::PushSlice),
        2 => (0..10usize, 0..10usize, 0..10usize)
            .prop_map(|(max, written, committed)| Operation::WriteChunk { max, written, committed }),
        1 => (0..10usize, 0..10usize).prop_map(|(max, available)| Operation::FillFromIter { max, available }),
        4 => Just(Operation::TryPop),
        3 => Just(Operation::TryPopSlipping),
        2 => (0..10usize).prop_map(Operation::PopSlice),
        2 => (0..10usize, 0..10usize).prop_map(|(max, committed)| Operation::ReadChunk { max, committed }),
        1 => (0..10usize, 0..10usize).prop_map(|(max, taken)| Operation::ReadChunkIter { max, taken }),
        1 => Just(Operation::Peek),
        2 => (0..10usize).prop_map(Operation::PopInto),
        1 => (0..12usize).prop_map(Operation::ItemsReached),
        1 => (0..12usize).prop_map(Operation::FreeSlotsReached),
        1 => Just(Operation::CloseProducer),
        1 => Just(Operation::CloseConsumer),
        1 => Just(Operation::DropProducer),
        1 => Just(Operation::DropConsumer),
    ]
}

/// The longest sequence of operations; short under Miri.
const MAX_OPERATIONS: usize = if cfg!(miri) { 60 } else { 200 };

#[cfg(not(miri))]
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `operations` on a ring of `u32`s and on a `VecDeque`, comparing
/// every result and every size query.
fn check_copy_items(capacity: usize, operations: &[Operation]) {
    let (producer, consumer) = channel::<u32>(capacity);
    let (mut producer, mut consumer) = (Some(producer), Some(consumer));
    let mut model = VecDeque::new();
    let mut next = 0u32;
    let mut fresh = |count: usize| -> Vec<u32> {
        let values = (next..next + count as u32).collect();
        next += count as u32;
        values
    };
    // Closed by either side with `close_channel`.
    let mut closed = false;
    // The consumer closed the channel or is gone.
    let mut consumer_closed = false;
    // The consumer's drop dropped items it had not popped.
    let mut dropped_unread = false;
    for operation in operations {
        let free = capacity - model.len();
        let connected = producer.is_some() && consumer.is_some() && !closed;
        match (operation, producer.as_mut(), consumer.as_mut()) {
            (Operation::TryPush, Some(producer), _) => {
                let value = fresh(1)[0];
                let result = producer.try_push(value);
                if !connected {
                    assert_eq!(result, Err(TryPushError::Disconnected(value)));
                } else if free == 0 {
                    assert_eq!(result, Err(TryPushError::Full(value)));
                } else {
                    assert_eq!(result, Ok(()));
                    model.push_back(value);
                }
            }
            (Operation::PushSlice(count), Some(producer), _) => {
                let values = fresh(*count);
                let pushed = producer.push_slice(&values);
                let expected = if connected { free.min(*count) } else { 0 };
                assert_eq!(pushed, expected);
                model.extend(&values[..pushed]);
            }
            (
                Operation::WriteChunk {
                    max,
                    written,
                    committed,
                },
                Some(producer),
                _,
            ) => {
                let mut chunk = producer.write_chunk_uninit(*max);
                let expected = if connected { free.min(*max) } else { 0 };
                assert_eq!(chunk.len(), expected);
                let written = (*written).min(chunk.len());
                let committed = (*committed).min(written);
                let values = fresh(written);
                let (first, second) = chunk.as_mut_slices();
                assert_eq!(first.len() + second.len(), expected);
                for (slot, value) in first.iter_mut().chain(second.iter_mut()).zip(&values) {
                    *slot = MaybeUninit::new(*value);
                }
                // SAFETY: `committed <= written` slots were written above.
                unsafe { chunk.commit(committed) };
                model.extend(&values[..committed]);
            }
            (Operation::FillFromIter { max, available }, Some(producer), _) => {
                let values = fresh(*available);
                let pushed = producer
                    .write_chunk_uninit(*max)
                    .fill_from_iter(values.iter().copied());
                let room = if connected { free.min(*max) } else { 0 };
                assert_eq!(pushed, room.min(*available));
                model.extend(&values[..pushed]);
            }
            (pop @ (Operation::TryPop | Operation::TryPopSlipping), _, Some(consumer)) => {
                let expected = match model.pop_front() {
                    Some(value) => Ok(value),
                    None if !connected => Err(TryPopError::Disconnected),
                    None => Err(TryPopError::Empty),
                };
                let popped = pop_as(pop, consumer);
                assert_eq!(popped, expected);
            }
            (Operation::PopSlice(count), _, Some(consumer)) => {
                let mut out = vec![u32::MAX; *count];
                let popped = consumer.pop_slice(&mut out);
                assert_eq!(popped, model.len().min(*count));
                let expected: Vec<u32> = model.drain(..popped).collect();
                assert_eq!(&out[..popped], &expected[..]);
                assert!(out[popped..].iter().all(|&value| value == u32::MAX));
            }
            (Operation::ReadChunk { max, committed }, _, Some(consumer)) => {
                let chunk = consumer.read_chunk(*max);
                let len = model.len().min(*max);
                assert_eq!(chunk.len(), len);
                let (first, second) = chunk.as_slices();
                let seen: Vec<u32> = first.iter().chain(second).copied().collect();
                assert_eq!(seen, model.iter().take(len).copied().collect::<Vec<_>>());
                let committed = (*committed).min(len);
                chunk.commit(committed);
                model.drain(..committed);
            }
            (Operation::ReadChunkIter { max, taken }, _, Some(consumer)) => {
                let expected_count = model.len().min(*max).min(*taken);
                let items: Vec<u32> = consumer.read_chunk(*max).into_iter().take(*taken).collect();
                let expected: Vec<u32> = model.drain(..expected_count).collect();
                assert_eq!(items, expected);
            }
            (Operation::Peek, _, Some(consumer)) => {
                assert_eq!(consumer.peek(), model.front());
            }
            (Operation::PopInto(max), _, Some(consumer)) => {
                let mut out = vec![u32::MAX];
                let moved = consumer.pop_into(&mut out, *max);
                assert_eq!(moved, model.len().min(*max));
                let expected: Vec<u32> = std::iter::once(u32::MAX)
                    .chain(model.drain(..moved))
                    .collect();
                assert_eq!(out, expected);
            }
            (Operation::ItemsReached(wanted), _, Some(consumer)) => {
                let wanted = (*wanted).min(capacity);
                let expected = if wanted == 0 || model.len() >= wanted {
                    Some(Ok(model.len()))
                } else if !connected {
                    Some(Err(PopError))
                } else {
                    None
                };
                assert_eq!(consumer.items_reached(wanted), expected);
            }
            (Operation::FreeSlotsReached(wanted), Some(producer), _) => {
                let wanted = (*wanted).min(capacity);
                let expected = if wanted == 0 {
                    Some(Ok(free))
                } else if !connected {
                    Some(Err(Disconnected))
                } else {
                    (free >= wanted).then_some(Ok(free))
                };
                assert_eq!(producer.free_slots_reached(wanted), expected);
            }
            (Operation::CloseProducer, Some(producer), _) => {
                producer.close_channel();
                closed = true;
            }
            (Operation::CloseConsumer, _, Some(consumer)) => {
                consumer.close_channel();
                closed = true;
                consumer_closed = true;
            }
            (Operation::DropProducer, Some(_), _) => producer = None,
            (Operation::DropConsumer, _, Some(_)) => {
                consumer = None;
                consumer_closed = true;
                // The consumer's drop drops the items at once.
                dropped_unread |= !model.is_empty();
                model.clear();
            }
            _ => {} // The operation's handle is gone.
        }
        let connected = producer.is_some() && consumer.is_some() && !closed;
        if let Some(producer) = &producer {
            assert_eq!(producer.len(), model.len());
            assert_eq!(producer.free_slots(), capacity - model.len());
            assert_eq!(producer.is_full(), model.len() == capacity);
            assert_eq!(producer.is_disconnected(), !connected);
            assert_eq!(
                producer.has_undeliverable_items(),
                dropped_unread || (consumer_closed && !model.is_empty())
            );
        }
        if let Some(consumer) = &consumer {
            assert_eq!(consumer.len(), model.len());
            assert_eq!(consumer.is_empty(), model.is_empty());
            assert_eq!(consumer.is_disconnected(), !connected);
        }
    }
}

/// Runs pushes, pops and chunk operations on heap-owning items, dropping
/// either handle at a random point, and checks that every item is dropped
/// exactly once.
fn check_drops(capacity: usize, operations: &[Operation]) {
    let drops = Arc::new(AtomicUsize::new(0));
    let (producer, consumer) = channel::<Tracked>(capacity);
    let (mut producer, mut consumer) = (Some(producer), Some(consumer));
    let mut created = 0u64;
    let mut dropped_by_test = 0usize;
    let mut model = VecDeque::new();
    for operation in operations {
        match (operation, producer.as_mut(), consumer.as_mut()) {
            (Operation::TryPush, Some(producer), _) => {
                created += 1;
                match producer.try_push(Tracked::new(created, &drops)) {
                    Ok(()) => model.push_back(created),
                    Err(error) => {
                        drop(error);
                        dropped_by_test += 1;
                    }
                }
            }
            (Operation::FillFromIter { max, available }, Some(producer), _)
            | (
                Operation::WriteChunk {
                    max,
                    written: available,
                    ..
                },
                Some(producer),
                _,
            ) => {
                let first = created + 1;
                let values: Vec<Tracked> = (first..first + *available as u64)
                    .map(|value| Tracked::new(value, &drops))
                    .collect();
                created += *available as u64;
                let pushed = producer.write_chunk_uninit(*max).fill_from_iter(values);
                // The iterator's remaining items were dropped with it.
                dropped_by_test += available - pushed;
                model.extend(first..first + pushed as u64);
            }
            (pop @ (Operation::TryPop | Operation::TryPopSlipping), _, Some(consumer)) => {
                let popped = pop_as(pop, consumer);
                if let Ok(item) = popped {
                    assert_eq!(Some(item.value), model.pop_front());
                    dropped_by_test += 1;
                }
            }
            (Operation::ReadChunk { max, committed }, _, Some(consumer))
            | (Operation::PopSlice(max @ committed), _, Some(consumer)) => {
                let chunk = consumer.read_chunk(*max);
                let committed = (*committed).min(chunk.len());
                chunk.commit(committed);
                model.drain(..committed);
                dropped_by_test += committed;
            }
            (Operation::ReadChunkIter { max, taken }, _, Some(consumer)) => {
                for item in consumer.read_chunk(*max).into_iter().take(*taken) {
                    assert_eq!(Some(item.value), model.pop_front());
                    dropped_by_test += 1;
                }
            }
            (Operation::Peek, _, Some(consumer)) => {
                assert_eq!(
                    consumer.peek().map(|item| item.value),
                    model.front().copied()
                );
            }
            (Operation::PopInto(max), _, Some(consumer)) => {
                let mut out = Vec::new();
                let moved = consumer.pop_into(&mut out, *max);
                assert_eq!(moved, out.len());
                for item in out {
                    assert_eq!(Some(item.value), model.pop_front());
                    dropped_by_test += 1;
                }
            }
            (Operation::CloseProducer, Some(producer), _) => producer.close_channel(),
            (Operation::CloseConsumer, _, Some(consumer)) => consumer.close_channel(),
            (Operation::DropProducer, Some(_), _) => producer = None,
            (Operation::DropConsumer, _, Some(_)) => consumer = None,
            _ => {}
        }
        if consumer.is_none() {
            // The consumer's drop dropped the items in the ring at once;
            // nothing can be pushed after it.
            dropped_by_test += model.len();
            model.clear();
        }
        assert_eq!(drop_count(&drops), dropped_by_test);
    }
    drop(producer);
    drop(consumer);
    assert_eq!(
        drop_count(&drops),
        created as usize,
        "every item dropped exactly once"
    );
}

#[cfg(not(miri))]
proptest! {
    #![proptest_config(config())]

    #[test]
    fn behaves_like_a_vecdeque(
        capacity in 1..12usize,
        operations in prop::collection::vec(operation(), 0..MAX_OPERATIONS),
    ) {
        check_copy_items(capacity, &operations);
    }

    #[test]
    fn drops_every_item_exactly_once(
        capacity in 1..12usize,
        operations in prop::collection::vec(operation(), 0..MAX_OPERATIONS),
    ) {
        check_drops(capacity, &operations);
    }
}

/// Proptest's machinery is too slow under Miri, so there the same checks
/// run on sequences from a small deterministic generator.
#[cfg(miri)]
mod under_miri {
    use super::*;

    /// xorshift64: plenty random for picking operations.
    struct Generator(u64);

    impl Generator {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }

        fn operation(&mut self) -> Operation {
            match self.below(17) {
                0 => Operation::TryPush,
                1 => Operation::PushSlice(self.below(10)),
                2 => Operation::WriteChunk {
                    max: self.below(10),
                    written: self.below(10),
                    committed: self.below(10),
                },
                3 => Operation::FillFromIter {
                    max: self.below(10),
                    available: self.below(10),
                },
                4 => Operation::TryPop,
                5 => Operation::PopSlice(self.below(10)),
                6 => Operation::ReadChunk {
                    max: self.below(10),
                    committed: self.below(10),
                },
                7 => Operation::ReadChunkIter {
                    max: self.below(10),
                    taken: self.below(10),
                },
                8 => Operation::Peek,
                // Closes and drops are rarer than the others, so that most
                // sequences run a while with both handles connected.
                9 if self.below(4) == 0 => Operation::DropProducer,
                10 if self.below(4) == 0 => Operation::DropConsumer,
                11 if self.below(4) == 0 => Operation::CloseProducer,
                12 if self.below(4) == 0 => Operation::CloseConsumer,
                13 => Operation::PopInto(self.below(10)),
                14 => Operation::ItemsReached(self.below(12)),
                15 => Operation::FreeSlotsReached(self.below(12)),
                16 => Operation::TryPopSlipping,
                _ => Operation::TryPush,
            }
        }
    }

    fn sequences() -> impl Iterator<Item = (usize, Vec<Operation>)> {
        (1..=12u64).map(|seed| {
            let mut generator = Generator(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let capacity = 1 + generator.below(6);
            let operations = (0..MAX_OPERATIONS).map(|_| generator.operation()).collect();
            (capacity, operations)
        })
    }

    #[test]
    fn behaves_like_a_vecdeque() {
        for (capacity, operations) in sequences() {
            check_copy_items(capacity, &operations);
        }
    }

    #[test]
    fn drops_every_item_exactly_once() {
        for (capacity, operations) in sequences() {
            check_drops(capacity, &operations);
        }
    }
}
