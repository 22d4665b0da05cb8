//! The low-level poll forms of the waits, on which the futures, the
//! `Stream`/`Sink` implementations and the blocking forms are built.

use std::task::{Context, Poll, Waker};

use ring_core::handshake::BUSY_PUBLICATIONS;
use ring_core::spin::Spinner;

use crate::task_slot::TaskSlot;
use crate::{
    AsyncState, Consumer, Disconnected, PopError, Producer, PushError, TryPopError, TryPushError,
};

/// How many quick looks at the ring a wait takes after its first attempt
/// failed, each after one `spin_loop` hint, before the rest of the waiting
/// code (which checks the other side's thread and spins on a budget). A
/// streaming side finds the ring empty or full for a moment again and
/// again; catching those moments cheaply keeps the heavier waiting code off
/// the path of a stream. None under loom, where more looks would only
/// multiply the interleavings.
const INLINE_POLLS: u32 = if cfg!(loom) { 0 } else { 8 };

/// The longest run of items a handle may move between two waits while
/// the other side shares its thread for the two to count as taking turns
/// (a ping-pong, or a ring too small to batch): such waits register in
/// the handshake's symmetric mode instead of yielding. Longer runs are a
/// stream, whose rare waits yield. As many as the wakers fence in the
/// symmetric mode before they ask the waiter to leave it, so that sides
/// taking turns stay in that mode. (Under loom the co-location branch is
/// compiled out, so loom's smaller count does not matter here.)
const TAKING_TURNS_RUN: usize = BUSY_PUBLICATIONS as usize;

/// The fast path of the blocking forms: `first` is the caller's first
/// attempt, made inline (as for [`wait`], whose docs say why); if it came
/// back empty, tries `attempt` (which returns `Some` once a wait is over) a
/// few more times in [`attempt_again`].
#[inline(always)]
pub(crate) fn attempt_inline<H, R>(
    handle: &mut H,
    first: Option<R>,
    attempt: impl FnMut(&mut H) -> Option<R>,
) -> Option<R> {
    match first {
        Some(result) => Some(result),
        None => attempt_again(handle, attempt),
    }
}

/// The next [`INLINE_POLLS`] looks, each after one `spin_loop` hint, out
/// of line: unrolled inline, they made the hot loop of a stream several
/// times larger, and it ran at half the speed of a plain `try_pop` loop.
#[cfg_attr(
    loom,
    allow(clippy::reversed_empty_ranges, reason = "no spinning under loom")
)]
#[inline(never)]
fn attempt_again<H, R>(handle: &mut H, mut attempt: impl FnMut(&mut H) -> Option<R>) -> Option<R> {
    for _ in 0..INLINE_POLLS {
        std::hint::spin_loop();
        if let Some(result) = attempt(handle) {
            return Some(result);
        }
    }
    None
}

/// Which side a wait is on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Side {
    Producer,
    Consumer,
}

/// What a waiting handle gives the wait: its side, the ring's waiting
/// state, and its own spinner.
pub(crate) trait Waiting {
    const SIDE: Side;
    fn ring_state(&self) -> &AsyncState;
    fn spinner(&mut self) -> &mut Spinner;
    /// The waker of this side's announcement while it stands: set when a
    /// wait ends `Pending` after a paired registration, taken by the next
    /// wait that gets past its first attempt.
    fn standing(&mut self) -> &mut Option<Waker>;
    /// This handle's position in the ring (see ring-core's `position`).
    fn position(&self) -> usize;
    /// The ring's capacity.
    fn capacity(&self) -> usize;
    /// The position of this handle's last wait while the other side was on
    /// the same thread.
    fn colocated_wait_at(&mut self) -> &mut Option<usize>;

    /// How many items this handle moved since it was at position `earlier`
    /// (positions run over `0 .. 2 * capacity`, so a run of more than twice
    /// the capacity looks shorter: the answer is a hint).
    fn moved_since(&self, earlier: usize) -> usize {
        let period = 2 * self.capacity();
        (self.position() + period - earlier) % period
    }

