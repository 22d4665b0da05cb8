//! The byte run: an [`Input`] on a ring of `u8`s through the flavour's
//! byte-stream traits (`io::Write`/`io::Read`, or `AsyncWrite`/`AsyncRead`
//! polled once), checked against a `VecDeque<u8>`.
//!
//! Only the operations that mean something for a byte stream act here:
//! `WriteBytes` and `PushSlice` write, `ReadBytes` and `PopSlice` read, and
//! the views, closes and drops do what they do on the item runs. The rest
//! are skipped; the item runs cover them.

use std::collections::VecDeque;
use std::io::{self, ErrorKind};

use crate::{Flavour, Input, Operation};

/// Runs `input`'s byte-stream operations on flavour `F`; panics at the
/// first difference from the model.
pub fn check_bytes<F: Flavour>(input: &Input) {
    let mut run = ByteRun::<F>::new(input.capacity());
    for &operation in &input.operations {
        run.step(operation);
    }
    run.check_views("the end");
}

/// One byte run: the two handles (each `None` once dropped) and the model.
struct ByteRun<F: Flavour> {
    capacity: usize,
    producer: Option<F::Producer<u8>>,
    consumer: Option<F::Consumer<u8>>,
    /// The bytes in the ring, oldest first.
    model: VecDeque<u8>,
    /// A side closed the channel.
    closed: bool,
    /// The next byte written; bytes count up, wrapping, so that a lost,
    /// doubled or reordered byte shows.
    next: u8,
}

impl<F: Flavour> ByteRun<F> {
    fn new(capacity: usize) -> Self {
        let (producer, consumer) = F::channel(capacity);
        Self {
            capacity,
            producer: Some(producer),
            consumer: Some(consumer),
            model: VecDeque::new(),
            closed: false,
            next: 0,
        }
    }

    fn connected(&self) -> bool {
        self.producer.is_some() && self.consumer.is_some() && !self.closed
    }

    fn step(&mut self, operation: Operation) {
        match operation {
            Operation::WriteBytes { count, style } => self.write(count.into(), style),
            Operation::PushSlice(count) => self.write(count.into(), 0),
            Operation::ReadBytes { count, style } => self.read(count.into(), style),
            Operation::PopSlice(count) => self.read(count.into(), 0),
            Operation::ProducerView | Operation::ConsumerView => self.check_views("a view"),
            Operation::CloseProducer => {
                if let Some(producer) = &mut self.producer {
                    F::close_producer(producer);
                    self.closed = true;
                }
            }
            Operation::CloseConsumer => {
                if let Some(consumer) = &mut self.consumer {
                    F::close_consumer(consumer);
                    self.closed = true;
                }
            }
            Operation::DropProducer => self.producer = None,
            Operation::DropConsumer => {
                self.consumer = None;
                self.model.clear();
            }
            _ => {}
        }
        if self.producer.is_none() && self.consumer.is_none() {
            *self = Self::new(self.capacity);
        }
    }

    fn write(&mut self, count: usize, style: u8) {
        let connected = self.connected();
        let Some(producer) = &mut self.producer else {
            return;
        };
        let bytes: Vec<u8> = (0..count)
            .map(|offset| self.next.wrapping_add(offset as u8))
            .collect();
        let free = self.capacity - self.model.len();
        let Some(written) = F::write_bytes(producer, &bytes, style) else {
            assert!(
                connected && free == 0,
                "a blocking write said it would block with {free} free bytes"
            );
            return;
        };
        let expected = if count == 0 {
            Ok(0)
        } else if !connected {
            Err(ErrorKind::BrokenPipe)
        } else if free == 0 {
            Err(ErrorKind::WouldBlock)
        } else {
            Ok(free.min(count))
        };
        assert_eq!(
            kind_or_count(&written),
            expected,
            "write of {count} bytes (style {style}) with {free} free"
        );
        if let Ok(written) = written {
            self.model.extend(&bytes[..written]);
            self.next = self.next.wrapping_add(written as u8);
        }
    }

    fn read(&mut self, count: usize, style: u8) {
        let connected = self.connected();
        let Some(consumer) = &mut self.consumer else {
            return;
        };
        let mut buf = vec![0; count];
        let Some(read) = F::read_bytes(consumer, &mut buf, style) else {
            assert!(
                connected && self.model.is_empty(),
                "a blocking read said it would block with {} bytes there",
                self.model.len()
            );
            return;
        };
        let expected = if count == 0 || (self.model.is_empty() && !connected) {
            Ok(0)
        } else if self.model.is_empty() {
            Err(ErrorKind::WouldBlock)
        } else {
            Ok(count.min(self.model.len()))
        };
        assert_eq!(
            kind_or_count(&read),
            expected,
            "read of up to {count} bytes (style {style}) with {} there",
            self.model.len()
        );
        if let Ok(read) = read {
            let expected: Vec<u8> = self.model.drain(..read).collect();
            assert_eq!(buf[..read], expected, "the bytes read");
        }
    }

    /// Compares both handles' lengths and disconnection with the model.
    fn check_views(&self, at: &str) {
        let connected = self.connected();
        if let Some(producer) = &self.producer {
            let (view, free) = F::producer_view(producer);
            assert_eq!(
                (view.len, free, view.is_disconnected),
                (
                    self.model.len(),
                    self.capacity - self.model.len(),
                    !connected
                ),
                "the producer's view at {at}"
            );
        }
        if let Some(consumer) = &self.consumer {
            let view = F::consumer_view(consumer);
            assert_eq!(
                (view.len, view.is_disconnected),
                (self.model.len(), !connected),
                "the consumer's view at {at}"
            );
        }
    }
}

/// A byte-stream result as a count or an error kind, for comparison.
fn kind_or_count(result: &io::Result<usize>) -> Result<usize, ErrorKind> {
    result.as_ref().map(|&count| count).map_err(io::Error::kind)
}
