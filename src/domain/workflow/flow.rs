//! The workflow state of one case, folded from its steps: what it allows now, what is
//! due and by when (the one place every deadline is computed), and every check that
//! refuses a step with the rule it breaks.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::refusal::RuleError;
use super::steps::{
    OpinionKind, Rating, Routing, Stage, Step, StepKind, HANDLING_DAYS, MAX_EXTENSION_DAYS,
    NOTICE_DAYS, OBJECTION_WORKING_DAYS, REVIEW_DAYS, ROUTING_DAYS, TRANSITIONS,
};
use crate::domain::calendar::WorkCalendar;
use crate::domain::ids::EventId;
use crate::domain::validate::non_blank;
use crate::domain::vocab::labelled_enum;

/// A 督办 order and its feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervision {
    /// The order's event id.
    pub id: EventId,
    /// Why the case is supervised.
    pub reason: String,
    /// Ordered on.
    pub on: NaiveDate,
    /// Feedback required by.
    pub feedback_due: NaiveDate,
    /// Feedback text and date, once given.
    pub feedback: Option<(String, NaiveDate)>,
}

impl Supervision {
    /// True when the feedback is still missing after its last day.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.feedback.is_none() && self.feedback_due < today
    }
}

labelled_enum!(
    /// What is due next: an obligation of the office, or a window of the petitioner or
    /// of a unit, which only closes.
    DueKind {
        Routing => "分流",
        ObjectionWindow => "接收单位异议期",
        AssignmentReport => "交办报告",
        AcceptanceNotice => "书面受理告知",
        Opinion => "出具处理意见书",
        ReviewWindow => "复查申请期",
        ReviewOpinion => "出具复查意见",
        SecondReviewWindow => "复核申请期",
        SecondReviewOpinion => "出具复核意见",
    }
);

impl DueKind {
    /// True for the office's own obligations: missing one makes the case overdue (超期).
    pub fn is_obligation(self) -> bool {
        !matches!(
            self,
            DueKind::ObjectionWindow | DueKind::ReviewWindow | DueKind::SecondReviewWindow
        )
    }
}

/// What is due next and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// What must happen.
    pub kind: DueKind,
    /// The last day.
    pub date: NaiveDate,
}

impl Due {
    /// True for the office's own obligations.
    pub fn obligation(&self) -> bool {
        self.kind.is_obligation()
    }

    /// Days from `today` to the last day: negative when past.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.date - today).num_days()
    }

    /// True when an obligation's last day has passed (超期).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.obligation() && today > self.date
    }

    /// "还剩 3 天" / "今天到期" / "已超期 2 天" (or "已届满" for a window).
    pub fn describe(&self, today: NaiveDate) -> String {
        describe_due(self.date, self.obligation(), today)
    }
}

/// How a last day reads on `today`: "还剩 3 天", "今天到期", "已超期 2 天", or "已届满"
/// for a window that is not an obligation.
pub fn describe_due(date: NaiveDate, obligation: bool, today: NaiveDate) -> String {
    match (date - today).num_days() {
        n if n > 0 => format!("还剩 {n} 天"),
        0 => "今天到期".to_owned(),
        n if obligation => format!("已超期 {} 天", -n),
        _ => "已届满".to_owned(),
    }
}

/// The workflow state of a case: the fold of its step events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Current stage.
    pub stage: Stage,
    /// Day the petition was received; periods of routing and notice run from it.
    pub received_on: NaiveDate,
    /// The latest routing decision and its date.
    pub routing: Option<(Routing, NaiveDate)>,
    /// Day of the written acceptance notice.
    pub notified_on: Option<NaiveDate>,
    /// No written notice is due: the petitioner's name and address are unknown (匿名,
    /// Art. 23 exempts them).
    pub notice_exempt: bool,
    /// Day the case was accepted (handling period runs from it).
    pub accepted_on: Option<NaiveDate>,
    /// Hearing periods (inclusive).
    pub hearings: Vec<(NaiveDate, NaiveDate)>,
    /// The extension: days, reason, day the petitioner was told.
    pub extension: Option<(u32, String, NaiveDate)>,
    /// The opinion's conclusion and delivery day.
    pub opinion: Option<(OpinionKind, NaiveDate)>,
    /// Day the first answer reached the petitioner (opinion delivered, or the assigned
    /// unit's report); the 复查 window runs from it.
    pub answered_on: Option<NaiveDate>,
    /// Day a 复查 was requested.
    pub review_requested_on: Option<NaiveDate>,
    /// Day of the 复查 opinion.
    pub reviewed_on: Option<NaiveDate>,
    /// Day a 复核 was requested.
    pub second_requested_on: Option<NaiveDate>,
    /// Day of the 复核 opinion.
    pub second_reviewed_on: Option<NaiveDate>,
    /// Evaluations, with the stage of the answer they rate.
    pub ratings: Vec<(Stage, Rating)>,
    /// 督办 orders.
    pub supervisions: Vec<Supervision>,
}

