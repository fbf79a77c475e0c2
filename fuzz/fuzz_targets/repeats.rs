//! Fuzz target `repeats`: see `harness::repeats`. Large structured inputs (a seed repeated to
//! 16 KiB - 1 MiB in one of several file shapes), timed against a quarter of the size, so
//! the fuzzer finds size-driven problems (super-linear cost, memory) as well as panics.
#![no_main]

#[path = "../../tests/regressions/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::repeats(data, true));
