//! The working registers of the speech (排查台账 first): each entry is, like a case, an
//! append-only set of events folded in `(at, id)` order, so its history is kept, two
//! copies merge by event id, and the current record is always the latest version.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::event::Actor;
use super::ids::{EntryId, EventId};
use super::time::Timestamp;

pub mod agreements;
pub mod fields;
pub mod plans;
pub mod receptions;
pub mod screening;
pub mod versioned;

/// One immutable fact in a register entry's history; `B` says what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryEvent<B> {
    /// Globally unique id of this event.
    pub id: EventId,
    /// The entry it belongs to.
    pub entry: EntryId,
    /// Who recorded it.
    pub actor: Actor,
    /// When it was recorded (UTC).
    pub at: Timestamp,
    /// What happened.
    pub body: B,
}

/// Why a set of events does not make an entry.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EntryError {
    /// No first record among them.
    #[error("台账记录不完整：缺少首次登记")]
    NoRecord,
    /// Events of different entries were mixed.
    #[error("台账记录混杂了其他条目的事件")]
    Mixed,
}

/// The events in fold order (time, then id), each id once, all of one entry.
pub fn ordered<B>(events: &[EntryEvent<B>]) -> Result<Vec<&EntryEvent<B>>, EntryError> {
    let mut sorted: Vec<&EntryEvent<B>> = events.iter().collect();
    sorted.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    sorted.dedup_by(|a, b| a.id == b.id);
    let first = sorted.first().ok_or(EntryError::NoRecord)?;
    if sorted.iter().any(|e| e.entry != first.entry) {
        return Err(EntryError::Mixed);
    }
    Ok(sorted)
}

/// The log with `event` added, unless an event of that id is already in it.
pub fn with_event<B: Clone>(log: &[EntryEvent<B>], event: EntryEvent<B>) -> Vec<EntryEvent<B>> {
    let mut out = log.to_vec();
    if !out.iter().any(|e| e.id == event.id) {
        out.push(event);
    }
    out
}
