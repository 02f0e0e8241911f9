//! The statutory workflow of 《信访工作条例》(2022): one table of stages and the steps
//! each allows, one place for every deadline rule, and the checks that refuse a step
//! with the rule it breaks. The UI asks this module what is allowed and what is due.
//!
//! Article numbers follow the project's domain brief: 分流 Art. 22; objection within
//! 5 working days and 受理告知 within 15 days Art. 23; 处理意见书 Art. 32; 60 days plus at
//! most one extension of 30 days Art. 34; 复查 Art. 35; 复核 Art. 36.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::calendar::WorkCalendar;
use super::ids::EventId;
use super::validate::non_blank;
use super::vocab::labelled_enum;

labelled_enum!(
    /// Where a case stands.
    Stage {
        AwaitingRouting => "待分流",
        Forwarded => "已转送",
        Assigned => "已交办",
        Accepted => "办理中",
        Answered => "已答复",
        InReview => "复查中",
        Reviewed => "复查已答复",
        InSecondReview => "复核中",
        SecondReviewed => "复核已答复",
        Redirected => "已告知",
        Diverted => "已导入法定途径",
        NotAccepted => "不予受理",
        Terminated => "已终结",
    }
);

// Written out because the enum comes from `labelled_enum!`, which cannot mark a default.
#[allow(clippy::derivable_impls)]
impl Default for Stage {
    fn default() -> Self {
        Stage::AwaitingRouting
    }
}

impl Stage {
    /// True once nothing more is expected of this unit (the case is closed here).
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Stage::Forwarded
                | Stage::Redirected
                | Stage::Diverted
                | Stage::NotAccepted
                | Stage::Terminated
        )
    }
}

labelled_enum!(
    /// The conclusion of a 处理意见书 or review opinion.
    OpinionKind { Support => "支持", Explain => "解释说明", Reject => "不予支持" }
);

labelled_enum!(
    /// The petitioner's evaluation of an answer.
    Rating { Satisfied => "满意", Basic => "基本满意", Unsatisfied => "不满意" }
);

labelled_enum!(
    /// The kinds of step, for menus and the transition table.
    StepKind {
        Route => "分流",
        Object => "提出异议",
        NotifyAcceptance => "受理告知",
        Report => "收到办理报告",
        Note => "办理记录",
        Hearing => "听证",
        Mediation => "调解",
        Extend => "延期",
        Opinion => "处理意见书",
        Evaluate => "评价",
        RequestReview => "复查申请",
        ReviewOpinion => "复查意见",
        RequestSecondReview => "复核申请",
        SecondReviewOpinion => "复核意见",
        Terminate => "终结",
        Supervise => "督办",
        SupervisionFeedback => "督办反馈",
    }
);

/// The 分流 decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Routing {
    /// 转送 to the competent unit.
    Forward {
        /// Receiving unit.
        to: String,
    },
    /// 交办 with a deadline for the report back.
    Assign {
        /// Receiving unit.
        to: String,
        /// Date by which the unit reports back.
        report_due: NaiveDate,
    },
    /// 直接受理.
    Accept,
    /// 告知 the petitioner which authority to go to.
    Redirect {
        /// The competent authority.
        authority: String,
    },
    /// 导入法定途径: court, arbitration or administrative review (诉访分离).
    Divert {
        /// The legal channel.
        path: String,
    },
    /// 不予受理, with reasons.
    Reject {
        /// Why.
        reasons: String,
    },
}

impl Routing {
    /// The Chinese name of the decision.
    pub fn label(&self) -> &'static str {
        match self {
            Routing::Forward { .. } => "转送",
            Routing::Assign { .. } => "交办",
            Routing::Accept => "直接受理",
            Routing::Redirect { .. } => "告知",
            Routing::Divert { .. } => "导入法定途径",
            Routing::Reject { .. } => "不予受理",
        }
    }

    fn stage(&self) -> Stage {
        match self {
            Routing::Forward { .. } => Stage::Forwarded,
            Routing::Assign { .. } => Stage::Assigned,
            Routing::Accept => Stage::Accepted,
            Routing::Redirect { .. } => Stage::Redirected,
            Routing::Divert { .. } => Stage::Diverted,
            Routing::Reject { .. } => Stage::NotAccepted,
        }
    }
}

