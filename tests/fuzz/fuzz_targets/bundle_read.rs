//! Any bytes given to the bundle reader are refused or read, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = xinfang::exchange::read::read(data);
});
