//! The handles are `Send` exactly when `T` is, and the errors are `Send +
//! Sync` when `T` is. A regression fails to compile.

use std::cell::Cell;
use std::rc::Rc;

use ring_core::{Consumer, PopError, Producer, PushError, TryPopError, TryPushError};
use test_support::{assert_not_send, assert_send, assert_send_sync};

#[test]
fn handles_are_send_for_send_items() {
    assert_send::<Producer<u64>>();
    assert_send::<Consumer<u64>>();
    // `T` need not be `Sync`: one item is never shared between threads.
    assert_send::<Producer<Cell<u64>>>();
    assert_send::<Consumer<Cell<u64>>>();
    assert_send::<ring_core::ReadChunk<'static, String>>();
    assert_send::<ring_core::WriteChunkUninit<'static, String>>();
}

#[test]
fn handles_are_not_send_for_rc_items() {
    assert_not_send!(Producer<Rc<u64>>);
    assert_not_send!(Consumer<Rc<u64>>);
}

#[test]
fn errors_are_send_and_sync() {
    assert_send_sync::<TryPushError<String>>();
    assert_send_sync::<PushError<String>>();
    assert_send_sync::<TryPopError>();
    assert_send_sync::<PopError>();
}

#[test]
fn errors_debug_without_item_debug() {
    struct Opaque;
    assert_eq!(format!("{:?}", TryPushError::Full(Opaque)), "Full(..)");
    assert_eq!(
        format!("{:?}", TryPushError::Disconnected(Opaque)),
        "Disconnected(..)"
    );
    assert_eq!(format!("{:?}", PushError(Opaque)), "PushError(..)");
    let error: Box<dyn std::error::Error + Send + Sync> = Box::new(PushError(Opaque));
    assert_eq!(
        error.to_string(),
        "pushing into a disconnected ring (closed or gone)"
    );
}