/// A workflow step: what a step event records. `on` is the date it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// 分流.
    Route { routing: Routing, on: NaiveDate },
    /// The receiving unit objects to a 转送 or 交办.
    Object { reason: String, on: NaiveDate },
    /// 受理告知 in writing.
    NotifyAcceptance { on: NaiveDate },
    /// The assigned unit reports back.
    Report { summary: String, on: NaiveDate },
    /// A handling note (investigation, talk, visit).
    Note { text: String, on: NaiveDate },
    /// 听证: these days do not count toward the handling period.
    Hearing {
        from: NaiveDate,
        to: NaiveDate,
        note: String,
    },
    /// 调解 agreement.
    Mediation { agreement: String, on: NaiveDate },
    /// 延期, with the reason and the day the petitioner was told.
    Extend {
        days: u32,
        reason: String,
        told_on: NaiveDate,
    },
    /// 处理意见书.
    Opinion {
        kind: OpinionKind,
        facts: String,
        basis: String,
        delivered_on: NaiveDate,
    },
    /// 评价 of the latest answer.
    Evaluate {
        rating: Rating,
        comment: String,
        on: NaiveDate,
    },
    /// 复查 request.
    RequestReview { reason: String, on: NaiveDate },
    /// 复查意见.
    ReviewOpinion {
        kind: OpinionKind,
        text: String,
        on: NaiveDate,
    },
    /// 复核 request.
    RequestSecondReview { reason: String, on: NaiveDate },
    /// 复核意见.
    SecondReviewOpinion {
        kind: OpinionKind,
        text: String,
        on: NaiveDate,
    },
    /// 终结.
    Terminate { note: String, on: NaiveDate },
    /// 督办 order.
    Supervise {
        reason: String,
        feedback_due: NaiveDate,
        on: NaiveDate,
    },
    /// Feedback on a 督办 order (the order is the id of its event).
    SupervisionFeedback {
        order: EventId,
        text: String,
        on: NaiveDate,
    },
}

impl Step {
    /// Which kind of step this is.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Route { .. } => StepKind::Route,
            Step::Object { .. } => StepKind::Object,
            Step::NotifyAcceptance { .. } => StepKind::NotifyAcceptance,
            Step::Report { .. } => StepKind::Report,
            Step::Note { .. } => StepKind::Note,
            Step::Hearing { .. } => StepKind::Hearing,
            Step::Mediation { .. } => StepKind::Mediation,
            Step::Extend { .. } => StepKind::Extend,
            Step::Opinion { .. } => StepKind::Opinion,
            Step::Evaluate { .. } => StepKind::Evaluate,
            Step::RequestReview { .. } => StepKind::RequestReview,
            Step::ReviewOpinion { .. } => StepKind::ReviewOpinion,
            Step::RequestSecondReview { .. } => StepKind::RequestSecondReview,
            Step::SecondReviewOpinion { .. } => StepKind::SecondReviewOpinion,
            Step::Terminate { .. } => StepKind::Terminate,
            Step::Supervise { .. } => StepKind::Supervise,
            Step::SupervisionFeedback { .. } => StepKind::SupervisionFeedback,
        }
    }

    /// What the step records, in one line of Chinese for the history.
    pub fn describe(&self) -> String {
        match self {
            Step::Route { routing, on } => {
                let detail = match routing {
                    Routing::Forward { to } => format!("转送 {to}"),
                    Routing::Assign { to, report_due } => {
                        format!("交办 {to}，{report_due} 前报告办理结果")
                    }
                    Routing::Accept => "直接受理".to_owned(),
                    Routing::Redirect { authority } => format!("告知信访人向 {authority} 提出"),
                    Routing::Divert { path } => format!("导入法定途径：{path}"),
                    Routing::Reject { reasons } => format!("不予受理：{reasons}"),
                };
                format!("{on} 分流：{detail}")
            }
            Step::Object { reason, on } => format!("{on} 接收单位提出异议：{reason}"),
            Step::NotifyAcceptance { on } => format!("{on} 书面告知信访人已受理"),
            Step::Report { summary, on } => format!("{on} 收到承办单位办理报告：{summary}"),
            Step::Note { text, on } => format!("{on} {text}"),
            Step::Hearing { from, to, note } => {
                format!("{from} 至 {to} 听证（期间不计入办理期限）：{note}")
            }
            Step::Mediation { agreement, on } => format!("{on} 达成调解协议：{agreement}"),
            Step::Extend {
                days,
                reason,
                told_on,
            } => format!("延长办理期限 {days} 日，理由：{reason}；{told_on} 告知信访人"),
            Step::Opinion {
                kind,
                facts,
                basis,
                delivered_on,
            } => {
                format!(
                    "处理意见：{}。事实：{facts}。依据：{basis}。{delivered_on} 送达",
                    kind.label()
                )
            }
            Step::Evaluate {
                rating,
                comment,
                on,
            } => format!("{on} 信访人评价：{}。{comment}", rating.label()),
            Step::RequestReview { reason, on } => format!("{on} 信访人请求复查：{reason}"),
            Step::ReviewOpinion { kind, text, on } => {
                format!("{on} 复查意见：{}。{text}", kind.label())
            }
            Step::RequestSecondReview { reason, on } => format!("{on} 信访人请求复核：{reason}"),
            Step::SecondReviewOpinion { kind, text, on } => {
                format!("{on} 复核意见：{}。{text}", kind.label())
            }
            Step::Terminate { note, on } => format!("{on} 终结：{note}"),
            Step::Supervise {
                reason,
                feedback_due,
                on,
            } => format!("{on} 督办：{reason}；{feedback_due} 前反馈"),
            Step::SupervisionFeedback { text, on, .. } => format!("{on} 督办反馈：{text}"),
        }
    }

    /// The date the step happened (a hearing: its first day).
    pub fn date(&self) -> NaiveDate {
        match self {
            Step::Hearing { from, .. } => *from,
            Step::Extend { told_on, .. } => *told_on,
            Step::Opinion { delivered_on, .. } => *delivered_on,
            Step::Route { on, .. }
            | Step::Object { on, .. }
            | Step::NotifyAcceptance { on }
            | Step::Report { on, .. }
            | Step::Note { on, .. }
            | Step::Mediation { on, .. }
            | Step::Evaluate { on, .. }
            | Step::RequestReview { on, .. }
            | Step::ReviewOpinion { on, .. }
            | Step::RequestSecondReview { on, .. }
            | Step::SecondReviewOpinion { on, .. }
            | Step::Terminate { on, .. }
            | Step::Supervise { on, .. }
            | Step::SupervisionFeedback { on, .. } => *on,
        }
    }
}

