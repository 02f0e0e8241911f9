//! The few browser services the UI injects into the domain: the clock, random ids,
//! and the storage-persistence API.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::{CaseId, EventId, Timestamp};

/// Now, from the browser clock.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

fn random16() -> [u8; 16] {
    let mut buf = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut buf).is_ok());
    if !filled {
        // Every browser this app supports has crypto.getRandomValues; this only keeps
        // ids unique if some embedding lacks it.
        for b in &mut buf {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    buf
}

/// A fresh case id.
pub fn new_case_id() -> CaseId {
    CaseId::from_random(random16())
}

/// A fresh event id.
pub fn new_event_id() -> EventId {
    EventId::from_random(random16())
}

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

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
