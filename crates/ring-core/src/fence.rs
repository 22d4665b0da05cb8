//! Asymmetric fences: a store-load barrier split into a cheap half for the
//! hot path and an expensive half for the rare path.
//!
//! A Dekker-style handshake (a waiting side announces itself, then checks
//! the ring; the active side publishes, then checks for a waiter) needs a
//! store-load barrier on both sides, or a lost wake-up is possible. A full
//! `fence(SeqCst)` on every push costs several times a whole push on x86.
//! Asymmetric fences move the cost to the side that waits:
//!
//! - [`light`] goes on the hot path. Where the heavy half is available it is
//!   only a compiler fence: no instruction at all.
//! - [`heavy`] goes on the rare path. On Linux it is
//!   `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)`, which makes every
//!   running thread of the process execute a full memory barrier before it
//!   returns; folly's `asymmetricHeavyBarrier` and liburcu rely on the same
//!   call.
//!
//! # Why the pair is a store-load barrier
//!
//! Take thread A: `store X; heavy(); load Y` and thread B: `store Y;
//! light(); load X`. The compiler fence keeps B's store before its load in
//! program order; only the CPU could reorder them, by holding the store in
//! its store buffer. `membarrier` forces a full barrier on B's CPU at some
//! point P during A's call, which also fences A itself. If B's load of X
//! executed after P, it sees A's store (A's store preceded the call). If it
//! executed before P, B's store (which precedes that load in program order)
//! was drained by the barrier at P, before `membarrier` returned, so A's
//! later load of Y sees it. Either way one side sees the other's store.
//!
//! Where `membarrier` is not available (other systems, an old kernel, a
//! seccomp filter, Miri) both halves are `fence(SeqCst)`, which is a
//! store-load barrier by itself. Under loom they are read-modify-writes of
//! one atomic, for the reason given at `fence_under_loom`.
//!
//! The choice is made once per process: the heavy half decides it before
//! its first use, and the light half is a mere compiler fence only after
//! `membarrier` was registered successfully, from when on the heavy half of
//! every thread issues `membarrier`.
//!
//! # When `membarrier` fails after its registration
//!
//! A call can still fail later (`ENOMEM`, a seccomp filter installed after
//! the registration, a restored checkpoint). The process then stops using
//! it for good: the failing call is never issued again, [`light`] and every
//! [`LightFence`] made from then on are full fences, and
//! [`heavy_pairing_with`] such a fence is a full fence too, which pairs
//! with it. [`heavy`] and [`heavy_pairing_with`] a [`LightFence`] made
//! before the failure return `false`: that light half stays a compiler
//! fence, which nothing pairs with any more, so the caller must not sleep
//! without a timeout on their strength. The rings' waiter flags then switch
//! themselves to full fences on both sides (see
//! [`WaiterFlag`](crate::handshake::WaiterFlag)).
//!
//! # Turning `membarrier` off
//!
//! A sandbox whose seccomp policy kills a process that calls `membarrier`,
//! or that emulates it loosely, can ask for plain `fence(SeqCst)` on both
//! sides instead: with the environment variable `RING_FENCE=seqcst` (read
//! once, when the choice is made), or by calling [`use_seqcst_fences`]
//! before the first ring is made. `RING_FENCE=auto`, or no variable, keeps
//! the default. Every push and pop then issues a full fence, which costs a
//! few nanoseconds each; no `membarrier` call is ever made.

#[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
mod membarrier {
    use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::OnceLock;

    use crossbeam_utils::CachePadded;

    /// `MEMBARRIER_CMD_PRIVATE_EXPEDITED` of `<linux/membarrier.h>`.
    const PRIVATE_EXPEDITED: libc::c_int = 1 << 3;
    /// `MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED`.
    const REGISTER_PRIVATE_EXPEDITED: libc::c_int = 1 << 4;

    /// Set after registration succeeded, and cleared for good if a later
    /// `membarrier` call fails. Padded so that no other static written at
    /// run time shares its cache line, as every [`light`](super::light)
    /// reads it (the rings' hot paths read a copy of their own, see
    /// `LightFence`). Read with `Relaxed`: a thread that still sees `false`
    /// issues a full fence, which is never weaker than what a `true` would
    /// allow; one that still sees a cleared `true` is covered by the failing
    /// heavy fence reporting `false`.
    static ACTIVE: CachePadded<AtomicBool> = CachePadded::new(AtomicBool::new(false));
    /// How many `membarrier` calls the process made, the registration
    /// included. A statistic, ordered with nothing: `Relaxed`.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    /// Whether registration succeeded, decided by the first heavy fence.
    static REGISTERED: OnceLock<bool> = OnceLock::new();

