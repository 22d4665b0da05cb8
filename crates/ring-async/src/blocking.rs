//! The blocking forms, for a plain thread at one end of an async ring: they
//! poll the same waits with a waker that unparks the thread.

use std::sync::Arc;
use std::task::{Wake, Waker};
use std::time::Instant;

use crate::poll::{NotReady, Waiting, attempt_inline};
use crate::sync::{Thread, ThreadId, thread};
use crate::{Consumer, PopError, Producer, PushError};

/// Wakes a thread blocked in `push_blocking` or `pop_blocking`.
struct Unparker(Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// A handle's waker for the thread it last blocked on, kept so that
/// blocking again on the same thread registers the same waker, which the
/// ring's `WakerSlot` then does not clone.
#[derive(Default)]
pub(crate) struct ThreadWaker(Option<(ThreadId, Waker)>);

impl ThreadWaker {
    /// The waker that unparks the current thread.
    pub(crate) fn for_current_thread(&mut self) -> &Waker {
        let current = thread::current();
        let id = current.id();
        if self.0.as_ref().is_none_or(|(cached, _)| *cached != id) {
            self.0 = Some((id, Waker::from(Arc::new(Unparker(current)))));
        }
        &self.0.as_ref().expect("set just above").1
    }
}

impl std::fmt::Debug for ThreadWaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ThreadWaker")
            .field(&self.0.as_ref().map(|(id, _)| id))
            .finish()
    }
}

/// Drives a wait to completion on the current thread, or until `deadline`:
/// parks between waits of `wait`, which spin as the handle's spinner says
/// and then register the thread's waker. A wake-up may be spurious and
/// `park` may return spuriously, so it loops until `wait` is over. `state`
/// is what the wait carries between attempts (the value of a push).
///
/// Returns `None` if the deadline passed first. `wait` then ran once more
/// at the deadline, and its registration is withdrawn, so that the other
/// side neither wakes this thread for nothing nor keeps its waker.
pub(crate) fn block_on<H: Waiting, S, R>(
    handle: &mut H,
    state: &mut S,
    thread_waker: fn(&mut H) -> Waker,
    mut wait: impl FnMut(&mut H, &mut S, &Waker) -> Result<R, NotReady>,
    deadline: Option<Instant>,
) -> Option<R> {
    let waker = thread_waker(handle);
    loop {
        let not_ready = match wait(handle, state, &waker) {
            Ok(result) => return Some(result),
            Err(not_ready) => not_ready,
        };
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            handle.cancel_wait();
            return None;
        }
        match not_ready {
            NotReady::Registered => park_until(deadline),
            NotReady::Unpaired => park_briefly(deadline),
        }
    }
}

/// Parks until unparked (perhaps spuriously) or `deadline`.
#[cfg(not(loom))]
fn park_until(deadline: Option<Instant>) {
    match deadline {
        None => thread::park(),
        Some(deadline) => thread::park_timeout(deadline.saturating_duration_since(Instant::now())),
    }
}

/// loom models no clock: its models wait without a deadline.
#[cfg(loom)]
fn park_until(deadline: Option<Instant>) {
    assert!(deadline.is_none(), "loom models no deadlines");
    thread::park();
}

/// Parks for at most a nap (see `nap_timer`), and never past `deadline`,
/// when the registration could not be vouched for (a failing `membarrier`,
/// see ring-core's `fence`); the caller then looks again. ring-park naps
/// the same.
#[cfg(not(loom))]
fn park_briefly(deadline: Option<Instant>) {
    let nap = crate::nap_timer::NAP;
    let nap = deadline.map_or(nap, |deadline| {
        nap.min(deadline.saturating_duration_since(Instant::now()))
    });
    thread::park_timeout(nap);
}

/// loom's heavy fence always pairs, so this is never reached there.
#[cfg(loom)]
fn park_briefly(_: Option<Instant>) {
    unreachable!("loom's heavy fence always pairs");
}

impl<T> Producer<T> {
    /// Pushes `value` from a plain thread, waiting while the ring is full:
    /// spinning briefly, then parking the thread until the consumer (a task
    /// or another thread) frees a slot.
    ///
    /// Do not call it from inside an async task: it blocks the executor's
    /// thread, and with it, perhaps, the consumer.
    ///
    /// # Errors
    ///
    /// Returns the value in a [`PushError`] as soon as the consumer is gone,
    /// also while waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_async::channel(1);
    /// let audio = std::thread::spawn(move || {
    ///     producer.push_blocking(1.0_f32).unwrap();
    ///     producer.push_blocking(2.0).unwrap(); // Parks until 1.0 is popped.
    /// });
    /// let received = futures::executor::block_on(async {
    ///     (consumer.pop().await, consumer.pop().await)
    /// });
    /// audio.join().unwrap();
    /// assert_eq!(received, (Ok(1.0), Ok(2.0)));
    /// ```
    #[inline]
    pub fn push_blocking(&mut self, value: T) -> Result<(), PushError<T>> {
        let mut value = Some(value);
        let first = self.attempt_push(&mut value);
        match attempt_inline(self, first, |producer| producer.attempt_push(&mut value)) {
            Some(result) => result,
            None => self.push_blocking_slow(value),
        }
    }

    /// The waiting part of [`push_blocking`](Self::push_blocking), out of
    /// line. `value` holds the value while the ring is full.
    #[inline(never)]
    fn push_blocking_slow(&mut self, mut value: Option<T>) -> Result<(), PushError<T>> {
        block_on(
            self,
            &mut value,
            |producer| producer.thread_waker.for_current_thread().clone(),
            |producer, value, waker| producer.wait_push(waker, value),
            None,
        )
        .expect("a wait without a deadline ends only when it is over")
    }
}

impl<T> Consumer<T> {
    /// Pops the oldest item on a plain thread, waiting while the ring is
    /// empty: spinning briefly, then parking the thread until the producer
    /// (a task or another thread) pushes an item or is dropped.
    ///
    /// Do not call it from inside an async task: it blocks the executor's
    /// thread, and with it, perhaps, the producer.
    ///
    /// # Errors
    ///
    /// Returns [`PopError`] once the producer is gone and every item it
    /// pushed has been popped.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut producer, mut consumer) = ring_async::channel(4);
    /// let worker = std::thread::spawn(move || {
    ///     let mut jobs = Vec::new();
    ///     while let Ok(job) = consumer.pop_blocking() {
    ///         jobs.push(job);
    ///     }
    ///     jobs
    /// });
    /// futures::executor::block_on(async move {
    ///     for job in ["resize", "encode", "upload"] {
    ///         producer.push(job).await.unwrap();
    ///     }
    /// });
    /// assert_eq!(worker.join().unwrap(), ["resize", "encode", "upload"]);
    /// ```
    #[inline]
    pub fn pop_blocking(&mut self) -> Result<T, PopError> {
        let first = self.attempt_pop();
        match attempt_inline(self, first, Self::attempt_pop) {
            Some(result) => result,
            None => self.pop_blocking_slow(),
        }
    }

    /// The waiting part of [`pop_blocking`](Self::pop_blocking), out of
    /// line.
    #[inline(never)]
    fn pop_blocking_slow(&mut self) -> Result<T, PopError> {
        block_on(
            self,
            &mut (),
            |consumer| consumer.thread_waker.for_current_thread().clone(),
            |consumer, (), waker| consumer.wait_pop(waker),
            None,
        )
        .expect("a wait without a deadline ends only when it is over")
    }
}
