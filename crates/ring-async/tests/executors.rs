//! The two sides as tasks on every executor (tokio's multi-thread runtime,
//! two tokio current-thread runtimes on two threads, `futures`' executor
//! on one thread and on two), and as a task facing a plain thread. Each
//! test runs under a watchdog, so a lost wake-up fails it instead of
//! stalling CI.

#![cfg(not(loom))]

mod common;

use std::rc::Rc;
use std::thread;

use common::Executor;
use futures::future::Either;
use futures::{SinkExt, StreamExt};
use ring_async::{Consumer, Disconnected, PopError, Producer, PushError, channel};
use test_support::{
    DropCounter, assert_not_send, assert_send, assert_send_sync, drop_in_order, scaled,
    with_watchdog,
};

/// Pushes `0..count` in order with `push().await`.
async fn push_all(mut producer: Producer<u64>, count: u64) {
    for value in 0..count {
        producer.push(value).await.unwrap();
    }
}

/// Pops until the producer is gone, checking the order; returns the count.
async fn pop_all_in_order(mut consumer: Consumer<u64>) -> u64 {
    let mut expected = 0;
    while let Ok(value) = consumer.pop().await {
        assert_eq!(value, expected);
        expected += 1;
    }
    expected
}

#[test]
fn stream_arrives_complete_and_in_order_on_every_executor() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            for capacity in [1, 3, 1024] {
                let count = scaled(100_000) as u64;
                let (producer, consumer) = channel(capacity);
                let ((), received) =
                    executor.run_pair(push_all(producer, count), pop_all_in_order(consumer));
                assert_eq!(received, count, "{executor:?}, capacity {capacity}");
            }
        }
    });
}

#[test]
fn capacity_one_ping_pong_never_hangs() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            let count = scaled(20_000) as u64;
            let (mut ping_producer, mut ping_consumer) = channel(1);
            let (mut pong_producer, mut pong_consumer) = channel(1);
            let echo = async move {
                while let Ok(value) = ping_consumer.pop().await {
                    pong_producer.push(value).await.unwrap();
                }
            };
            let driver = async move {
                for value in 0..count {
                    ping_producer.push(value).await.unwrap();
                    assert_eq!(pong_consumer.pop().await, Ok(value));
                }
                drop(ping_producer);
                assert_eq!(pong_consumer.pop().await, Err(PopError));
            };
            executor.run_pair(driver, echo);
        }
    });
}

#[test]
fn batches_wait_for_room_and_for_items() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            let count = scaled(100_000) as u64;
            let (mut producer, mut consumer) = channel::<u64>(64);
            let sender = async move {
                let mut next = 0;
                while next < count {
                    let free = producer.wait_free_slots(1).await.unwrap();
                    let end = count.min(next + free as u64);
                    let chunk = producer.write_chunk_uninit(free);
                    assert_eq!(chunk.fill_from_iter(next..end), (end - next) as usize);
                    next = end;
                }
            };
            let receiver = async move {
                let mut expected = 0;
                while let Ok(items) = consumer.wait_items(1).await {
                    for value in consumer.read_chunk(items) {
                        assert_eq!(value, expected);
                        expected += 1;
                    }
                }
                expected
            };
            let ((), received) = executor.run_pair(sender, receiver);
            assert_eq!(received, count, "{executor:?}");
        }
    });
}

#[test]
fn stream_and_sink_round_trip() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            let count = scaled(50_000) as u64;
            let (mut producer, consumer) = channel(16);
            let sender = async move {
                let mut items = futures::stream::iter(0..count).map(Ok);
                producer.send_all(&mut items).await.unwrap();
                producer.close().await.unwrap();
            };
            let received = consumer.collect::<Vec<u64>>();
            let ((), received) = executor.run_pair(sender, received);
            assert!(received.into_iter().eq(0..count), "{executor:?}");
        }
    });
}

#[test]
fn a_sink_fails_once_the_consumer_is_gone() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            let (mut producer, consumer) = channel(1);
            futures::executor::block_on(producer.send(1)).unwrap();
            let sender = async move {
                // The ring is full: waits for room until the consumer leaves.
                producer.send(2).await
            };
            let receiver = async move {
                yield_a_few_times().await;
                drop(consumer);
            };
            let (sent, ()) = executor.run_pair(sender, receiver);
            assert_eq!(sent, Err(Disconnected), "{executor:?}");
        }
    });
}

#[test]
#[should_panic(expected = "call `poll_ready` first")]
fn start_send_without_poll_ready_on_a_full_ring_panics_clearly() {
    use futures::Sink;
    let (mut producer, _consumer) = channel(1);
    std::pin::Pin::new(&mut producer).start_send(1).unwrap();
    let _ = std::pin::Pin::new(&mut producer).start_send(2);
}

