//! The stored forms of a case: its log (every event, with how those that came in files
//! arrived), a case ready to be written, the record helpers the layout reads with, and
//! the newest rows kept for the first page.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::error::StoreError;
use super::records::Arrived;
use crate::domain::authorship::Via;
use crate::domain::event::Event;
use crate::domain::ids::EventId;
use crate::domain::index::order;
use crate::domain::search::CaseSummary;
use crate::exchange::wire::EventSignature;

/// Rows kept in `meta["head"]`: five list pages.
pub(super) const HEAD_ROWS: usize = 100;

/// A case's events as stored, with how each that came in a file arrived.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Log {
    /// Every event, in the order stored.
    pub events: Vec<Event>,
    /// How the events that came in files arrived, by event id.
    pub arrived: BTreeMap<EventId, Arrived>,
}

/// One event of a stored log: `e` the event; for one that came in a file, `v` how it
/// came and `s` the author's signature it carried, relayed unchanged when sent on.
#[derive(Serialize, Deserialize)]
struct Stored<E> {
    e: E,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    v: Option<Via>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    s: Option<EventSignature>,
}

impl Log {
    /// A log of events recorded here (none came in a file).
    pub fn local(events: Vec<Event>) -> Log {
        Log {
            events,
            arrived: BTreeMap::new(),
        }
    }

    /// True if an event with this id is held.
    pub fn has(&self, id: &EventId) -> bool {
        self.events.iter().any(|e| &e.id == id)
    }

    /// The stored form of events recorded here, without building a log.
    pub fn local_json(events: &[Event]) -> Result<String, StoreError> {
        let stored: Vec<Stored<&Event>> = events
            .iter()
            .map(|e| Stored {
                e,
                v: None,
                s: None,
            })
            .collect();
        Ok(serde_json::to_string(&stored)?)
    }

    /// The stored form: a JSON array of `{e, v?, s?}`.
    pub fn to_json(&self) -> Result<String, StoreError> {
        let stored: Vec<Stored<&Event>> = self
            .events
            .iter()
            .map(|e| {
                let arrived = self.arrived.get(&e.id);
                Stored {
                    e,
                    v: arrived.map(|a| a.via.clone()),
                    s: arrived.and_then(|a| a.signature.clone()),
                }
            })
            .collect();
        Ok(serde_json::to_string(&stored)?)
    }

    /// Reads the stored form.
    pub fn from_json(text: &str) -> Result<Log, StoreError> {
        let stored: Vec<Stored<Event>> = serde_json::from_str(text)?;
        let mut log = Log::default();
        for s in stored {
            if let Some(via) = s.v {
                log.arrived.insert(
                    s.e.id.clone(),
                    Arrived {
                        via,
                        signature: s.s,
                    },
                );
            }
            log.events.push(s.e);
        }
        Ok(log)
    }
}

/// A case ready to be written: its id, list row, search text and log, already in their
/// stored form.
pub(super) struct Piece {
    pub id: String,
    pub row: String,
    pub hay: String,
    pub log: String,
}

impl Piece {
    /// The stored form of `row` and of its log (`log`, already in its stored form).
    pub fn of(row: &CaseSummary, log: String) -> Result<Piece, StoreError> {
        Ok(Piece {
            id: row.id.to_string(),
            row: serde_json::to_string(row)?,
            hay: row.haystack.clone(),
            log,
        })
    }
}

/// A list row from its stored form (compact JSON) and its search text, kept apart.
pub(super) fn row_from(json: &str, hay: String) -> Result<CaseSummary, StoreError> {
    let mut row: CaseSummary = serde_json::from_str(json)?;
    row.haystack = hay;
    row.fill_shared();
    Ok(row)
}

/// A JS property of a record.
pub(super) fn prop(record: &JsValue, name: &str) -> Result<JsValue, StoreError> {
    Ok(Reflect::get(record, &JsValue::from_str(name))?)
}

/// A JS array property of a record.
pub(super) fn array(record: &JsValue, name: &str) -> Result<Array, StoreError> {
    let value = prop(record, name)?;
    match Array::is_array(&value) {
        true => Ok(Array::from(&value)),
        false => Err(StoreError::Corrupt(format!("分块记录缺少 {name}"))),
    }
}

/// A string of a JS array.
pub(super) fn text_at(items: &Array, i: u32) -> Result<String, StoreError> {
    items
        .get(i)
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("分块记录内容不完整".into()))
}

pub(super) fn object(fields: &[(&str, &JsValue)]) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    for (k, v) in fields {
        Reflect::set(&obj, &JsValue::from_str(k), v)?;
    }
    Ok(obj.into())
}

/// The newest [`HEAD_ROWS`] of the rows offered, kept without holding every row.
#[derive(Default)]
pub(super) struct Newest(Vec<CaseSummary>);

impl Newest {
    /// Offers a row.
    pub fn offer(&mut self, row: &CaseSummary) {
        self.0.push(row.clone());
        if self.0.len() >= 2 * HEAD_ROWS {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.0.sort_by(|a, b| order(b).cmp(&order(a)));
        self.0.truncate(HEAD_ROWS);
    }

    /// The newest rows, newest first.
    pub fn into_rows(mut self) -> Vec<CaseSummary> {
        self.trim();
        self.0
    }
}

/// The log of a journal record.
pub(super) fn journal_log(record: &JsValue) -> Result<Log, StoreError> {
    let text = prop(record, "log")?
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("日志记录缺少事件".into()))?;
    Log::from_json(&text)
}

/// The list row of a journal record.
pub(super) fn journal_row(record: &JsValue) -> Result<CaseSummary, StoreError> {
    let text = |name| {
        prop(record, name)?
            .as_string()
            .ok_or_else(|| StoreError::Corrupt("日志记录缺少列表行".into()))
    };
    row_from(&text("json")?, text("hay")?)
}

/// The rows of a `rows` chunk record, parsed onto the end of `out`.
pub(super) fn chunk_rows(record: &JsValue, out: &mut Vec<CaseSummary>) -> Result<(), StoreError> {
    let (rows, hay) = (array(record, "rows")?, array(record, "hay")?);
    for i in 0..rows.length() {
        out.push(row_from(&text_at(&rows, i)?, text_at(&hay, i)?)?);
    }
    Ok(())
}
