//! How long a waiting side spins before it sleeps, and how that length
//! adapts to what spinning achieved: the policy shared by the flavours
//! that sleep (ring-park parks the thread, ring-async returns `Pending`).
//!
//! Spinning pays only when the other side acts within about the time a
//! sleep and a wake-up cost (a few microseconds of CPU on each side, and
//! tens of microseconds of latency on a VM). A side fed at 10 000 items a
//! second waits 100 µs per item: a spin long enough to catch that burns
//! the core the flavour exists to save, and on a machine whose cores are
//! shared it steals the time slice that the other side needs to act. So
//! the default, [`SpinPolicy::FRUGAL`], spins a few microseconds at most,
//! and less after each spin that caught nothing. A stream whose other side
//! mostly acts within the spin keeps the full length, because one catch
//! restores it.

use core::time::Duration;
use std::time::Instant;

use crate::handshake::WaiterFlag;

/// How long a waiting side spins before it sleeps: between a shortest and
/// a longest spin, halving after each spin that ended without the other
/// side acting and back to the longest after one that caught it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use ring_core::spin::SpinPolicy;
///
/// assert_eq!(SpinPolicy::default(), SpinPolicy::FRUGAL);
/// let latency = SpinPolicy::fixed(Duration::from_micros(100));
/// assert_eq!(latency.shortest(), latency.longest());
/// assert_eq!(SpinPolicy::NEVER.longest(), Duration::ZERO);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SpinPolicy {
    shortest: Duration,
    longest: Duration,
    /// How long a side spins at most, after its own spin, while the other
    /// side is on its way after a wake-up (see
    /// [`Spinner::spin_while_peer_wakes`]).
    peer_wake_up: Duration,
}

/// The longest spin while the other side wakes up, of every policy whose
/// longest spin is not zero (unlike [`SpinPolicy::NEVER`]) unless set
/// otherwise: longer than most wake-ups
/// take on a VM (40 to 100 µs on our benchmark machine). A side whose
/// spins of this kind keep missing backs off from them (see
/// [`Spinner::spin_while_peer_wakes`]), so a machine whose cores are
/// shared pays for one now and then at most.
const PEER_WAKE_UP_SPIN: Duration = Duration::from_micros(200);

impl SpinPolicy {
    /// The default: at most 4 µs, down to 0.1 µs while spins keep missing.
    /// A paced stream costs about one sleep and one wake-up per item and no
    /// spinning to speak of; a saturated stream, whose other side acts
    /// within nanoseconds, rarely sleeps at all.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::SpinPolicy;
    ///
    /// assert!(SpinPolicy::FRUGAL.longest() <= Duration::from_micros(10));
    /// ```
    pub const FRUGAL: Self = Self::adaptive(Duration::from_nanos(100), Duration::from_micros(4));

    /// For the lowest latency when each side has a core of its own: a spin
    /// of 100 µs on every wait, longer than most wake-ups take, so that a
    /// stream whose other side runs rarely sleeps. It burns up to a whole
    /// core on a stream paced at 10 000 items a second or more, and
    /// competes with the other side for a shared core.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::SpinPolicy;
    ///
    /// assert_eq!(SpinPolicy::LOW_LATENCY.shortest(), Duration::from_micros(100));
    /// ```
    pub const LOW_LATENCY: Self = Self::fixed(Duration::from_micros(100));

    /// No spinning: sleep as soon as the ring is found full or empty (after
    /// the few polls that `push` and `pop` make inline).
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::SpinPolicy;
    ///
    /// assert!(SpinPolicy::NEVER.longest().is_zero());
    /// ```
    pub const NEVER: Self = Self::fixed(Duration::ZERO);

    /// A spin that adapts between `shortest` and `longest`.
    ///
    /// # Panics
    ///
    /// If `shortest` is longer than `longest`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::SpinPolicy;
    ///
    /// let policy = SpinPolicy::adaptive(Duration::from_micros(1), Duration::from_micros(20));
    /// assert_eq!(policy.longest(), Duration::from_micros(20));
    /// ```
    pub const fn adaptive(shortest: Duration, longest: Duration) -> Self {
        assert!(
            shortest.as_nanos() <= longest.as_nanos(),
            "the shortest spin is longer than the longest"
        );
        Self {
            shortest,
            longest,
            peer_wake_up: if longest.is_zero() {
                Duration::ZERO
            } else {
                PEER_WAKE_UP_SPIN
            },
        }
    }

