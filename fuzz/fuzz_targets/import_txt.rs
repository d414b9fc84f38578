//! Raw bytes through the decoder and the .txt importer, then laid out.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::import_and_render(data, "fuzz.txt");
});
