//! What the ring-async tests share: the executors every test runs on, and a
//! waker that counts its wake-ups.

#![allow(dead_code, reason = "each test file uses a part")]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Poll, Wake, Waker};
use std::thread;

/// Where the two sides of a test run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Executor {
    /// Two tasks spawned on a tokio multi-thread runtime with two workers.
    TokioMultiThread,
    /// Each side on its own tokio current-thread runtime, on its own thread.
    TokioCurrentThreadPair,
    /// Both sides joined in one task under `futures::executor::block_on`:
    /// one thread, so each side runs only while the other is pending.
    FuturesJoin,
    /// Each side under `futures::executor::block_on` on its own thread.
    FuturesThreadPair,
}

impl Executor {
    /// Every executor this machine runs; Miri runs only `futures`'
    /// (tokio's runtimes under Miri take far too long for their value).
    pub fn all() -> &'static [Executor] {
        if cfg!(miri) {
            &[Executor::FuturesJoin, Executor::FuturesThreadPair]
        } else {
            &[
                Executor::TokioMultiThread,
                Executor::TokioCurrentThreadPair,
                Executor::FuturesJoin,
                Executor::FuturesThreadPair,
            ]
        }
    }

    /// Runs `first` and `second` concurrently on this executor and returns
    /// both outputs. Panics in either side are passed on.
    pub fn run_pair<A, B>(
        self,
        first: impl Future<Output = A> + Send + 'static,
        second: impl Future<Output = B> + Send + 'static,
    ) -> (A, B)
    where
        A: Send + 'static,
        B: Send + 'static,
    {
        match self {
            Executor::TokioMultiThread => {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    let first = tokio::spawn(first);
                    let second = tokio::spawn(second);
                    (first.await.unwrap(), second.await.unwrap())
                })
            }
            Executor::TokioCurrentThreadPair => {
                let second = thread::spawn(move || on_current_thread_runtime(second));
                let first = on_current_thread_runtime(first);
                (first, join(second))
            }
            Executor::FuturesJoin => {
                futures::executor::block_on(async { futures::join!(first, second) })
            }
            Executor::FuturesThreadPair => {
                let second = thread::spawn(move || futures::executor::block_on(second));
                let first = futures::executor::block_on(first);
                (first, join(second))
            }
        }
    }

    /// Runs one future to completion on this executor.
    pub fn run<A: Send + 'static>(self, future: impl Future<Output = A> + Send + 'static) -> A {
        self.run_pair(future, async {}).0
    }
}

fn on_current_thread_runtime<T>(future: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn join<T>(handle: thread::JoinHandle<T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// A waker that counts how often it was woken.
#[derive(Default)]
pub struct CountingWaker(AtomicUsize);

impl CountingWaker {
    /// A new counter and the waker that bumps it.
    pub fn new() -> (Arc<CountingWaker>, Waker) {
        let counter = Arc::new(CountingWaker::default());
        let waker = Waker::from(Arc::clone(&counter));
        (counter, waker)
    }

    /// How many wake-ups so far.
    pub fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Polls a wait with `poll` (whose task's waker is `counter`'s) until it is
/// registered or over. A wait whose other side last waited or woke it on
/// this thread first yields: its first poll wakes its own task and returns
/// `Pending` without registering, so that the other side, most likely a
/// task queued on the same thread, runs first. This polls once more after
/// such a yield and takes the yield's wake-up off the count, so that the
/// count still says how often the other side woke the task.
pub fn poll_registered<T>(counter: &CountingWaker, mut poll: impl FnMut() -> Poll<T>) -> Poll<T> {
    let before = counter.wakes();
    let outcome = poll();
    if outcome.is_ready() || counter.wakes() == before {
        return outcome;
    }
    assert_eq!(counter.wakes(), before + 1, "a yield wakes its task once");
    counter.0.fetch_sub(1, Ordering::SeqCst);
    let again = poll();
    assert_eq!(counter.wakes(), before, "a wait yields once per position");
    again
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
