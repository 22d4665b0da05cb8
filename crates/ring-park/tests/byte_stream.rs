//! ring-park's byte streams across threads: `std::io::copy` through a small
//! ring, the end of the stream after a close or a drop, and a broken pipe
//! once the reader is gone. Under a watchdog, as a lost wake-up hangs.

use std::io::{ErrorKind, Read, Write};
use std::thread;

use ring_park::channel;
use test_support::{scaled, with_watchdog};

#[test]
fn copy_moves_every_byte_through_a_small_ring_in_order() {
    with_watchdog(|| {
        let length = scaled(1 << 20);
        let bytes: Vec<u8> = (0..length).map(|index| (index % 251) as u8).collect();
        let expected = bytes.clone();
        // 7 bytes: every write and read waits and wraps around.
        let (mut producer, mut consumer) = channel::<u8>(7);
        let writer = thread::spawn(move || {
            let copied = std::io::copy(&mut &bytes[..], &mut producer).unwrap();
            producer.close_channel();
            copied
        });
        let mut received = Vec::new();
        assert_eq!(consumer.read_to_end(&mut received).unwrap(), length);
        assert_eq!(writer.join().unwrap(), length as u64);
        assert!(received == expected, "the bytes arrived changed");
    });
}

#[test]
fn a_writer_blocked_on_a_full_ring_gets_a_broken_pipe_when_the_reader_goes() {
    with_watchdog(|| {
        let (mut producer, consumer) = channel::<u8>(4);
        let writer = thread::spawn(move || producer.write_all(&[1; 16]));
        thread::sleep(std::time::Duration::from_millis(20));
        drop(consumer);
        let error = writer.join().unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
    });
}

#[test]
fn a_blocked_reader_sees_the_end_of_the_stream_when_the_writer_goes() {
    with_watchdog(|| {
        let (mut producer, mut consumer) = channel::<u8>(4);
        let reader = thread::spawn(move || {
            let mut text = String::new();
            consumer.read_to_string(&mut text).map(|_| text)
        });
        producer.write_all(b"bye").unwrap();
        producer.flush().unwrap();
        drop(producer);
        assert_eq!(reader.join().unwrap().unwrap(), "bye");
    });
}
