//! ring-async's byte streams with the `futures-io` and `tokio-io` features:
//! `copy` through a small ring on both trait families, the end of file
//! after `close`/`shutdown`, and a broken pipe once the reader is gone.
//! `cargo xtask tests` runs it with every feature on.

#![cfg(all(feature = "futures-io", feature = "tokio-io", not(loom)))]

use std::io::ErrorKind;

/// Bytes 0, 1, ... 250, 0, 1, ...: a pattern that a lost, doubled or
/// reordered chunk breaks.
fn pattern(length: usize) -> Vec<u8> {
    (0..length).map(|index| (index % 251) as u8).collect()
}

#[test]
fn futures_io_copy_moves_every_byte_and_ends_at_close() {
    use futures::io::{AsyncReadExt, AsyncWriteExt};

    let bytes = pattern(1 << 18);
    let expected = bytes.clone();
    let (mut producer, mut consumer) = ring_async::channel::<u8>(61);
    let writer = async move {
        let copied = futures::io::copy(&mut &bytes[..], &mut producer)
            .await
            .unwrap();
        producer.close().await.unwrap();
        copied
    };
    let reader = async move {
        let mut received = Vec::new();
        consumer.read_to_end(&mut received).await.unwrap();
        received
    };
    let (copied, received) = futures::executor::block_on(async { futures::join!(writer, reader) });
    assert_eq!(copied, expected.len() as u64);
    assert!(received == expected, "the bytes arrived changed");
}

#[test]
fn tokio_io_copy_moves_every_byte_between_workers_and_ends_at_shutdown() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    runtime.block_on(async {
        let bytes = pattern(1 << 20);
        let expected = bytes.clone();
        let (mut producer, mut consumer) = ring_async::channel::<u8>(4096);
        let writer = tokio::spawn(async move {
            let copied = tokio::io::copy(&mut &bytes[..], &mut producer)
                .await
                .unwrap();
            producer.shutdown().await.unwrap();
            copied
        });
        let mut received = Vec::new();
        consumer.read_to_end(&mut received).await.unwrap();
        assert_eq!(writer.await.unwrap(), expected.len() as u64);
        assert!(received == expected, "the bytes arrived changed");
    });
}

#[test]
fn writes_fail_with_a_broken_pipe_once_the_reader_is_gone() {
    use futures::io::AsyncWriteExt;

    let (mut producer, consumer) = ring_async::channel::<u8>(4);
    futures::executor::block_on(async {
        assert_eq!(producer.write(b"ab").await.unwrap(), 2);
        drop(consumer);
        let error = producer.write(b"c").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
        let error = tokio::io::AsyncWriteExt::write(&mut producer, b"c")
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
    });
}

#[test]
fn a_pending_read_is_woken_by_the_writers_close() {
    use futures::io::AsyncReadExt;

    let (mut producer, mut consumer) = ring_async::channel::<u8>(4);
    let writer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(producer.push_slice(b"x"), 1);
        producer.close_channel();
    });
    let mut received = Vec::new();
    futures::executor::block_on(consumer.read_to_end(&mut received)).unwrap();
    writer.join().unwrap();
    assert_eq!(received, b"x");
}
