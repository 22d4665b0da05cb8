//! Random operation sequences on ring_park, checked against a `VecDeque`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ring_fuzz::{Input, Park, check};

fuzz_target!(|input: Input| check::<Park>(&input));