    /// Ends this side's wait for good: a future whose last poll returned
    /// `Pending` was dropped. Withdraws the announcement and drops the
    /// registered waker, so that the other side neither wakes a task that
    /// no longer waits nor keeps its waker alive. No later wait of this
    /// handle loses a wake-up by it: each announces itself anew.
    fn cancel_wait(&mut self) {
        *self.standing() = None;
        let (mine, _) = self.slots();
        // Only if it stands: a store into this line, which the other side
        // loads at every publication, would move it between the cores.
        if mine.is_announced() {
            mine.withdraw();
        }
        mine.forget();
    }

    /// This side's task slot and the other side's.
    fn slots(&self) -> (&TaskSlot, &TaskSlot) {
        let state = self.ring_state();
        match Self::SIDE {
            Side::Producer => (&state.producer, &state.consumer),
            Side::Consumer => (&state.consumer, &state.producer),
        }
    }
}

impl<T> Waiting for Producer<T> {
    const SIDE: Side = Side::Producer;

    fn ring_state(&self) -> &AsyncState {
        self.inner.wait_state()
    }

    fn spinner(&mut self) -> &mut Spinner {
        &mut self.spinner
    }

    fn standing(&mut self) -> &mut Option<Waker> {
        &mut self.standing
    }

    fn position(&self) -> usize {
        self.inner.position()
    }

    fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    fn colocated_wait_at(&mut self) -> &mut Option<usize> {
        &mut self.colocated_wait_at
    }
}

impl<T> Waiting for Consumer<T> {
    const SIDE: Side = Side::Consumer;

    fn ring_state(&self) -> &AsyncState {
        self.inner.wait_state()
    }

    fn spinner(&mut self) -> &mut Spinner {
        &mut self.spinner
    }

    fn standing(&mut self) -> &mut Option<Waker> {
        &mut self.standing
    }

    fn position(&self) -> usize {
        self.inner.position()
    }

    fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    fn colocated_wait_at(&mut self) -> &mut Option<usize> {
        &mut self.colocated_wait_at
    }
}

/// Why a wait is not over yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotReady {
    /// The task is registered, and the other side's next move wakes it.
    Registered,
    /// The task is registered, but the heavy fence could not vouch for the
    /// other side (a failing `membarrier`, see ring-core's `fence`): a
    /// wake-up may be missed, so the waiter must look again soon instead of
    /// relying on one.
    Unpaired,
}

/// Waits without blocking: `first` is the caller's first attempt, made
/// inline; if it came back empty, the wait goes on out of line with
/// `attempt` (which returns `Some` once the wait is over; see
/// [`wait_slow`]).
///
/// The caller makes the first attempt by a direct call (`attempt_push` and
/// `attempt_pop` are `#[inline(always)]`), not through `attempt`: LLVM does
/// not always inline a closure that is also handed to an out-of-line
/// function. In the benchmark's binary it did not, and every push and pop
/// of a stream paid a function call (ring-async streamed at about 58 M
/// items/s on two tokio workers instead of about 94), while a smaller
/// binary got it inlined.
#[inline(always)]
pub(crate) fn wait<H: Waiting, R>(
    handle: &mut H,
    waker: &Waker,
    first: Option<R>,
    attempt: impl FnMut(&mut H) -> Option<R>,
) -> Result<R, NotReady> {
    match first {
        Some(result) => Ok(result),
        None => wait_slow(handle, waker, attempt),
    }
}

