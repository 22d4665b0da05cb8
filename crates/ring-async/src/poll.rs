//! The low-level poll forms of the waits, on which the futures, the
//! `Stream`/`Sink` implementations and the blocking forms are built.

use std::task::{Context, Poll};

use crate::task_slot::TaskSlot;
use crate::{
    AsyncState, Consumer, Disconnected, PopError, Producer, PushError, TryPopError, TryPushError,
};

/// How many extra looks at the ring a poll takes, each after one
/// `spin_loop` hint, before it registers its waker: a few microseconds. A
/// peer running on another core usually acts within that time, and
/// catching it saves the registration's heavy fence (a system call) and a
/// trip through the executor on both sides. In the round-trip benchmark, 32
/// polls gave about 7 times kanal's round-trip time and 2048 about a third
/// of it. A poll skips the spin when the peer last waited on the same
/// thread, where spinning would only delay it; loom explores the protocol,
/// not the spinning, so none there.
const POLLS_BEFORE_REGISTERING: u32 = if cfg!(loom) { 0 } else { 2048 };

/// How many looks at the ring a poll takes inline, each followed by one
/// `spin_loop` hint, before it calls the out-of-line waiting code. A
/// streaming side finds the ring empty or full for a moment again and
/// again; catching those moments inline keeps the waiting code off the hot
/// path. In the throughput benchmark (two tokio workers) this took
/// ring-async from about 55 to about 110 million items per second. None
/// under loom, where more looks would only multiply the interleavings.
const INLINE_POLLS: u32 = if cfg!(loom) { 0 } else { 8 };

/// Tries `attempt` (which returns `Some` once a wait is over) a few times
/// inline; the fast path of every poll.
#[cfg_attr(
    loom,
    allow(clippy::reversed_empty_ranges, reason = "no spinning under loom")
)]
#[inline(always)]
pub(crate) fn attempt_inline<H, R>(
    handle: &mut H,
    mut attempt: impl FnMut(&mut H) -> Option<R>,
) -> Option<R> {
    for _ in 0..INLINE_POLLS {
        if let Some(result) = attempt(handle) {
            return Some(result);
        }
        std::hint::spin_loop();
    }
    attempt(handle)
}

/// Which side a poll waits on.
#[derive(Clone, Copy, Debug)]
enum Side {
    Producer,
    Consumer,
}

impl Side {
    /// This side's task slot and the other side's.
    fn slots(self, state: &AsyncState) -> (&TaskSlot, &TaskSlot) {
        match self {
            Side::Producer => (&state.producer, &state.consumer),
            Side::Consumer => (&state.consumer, &state.producer),
        }
    }
}

/// Polls a wait: tries `attempt` (which returns `Some` once the wait is
/// over), spins briefly unless the peer shares the thread, then registers
/// the task in its side's slot and tries once more before returning
/// `Pending`, as the protocol of `task_slot` requires.
#[cfg_attr(
    loom,
    allow(clippy::reversed_empty_ranges, reason = "no spinning under loom")
)]
#[inline(never)]
fn poll_slow<H, R>(
    handle: &mut H,
    cx: &mut Context<'_>,
    side: Side,
    state: fn(&H) -> &AsyncState,
    mut attempt: impl FnMut(&mut H) -> Option<R>,
) -> Poll<R> {
    let spin = if cfg!(loom) {
        false
    } else {
        let (mine, peer) = side.slots(state(handle));
        !mine.shares_thread_with(peer)
    };
    if spin {
        for _ in 0..POLLS_BEFORE_REGISTERING {
            std::hint::spin_loop();
            if let Some(result) = attempt(handle) {
                return Poll::Ready(result);
            }
        }
    }
    let paired = side.slots(state(handle)).0.register(cx.waker());
    if let Some(result) = attempt(handle) {
        side.slots(state(handle)).0.withdraw();
        return Poll::Ready(result);
    }
    if !paired {
        // The heavy fence could not vouch for the other side (a failing
        // `membarrier`): a wake-up may have been missed, so ask to be
        // polled again rather than rely on one.
        cx.waker().wake_by_ref();
    }
    Poll::Pending
}

impl<T> Producer<T> {
    /// Tries to push the value in `value`, leaving it there while the ring
    /// is full; the attempt of the `Push` future.
    #[inline(always)]
    pub(crate) fn attempt_push(
        &mut self,
        value: &mut Option<T>,
    ) -> Option<Result<(), PushError<T>>> {
        let item = value
            .take()
            .expect("a push future polled after it completed");
        match self.inner.try_push(item) {
            Ok(()) => Some(Ok(())),
            Err(TryPushError::Full(item)) => {
                *value = Some(item);
                None
            }
            Err(TryPushError::Disconnected(item)) => Some(Err(PushError(item))),
        }
    }

    /// Polls a push of the value held in `value`: `Ready` once it is in the
    /// ring (leaving `None`) or the consumer is gone (handing it back in the
    /// error), `Pending` while the ring is full (the value stays in
    /// `value`).
    #[inline]
    pub(crate) fn poll_push_value(
        &mut self,
        cx: &mut Context<'_>,
        value: &mut Option<T>,
    ) -> Poll<Result<(), PushError<T>>> {
        match attempt_inline(self, |producer| producer.attempt_push(value)) {
            Some(result) => Poll::Ready(result),
            None => poll_slow(
                self,
                cx,
                Side::Producer,
                |producer| producer.inner.wait_state(),
                |producer| producer.attempt_push(value),
            ),
        }
    }