#[test]
fn drop_wakes_the_waiting_side_in_both_directions() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            // A pending pop is woken by the producer's drop.
            let (producer, mut consumer) = channel::<u8>(1);
            let waiter = async move { consumer.pop().await };
            let dropper = async move {
                yield_a_few_times().await;
                drop(producer);
            };
            assert_eq!(executor.run_pair(waiter, dropper).0, Err(PopError));

            // A pending push is woken by the consumer's drop and gets its
            // value back.
            let (mut producer, consumer) = channel(1);
            producer.try_push(String::from("kept")).unwrap();
            let waiter = async move { producer.push(String::from("back")).await };
            let dropper = async move {
                yield_a_few_times().await;
                drop(consumer);
            };
            let (pushed, ()) = executor.run_pair(waiter, dropper);
            assert_eq!(pushed, Err(PushError(String::from("back"))), "{executor:?}");
        }
    });
}

/// Lets the other side run (and wait) first.
async fn yield_a_few_times() {
    for _ in 0..10 {
        yield_now().await;
    }
}

/// Returns `Pending` once, after asking to be polled again: lets other
/// tasks of the executor run, whatever the executor.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await;
}

#[test]
fn cancelled_pops_and_pushes_inside_select_lose_nothing() {
    with_watchdog(|| {
        let (mut cancelled_pushes, mut cancelled_pops) = (0, 0);
        for &executor in Executor::all() {
            let count = scaled(20_000) as u64;
            let (mut producer, mut consumer) = channel(4);
            let sender = async move {
                let mut cancelled = 0;
                for value in 0..count {
                    let mut value = value;
                    loop {
                        // The push races a yield, polled after it: a push
                        // still pending when the yield is ready loses, is
                        // dropped and its value taken back.
                        let mut push = producer.push(value);
                        match futures::future::select(Box::pin(yield_now()), &mut push).await {
                            Either::Right((result, _)) => {
                                result.unwrap();
                                break;
                            }
                            Either::Left(((), _)) => {
                                cancelled += 1;
                                value = push.into_value().expect("not pushed");
                            }
                        }
                    }
                }
                cancelled
            };
            let receiver = async move {
                let mut received = Vec::new();
                let mut cancelled = 0;
                loop {
                    // As for the pushes: a pop still pending when the yield
                    // is ready loses and is dropped.
                    let pop = consumer.pop();
                    futures::pin_mut!(pop);
                    match futures::future::select(Box::pin(yield_now()), pop).await {
                        Either::Right((Ok(value), _)) => received.push(value),
                        Either::Right((Err(PopError), _)) => return (received, cancelled),
                        Either::Left(((), _)) => cancelled += 1,
                    }
                }
            };
            let (pushes, (received, pops)) = executor.run_pair(sender, receiver);
            assert!(received.into_iter().eq(0..count), "{executor:?}");
            cancelled_pushes += pushes;
            cancelled_pops += pops;
        }
        // Whichever executor made them, cancellations did happen, so the
        // assertions above covered them.
        assert!(cancelled_pushes > 0, "no push was ever cancelled");
        assert!(cancelled_pops > 0, "no pop was ever cancelled");
    });
}

#[test]
fn tokio_select_cancels_pops_without_losing_items() {
    if cfg!(miri) {
        return;
    }
    with_watchdog(|| {
        let count = 20_000_u64;
        let (producer, mut consumer) = channel(8);
        let receiver = async move {
            let mut received = Vec::new();
            let mut ticks = 0_u64;
            loop {
                tokio::select! {
                    item = consumer.pop() => match item {
                        Ok(value) => received.push(value),
                        Err(PopError) => return (received, ticks),
                    },
                    () = tokio::task::yield_now() => ticks += 1,
                }
            }
        };
        // How often the pop lost the race depends on the scheduling; the
        // futures-based test above makes sure that cancellations happen.
        let ((), (received, _ticks)) =
            Executor::TokioMultiThread.run_pair(push_all(producer, count), receiver);
        assert!(received.into_iter().eq(0..count));
    });
}

#[test]
fn a_thread_feeds_a_task_and_a_task_feeds_a_thread() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            let count = scaled(100_000) as u64;

            let (mut producer, consumer) = channel(64);
            let thread_side = thread::spawn(move || {
                for value in 0..count {
                    producer.push_blocking(value).unwrap();
                }
            });
            assert_eq!(executor.run(pop_all_in_order(consumer)), count);
            thread_side.join().unwrap();

            let (producer, mut consumer) = channel(64);
            let thread_side = thread::spawn(move || {
                let mut expected = 0;
                while let Ok(value) = consumer.pop_blocking() {
                    assert_eq!(value, expected);
                    expected += 1;
                }
                expected
            });
            executor.run(push_all(producer, count));
            assert_eq!(thread_side.join().unwrap(), count, "{executor:?}");
        }
    });
}

