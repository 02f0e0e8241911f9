//! A plan's events and fold, and the events a started plan writes on a case, each
//! constructor checking its rule.

use thiserror::Error;

use super::record::{PlanFacts, PlanRecord, MAX_TEXT};
use crate::domain::case::CaseState;
use crate::domain::event::{Actor, Event, EventBody};
use crate::domain::ids::{EntryId, EventId};
use crate::domain::registers::versioned::{self, Entry, Versioned};
use crate::domain::registers::{EntryError, EntryEvent};
use crate::domain::response::StartedPlan;
use crate::domain::text::normalize;
use crate::domain::time::Timestamp;
use crate::domain::validate::{non_blank, too_long};

/// What an event of a plan records (制定, then 修订 with a reason). Backups carry this
/// form; new kinds would be new variants.
pub type PlanBody = Versioned<PlanRecord>;

/// One event of a plan.
pub type PlanEvent = EntryEvent<PlanBody>;

/// A plan as it stands: the fold of its events.
pub type Plan = Entry<PlanRecord>;

/// Builds a plan from its events, in any order, ignoring duplicates.
pub fn fold(events: &[PlanEvent]) -> Result<Plan, EntryError> {
    versioned::fold(events)
}

pub use versioned::revise;

/// Why a change to a plan, or a plan's work on a case, was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanError {
    /// The plan was already started on the case.
    #[error("本案已启动“{0}”，请在下方记录处置情况")]
    AlreadyStarted(String),
    /// A record or summary of a plan not started on the case.
    #[error("本案尚未启动该预案")]
    NotStarted,
    /// A record or second summary after the summary.
    #[error("“{0}”的事后总结已记录，处置已结束")]
    Summarized(String),
    /// A handling record without its text.
    #[error("请填写处置情况")]
    NoText,
    /// A summary missing one of its parts.
    #[error("请填写{0}")]
    Missing(&'static str),
    /// A text over the limit.
    #[error("{0}过长：最多 {MAX_TEXT} 字")]
    TooLong(&'static str),
}

/// The first event of a new plan.
pub fn record(
    id: EventId,
    entry: EntryId,
    actor: Actor,
    at: Timestamp,
    record: PlanRecord,
) -> PlanEvent {
    versioned::record((id, entry), actor, at, record)
}

impl Entry<PlanRecord> {
    /// Whether it applies to a petition with `facts`.
    pub fn applies(&self, facts: &PlanFacts) -> bool {
        self.record.applies(facts)
    }

    /// Whether a search for `q` finds it (name, conditions, units, steps).
    pub fn matches(&self, q: &str) -> bool {
        let q = normalize(q);
        let r = &self.record;
        q.is_empty()
            || [&r.name, &r.conditions(), &r.units, &r.steps]
                .iter()
                .any(|t| normalize(t).contains(&q))
    }
}

/// The plans that apply to a petition with `facts`, by name.
pub fn matching<'a>(plans: &'a [Plan], facts: &PlanFacts) -> Vec<&'a Plan> {
    let mut out: Vec<&Plan> = plans.iter().filter(|p| p.applies(facts)).collect();
    out.sort_by(|a, b| a.record.name.cmp(&b.record.name));
    out
}

fn case_event(
    case: &CaseState,
    (id, actor, at): (EventId, Actor, Timestamp),
    body: EventBody,
) -> Event {
    Event {
        id,
        case_id: case.id.clone(),
        actor,
        at,
        body,
    }
}

/// The plan started on `case`, unless it already was.
pub fn start(
    case: &CaseState,
    plan: &Plan,
    by: (EventId, Actor, Timestamp),
) -> Result<Event, PlanError> {
    if let Some(p) = case.plans.iter().find(|p| p.plan == plan.id) {
        return Err(PlanError::AlreadyStarted(p.name.clone()));
    }
    Ok(case_event(
        case,
        by,
        EventBody::PlanStarted {
            plan: plan.id.clone(),
            name: plan.record.name.clone(),
        },
    ))
}

/// The plan `plan` as started on `case`, still open for records.
fn open_on<'a>(case: &'a CaseState, plan: &EntryId) -> Result<&'a StartedPlan, PlanError> {
    let started = case
        .plans
        .iter()
        .find(|p| &p.plan == plan)
        .ok_or(PlanError::NotStarted)?;
    match started.summary {
        Some(_) => Err(PlanError::Summarized(started.name.clone())),
        None => Ok(started),
    }
}

fn required(value: &str, what: &'static str) -> Result<String, PlanError> {
    let v = non_blank(value).ok_or(PlanError::Missing(what))?;
    match too_long(v, MAX_TEXT) {
        Some(_) => Err(PlanError::TooLong(what)),
        None => Ok(v.to_owned()),
    }
}

/// A handling record (处置记录) under the plan started on `case`.
pub fn note(
    case: &CaseState,
    plan: &EntryId,
    text: &str,
    by: (EventId, Actor, Timestamp),
) -> Result<Event, PlanError> {
    open_on(case, plan)?;
    let text = match required(text, "处置情况") {
        Err(PlanError::Missing(_)) => return Err(PlanError::NoText),
        other => other?,
    };
    Ok(case_event(
        case,
        by,
        EventBody::PlanNoted {
            plan: plan.clone(),
            text,
        },
    ))
}

/// The 事后总结 of the plan started on `case`: what happened, what worked, the lessons;
/// recorded once, after which the plan takes no more records.
pub fn summarize(
    case: &CaseState,
    plan: &EntryId,
    (happened, worked, lessons): (&str, &str, &str),
    by: (EventId, Actor, Timestamp),
) -> Result<Event, PlanError> {
    open_on(case, plan)?;
    let happened = required(happened, "事件经过")?;
    let worked = required(worked, "有效做法")?;
    let lessons = required(lessons, "经验教训")?;
    Ok(case_event(
        case,
        by,
        EventBody::PlanSummarized {
            plan: plan.clone(),
            happened,
            worked,
            lessons,
        },
    ))
}