    /// A spin of `duration` on every wait, whatever it achieved.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::SpinPolicy;
    ///
    /// let policy = SpinPolicy::fixed(Duration::from_micros(30));
    /// assert_eq!(policy.shortest(), Duration::from_micros(30));
    /// ```
    pub const fn fixed(duration: Duration) -> Self {
        Self::adaptive(duration, duration)
    }

    /// The same policy with a spin of at most `limit` while the other side
    /// wakes up (see [`Spinner::spin_while_peer_wakes`]); zero turns that
    /// spin off. Every policy has one of 200 µs, except those whose longest
    /// spin is zero, such as [`NEVER`](Self::NEVER).
    ///
    /// A side that has just woken the other one and must now wait itself
    /// (the producer that filled the ring right after waking the consumer,
    /// or the consumer that emptied it in one batch right after waking the
    /// producer) would otherwise sleep too, and the two would take turns
    /// sleeping: each wait then costs a wake-up's latency, tens of
    /// microseconds on a VM, and a stream through a small ring slows to a
    /// few items per wake-up. ring-park spins so, and also while it waits
    /// for the reply of a thread it has just woken through another ring (a
    /// round trip over two rings); ring-async does not, since a task must
    /// not hold its executor's thread that long in one poll.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::SpinPolicy;
    ///
    /// assert_eq!(SpinPolicy::FRUGAL.peer_wake_up_spin(), Duration::from_micros(200));
    /// let sleepy = SpinPolicy::FRUGAL.with_peer_wake_up_spin(Duration::ZERO);
    /// assert!(sleepy.peer_wake_up_spin().is_zero());
    /// assert_eq!(sleepy.longest(), SpinPolicy::FRUGAL.longest());
    /// ```
    #[must_use = "this returns a new policy"]
    pub const fn with_peer_wake_up_spin(self, limit: Duration) -> Self {
        Self {
            peer_wake_up: limit,
            ..self
        }
    }

    /// The longest spin while the other side wakes up (see
    /// [`with_peer_wake_up_spin`](Self::with_peer_wake_up_spin)).
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::SpinPolicy;
    ///
    /// assert!(SpinPolicy::NEVER.peer_wake_up_spin().is_zero());
    /// assert!(!SpinPolicy::LOW_LATENCY.peer_wake_up_spin().is_zero());
    /// ```
    pub const fn peer_wake_up_spin(self) -> Duration {
        self.peer_wake_up
    }

    /// The shortest spin.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::SpinPolicy;
    ///
    /// assert_eq!(SpinPolicy::FRUGAL.shortest(), Duration::from_nanos(100));
    /// ```
    pub const fn shortest(self) -> Duration {
        self.shortest
    }

    /// The longest spin.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::SpinPolicy;
    ///
    /// assert_eq!(SpinPolicy::FRUGAL.longest(), Duration::from_micros(4));
    /// ```
    pub const fn longest(self) -> Duration {
        self.longest
    }
}

impl Default for SpinPolicy {
    fn default() -> Self {
        Self::FRUGAL
    }
}

/// How many polls pass between two looks at the clock in a spin of
/// [`SHORT_SPIN`] or longer: a look costs about as much as a few polls, and
/// a few polls take well under a microsecond.
const POLLS_PER_CLOCK_LOOK: u32 = 8;

/// A spin shorter than this looks at the clock after every poll: a
/// `spin_loop` hint takes about 40 ns on the AMD EPYC cores of our
/// benchmark machine, so a look every [`POLLS_PER_CLOCK_LOOK`] polls made
/// the shortest spin of [`SpinPolicy::FRUGAL`] (0.1 µs) last 0.35 µs, on
/// every wait of a paced stream.
const SHORT_SPIN: Duration = Duration::from_micros(1);

