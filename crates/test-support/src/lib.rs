//! Helpers shared by the integration tests of the ring-* crates.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

/// Shrinks a count under Miri, which runs code thousands of times slower.
///
/// # Examples
///
/// ```
/// assert!(test_support::scaled(100_000) >= 10);
/// ```
pub const fn scaled(count: usize) -> usize {
    if cfg!(miri) { count / 1000 + 10 } else { count }
}

/// Runs `test` on its own thread and fails if it takes longer than a
/// generous bound: a hang (a lost wake-up, a missed disconnection) then
/// fails the test instead of stalling CI. A panic inside `test` is passed
/// on as it is.
///
/// # Examples
///
/// ```
/// assert_eq!(test_support::with_watchdog(|| 2 + 2), 4);
/// ```
pub fn with_watchdog<R: Send + 'static>(test: impl FnOnce() -> R + Send + 'static) -> R {
    let limit = Duration::from_secs(if cfg!(miri) { 3600 } else { 120 });
    let (done, finished) = mpsc::channel();
    let worker = thread::spawn(move || {
        let result = test();
        let _ = done.send(());
        result
    });
    match finished.recv_timeout(limit) {
        Ok(()) => worker.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Ok(_) => unreachable!("the worker finished without reporting"),
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the test hung for {limit:?}"),
    }
}

/// Fails to compile unless the type is `Send`.
///
/// # Examples
///
/// ```
/// test_support::assert_send::<String>();
/// ```
pub fn assert_send<T: Send>() {}

/// Fails to compile unless the type is `Send` and `Sync`.
///
/// # Examples
///
/// ```
/// test_support::assert_send_sync::<String>();
/// ```
pub fn assert_send_sync<T: Send + Sync>() {}

/// Compiles only when `T` is not `Send`: for a `Send` type both impls
/// apply and a call through [`assert_not_send!`] is ambiguous (the trick of
/// `static_assertions::assert_not_impl_any`).
#[doc(hidden)]
pub trait AmbiguousIfSend<Marker> {
    /// Does nothing; only its resolution matters.
    fn check() {}
}
impl<T: ?Sized> AmbiguousIfSend<()> for T {}
impl<T: ?Sized + Send> AmbiguousIfSend<u8> for T {}

/// Fails to compile if the type is `Send`.
///
/// # Examples
///
/// ```
/// test_support::assert_not_send!(std::rc::Rc<u8>);
/// ```
///
/// ```compile_fail
/// test_support::assert_not_send!(String);
/// ```
#[macro_export]
macro_rules! assert_not_send {
    ($type:ty) => {
        <$type as $crate::AmbiguousIfSend<_>>::check()
    };
}

/// Counts the drops of the items it makes, for the tests that check that
/// every item is dropped exactly once.
///
/// # Examples
///
/// ```
/// let counter = test_support::DropCounter::default();
/// let item = counter.item();
/// assert_eq!(counter.drops(), 0);
/// drop(item);
/// assert_eq!(counter.drops(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct DropCounter(Arc<AtomicUsize>);

impl DropCounter {
    /// A new item whose drop this counter counts.
    pub fn item(&self) -> Counted {
        Counted(Arc::clone(&self.0))
    }

    /// How many of its items have been dropped.
    pub fn drops(&self) -> usize {
        // SeqCst, the simplest to reason about: tests read the count after
        // joining the threads that dropped, so any ordering would do.
        self.0.load(Ordering::SeqCst)
    }
}

/// An item made by a [`DropCounter`], which counts its drop.
///
/// # Examples
///
/// ```
/// let counter = test_support::DropCounter::default();
/// drop(vec![counter.item(), counter.item()]);
/// assert_eq!(counter.drops(), 2);
/// ```
#[derive(Debug)]
pub struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        // SeqCst: see `DropCounter::drops`.
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Drops two handles, `first` before `second`; the drop tests call it both
/// ways round, since either handle may be the last.
///
/// # Examples
///
/// ```
/// let counter = test_support::DropCounter::default();
/// test_support::drop_in_order(counter.item(), counter.item());
/// assert_eq!(counter.drops(), 2);
/// ```
pub fn drop_in_order<A, B>(first: A, second: B) {
    drop(first);
    drop(second);
}

/// The calling thread's on-CPU time so far, from Linux's
/// `/proc/thread-self/schedstat` (nanoseconds), or `None` elsewhere.
///
/// # Examples
///
/// ```
/// if let Some(before) = test_support::thread_cpu_time() {
///     let started = std::time::Instant::now();
///     while started.elapsed() < std::time::Duration::from_millis(20) {}
///     assert!(test_support::thread_cpu_time().unwrap() > before);
/// }
/// ```
pub fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Whether CPU time is worth measuring in this run: not under Miri or a
/// sanitizer (whose runs `cargo xtask` marks with their options), which
/// multiply the cost of every instruction.
///
/// # Examples
///
/// ```
/// assert!(!test_support::cpu_time_is_meaningful() || !cfg!(miri));
/// ```
pub fn cpu_time_is_meaningful() -> bool {
    !cfg!(miri)
        && std::env::var_os("TSAN_OPTIONS").is_none()
        && std::env::var_os("ASAN_OPTIONS").is_none()
}