impl Flow {
    /// A newly registered case.
    pub fn new(received_on: NaiveDate) -> Flow {
        Flow {
            stage: Stage::AwaitingRouting,
            received_on,
            routing: None,
            notified_on: None,
            notice_exempt: false,
            accepted_on: None,
            hearings: Vec::new(),
            extension: None,
            opinion: None,
            answered_on: None,
            review_requested_on: None,
            reviewed_on: None,
            second_requested_on: None,
            second_reviewed_on: None,
            ratings: Vec::new(),
            supervisions: Vec::new(),
        }
    }

    /// True while the written acceptance notice is owed: not given yet, and not exempt.
    pub fn notice_pending(&self) -> bool {
        self.notified_on.is_none() && !self.notice_exempt
    }

    /// The last day of the window in which the answer may still be contested (复查 of an
    /// opinion, 复核 of a review opinion); once it has passed uncontested, the case is
    /// closed (办结) without a step. `None` where no such window is open.
    pub fn closes_after(&self, cal: &WorkCalendar) -> Option<NaiveDate> {
        match self.stage {
            Stage::Answered | Stage::Reviewed => self.due(cal).map(|d| d.date),
            _ => None,
        }
    }

    /// The window's last day, when on `today` it has passed uncontested (the case closed
    /// without a step).
    pub fn closed_uncontested(&self, cal: &WorkCalendar, today: NaiveDate) -> Option<NaiveDate> {
        self.closes_after(cal).filter(|last| today > *last)
    }

    /// Whether the case is closed on `today`: finished by a step, or answered and not
    /// contested within the window.
    pub fn is_closed(&self, cal: &WorkCalendar, today: NaiveDate) -> bool {
        self.stage.is_finished() || self.closed_uncontested(cal, today).is_some()
    }

    /// 督办 orders still waiting for feedback.
    pub fn open_supervisions(&self) -> impl Iterator<Item = &Supervision> {
        self.supervisions.iter().filter(|s| s.feedback.is_none())
    }

    /// The steps the rules allow now, in table order, then the 督办 steps.
    pub fn allowed(&self) -> Vec<StepKind> {
        let mut out: Vec<StepKind> = TRANSITIONS
            .iter()
            .find(|(s, _)| *s == self.stage)
            .map(|(_, k)| k.to_vec())
            .unwrap_or_default();
        out.retain(|k| match k {
            StepKind::NotifyAcceptance => self.notice_pending(),
            StepKind::Extend => self.extension.is_none(),
            StepKind::Evaluate => !self.ratings.iter().any(|(s, _)| *s == self.stage),
            _ => true,
        });
        if !self.stage.is_finished() {
            out.push(StepKind::Supervise);
        }
        if self.open_supervisions().next().is_some() {
            out.push(StepKind::SupervisionFeedback);
        }
        out
    }

    /// The days of the hearings held from `since` on, which the 复核 period leaves out
    /// (Art. 36: "听证所需时间不计算在前款规定的期限内").
    fn hearing_days_since(&self, since: NaiveDate) -> BTreeSet<NaiveDate> {
        self.hearings
            .iter()
            .filter(|(a, _)| *a >= since)
            .flat_map(|(a, b)| a.iter_days().take_while(move |d| d <= b))
            .collect()
    }

    /// The last day for the written opinion: 60 days from acceptance, plus the extension
    /// (Art. 34). Hearing days count here: the regulation leaves them out of the 复核
    /// period only (Art. 36).
    pub fn opinion_due(&self, cal: &WorkCalendar) -> Option<NaiveDate> {
        let accepted = self.accepted_on?;
        let ext = self.extension.as_ref().map_or(0, |(d, _, _)| *d);
        Some(cal.due_after_days(accepted, HANDLING_DAYS + ext, &BTreeSet::new()))
    }

    /// What is due next for this case (the 督办 feedback aside), if anything.
    pub fn due(&self, cal: &WorkCalendar) -> Option<Due> {
        let none = BTreeSet::new();
        let days = |from: NaiveDate, n: u32| cal.due_after_days(from, n, &none);
        let routed_on = self.routing.as_ref().map(|(_, d)| *d);
        match self.stage {
            Stage::AwaitingRouting => Some(Due {
                kind: DueKind::Routing,
                date: days(self.received_on, ROUTING_DAYS),
            }),
            Stage::Forwarded => routed_on.map(|on| Due {
                kind: DueKind::ObjectionWindow,
                date: cal.due_after_working_days(on, OBJECTION_WORKING_DAYS),
            }),
            Stage::Assigned => match &self.routing {
                Some((Routing::Assign { report_due, .. }, _)) => Some(Due {
                    kind: DueKind::AssignmentReport,
                    date: *report_due,
                }),
                _ => None,
            },
            Stage::Accepted if self.notice_pending() => Some(Due {
                kind: DueKind::AcceptanceNotice,
                date: notice_due(self.received_on, cal),
            }),
            Stage::Accepted => self.opinion_due(cal).map(|date| Due {
                kind: DueKind::Opinion,
                date,
            }),
            Stage::Answered => self.answered_on.map(|on| Due {
                kind: DueKind::ReviewWindow,
                date: days(on, REVIEW_DAYS),
            }),
            Stage::InReview => self.review_requested_on.map(|on| Due {
                kind: DueKind::ReviewOpinion,
                date: days(on, REVIEW_DAYS),
            }),
            Stage::Reviewed => self.reviewed_on.map(|on| Due {
                kind: DueKind::SecondReviewWindow,
                date: days(on, REVIEW_DAYS),
            }),
            Stage::InSecondReview => self.second_requested_on.map(|on| Due {
                kind: DueKind::SecondReviewOpinion,
                date: cal.due_after_days(on, REVIEW_DAYS, &self.hearing_days_since(on)),
            }),
            Stage::SecondReviewed
            | Stage::Redirected
            | Stage::Diverted
            | Stage::NotAccepted
            | Stage::Terminated => None,
        }
    }