/// The transition table: the steps each stage allows (督办 steps aside, see
/// [`Flow::allowed`]), and nothing else.
pub const TRANSITIONS: &[(Stage, &[StepKind])] = &[
    (Stage::AwaitingRouting, &[StepKind::Route]),
    (Stage::Forwarded, &[StepKind::Object]),
    (Stage::Assigned, &[StepKind::Object, StepKind::Report]),
    (
        Stage::Accepted,
        &[
            StepKind::NotifyAcceptance,
            StepKind::Note,
            StepKind::Hearing,
            StepKind::Mediation,
            StepKind::Extend,
            StepKind::Opinion,
        ],
    ),
    (
        Stage::Answered,
        &[StepKind::Evaluate, StepKind::RequestReview],
    ),
    (Stage::InReview, &[StepKind::Note, StepKind::ReviewOpinion]),
    (
        Stage::Reviewed,
        &[StepKind::Evaluate, StepKind::RequestSecondReview],
    ),
    (
        Stage::InSecondReview,
        &[StepKind::Note, StepKind::SecondReviewOpinion],
    ),
    (
        Stage::SecondReviewed,
        &[StepKind::Evaluate, StepKind::Terminate],
    ),
    (Stage::Redirected, &[]),
    (Stage::Diverted, &[]),
    (Stage::NotAccepted, &[]),
    (Stage::Terminated, &[]),
];

/// Calendar days to route a case after receipt (Art. 22).
pub const ROUTING_DAYS: u32 = 15;
/// Calendar days to tell the petitioner in writing whether it is accepted (Art. 23).
pub const NOTICE_DAYS: u32 = 15;
/// Working days in which a receiving unit may object to a 转送 or 交办 (Art. 23).
pub const OBJECTION_WORKING_DAYS: u32 = 5;
/// Calendar days from acceptance to the written opinion (Art. 34).
pub const HANDLING_DAYS: u32 = 60;
/// The longest extension, granted at most once (Art. 34).
pub const MAX_EXTENSION_DAYS: u32 = 30;
/// Calendar days to request a 复查 or 复核, and to answer one (Art. 35, 36).
pub const REVIEW_DAYS: u32 = 30;

/// A step refused by the rules, with the reason in Chinese naming the rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct RuleError(pub String);

fn refuse<T>(msg: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError(msg.into()))
}

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

/// What is due next, by when, and whether missing it makes the case overdue (an
/// obligation of the office) or only closes a window (of the petitioner or a unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// What must happen, e.g. "分流".
    pub what: &'static str,
    /// The last day.
    pub date: NaiveDate,
    /// True for the office's own obligations.
    pub obligation: bool,
}

