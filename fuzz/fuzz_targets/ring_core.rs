//! Random operation sequences on ring_core, checked against a `VecDeque`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ring_fuzz::{Core, Input, check};

fuzz_target!(|input: Input| check::<Core>(&input));
