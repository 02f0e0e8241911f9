//! Screening items on the wire (排查事项 handed to the township or department that is to
//! resolve them, and its follow-ups reported back): each item with all its events, each
//! event signed by its author like a case's; on arrival merged by event id with what is
//! held here, under the same rules of authorship as a case's events.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::authors::{SignedGroup, WireSigned, ENTRY_EVENT_PAYLOAD_TYPE};
use super::error::BundleError;
use super::wire::EventSignature;
use crate::domain::authorship::{check_arriving, Arriving, Importer};
use crate::domain::event::Actor;
use crate::domain::ids::{EntryId, EventId};
use crate::domain::registers::screening::{fold, ScreeningBody, ScreeningEvent, ScreeningItem};
use crate::domain::registers::EntryError;
use crate::domain::time::Timestamp;

/// An event of a register entry on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireEntryEvent {
    /// Event id.
    pub id: String,
    /// The entry's id.
    pub entry_id: String,
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
    /// Its author's signature over the rest of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<EventSignature>,
}

/// One screening item in a transfer: all its events known to the sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireItem {
    /// The item's id.
    pub entry_id: String,
    /// What it is about (for people reading the file).
    pub title: String,
    /// Every event of the item.
    pub events: Vec<WireEntryEvent>,
}

impl WireSigned for WireEntryEvent {
    const PAYLOAD_TYPE: &'static str = ENTRY_EVENT_PAYLOAD_TYPE;
    fn id(&self) -> &str {
        &self.id
    }
    fn author(&self) -> (&str, &str) {
        (&self.unit_code, &self.unit_name)
    }
    fn signature(&self) -> Option<&EventSignature> {
        self.signature.as_ref()
    }
    fn signature_mut(&mut self) -> &mut Option<EventSignature> {
        &mut self.signature
    }
}

impl SignedGroup for WireItem {
    type Event = WireEntryEvent;
    fn label(&self) -> String {
        format!("排查事项“{}”", self.title)
    }
    fn events(&self) -> &[WireEntryEvent] {
        &self.events
    }
    fn events_mut(&mut self) -> &mut [WireEntryEvent] {
        &mut self.events
    }
}

impl WireEntryEvent {
    /// The wire form of an item's event.
    pub fn from_event(e: &ScreeningEvent) -> Result<WireEntryEvent, BundleError> {
        Ok(WireEntryEvent {
            id: e.id.to_string(),
            entry_id: e.entry.to_string(),
            unit_code: e.actor.unit_code.clone(),
            unit_name: e.actor.unit_name.clone(),
            operator: e.actor.operator.clone(),
            at: e.at.0,
            body: serde_json::to_value(&e.body)
                .map_err(|err| BundleError::InvalidItem(err.to_string()))?,
            signature: None,
        })
    }

    /// The domain event, if every part is valid.
    pub fn to_event(&self) -> Result<ScreeningEvent, BundleError> {
        let bad = |what: &str| BundleError::InvalidItem(format!("记录 {} 的{what}无效", self.id));
        Ok(ScreeningEvent {
            id: EventId::parse(&self.id).ok_or_else(|| bad("编号"))?,
            entry: EntryId::parse(&self.entry_id).ok_or_else(|| bad("事项编号"))?,
            actor: Actor {
                unit_code: self.unit_code.clone(),
                unit_name: self.unit_name.clone(),
                operator: self.operator.clone(),
            },
            at: Timestamp(self.at),
            body: serde_json::from_value::<ScreeningBody>(self.body.clone())
                .map_err(|_| bad("内容"))?,
        })
    }
}