/// After how many spins in a row that caught nothing a side takes its
/// waits to be long and frequent (see [`Spinner::expects_long_waits`]). A
/// stream whose other side is busy misses a spin now and then (a hiccup of
/// the machine) and catches the next one, so only slow streams get there.
const LONG_WAIT_MISSES: u32 = 3;

/// The most a side backs off from spinning while the other side wakes up:
/// after this many more misses than catches, it spins on one chance in
/// `2^PEER_WAKE_MAX_BACK_OFF`.
const PEER_WAKE_MAX_BACK_OFF: u8 = 8;

/// Under Miri, which runs code thousands of times slower and whose clock
/// follows the interpreter, a spin ends after this many polls at most.
const MIRI_POLLS: u32 = 16;

/// One handle's spinning: its [`SpinPolicy`] and the length of its next
/// spin. Each waiting handle of a flavour keeps one.
///
/// # Examples
///
/// A wait that spins on a condition, then would sleep:
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use ring_core::spin::{SpinPolicy, Spinner};
///
/// let ready = AtomicBool::new(false);
/// let mut spinner = Spinner::new(SpinPolicy::FRUGAL);
/// let caught = spinner.spin(None, || ready.load(Ordering::Acquire).then_some(()));
/// assert_eq!(caught, None); // Nobody set the flag: time to sleep.
/// assert!(spinner.next_spin() < SpinPolicy::FRUGAL.longest());
/// ready.store(true, Ordering::Release);
/// assert_eq!(spinner.spin(None, || ready.load(Ordering::Acquire).then_some(())), Some(()));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Spinner {
    policy: SpinPolicy,
    /// The length of the next spin.
    next: Duration,
    /// The length of the next spin that follows a sleep: bursts make the
    /// wait right after a wake-up much shorter than the others, so it
    /// adapts on its own.
    next_after_sleep: Duration,
    /// Whether the last wait ended in a sleep.
    slept: bool,
    misses: u32,
    /// The exponent of the back-off of [`spin_while_peer_wakes`](Self::spin_while_peer_wakes):
    /// one up after each of its spins that ended before the other side
    /// acted, one down after each that caught it.
    peer_wake_misses: u8,
    /// How many of the next chances to spin while the other side wakes up
    /// are skipped: `2^peer_wake_misses - 1` after a miss.
    peer_wake_skips: u16,
}

impl Default for Spinner {
    fn default() -> Self {
        Self::new(SpinPolicy::default())
    }
}

impl Spinner {
    /// A spinner whose first spin is `policy`'s longest.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let spinner = Spinner::new(SpinPolicy::LOW_LATENCY);
    /// assert_eq!(spinner.next_spin(), SpinPolicy::LOW_LATENCY.longest());
    /// ```
    pub const fn new(policy: SpinPolicy) -> Self {
        Self {
            policy,
            next: policy.longest,
            next_after_sleep: policy.longest,
            slept: false,
            misses: 0,
            peer_wake_misses: 0,
            peer_wake_skips: 0,
        }
    }

    /// The policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// assert_eq!(Spinner::default().policy(), SpinPolicy::FRUGAL);
    /// ```
    pub const fn policy(&self) -> SpinPolicy {
        self.policy
    }

    /// Replaces the policy; the next spin is its longest.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let mut spinner = Spinner::default();
    /// spinner.set_policy(SpinPolicy::NEVER);
    /// assert!(spinner.next_spin().is_zero());
    /// ```
    pub fn set_policy(&mut self, policy: SpinPolicy) {
        *self = Self::new(policy);
    }

    /// How long the next spin lasts at most.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let mut spinner = Spinner::new(SpinPolicy::FRUGAL);
    /// assert_eq!(spinner.spin(None, || None::<()>), None);
    /// assert_eq!(spinner.next_spin(), SpinPolicy::FRUGAL.longest() / 2);
    /// ```
    pub const fn next_spin(&self) -> Duration {
        if self.slept {
            self.next_after_sleep
        } else {
            self.next
        }
    }

