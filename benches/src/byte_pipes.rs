//! The byte-pipe workload: a stream of bytes written in 4 KiB writes into
//! one end of a pipe holding 64 KiB and read out of the other, timed from
//! the first write until the reader sees the end of the stream.
//!
//! ring-async is held against tokio's in-memory pipes (`io::simplex` and
//! `io::duplex`), each end a task of one 2-worker tokio runtime, through
//! tokio's `AsyncWrite`/`AsyncRead` (ring-async's feature `tokio-io`, and
//! not its feature `tokio`: no cooperative budget). ring-park is held
//! against a Unix socket pair (kernel buffers at their defaults), each end
//! a thread, through `std::io`. ring-spin, on two threads that never
//! sleep, shows what the copies alone cost: every pipe here copies each
//! byte into the pipe and out of it, and ring-spin adds nothing else but
//! one index publication per write.
//!
//! The reader compares every read with the pattern written, so a lost,
//! doubled or reordered byte fails the run.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Bytes per write.
///
/// ```
/// assert_eq!(ring_benches::byte_pipes::WRITE_BYTES, 4096);
/// ```
pub const WRITE_BYTES: usize = 4096;
/// Bytes the pipe holds: the ring's capacity, tokio's pipe buffer.
///
/// ```
/// use ring_benches::byte_pipes::{PIPE_BYTES, WRITE_BYTES};
///
/// assert_eq!(PIPE_BYTES % WRITE_BYTES, 0); // Sixteen writes fill it.
/// ```
pub const PIPE_BYTES: usize = 65_536;
/// The pattern's period: a prime, so that it drifts against the block size.
const PERIOD: usize = 251;

/// One implementation of the byte pipe.
///
/// # Examples
///
/// ```
/// use ring_benches::byte_pipes::BytePipe;
///
/// let spin = BytePipe::all().into_iter().find(|pipe| pipe.name == "ring-spin").unwrap();
/// // Panics if a byte is lost, doubled or out of place.
/// let elapsed = (spin.copy)(1 << 20);
/// assert!(elapsed.as_nanos() > 0);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct BytePipe {
    /// Its name in the report.
    pub name: &'static str,
    /// Copies `total` bytes through a new pipe; returns the time it took.
    pub copy: fn(total: usize) -> Duration,
}

impl BytePipe {
    /// Every byte pipe measured.
    ///
    /// ```
    /// let names = ring_benches::byte_pipes::BytePipe::all().map(|pipe| pipe.name);
    /// assert!(names.contains(&"ring-async") && names.contains(&"tokio simplex"));
    /// ```
    pub fn all() -> [Self; 6] {
        [
            Self {
                name: "ring-async",
                copy: |total| {
                    let (writer, reader) = ring_async::channel::<u8>(PIPE_BYTES);
                    on_two_workers(writer, reader, total)
                },
            },
            Self {
                name: "tokio simplex",
                copy: |total| {
                    let (reader, writer) = tokio::io::simplex(PIPE_BYTES);
                    on_two_workers(writer, reader, total)
                },
            },
            Self {
                name: "tokio duplex",
                copy: |total| {
                    let (writer, reader) = tokio::io::duplex(PIPE_BYTES);
                    on_two_workers(writer, reader, total)
                },
            },
            Self {
                name: "ring-park",
                copy: |total| {
                    let (writer, reader) = ring_park::channel::<u8>(PIPE_BYTES);
                    on_two_threads(writer, reader, total)
                },
            },
            Self {
                name: "ring-spin",
                copy: |total| {
                    let (writer, reader) = ring_spin::channel::<u8>(PIPE_BYTES);
                    on_two_threads(writer, reader, total)
                },
            },
            Self {
                name: "UnixStream pair",
                copy: |total| {
                    let (writer, reader) = UnixStream::pair().expect("a socket pair");
                    on_two_threads(writer, reader, total)
                },
            },
        ]
    }
}

