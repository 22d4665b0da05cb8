//! Random operation sequences on ring_spin, checked against a `VecDeque`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ring_fuzz::{Input, Spin, check};

fuzz_target!(|input: Input| check::<Spin>(&input));