/// The out-of-line part of a wait, after a first attempt failed.
///
/// A poll again with the waker of an announcement that still stands (a
/// spurious poll, common under `join!` and `select!`) registers the waker
/// again and looks once more, without announcing: the announcement and its
/// heavy fence from the poll that made it still hold, so any publication
/// since then finds it and wakes the registered waker, which wakes this
/// task. Announcing anew would cost a `membarrier` call per poll, each
/// interrupting every core that runs a thread of the process. If the flag
/// was taken meanwhile (even if this load does not see it yet), the taker
/// wakes the same task.
///
/// Otherwise: a few quick looks (see [`INLINE_POLLS`]; none while the
/// handle's [`Spinner`] expects long waits); then, if the other side was
/// last seen on this thread (where it cannot act while this task spins),
/// either a registration in the handshake's symmetric mode, when the two
/// sides take turns, or a yield, once per position of the handle, when
/// they stream (see [`TAKING_TURNS_RUN`]); otherwise a spin as the handle's
/// [`Spinner`] says, to catch the other side acting: a few microseconds at
/// most by default, so that a poll never holds its executor's thread for
/// long. Then it registers `waker` in its side's slot and tries once more,
/// as the protocol of `task_slot` requires.
#[inline(never)]
fn wait_slow<H: Waiting, R>(
    handle: &mut H,
    waker: &Waker,
    mut attempt: impl FnMut(&mut H) -> Option<R>,
) -> Result<R, NotReady> {
    // Kept for reuse below: a waker clone per wait is a reference count
    // increment at best, an allocation at worst.
    let standing = handle
        .standing()
        .take()
        .filter(|standing| standing.will_wake(waker));
    if standing.is_some() && handle.slots().0.is_announced() {
        // Registered again all the same (no clone: it is the same waker): a
        // wake that raced with an earlier wait of this handle may have taken
        // the waker out of the slot without taking this announcement, and
        // the other side would then find the announcement and wake nobody.
        // loom found that interleaving.
        handle.slots().0.register_waker(waker);
        if let Some(result) = attempt(handle) {
            handle.slots().0.withdraw();
            return Ok(result);
        }
        *handle.standing() = standing;
        return Err(NotReady::Registered);
    }
    // The quick looks catch a busy stream's moments; on a stream whose
    // last few waits all outlasted the spin, they only add about 0.3 µs to
    // every wait, and the spin (at its shortest there) still catches a
    // stream that speeds up again.
    if !handle.spinner().expects_long_waits() {
        if let Some(result) = attempt_again(handle, &mut attempt) {
            return Ok(result);
        }
    }
    // loom explores the protocol, not the spinning or the scheduling.
    let colocated = !cfg!(loom) && {
        let (mine, peer) = handle.slots();
        mine.shares_thread_with(peer)
    };
    let mut in_turn = false;
    if colocated {
        // The other side last waited, or woke this side, on this thread, so
        // it is most likely a task queued behind this one, and cannot act
        // while this task runs: a spin would be wasted. A plain
        // registration costs a heavy fence (a `membarrier` call, which
        // interrupts every core running a thread of the process). How to
        // wait instead depends on how many items this handle moved since
        // its last such wait.
        let position = handle.position();
        let last = handle.colocated_wait_at().replace(position);
        match last {
            Some(last) if handle.moved_since(last) < TAKING_TURNS_RUN => {
                // The two sides take turns (or this is the next poll at the
                // same position): register in the symmetric mode, a full
                // fence on each side, and let the other side's publication
                // wake this task. A yield here is no cheaper on a
                // current-thread executor, and on tokio's multi-thread
                // runtime it is far dearer: tokio requeues a task that woke
                // itself as a yield and wakes an idle worker for it, which
                // then steals one of the two tasks.
                in_turn = true;
            }
            _ => {
                // A stream that filled or drained the ring: the task lets
                // the executor run others and asks to be polled again, as
                // `yield_now` does; the other side then drains or fills the
                // ring without a fence on its publications, which the
                // symmetric mode would ask for. If the ring is still full
                // or empty at the next poll (same position), the wait
                // registers as above: the other side waits for something
                // else, and a task must not poll itself in a loop.
                handle.slots().0.relax_unless_announced();
                *handle.standing() = standing;
                waker.wake_by_ref();
                return Err(NotReady::Registered);
            }
        }
    } else if !cfg!(loom) {
        // The spinner is copied out and back, as `attempt` borrows the
        // whole handle.
        let mut spinner = *handle.spinner();
        let caught = spinner.spin(None, || attempt(handle));
        *handle.spinner() = spinner;
        if let Some(result) = caught {
            handle.slots().0.relax();
            return Ok(result);
        }
    }
    let paired = if in_turn {
        handle.slots().0.register_in_turn(waker)
    } else {
        // Copied out and back, as the slot borrows the handle.
        let mut spinner = *handle.spinner();
        let paired = handle.slots().0.register(waker, &mut spinner);
        *handle.spinner() = spinner;
        paired
    };
    if let Some(result) = attempt(handle) {
        handle.slots().0.withdraw();
        return Ok(result);
    }
    handle.spinner().slept();
    if paired {
        *handle.standing() = Some(standing.unwrap_or_else(|| waker.clone()));
        Err(NotReady::Registered)
    } else {
        Err(NotReady::Unpaired)
    }
}

