//! A timer thread for tasks whose wait cannot rely on being woken.
//!
//! After a `membarrier` call failed (see ring-core's `fence`), a ring made
//! before the failure cannot vouch for its wake-ups until the other side
//! has acknowledged its switch to full fences (see ring-core's
//! `WaiterFlag`): a waiter must look again soon by itself. A thread parks
//! with a timeout. A task has no timer on an executor this crate does not
//! know, and waking itself at once would keep its executor's thread busy
//! for as long as it waits; so its waker goes to this timer, a thread
//! started on first use, which wakes it after a nap. Nothing else uses it:
//! a process whose `membarrier` never fails never starts it.

use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::task::Waker;
use std::thread;
use std::time::Duration;

/// How long a waiter whose wait cannot be vouched for sleeps before it
/// looks again: short enough for deadlines to hold within a millisecond or
/// two, long enough that a task waiting for long costs a few microseconds
/// per millisecond.
pub(crate) const NAP: Duration = Duration::from_millis(1);

/// The wakers due at the end of the current nap.
static DUE: Mutex<Vec<Waker>> = Mutex::new(Vec::new());
/// Signalled when a waker is added, for a timer thread with nothing due.
static ADDED: Condvar = Condvar::new();
/// Whether the timer thread could be started, decided on first use.
static STARTED: OnceLock<bool> = OnceLock::new();

/// Wakes `waker` after about [`NAP`] (between one and two naps), from the
/// timer thread. If the thread cannot be started, wakes it at once: the
/// task then looks again straight away, busy but never lost.
pub(crate) fn wake_after_nap(waker: &Waker) {
    let started = *STARTED.get_or_init(|| {
        thread::Builder::new()
            .name("ring-async nap timer".into())
            .spawn(run)
            .is_ok()
    });
    if !started {
        waker.wake_by_ref();
        return;
    }
    let mut due = lock(&DUE);
    if !due.iter().any(|queued| queued.will_wake(waker)) {
        due.push(waker.clone());
    }
    drop(due);
    ADDED.notify_one();
}

/// The timer thread: sleeps while nothing is due, otherwise naps once and
/// wakes every waker that was due by then.
fn run() {
    loop {
        let mut due = lock(&DUE);
        while due.is_empty() {
            due = ADDED
                .wait(due)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        drop(due);
        thread::sleep(NAP);
        let woken = std::mem::take(&mut *lock(&DUE));
        for waker in woken {
            // A waker that panics must not stop the timer, or every later
            // nap would last for ever; its own task is the one it fails.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| waker.wake()));
        }
    }
}

/// Locks `mutex`, ignoring poison: the list of wakers stays valid whatever
/// panicked while it was locked.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
