//! Who does which part of a case (各负其责): the 承办单位 of each phase, who may record
//! each step, and what one unit sees it must do. Every unit folds the same events to the
//! same facts; only the question "is this mine?" depends on who asks.

use chrono::NaiveDate;

use super::flow::Flow;
use super::party::{Party, Viewer};
use super::refusal::RuleError;
use super::steps::{Routing, Stage, Step, StepKind};
use crate::domain::calendar::WorkCalendar;
use crate::domain::event::Actor;

impl Flow {
    /// The unit that made the current routing (转送 or 交办), if any.
    fn router_party(&self) -> Option<&Party> {
        self.router.as_ref()
    }

    /// The unit holding the current phase: the reviewer in review, else the 承办单位.
    pub fn holder(&self) -> &Party {
        match self.stage {
            Stage::InReview | Stage::Reviewed => self.reviewer.as_ref().unwrap_or(&self.handler),
            Stage::InSecondReview | Stage::SecondReviewed | Stage::Terminated => self
                .second_reviewer
                .as_ref()
                .or(self.reviewer.as_ref())
                .unwrap_or(&self.handler),
            _ => &self.handler,
        }
    }

    /// The unit that must act for what is due now, if a unit must (in a petitioner's
    /// window none must).
    pub fn acting(&self) -> Option<&Party> {
        match self.stage {
            Stage::Forwarded | Stage::Assigned if self.objection.is_some() => self.router_party(),
            Stage::Reported => self.router_party(),
            Stage::Answered | Stage::Reviewed | Stage::SecondReviewed => None,
            s if s.is_finished() => None,
            _ => Some(self.holder()),
        }
    }

    /// Whose part a kind of step is now (`None`: any unit's). A review request is the
    /// level above's, checked in [`Flow::check_by`]: the answering unit may record one
    /// for a unit above it that works on paper.
    pub fn part_of(&self, kind: StepKind) -> Option<&Party> {
        match kind {
            StepKind::AgreeObjection
            | StepKind::RefuseObjection
            | StepKind::ApproveReport
            | StepKind::ReturnReport => self.router_party(),
            StepKind::RequestReview
            | StepKind::RequestSecondReview
            | StepKind::Evaluate
            | StepKind::Supervise => None,
            _ => Some(self.holder()),
        }
    }

    /// Whether `v` may record a step of this kind now (its own part only).
    pub fn may_write(&self, kind: StepKind, v: Viewer) -> bool {
        self.part_of(kind).is_none_or(|p| p.acts(v))
    }

    /// The steps `v` may record now: those the rules allow that are its part.
    pub fn allowed_for(&self, v: Viewer) -> Vec<StepKind> {
        let mut out = self.allowed();
        out.retain(|k| self.may_write(*k, v));
        out
    }

    /// Checks a step recorded by `by`: its part, then every rule ([`Flow::check`]).
    pub fn check_by(
        &self,
        step: &Step,
        by: &Actor,
        today: NaiveDate,
        cal: &WorkCalendar,
    ) -> Result<(), RuleError> {
        let v = Viewer::of(by);
        let kind = step.kind();
        if let Some(p) = self.part_of(kind).filter(|p| !p.acts(v)) {
            if self.allowed().contains(&kind) {
                return Err(RuleError::NotYourPart {
                    kind,
                    unit: p.name.clone(),
                });
            }
        }
        self.check(step, today, cal)?;
        if let Step::RequestReview { reviewer, .. } | Step::RequestSecondReview { reviewer, .. } =
            step
        {
            // The unit whose answer is contested names the unit above it; a unit that
            // works in the system records the request itself.
            let contested = match step {
                Step::RequestReview { .. } => self.answered_by.as_ref(),
                _ => self.reviewer.as_ref(),
            };
            // A unit that recorded the contested review for a unit above it asks the
            // level above that one, as the unit itself would.
            let own = contested.is_some_and(|p| match step {
                Step::RequestReview { .. } => p.is(v),
                _ => p.acts(v),
            });
            let names_itself = contested.is_some_and(|p| p.name == reviewer.trim());
            if (own && reviewer.trim().is_empty()) || names_itself {
                return Err(RuleError::ReviewGoesUp(kind));
            }
        }
        Ok(())
    }

    /// The unit a review request recorded by `v` names: its 上级单位 `parent` when the
    /// contested answer is its own (it records for the unit above), else none.
    pub fn reviewer_for(&self, kind: StepKind, v: Viewer, parent: &str) -> String {
        let contested = match kind {
            StepKind::RequestReview => self.answered_by.as_ref(),
            StepKind::RequestSecondReview => self.reviewer.as_ref(),
            _ => None,
        };
        let own = contested.is_some_and(|p| match kind {
            StepKind::RequestReview => p.is(v),
            _ => p.acts(v),
        });
        if own {
            parent.trim().to_owned()
        } else {
            String::new()
        }
    }

    /// Whether `v` should record its receipt (签收) of a case routed to it.
    pub fn receipt_owed(&self, v: Viewer) -> bool {
        matches!(self.stage, Stage::Forwarded | Stage::Assigned)
            && self.handler_received_on.is_none()
            && self.handler.is(v)
            && !self.router_party().is_some_and(|r| r.is(v))
    }

    /// The stage as `v` reads it: a case routed to it and not yet accepted is 待受理.
    pub fn stage_label_for(&self, v: Viewer) -> &'static str {
        self.stage.label_for(&self.handler, v)
    }

    /// What `v` should do next, in words; what it waits for when it is another unit's part.
    pub fn next_action_for(&self, v: Viewer) -> String {
        let mine = self.acting().is_some_and(|p| p.acts(v));
        match self.acting() {
            Some(p) if !mine => format!("由{}办理：{}", p.name, self.next_action()),
            _ => match self.stage {
                Stage::Forwarded | Stage::Assigned if self.objection.is_some() => {
                    "接收单位提出异议：核实后同意（退回重新分流）或不同意（由其继续办理）".into()
                }
                Stage::Answered | Stage::Reviewed
                    if self
                        .answered_by
                        .as_ref()
                        .or(self.reviewer.as_ref())
                        .is_some_and(|p| p.is(v)) =>
                {
                    format!(
                        "{}；复查、复核由上级单位受理",
                        self.next_action().trim_end_matches('。')
                    )
                }
                _ => self.next_action().to_owned(),
            },
        }
    }
}

impl Stage {
    /// How the stage reads to `v` when `handler` is the 承办单位: a case routed to `v`
    /// and not yet accepted is 待受理 there (the list row asks this too).
    pub fn label_for(self, handler: &Party, v: Viewer) -> &'static str {
        match self {
            Stage::Forwarded | Stage::Assigned if handler.is(v) => "待受理",
            s => s.label(),
        }
    }
}

impl Routing {
    /// The unit that handles a case routed this way by `router`, if it leaves the router.
    pub(super) fn handler(&self, router: &Actor) -> Option<Party> {
        match self {
            Routing::Forward { to, to_code } | Routing::Assign { to, to_code, .. } => {
                Some(Party::routed(to, to_code, router))
            }
            _ => None,
        }
    }
}
