//! Arbitrary bytes through read → extract → detect → assess → JSON report → redaction; the first byte chooses the format; checks in `phiguard::invariants`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phiguard::invariants::run("scan", data));
