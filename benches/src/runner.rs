//! What the benchmark binaries that `cargo xtask bench` drives (`matrix`
//! and `waiting`) share: their command line, and the JSON line each
//! figure of a sample is written as (the xtask's report reads them).

use std::fmt::Write as _;

/// The command line of a benchmark binary:
/// `--out FILE [--quick] [--reps N] [--first-rep N] [--seed N]
/// [--filter PATTERN] [--variant NAME]`.
#[derive(Clone, Debug, Default)]
pub struct Args {
    /// Where the JSON lines go.
    pub out: String,
    /// Every point at a tiny size.
    pub quick: bool,
    /// How many reps, if not the binary's default.
    pub reps: Option<usize>,
    /// The number of the first rep (0 unless told): a driver that runs
    /// one rep per invocation numbers them across invocations, so that
    /// samples of different builds pair up by rep.
    pub first_rep: usize,
    /// The seed of the per-rep order of the points, if given.
    pub seed: Option<u64>,
    /// Only the points whose label contains this.
    pub filter: Option<String>,
    /// The build variant, for the binaries that have several.
    pub variant: Option<String>,
}

impl Args {
    /// Reads the process's arguments.
    ///
    /// # Panics
    ///
    /// With a message on an unknown argument, a missing value or a missing
    /// `--out`: the binaries are run by the xtask, not by hand.
    pub fn parse() -> Self {
        let mut parsed = Self::default();
        let mut out = None;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
            match arg.as_str() {
                "--out" => out = Some(value()),
                "--quick" => parsed.quick = true,
                "--reps" => parsed.reps = Some(value().parse().expect("--reps takes a number")),
                "--first-rep" => {
                    parsed.first_rep = value().parse().expect("--first-rep takes a number");
                }
                "--seed" => parsed.seed = Some(value().parse().expect("--seed takes a number")),
                "--filter" => parsed.filter = Some(value()),
                "--variant" => parsed.variant = Some(value()),
                other => panic!("unknown argument {other:?}"),
            }
        }
        parsed.out = out.expect("--out is required");
        parsed
    }
}

/// One figure of one sample, as the report reads it.
#[derive(Clone, Copy, Debug)]
pub struct SampleLine<'a> {
    /// The build variant (or `waiting` for the waiting workloads).
    pub variant: &'a str,
    /// What was measured.
    pub workload: &'a str,
    /// Which implementation.
    pub implementation: &'a str,
    /// The item type's name.
    pub item: &'a str,
    /// The ring's capacity.
    pub capacity: usize,
    /// Whether the threads were pinned.
    pub pinned: bool,
    /// Where the threads ran, in words.
    pub placement: &'a str,
    /// The rep the sample belongs to.
    pub rep: usize,
    /// The figure.
    pub value: f64,
    /// Its unit.
    pub unit: &'a str,
    /// The slower of the cache-line probes around the sample, in ns.
    pub probe_ns: f64,
    /// The wall time the sample took, its warm-up and probes included, in
    /// seconds: what each point costs the run's time budget. The lines of
    /// one sample that yields several figures all carry the sample's time.
    pub seconds: f64,
}

impl SampleLine<'_> {
    /// The figure as one JSON object on one line.
    pub fn to_json(&self) -> String {
        let mut line = String::new();
        write!(
            line,
            "{{\"variant\":\"{}\",\"workload\":\"{}\",\"implementation\":\"{}\",\
             \"item\":\"{}\",\"capacity\":{},\"pinned\":{},\"placement\":\"{}\",\
             \"rep\":{},\"value\":{},\"unit\":\"{}\",\"probe_ns\":{},\
             \"seconds\":{:.3}}}",
            self.variant,
            self.workload,
            self.implementation,
            self.item,
            self.capacity,
            self.pinned,
            self.placement,
            self.rep,
            self.value,
            self.unit,
            self.probe_ns,
            self.seconds,
        )
        .expect("writing to a String");
        line
    }
}

/// Shuffles `items` in an order that `seed` and `rep` fix (Fisher-Yates
/// over SplitMix64): each rep gets its own order, and a run with the same
/// seed repeats it, so an order effect can be both avoided and reproduced.
///
/// # Examples
///
/// ```
/// let mut first: Vec<u32> = (0..10).collect();
/// let mut again = first.clone();
/// ring_benches::runner::shuffle(&mut first, 7, 3);
/// ring_benches::runner::shuffle(&mut again, 7, 3);
/// assert_eq!(first, again);
/// first.sort();
/// assert_eq!(first, (0..10).collect::<Vec<_>>());
/// ```
pub fn shuffle<T>(items: &mut [T], seed: u64, rep: usize) {
    let mut state = seed ^ (rep as u64).wrapping_mul(0xA076_1D64_78BD_642F);
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for last in (1..items.len()).rev() {
        let chosen = (next() % (last as u64 + 1)) as usize;
        items.swap(last, chosen);
    }
}
