//! 应急处置 on a case: the emergency plans started for it, their handling records and the
//! 事后总结, as the case's events fold them. The plans themselves are a register
//! (`registers::plans`); the rules for starting one live there.

use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use super::event::{Actor, Event, EventBody};
use super::ids::EntryId;
use super::time::Timestamp;

/// Days after a plan is started by which its 事后总结 is due.
pub const SUMMARY_DAYS: i64 = 30;

/// One handling record (处置记录) of a started plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanNote {
    /// When it was recorded.
    pub at: Timestamp,
    /// What was done.
    pub text: String,
    /// Who recorded it.
    pub by: Actor,
}

/// The 事后总结 of a started plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSummary {
    /// 事件经过.
    pub happened: String,
    /// 有效做法.
    pub worked: String,
    /// 经验教训.
    pub lessons: String,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who recorded it.
    pub by: Actor,
}

/// A plan started on a case, with what was done under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedPlan {
    /// The plan.
    pub plan: EntryId,
    /// Its name when started.
    pub name: String,
    /// When it was started.
    pub started_at: Timestamp,
    /// Who started it.
    pub by: Actor,
    /// Handling records, in order.
    pub notes: Vec<PlanNote>,
    /// The 事后总结, once recorded.
    pub summary: Option<PlanSummary>,
}

impl StartedPlan {
    /// The day (in China) it was started.
    pub fn started_on(&self) -> NaiveDate {
        self.started_at.china_date()
    }

    /// The last day for its 事后总结.
    pub fn summary_due(&self) -> NaiveDate {
        PlanRow::of(self).summary_due()
    }

    /// Still without its 事后总结 after [`SUMMARY_DAYS`] on `today`.
    pub fn summary_overdue(&self, today: NaiveDate) -> bool {
        PlanRow::of(self).summary_overdue(today)
    }
}

/// A started plan as the case's list row keeps it (for the workbench and the dashboard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    /// The plan's name when started.
    pub name: String,
    /// The day it was started.
    pub started_on: NaiveDate,
    /// Whether its 事后总结 is recorded.
    pub summarized: bool,
}

impl PlanRow {
    /// The row of a started plan.
    pub fn of(p: &StartedPlan) -> PlanRow {
        PlanRow {
            name: p.name.clone(),
            started_on: p.started_on(),
            summarized: p.summary.is_some(),
        }
    }

    /// The last day for its 事后总结.
    pub fn summary_due(&self) -> NaiveDate {
        self.started_on + TimeDelta::days(SUMMARY_DAYS)
    }

    /// Still without its 事后总结 after [`SUMMARY_DAYS`] on `today`.
    pub fn summary_overdue(&self, today: NaiveDate) -> bool {
        !self.summarized && today > self.summary_due()
    }

    /// Where its 事后总结 stands on `today`, in words.
    pub fn summary_state(&self, today: NaiveDate) -> String {
        match (self.summarized, self.summary_overdue(today)) {
            (true, _) => "已总结".into(),
            (false, true) => format!("逾期未总结（应于 {} 前）", self.summary_due()),
            (false, false) => format!("待总结（{} 前）", self.summary_due()),
        }
    }
}

/// Folds one case event into the plans started on the case (other events leave them).
pub(crate) fn apply(plans: &mut Vec<StartedPlan>, e: &Event) {
    let id = match &e.body {
        EventBody::PlanStarted { plan, .. }
        | EventBody::PlanNoted { plan, .. }
        | EventBody::PlanSummarized { plan, .. } => plan,
        _ => return,
    };
    let at = plans.iter().position(|p| &p.plan == id);
    match (&e.body, at) {
        (EventBody::PlanStarted { plan, name }, None) => plans.push(StartedPlan {
            plan: plan.clone(),
            name: name.clone(),
            started_at: e.at,
            by: e.actor.clone(),
            notes: Vec::new(),
            summary: None,
        }),
        (EventBody::PlanNoted { text, .. }, Some(i)) => plans[i].notes.push(PlanNote {
            at: e.at,
            text: text.clone(),
            by: e.actor.clone(),
        }),
        (
            EventBody::PlanSummarized {
                happened,
                worked,
                lessons,
                ..
            },
            Some(i),
        ) if plans[i].summary.is_none() => {
            plans[i].summary = Some(PlanSummary {
                happened: happened.clone(),
                worked: worked.clone(),
                lessons: lessons.clone(),
                at: e.at,
                by: e.actor.clone(),
            })
        }
        // A second start, or a record of a plan never started here: nothing to fold.
        _ => {}
    }
}