    /// Whether the wait for free slots is over, and how.
    fn free_slots_ready(&self) -> Option<Result<usize, Disconnected>> {
        if self.inner.is_disconnected() {
            return Some(Err(Disconnected));
        }
        match self.inner.free_slots() {
            0 => None,
            free => Some(Ok(free)),
        }
    }

    /// Polls for free slots: `Ready(Ok(n))` with `n >= 1` free slots,
    /// `Ready(Err(Disconnected))` once the consumer is gone, and `Pending`
    /// (with the task registered to be woken) while the ring is full.
    ///
    /// The low-level form of [`wait_free_slots`](Self::wait_free_slots),
    /// for hand-written futures and `Sink`-like adapters: after a
    /// `Ready(Ok(n))`, the next `n` pushes succeed without waiting, because
    /// only the consumer changes the ring otherwise, and it only frees
    /// slots.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::task::Poll;
    ///
    /// let (mut producer, mut consumer) = ring_async::channel(2);
    /// let waker = futures::task::noop_waker();
    /// let mut cx = std::task::Context::from_waker(&waker);
    /// assert_eq!(producer.poll_free_slots(&mut cx), Poll::Ready(Ok(2)));
    /// producer.push_slice(&[1, 2]);
    /// assert_eq!(producer.poll_free_slots(&mut cx), Poll::Pending);
    /// assert_eq!(consumer.try_pop(), Ok(1));
    /// assert_eq!(producer.poll_free_slots(&mut cx), Poll::Ready(Ok(1)));
    /// ```
    #[inline]
    pub fn poll_free_slots(&mut self, cx: &mut Context<'_>) -> Poll<Result<usize, Disconnected>> {
        match attempt_inline(self, |producer| producer.free_slots_ready()) {
            Some(result) => Poll::Ready(result),
            None => poll_slow(
                self,
                cx,
                Side::Producer,
                |producer| producer.inner.wait_state(),
                |producer| producer.free_slots_ready(),
            ),
        }
    }
}

impl<T> Consumer<T> {
    /// Tries to pop an item; the attempt of every pop.
    #[inline(always)]
    pub(crate) fn attempt_pop(&mut self) -> Option<Result<T, PopError>> {
        match self.inner.try_pop() {
            Ok(value) => Some(Ok(value)),
            Err(TryPopError::Empty) => None,
            Err(TryPopError::Disconnected) => Some(Err(PopError)),
        }
    }

    /// Polls for the oldest item: `Ready(Ok(item))` once there is one,
    /// `Ready(Err(PopError))` once the producer is gone and every item it
    /// pushed has been popped, and `Pending` (with the task registered to be
    /// woken) while the ring is empty.
    ///
    /// The low-level form of [`pop`](Self::pop), for hand-written futures
    /// and streams. A task polled again with another waker has the latest
    /// one woken.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::task::Poll;
    ///
    /// let (mut producer, mut consumer) = ring_async::channel(2);
    /// let waker = futures::task::noop_waker();
    /// let mut cx = std::task::Context::from_waker(&waker);
    /// assert_eq!(consumer.poll_pop(&mut cx), Poll::Pending);
    /// producer.try_push(7).unwrap();
    /// assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Ok(7)));
    /// drop(producer);
    /// assert_eq!(consumer.poll_pop(&mut cx), Poll::Ready(Err(ring_async::PopError)));
    /// ```
    #[inline]
    pub fn poll_pop(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, PopError>> {
        match attempt_inline(self, Self::attempt_pop) {
            Some(result) => Poll::Ready(result),
            None => poll_slow(
                self,
                cx,
                Side::Consumer,
                |consumer| consumer.inner.wait_state(),
                Self::attempt_pop,
            ),
        }
    }

    /// Whether the wait for items is over, and how. The disconnection is
    /// read before the ring, so that the items pushed before the producer
    /// left are all seen.
    fn items_ready(&self) -> Option<Result<usize, PopError>> {
        let disconnected = self.inner.is_disconnected();
        match self.inner.len() {
            0 if disconnected => Some(Err(PopError)),
            0 => None,
            items => Some(Ok(items)),
        }
    }

    /// Polls for items without popping them: `Ready(Ok(n))` with `n >= 1`
    /// items in the ring, `Ready(Err(PopError))` once the producer is gone
    /// and the ring is drained, and `Pending` (with the task registered to
    /// be woken) while the ring is empty.
    ///
    /// The low-level form of [`wait_items`](Self::wait_items), for batch
    /// reads: after a `Ready(Ok(n))`, [`read_chunk`](Self::read_chunk) or
    /// [`pop_slice`](Self::pop_slice) finds at least `n` items.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::task::Poll;
    ///
    /// let (mut producer, mut consumer) = ring_async::channel(4);
    /// let waker = futures::task::noop_waker();
    /// let mut cx = std::task::Context::from_waker(&waker);
    /// assert_eq!(consumer.poll_items(&mut cx), Poll::Pending);
    /// producer.push_slice(&[1, 2, 3]);
    /// assert_eq!(consumer.poll_items(&mut cx), Poll::Ready(Ok(3)));
    /// assert_eq!(consumer.read_chunk(3).into_iter().sum::<i32>(), 6);
    /// ```
    #[inline]
    pub fn poll_items(&mut self, cx: &mut Context<'_>) -> Poll<Result<usize, PopError>> {
        match attempt_inline(self, |consumer| consumer.items_ready()) {
            Some(result) => Poll::Ready(result),
            None => poll_slow(
                self,
                cx,
                Side::Consumer,
                |consumer| consumer.inner.wait_state(),
                |consumer| consumer.items_ready(),
            ),
        }
    }
}