    fn membarrier(command: libc::c_int) -> bool {
        // Relaxed: a statistic (see `CALLS`).
        CALLS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `membarrier` takes two integers and touches no memory of
        // ours; an unsupported command only returns an error.
        let result = unsafe { libc::syscall(libc::SYS_membarrier, command, 0, 0) };
        result == 0
    }

    fn registered() -> bool {
        *REGISTERED.get_or_init(|| {
            let ok =
                !super::seqcst_requested_by_environment() && membarrier(REGISTER_PRIVATE_EXPEDITED);
            ACTIVE.store(ok, Ordering::Relaxed);
            ok
        })
    }

    /// Makes the choice plain `SeqCst` fences, unless it was made already.
    pub(super) fn choose_seqcst() -> bool {
        REGISTERED.set(false).is_ok()
    }

    #[inline(always)]
    pub(super) fn active() -> bool {
        ACTIVE.load(Ordering::Relaxed)
    }

    /// What issuing the heavy half through `membarrier` gave.
    pub(super) enum Outcome {
        /// Every running thread of the process executed a full barrier.
        Barrier,
        /// Registration failed: both halves are full fences, as on any
        /// system without `membarrier`.
        Unregistered,
        /// Registration had succeeded, but this call failed (`ENOMEM`, a
        /// seccomp filter, a restored checkpoint). Light fences issued
        /// before now may have been mere compiler fences, which a full
        /// fence here does not pair with.
        Failed,
    }

    /// Issues the heavy half through `membarrier` when registered. A
    /// failure is reported, so that the waiter does not rely on this
    /// barrier, and makes `light` and the light fences chosen from now on
    /// full fences, which pair with whatever the heavy half does next. After
    /// a failure the call is never issued again: every later heavy half
    /// reports the failure at once, instead of paying a system call that
    /// fails each time.
    pub(super) fn heavy() -> Outcome {
        if !registered() {
            return Outcome::Unregistered;
        }
        // Relaxed: a thread that still sees `true` after another's failure
        // merely issues one more call, which fails and reports it.
        if !ACTIVE.load(Ordering::Relaxed) {
            return Outcome::Failed;
        }
        if membarrier(PRIVATE_EXPEDITED) {
            return Outcome::Barrier;
        }
        ACTIVE.store(false, Ordering::Relaxed);
        Outcome::Failed
    }

    /// How many `membarrier` calls the process made.
    pub(super) fn calls() -> usize {
        // Relaxed: a statistic.
        CALLS.load(Ordering::Relaxed)
    }

    /// Makes sure the choice is made before any light fence runs that
    /// could pair with a heavy one.
    pub(super) fn prepare() {
        registered();
    }
}

#[cfg(not(loom))]
use core::sync::atomic::{Ordering, fence};

/// Under loom, both halves are a read-modify-write of one shared atomic
/// instead of `fence(SeqCst)`. loom models `SeqCst` fences incompletely
/// (loom#246) and reports lost wake-ups that the C++ memory model rules
/// out; read-modify-writes of one location are totally ordered, and each
/// acquires what the previous one released, so whichever of the two halves
/// comes second sees every store made before the first: the same
/// store-load guarantee, in a form loom checks exactly (thingbuf made the
/// same substitution).
#[cfg(loom)]
fn fence_under_loom() {
    loom::lazy_static! {
        static ref ORDER: loom::sync::atomic::AtomicUsize = loom::sync::atomic::AtomicUsize::new(0);
    }
    ORDER.fetch_add(1, loom::sync::atomic::Ordering::AcqRel);
}

/// The hot-path half of an asymmetric store-load barrier; pairs with
/// [`heavy`] on the other thread.
///
/// # Examples
///
/// A waiter and a publisher that never miss each other:
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
///
/// static WAITING: AtomicBool = AtomicBool::new(false);
/// static PUBLISHED: AtomicBool = AtomicBool::new(false);
///
/// ring_core::fence::prepare();
/// let waiter = std::thread::spawn(|| {
///     WAITING.store(true, Relaxed);
///     let paired = ring_core::fence::heavy();
///     PUBLISHED.load(Relaxed) || !paired
/// });
/// PUBLISHED.store(true, Relaxed);
/// ring_core::fence::light();
/// let saw_waiter = WAITING.load(Relaxed);
/// let saw_publication = waiter.join().unwrap();
/// assert!(saw_waiter || saw_publication);
/// ```
#[inline(always)]
pub fn light() {
    #[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
    issue_light(membarrier::active());
    #[cfg(not(all(target_os = "linux", feature = "std", not(loom), not(miri))))]
    issue_light(false);
}