#[test]
fn blocking_at_both_ends_streams_and_sees_drops() {
    with_watchdog(|| {
        let count = scaled(100_000) as u64;
        let (mut producer, mut consumer) = channel(3);
        let sender = thread::spawn(move || {
            for value in 0..count {
                producer.push_blocking(value).unwrap();
            }
        });
        let mut expected = 0;
        while let Ok(value) = consumer.pop_blocking() {
            assert_eq!(value, expected);
            expected += 1;
        }
        assert_eq!(expected, count);
        sender.join().unwrap();

        let (mut producer, consumer) = channel(1);
        producer.push_blocking(1).unwrap();
        let waiting = thread::spawn(move || producer.push_blocking(2));
        thread::sleep(std::time::Duration::from_millis(20));
        drop(consumer);
        assert_eq!(waiting.join().unwrap(), Err(PushError(2)));
    });
}

#[test]
fn handles_move_between_tasks_and_threads_mid_stream() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            let count = scaled(40_000) as u64;
            let (mut producer, mut consumer) = channel(16);
            let sender = async move {
                for value in 0..count / 2 {
                    producer.push(value).await.unwrap();
                }
                producer
            };
            let receiver = async move {
                // Eight items stay in the ring, which the sender's pushes fit.
                for expected in 0..count / 2 - 8 {
                    assert_eq!(consumer.pop().await, Ok(expected));
                }
                consumer
            };
            let (mut producer, mut consumer) = executor.run_pair(sender, receiver);
            // The second half: the producer now blocks on a thread, the
            // consumer runs in a new task.
            let sender = thread::spawn(move || {
                for value in count / 2..count {
                    producer.push_blocking(value).unwrap();
                }
            });
            let receiver = async move {
                let mut expected = count / 2 - 8;
                while let Ok(value) = consumer.pop().await {
                    assert_eq!(value, expected);
                    expected += 1;
                }
                expected
            };
            assert_eq!(executor.run(receiver), count, "{executor:?}");
            sender.join().unwrap();
        }
    });
}

#[test]
fn zero_sized_items_stream() {
    with_watchdog(|| {
        for &executor in Executor::all() {
            let count = scaled(50_000);
            let (mut producer, consumer) = channel(3);
            let sender = async move {
                for _ in 0..count {
                    producer.push(()).await.unwrap();
                }
            };
            let ((), received) = executor.run_pair(sender, consumer.count());
            assert_eq!(received, count, "{executor:?}");
        }
    });
}

#[test]
fn items_left_behind_are_dropped_once() {
    for producer_first in [true, false] {
        let drops = DropCounter::default();
        let (mut producer, mut consumer) = channel(16);
        futures::executor::block_on(async {
            for _ in 0..10 {
                producer.push(drops.item()).await.unwrap();
            }
            for _ in 0..4 {
                drop(consumer.pop().await.unwrap());
            }
        });
        if producer_first {
            drop_in_order(producer, consumer);
        } else {
            drop_in_order(consumer, producer);
        }
        assert_eq!(drops.drops(), 10);
    }
}

#[test]
fn handles_futures_and_errors_have_the_right_auto_traits() {
    assert_send::<Producer<String>>();
    assert_send::<Consumer<String>>();
    assert_send::<ring_async::Push<'static, String>>();
    assert_send::<ring_async::Pop<'static, String>>();
    assert_send::<ring_async::WaitFreeSlots<'static, String>>();
    assert_send::<ring_async::WaitItems<'static, String>>();
    assert_not_send!(Producer<Rc<u8>>);
    assert_not_send!(Consumer<Rc<u8>>);
    assert_not_send!(ring_async::Push<'static, Rc<u8>>);
    assert_not_send!(ring_async::Pop<'static, Rc<u8>>);
    assert_send_sync::<Disconnected>();
    assert_send_sync::<PushError<String>>();
    // The futures of an `async fn` that awaits them are `Send` too, so they
    // can be spawned on a multi-thread runtime.
    fn spawnable<F: std::future::Future + Send>(_: &F) {}
    let (mut producer, mut consumer) = channel::<String>(1);
    spawnable(&async move { producer.push(String::new()).await });
    spawnable(&async move { consumer.pop().await });
}

#[test]
fn debug_output_names_the_handle_and_the_future() {
    let (mut producer, consumer) = channel::<u8>(2);
    assert!(format!("{consumer:?}").contains("Consumer"));
    let push = producer.push(1);
    let text = format!("{push:?}");
    assert!(
        text.starts_with("Push") && text.contains("Producer"),
        "{text}"
    );
}
