#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hone::fuzz_targets::deck_import(data));
