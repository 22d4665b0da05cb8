//! [`Flavour`] for ring-core and each flavour crate. The shared operations
//! come from one macro; each flavour adds its waiting forms, asked only in
//! ways that cannot wait forever on one thread: with a zero timeout, polled
//! once with a no-op waker, or (for forms without either) only when the
//! handle's own view says that they will not wait; when it says they would,
//! the `try_` form is asked instead, which also publishes what a leaked
//! chunk iterator took, as the waiting form would on its first try.

use std::io::{self, Read, Write};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use futures_core::Stream;
use futures_sink::Sink;
use ring_core::{TryPopError, TryPushError, WaitTimeoutError};

use crate::flavour::shared_operations;
use crate::{Flavour, Readiness, Waited};

/// Maps a `try_push` result.
fn tried_push<T>(result: Result<(), TryPushError<T>>) -> Waited<T> {
    match result {
        Ok(()) => Waited::Done(None),
        Err(TryPushError::Full(value)) => Waited::WouldWait(Some(value)),
        Err(TryPushError::Disconnected(value)) => Waited::Disconnected(Some(value)),
    }
}

/// Maps a `try_pop` result.
fn tried_pop<T>(result: Result<T, TryPopError>) -> Waited<T> {
    match result {
        Ok(value) => Waited::Done(Some(value)),
        Err(TryPopError::Empty) => Waited::WouldWait(None),
        Err(TryPopError::Disconnected) => Waited::Disconnected(None),
    }
}

/// Maps a wait for free slots or items that ended, or `None` while it
/// would go on.
fn reached<E>(outcome: Option<Result<usize, E>>) -> Readiness {
    match outcome {
        Some(Ok(count)) => Readiness::Ready(count),
        Some(Err(_)) => Readiness::Disconnected,
        None => Readiness::Pending,
    }
}

/// Maps a ring-park wait with a timeout or deadline.
fn reached_in_time(outcome: Result<usize, WaitTimeoutError>) -> Readiness {
    match outcome {
        Ok(count) => Readiness::Ready(count),
        Err(WaitTimeoutError::Timeout) => Readiness::Pending,
        Err(WaitTimeoutError::Disconnected) => Readiness::Disconnected,
    }
}

/// Maps a poll of a wait for free slots or items.
fn polled_wait<E>(polled: Poll<Result<usize, E>>) -> Readiness {
    match polled {
        Poll::Ready(outcome) => reached(Some(outcome)),
        Poll::Pending => Readiness::Pending,
    }
}

/// Whether a blocking wait for `wanted` slots or items would wait, from
/// how many are there now and whether the channel is still connected.
fn would_wait(wanted: usize, there: usize, disconnected: bool) -> bool {
    wanted > 0 && there < wanted && !disconnected
}

/// Implements the waits for `n` and the byte streams of a blocking flavour
/// (ring-spin, ring-park: `timed` adds its timeout and deadline forms as
/// styles). The forms that could wait are asked only when the handle's own
/// view says they will not; a wait for items that would wait takes an
/// empty read chunk instead, which publishes what a leaked chunk iterator
/// took, as the wait would on its first look.
macro_rules! blocking_waits_and_bytes {
    (@slots $producer:ident, $wanted:ident) => {
        if would_wait($wanted, $producer.free_slots(), $producer.is_disconnected()) {
            Readiness::Pending
        } else {
            reached(Some($producer.wait_free_slots($wanted)))
        }
    };
    (@items $consumer:ident, $wanted:ident) => {
        if would_wait($wanted, $consumer.len(), $consumer.is_disconnected()) {
            drop($consumer.read_chunk(0));
            Readiness::Pending
        } else {
            reached(Some($consumer.wait_items($wanted)))
        }
    };
    (untimed) => {
        fn wait_free_slots<T>(producer: &mut Self::Producer<T>, wanted: usize, _: u8) -> Readiness {
            blocking_waits_and_bytes!(@slots producer, wanted)
        }

        fn wait_items<T>(consumer: &mut Self::Consumer<T>, wanted: usize, _: u8) -> Readiness {
            blocking_waits_and_bytes!(@items consumer, wanted)
        }

        blocking_waits_and_bytes!(@bytes);
    };
    (timed) => {
        fn wait_free_slots<T>(
            producer: &mut Self::Producer<T>,
            wanted: usize,
            style: u8,
        ) -> Readiness {
            match style % 3 {
                0 => reached_in_time(producer.wait_free_slots_timeout(wanted, Duration::ZERO)),
                1 => reached_in_time(producer.wait_free_slots_deadline(wanted, Instant::now())),
                _ => blocking_waits_and_bytes!(@slots producer, wanted),
            }
        }

        fn wait_items<T>(consumer: &mut Self::Consumer<T>, wanted: usize, style: u8) -> Readiness {
            match style % 3 {
                0 => reached_in_time(consumer.wait_items_timeout(wanted, Duration::ZERO)),
                1 => reached_in_time(consumer.wait_items_deadline(wanted, Instant::now())),
                _ => blocking_waits_and_bytes!(@items consumer, wanted),
            }
        }

        blocking_waits_and_bytes!(@bytes);
    };
    (@bytes) => {
        fn write_bytes(
            producer: &mut Self::Producer<u8>,
            bytes: &[u8],
            _: u8,
        ) -> Option<io::Result<usize>> {
            if !bytes.is_empty() && producer.is_full() && !producer.is_disconnected() {
                return None;
            }
            Some(producer.write(bytes))
        }

        fn read_bytes(
            consumer: &mut Self::Consumer<u8>,
            buf: &mut [u8],
            _: u8,
        ) -> Option<io::Result<usize>> {
            if !buf.is_empty() && consumer.is_empty() && !consumer.is_disconnected() {
                return None;
            }
            Some(consumer.read(buf))
        }
    };
}