impl Due {
    /// Days from `today` to the last day: negative when past.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.date - today).num_days()
    }

    /// True when an obligation's last day has passed (超期).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.obligation && today > self.date
    }

    /// "还剩 3 天" / "今天到期" / "已超期 2 天" (or "已届满" for a window).
    pub fn describe(&self, today: NaiveDate) -> String {
        describe_due(self.date, self.obligation, today)
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
            StepKind::NotifyAcceptance => self.notified_on.is_none(),
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

    fn handling_paused_days(&self) -> BTreeSet<NaiveDate> {
        self.hearings
            .iter()
            .flat_map(|(a, b)| a.iter_days().take_while(move |d| d <= b))
            .collect()
    }

    /// The last day for the written opinion: 60 days from acceptance, plus the
    /// extension, not counting hearing days (Art. 34).
    pub fn opinion_due(&self, cal: &WorkCalendar) -> Option<NaiveDate> {
        let accepted = self.accepted_on?;
        let ext = self.extension.as_ref().map_or(0, |(d, _, _)| *d);
        Some(cal.due_after_days(accepted, HANDLING_DAYS + ext, &self.handling_paused_days()))
    }

    /// What is due next for this case (the 督办 feedback aside), if anything.
    pub fn due(&self, cal: &WorkCalendar) -> Option<Due> {
        let none = BTreeSet::new();
        let days = |from: NaiveDate, n: u32| cal.due_after_days(from, n, &none);
        let routed_on = self.routing.as_ref().map(|(_, d)| *d);
        match self.stage {
            Stage::AwaitingRouting => Some(Due {
                what: "分流",
                date: days(self.received_on, ROUTING_DAYS),
                obligation: true,
            }),
            Stage::Forwarded => routed_on.map(|on| Due {
                what: "接收单位异议期",
                date: cal.due_after_working_days(on, OBJECTION_WORKING_DAYS),
                obligation: false,
            }),
            Stage::Assigned => match &self.routing {
                Some((Routing::Assign { report_due, .. }, _)) => Some(Due {
                    what: "交办报告",
                    date: *report_due,
                    obligation: true,
                }),
                _ => None,
            },
            Stage::Accepted if self.notified_on.is_none() => Some(Due {
                what: "书面受理告知",
                date: days(self.received_on, NOTICE_DAYS),
                obligation: true,
            }),
            Stage::Accepted => self.opinion_due(cal).map(|date| Due {
                what: "出具处理意见书",
                date,
                obligation: true,
            }),
            Stage::Answered => self.answered_on.map(|on| Due {
                what: "复查申请期",
                date: days(on, REVIEW_DAYS),
                obligation: false,
            }),
            Stage::InReview => self.review_requested_on.map(|on| Due {
                what: "出具复查意见",
                date: days(on, REVIEW_DAYS),
                obligation: true,
            }),
            Stage::Reviewed => self.reviewed_on.map(|on| Due {
                what: "复核申请期",
                date: days(on, REVIEW_DAYS),
                obligation: false,
            }),
            Stage::InSecondReview => self.second_requested_on.map(|on| Due {
                what: "出具复核意见",
                date: days(on, REVIEW_DAYS),
                obligation: true,
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
            Stage::Accepted if self.notified_on.is_none() => "书面告知信访人已受理",
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
            return refuse(format!("日期 {on} 晚于今天，请填写实际发生的日期"));
        }
        if on < self.received_on {
            return refuse(format!(
                "日期 {on} 早于收件日期 {}，请核对",
                self.received_on
            ));
        }
        let none = BTreeSet::new();
        let text = |s: &str, what: &str| {
            non_blank(s)
                .map(|_| ())
                .ok_or_else(|| RuleError(format!("请填写{what}")))
        };
        match step {
            Step::Route { routing, on } => match routing {
                Routing::Forward { to } => text(to, "接收单位"),
                Routing::Assign { to, report_due } => {
                    text(to, "承办单位")?;
                    if report_due <= on {
                        return refuse("交办的报告期限应晚于交办日期");
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
                    return refuse(format!(
                        "《信访工作条例》第二十三条：对转送、交办有异议的，应在 5 个工作日内提出；本件已于 {last} 届满"
                    ));
                }
                Ok(())
            }
            Step::NotifyAcceptance { .. } => Ok(()),
            Step::Report { summary, .. } => text(summary, "办理结果"),
            Step::Note { text: t, .. } => text(t, "办理情况"),
            Step::Hearing { from, to, .. } => {
                if to < from {
                    return refuse("听证结束日期不能早于开始日期");
                }
                if *to > today {
                    return refuse("听证结束日期晚于今天：请在听证结束后登记");
                }
                Ok(())
            }
            Step::Mediation { agreement, .. } => text(agreement, "调解协议内容"),
            Step::Extend { days, reason, .. } => {
                if *days == 0 || *days > MAX_EXTENSION_DAYS {
                    return refuse("《信访工作条例》第三十四条：办理期限可以适当延长，但延长期限不得超过 30 日");
                }
                text(reason, "延期理由")
            }
            Step::Opinion { facts, basis, .. } => {
                if self.notified_on.is_none() {
                    return refuse(
                        "《信访工作条例》第二十三条：应先书面告知信访人已受理，再出具处理意见书",
                    );
                }
                text(facts, "认定的事实")?;
                text(basis, "处理依据")
            }
            Step::Evaluate { .. } => Ok(()),
            Step::RequestReview { on, .. } => {
                let delivered = self.answered_on.unwrap_or(self.received_on);
                let last = cal.due_after_days(delivered, REVIEW_DAYS, &none);
                if *on > last {
                    return refuse(format!(
                        "《信访工作条例》第三十五条：应自收到书面答复之日起 30 日内请求复查；本件已于 {last} 届满"
                    ));
                }
                Ok(())
            }
            Step::ReviewOpinion { text: t, .. } => text(t, "复查意见"),
            Step::RequestSecondReview { on, .. } => {
                let reviewed = self.reviewed_on.unwrap_or(self.received_on);
                let last = cal.due_after_days(reviewed, REVIEW_DAYS, &none);
                if *on > last {
                    return refuse(format!(
                        "《信访工作条例》第三十六条：应自收到复查意见之日起 30 日内请求复核；本件已于 {last} 届满"
                    ));
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
                    return refuse("反馈期限应晚于督办日期");
                }
                Ok(())
            }
            Step::SupervisionFeedback { order, text: t, .. } => {
                if !self.open_supervisions().any(|s| s.id == *order) {
                    return refuse("该督办单不存在或已反馈");
                }
                text(t, "反馈内容")
            }
        }
    }

    fn refuse_kind(&self, kind: StepKind) -> Result<(), RuleError> {
        let stage = self.stage.label();
        refuse(match kind {
            StepKind::NotifyAcceptance if self.notified_on.is_some() => {
                "已书面告知受理，无需重复告知".to_owned()
            }
            StepKind::Extend if self.extension.is_some() => {
                "《信访工作条例》第三十四条：办理期限只能延长一次，本件已延期".to_owned()
            }
            StepKind::Evaluate if self.ratings.iter().any(|(s, _)| *s == self.stage) => {
                "本次答复已评价".to_owned()
            }
            StepKind::Route => format!(
                "本件{stage}，不能再分流；分流只适用于待分流的案件（《信访工作条例》第二十二条）"
            ),
            StepKind::Terminate => {
                format!("本件{stage}：只有经复核后才能终结（《信访工作条例》第三十六条，三级终结）")
            }
            StepKind::RequestReview => format!(
                "本件{stage}：只有出具处理意见书后才能请求复查（《信访工作条例》第三十五条）"
            ),
            StepKind::RequestSecondReview => {
                format!("本件{stage}：只有出具复查意见后才能请求复核（《信访工作条例》第三十六条）")
            }
            StepKind::Opinion
            | StepKind::Extend
            | StepKind::Hearing
            | StepKind::Mediation
            | StepKind::NotifyAcceptance => {
                format!("本件{stage}：{}只适用于已受理、正在办理的案件（《信访工作条例》第二十三、三十四条）", kind.label())
            }
            StepKind::Supervise => format!("本件{stage}，已办结，不能督办"),
            StepKind::SupervisionFeedback => "本件没有待反馈的督办单".to_owned(),
            _ => format!("本件{stage}，此时不能进行“{}”", kind.label()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn eid(n: u8) -> EventId {
        EventId::from_random([n; 16])
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::official()
    }

    /// A sample step of each kind, dated `on`.
    fn sample(kind: StepKind, on: NaiveDate, flow: &Flow) -> Step {
        let t = || "内容".to_owned();
        match kind {
            StepKind::Route => Step::Route {
                routing: Routing::Accept,
                on,
            },
            StepKind::Object => Step::Object { reason: t(), on },
            StepKind::NotifyAcceptance => Step::NotifyAcceptance { on },
            StepKind::Report => Step::Report { summary: t(), on },
            StepKind::Note => Step::Note { text: t(), on },
            StepKind::Hearing => Step::Hearing {
                from: on,
                to: on,
                note: t(),
            },
            StepKind::Mediation => Step::Mediation { agreement: t(), on },
            StepKind::Extend => Step::Extend {
                days: 30,
                reason: t(),
                told_on: on,
            },
            StepKind::Opinion => Step::Opinion {
                kind: OpinionKind::Support,
                facts: t(),
                basis: t(),
                delivered_on: on,
            },
            StepKind::Evaluate => Step::Evaluate {
                rating: Rating::Satisfied,
                comment: t(),
                on,
            },
            StepKind::RequestReview => Step::RequestReview { reason: t(), on },
            StepKind::ReviewOpinion => Step::ReviewOpinion {
                kind: OpinionKind::Explain,
                text: t(),
                on,
            },
            StepKind::RequestSecondReview => Step::RequestSecondReview { reason: t(), on },
            StepKind::SecondReviewOpinion => Step::SecondReviewOpinion {
                kind: OpinionKind::Reject,
                text: t(),
                on,
            },
            StepKind::Terminate => Step::Terminate { note: t(), on },
            StepKind::Supervise => Step::Supervise {
                reason: t(),
                feedback_due: on.succ_opt().unwrap(),
                on,
            },
            StepKind::SupervisionFeedback => Step::SupervisionFeedback {
                order: flow
                    .supervisions
                    .first()
                    .map(|s| s.id.clone())
                    .unwrap_or_else(|| eid(99)),
                text: t(),
                on,
            },
        }
    }

    /// A flow brought to `stage` through the real steps, all on 2026-11-02.
    fn flow_at(stage: Stage) -> Flow {
        let on = d(11, 2);
        let mut f = Flow::new(on);
        let route = |r: Routing| Step::Route { routing: r, on };
        let path: Vec<Step> = match stage {
            Stage::AwaitingRouting => vec![],
            Stage::Forwarded => vec![route(Routing::Forward {
                to: "县人社局".into(),
            })],
            Stage::Assigned => vec![route(Routing::Assign {
                to: "城关镇".into(),
                report_due: d(11, 30),
            })],
            Stage::Redirected => vec![route(Routing::Redirect {
                authority: "县法院".into(),
            })],
            Stage::Diverted => vec![route(Routing::Divert {
                path: "劳动仲裁".into(),
            })],
            Stage::NotAccepted => vec![route(Routing::Reject {
                reasons: "不属于信访事项".into(),
            })],
            _ => {
                let mut p = vec![route(Routing::Accept), Step::NotifyAcceptance { on }];
                let rest = [
                    (Stage::Answered, sample(StepKind::Opinion, on, &f)),
                    (Stage::InReview, sample(StepKind::RequestReview, on, &f)),
                    (Stage::Reviewed, sample(StepKind::ReviewOpinion, on, &f)),
                    (
                        Stage::InSecondReview,
                        sample(StepKind::RequestSecondReview, on, &f),
                    ),
                    (
                        Stage::SecondReviewed,
                        sample(StepKind::SecondReviewOpinion, on, &f),
                    ),
                    (Stage::Terminated, sample(StepKind::Terminate, on, &f)),
                ];
                if stage != Stage::Accepted {
                    for (s, step) in rest {
                        p.push(step);
                        if s == stage {
                            break;
                        }
                    }
                }
                p
            }
        };
        for (i, s) in path.iter().enumerate() {
            f.apply(&eid(i as u8), s);
        }
        assert_eq!(f.stage, stage);
        f
    }

    #[test]
    fn the_whole_transition_table() {
        let today = d(11, 2);
        for stage in Stage::ALL {
            let flow = flow_at(*stage);
            let table = TRANSITIONS
                .iter()
                .find(|(s, _)| s == stage)
                .map(|(_, k)| *k)
                .unwrap();
            for kind in StepKind::ALL {
                let result = flow.check(&sample(*kind, today, &flow), today, &cal());
                let expected = match kind {
                    StepKind::Supervise => !stage.is_finished(),
                    StepKind::SupervisionFeedback => false,
                    StepKind::NotifyAcceptance => {
                        table.contains(kind) && flow.notified_on.is_none()
                    }
                    _ => table.contains(kind),
                };
                assert_eq!(result.is_ok(), expected, "{stage:?} + {kind:?}: {result:?}");
                if let Err(e) = result {
                    assert!(!e.0.is_empty());
                }
            }
        }
    }

    #[test]
    fn every_stage_is_in_the_table_once() {
        for stage in Stage::ALL {
            assert_eq!(
                TRANSITIONS.iter().filter(|(s, _)| s == stage).count(),
                1,
                "{stage:?}"
            );
        }
    }

    #[test]
    fn refusals_name_the_rule() {
        let today = d(11, 2);
        let f = flow_at(Stage::Accepted);
        let e = f
            .check(&sample(StepKind::Terminate, today, &f), today, &cal())
            .unwrap_err();
        assert!(e.0.contains("复核后才能终结"), "{e}");
        let e = flow_at(Stage::Answered)
            .check(&sample(StepKind::Route, today, &f), today, &cal())
            .unwrap_err();
        assert!(e.0.contains("第二十二条"), "{e}");
    }

    #[test]
    fn dates_in_the_future_or_before_receipt_are_refused() {
        let f = flow_at(Stage::AwaitingRouting);
        let accept = |on| Step::Route {
            routing: Routing::Accept,
            on,
        };
        assert!(f
            .check(&accept(d(11, 3)), d(11, 2), &cal())
            .unwrap_err()
            .0
            .contains("晚于今天"));
        assert!(f
            .check(&accept(d(11, 1)), d(11, 2), &cal())
            .unwrap_err()
            .0
            .contains("早于收件日期"));
    }

    #[test]
    fn routing_and_notice_are_due_15_days_after_receipt() {
        let mut f = Flow::new(d(9, 20));
        let due = f.due(&cal()).unwrap();
        assert_eq!(
            (due.what, due.date),
            ("分流", d(10, 8)),
            "ends in the National Day holiday"
        );
        f.apply(
            &eid(1),
            &Step::Route {
                routing: Routing::Accept,
                on: d(9, 21),
            },
        );
        assert_eq!(
            f.due(&cal()).unwrap(),
            Due {
                what: "书面受理告知",
                date: d(10, 8),
                obligation: true
            }
        );
    }

    #[test]
    fn the_opinion_is_due_60_days_after_acceptance_plus_extension_minus_hearings() {
        let mut f = flow_at(Stage::Accepted);
        // Accepted 2026-11-02 (Mon) + 60 = 2027-01-01, a Friday holiday in 2027? The
        // shipped calendar only knows 2026, so it is a plain Friday.
        assert_eq!(
            f.due(&cal()).unwrap().date,
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        f.apply(
            &eid(5),
            &Step::Hearing {
                from: d(11, 10),
                to: d(11, 12),
                note: String::new(),
            },
        );
        assert_eq!(
            f.due(&cal()).unwrap().date,
            NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            "+3 days is a Monday"
        );
        f.apply(
            &eid(6),
            &Step::Extend {
                days: 30,
                reason: "需要调查".into(),
                told_on: d(12, 1),
            },
        );
        assert_eq!(
            f.due(&cal()).unwrap().date,
            NaiveDate::from_ymd_opt(2027, 2, 3).unwrap()
        );
    }

    #[test]
    fn extension_is_capped_at_30_days_and_granted_once() {
        let today = d(12, 1);
        let mut f = flow_at(Stage::Accepted);
        let ext = |days| Step::Extend {
            days,
            reason: "需要调查".into(),
            told_on: today,
        };
        assert!(f
            .check(&ext(31), today, &cal())
            .unwrap_err()
            .0
            .contains("不得超过 30 日"));
        assert!(f.check(&ext(0), today, &cal()).is_err());
        assert!(f
            .check(
                &Step::Extend {
                    days: 10,
                    reason: " ".into(),
                    told_on: today
                },
                today,
                &cal()
            )
            .is_err());
        f.check(&ext(30), today, &cal()).unwrap();
        f.apply(&eid(7), &ext(30));
        assert!(f
            .check(&ext(5), today, &cal())
            .unwrap_err()
            .0
            .contains("只能延长一次"));
        assert!(!f.allowed().contains(&StepKind::Extend));
    }

    #[test]
    fn the_opinion_needs_the_acceptance_notice_first() {
        let on = d(11, 2);
        let mut f = Flow::new(on);
        f.apply(
            &eid(1),
            &Step::Route {
                routing: Routing::Accept,
                on,
            },
        );
        let e = f
            .check(&sample(StepKind::Opinion, on, &f), on, &cal())
            .unwrap_err();
        assert!(e.0.contains("应先书面告知"), "{e}");
    }

    #[test]
    fn objection_window_is_5_working_days() {
        let mut f = Flow::new(d(9, 28));
        f.apply(
            &eid(1),
            &Step::Route {
                routing: Routing::Forward {
                    to: "县住建局".into(),
                },
                on: d(9, 29),
            },
        );
        let due = f.due(&cal()).unwrap();
        assert_eq!(
            (due.date, due.obligation),
            (d(10, 12), false),
            "holiday week and the 调休 Saturday"
        );
        let object = |on| Step::Object {
            reason: "不属本单位职责".into(),
            on,
        };
        f.check(&object(d(10, 12)), d(10, 20), &cal()).unwrap();
        assert!(f
            .check(&object(d(10, 13)), d(10, 20), &cal())
            .unwrap_err()
            .0
            .contains("5 个工作日"));
        f.apply(&eid(2), &object(d(10, 12)));
        assert_eq!(f.stage, Stage::AwaitingRouting);
    }

    #[test]
    fn review_and_second_review_windows_are_30_days() {
        let mut f = flow_at(Stage::Answered);
        assert_eq!(
            f.due(&cal()).unwrap(),
            Due {
                what: "复查申请期",
                date: d(12, 2),
                obligation: false
            }
        );
        let req = |on| Step::RequestReview {
            reason: "不服".into(),
            on,
        };
        assert!(f
            .check(&req(d(12, 3)), d(12, 10), &cal())
            .unwrap_err()
            .0
            .contains("第三十五条"));
        f.check(&req(d(12, 2)), d(12, 10), &cal()).unwrap();
        f.apply(&eid(8), &req(d(12, 2)));
        assert_eq!(
            f.due(&cal()).unwrap(),
            Due {
                what: "出具复查意见",
                date: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                obligation: true
            }
        );
        f.apply(
            &eid(9),
            &Step::ReviewOpinion {
                kind: OpinionKind::Explain,
                text: "维持".into(),
                on: d(12, 20),
            },
        );
        let late = Step::RequestSecondReview {
            reason: "不服".into(),
            on: NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(),
        };
        assert!(f
            .check(&late, NaiveDate::from_ymd_opt(2027, 1, 25).unwrap(), &cal())
            .unwrap_err()
            .0
            .contains("第三十六条"));
    }

    #[test]
    fn evaluation_once_per_answer_and_supervision_until_feedback() {
        let today = d(11, 2);
        let mut f = flow_at(Stage::Answered);
        f.apply(&eid(10), &sample(StepKind::Evaluate, today, &f));
        assert_eq!(f.latest_rating(), Some(Rating::Satisfied));
        assert!(f
            .check(&sample(StepKind::Evaluate, today, &f), today, &cal())
            .unwrap_err()
            .0
            .contains("已评价"));

        let order = Step::Supervise {
            reason: "久拖不决".into(),
            feedback_due: d(11, 9),
            on: today,
        };
        f.check(&order, today, &cal()).unwrap();
        f.apply(&eid(11), &order);
        assert_eq!(f.open_supervisions().count(), 1);
        assert!(f.allowed().contains(&StepKind::SupervisionFeedback));
        let wrong = Step::SupervisionFeedback {
            order: eid(3),
            text: "已办".into(),
            on: today,
        };
        assert!(f.check(&wrong, today, &cal()).is_err());
        let feedback = Step::SupervisionFeedback {
            order: eid(11),
            text: "已办".into(),
            on: today,
        };
        f.check(&feedback, today, &cal()).unwrap();
        f.apply(&eid(12), &feedback);
        assert_eq!(f.open_supervisions().count(), 0);
    }

    #[test]
    fn overdue_and_days_left() {
        let due = Due {
            what: "分流",
            date: d(11, 20),
            obligation: true,
        };
        assert_eq!(due.describe(d(11, 17)), "还剩 3 天");
        assert_eq!(due.describe(d(11, 20)), "今天到期");
        assert_eq!(due.describe(d(11, 22)), "已超期 2 天");
        assert!(due.is_overdue(d(11, 21)));
        let window = Due {
            obligation: false,
            ..due
        };
        assert!(!window.is_overdue(d(11, 21)));
        assert_eq!(window.describe(d(11, 22)), "已届满");
    }

    #[test]
    fn steps_round_trip_through_json() {
        let s = Step::Route {
            routing: Routing::Assign {
                to: "城关镇".into(),
                report_due: d(11, 30),
            },
            on: d(11, 2),
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.contains("\"step\":\"route\"") && json.contains("\"how\":\"assign\""),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Step>(&json).unwrap(), s);
    }
}
