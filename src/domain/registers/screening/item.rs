//! An item's events, its fold, and the constructors of every change, each checking its rule.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::record::{ItemStatus, Outcome, Risk, ScreeningRecord, MAX_TEXT};
use crate::domain::authorship::Arriving;
use crate::domain::case::CaseState;
use crate::domain::event::{Actor, Event, EventBody};
use crate::domain::ids::{CaseId, EntryId, EventId};
use crate::domain::petition::{PetitionDraft, PetitionerDraft};
use crate::domain::registers::{ordered, EntryError, EntryEvent};
use crate::domain::text::normalize;
use crate::domain::time::Timestamp;
use crate::domain::validate::{non_blank, too_long};

/// What an event of an item records. New kinds are added as new variants; old ones never
/// change (backups carry this form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScreeningBody {
    /// 登记: the item found.
    Recorded {
        /// As recorded.
        record: ScreeningRecord,
    },
    /// 修改: the record changed.
    Revised {
        /// The whole record after the change.
        record: ScreeningRecord,
        /// Why.
        reason: String,
    },
    /// 跟进: what was done on a day, and where that leaves the item.
    FollowedUp {
        /// The day of the work.
        on: NaiveDate,
        /// What was done.
        text: String,
        /// Where it stands after.
        outcome: Outcome,
    },
    /// 转为信访事项: the item became (or was joined by) a registered case.
    Converted {
        /// The case.
        case_id: CaseId,
        /// Its number.
        case_no: String,
    },
}

impl ScreeningBody {
    /// Chinese name of the action, for the history.
    pub fn label(&self) -> &'static str {
        match self {
            ScreeningBody::Recorded { .. } => "排查登记",
            ScreeningBody::Revised { .. } => "修改",
            ScreeningBody::FollowedUp { .. } => "跟进化解",
            ScreeningBody::Converted { .. } => "转为信访事项",
        }
    }
}

/// One event of a screening item.
pub type ScreeningEvent = EntryEvent<ScreeningBody>;

/// A follow-up record as the item shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The day of the work.
    pub on: NaiveDate,
    /// What was done.
    pub text: String,
    /// Where it left the item.
    pub outcome: Outcome,
    /// Who recorded it.
    pub by: Actor,
}

/// An item as it stands: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningItem {
    /// Its id.
    pub id: EntryId,
    /// The latest version of the record.
    pub record: ScreeningRecord,
    /// Who found it.
    pub recorded_by: Actor,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Where it stands.
    pub status: ItemStatus,
    /// Follow-ups in order.
    pub follow_ups: Vec<FollowUp>,
    /// The case it became, by id and number.
    pub case: Option<(CaseId, String)>,
    /// Every event, in fold order.
    pub events: Vec<ScreeningEvent>,
}

/// Builds an item from its events, in any order, ignoring duplicates.
pub fn fold(events: &[ScreeningEvent]) -> Result<ScreeningItem, EntryError> {
    let sorted = ordered(events)?;
    let first = sorted
        .iter()
        .position(|e| matches!(e.body, ScreeningBody::Recorded { .. }))
        .ok_or(EntryError::NoRecord)?;
    let head = sorted[first];
    let ScreeningBody::Recorded { record } = &head.body else {
        return Err(EntryError::NoRecord);
    };
    let mut item = ScreeningItem {
        id: head.entry.clone(),
        record: record.clone(),
        recorded_by: head.actor.clone(),
        recorded_at: head.at,
        status: ItemStatus::Unresolved,
        follow_ups: Vec::new(),
        case: None,
        events: Vec::with_capacity(sorted.len()),
    };
    item.events.push(head.clone());
    for (i, e) in sorted.iter().enumerate() {
        if i == first {
            continue;
        }
        match &e.body {
            ScreeningBody::Recorded { .. } => {}
            ScreeningBody::Revised { record, .. } => item.record = record.clone(),
            ScreeningBody::FollowedUp { on, text, outcome } => {
                item.follow_ups.push(FollowUp {
                    on: *on,
                    text: text.clone(),
                    outcome: *outcome,
                    by: e.actor.clone(),
                });
                // Once it is a petition, the case's workflow says where it stands.
                if item.case.is_none() {
                    item.status = match outcome {
                        Outcome::Resolving => ItemStatus::Resolving,
                        Outcome::Resolved => ItemStatus::Resolved,
                    };
                }
            }
            ScreeningBody::Converted { case_id, case_no } => {
                if item.case.is_none() {
                    item.case = Some((case_id.clone(), case_no.clone()));
                    item.status = ItemStatus::Converted;
                }
            }
        }
        item.events.push((*e).clone());
    }
    Ok(item)
}

