//! A byte pipe: `std::io::copy` through ring-park between two threads,
//! then `tokio::io::copy` through ring-async between two tasks.
//!
//! A producer of `u8` items is an `io::Write` (ring-async's: an
//! `AsyncWrite`), and a consumer an `io::Read` (`AsyncRead`): a write
//! copies as many bytes as fit and waits only while none fit, a read
//! returns what is there and waits only while nothing is, and the reader
//! sees the end of the stream once the writer is dropped, or closed with
//! `close_channel` (async: `shutdown`).
//!
//! Both halves copy a generated stream, as a file or a socket would give
//! it, and check that every byte arrived in order.
//!
//! ```sh
//! cargo run --release -p ring-examples --example byte_pipe [-- --short]
//! ```

use std::io;
use std::thread;
use std::time::Instant;

/// The ring between the two ends: 64 KiB.
const RING_BYTES: usize = 1 << 16;

/// `length` bytes whose values depend on their position, so that a lost,
/// doubled or reordered block shows.
fn pattern(length: usize) -> Vec<u8> {
    (0..length).map(|position| (position % 251) as u8).collect()
}

/// `io::copy` into a ring-park producer on one thread, and out of its
/// consumer on another.
fn blocking_pipe(data: &'static [u8]) -> Vec<u8> {
    let (mut producer, mut consumer) = ring_park::channel::<u8>(RING_BYTES);
    let writer = thread::spawn(move || {
        let copied = io::copy(&mut &data[..], &mut producer).expect("write into the ring");
        // Dropping the producer (or `close_channel`) ends the stream.
        drop(producer);
        copied
    });
    let mut received = Vec::with_capacity(data.len());
    let copied = io::copy(&mut consumer, &mut received).expect("read from the ring");
    assert_eq!(
        writer.join().expect("the writer panicked"),
        data.len() as u64
    );
    assert_eq!(copied, data.len() as u64);
    received
}

/// `tokio::io::copy` into a ring-async producer in one task, and out of its
/// consumer in another, on a 2-worker runtime.
fn async_pipe(data: &'static [u8]) -> Vec<u8> {
    use tokio::io::AsyncWriteExt;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("build the runtime");
    runtime.block_on(async {
        let (mut producer, mut consumer) = ring_async::channel::<u8>(RING_BYTES);
        let writer = tokio::spawn(async move {
            let copied = tokio::io::copy(&mut &data[..], &mut producer)
                .await
                .expect("write into the ring");
            // `shutdown` closes the channel: the reader sees the end.
            producer.shutdown().await.expect("close the ring");
            copied
        });
        let mut received = Vec::with_capacity(data.len());
        let copied = tokio::io::copy(&mut consumer, &mut received)
            .await
            .expect("read from the ring");
        assert_eq!(
            writer.await.expect("the writer panicked"),
            data.len() as u64
        );
        assert_eq!(copied, data.len() as u64);
        received
    })
}

fn main() {
    let length = if ring_examples::short_run() {
        4 << 20
    } else {
        64 << 20
    };
    let data: &'static [u8] = pattern(length).leak();
    let mib = length as f64 / f64::from(1 << 20);

    let started = Instant::now();
    let received = blocking_pipe(data);
    let seconds = started.elapsed().as_secs_f64();
    assert!(received == data, "the blocking pipe changed the bytes");
    println!(
        "io::copy through ring-park: {mib} MiB in {seconds:.3} s ({:.0} MiB/s)",
        mib / seconds
    );

    let started = Instant::now();
    let received = async_pipe(data);
    let seconds = started.elapsed().as_secs_f64();
    assert!(received == data, "the async pipe changed the bytes");
    println!(
        "tokio::io::copy through ring-async: {mib} MiB in {seconds:.3} s ({:.0} MiB/s)",
        mib / seconds
    );
}
