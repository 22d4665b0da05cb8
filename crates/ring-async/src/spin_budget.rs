//! How long a wait spins before it registers, adapted to how the last
//! waits went.

/// The longest spin, in polls of the ring, each after one `spin_loop`
/// hint: about 64 microseconds on this project's machine (a `pause` costs
/// about a hundred cycles on its AMD EPYC). A peer running on another core
/// usually acts within that time, and catching it saves the registration's
/// heavy fence (a system call) and a trip through the executor on both
/// sides: in the round-trip benchmark (two tokio workers), 32 polls gave
/// about 7 times kanal's round-trip time, 2048 about a third of it. A few
/// polls under Miri, which runs code thousands of times slower.
const MAX_POLLS: u32 = if cfg!(miri) { 4 } else { 2048 };

/// The shortest spin: about half a microsecond here.
const MIN_POLLS: u32 = if cfg!(miri) { 1 } else { 16 };

/// A side's current spin length. A spin that catches the other side makes
/// the next one as long as can be ([`MAX_POLLS`]); a spin that ends in a
/// registration halves it (down to [`MIN_POLLS`]). A stream or a ping-pong,
/// whose peer mostly acts within microseconds, keeps spinning long (one
/// catch undoes any number of misses, which a hiccup of the machine
/// causes); a side that waits for a peer that is idle for long stops
/// burning its executor's time after a few waits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SpinBudget {
    polls: u32,
}

impl Default for SpinBudget {
    fn default() -> Self {
        Self { polls: MAX_POLLS }
    }
}

impl SpinBudget {
    /// How many polls the next spin makes.
    pub(crate) fn polls(self) -> u32 {
        self.polls
    }

    /// The spin caught the other side: spinning pays here.
    pub(crate) fn caught(&mut self) {
        self.polls = MAX_POLLS;
    }

    /// The spin ended without the other side acting.
    pub(crate) fn missed(&mut self) {
        self.polls = (self.polls / 2).max(MIN_POLLS);
    }
}