/// Why a change to an item was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ItemError {
    /// A revision that changes nothing.
    #[error("没有修改任何内容，无需保存")]
    NoChanges,
    /// A revision without its reason.
    #[error("请填写修改原因")]
    NoReason,
    /// A follow-up without what was done.
    #[error("请填写跟进情况")]
    NoText,
    /// A follow-up too long.
    #[error("跟进情况过长：最多 {MAX_TEXT} 字")]
    TooLong,
    /// A follow-up dated in the future or before the item was found.
    #[error("跟进日期应在排查日期（{found}）与今天之间")]
    BadDate {
        /// The day found.
        found: NaiveDate,
    },
    /// A follow-up or conversion of an item that already became a case.
    #[error("该事项已转为信访事项（{0}），请在案件中继续办理")]
    Converted(String),
    /// A case already linked to an item.
    #[error("该案件已关联排查事项“{0}”")]
    CaseLinked(String),
    /// A revision by a unit other than the one that recorded the item.
    #[error("该事项由“{0}”登记，只有登记单位可以修改登记内容；本单位可以跟进化解或转为信访事项")]
    NotRecorder(String),
    /// A follow-up of an item already resolved, claiming it resolved again.
    #[error("该事项已化解；如矛盾反复，请将跟进结果选为“化解中”")]
    AlreadyResolved,
}

/// The first event of a new item.
pub fn record(
    id: EventId,
    entry: EntryId,
    actor: Actor,
    at: Timestamp,
    record: ScreeningRecord,
) -> ScreeningEvent {
    ScreeningEvent {
        id,
        entry,
        actor,
        at,
        body: ScreeningBody::Recorded { record },
    }
}

/// A revision of `item` to `new`, with its reason.
pub fn revise(
    item: &ScreeningItem,
    new: ScreeningRecord,
    reason: &str,
    (id, actor, at): (EventId, Actor, Timestamp),
) -> Result<ScreeningEvent, ItemError> {
    if !item.may_revise(&actor.unit_code) {
        return Err(ItemError::NotRecorder(item.recorded_by.unit_name.clone()));
    }
    if new == item.record {
        return Err(ItemError::NoChanges);
    }
    let reason = non_blank(reason).ok_or(ItemError::NoReason)?.to_owned();
    Ok(ScreeningEvent {
        id,
        entry: item.id.clone(),
        actor,
        at,
        body: ScreeningBody::Revised {
            record: new,
            reason,
        },
    })
}

/// A follow-up of `item` on `on` (between the day found and `today`).
pub fn follow_up(
    item: &ScreeningItem,
    on: NaiveDate,
    text: &str,
    outcome: Outcome,
    today: NaiveDate,
    (id, actor, at): (EventId, Actor, Timestamp),
) -> Result<ScreeningEvent, ItemError> {
    if let Some((_, no)) = &item.case {
        return Err(ItemError::Converted(no.clone()));
    }
    let text = non_blank(text).ok_or(ItemError::NoText)?.to_owned();
    if too_long(&text, MAX_TEXT).is_some() {
        return Err(ItemError::TooLong);
    }
    if on > today || on < item.record.found_on {
        return Err(ItemError::BadDate {
            found: item.record.found_on,
        });
    }
    if item.status == ItemStatus::Resolved && outcome == Outcome::Resolved {
        return Err(ItemError::AlreadyResolved);
    }
    Ok(ScreeningEvent {
        id,
        entry: item.id.clone(),
        actor,
        at,
        body: ScreeningBody::FollowedUp { on, text, outcome },
    })
}

/// The conversion of `item` into the case `case_no`: refused once it is a case already.
pub fn convert(
    item: &ScreeningItem,
    case_id: CaseId,
    case_no: &str,
    (id, actor, at): (EventId, Actor, Timestamp),
) -> Result<ScreeningEvent, ItemError> {
    if let Some((_, no)) = &item.case {
        return Err(ItemError::Converted(no.clone()));
    }
    Ok(ScreeningEvent {
        id,
        entry: item.id.clone(),
        actor,
        at,
        body: ScreeningBody::Converted {
            case_id,
            case_no: case_no.to_owned(),
        },
    })
}