/// A context whose waker does nothing: the driver polls each future once.
fn noop_context() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

/// ring-core itself: its waiting forms are the `try_` ones.
#[derive(Debug)]
pub struct Core;

impl Flavour for Core {
    type Wait = ();
    type Producer<T> = ring_core::Producer<T>;
    type Consumer<T> = ring_core::Consumer<T>;

    shared_operations!(ring_core);

    fn waiting_push<T>(producer: &mut Self::Producer<T>, value: T, _: u8) -> Waited<T> {
        tried_push(producer.try_push(value))
    }

    fn waiting_pop<T>(consumer: &mut Self::Consumer<T>, _: u8) -> Waited<T> {
        tried_pop(consumer.try_pop())
    }

    fn wait_free_slots<T>(producer: &mut Self::Producer<T>, wanted: usize, _: u8) -> Readiness {
        reached(producer.free_slots_reached(wanted))
    }

    fn wait_items<T>(consumer: &mut Self::Consumer<T>, wanted: usize, _: u8) -> Readiness {
        reached(consumer.items_reached(wanted))
    }

    fn write_bytes(
        producer: &mut Self::Producer<u8>,
        bytes: &[u8],
        _: u8,
    ) -> Option<io::Result<usize>> {
        Some(producer.write(bytes))
    }

    fn read_bytes(
        consumer: &mut Self::Consumer<u8>,
        buf: &mut [u8],
        _: u8,
    ) -> Option<io::Result<usize>> {
        Some(consumer.read(buf))
    }
}

/// ring-spin: `push`, `pop` and `iter`, which spin, are called only when
/// the handle says they would not.
#[derive(Debug)]
pub struct Spin;

impl Flavour for Spin {
    type Wait = ();
    type Producer<T> = ring_spin::Producer<T>;
    type Consumer<T> = ring_spin::Consumer<T>;

    shared_operations!(ring_spin);
    blocking_waits_and_bytes!(untimed);

    fn waiting_push<T>(producer: &mut Self::Producer<T>, value: T, _: u8) -> Waited<T> {
        if producer.is_full() && !producer.is_disconnected() {
            return tried_push(producer.try_push(value));
        }
        match producer.push(value) {
            Ok(()) => Waited::Done(None),
            Err(error) => Waited::Disconnected(Some(error.into_inner())),
        }
    }

    fn waiting_pop<T>(consumer: &mut Self::Consumer<T>, style: u8) -> Waited<T> {
        if consumer.is_empty() && !consumer.is_disconnected() {
            return tried_pop(consumer.try_pop());
        }
        let popped = if style.is_multiple_of(2) {
            consumer.pop().ok()
        } else {
            consumer.iter().next()
        };
        match popped {
            Some(value) => Waited::Done(Some(value)),
            None => Waited::Disconnected(None),
        }
    }
}

/// ring-park: the timeout and deadline forms with no time to wait, and
/// `push`/`pop` when they would not park.
#[derive(Debug)]
pub struct Park;

impl Flavour for Park {
    type Wait = ring_park::ParkState;
    type Producer<T> = ring_park::Producer<T>;
    type Consumer<T> = ring_park::Consumer<T>;

    shared_operations!(ring_park);
    blocking_waits_and_bytes!(timed);

