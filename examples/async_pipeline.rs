//! An async pipeline on ring-async: a blocking device thread feeding
//! tokio tasks.
//!
//! ```text
//! device thread --ring A--> decoder task --ring B--> analyser task
//!  (blocking)    readings   (Stream->Sink) samples  (windows of 100)
//! ```
//!
//! - The device thread is plain blocking code, as a driver or a serial
//!   port is. It pushes readings with `push_blocking_timeout`, so that a
//!   stalled pipeline shows as an error rather than a hang.
//! - The decoder reads ring A as a `Stream` (mapped by `StreamExt::map`)
//!   and sends into ring B as a `Sink`. It stops once the analyser hangs
//!   up: `closed()` wakes it at once, even while no reading comes.
//! - The analyser waits for whole windows with `wait_items(WINDOW)`, takes
//!   each with `pop_into`, and hangs up after enough of them. The shutdown
//!   travels upstream: the decoder sees `closed()` and drops its end of
//!   ring A, and the device thread's next push fails with `Disconnected`.
//!
//! ```sh
//! cargo run --release -p ring-examples --example async_pipeline [-- --short]
//! ```

use std::thread;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use ring_async::PushTimeoutError;

/// Readings per burst of the device, and the pause between bursts: about
/// 10 000 readings a second.
const BURST: u64 = 100;
const BURST_PAUSE: Duration = Duration::from_millis(10);
/// Samples per analysed window.
const WINDOW: usize = 100;

/// What the device reports: a 12-bit converter value.
#[derive(Debug)]
struct Reading {
    sequence: u64,
    raw: u16,
}

/// A decoded sample, in volts.
#[derive(Debug)]
struct Sample {
    sequence: u64,
    volts: f32,
}

/// The device's value for a sequence number: a slow sawtooth.
fn raw_value(sequence: u64) -> u16 {
    (sequence * 7 % 4096) as u16
}

fn decode(reading: Reading) -> Sample {
    Sample {
        sequence: reading.sequence,
        volts: f32::from(reading.raw) * 3.3 / 4095.0,
    }
}

/// The device thread: pushes readings in bursts until the pipeline goes
/// away; returns how many it pushed.
fn run_device(mut readings: ring_async::Producer<Reading>) -> u64 {
    let mut sequence = 0;
    loop {
        for _ in 0..BURST {
            let reading = Reading {
                sequence,
                raw: raw_value(sequence),
            };
            match readings.push_blocking_timeout(reading, Duration::from_secs(10)) {
                Ok(()) => sequence += 1,
                Err(PushTimeoutError::Disconnected(_)) => return sequence,
                Err(PushTimeoutError::Timeout(_)) => panic!("the pipeline stalled for 10 s"),
            }
        }
        thread::sleep(BURST_PAUSE);
    }
}

/// The decoder task: readings in, samples out, until either neighbour
/// goes away; returns how many it decoded.
async fn run_decoder(
    readings: ring_async::Consumer<Reading>,
    mut samples: ring_async::Producer<Sample>,
) -> u64 {
    let mut decoded_readings = readings.map(decode);
    let mut decoded = 0;
    loop {
        // Both branches are cancel safe: a reading not yet taken stays in
        // ring A when the analyser hangs up first.
        tokio::select! {
            () = samples.closed() => break,
            sample = decoded_readings.next() => {
                let Some(sample) = sample else { break };
                if samples.send(sample).await.is_err() {
                    break;
                }
                decoded += 1;
            }
        }
    }
    decoded
}

/// What the analyser found.
#[derive(Debug, Default)]
struct Analysis {
    windows: u64,
    samples: u64,
    /// The largest mean voltage of a window.
    highest_mean: f32,
}

/// The analyser task: takes `windows` whole windows, then hangs up.
async fn run_analyser(mut samples: ring_async::Consumer<Sample>, windows: u64) -> Analysis {
    let mut analysis = Analysis::default();
    let mut window = Vec::with_capacity(WINDOW);
    while analysis.windows < windows {
        if samples.wait_items(WINDOW).await.is_err() {
            break; // The decoder stopped early.
        }
        assert_eq!(samples.pop_into(&mut window, WINDOW), WINDOW);
        for sample in &window {
            assert_eq!(sample.sequence, analysis.samples, "a sample was lost");
            let expected = f32::from(raw_value(sample.sequence)) * 3.3 / 4095.0;
            assert_eq!(sample.volts, expected, "a sample was changed");
            analysis.samples += 1;
        }
        let mean = window.iter().map(|sample| sample.volts).sum::<f32>() / WINDOW as f32;
        analysis.highest_mean = analysis.highest_mean.max(mean);
        analysis.windows += 1;
        window.clear();
    }
    // Dropping the consumer here is the hang-up the decoder waits for.
    analysis
}

fn main() {
    let windows = if ring_examples::short_run() { 20 } else { 300 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("build the runtime");
    let (reading_producer, reading_consumer) = ring_async::channel::<Reading>(512);
    let (sample_producer, sample_consumer) = ring_async::channel::<Sample>(512);

    let device = thread::spawn(move || run_device(reading_producer));
    let (decoded, analysis) = runtime.block_on(async {
        let decoder = tokio::spawn(run_decoder(reading_consumer, sample_producer));
        let analyser = tokio::spawn(run_analyser(sample_consumer, windows));
        let analysis = analyser.await.expect("the analyser panicked");
        (decoder.await.expect("the decoder panicked"), analysis)
    });
    let pushed = device.join().expect("the device thread panicked");

    println!(
        "device pushed {pushed} readings, decoder decoded {decoded}, analyser took {} windows ({} samples), highest window mean {:.3} V",
        analysis.windows, analysis.samples, analysis.highest_mean
    );
    assert_eq!(analysis.windows, windows);
    assert_eq!(analysis.samples, windows * WINDOW as u64);
    // What was pushed or decoded but not analysed was still in a ring when
    // its consumer hung up.
    assert!(pushed >= decoded && decoded >= analysis.samples);
}