    /// Tells the spinner that the wait after its last spin ended in a sleep
    /// (the thread parked, or the task returned `Pending`): the next spin
    /// is the one right after a wake-up, whose length adapts on its own. A
    /// stream that arrives in bursts has its next item ready a moment after
    /// the one that woke the waiter, and a spin catches it without a second
    /// sleep and wake-up; a stream of single items spins little there.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let mut spinner = Spinner::new(SpinPolicy::FRUGAL);
    /// assert_eq!(spinner.spin(None, || None::<()>), None);
    /// spinner.slept();
    /// // The spin after the wake-up has its own length.
    /// assert_eq!(spinner.next_spin(), SpinPolicy::FRUGAL.longest());
    /// ```
    pub fn slept(&mut self) {
        self.slept = true;
    }

    /// How many spins in a row ended without the other side acting: 0
    /// after a spin that caught it. A flavour takes a run of misses as the
    /// sign of a slow stream, whose waits are long and frequent.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let mut spinner = Spinner::new(SpinPolicy::NEVER);
    /// assert_eq!(spinner.spin(None, || None::<()>), None);
    /// assert_eq!(spinner.spin(None, || None::<()>), None);
    /// assert_eq!(spinner.consecutive_misses(), 2);
    /// assert_eq!(spinner.spin(None, || Some(())), Some(()));
    /// assert_eq!(spinner.consecutive_misses(), 0);
    /// ```
    pub const fn consecutive_misses(&self) -> u32 {
        self.misses
    }

    /// Whether the last few spins all ended without the other side acting:
    /// the sign of a slow stream, whose waits are long and frequent. The
    /// flavours then wait in the handshake's symmetric mode (see
    /// [`WaiterFlag::announce_for_long_wait`](crate::handshake::WaiterFlag::announce_for_long_wait)).
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let mut spinner = Spinner::new(SpinPolicy::NEVER);
    /// while !spinner.expects_long_waits() {
    ///     assert_eq!(spinner.spin(None, || None::<()>), None);
    /// }
    /// assert_eq!(spinner.spin(None, || Some(())), Some(()));
    /// assert!(!spinner.expects_long_waits());
    /// ```
    pub const fn expects_long_waits(&self) -> bool {
        self.misses >= LONG_WAIT_MISSES
    }

    /// Announces the waiting side on `flag` in the mode its recent spins
    /// call for: in the handshake's symmetric mode
    /// ([`WaiterFlag::announce_for_long_wait`]) while they keep missing,
    /// unless the wakers asked to end it because the stream is busy (then
    /// the misses so far no longer count); plainly
    /// ([`WaiterFlag::announce`]) otherwise. Returns the announcement's
    /// verdict: `false` means the waiter must not sleep without a timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::handshake::WaiterFlag;
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let flag = WaiterFlag::default();
    /// let mut spinner = Spinner::new(SpinPolicy::NEVER);
    /// while !spinner.expects_long_waits() {
    ///     assert_eq!(spinner.spin(None, || None::<()>), None);
    /// }
    /// let paired = spinner.announce(&flag);
    /// assert!(flag.is_fenced() || !paired);
    /// flag.withdraw();
    /// ```
    #[must_use = "a `false` means the waiter must not sleep without a timeout"]
    pub fn announce(&mut self, flag: &WaiterFlag) -> bool {
        if self.expects_long_waits() {
            if !flag.relax_requested() {
                return flag.announce_for_long_wait();
            }
            self.misses = 0;
        }
        flag.announce()
    }

