//! The stored form of events and list rows: keys and index fields as JS properties, the
//! payload as a JSON string (crossing into wasm, `serde_json` on a string is several
//! times faster than converting JS objects field by field).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use super::error::StoreError;
use crate::domain::authorship::Via;
use crate::domain::event::Event;
use crate::domain::search::CaseSummary;
use crate::exchange::wire::EventSignature;

/// Yields to the browser (a macrotask), so input and painting go on between chunks.
pub(super) async fn pause() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// A record object with `fields` as its JS properties.
fn record(fields: &[(&str, JsValue)]) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    for (k, v) in fields {
        Reflect::set(&obj, &JsValue::from_str(k), v)?;
    }
    Ok(obj.into())
}

/// The JSON payload of a stored record.
pub(super) fn json_of(record: &JsValue) -> Result<String, StoreError> {
    Reflect::get(record, &JsValue::from_str("json"))?
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("记录缺少内容".into()))
}

/// The stored form of an event: keys as properties, the event as JSON.
pub(super) fn event_record(e: &Event) -> Result<JsValue, StoreError> {
    record(&[
        ("id", e.id.as_str().into()),
        ("case_id", e.case_id.as_str().into()),
        ("at", JsValue::from_f64(e.at.0 as f64)),
        ("json", serde_json::to_string(e)?.into()),
    ])
}

/// The stored form of an event that arrived in a file: with how it came (`via`, JSON)
/// and its author's signature (`sig`, JSON) when it carried one, to relay it unchanged.
pub(super) fn imported_event_record(
    e: &Event,
    via: &str,
    signature: Option<&EventSignature>,
) -> Result<JsValue, StoreError> {
    let record = event_record(e)?;
    Reflect::set(&record, &JsValue::from_str("via"), &JsValue::from_str(via))?;
    if let Some(s) = signature {
        let text = serde_json::to_string(s)?;
        Reflect::set(
            &record,
            &JsValue::from_str("sig"),
            &JsValue::from_str(&text),
        )?;
    }
    Ok(record)
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

/// How an event arrived, if it came in a file (older records and local events: `None`).
pub(super) fn arrived_of(record: &JsValue) -> Option<Arrived> {
    Some(Arrived {
        via: json_property(record, "via")?,
        signature: json_property(record, "sig"),
    })
}

/// The stored form of a list row: keys as properties, the row as JSON.
pub(super) fn summary_record(s: &CaseSummary) -> Result<JsValue, StoreError> {
    record(&[
        ("id", s.id.as_str().into()),
        ("registered_at", JsValue::from_f64(s.registered_at.0 as f64)),
        ("json", serde_json::to_string(s)?.into()),
    ])
}
