//! Random operation sequences on ring_async, checked against a `VecDeque`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ring_fuzz::{Async, Input, check};

fuzz_target!(|input: Input| check::<Async>(&input));