/// Runs the poll `poll` within tokio's cooperative budget when the `tokio`
/// feature is on: once the task's budget is spent, it returns `Pending`
/// (having asked to be polled again) without looking at the ring, and a
/// poll that returns `Ready` spends one unit. Outside a tokio runtime, and
/// without the feature, it is `poll` itself.
#[inline(always)]
fn cooperative<R>(cx: &mut Context<'_>, poll: impl FnOnce(&mut Context<'_>) -> Poll<R>) -> Poll<R> {
    #[cfg(feature = "tokio")]
    {
        let budget = std::task::ready!(tokio::task::coop::poll_proceed(cx));
        let outcome = poll(cx);
        if outcome.is_ready() {
            budget.made_progress();
        }
        outcome
    }
    #[cfg(not(feature = "tokio"))]
    poll(cx)
}

/// A wait's outcome as a poll's: an unpaired registration asks the nap
/// timer to wake the task soon, so that it looks again (see `nap_timer`).
#[inline(always)]
fn into_poll<R>(outcome: Result<R, NotReady>, cx: &Context<'_>) -> Poll<R> {
    match outcome {
        Ok(result) => Poll::Ready(result),
        Err(NotReady::Registered) => Poll::Pending,
        Err(NotReady::Unpaired) => {
            wake_soon(cx.waker());
            Poll::Pending
        }
    }
}

/// Has `waker` woken after a nap.
#[cfg(not(loom))]
#[cold]
fn wake_soon(waker: &Waker) {
    crate::nap_timer::wake_after_nap(waker);
}

