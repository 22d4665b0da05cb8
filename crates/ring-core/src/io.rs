//! Byte streams: `std::io::Write` for a producer of bytes and
//! `std::io::Read` for a consumer, here in their non-waiting forms, and
//! [`impl_blocking_io!`](crate::impl_blocking_io) for the flavours whose
//! waits block.
//!
//! Both copy as many bytes as fit or are there, with one index publication
//! per call. The non-waiting forms fail with `ErrorKind::WouldBlock` where
//! a blocking form would wait: a write into a full ring, a read from an
//! empty one whose producer is still there.

use std::io;

use crate::{Consumer, Disconnected, Producer, WaitState};

/// The error of a write once the consumer is gone or a side closed the
/// channel: no byte written could ever be read.
///
/// # Examples
///
/// ```
/// let error = ring_core::io::broken_pipe();
/// assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe);
/// ```
pub fn broken_pipe() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, Disconnected)
}

/// Writes as many bytes of `buf` as fit, never waiting.
///
/// - `Ok(n)` with `n >= 1` bytes written, or `Ok(0)` for an empty `buf`;
/// - `Err` of kind `WouldBlock` while the ring is full;
/// - `Err` of kind `BrokenPipe` once the consumer is gone or a side closed
///   the channel.
///
/// `flush` does nothing: every write is published at once.
///
/// # Examples
///
/// ```
/// use std::io::{ErrorKind, Write};
///
/// let (mut producer, consumer) = ring_core::channel::<u8>(4);
/// assert_eq!(producer.write(b"hello").unwrap(), 4);
/// assert_eq!(producer.write(b"o").unwrap_err().kind(), ErrorKind::WouldBlock);
/// drop(consumer);
/// assert_eq!(producer.write(b"o").unwrap_err().kind(), ErrorKind::BrokenPipe);
/// ```
impl<W: WaitState> io::Write for Producer<u8, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        match self.push_slice(buf) {
            0 if self.is_disconnected() => Err(broken_pipe()),
            0 => Err(io::ErrorKind::WouldBlock.into()),
            written => Ok(written),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads as many bytes as are there and fit into `buf`, never waiting.
///
/// - `Ok(n)` with `n >= 1` bytes read, or `Ok(0)` for an empty `buf`;
/// - `Ok(0)` at the end of the stream: the producer is gone or a side
///   closed the channel, and the ring is drained;
/// - `Err` of kind `WouldBlock` while the ring is empty and more may come.
///
/// # Examples
///
/// ```
/// use std::io::{ErrorKind, Read, Write};
///
/// let (mut producer, mut consumer) = ring_core::channel::<u8>(8);
/// let mut buf = [0; 8];
/// assert_eq!(consumer.read(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
/// producer.write_all(b"hi").unwrap();
/// drop(producer);
/// assert_eq!(consumer.read(&mut buf).unwrap(), 2);
/// assert_eq!(&buf[..2], b"hi");
/// assert_eq!(consumer.read(&mut buf).unwrap(), 0); // End of stream.
/// ```
impl<W: WaitState> io::Read for Consumer<u8, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // The flag first, then the ring: every byte written before the
        // producer left is read before the end of the stream.
        let disconnected = self.is_disconnected();
        match self.pop_slice(buf) {
            0 if disconnected => Ok(0),
            0 => Err(io::ErrorKind::WouldBlock.into()),
            read => Ok(read),
        }
    }
}

/// Implements `std::io::Write` for a flavour's `Producer<u8>` and
/// `std::io::Read` for its `Consumer<u8>`, waiting as the flavour waits:
/// through its `wait_free_slots(1)` and `wait_items(1)`, which every
/// blocking flavour has.
///
/// - `write` waits until at least one byte fits, then writes as many as
///   fit and returns that count; it fails with `ErrorKind::BrokenPipe` once
///   the consumer is gone or a side closed the channel.
/// - `read` waits until at least one byte is there and returns how many it
///   copied; it returns `Ok(0)` once the producer is gone (or a side closed
///   the channel) and the ring is drained.
/// - `flush` returns at once: every write is published when it returns.
///
/// Invoke it in the flavour's crate, after `impl_flavour_api!`, where
/// `Producer`, `Consumer` (each wrapping ring-core's handle in a field
/// named `inner`) and the waits are in scope. After its wait, each calls
/// ring-core's non-waiting form on `inner`.
///
/// # Examples
///
/// ```
/// mod my_flavour {
///     pub struct Producer<T> {
///         inner: ring_core::Producer<T, ()>,
///     }
///     pub struct Consumer<T> {
///         inner: ring_core::Consumer<T, ()>,
///     }
///     pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
///         let (inner_producer, inner_consumer) = ring_core::channel(capacity);
///         (Producer { inner: inner_producer }, Consumer { inner: inner_consumer })
///     }
///     ring_core::impl_flavour_api!(crate = "ring_core", wait_state = ());
///     impl<T> Producer<T> {
///         pub fn wait_free_slots(&mut self, n: usize) -> Result<usize, ring_core::Disconnected> {
///             loop {
///                 if let Some(outcome) = self.inner.free_slots_reached(n) {
///                     return outcome;
///                 }
///                 std::thread::yield_now();
///             }
///         }
///     }
///     impl<T> Consumer<T> {
///         pub fn wait_items(&mut self, n: usize) -> Result<usize, ring_core::PopError> {
///             loop {
///                 if let Some(outcome) = self.inner.items_reached(n) {
///                     return outcome;
///                 }
///                 std::thread::yield_now();
///             }
///         }
///     }
///     ring_core::impl_blocking_io!();
/// }
///
/// use std::io::{Read, Write};
///
/// let (mut producer, mut consumer) = my_flavour::channel(4);
/// let writer = std::thread::spawn(move || producer.write_all(b"a byte stream"));
/// let mut text = String::new();
/// consumer.read_to_string(&mut text).unwrap();
/// writer.join().unwrap().unwrap();
/// assert_eq!(text, "a byte stream");
/// ```
#[macro_export]
macro_rules! impl_blocking_io {
    () => {
        /// Writes as many bytes as fit, waiting until at least one does;
        /// fails with `ErrorKind::BrokenPipe` once the consumer is gone or
        /// a side closed the channel. `flush` returns at once.
        impl $crate::__private::io::Write for Producer<u8> {
            fn write(&mut self, buf: &[u8]) -> $crate::__private::io::Result<usize> {
                if buf.is_empty() {
                    return Ok(0);
                }
                if self.wait_free_slots(1).is_err() {
                    return Err($crate::io::broken_pipe());
                }
                // ring-core's write, which cannot find the ring full now:
                // only a consumer that left since the wait stops it.
                $crate::__private::io::Write::write(&mut self.inner, buf)
            }

            fn flush(&mut self) -> $crate::__private::io::Result<()> {
                Ok(())
            }
        }

        /// Reads as many bytes as are there, waiting until at least one
        /// is; `Ok(0)` once the producer is gone (or a side closed the
        /// channel) and the ring is drained.
        impl $crate::__private::io::Read for Consumer<u8> {
            fn read(&mut self, buf: &mut [u8]) -> $crate::__private::io::Result<usize> {
                if buf.is_empty() || self.wait_items(1).is_err() {
                    return Ok(0);
                }
                // ring-core's read, which finds at least one byte now.
                $crate::__private::io::Read::read(&mut self.inner, buf)
            }
        }
    };
}
