//! The browser's storage manager: persistence and the space used.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn storage() -> Option<web_sys::StorageManager> {
    web_sys::window().map(|w| w.navigator().storage())
}

async fn bool_promise(p: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Option<bool> {
    JsFuture::from(p.ok()?).await.ok()?.as_bool()
}

/// Whether the browser has marked this site's storage persistent (not evicted under pressure).
pub async fn persisted() -> Option<bool> {
    bool_promise(storage()?.persisted()).await
}

/// Asks the browser to make storage persistent; must follow a user action.
pub async fn request_persist() -> Option<bool> {
    bool_promise(storage()?.persist()).await
}

/// Bytes used and available, as the browser estimates them.
pub async fn estimate() -> Option<(f64, f64)> {
    let v = JsFuture::from(storage()?.estimate().ok()?).await.ok()?;
    let e: web_sys::StorageEstimate = v.unchecked_into();
    Some((e.get_usage()?, e.get_quota()?))
}
