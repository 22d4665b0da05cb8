//! The process-wide choice of fences: the default, `RING_FENCE` and
//! `use_seqcst_fences`. The environment variable is read once per process,
//! so each setting runs in a child process of this test binary (the tests
//! marked `#[ignore]`, which only the parent runs, with `--ignored`).

use std::process::Command;

use ring_core::fence::{self, FenceAlreadyChosen, LightFence};

/// Runs the ignored test `name` of this binary in a child process with
/// `RING_FENCE` set to `value`, and returns whether it passed and what it
/// printed on stderr.
fn run_child(name: &str, value: &str) -> (bool, String) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", name, "--test-threads", "1"])
        .env("RING_FENCE", value)
        .output()
        .expect("the test binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("1 passed") || stdout.contains("1 failed"),
        "the child ran no test: {stdout}"
    );
    (output.status.success(), stderr + &stdout)
}

#[test]
fn once_the_fences_are_chosen_seqcst_cannot_be_asked_for() {
    let light = LightFence::chosen(); // What making a waiting ring does.
    assert_eq!(fence::use_seqcst_fences(), Err(FenceAlreadyChosen));
    assert_eq!(light.is_compiler_only(), fence::is_asymmetric());
}

#[test]
fn ring_fence_seqcst_selects_full_fences_on_both_sides() {
    if cfg!(miri) {
        return; // Miri runs no child process; its fences are full anyway.
    }
    let (passed, output) = run_child("child_sees_seqcst_fences", "seqcst");
    assert!(passed, "{output}");
}

#[test]
fn ring_fence_auto_keeps_the_default() {
    if cfg!(miri) {
        return;
    }
    let (passed, output) = run_child("child_sees_the_default", "auto");
    assert!(passed, "{output}");
}

#[test]
fn an_unknown_ring_fence_value_panics_with_a_message() {
    if cfg!(miri) {
        return;
    }
    let (passed, output) = run_child("child_sees_the_default", "membarier");
    if cfg!(target_os = "linux") {
        assert!(!passed, "a typo was accepted: {output}");
        assert!(
            output.contains("RING_FENCE=\"membarier\" is not understood"),
            "{output}"
        );
    } else {
        assert!(passed, "{output}"); // No `membarrier` to turn off.
    }
}

#[test]
#[ignore = "run by ring_fence_seqcst_selects_full_fences_on_both_sides in a child process"]
fn child_sees_seqcst_fences() {
    assert!(!LightFence::chosen().is_compiler_only());
    assert!(!fence::is_asymmetric());
    assert!(fence::heavy(), "a full fence always pairs");
    assert_eq!(fence::use_seqcst_fences(), Err(FenceAlreadyChosen));
}

#[test]
#[ignore = "run by ring_fence_auto_keeps_the_default in a child process"]
fn child_sees_the_default() {
    let light = LightFence::chosen();
    assert_eq!(light.is_compiler_only(), fence::is_asymmetric());
    if cfg!(target_os = "linux") {
        // This project's machines have `membarrier`; a kernel without it
        // would fall back to full fences, which this test would report.
        assert!(fence::is_asymmetric(), "membarrier was not registered");
    }
}
