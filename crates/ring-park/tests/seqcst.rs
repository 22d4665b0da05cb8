//! The whole parking handshake with plain `SeqCst` fences on both sides
//! (`ring_core::fence::use_seqcst_fences`, as `RING_FENCE=seqcst` does),
//! in a test binary of its own, since the choice holds for the process.

mod ping_pong;

#[test]
fn capacity_one_ping_pong_with_seqcst_fences_never_hangs() {
    ring_core::fence::use_seqcst_fences().expect("no ring was made before");
    assert!(!ring_core::fence::is_asymmetric());
    ping_pong::capacity_one_ping_pong();
}
