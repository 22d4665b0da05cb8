//! Byte streams for async code: `futures-io`'s `AsyncWrite` and
//! `AsyncRead` (feature `futures-io`) and tokio's (feature `tokio-io`) for
//! a producer and a consumer of bytes, with the semantics of the blocking
//! flavours' `std::io` traits:
//!
//! - a write waits until at least one byte fits, then writes as many as
//!   fit and returns that count; it fails with `ErrorKind::BrokenPipe` once
//!   the consumer is gone or a side closed the channel;
//! - a read waits until at least one byte is there and copies as many as
//!   fit; it reads nothing (end of file) once the producer is gone or a
//!   side closed the channel, and the ring is drained;
//! - flushing does nothing, since every write is published at once;
//!   closing (`poll_close`, `poll_shutdown`) closes the channel, so that
//!   the reader sees the end of file after the bytes written before.
//!
//! Each poll is a `poll_free_slots` or `poll_items` followed by a copy, so
//! it takes part in tokio's cooperative budget with the `tokio` feature.

use std::io;
use std::task::{Context, Poll, ready};

use crate::{Consumer, Producer};

/// The write shared by both traits: waits for one free slot, then copies.
fn poll_write_bytes(
    producer: &mut Producer<u8>,
    cx: &mut Context<'_>,
    buf: &[u8],
) -> Poll<io::Result<usize>> {
    if buf.is_empty() {
        return Poll::Ready(Ok(0));
    }
    if ready!(producer.poll_free_slots(cx)).is_err() {
        return Poll::Ready(Err(ring_core::io::broken_pipe()));
    }
    // ring-core's write, which cannot find the ring full now: only a
    // consumer that left since the wait stops it.
    Poll::Ready(io::Write::write(&mut producer.inner, buf))
}

/// The read shared by both traits: waits for one item, then hands the
/// bytes there (at most `max`) to `copy` and takes them out of the ring.
/// Ready without calling `copy` when `max` is 0 and at the end of the
/// stream, where the read reads nothing.
fn poll_read_bytes(
    consumer: &mut Consumer<u8>,
    cx: &mut Context<'_>,
    max: usize,
    copy: impl FnOnce(&[u8], &[u8]),
) -> Poll<()> {
    if max == 0 || ready!(consumer.poll_items(cx)).is_err() {
        return Poll::Ready(());
    }
    let chunk = consumer.read_chunk(max);
    let (first, second) = chunk.as_slices();
    copy(first, second);
    chunk.commit_all();
    Poll::Ready(())
}

#[cfg(feature = "futures-io")]
mod futures_traits {
    use std::io;
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    use super::{poll_read_bytes, poll_write_bytes};
    use crate::{Consumer, Producer};

    /// Writes as many bytes as fit, waiting for room for one; see the
    /// module docs. `poll_close` closes the channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::io::{AsyncReadExt, AsyncWriteExt};
    ///
    /// # futures::executor::block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel::<u8>(16);
    /// let writer = async move {
    ///     producer.write_all(b"bytes through a ring").await.unwrap();
    ///     producer.close().await.unwrap(); // The reader sees the end.
    /// };
    /// let reader = async move {
    ///     let mut text = String::new();
    ///     consumer.read_to_string(&mut text).await.unwrap();
    ///     text
    /// };
    /// let ((), text) = futures::join!(writer, reader);
    /// assert_eq!(text, "bytes through a ring");
    /// # });
    /// ```
    impl futures_io::AsyncWrite for Producer<u8> {
        fn poll_write(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            poll_write_bytes(self.get_mut(), cx, buf)
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            self.get_mut().close_channel();
            Poll::Ready(Ok(()))
        }
    }

    /// Reads as many bytes as are there, waiting for one; see the module
    /// docs.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::io::AsyncReadExt;
    ///
    /// # futures::executor::block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel::<u8>(16);
    /// assert_eq!(producer.push_slice(b"abc"), 3);
    /// drop(producer);
    /// let mut buf = [0; 8];
    /// assert_eq!(consumer.read(&mut buf).await.unwrap(), 3);
    /// assert_eq!(consumer.read(&mut buf).await.unwrap(), 0); // End of file.
    /// # });
    /// ```
    impl futures_io::AsyncRead for Consumer<u8> {
        fn poll_read(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut [u8],
        ) -> Poll<io::Result<usize>> {
            let mut read = 0;
            let max = buf.len();
            ready!(poll_read_bytes(self.get_mut(), cx, max, |first, second| {
                buf[..first.len()].copy_from_slice(first);
                buf[first.len()..first.len() + second.len()].copy_from_slice(second);
                read = first.len() + second.len();
            }));
            Poll::Ready(Ok(read))
        }
    }
}

#[cfg(feature = "tokio-io")]
mod tokio_traits {
    use std::io;
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    use tokio::io::ReadBuf;

    use super::{poll_read_bytes, poll_write_bytes};
    use crate::{Consumer, Producer};

    /// Writes as many bytes as fit, waiting for room for one; see the
    /// module docs. `poll_shutdown` closes the channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel::<u8>(16);
    /// let writer = tokio::spawn(async move {
    ///     producer.write_all(b"bytes through a ring").await.unwrap();
    ///     producer.shutdown().await.unwrap(); // The reader sees the end.
    /// });
    /// let mut text = String::new();
    /// consumer.read_to_string(&mut text).await.unwrap();
    /// writer.await.unwrap();
    /// assert_eq!(text, "bytes through a ring");
    /// # });
    /// ```
    impl tokio::io::AsyncWrite for Producer<u8> {
        fn poll_write(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            poll_write_bytes(self.get_mut(), cx, buf)
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            self.get_mut().close_channel();
            Poll::Ready(Ok(()))
        }
    }

    /// Reads as many bytes as are there, waiting for one; see the module
    /// docs. The bytes are copied into the unfilled part of the buffer,
    /// which is never zeroed first.
    ///
    /// # Examples
    ///
    /// ```
    /// use tokio::io::AsyncReadExt;
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (mut producer, mut consumer) = ring_async::channel::<u8>(16);
    /// assert_eq!(producer.push_slice(b"abc"), 3);
    /// drop(producer);
    /// let mut buf = [0; 8];
    /// assert_eq!(consumer.read(&mut buf).await.unwrap(), 3);
    /// assert_eq!(consumer.read(&mut buf).await.unwrap(), 0); // End of file.
    /// # });
    /// ```
    impl tokio::io::AsyncRead for Consumer<u8> {
        fn poll_read(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let max = buf.remaining();
            ready!(poll_read_bytes(self.get_mut(), cx, max, |first, second| {
                buf.put_slice(first);
                buf.put_slice(second);
            }));
            Poll::Ready(Ok(()))
        }
    }
}
