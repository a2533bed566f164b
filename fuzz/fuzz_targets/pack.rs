//! A pattern pack (TOML) and, after a NUL byte, a word list beside it; checks in `phiguard::invariants`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phiguard::invariants::run("pack", data));
