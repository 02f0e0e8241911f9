//! The life of a register entry that is only recorded and revised (reception days,
//! responsibility agreements): each event carries the whole record, a revision its
//! reason, so the history shows every field before and after.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{ordered, EntryError, EntryEvent};
use crate::domain::event::Actor;
use crate::domain::ids::{EntryId, EventId};
use crate::domain::time::Timestamp;
use crate::domain::validate::non_blank;

/// What an event of such an entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Versioned<R> {
    /// The entry recorded.
    Recorded {
        /// As recorded.
        record: R,
    },
    /// The entry changed.
    Revised {
        /// The whole record after the change.
        record: R,
        /// Why.
        reason: String,
    },
}

impl<R> Versioned<R> {
    /// The record as this event leaves it.
    pub fn record(&self) -> &R {
        match self {
            Versioned::Recorded { record } | Versioned::Revised { record, .. } => record,
        }
    }
}

/// An entry as it stands: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<R> {
    /// Its id.
    pub id: EntryId,
    /// The latest version of the record.
    pub record: R,
    /// Who recorded it first.
    pub recorded_by: Actor,
    /// When it was first recorded.
    pub recorded_at: Timestamp,
    /// Every event, in fold order.
    pub events: Vec<EntryEvent<Versioned<R>>>,
}

impl<R> Entry<R> {
    /// Each event with the record as it stood before it (`None` for the first).
    pub fn history(&self) -> Vec<(&EntryEvent<Versioned<R>>, Option<&R>)> {
        let mut before = None;
        self.events
            .iter()
            .map(|e| {
                let out = (e, before);
                before = Some(e.body.record());
                out
            })
            .collect()
    }
}

/// Builds an entry from its events, in any order, ignoring duplicates; revisions dated
/// before the first record are history the record replaces.
pub fn fold<R: Clone>(events: &[EntryEvent<Versioned<R>>]) -> Result<Entry<R>, EntryError> {
    let sorted = ordered(events)?;
    let first = sorted
        .iter()
        .position(|e| matches!(e.body, Versioned::Recorded { .. }))
        .ok_or(EntryError::NoRecord)?;
    let head = sorted[first];
    let mut entry = Entry {
        id: head.entry.clone(),
        record: head.body.record().clone(),
        recorded_by: head.actor.clone(),
        recorded_at: head.at,
        events: vec![head.clone()],
    };
    for e in sorted.iter().skip(first + 1) {
        if let Versioned::Revised { record, .. } = &e.body {
            entry.record = record.clone();
        }
        entry.events.push((*e).clone());
    }
    Ok(entry)
}

/// Why a revision was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RevisionError {
    /// A revision that changes nothing.
    #[error("没有修改任何内容，无需保存")]
    NoChanges,
    /// A revision without its reason.
    #[error("请填写修改原因")]
    NoReason,
}

/// The first event of a new entry.
pub fn record<R>(
    (id, entry): (EventId, EntryId),
    actor: Actor,
    at: Timestamp,
    record: R,
) -> EntryEvent<Versioned<R>> {
    EntryEvent {
        id,
        entry,
        actor,
        at,
        body: Versioned::Recorded { record },
    }
}

/// A change of `entry` to `new`, with its reason.
pub fn revise<R: PartialEq>(
    entry: &Entry<R>,
    new: R,
    reason: &str,
    (id, actor, at): (EventId, Actor, Timestamp),
) -> Result<EntryEvent<Versioned<R>>, RevisionError> {
    if new == entry.record {
        return Err(RevisionError::NoChanges);
    }
    let reason = non_blank(reason).ok_or(RevisionError::NoReason)?.to_owned();
    Ok(EntryEvent {
        id,
        entry: entry.id.clone(),
        actor,
        at,
        body: Versioned::Revised {
            record: new,
            reason,
        },
    })
}