/// The bytes written: the pattern from offset 0 to `PERIOD + WRITE_BYTES`,
/// so that a write starting at any position is one slice of it.
fn pattern() -> Vec<u8> {
    (0..PERIOD + WRITE_BYTES)
        .map(|index| (index % PERIOD) as u8)
        .collect()
}

/// The write of the bytes from `position` on, at most `WRITE_BYTES` and at
/// most `total - position`.
fn block(pattern: &[u8], position: usize, total: usize) -> &[u8] {
    let start = position % PERIOD;
    &pattern[start..start + WRITE_BYTES.min(total - position)]
}

/// Checks a read of `bytes` at stream position `position` against the
/// pattern, byte for byte (a read is at most `WRITE_BYTES` long, so the
/// pattern from any offset holds it; every pipe pays the same compare).
fn check_read(pattern: &[u8], bytes: &[u8], position: usize) {
    let start = position % PERIOD;
    assert!(
        bytes == &pattern[start..start + bytes.len()],
        "the byte pipe lost or reordered bytes at {position}"
    );
}

/// Writes `total` bytes of the pattern, then ends the stream (by dropping
/// `writer`).
fn write_all_blocking(mut writer: impl Write, total: usize) {
    let pattern = pattern();
    let mut position = 0;
    while position < total {
        let block = block(&pattern, position, total);
        writer.write_all(block).expect("a write into the pipe");
        position += block.len();
    }
}

/// Reads until the end of the stream; returns how many bytes came.
fn read_all_blocking(mut reader: impl Read) -> usize {
    let pattern = pattern();
    let mut buffer = vec![0; WRITE_BYTES];
    let mut position = 0;
    loop {
        let read = reader.read(&mut buffer).expect("a read from the pipe");
        if read == 0 {
            return position;
        }
        check_read(&pattern, &buffer[..read], position);
        position += read;
    }
}

/// The pipe's ends as two threads.
fn on_two_threads<W, R>(writer: W, reader: R, total: usize) -> Duration
where
    W: Write + Send + 'static,
    R: Read,
{
    let start = Instant::now();
    let writing = thread::spawn(move || write_all_blocking(writer, total));
    let received = read_all_blocking(reader);
    let elapsed = start.elapsed();
    writing.join().expect("the writer thread panicked");
    assert_eq!(received, total, "the byte pipe lost bytes");
    elapsed
}

/// The pipe's ends as two tasks of a new 2-worker tokio runtime.
fn on_two_workers<W, R>(writer: W, reader: R, total: usize) -> Duration
where
    W: AsyncWrite + Unpin + Send + 'static,
    R: AsyncRead + Unpin + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let start = Instant::now();
        let writing = tokio::spawn(write_all_async(writer, total));
        let reading = tokio::spawn(read_all_async(reader));
        let received = reading.await.expect("the reader task panicked");
        let elapsed = start.elapsed();
        writing.await.expect("the writer task panicked");
        assert_eq!(received, total, "the byte pipe lost bytes");
        elapsed
    })
}

async fn write_all_async(mut writer: impl AsyncWrite + Unpin, total: usize) {
    let pattern = pattern();
    let mut position = 0;
    while position < total {
        let block = block(&pattern, position, total);
        writer
            .write_all(block)
            .await
            .expect("a write into the pipe");
        position += block.len();
    }
    // The end of the stream: ring-async closes the channel, tokio's pipes
    // close their write side.
    writer.shutdown().await.expect("the pipe's shutdown");
}

async fn read_all_async(mut reader: impl AsyncRead + Unpin) -> usize {
    let pattern = pattern();
    let mut buffer = vec![0; WRITE_BYTES];
    let mut position = 0;
    loop {
        let read = reader
            .read(&mut buffer)
            .await
            .expect("a read from the pipe");
        if read == 0 {
            return position;
        }
        check_read(&pattern, &buffer[..read], position);
        position += read;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pipe_moves_every_byte_in_order() {
        // An odd length, so that the last write is a short one.
        for pipe in BytePipe::all() {
            (pipe.copy)(3 * PIPE_BYTES + 17);
        }
    }
}
