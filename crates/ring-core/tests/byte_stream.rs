//! ring-core's non-waiting byte streams: `std::io::Write` for a producer of
//! bytes and `std::io::Read` for a consumer, with `WouldBlock` where a
//! blocking flavour would wait.

use std::io::{ErrorKind, Read, Write};

use ring_core::channel;

#[test]
fn writes_and_reads_copy_what_fits_and_would_block_otherwise() {
    let (mut producer, mut consumer) = channel::<u8>(5);
    assert_eq!(producer.write(b"").unwrap(), 0);
    assert_eq!(producer.write(b"abc").unwrap(), 3);
    assert_eq!(producer.write(b"defg").unwrap(), 2);
    assert_eq!(
        producer.write(b"h").unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    producer.flush().unwrap();

    let mut buf = [0; 4];
    assert_eq!(consumer.read(&mut []).unwrap(), 0);
    assert_eq!(consumer.read(&mut buf).unwrap(), 4);
    assert_eq!(&buf, b"abcd");
    // Wrapped around: "e" sits at the end of the storage, "fg" at its start.
    assert_eq!(producer.write(b"fgh").unwrap(), 3);
    let mut rest = Vec::new();
    let error = consumer.read_to_end(&mut rest).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::WouldBlock);
    assert_eq!(rest, b"efgh");
}

#[test]
fn closing_ends_the_stream_after_the_bytes_written_before() {
    let (mut producer, mut consumer) = channel::<u8>(8);
    producer.write_all(b"last words").unwrap_err(); // Only 8 fit.
    producer.close_channel();
    assert_eq!(
        producer.write(b"x").unwrap_err().kind(),
        ErrorKind::BrokenPipe
    );
    let mut text = String::new();
    assert_eq!(consumer.read_to_string(&mut text).unwrap(), 8);
    assert_eq!(text, "last wor");
    assert_eq!(consumer.read(&mut [0; 4]).unwrap(), 0);

    let (mut producer, mut consumer) = channel::<u8>(8);
    assert_eq!(producer.write(b"ab").unwrap(), 2);
    consumer.close_channel();
    assert_eq!(
        producer.write(b"c").unwrap_err().kind(),
        ErrorKind::BrokenPipe
    );
    let mut buf = [0; 4];
    assert_eq!(consumer.read(&mut buf).unwrap(), 2);
    assert_eq!(consumer.read(&mut buf).unwrap(), 0);
}
