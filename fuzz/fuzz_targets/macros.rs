//! Fuzz target `macros`: see `harness::macros` for what it feeds Candor and what it checks.
#![no_main]

#[path = "../../tests/regressions/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::macros(data));
