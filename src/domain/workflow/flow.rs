//! The workflow state of one case, folded from its steps: what it allows now, what is
//! due and by when (the one place every deadline is computed), and every check that
//! refuses a step with the rule it breaks.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::party::Party;
use super::steps::{
    OpinionKind, Rating, Routing, Stage, Step, StepKind, HANDLING_DAYS, NOTICE_DAYS,
    OBJECTION_WORKING_DAYS, REVIEW_DAYS, ROUTING_DAYS, TRANSITIONS,
};
use crate::domain::calendar::WorkCalendar;
use crate::domain::event::Actor;
use crate::domain::ids::EventId;
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
        Acceptance => "决定是否受理",
        AssignmentReport => "办结报告",
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
    /// The unit that made it (the 转送 or 交办 unit, which approves and tracks).
    pub router: Option<Party>,
    /// The 承办单位: the registering unit, or the unit it was 转送/交办 to.
    pub handler: Party,
    /// The day the 承办单位 received a 转送/交办 case (签收); its periods run from it.
    pub handler_received_on: Option<NaiveDate>,
    /// An objection waiting for the sender: reason and day.
    pub objection: Option<(String, NaiveDate)>,
    /// An objection was made (agreed or not): it cannot be made again.
    pub objected: bool,
    /// The date set for the 办结报告 of a 交办 case (the latest, after a 退回重办).
    pub report_due: Option<NaiveDate>,
    /// Day the 办结报告 waiting for approval was made.
    pub reported_on: Option<NaiveDate>,
    /// How many times the report was sent back (退回重办).
    pub returns: u32,
    /// Day of the written acceptance notice.
    pub notified_on: Option<NaiveDate>,
    /// No written notice is due: the petitioner's name and address are unknown (匿名,
    /// Art. 23 exempts them).
    pub notice_exempt: bool,
    /// The answer may be contested by 复查 and 复核: a 申诉求决 matter. 建议意见 and
    /// 检举控告 are answered once; the answer closes them.
    pub reviewable: bool,
    /// Day the case was accepted (handling period runs from it).
    pub accepted_on: Option<NaiveDate>,
    /// Hearing periods (inclusive).
    pub hearings: Vec<(NaiveDate, NaiveDate)>,
    /// The extension: days, reason, day the petitioner was told.
    pub extension: Option<(u32, String, NaiveDate)>,
    /// The opinion's conclusion and delivery day.
    pub opinion: Option<(OpinionKind, NaiveDate)>,
    /// Day the first answer reached the petitioner (opinion delivered, or the assigned
    /// unit's approved report); the 复查 window runs from it.
    pub answered_on: Option<NaiveDate>,
    /// The unit whose answer that is: a 复查 goes to the level above it.
    pub answered_by: Option<Party>,
    /// The unit taking the 复查.
    pub reviewer: Option<Party>,
    /// Day a 复查 was requested.
    pub review_requested_on: Option<NaiveDate>,
    /// Day of the 复查 opinion.
    pub reviewed_on: Option<NaiveDate>,
    /// The unit taking the 复核.
    pub second_reviewer: Option<Party>,
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
    /// A newly registered case, held by the unit that registered it.
    pub fn new(received_on: NaiveDate, registrar: Party) -> Flow {
        Flow {
            stage: Stage::AwaitingRouting,
            received_on,
            routing: None,
            router: None,
            handler: registrar,
            handler_received_on: None,
            objection: None,
            objected: false,
            report_due: None,
            reported_on: None,
            returns: 0,
            notified_on: None,
            notice_exempt: false,
            reviewable: true,
            accepted_on: None,
            hearings: Vec::new(),
            extension: None,
            opinion: None,
            answered_on: None,
            answered_by: None,
            reviewer: None,
            review_requested_on: None,
            reviewed_on: None,
            second_reviewer: None,
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
            Stage::Answered if !self.reviewable => self.answered_on,
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
        let objecting = self.objection.is_some();
        out.retain(|k| match k {
            StepKind::Receive => self.handler_received_on.is_none(),
            StepKind::Object => !self.objected,
            StepKind::AgreeObjection | StepKind::RefuseObjection => objecting,
            StepKind::Accept | StepKind::Decline => !objecting,
            StepKind::Report => self.is_assigned(),
            StepKind::RequestReview => self.reviewable,
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

    /// Whether the case was 交办 (the assigning unit approves the report).
    pub fn is_assigned(&self) -> bool {
        matches!(self.routing, Some((Routing::Assign { .. }, _)))
    }

    /// The day the handling unit's periods run from: its receipt of a 转送/交办 case (the
    /// routing day until its receipt is known here), else the day the petition was received.
    pub fn handling_from(&self) -> NaiveDate {
        match &self.routing {
            Some((Routing::Forward { .. } | Routing::Assign { .. }, on)) => {
                self.handler_received_on.unwrap_or(*on)
            }
            _ => self.received_on,
        }
    }

    /// The last day to tell the petitioner in writing whether the case is accepted (Art.
    /// 23), counted from the handling unit's receipt.
    pub fn notice_due(&self, cal: &WorkCalendar) -> NaiveDate {
        notice_due(self.handling_from(), cal)
    }

    /// What is due next for this case (the 督办 feedback aside), if anything.
    pub fn due(&self, cal: &WorkCalendar) -> Option<Due> {
        let none = BTreeSet::new();
        let days = |from: NaiveDate, n: u32| cal.due_after_days(from, n, &none);
        let due = |kind, date| Some(Due { kind, date });
        match self.stage {
            Stage::AwaitingRouting => due(DueKind::Routing, days(self.received_on, ROUTING_DAYS)),
            // An objection waits for the sender, who has no period of its own.
            Stage::Forwarded | Stage::Assigned if self.objection.is_some() => None,
            Stage::Forwarded | Stage::Assigned => due(DueKind::Acceptance, self.notice_due(cal)),
            Stage::Accepted if self.notice_pending() => {
                due(DueKind::AcceptanceNotice, self.notice_due(cal))
            }
            Stage::Accepted => match self.report_due.filter(|_| self.is_assigned()) {
                Some(date) => due(DueKind::AssignmentReport, date),
                None => self.opinion_due(cal).and_then(|d| due(DueKind::Opinion, d)),
            },
            Stage::Reported => None,
            Stage::Answered if !self.reviewable => None,
            Stage::Answered => self
                .answered_on
                .and_then(|on| due(DueKind::ReviewWindow, days(on, REVIEW_DAYS))),
            Stage::InReview => self
                .review_requested_on
                .and_then(|on| due(DueKind::ReviewOpinion, days(on, REVIEW_DAYS))),
            Stage::Reviewed => self
                .reviewed_on
                .and_then(|on| due(DueKind::SecondReviewWindow, days(on, REVIEW_DAYS))),
            Stage::InSecondReview => self.second_requested_on.and_then(|on| {
                due(
                    DueKind::SecondReviewOpinion,
                    cal.due_after_days(on, REVIEW_DAYS, &self.hearing_days_since(on)),
                )
            }),
            Stage::SecondReviewed
            | Stage::Redirected
            | Stage::Diverted
            | Stage::NotAccepted
            | Stage::Terminated
            | Stage::Archived => None,
        }
    }

    /// The last day the handling unit may object to a 转送 or 交办 (Art. 23): 5 working
    /// days from its receipt.
    pub fn objection_last_day(&self, cal: &WorkCalendar) -> NaiveDate {
        cal.due_after_working_days(self.handling_from(), OBJECTION_WORKING_DAYS)
    }

    /// What the office should do next, in words.
    pub fn next_action(&self) -> &'static str {
        match self.stage {
            Stage::AwaitingRouting => "分流：转送、交办、直接受理、告知、导入法定途径或不予受理",
            Stage::Forwarded | Stage::Assigned => {
                "决定是否受理并书面告知信访人；不属本单位职责的，可在收到后 5 个工作日内提出异议"
            }
            Stage::Accepted if self.notice_pending() => "书面告知信访人已受理",
            Stage::Accepted if self.is_assigned() => "办理并在期限内报送办结报告",
            Stage::Reported => "审核办结报告：审核通过，或退回重办",
            Stage::Accepted => "办理并出具处理意见书",
            Stage::Answered => "等待信访人评价；信访人可在 30 日内请求复查",
            Stage::InReview => "出具复查意见",
            Stage::Reviewed => "等待信访人评价；信访人可在 30 日内请求复核",
            Stage::InSecondReview => "出具复核意见",
            Stage::SecondReviewed => "可以终结：同一事实和理由不再受理",
            Stage::Redirected | Stage::Diverted | Stage::NotAccepted | Stage::Terminated => {
                "已办结，无需进一步操作"
            }
            Stage::Archived => "已在原台账中办结，无需进一步操作",
        }
    }

    /// Applies a step recorded by `by`. Steps from a log are applied as recorded, even if
    /// a rule changed since: the log is history, checked when it was made.
    pub fn apply(&mut self, id: &EventId, by: &Actor, step: &Step) {
        match step {
            Step::Route { routing, on } => {
                self.stage = routing.stage();
                if matches!(routing, Routing::Accept) {
                    self.accepted_on = Some(*on);
                }
                if let Some(handler) = routing.handler(by) {
                    self.router = Some(Party::of(by));
                    self.handler = handler;
                    self.handler_received_on = None;
                }
                if let Routing::Assign { report_due, .. } = routing {
                    self.report_due = Some(*report_due);
                }
                self.routing = Some((routing.clone(), *on));
            }
            Step::Receive { on } => {
                self.handler_received_on.get_or_insert(*on);
            }
            Step::Accept { on } => {
                self.stage = Stage::Accepted;
                self.accepted_on = Some(*on);
            }
            Step::Decline { .. } => self.stage = Stage::NotAccepted,
            Step::Object { reason, on } => {
                self.objection = Some((reason.clone(), *on));
                self.objected = true;
            }
            Step::AgreeObjection { .. } => {
                // The case is the sender's to route again.
                self.stage = Stage::AwaitingRouting;
                self.objection = None;
                if let Some(router) = self.router.take() {
                    self.handler = router;
                }
                self.routing = None;
                self.report_due = None;
                self.handler_received_on = None;
            }
            Step::RefuseObjection { .. } => self.objection = None,
            Step::NotifyAcceptance { on } => self.notified_on = Some(*on),
            Step::Report { on, .. } => {
                // Records made before reports were approved told of a report received by
                // the assigning unit: they, too, now wait for its approval.
                self.stage = Stage::Reported;
                self.reported_on = Some(*on);
            }
            Step::ApproveReport { on } => {
                self.stage = Stage::Answered;
                self.answered_on = Some(self.opinion.map_or(*on, |(_, d)| d));
                self.answered_by = Some(self.handler.clone());
            }
            Step::ReturnReport { report_due, .. } => {
                self.stage = Stage::Accepted;
                self.report_due = Some(*report_due);
                self.reported_on = None;
                self.opinion = None;
                self.returns += 1;
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
                self.opinion = Some((*kind, *delivered_on));
                // A 交办 case's opinion stands once the assigning unit approves the report.
                if !self.is_assigned() {
                    self.stage = Stage::Answered;
                    self.answered_on = Some(*delivered_on);
                    self.answered_by = Some(self.handler.clone());
                }
            }
            Step::Evaluate { rating, .. } => self.ratings.push((self.stage, *rating)),
            Step::RequestReview { on, reviewer, .. } => {
                self.stage = Stage::InReview;
                self.review_requested_on = Some(*on);
                self.reviewer = Some(Party::reviewing(reviewer, by));
            }
            Step::ReviewOpinion { on, .. } => {
                self.stage = Stage::Reviewed;
                self.reviewed_on = Some(*on);
            }
            Step::RequestSecondReview { on, reviewer, .. } => {
                self.stage = Stage::InSecondReview;
                self.second_requested_on = Some(*on);
                self.second_reviewer = Some(Party::reviewing(reviewer, by));
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