/// Sends `rate` numbers a second for `duration` through `push` from a new
/// thread, sleeping until each is due, and returns the thread: the feed of
/// the paced-stream CPU tests.
///
/// # Examples
///
/// ```
/// let (sender, receiver) = std::sync::mpsc::channel();
/// let feed = test_support::paced_feed(1_000, std::time::Duration::from_millis(5), move |n| {
///     sender.send(n).unwrap();
/// });
/// feed.join().unwrap();
/// assert_eq!(receiver.iter().count(), 5);
/// ```
pub fn paced_feed(
    rate: u64,
    duration: Duration,
    mut push: impl FnMut(u64) + Send + 'static,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let count = (rate as f64 * duration.as_secs_f64()) as u64;
        let period = Duration::from_secs_f64(1.0 / rate as f64);
        let start = std::time::Instant::now();
        for index in 0..count {
            let due = start + period.mul_f64(index as f64);
            let now = std::time::Instant::now();
            if due > now {
                thread::sleep(due - now);
            }
            push(index);
        }
    })
}

/// The share of one core that a paced stream's consumer used: `push` is
/// fed `rate` numbers a second for `duration` from a new thread (see
/// [`paced_feed`]), while `consume` runs on the calling thread until the
/// stream ends and returns how many numbers it received, which must be all
/// of them. `None` where CPU time is not worth measuring (see
/// [`cpu_time_is_meaningful`]) or the system has no thread clock.
///
/// # Panics
///
/// If `consume` received another count than was sent.
///
/// # Examples
///
/// ```
/// let (sender, receiver) = std::sync::mpsc::channel();
/// let share = test_support::paced_consumer_cpu_share(
///     1_000,
///     std::time::Duration::from_millis(20),
///     move |n| sender.send(n).unwrap(),
///     move || receiver.iter().count() as u64,
/// );
/// assert!(share.is_none_or(|share| share < 1.0));
/// ```
pub fn paced_consumer_cpu_share(
    rate: u64,
    duration: Duration,
    push: impl FnMut(u64) + Send + 'static,
    consume: impl FnOnce() -> u64,
) -> Option<f64> {
    if !cpu_time_is_meaningful() {
        return None;
    }
    let before = thread_cpu_time()?;
    let started = std::time::Instant::now();
    let feed = paced_feed(rate, duration, push);
    let received = consume();
    let cpu = thread_cpu_time()? - before;
    let share = cpu.as_secs_f64() / started.elapsed().as_secs_f64();
    feed.join().unwrap();
    let sent = (rate as f64 * duration.as_secs_f64()) as u64;
    assert_eq!(received, sent, "the consumer missed items");
    Some(share)
}

/// How many times the calling thread has been put on a CPU so far (the
/// third field of `/proc/thread-self/schedstat`): a waiter that sleeps
/// until woken runs once per wake-up, one that naps and looks again runs
/// once per nap. `None` where the system does not tell.
///
/// # Examples
///
/// ```
/// if let Some(before) = test_support::thread_run_count() {
///     std::thread::sleep(std::time::Duration::from_millis(2));
///     assert!(test_support::thread_run_count().unwrap() > before);
/// }
/// ```
pub fn thread_run_count() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().nth(2)?.parse().ok()
}

/// Makes every later `membarrier` system call of the process fail with
/// `EPERM`, as a sandbox's seccomp filter may: for the tests of how the
/// rings cope when `membarrier` fails after its registration. The filter
/// covers every thread of the process and the threads started later, and
/// cannot be removed, so a test binary that calls it tests nothing else.
///
/// # Errors
///
/// Where the filter cannot be built or installed (not Linux, a kernel
/// without seccomp, a sandbox that forbids adding filters), with the
/// reason.
///
/// # Examples
///
/// ```no_run
/// // In a test binary of its own: this holds for the rest of the process.
/// test_support::make_membarrier_fail().unwrap();
/// ```
pub fn make_membarrier_fail() -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        use seccompiler::{BpfProgram, SeccompAction, SeccompFilter};
        let rules = [(libc::SYS_membarrier, Vec::new())].into_iter().collect();
        let filter = SeccompFilter::new(
            rules,
            SeccompAction::Allow,
            SeccompAction::Errno(libc::EPERM as u32),
            std::env::consts::ARCH
                .try_into()
                .map_err(|error| format!("no seccomp filter for this architecture: {error}"))?,
        )
        .map_err(|error| format!("could not build the seccomp filter: {error}"))?;
        let program: BpfProgram = filter
            .try_into()
            .map_err(|error| format!("could not compile the seccomp filter: {error}"))?;
        seccompiler::apply_filter_all_threads(&program)
            .map_err(|error| format!("could not install the seccomp filter: {error}"))
    }
    #[cfg(not(target_os = "linux"))]
    Err("seccomp filters exist only on Linux".to_owned())
}