/// The wire form of items held here (their events unsigned: the sender signs its own).
pub fn wire_items(items: &[ScreeningItem]) -> Result<Vec<WireItem>, BundleError> {
    items
        .iter()
        .map(|i| {
            Ok(WireItem {
                entry_id: i.id.to_string(),
                title: i.record.title(),
                events: i
                    .events
                    .iter()
                    .map(WireEntryEvent::from_event)
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

/// Checks every item of a transfer: its events belong to it and fold into an item, each
/// item once, each event id once in the file. Returns the events.
pub(crate) fn validate_items(items: &[WireItem]) -> Result<Vec<ScreeningEvent>, BundleError> {
    let mut seen_items = BTreeSet::new();
    let mut seen_events = BTreeSet::new();
    let mut all = Vec::new();
    for item in items {
        let events: Vec<ScreeningEvent> = item
            .events
            .iter()
            .map(WireEntryEvent::to_event)
            .collect::<Result<_, _>>()?;
        let invalid = |why: String| BundleError::InvalidItem(format!("“{}”{why}", item.title));
        if !seen_items.insert(item.entry_id.as_str())
            || events.iter().any(|e| e.entry.as_str() != item.entry_id)
        {
            return Err(invalid("中混有其他事项的记录".into()));
        }
        if let Some(e) = events.iter().find(|e| !seen_events.insert(e.id.clone())) {
            return Err(BundleError::Tampered(e.id.to_string()));
        }
        fold(&events).map_err(|e| invalid(format!("：{e}")))?;
        all.extend(events);
    }
    Ok(all)
}

/// What importing a file's items would change, shown before anything is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemPlan {
    /// Items not yet held here, by title.
    pub new_items: Vec<String>,
    /// Items held here that gain events: (title, how many).
    pub updated_items: Vec<(String, usize)>,
    /// Events already held (ignored).
    pub already_held: usize,
    /// The events to store.
    pub to_add: Vec<ScreeningEvent>,
}

impl ItemPlan {
    /// True when importing changes nothing.
    pub fn is_noop(&self) -> bool {
        self.to_add.is_empty()
    }
}

/// Compares a file's item events with those held here for the same items (`held`, by
/// item): the same id with other content is tampering, and the new events obey the
/// rules of authorship ([`check_arriving`]). A file breaking a rule is refused whole.
pub fn plan_items(
    incoming: &[ScreeningEvent],
    held: &BTreeMap<EntryId, Vec<ScreeningEvent>>,
    importer: &Importer,
) -> Result<ItemPlan, BundleError> {
    let mut by_item: BTreeMap<&EntryId, Vec<&ScreeningEvent>> = BTreeMap::new();
    for e in incoming {
        by_item.entry(&e.entry).or_default().push(e);
    }
    let mut plan = ItemPlan::default();
    for (id, theirs) in by_item {
        let ours = held.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let ours_by_id: BTreeMap<&EventId, &ScreeningEvent> =
            ours.iter().map(|e| (&e.id, e)).collect();
        let mut fresh = Vec::new();
        for e in theirs {
            match ours_by_id.get(&e.id) {
                Some(o) if *o != e => return Err(BundleError::Tampered(e.id.to_string())),
                Some(_) => plan.already_held += 1,
                None => fresh.push(e.clone()),
            }
        }
        check_arriving(ours, &fresh, importer).map_err(|e| match e {
            Some(e) => BundleError::from(e),
            None => BundleError::InvalidItem(EntryError::NoRecord.to_string()),
        })?;
        let merged: Vec<ScreeningEvent> = ours.iter().chain(&fresh).cloned().collect();
        let item = fold(&merged).map_err(|e| BundleError::InvalidItem(e.to_string()))?;
        let title = item.record.title();
        if ours.is_empty() {
            plan.new_items.push(title);
        } else if !fresh.is_empty() {
            plan.updated_items.push((title, fresh.len()));
        }
        plan.to_add.extend(fresh);
    }
    Ok(plan)
}

/// How a refusal names the item an event of `events` belongs to: by its first record.
pub fn named_in(events: &[ScreeningEvent]) -> impl Fn(&ScreeningEvent) -> String + '_ {
    move |e| {
        events
            .iter()
            .find(|f| f.entry == e.entry && f.is_first())
            .map_or_else(|| format!("排查事项 {}", e.entry), ScreeningEvent::named)
    }
}

#[cfg(test)]
mod tests;