    /// What the office should do next, in words.
    pub fn next_action(&self) -> &'static str {
        match self.stage {
            Stage::AwaitingRouting => "分流：转送、交办、直接受理、告知、导入法定途径或不予受理",
            Stage::Forwarded => "已转送有权处理的单位；接收单位可在 5 个工作日内提出异议",
            Stage::Assigned => "等待承办单位报告办理结果",
            Stage::Accepted if self.notice_pending() => "书面告知信访人已受理",
            Stage::Accepted => "办理并出具处理意见书",
            Stage::Answered => "等待信访人评价；信访人可在 30 日内请求复查",
            Stage::InReview => "出具复查意见",
            Stage::Reviewed => "等待信访人评价；信访人可在 30 日内请求复核",
            Stage::InSecondReview => "出具复核意见",
            Stage::SecondReviewed => "可以终结：同一事实和理由不再受理",
            Stage::Redirected | Stage::Diverted | Stage::NotAccepted | Stage::Terminated => {
                "已办结，无需进一步操作"
            }
        }
    }

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
                Routing::Forward { to } => text(to, "接收单位"),
                Routing::Assign { to, report_due } => {
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
                let routed_on = self.routing.as_ref().map_or(self.received_on, |(_, d)| *d);
                let last = cal.due_after_working_days(routed_on, OBJECTION_WORKING_DAYS);
                if *on > last {
                    return Err(RuleError::ObjectionTooLate(last));
                }
                Ok(())
            }
            Step::NotifyAcceptance { .. } => Ok(()),
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

    /// Applies a recorded step. Steps from a log are applied as recorded, even if a rule
    /// changed since: the log is history, checked when it was made.
    pub fn apply(&mut self, id: &EventId, step: &Step) {
        match step {
            Step::Route { routing, on } => {
                self.stage = routing.stage();
                if matches!(routing, Routing::Accept) {
                    self.accepted_on = Some(*on);
                }
                self.routing = Some((routing.clone(), *on));
            }
            Step::Object { .. } => {
                self.stage = Stage::AwaitingRouting;
                self.routing = None;
            }
            Step::NotifyAcceptance { on } => self.notified_on = Some(*on),
            Step::Report { on, .. } => {
                self.stage = Stage::Answered;
                self.answered_on = Some(*on);
            }
            Step::Note { .. } | Step::Mediation { .. } => {}
            Step::Hearing { from, to, .. } => self.hearings.push((*from, *to)),
            Step::Extend {
                days,
                reason,
                told_on,
                ..
            } => self.extension = Some((*days, reason.clone(), *told_on)),
            Step::Opinion {
                kind, delivered_on, ..
            } => {
                self.stage = Stage::Answered;
                self.opinion = Some((*kind, *delivered_on));
                self.answered_on = Some(*delivered_on);
            }
            Step::Evaluate { rating, .. } => self.ratings.push((self.stage, *rating)),
            Step::RequestReview { on, .. } => {
                self.stage = Stage::InReview;
                self.review_requested_on = Some(*on);
            }
            Step::ReviewOpinion { on, .. } => {
                self.stage = Stage::Reviewed;
                self.reviewed_on = Some(*on);
            }
            Step::RequestSecondReview { on, .. } => {
                self.stage = Stage::InSecondReview;
                self.second_requested_on = Some(*on);
            }
            Step::SecondReviewOpinion { on, .. } => {
                self.stage = Stage::SecondReviewed;
                self.second_reviewed_on = Some(*on);
            }
            Step::Terminate { .. } => self.stage = Stage::Terminated,
            Step::Supervise {
                reason,
                feedback_due,
                on,
            } => self.supervisions.push(Supervision {
                id: id.clone(),
                reason: reason.clone(),
                on: *on,
                feedback_due: *feedback_due,
                feedback: None,
            }),
            Step::SupervisionFeedback { order, text, on } => {
                if let Some(s) = self.supervisions.iter_mut().find(|s| s.id == *order) {
                    s.feedback = Some((text.clone(), *on));
                }
            }
        }
    }

    /// The latest rating, if any.
    pub fn latest_rating(&self) -> Option<Rating> {
        self.ratings.last().map(|(_, r)| *r)
    }
}

/// The last day to tell the petitioner in writing whether a petition received on `on` is
/// accepted (Art. 23): what the citizen's receipt promises and the office's deadline.
pub fn notice_due(on: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
    cal.due_after_days(on, NOTICE_DAYS, &BTreeSet::new())
}