    /// Calls `attempt` until it returns `Some` or the spin is over (its
    /// length, or `deadline` if that comes first), with a
    /// [`spin_loop`](core::hint::spin_loop) hint between two calls, and
    /// adapts the next spin's length to the outcome. `attempt` is called
    /// at least once, even when the spin's length is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let mut spinner = Spinner::new(SpinPolicy::FRUGAL);
    /// let mut calls = 0;
    /// let result = spinner.spin(None, || {
    ///     calls += 1;
    ///     (calls == 3).then_some(calls)
    /// });
    /// assert_eq!(result, Some(3));
    /// ```
    pub fn spin<R>(
        &mut self,
        deadline: Option<Instant>,
        mut attempt: impl FnMut() -> Option<R>,
    ) -> Option<R> {
        let after_sleep = core::mem::take(&mut self.slept);
        let length = if after_sleep {
            &mut self.next_after_sleep
        } else {
            &mut self.next
        };
        let polls_per_look = if *length < SHORT_SPIN {
            1
        } else {
            POLLS_PER_CLOCK_LOOK
        };
        // The end, once the clock was read: `None` inside for a length too
        // far to represent, which has no end but the deadline.
        let mut end: Option<Option<Instant>> = None;
        let mut polls: u32 = 0;
        loop {
            if let Some(result) = attempt() {
                *length = self.policy.longest;
                self.misses = 0;
                return Some(result);
            }
            let over = polls % polls_per_look == 0 && {
                let now = Instant::now();
                let spin_end = *end.get_or_insert(now.checked_add(*length));
                spin_end.is_some_and(|spin_end| now >= spin_end)
                    || deadline.is_some_and(|deadline| now >= deadline)
            };
            if over || (cfg!(miri) && polls >= MIRI_POLLS) {
                *length = (*length / 2).max(self.policy.shortest);
                self.misses = self.misses.saturating_add(1);
                return None;
            }
            polls += 1;
            core::hint::spin_loop();
        }
    }

    /// The spin after [`spin`](Self::spin) missed, for a side whose other
    /// side was asleep and has just been woken (`peer_waking` says so of
    /// `state`; [`WaiterFlag::is_being_woken`] is the usual answer). That
    /// side will act within a wake-up's latency; sleeping now would make
    /// the two sides take turns sleeping, each wait costing a wake-up.
    ///
    /// Calls `attempt` on `state` until it returns `Some`: while
    /// `peer_waking` holds, then for one of the policy's longest spins (the
    /// other side runs by then), at most for the policy's
    /// [`peer_wake_up_spin`](SpinPolicy::peer_wake_up_spin) and until
    /// `deadline`. Returns `None` at once if `peer_waking` does not hold or
    /// that spin is zero. (`state` is handed to both closures, so that
    /// `attempt` may change what `peer_waking` reads, such as a ring
    /// handle.)
    ///
    /// A woken side may also be waiting for a core, on a machine whose
    /// cores are shared; spinning then keeps it from the very core it
    /// needs. So the spinner keeps a back-off exponent `k`: a spin of this
    /// kind that reaches its limit, or outlasts the other side's arrival by
    /// a longest spin, without a catch raises it by one (up to 8) and
    /// skips the next `2^k - 1` chances; a catch lowers it by one (down to
    /// 0); a spin ended by `deadline` changes nothing. A side whose peer
    /// arrives while it spins keeps spinning; one whose peer mostly does
    /// not spins on one chance in 256. A catch also counts as one for
    /// [`consecutive_misses`](Self::consecutive_misses) (the waits are
    /// short: the other side is running); the lengths of the
    /// [`spin`](Self::spin)s stay as they were.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use ring_core::spin::{SpinPolicy, Spinner};
    ///
    /// let mut spinner = Spinner::new(SpinPolicy::FRUGAL);
    /// let mut looks = 0;
    /// // The other side is not being woken: no spin at all.
    /// let never = |_: &mut u32| None::<()>;
    /// assert_eq!(spinner.spin_while_peer_wakes(&mut looks, None, |_| false, never), None);
    /// // It is, and acts on the third look.
    /// let caught = spinner.spin_while_peer_wakes(&mut looks, None, |_| true, |looks| {
    ///     *looks += 1;
    ///     (*looks == 3).then_some("acted")
    /// });
    /// assert_eq!(caught, Some("acted"));
    /// ```
    pub fn spin_while_peer_wakes<S: ?Sized, R>(
        &mut self,
        state: &mut S,
        deadline: Option<Instant>,
        mut peer_waking: impl FnMut(&S) -> bool,
        mut attempt: impl FnMut(&mut S) -> Option<R>,
    ) -> Option<R> {
        let limit = self.policy.peer_wake_up;
        if limit.is_zero() || !peer_waking(state) {
            return None;
        }
        if self.peer_wake_skips > 0 {
            self.peer_wake_skips -= 1;
            return None;
        }
        // A limit too far to represent has no end but the deadline.
        let end = Instant::now().checked_add(limit);
        // When `peer_waking` was first seen not to hold.
        let mut awake_since: Option<Instant> = None;
        let mut polls: u32 = 0;
        loop {
            if let Some(result) = attempt(state) {
                self.peer_wake_misses = self.peer_wake_misses.saturating_sub(1);
                self.misses = 0;
                return Some(result);
            }
            polls = polls.wrapping_add(1);
            if cfg!(miri) && polls >= MIRI_POLLS {
                return None;
            }
            if polls % POLLS_PER_CLOCK_LOOK != 0 {
                core::hint::spin_loop();
                continue;
            }
            let now = Instant::now();
            if deadline.is_some_and(|deadline| now >= deadline) {
                return None;
            }
            if awake_since.is_none() && !peer_waking(state) {
                awake_since = Some(now);
            }
            let awake_long_enough =
                awake_since.is_some_and(|since| now - since >= self.policy.longest);
            if end.is_some_and(|end| now >= end) || awake_long_enough {
                self.peer_wake_misses = (self.peer_wake_misses + 1).min(PEER_WAKE_MAX_BACK_OFF);
                self.peer_wake_skips = (1 << self.peer_wake_misses) - 1;
                return None;
            }
            core::hint::spin_loop();
        }
    }
}