/// A full store-load barrier on this thread alone: `fence(SeqCst)`, or
/// under loom the read-modify-write that stands for it (see
/// `fence_under_loom`). Two of them, one on each side of a Dekker
/// handshake, pair without any help from [`heavy`]; the handshake's
/// symmetric mode uses them while a waiter expects long waits.
#[inline]
pub(crate) fn full() {
    issue_light(false);
}

/// The light half as `compiler_only` says: a compiler fence where the heavy
/// half is `membarrier` (see the module docs for why that pairs), a full
/// fence otherwise. Off Linux and under Miri it is always the full fence,
/// whatever `compiler_only` says. Under loom a compiler fence is no fence
/// at all, which is what a compiler fence is to the hardware: only models
/// of a failed `membarrier` ask for one (see
/// `LightFence::after_failed_membarrier`).
#[inline(always)]
fn issue_light(compiler_only: bool) {
    #[cfg(any(loom, all(target_os = "linux", feature = "std", not(miri))))]
    if compiler_only {
        core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
        return;
    }
    #[cfg(not(any(loom, all(target_os = "linux", feature = "std", not(miri)))))]
    let _ = compiler_only;
    #[cfg(loom)]
    fence_under_loom();
    #[cfg(not(loom))]
    fence(Ordering::SeqCst);
}

/// The light half with the process's choice read once, when the value is
/// made, rather than at every use: a hot path that keeps it beside its own
/// data (as [`WaiterFlag`](crate::handshake::WaiterFlag) does, on the cache
/// line it loads anyway) saves the load of the process-wide choice, which
/// sits on a line of its own, at every push and pop.
///
/// # Why a choice read once stays sound
///
/// A [`LightFence`] made while `membarrier` was registered stays a compiler
/// fence even if a later `membarrier` call fails. That is sound because the
/// pairing argument (see the module docs) needs only that the heavy half
/// did issue a successful `membarrier`, whenever the light fence was
/// chosen; and after a failure [`heavy`] and [`heavy_pairing_with`] such a
/// fence return `false`, so no waiter relies on them. One made while `membarrier` was unavailable, not yet
/// registered, or cleared after a failure, is a full fence for good, which
/// pairs with either form of the heavy half.
///
/// # Examples
///
/// ```
/// let fence = ring_core::fence::LightFence::chosen();
/// assert_eq!(fence.is_compiler_only(), ring_core::fence::is_asymmetric());
/// fence.issue();
/// ```
#[derive(Clone, Copy, Debug)]
pub struct LightFence {
    /// Whether `membarrier` was registered and working when it was made.
    compiler_only: bool,
}

impl LightFence {
    /// Makes the process's choice (see [`prepare`]) and captures it.
    ///
    /// # Examples
    ///
    /// ```
    /// let fence = ring_core::fence::LightFence::chosen();
    /// fence.issue();
    /// ```
    pub fn chosen() -> Self {
        prepare();
        Self {
            compiler_only: is_asymmetric(),
        }
    }

    /// Issues the light half as chosen: a compiler fence, or a full fence.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
    ///
    /// static WAITING: AtomicBool = AtomicBool::new(false);
    /// static PUBLISHED: AtomicBool = AtomicBool::new(false);
    ///
    /// let fence = ring_core::fence::LightFence::chosen();
    /// let waiter = std::thread::spawn(|| {
    ///     WAITING.store(true, Relaxed);
    ///     let paired = ring_core::fence::heavy();
    ///     PUBLISHED.load(Relaxed) || !paired
    /// });
    /// PUBLISHED.store(true, Relaxed);
    /// fence.issue();
    /// let saw_waiter = WAITING.load(Relaxed);
    /// assert!(saw_waiter || waiter.join().unwrap());
    /// ```
    #[inline(always)]
    pub fn issue(self) {
        issue_light(self.compiler_only);
    }

    /// For loom models of a `membarrier` that failed after this fence was
    /// chosen: a compiler fence, which [`heavy_pairing_with`] does not pair
    /// with (it returns `false`). Exists only under `--cfg loom`.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn after_failed_membarrier() -> Self {
        Self {
            compiler_only: true,
        }
    }

    /// Whether [`issue`](Self::issue) is a mere compiler fence.
    ///
    /// # Examples
    ///
    /// ```
    /// let fence = ring_core::fence::LightFence::chosen();
    /// println!("compiler fence only: {}", fence.is_compiler_only());
    /// ```
    pub fn is_compiler_only(self) -> bool {
        self.compiler_only
    }
}

