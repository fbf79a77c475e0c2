//! Fuzz target `inbound`: see `harness::inbound` for what it feeds Candor and what it checks.
#![no_main]

#[path = "../../tests/regressions/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::inbound(data));