/// loom's heavy fence always pairs with the flags the flavours make, so
/// this is never reached there.
#[cfg(loom)]
fn wake_soon(_: &Waker) {
    unreachable!("loom's heavy fence always pairs");
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

    /// Waits for a push of the value held in `value`: `Ok` once it is in
    /// the ring (leaving `None`) or the consumer is gone (handing it back
    /// in the error); while the ring is full, the value stays in `value`
    /// and the task of `waker` is registered.
    #[inline(always)]
    pub(crate) fn wait_push(
        &mut self,
        waker: &Waker,
        value: &mut Option<T>,
    ) -> Result<Result<(), PushError<T>>, NotReady> {
        let first = self.attempt_push(value);
        wait(self, waker, first, |producer| producer.attempt_push(value))
    }

    /// [`wait_push`](Self::wait_push) as a poll.
    #[inline(always)]
    pub(crate) fn poll_push_value(
        &mut self,
        cx: &mut Context<'_>,
        value: &mut Option<T>,
    ) -> Poll<Result<(), PushError<T>>> {
        cooperative(cx, |cx| into_poll(self.wait_push(cx.waker(), value), cx))
    }

    /// Polls for free slots: `Ready(Ok(n))` with `n >= 1` free slots,
    /// `Ready(Err(Disconnected))` once the consumer is gone, and `Pending`
    /// (with the task registered to be woken) while the ring is full.
    ///
    /// The low-level form of [`wait_free_slots`](Self::wait_free_slots),
    /// for hand-written futures and `Sink`-like adapters: after a
    /// `Ready(Ok(n))`, the next `n` pushes find room without waiting,
    /// because only the consumer changes the ring otherwise, and it only
    /// frees slots (they still fail if the consumer leaves meanwhile).
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
        self.poll_free_slots_at_least(cx, 1)
    }

    /// Polls for `wanted` free slots, as [`poll_free_slots`] polls for one;
    /// the poll of [`wait_free_slots`](Self::wait_free_slots).
    ///
    /// [`poll_free_slots`]: Self::poll_free_slots
    #[inline]
    pub(crate) fn poll_free_slots_at_least(
        &mut self,
        cx: &mut Context<'_>,
        wanted: usize,
    ) -> Poll<Result<usize, Disconnected>> {
        cooperative(cx, |cx| {
            let first = self.inner.free_slots_reached(wanted);
            let outcome = wait(self, cx.waker(), first, |producer| {
                producer.inner.free_slots_reached(wanted)
            });
            into_poll(outcome, cx)
        })
    }

    /// Polls for the channel's end: `Ready(())` once the consumer is gone
    /// or a side closed the channel, and `Pending` (with the task
    /// registered to be woken, which the consumer's pops do too) until
    /// then. The low-level form of [`closed`](Self::closed).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::task::Poll;
    ///
    /// let (mut producer, consumer) = ring_async::channel::<u8>(2);
    /// let waker = futures::task::noop_waker();
    /// let mut cx = std::task::Context::from_waker(&waker);
    /// assert_eq!(producer.poll_closed(&mut cx), Poll::Pending);
    /// drop(consumer);
    /// assert_eq!(producer.poll_closed(&mut cx), Poll::Ready(()));
    /// ```
    #[inline]
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let first = self.inner.is_disconnected().then_some(());
        let outcome = wait(self, cx.waker(), first, |producer| {
            producer.inner.is_disconnected().then_some(())
        });
        into_poll(outcome, cx)
    }
}

impl<T> Consumer<T> {
    /// Tries to pop an item; the attempt of every pop. It slips while a
    /// busy producer keeps the ring nearly empty (see
    /// [`ring_core::Consumer::try_pop_slipping`]): a spin of 32
    /// `spin_loop` hints at most (0.3 to 1.3 µs), inside the poll, and
    /// none while the producer was last seen on this thread, where it
    /// cannot push during the spin.
    #[inline(always)]
    pub(crate) fn attempt_pop(&mut self) -> Option<Result<T, PopError>> {
        let producer_elsewhere = |state: &AsyncState| !state.producer.last_seen_on_this_thread();
        match self.inner.try_pop_slipping_if(producer_elsewhere) {
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
    #[inline(always)]
    pub fn poll_pop(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, PopError>> {
        cooperative(cx, |cx| into_poll(self.wait_pop(cx.waker()), cx))
    }

    /// Waits for an item: `Ok` with the item, or with the error once the
    /// producer is gone and the ring drained; while the ring is empty, the
    /// task of `waker` is registered.
    #[inline(always)]
    pub(crate) fn wait_pop(&mut self, waker: &Waker) -> Result<Result<T, PopError>, NotReady> {
        let first = self.attempt_pop();
        wait(self, waker, first, Self::attempt_pop)
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
        self.poll_items_at_least(cx, 1)
    }

    /// Polls for `wanted` items, as [`poll_items`](Self::poll_items) polls
    /// for one; the poll of [`wait_items`](Self::wait_items).
    #[inline]
    pub(crate) fn poll_items_at_least(
        &mut self,
        cx: &mut Context<'_>,
        wanted: usize,
    ) -> Poll<Result<usize, PopError>> {
        cooperative(cx, |cx| {
            let first = self.inner.items_reached(wanted);
            let outcome = wait(self, cx.waker(), first, |consumer| {
                consumer.inner.items_reached(wanted)
            });
            into_poll(outcome, cx)
        })
    }
}