    fn waiting_push<T>(producer: &mut Self::Producer<T>, value: T, style: u8) -> Waited<T> {
        use ring_park::PushTimeoutError;
        let result = match style % 3 {
            0 => producer.push_timeout(value, Duration::ZERO),
            1 => producer.push_deadline(value, Instant::now()),
            _ => {
                if producer.is_full() && !producer.is_disconnected() {
                    return tried_push(producer.try_push(value));
                }
                producer
                    .push(value)
                    .map_err(|error| PushTimeoutError::Disconnected(error.into_inner()))
            }
        };
        match result {
            Ok(()) => Waited::Done(None),
            Err(PushTimeoutError::Timeout(value)) => Waited::WouldWait(Some(value)),
            Err(PushTimeoutError::Disconnected(value)) => Waited::Disconnected(Some(value)),
        }
    }

    fn waiting_pop<T>(consumer: &mut Self::Consumer<T>, style: u8) -> Waited<T> {
        use ring_park::PopTimeoutError;
        let result = match style % 3 {
            0 => consumer.pop_timeout(Duration::ZERO),
            1 => consumer.pop_deadline(Instant::now()),
            _ => {
                if consumer.is_empty() && !consumer.is_disconnected() {
                    return tried_pop(consumer.try_pop());
                }
                consumer.pop().map_err(|_| PopTimeoutError::Disconnected)
            }
        };
        match result {
            Ok(value) => Waited::Done(Some(value)),
            Err(PopTimeoutError::Timeout) => Waited::WouldWait(None),
            Err(PopTimeoutError::Disconnected) => Waited::Disconnected(None),
        }
    }
}

/// ring-async: each future, `Sink` and `Stream` polled once with a no-op
/// waker (a pending push either hands its value back through `into_value`
/// or is dropped with it), and the blocking forms when they would not
/// block.
#[derive(Debug)]
pub struct Async;

impl Flavour for Async {
    type Wait = ring_async::AsyncState;
    type Producer<T> = ring_async::Producer<T>;
    type Consumer<T> = ring_async::Consumer<T>;

    shared_operations!(ring_async);

    fn waiting_push<T>(producer: &mut Self::Producer<T>, value: T, style: u8) -> Waited<T> {
        use ring_async::PushTimeoutError;
        let mut context = noop_context();
        match style % 6 {
            0 | 1 => {
                let mut push = producer.push(value);
                match Pin::new(&mut push).poll(&mut context) {
                    Poll::Ready(Ok(())) => Waited::Done(None),
                    Poll::Ready(Err(error)) => Waited::Disconnected(Some(error.into_inner())),
                    // Style 0 takes the value back; style 1 drops the
                    // future with the value in it.
                    Poll::Pending if style.is_multiple_of(6) => Waited::WouldWait(Some(
                        push.into_value().expect("a pending push keeps its value"),
                    )),
                    Poll::Pending => Waited::DroppedPending,
                }
            }
            2 => match Pin::new(&mut *producer).poll_ready(&mut context) {
                Poll::Ready(Ok(())) => {
                    let sent = Pin::new(&mut *producer).start_send(value);
                    assert!(sent.is_ok(), "start_send failed after poll_ready");
                    Waited::Done(None)
                }
                Poll::Ready(Err(_)) => Waited::Disconnected(Some(value)),
                Poll::Pending => Waited::WouldWait(Some(value)),
            },
            timed @ (4 | 5) => {
                let result = if timed == 4 {
                    producer.push_blocking_timeout(value, Duration::ZERO)
                } else {
                    producer.push_blocking_deadline(value, Instant::now())
                };
                match result {
                    Ok(()) => Waited::Done(None),
                    Err(PushTimeoutError::Timeout(value)) => Waited::WouldWait(Some(value)),
                    Err(PushTimeoutError::Disconnected(value)) => Waited::Disconnected(Some(value)),
                }
            }
            _ => {
                if producer.is_full() && !producer.is_disconnected() {
                    return tried_push(producer.try_push(value));
                }
                match producer.push_blocking(value) {
                    Ok(()) => Waited::Done(None),
                    Err(error) => Waited::Disconnected(Some(error.into_inner())),
                }
            }
        }
    }

    fn ready_slots<T>(producer: &mut Self::Producer<T>, style: u8) -> Option<Readiness> {
        let mut context = noop_context();
        let polled = match style % 4 {
            0 => producer.poll_free_slots(&mut context),
            1 => pin!(producer.wait_free_slots(1)).poll(&mut context),
            flush_or_close => {
                let sink = Pin::new(&mut *producer);
                let polled = if flush_or_close == 2 {
                    sink.poll_flush(&mut context)
                } else {
                    sink.poll_close(&mut context)
                };
                return Some(match polled {
                    Poll::Ready(delivered) => Readiness::Flushed {
                        closed: flush_or_close == 3,
                        delivered: delivered.is_ok(),
                    },
                    Poll::Pending => Readiness::Pending,
                });
            }
        };
        Some(match polled {
            Poll::Ready(Ok(slots)) => Readiness::Ready(slots),
            Poll::Ready(Err(_)) => Readiness::Disconnected,
            Poll::Pending => Readiness::Pending,
        })
    }

