//! Every check that refuses a step with the rule it breaks: the table first, then the
//! dates and texts each step must carry.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::flow::Flow;
use super::refusal::RuleError;
use super::steps::{Routing, Stage, Step, StepKind, MAX_EXTENSION_DAYS, REVIEW_DAYS};
use crate::domain::calendar::WorkCalendar;
use crate::domain::validate::non_blank;

impl Flow {
    /// Checks a step against the table and every rule; `today` bounds its dates.
    pub fn check(
        &self,
        step: &Step,
        today: NaiveDate,
        cal: &WorkCalendar,
    ) -> Result<(), RuleError> {
        let kind = step.kind();
        if !self.allowed().contains(&kind) {
            return self.refuse_kind(kind);
        }
        let on = step.date();
        if on > today {
            return Err(RuleError::FutureDate(on));
        }
        if on < self.received_on {
            return Err(RuleError::BeforeReceipt {
                on,
                received: self.received_on,
            });
        }
        let none = BTreeSet::new();
        let text =
            |s: &str, what: &'static str| non_blank(s).map(|_| ()).ok_or(RuleError::Missing(what));
        match step {
            Step::Route { routing, on } => match routing {
                Routing::Forward { to, .. } => text(to, "接收单位"),
                Routing::Assign { to, report_due, .. } => {
                    text(to, "承办单位")?;
                    if report_due <= on {
                        return Err(RuleError::ReportDueTooEarly);
                    }
                    Ok(())
                }
                Routing::Accept => Ok(()),
                Routing::Redirect { authority } => text(authority, "应当前往的有权机关"),
                Routing::Divert { path } => text(path, "法定途径（诉讼、仲裁、行政复议等）"),
                Routing::Reject { reasons } => text(reasons, "不予受理的理由"),
            },
            Step::Object { reason, on } => {
                text(reason, "异议理由")?;
                let last = self.objection_last_day(cal);
                if *on > last {
                    return Err(RuleError::ObjectionTooLate(last));
                }
                Ok(())
            }
            Step::NotifyAcceptance { .. }
            | Step::Receive { .. }
            | Step::Accept { .. }
            | Step::AgreeObjection { .. }
            | Step::ApproveReport { .. } => Ok(()),
            Step::Decline { reasons, .. } => text(reasons, "不予受理的理由"),
            Step::RefuseObjection { reason, .. } => text(reason, "不同意异议的理由"),
            Step::ReturnReport {
                reasons,
                report_due,
                on,
            } => {
                text(reasons, "退回重办的理由")?;
                if report_due <= on {
                    return Err(RuleError::ReportDueTooEarly);
                }
                Ok(())
            }
            Step::Report { summary, .. } => text(summary, "办理结果"),
            Step::Note { text: t, .. } => text(t, "办理情况"),
            Step::Hearing { from, to, .. } => {
                if to < from {
                    return Err(RuleError::HearingEndsBeforeStart);
                }
                if *to > today {
                    return Err(RuleError::HearingNotOver);
                }
                Ok(())
            }
            Step::Mediation { agreement, .. } => text(agreement, "调解协议内容"),
            Step::Extend {
                days,
                approver,
                reason,
                told_on,
            } => {
                if *days == 0 || *days > MAX_EXTENSION_DAYS {
                    return Err(RuleError::ExtensionTooLong);
                }
                if let Some(last) = self.opinion_due(cal) {
                    if *told_on > last {
                        return Err(RuleError::ExtensionTooLate(last));
                    }
                }
                text(approver, "批准延期的负责人")?;
                text(reason, "延期理由")
            }
            Step::Opinion { facts, basis, .. } => {
                if self.notice_pending() {
                    return Err(RuleError::OpinionBeforeNotice);
                }
                text(facts, "认定的事实")?;
                text(basis, "处理依据")
            }
            Step::Evaluate { .. } => Ok(()),
            Step::RequestReview { on, .. } => {
                let delivered = self.answered_on.unwrap_or(self.received_on);
                let last = cal.due_after_days(delivered, REVIEW_DAYS, &none);
                if *on > last {
                    return Err(RuleError::ReviewTooLate(last));
                }
                Ok(())
            }
            Step::ReviewOpinion { text: t, .. } => text(t, "复查意见"),
            Step::RequestSecondReview { on, .. } => {
                let reviewed = self.reviewed_on.unwrap_or(self.received_on);
                let last = cal.due_after_days(reviewed, REVIEW_DAYS, &none);
                if *on > last {
                    return Err(RuleError::SecondReviewTooLate(last));
                }
                Ok(())
            }
            Step::SecondReviewOpinion { text: t, .. } => text(t, "复核意见"),
            Step::Terminate { .. } => Ok(()),
            Step::Supervise {
                reason,
                feedback_due,
                on,
            } => {
                text(reason, "督办事由")?;
                if feedback_due <= on {
                    return Err(RuleError::FeedbackDueTooEarly);
                }
                Ok(())
            }
            Step::SupervisionFeedback { order, text: t, .. } => {
                if !self.open_supervisions().any(|s| s.id == *order) {
                    return Err(RuleError::NoSuchSupervision);
                }
                text(t, "反馈内容")
            }
        }
    }

    fn refuse_kind(&self, kind: StepKind) -> Result<(), RuleError> {
        let stage = self.stage;
        Err(match kind {
            StepKind::NotifyAcceptance if self.notified_on.is_some() => RuleError::AlreadyNotified,
            StepKind::Object if self.objected => RuleError::AlreadyObjected,
            StepKind::Accept | StepKind::Decline if self.objection.is_some() => {
                RuleError::ObjectionPending
            }
            StepKind::Report if stage == Stage::Accepted => RuleError::NotAssigned,
            StepKind::RequestReview if !self.reviewable && stage == Stage::Answered => {
                RuleError::NotReviewable
            }
            StepKind::NotifyAcceptance if self.notice_exempt => RuleError::NoticeNotOwed,
            StepKind::Extend if self.extension.is_some() => RuleError::AlreadyExtended,
            StepKind::Evaluate if self.ratings.iter().any(|(s, _)| *s == self.stage) => {
                RuleError::AlreadyRated
            }
            StepKind::Route => RuleError::AlreadyRouted(stage),
            StepKind::Terminate => RuleError::TerminateBeforeSecondReview(stage),
            StepKind::RequestReview => RuleError::ReviewBeforeOpinion(stage),
            StepKind::RequestSecondReview => RuleError::SecondReviewBeforeReview(stage),
            StepKind::Opinion
            | StepKind::Extend
            | StepKind::Hearing
            | StepKind::Mediation
            | StepKind::NotifyAcceptance => RuleError::NotBeingHandled(stage, kind),
            StepKind::Supervise => RuleError::SuperviseClosed(stage),
            StepKind::SupervisionFeedback => RuleError::NoOpenSupervision,
            _ => RuleError::NotNow(stage, kind),
        })
    }
}
