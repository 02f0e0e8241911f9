//! Events and cases on the wire: the form they travel in, converted explicitly to and
//! from the domain's types. Events keep their own ids, authors and times, so provenance
//! survives when a case passes from unit to unit.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::BundleError;
use super::merge::merge;
use crate::domain::case::fold;
use crate::domain::event::{Actor, Event, EventBody};
use crate::domain::ids::{CaseId, EventId};
use crate::domain::time::Timestamp;

/// An event on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireEvent {
    /// Event id.
    pub id: String,
    /// Case id.
    pub case_id: String,
    /// Author unit's code.
    pub unit_code: String,
    /// Author unit's name.
    pub unit_name: String,
    /// Operator.
    pub operator: String,
    /// UTC milliseconds.
    pub at: i64,
    /// The event body, in the schema of `docs/bundle-format.md`.
    pub body: Value,
    /// Its author's signature over the rest of the event (`super::authors`); absent in
    /// files made before events were signed, and on relayed events their author never
    /// signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<EventSignature>,
}

/// An event's author's signature: the key and the Ed25519 signature, both base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventSignature {
    /// The author's Ed25519 public key.
    pub public_key: String,
    /// The signature.
    pub sig: String,
}

impl WireEvent {
    /// The wire form of an event.
    pub fn from_event(e: &Event) -> Result<WireEvent, BundleError> {
        Ok(WireEvent {
            id: e.id.to_string(),
            case_id: e.case_id.to_string(),
            unit_code: e.actor.unit_code.clone(),
            unit_name: e.actor.unit_name.clone(),
            operator: e.actor.operator.clone(),
            at: e.at.0,
            body: serde_json::to_value(&e.body)
                .map_err(|err| BundleError::InvalidCase(err.to_string()))?,
            signature: None,
        })
    }

    /// The domain event, if every part is valid.
    pub fn to_event(&self) -> Result<Event, BundleError> {
        let bad = |what: &str| BundleError::InvalidCase(format!("记录 {} 的{what}无效", self.id));
        Ok(Event {
            id: EventId::parse(&self.id).ok_or_else(|| bad("编号"))?,
            case_id: CaseId::parse(&self.case_id).ok_or_else(|| bad("案件编号"))?,
            actor: Actor {
                unit_code: self.unit_code.clone(),
                unit_name: self.unit_name.clone(),
                operator: self.operator.clone(),
            },
            at: Timestamp(self.at),
            body: serde_json::from_value::<EventBody>(self.body.clone())
                .map_err(|_| bad("内容"))?,
        })
    }
}

/// One case in a transfer: all its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireCase {
    /// Case id.
    pub case_id: String,
    /// Human case number (for people reading the file).
    pub case_no: String,
    /// Every event of the case known to the sender.
    pub events: Vec<WireEvent>,
}

/// Checks every case of a transfer folds, events belong to their case, ids are unique.
pub(crate) fn validate_cases(cases: &[WireCase]) -> Result<Vec<Event>, BundleError> {
    let mut all: Vec<Event> = Vec::new();
    for c in cases {
        all.extend(validate_case(c)?);
    }
    merge(&[], &all)
}

/// One case's events, checked: each belongs to the case and together they fold.
pub(crate) fn validate_case(c: &WireCase) -> Result<Vec<Event>, BundleError> {
    let events: Vec<Event> = c
        .events
        .iter()
        .map(WireEvent::to_event)
        .collect::<Result<_, _>>()?;
    if events.iter().any(|e| e.case_id.as_str() != c.case_id) {
        return Err(BundleError::InvalidCase(format!(
            "案件 {} 中混有其他案件的记录",
            c.case_no
        )));
    }
    fold(&events).map_err(|e| BundleError::InvalidCase(format!("{}：{e}", c.case_no)))?;
    Ok(events)
}