    fn wait_free_slots<T>(producer: &mut Self::Producer<T>, wanted: usize, _: u8) -> Readiness {
        polled_wait(pin!(producer.wait_free_slots(wanted)).poll(&mut noop_context()))
    }

    fn closed<T>(producer: &mut Self::Producer<T>) -> Option<bool> {
        Some(pin!(producer.closed()).poll(&mut noop_context()).is_ready())
    }

    fn write_bytes(
        producer: &mut Self::Producer<u8>,
        bytes: &[u8],
        style: u8,
    ) -> Option<io::Result<usize>> {
        let mut context = noop_context();
        let producer = Pin::new(producer);
        let polled = if style.is_multiple_of(2) {
            futures_io::AsyncWrite::poll_write(producer, &mut context, bytes)
        } else {
            tokio::io::AsyncWrite::poll_write(producer, &mut context, bytes)
        };
        Some(match polled {
            Poll::Ready(result) => result,
            Poll::Pending => Err(io::ErrorKind::WouldBlock.into()),
        })
    }

    fn wait_items<T>(consumer: &mut Self::Consumer<T>, wanted: usize, _: u8) -> Readiness {
        polled_wait(pin!(consumer.wait_items(wanted)).poll(&mut noop_context()))
    }

    fn read_bytes(
        consumer: &mut Self::Consumer<u8>,
        buf: &mut [u8],
        style: u8,
    ) -> Option<io::Result<usize>> {
        let mut context = noop_context();
        let consumer = Pin::new(consumer);
        let polled = if style.is_multiple_of(2) {
            futures_io::AsyncRead::poll_read(consumer, &mut context, buf)
        } else {
            let mut read_buf = tokio::io::ReadBuf::new(buf);
            tokio::io::AsyncRead::poll_read(consumer, &mut context, &mut read_buf)
                .map_ok(|()| read_buf.filled().len())
        };
        Some(match polled {
            Poll::Ready(result) => result,
            Poll::Pending => Err(io::ErrorKind::WouldBlock.into()),
        })
    }

    fn ready_items<T>(consumer: &mut Self::Consumer<T>, style: u8) -> Option<Readiness> {
        let mut context = noop_context();
        let polled = if style.is_multiple_of(2) {
            consumer.poll_items(&mut context)
        } else {
            pin!(consumer.wait_items(1)).poll(&mut context)
        };
        Some(match polled {
            Poll::Ready(Ok(items)) => Readiness::Ready(items),
            Poll::Ready(Err(_)) => Readiness::Disconnected,
            Poll::Pending => Readiness::Pending,
        })
    }

    fn waiting_pop<T>(consumer: &mut Self::Consumer<T>, style: u8) -> Waited<T> {
        use ring_async::PopTimeoutError;
        let mut context = noop_context();
        let polled = match style % 6 {
            0 => pin!(consumer.pop()).poll(&mut context),
            1 => consumer.poll_pop(&mut context),
            2 => match Pin::new(&mut *consumer).poll_next(&mut context) {
                Poll::Ready(Some(value)) => Poll::Ready(Ok(value)),
                Poll::Ready(None) => Poll::Ready(Err(ring_async::PopError)),
                Poll::Pending => Poll::Pending,
            },
            timed @ (4 | 5) => {
                let result = if timed == 4 {
                    consumer.pop_blocking_timeout(Duration::ZERO)
                } else {
                    consumer.pop_blocking_deadline(Instant::now())
                };
                match result {
                    Ok(value) => Poll::Ready(Ok(value)),
                    Err(PopTimeoutError::Timeout) => Poll::Pending,
                    Err(PopTimeoutError::Disconnected) => Poll::Ready(Err(ring_async::PopError)),
                }
            }
            _ => {
                if consumer.is_empty() && !consumer.is_disconnected() {
                    return tried_pop(consumer.try_pop());
                }
                Poll::Ready(consumer.pop_blocking())
            }
        };
        match polled {
            Poll::Ready(Ok(value)) => Waited::Done(Some(value)),
            Poll::Ready(Err(_)) => Waited::Disconnected(None),
            Poll::Pending => Waited::WouldWait(None),
        }
    }
}
