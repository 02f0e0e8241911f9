//! Stored records: keys and index fields as JS properties, the payload as a JSON string
//! (crossing into wasm, `serde_json` on a string is several times faster than
//! converting JS objects field by field); how an event that came in a file arrived.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::error::StoreError;
use crate::domain::authorship::Via;
use crate::exchange::wire::EventSignature;

/// Yields to the browser (a macrotask), so input and painting go on between chunks.
pub(super) async fn pause() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// The JSON payload of a stored record.
pub(super) fn json_of(record: &JsValue) -> Result<String, StoreError> {
    Reflect::get(record, &JsValue::from_str("json"))?
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("记录缺少内容".into()))
}

/// How an event that came in a file arrived, and the signature it came with (a register
/// entry's row keeps these of its events as JSON, by event id).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Arrived {
    /// The file and the key that signed it.
    pub via: Via,
    /// Its author's signature, if it carried one.
    pub signature: Option<EventSignature>,
}

/// A stored JSON property of a record, parsed; `None` if absent or unreadable.
pub(super) fn json_property<T: serde::de::DeserializeOwned>(
    record: &JsValue,
    name: &str,
) -> Option<T> {
    let text = Reflect::get(record, &JsValue::from_str(name))
        .ok()?
        .as_string()?;
    serde_json::from_str(&text).ok()
}

/// How an event of schemas 1–3 (one record per event) arrived, if it came in a file
/// (local events: `None`).
pub(super) fn arrived_of(record: &JsValue) -> Option<Arrived> {
    Some(Arrived {
        via: json_property(record, "via")?,
        signature: json_property(record, "sig"),
    })
}
