//! The vocabulary of the workflow: stages, steps, the transition table and the statutory
//! periods, each defined once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::ids::EventId;
use crate::domain::vocab::labelled_enum;

labelled_enum!(
    /// Where a case stands.
    Stage {
        AwaitingRouting => "待分流",
        Forwarded => "已转送",
        Assigned => "已交办",
        Accepted => "办理中",
        Reported => "待审核",
        Answered => "已答复",
        InReview => "复查中",
        Reviewed => "复查已答复",
        InSecondReview => "复核中",
        SecondReviewed => "复核已答复",
        Redirected => "已告知",
        Diverted => "已导入法定途径",
        NotAccepted => "不予受理",
        Terminated => "已终结",
        Archived => "原台账已办结",
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
    /// True once nothing more is expected of any unit (the case is closed by a step).
    /// A 转送 case is not: the forwarding unit tracks it until the receiver answers.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Stage::Redirected
                | Stage::Diverted
                | Stage::NotAccepted
                | Stage::Terminated
                | Stage::Archived
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
        Receive => "签收",
        Object => "提出异议",
        AgreeObjection => "同意异议",
        RefuseObjection => "不同意异议",
        Accept => "受理",
        Decline => "不予受理",
        NotifyAcceptance => "受理告知",
        Report => "办结报告",
        ApproveReport => "审核通过",
        ReturnReport => "退回重办",
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
        /// Its code, when it works in the system (a trusted unit): then only it records
        /// its part. Without one, the forwarding unit records what it reports on paper.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_code: Option<String>,
    },
    /// 交办 with a deadline for the report back.
    Assign {
        /// Receiving unit.
        to: String,
        /// Its code, when it works in the system (see `Forward`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_code: Option<String>,
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

    /// The stage the case moves to once routed this way.
    pub fn stage(&self) -> Stage {
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
    Route {
        /// The decision.
        routing: Routing,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 签收: the receiving unit of a 转送 or 交办 has the case (recorded on import); its
    /// periods run from this day.
    Receive {
        /// The day it happened.
        on: NaiveDate,
    },
    /// The receiving unit accepts a 转送 or 交办 case (受理).
    Accept {
        /// The day it happened.
        on: NaiveDate,
    },
    /// The receiving unit does not accept it (不予受理), with reasons.
    Decline {
        /// Why.
        reasons: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// The sender has checked the objection and agrees (核实同意): the case is its to route again.
    AgreeObjection {
        /// The day it happened.
        on: NaiveDate,
    },
    /// The sender does not agree: the receiving unit keeps the case.
    RefuseObjection {
        /// Why, in the words recorded.
        reason: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// The assigning unit approves the 办结报告 (审核通过): the report stands as the answer.
    ApproveReport {
        /// The day it happened.
        on: NaiveDate,
    },
    /// The assigning unit sends the report back (退回重办) with reasons and a new date.
    ReturnReport {
        /// Why.
        reasons: String,
        /// The new date for the report.
        report_due: NaiveDate,
        /// The day it happened.
        on: NaiveDate,
    },
    /// The receiving unit objects to a 转送 or 交办.
    Object {
        /// Why, in the words recorded.
        reason: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 受理告知 in writing.
    NotifyAcceptance {
        /// The day it happened.
        on: NaiveDate,
    },
    /// The assigned unit's 办结报告 to the assigning unit.
    Report {
        /// What the assigned unit reports.
        summary: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// A handling note (investigation, talk, visit).
    Note {
        /// The text recorded.
        text: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 听证: these days do not count toward the handling period.
    Hearing {
        /// First day of the hearing.
        from: NaiveDate,
        /// Last day of the hearing.
        to: NaiveDate,
        /// What was recorded.
        note: String,
    },
    /// 调解 agreement.
    Mediation {
        /// What the parties agreed.
        agreement: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 延期, with the reason and the day the petitioner was told.
    Extend {
        /// Days added (at most 30).
        days: u32,
        /// The unit's 负责人 who approved it (Art. 34); blank in records made before the
        /// app asked for one.
        #[serde(default)]
        approver: String,
        /// Why, in the words recorded.
        reason: String,
        /// The day the petitioner was told.
        told_on: NaiveDate,
    },
    /// 处理意见书.
    Opinion {
        /// The conclusion.
        kind: OpinionKind,
        /// The facts found.
        facts: String,
        /// The legal basis.
        basis: String,
        /// The day it reached the petitioner.
        delivered_on: NaiveDate,
    },
    /// 评价 of the latest answer.
    Evaluate {
        /// The rating.
        rating: Rating,
        /// The petitioner's words.
        comment: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 复查 request.
    RequestReview {
        /// Why, in the words recorded.
        reason: String,
        /// The unit above that takes it, when it does not work in the system and the
        /// recording unit writes on its behalf; blank: the recording unit takes it.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reviewer: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 复查意见.
    ReviewOpinion {
        /// The conclusion.
        kind: OpinionKind,
        /// The text recorded.
        text: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 复核 request.
    RequestSecondReview {
        /// Why, in the words recorded.
        reason: String,
        /// As for a 复查 request.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reviewer: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 复核意见.
    SecondReviewOpinion {
        /// The conclusion.
        kind: OpinionKind,
        /// The text recorded.
        text: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 终结.
    Terminate {
        /// What was recorded.
        note: String,
        /// The day it happened.
        on: NaiveDate,
    },
    /// 督办 order.
    Supervise {
        /// Why, in the words recorded.
        reason: String,
        /// Feedback is due by this day.
        feedback_due: NaiveDate,
        /// The day it happened.
        on: NaiveDate,
    },
    /// Feedback on a 督办 order (the order is the id of its event).
    SupervisionFeedback {
        /// The order's event id.
        order: EventId,
        /// The text recorded.
        text: String,
        /// The day it happened.
        on: NaiveDate,
    },
}

impl Step {
    /// A 转送 or 交办 with the receiving unit's code filled in by `code_of(name)` (the
    /// units working in the system); any other step unchanged.
    pub fn addressed(self, code_of: impl Fn(&str) -> Option<String>) -> Step {
        match self {
            Step::Route {
                routing: Routing::Forward { to, to_code: None },
                on,
            } => Step::Route {
                routing: Routing::Forward {
                    to_code: code_of(&to),
                    to,
                },
                on,
            },
            Step::Route {
                routing:
                    Routing::Assign {
                        to,
                        to_code: None,
                        report_due,
                    },
                on,
            } => Step::Route {
                routing: Routing::Assign {
                    to_code: code_of(&to),
                    to,
                    report_due,
                },
                on,
            },
            other => other,
        }
    }

    /// The unit a review request names as taking it (recorded on its behalf), if any.
    pub fn reviewer(&self) -> Option<&str> {
        match self {
            Step::RequestReview { reviewer, .. } | Step::RequestSecondReview { reviewer, .. } => {
                Some(reviewer.trim()).filter(|r| !r.is_empty())
            }
            _ => None,
        }
    }

    /// Which kind of step this is.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Route { .. } => StepKind::Route,
            Step::Receive { .. } => StepKind::Receive,
            Step::Accept { .. } => StepKind::Accept,
            Step::Decline { .. } => StepKind::Decline,
            Step::AgreeObjection { .. } => StepKind::AgreeObjection,
            Step::RefuseObjection { .. } => StepKind::RefuseObjection,
            Step::ApproveReport { .. } => StepKind::ApproveReport,
            Step::ReturnReport { .. } => StepKind::ReturnReport,
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
                    Routing::Forward { to, .. } => format!("转送 {to}"),
                    Routing::Assign { to, report_due, .. } => {
                        format!("交办 {to}，{report_due} 前报告办理结果")
                    }
                    Routing::Accept => "直接受理".to_owned(),
                    Routing::Redirect { authority } => format!("告知信访人向 {authority} 提出"),
                    Routing::Divert { path } => format!("导入法定途径：{path}"),
                    Routing::Reject { reasons } => format!("不予受理：{reasons}"),
                };
                format!("{on} 分流：{detail}")
            }
            Step::Receive { on } => format!("{on} 签收"),
            Step::Accept { on } => format!("{on} 受理"),
            Step::Decline { reasons, on } => format!("{on} 不予受理：{reasons}"),
            Step::AgreeObjection { on } => format!("{on} 核实同意异议，案件退回重新分流"),
            Step::RefuseObjection { reason, on } => {
                format!("{on} 不同意异议，由接收单位继续办理：{reason}")
            }
            Step::ApproveReport { on } => format!("{on} 审核通过办结报告"),
            Step::ReturnReport {
                reasons,
                report_due,
                on,
            } => format!("{on} 退回重办：{reasons}；{report_due} 前重新报告"),
            Step::Object { reason, on } => format!("{on} 接收单位提出异议：{reason}"),
            Step::NotifyAcceptance { on } => format!("{on} 书面告知信访人已受理"),
            Step::Report { summary, on } => format!("{on} 办结报告：{summary}"),
            Step::Note { text, on } => format!("{on} {text}"),
            Step::Hearing { from, to, note } => {
                format!("{from} 至 {to} 听证：{note}")
            }
            Step::Mediation { agreement, on } => format!("{on} 达成调解协议：{agreement}"),
            Step::Extend {
                days,
                approver,
                reason,
                told_on,
            } => {
                let by = if approver.is_empty() {
                    String::new()
                } else {
                    format!("，经{approver}批准")
                };
                format!("延长办理期限 {days} 日{by}，理由：{reason}；{told_on} 告知信访人")
            }
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
            Step::RequestReview {
                reason,
                reviewer,
                on,
            } => format!("{on} 信访人请求复查{}：{reason}", by_unit(reviewer)),
            Step::ReviewOpinion { kind, text, on } => {
                format!("{on} 复查意见：{}。{text}", kind.label())
            }
            Step::RequestSecondReview {
                reason,
                reviewer,
                on,
            } => format!("{on} 信访人请求复核{}：{reason}", by_unit(reviewer)),
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
            | Step::Receive { on }
            | Step::Accept { on }
            | Step::Decline { on, .. }
            | Step::AgreeObjection { on }
            | Step::RefuseObjection { on, .. }
            | Step::ApproveReport { on }
            | Step::ReturnReport { on, .. }
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

/// "（由某某市信访局受理）" for a review taken by a unit named on the request.
fn by_unit(reviewer: &str) -> String {
    if reviewer.is_empty() {
        String::new()
    } else {
        format!("（由{reviewer}受理）")
    }
}

/// The transition table: the steps each stage allows (督办 steps aside, see
/// [`super::flow::Flow::allowed`]), and nothing else.
pub const TRANSITIONS: &[(Stage, &[StepKind])] = &[
    (Stage::AwaitingRouting, &[StepKind::Route]),
    (Stage::Forwarded, RECEIVING),
    (Stage::Assigned, RECEIVING),
    (
        Stage::Accepted,
        &[
            StepKind::NotifyAcceptance,
            StepKind::Note,
            StepKind::Hearing,
            StepKind::Mediation,
            StepKind::Extend,
            StepKind::Opinion,
            StepKind::Report,
        ],
    ),
    (
        Stage::Reported,
        &[StepKind::ApproveReport, StepKind::ReturnReport],
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
        &[
            StepKind::Note,
            StepKind::Hearing,
            StepKind::SecondReviewOpinion,
        ],
    ),
    (
        Stage::SecondReviewed,
        &[StepKind::Evaluate, StepKind::Terminate],
    ),
    (Stage::Redirected, &[]),
    (Stage::Diverted, &[]),
    (Stage::NotAccepted, &[]),
    (Stage::Terminated, &[]),
    (Stage::Archived, &[]),
];

/// What a 转送 or 交办 case allows until the receiving unit accepts it.
const RECEIVING: &[StepKind] = &[
    StepKind::Receive,
    StepKind::Accept,
    StepKind::Decline,
    StepKind::Object,
    StepKind::AgreeObjection,
    StepKind::RefuseObjection,
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
