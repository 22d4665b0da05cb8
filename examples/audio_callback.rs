//! An audio-style realtime pipeline on ring-spin.
//!
//! A synthesis thread renders a 440 Hz tone ahead of time into a ring of
//! samples, and a device thread calls the realtime callback once per
//! period, as a sound card's driver would. The callback must never block,
//! lock or allocate: it lends one period of samples through a read chunk,
//! copies it into the device buffer and plays silence for what is missing
//! (an underrun) rather than wait. In debug builds assert_no_alloc's
//! allocator aborts the program if the callback allocates.
//!
//! The callback also checks every sample against the tone it expects next,
//! so that a lost, doubled or reordered sample fails the run.
//!
//! ```sh
//! cargo run --release -p ring-examples --example audio_callback [-- --short]
//! ```

use std::f32::consts::TAU;
use std::thread;
use std::time::{Duration, Instant};

use assert_no_alloc::{AllocDisabler, assert_no_alloc};

#[global_allocator]
static ALLOCATOR: AllocDisabler = AllocDisabler;

const SAMPLE_RATE: usize = 48_000;
/// Frames per callback: 5.3 ms at 48 kHz.
const PERIOD: usize = 256;
/// The ring holds four periods (21 ms): the latency the synthesis thread
/// may run ahead of the device.
const RING_PERIODS: usize = 4;
const TONE_HZ: f32 = 440.0;

/// The sample of the tone at `frame`.
fn tone(frame: u64) -> f32 {
    let cycles = TONE_HZ * (frame % SAMPLE_RATE as u64) as f32 / SAMPLE_RATE as f32;
    (TAU * cycles).sin() * 0.5
}

/// The callback's state, kept between periods: nothing in it grows.
#[derive(Debug, Default)]
struct Playback {
    /// The frame of the tone the next sample should be.
    next_frame: u64,
    periods: u64,
    underruns: u64,
    /// Samples that were not the tone's next one: must stay 0.
    wrong_samples: u64,
}

/// The realtime callback: fills `output` from the ring without waiting.
fn render(consumer: &mut ring_spin::Consumer<f32>, output: &mut [f32], playback: &mut Playback) {
    let chunk = consumer.read_chunk(output.len());
    let (first, second) = chunk.as_slices();
    let available = first.len() + second.len();
    output[..first.len()].copy_from_slice(first);
    output[first.len()..available].copy_from_slice(second);
    // What did not arrive in time is played as silence.
    output[available..].fill(0.0);
    chunk.commit(available);

    for &sample in &output[..available] {
        if (sample - tone(playback.next_frame)).abs() > 1e-6 {
            playback.wrong_samples += 1;
        }
        playback.next_frame += 1;
    }
    playback.periods += 1;
    if available < output.len() {
        playback.underruns += 1;
    }
}

/// The synthesis thread: tops the ring up a period at a time and sleeps
/// while it is full, until the device goes away.
fn synthesize(mut producer: ring_spin::Producer<f32>) -> u64 {
    let period = Duration::from_secs_f64(PERIOD as f64 / SAMPLE_RATE as f64);
    let mut frame = 0;
    while !producer.is_disconnected() {
        if producer.free_slots() < PERIOD {
            // Not a spin: a non-realtime thread can afford to sleep.
            thread::sleep(period / 2);
            continue;
        }
        let chunk = producer.write_chunk_uninit(PERIOD);
        let written = chunk.fill_from_iter((frame..).map(tone));
        frame += written as u64;
    }
    frame
}

fn main() {
    let seconds = if ring_examples::short_run() {
        0.25
    } else {
        3.0
    };
    let periods = (seconds * SAMPLE_RATE as f64 / PERIOD as f64) as u64;
    let (producer, mut consumer) = ring_spin::channel::<f32>(PERIOD * RING_PERIODS);
    let synthesizer = thread::spawn(move || synthesize(producer));

    let device = thread::spawn(move || {
        // Start playing once half the ring is full, as drivers prefill.
        consumer
            .wait_items(PERIOD * RING_PERIODS / 2)
            .expect("the synthesizer stopped before the first period");
        let mut output = [0.0; PERIOD];
        let mut playback = Playback::default();
        let period = Duration::from_secs_f64(PERIOD as f64 / SAMPLE_RATE as f64);
        let mut next_tick = Instant::now();
        for _ in 0..periods {
            assert_no_alloc(|| render(&mut consumer, &mut output, &mut playback));
            next_tick += period;
            thread::sleep(next_tick.saturating_duration_since(Instant::now()));
        }
        // Dropping the consumer tells the synthesizer to stop.
        playback
    });

    let playback = device.join().expect("the device thread panicked");
    let synthesized = synthesizer.join().expect("the synthesizer panicked");
    println!(
        "played {} periods of {PERIOD} frames ({} frames of tone, {} synthesized), {} underruns",
        playback.periods, playback.next_frame, synthesized, playback.underruns
    );
    assert_eq!(playback.periods, periods);
    assert_eq!(
        playback.wrong_samples, 0,
        "samples were lost, doubled or reordered"
    );
    // Every frame played was synthesized; what was synthesized but not
    // played was still in the ring when the device stopped.
    assert!(playback.next_frame <= synthesized);
    assert!(synthesized - playback.next_frame <= (PERIOD * RING_PERIODS) as u64);
}
