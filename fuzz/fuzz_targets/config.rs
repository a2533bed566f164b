//! A `.phiguard.toml` configuration; checks in `phiguard::invariants`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phiguard::invariants::run("config", data));
