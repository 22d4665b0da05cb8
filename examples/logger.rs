//! A logging thread on ring-park.
//!
//! The application thread hands log records to a logging thread, which
//! writes them through a buffered writer. Neither side burns a core while
//! the other is idle: both park.
//!
//! - The application never stalls for long on logging: `push_timeout`
//!   gives up after 2 ms and the record is counted as dropped, as a
//!   logger under pressure should rather than slow the service down.
//! - The logger flushes its buffer whenever no record came for 50 ms
//!   (`pop_timeout`), so that a quiet service's last lines reach the file,
//!   and takes what else is waiting with `pop_into` (one index
//!   publication for the batch).
//! - Shutdown is `close_channel`: the logger writes every record sent
//!   before it, then sees the end and flushes.
//!
//! ```sh
//! cargo run --release -p ring-examples --example logger [-- --short]
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use ring_park::{PopTimeoutError, PushTimeoutError};

/// How long the application waits for room before dropping a record.
const PUSH_PATIENCE: Duration = Duration::from_millis(2);
/// How long the logger waits for a record before flushing what it wrote.
const FLUSH_AFTER_IDLE: Duration = Duration::from_millis(50);
/// The most records the logger takes out of the ring at once.
const BATCH: usize = 64;

/// One log record, formatted on the application's side.
#[derive(Debug)]
struct Record {
    sequence: u64,
    at: Instant,
    message: String,
}

/// The logging thread: writes records until the channel ends, flushing
/// when idle. Returns how many it wrote and how often it flushed when idle.
fn log_to(path: &Path, mut records: ring_park::Consumer<Record>) -> (u64, u64) {
    let started = Instant::now();
    let mut out = BufWriter::new(File::create(path).expect("create the log file"));
    let mut batch = Vec::with_capacity(BATCH);
    let (mut written, mut idle_flushes) = (0, 0);
    loop {
        match records.pop_timeout(FLUSH_AFTER_IDLE) {
            Ok(record) => batch.push(record),
            Err(PopTimeoutError::Timeout) => {
                out.flush().expect("flush the log");
                idle_flushes += 1;
                continue;
            }
            // Closed by the application, and every record before it written.
            Err(PopTimeoutError::Disconnected) => break,
        }
        // The ones already waiting, in one go.
        let _ = records.pop_into(&mut batch, BATCH - 1);
        for record in batch.drain(..) {
            let since_start = record.at.duration_since(started);
            writeln!(
                out,
                "{:>10.6} #{} {}",
                since_start.as_secs_f64(),
                record.sequence,
                record.message
            )
            .expect("write the log");
            written += 1;
        }
    }
    out.flush().expect("flush the log");
    (written, idle_flushes)
}

/// Checks the log file: one line per record written, in order.
fn read_sequences(path: &Path) -> Vec<u64> {
    let file = BufReader::new(File::open(path).expect("open the log file"));
    file.lines()
        .map(|line| {
            let line = line.expect("read the log");
            let sequence = line
                .split('#')
                .nth(1)
                .and_then(|rest| rest.split(' ').next());
            sequence
                .and_then(|number| number.parse().ok())
                .expect("a sequence number")
        })
        .collect()
}

fn main() {
    let (bursts, per_burst) = if ring_examples::short_run() {
        (5, 200)
    } else {
        (50, 2_000)
    };
    let path: PathBuf =
        std::env::temp_dir().join(format!("ring-examples-logger-{}.log", std::process::id()));
    let (mut producer, consumer) = ring_park::channel::<Record>(1024);
    let logger = {
        let path = path.clone();
        thread::spawn(move || log_to(&path, consumer))
    };

    // The application: bursts of requests, each logging a line, with quiet
    // spells in between (during which the logger flushes).
    let (mut sequence, mut dropped) = (0, 0);
    for burst in 0..bursts {
        for request in 0..per_burst {
            let record = Record {
                sequence,
                at: Instant::now(),
                message: format!("burst {burst} request {request}: handled"),
            };
            sequence += 1;
            match producer.push_timeout(record, PUSH_PATIENCE) {
                Ok(()) => {}
                Err(PushTimeoutError::Timeout(_record)) => dropped += 1,
                Err(PushTimeoutError::Disconnected(_)) => panic!("the logger stopped"),
            }
        }
        thread::sleep(FLUSH_AFTER_IDLE * 2);
    }

    // A clean shutdown: the handle stays, but nothing more gets through.
    producer.close_channel();
    let late = Record {
        sequence,
        at: Instant::now(),
        message: "too late".into(),
    };
    let refused = producer
        .push(late)
        .expect_err("a closed channel takes no record");
    assert_eq!(refused.into_inner().message, "too late");
    let (written, idle_flushes) = logger.join().expect("the logger panicked");

    let sequences = read_sequences(&path);
    std::fs::remove_file(&path).expect("remove the log file");
    println!(
        "logged {written} of {sequence} records ({dropped} dropped under pressure), flushed {idle_flushes} times when idle"
    );
    assert_eq!(written + dropped, sequence);
    assert_eq!(
        sequences.len() as u64,
        written,
        "every record written is in the file"
    );
    assert!(
        sequences.windows(2).all(|pair| pair[0] < pair[1]),
        "the records kept their order"
    );
    assert!(
        idle_flushes >= bursts - 1,
        "the quiet spells flushed the log"
    );
}
