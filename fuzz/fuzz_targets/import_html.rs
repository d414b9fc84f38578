//! Raw bytes through the decoder and the .html importer, then laid out.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::import_and_render(data, "fuzz.html");
});
