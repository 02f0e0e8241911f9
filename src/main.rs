//! The office app's entry point: mounts the app in the browser, and exports to the
//! verifying worker (and the crash drill of the end-to-end tests) what they call; the
//! native build does nothing. The citizens' page has its own, smaller entry point
//! (`bin/citizen.rs`).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

/// Verifies an import file in a worker (`public/verify-worker.js`), checking share
/// `index` of `of` of its events' signatures.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn verify_transfer(bytes: &[u8], secret: &[u8], index: u32, of: u32) -> js_sys::Array {
    xinfang::platform::worker::verify_transfer(bytes, secret, index, of)
}

/// Stops the app on purpose (the end-to-end test of the crash notice).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn panic_drill() {
    xinfang::ui::crash::panic_drill();
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    xinfang::ui::mount();
}