/// The rare-path half of an asymmetric store-load barrier; pairs with
/// [`light`] on other threads. A system call where `membarrier` is
/// available (tens of microseconds at worst), a full fence elsewhere.
///
/// Returns whether the barrier is guaranteed to pair with every light
/// fence issued so far. It is `false` only in the rare case where
/// `membarrier` was registered but then failed, in this call or an
/// earlier one (see the module docs): light fences issued before may have
/// been compiler fences (and a [`LightFence`] chosen before stays one),
/// which a failed call does not pair with. A waiter that gets `false` must
/// not sleep without a timeout on the strength of this barrier: it parks
/// for a short while and checks again. A waiter that knows which light
/// fence the other side issues calls [`heavy_pairing_with`] instead.
///
/// # Examples
///
/// ```
/// let paired = ring_core::fence::heavy();
/// // Only a failing `membarrier` call, after a successful registration,
/// // makes a heavy fence unreliable.
/// assert!(paired || !ring_core::fence::is_asymmetric());
/// ```
#[must_use = "a `false` means the barrier may not pair with earlier light fences"]
pub fn heavy() -> bool {
    // Relaxed: a statistic, ordered with nothing.
    HEAVY_FENCES.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
    #[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
    match membarrier::heavy() {
        membarrier::Outcome::Barrier => return true,
        membarrier::Outcome::Unregistered => {}
        membarrier::Outcome::Failed => {
            fence(Ordering::SeqCst);
            return false;
        }
    }
    #[cfg(loom)]
    fence_under_loom();
    #[cfg(not(loom))]
    fence(Ordering::SeqCst);
    true
}

/// The heavy half for a handshake whose other side issues `light`: where
/// `light` is a full fence (`membarrier` was unavailable, turned off or
/// failed when it was chosen), a full fence here pairs with it, and no
/// system call is needed; otherwise [`heavy`] itself.
///
/// Returns whether the barrier pairs with every `light` issued so far:
/// `false` only for a compiler-fence `light` after a `membarrier` call
/// failed (see [`heavy`]). A ring made after such a failure therefore
/// still pairs.
///
/// Under loom a compiler-fence `light` stands for one whose `membarrier`
/// failed (loom has no other use for it): it is no fence at all, and this
/// returns `false` having issued none, so that models can explore how a
/// waiter copes.
///
/// # Examples
///
/// ```
/// let light = ring_core::fence::LightFence::chosen();
/// let paired = ring_core::fence::heavy_pairing_with(light);
/// assert!(paired || light.is_compiler_only());
/// ```
#[must_use = "a `false` means the barrier may not pair with earlier light fences"]
pub fn heavy_pairing_with(light: LightFence) -> bool {
    if light.compiler_only {
        #[cfg(loom)]
        return false;
        #[cfg(not(loom))]
        return heavy();
    }
    // Relaxed: a statistic, ordered with nothing.
    HEAVY_FENCES.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
    full();
    true
}

/// How many `membarrier` system calls the process has made, its
/// registration included; always 0 where the heavy half is a plain fence
/// (other systems, `RING_FENCE=seqcst`, Miri, loom). For tests and
/// diagnostics: after a failed call, none is made any more.
///
/// # Examples
///
/// ```
/// ring_core::fence::prepare();
/// let before = ring_core::fence::membarrier_call_count();
/// let _ = ring_core::fence::heavy();
/// let made = ring_core::fence::membarrier_call_count() - before;
/// // One call where `membarrier` is in use, none where the fences are plain.
/// assert_eq!(made, usize::from(ring_core::fence::is_asymmetric()));
/// ```
pub fn membarrier_call_count() -> usize {
    #[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
    return membarrier::calls();
    #[cfg(not(all(target_os = "linux", feature = "std", not(loom), not(miri))))]
    return 0;
}

/// How many heavy fences the process has issued (see [`heavy_fence_count`]).
/// A plain atomic even under loom: a statistic, never a synchronization.
static HEAVY_FENCES: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// How many times [`heavy`] or [`heavy_pairing_with`] has run in this
/// process, by every ring and flavour: each is a `membarrier` system call
/// where it is available (unless it paired with a full fence), and
/// interrupts every core that runs a thread of the process. For tests and
/// diagnostics: a wait should issue at most one, however often its future
/// is polled.
///
/// # Examples
///
/// ```
/// let before = ring_core::fence::heavy_fence_count();
/// let _ = ring_core::fence::heavy();
/// assert!(ring_core::fence::heavy_fence_count() > before);
/// ```
pub fn heavy_fence_count() -> usize {
    // Relaxed: a statistic.
    HEAVY_FENCES.load(core::sync::atomic::Ordering::Relaxed)
}