/// Implements `spin_policy` and `set_spin_policy` on a flavour's own
/// `Producer<T>` and `Consumer<T>`, each of which keeps its
/// [`Spinner`] in a field named `spinner`. `crate` is the flavour's crate
/// name (for the doc examples), `sleeps` says in words how its waits sleep.
///
/// # Examples
///
/// ```
/// mod my_flavour {
///     use ring_core::spin::{SpinPolicy, Spinner};
///
///     pub struct Producer<T> {
///         spinner: Spinner,
///         _items: std::marker::PhantomData<T>,
///     }
///     pub struct Consumer<T> {
///         spinner: Spinner,
///         _items: std::marker::PhantomData<T>,
///     }
///     pub fn channel<T>(_capacity: usize) -> (Producer<T>, Consumer<T>) {
///         let spinner = Spinner::new(SpinPolicy::FRUGAL);
///         let producer = Producer { spinner, _items: std::marker::PhantomData };
///         let consumer = Consumer { spinner, _items: std::marker::PhantomData };
///         (producer, consumer)
///     }
///     ring_core::impl_spin_policy_api!(crate = "ring_core", sleeps = "it sleeps");
/// }
///
/// let (mut producer, _consumer) = my_flavour::channel::<u8>(4);
/// producer.set_spin_policy(ring_core::spin::SpinPolicy::NEVER);
/// assert_eq!(producer.spin_policy(), ring_core::spin::SpinPolicy::NEVER);
/// ```
#[macro_export]
macro_rules! impl_spin_policy_api {
    (crate = $krate:literal, sleeps = $sleeps:literal $(,)?) => {
        $crate::impl_spin_policy_api!(@handle Producer, $krate, $sleeps);
        $crate::impl_spin_policy_api!(@handle Consumer, $krate, $sleeps);
    };
    (@handle $handle:ident, $krate:literal, $sleeps:literal) => {
        impl<T> $handle<T> {
            #[doc = concat!("How this handle spins before ", $sleeps, "; see `channel_with`.")]
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// let (producer, consumer) = ring::channel::<u8>(4);
            /// assert_eq!(producer.spin_policy(), ring::SpinPolicy::FRUGAL);
            /// assert_eq!(consumer.spin_policy(), ring::SpinPolicy::FRUGAL);
            /// ```
            pub fn spin_policy(&self) -> $crate::spin::SpinPolicy {
                self.spinner.policy()
            }

            #[doc = concat!("Makes this handle spin as `spin_policy` says before ", $sleeps, ",")]
            /// from its next wait on; the other handle keeps its own policy.
            ///
            /// # Examples
            ///
            #[doc = concat!("```\n# use ", $krate, " as ring;")]
            /// use ring::SpinPolicy;
            ///
            /// let (mut producer, mut consumer) = ring::channel::<u8>(4);
            /// consumer.set_spin_policy(SpinPolicy::LOW_LATENCY);
            /// producer.set_spin_policy(SpinPolicy::NEVER);
            /// assert_eq!(consumer.spin_policy(), SpinPolicy::LOW_LATENCY);
            /// assert_eq!(producer.spin_policy(), SpinPolicy::NEVER);
            /// ```
            pub fn set_spin_policy(&mut self, spin_policy: $crate::spin::SpinPolicy) {
                self.spinner.set_policy(spin_policy);
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_miss_halves_the_spin_down_to_the_shortest_and_a_catch_restores_it() {
        let policy = SpinPolicy::adaptive(Duration::from_micros(1), Duration::from_micros(8));
        let mut spinner = Spinner::new(policy);
        for expected in [4, 2, 1, 1] {
            assert_eq!(spinner.spin(None, || None::<()>), None);
            assert_eq!(spinner.next_spin(), Duration::from_micros(expected));
        }
        assert_eq!(spinner.spin(None, || Some(())), Some(()));
        assert_eq!(spinner.next_spin(), Duration::from_micros(8));
    }

    #[test]
    fn a_short_spin_ends_close_to_its_length() {
        // A spin of 1 ns may not outlast one poll and one look at the
        // clock; the looks every few polls of a longer spin used to make it
        // take eight polls at least.
        let mut spinner = Spinner::new(SpinPolicy::fixed(Duration::from_nanos(1)));
        let mut calls = 0;
        let caught = spinner.spin(None, || {
            calls += 1;
            None::<()>
        });
        assert_eq!(caught, None);
        assert!(
            calls < POLLS_PER_CLOCK_LOOK,
            "{calls} polls for a spin of 1 ns"
        );
    }

    #[test]
    fn a_past_deadline_ends_the_spin_after_one_attempt() {
        let mut spinner = Spinner::new(SpinPolicy::fixed(Duration::from_secs(3600)));
        let mut calls = 0;
        let past = Instant::now();
        assert_eq!(
            spinner.spin(Some(past), || {
                calls += 1;
                None::<()>
            }),
            None
        );
        assert_eq!(calls, 1);
    }

    /// A policy whose spin while the other side wakes up lasts `limit`.
    fn peer_wake_up_policy(limit: Duration) -> SpinPolicy {
        SpinPolicy::fixed(Duration::from_micros(1)).with_peer_wake_up_spin(limit)
    }

    /// One spin while the other side wakes up that never catches it;
    /// returns how many attempts it made.
    fn missed_peer_wake_up(spinner: &mut Spinner, peer_waking: bool) -> u32 {
        let mut attempts = 0;
        let caught = spinner.spin_while_peer_wakes(
            &mut attempts,
            None,
            |_| peer_waking,
            |attempts| {
                *attempts += 1;
                None::<()>
            },
        );
        assert_eq!(caught, None);
        attempts
    }

    #[test]
    fn no_spin_while_the_other_side_is_not_being_woken_or_the_policy_says_none() {
        let mut spinner = Spinner::new(peer_wake_up_policy(Duration::from_secs(3600)));
        assert_eq!(missed_peer_wake_up(&mut spinner, false), 0);
        for policy in [
            SpinPolicy::NEVER,
            SpinPolicy::FRUGAL.with_peer_wake_up_spin(Duration::ZERO),
        ] {
            let mut spinner = Spinner::new(policy);
            assert_eq!(missed_peer_wake_up(&mut spinner, true), 0);
        }
    }

    #[test]
    // Miri ends every spin after a few polls, before this rule matters.
    #[cfg_attr(miri, ignore)]
    fn the_spin_ends_soon_after_the_other_side_runs_even_with_a_long_limit() {
        // The other side is awake from the first look at the clock on: the
        // spin lasts one longest spin (1 µs) after that, not the hour. The
        // bound on the time is generous: it only tells an end from a hang.
        let started = Instant::now();
        let mut spinner = Spinner::new(peer_wake_up_policy(Duration::from_secs(3600)));
        let mut looks = 0;
        let mut attempts = 0;
        let peer_waking = |_: &u32| {
            looks += 1;
            looks == 1
        };
        let caught = spinner.spin_while_peer_wakes(&mut attempts, None, peer_waking, |attempts| {
            *attempts += 1;
            None::<()>
        });
        assert_eq!(caught, None);
        assert!(attempts >= POLLS_PER_CLOCK_LOOK, "{attempts} attempts");
        assert!(started.elapsed() < Duration::from_secs(60));
    }

    #[test]
    fn spins_of_an_unrepresentable_length_end_at_the_deadline() {
        let policy = SpinPolicy::fixed(Duration::MAX).with_peer_wake_up_spin(Duration::MAX);
        let mut spinner = Spinner::new(policy);
        let soon = Some(Instant::now() + Duration::from_millis(1));
        assert_eq!(spinner.spin(soon, || None::<()>), None);
        let never = |_: &mut ()| None::<()>;
        assert_eq!(
            spinner.spin_while_peer_wakes(&mut (), soon, |()| true, never),
            None
        );
    }

    #[test]
    fn a_catch_while_the_other_side_wakes_up_clears_the_misses() {
        let mut spinner =
            Spinner::new(SpinPolicy::NEVER.with_peer_wake_up_spin(Duration::from_secs(1)));
        while !spinner.expects_long_waits() {
            assert_eq!(spinner.spin(None, || None::<()>), None);
        }
        assert_eq!(
            spinner.spin_while_peer_wakes(&mut (), None, |()| true, |()| Some(())),
            Some(())
        );
        assert_eq!(spinner.consecutive_misses(), 0);
    }

    #[test]
    fn misses_back_off_exponentially_and_catches_undo_it() {
        let mut spinner = Spinner::new(peer_wake_up_policy(Duration::from_micros(1)));
        // Misses number 1, 2 and 3 skip 1, 3 and 7 chances.
        for skipped in [1, 3, 7] {
            assert!(missed_peer_wake_up(&mut spinner, true) > 0);
            for _ in 0..skipped {
                assert_eq!(missed_peer_wake_up(&mut spinner, true), 0);
            }
        }
        // A chance while the other side is not being woken is no chance.
        assert!(missed_peer_wake_up(&mut spinner, true) > 0);
        for _ in 0..15 {
            assert_eq!(missed_peer_wake_up(&mut spinner, false), 0);
            assert_eq!(missed_peer_wake_up(&mut spinner, true), 0);
        }
        // Two catches bring the exponent from 4 down to 2: the next miss
        // skips 7 chances.
        for _ in 0..2 {
            assert_eq!(
                spinner.spin_while_peer_wakes(&mut (), None, |()| true, |()| Some(())),
                Some(())
            );
        }
        assert!(missed_peer_wake_up(&mut spinner, true) > 0);
        for _ in 0..7 {
            assert_eq!(missed_peer_wake_up(&mut spinner, true), 0);
        }
        assert!(missed_peer_wake_up(&mut spinner, true) > 0);
    }

    #[test]
    fn the_back_off_is_bounded() {
        let mut spinner = Spinner::new(peer_wake_up_policy(Duration::from_nanos(1)));
        let mut spins = 0;
        for _ in 0..4096 {
            if missed_peer_wake_up(&mut spinner, true) > 0 {
                spins += 1;
            }
        }
        // The first 8 spins come at chances 1, 2, 4, ..., 128 after the
        // one before (1 + 3 + 7 + ... + 127 skipped): the eighth at chance
        // 255. From then on, one chance in 256 spins.
        assert_eq!(spins, 8 + (4096 - 255) / 256);
    }

    #[test]
    #[should_panic(expected = "the shortest spin is longer than the longest")]
    fn an_inverted_policy_panics() {
        let _ = SpinPolicy::adaptive(Duration::from_micros(2), Duration::from_micros(1));
    }
}