/// The two events linking `item` and the case `case`, one on each, to be stored together:
/// the item becomes 已转为信访事项, the case names the item it came from.
pub fn link_case(
    item: &ScreeningItem,
    case: &CaseState,
    (item_event, case_event): (EventId, EventId),
    actor: Actor,
    at: Timestamp,
) -> Result<(ScreeningEvent, Event), ItemError> {
    if let Some((_, title)) = &case.screening {
        return Err(ItemError::CaseLinked(title.clone()));
    }
    let on_item = convert(
        item,
        case.id.clone(),
        &case.case_no,
        (item_event, actor.clone(), at),
    )?;
    let on_case = Event {
        id: case_event,
        case_id: case.id.clone(),
        actor,
        at,
        body: EventBody::FromScreening {
            item: item.id.clone(),
            title: item.record.title(),
        },
    };
    Ok((on_item, on_case))
}

impl Arriving for ScreeningEvent {
    fn id(&self) -> &EventId {
        &self.id
    }
    fn actor(&self) -> &Actor {
        &self.actor
    }
    fn at(&self) -> Timestamp {
        self.at
    }
    fn is_first(&self) -> bool {
        matches!(self.body, ScreeningBody::Recorded { .. })
    }
    fn is_correction(&self) -> bool {
        matches!(self.body, ScreeningBody::Revised { .. })
    }
    fn named(first: &ScreeningEvent) -> String {
        match &first.body {
            ScreeningBody::Recorded { record } => format!("排查事项“{}”", record.title()),
            _ => format!("排查事项 {}", first.entry),
        }
    }
}

impl ScreeningItem {
    /// Whether the unit `unit_code` may change the record: only the unit that found it,
    /// as a case's registration is corrected only by its registrar; the units it was
    /// handed to follow it up.
    pub fn may_revise(&self, unit_code: &str) -> bool {
        self.recorded_by.unit_code == unit_code
    }

    /// Still to be resolved here (not 已化解, not a case).
    pub fn is_open(&self) -> bool {
        matches!(self.status, ItemStatus::Unresolved | ItemStatus::Resolving)
    }

    /// Open past its deadline on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.record.deadline < today
    }

    /// Open and of high risk.
    pub fn is_high_risk(&self) -> bool {
        self.is_open() && self.record.risk == Risk::High
    }

    /// The day it was resolved (the follow-up that found it so), if it is.
    pub fn resolved_on(&self) -> Option<NaiveDate> {
        (self.status == ItemStatus::Resolved)
            .then(|| self.follow_ups.last().map(|f| f.on))
            .flatten()
    }

    /// The registration form filled from the item, for 转为信访事项: the clerk adds the
    /// channel, the type and the petitioners' details.
    pub fn petition_draft(&self) -> PetitionDraft {
        let r = &self.record;
        let mut petitioners: Vec<PetitionerDraft> = r
            .party_names()
            .into_iter()
            .map(|name| PetitionerDraft {
                name,
                ..PetitionerDraft::default()
            })
            .collect();
        if petitioners.is_empty() {
            petitioners.push(PetitionerDraft::default());
        }
        PetitionDraft {
            petitioners,
            head_count: r.head_count.to_string(),
            title: r.title().trim_end_matches('…').to_owned(),
            request: r.matter.clone(),
            facts: format!(
                "排查发现（{}）：{}\n化解措施：{}",
                r.found_on, r.matter, r.measures
            ),
            category: Some(r.category),
            township: r.township.clone(),
            village: r.village.clone(),
            ..PetitionDraft::default()
        }
    }

    /// Whether every term of `query` occurs in one of the item's fields (search).
    pub fn matches(&self, query: &str) -> bool {
        let r = &self.record;
        let case_no = self.case.as_ref().map(|c| c.1.as_str()).unwrap_or_default();
        let fields = [
            r.township.as_str(),
            &r.village,
            &r.parties,
            &r.matter,
            &r.responsible,
            &r.leader,
            r.category.label(),
            case_no,
        ]
        .map(normalize);
        query
            .split_whitespace()
            .map(normalize)
            .all(|t| fields.iter().any(|f| f.contains(&t)))
    }
}