/// Decides, once per process, whether the heavy half can use `membarrier`.
/// Call it before starting threads that use [`light`]; [`heavy`] decides by
/// itself on first use, so calling this is an optimization (the light half
/// stays a full fence until the decision is made), never a requirement of
/// soundness.
///
/// # Examples
///
/// ```
/// ring_core::fence::prepare();
/// ring_core::fence::light();
/// ```
pub fn prepare() {
    #[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
    membarrier::prepare();
    #[cfg(not(all(target_os = "linux", feature = "std", not(loom), not(miri))))]
    CHOICE_MADE.store(true, core::sync::atomic::Ordering::Relaxed);
}

/// Where no `membarrier` can be used, the fences are full fences whatever
/// the choice; this only records that it was made, so that
/// [`use_seqcst_fences`] answers alike everywhere. `Relaxed`: it orders
/// nothing.
#[cfg(not(all(target_os = "linux", feature = "std", not(loom), not(miri))))]
static CHOICE_MADE: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Whether the environment asks for plain `SeqCst` fences:
/// `RING_FENCE=seqcst`. Read when the choice is made.
///
/// # Panics
///
/// On any other value than `seqcst` or `auto`, with a message that names
/// both: a typo must not silently keep `membarrier` in a sandbox that kills
/// on it.
#[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
fn seqcst_requested_by_environment() -> bool {
    match std::env::var_os("RING_FENCE") {
        None => false,
        Some(value) if value == "seqcst" => true,
        Some(value) if value == "auto" => false,
        Some(value) => panic!(
            "RING_FENCE={value:?} is not understood: use RING_FENCE=seqcst for plain SeqCst \
             fences, or RING_FENCE=auto (or no variable) for the default"
        ),
    }
}

/// The fences were chosen already, when the first ring was made (or
/// [`prepare`] ran); returned by [`use_seqcst_fences`].
///
/// # Examples
///
/// ```
/// let error = ring_core::fence::FenceAlreadyChosen;
/// assert!(error.to_string().contains("already chosen"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FenceAlreadyChosen;

impl core::fmt::Display for FenceAlreadyChosen {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("the fences were already chosen: call this before the first ring is made")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for FenceAlreadyChosen {}

/// Makes every ring of the process use plain `fence(SeqCst)` on both sides
/// of the wake-up handshake instead of `membarrier`, as
/// `RING_FENCE=seqcst` does (see the module docs): for a sandbox that
/// kills on `membarrier` or emulates it loosely. Call it before the first
/// ring is made.
///
/// # Errors
///
/// [`FenceAlreadyChosen`] once the choice was made: a ring was made, or
/// [`prepare`], [`heavy`] or [`LightFence::chosen`] ran. The fences then
/// stay as chosen, since rings made before rely on them.
///
/// # Examples
///
/// ```
/// // The first thing the program does, before any ring exists:
/// ring_core::fence::use_seqcst_fences().unwrap();
/// assert!(!ring_core::fence::is_asymmetric());
/// let (mut producer, mut consumer) = ring_core::channel::<u8>(1);
/// producer.try_push(1).unwrap();
/// assert_eq!(consumer.try_pop(), Ok(1));
/// assert_eq!(
///     ring_core::fence::use_seqcst_fences(),
///     Err(ring_core::fence::FenceAlreadyChosen)
/// );
/// ```
pub fn use_seqcst_fences() -> Result<(), FenceAlreadyChosen> {
    #[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
    let chosen_now = membarrier::choose_seqcst();
    #[cfg(not(all(target_os = "linux", feature = "std", not(loom), not(miri))))]
    let chosen_now = !CHOICE_MADE.swap(true, core::sync::atomic::Ordering::Relaxed);
    if chosen_now {
        Ok(())
    } else {
        Err(FenceAlreadyChosen)
    }
}

/// Whether [`light`] is currently a mere compiler fence (and a
/// [`LightFence`] chosen now would be one), for reports. A [`LightFence`]
/// chosen earlier keeps the choice it made.
///
/// # Examples
///
/// ```
/// ring_core::fence::prepare();
/// println!("asymmetric fences: {}", ring_core::fence::is_asymmetric());
/// ```
pub fn is_asymmetric() -> bool {
    #[cfg(all(target_os = "linux", feature = "std", not(loom), not(miri)))]
    return membarrier::active();
    #[cfg(not(all(target_os = "linux", feature = "std", not(loom), not(miri))))]
    return false;
}
