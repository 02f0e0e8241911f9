//! The form of each workflow step: which fields it has, their labels, and how the typed
//! text becomes a [`Step`]. The UI renders these specs; it knows no step by itself.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::errors::FieldErrors;
use super::ids::EventId;
use super::time::parse_date;
use super::validate::non_blank;
use super::workflow::{Flow, OpinionKind, Rating, Routing, Step, StepKind};

/// How a field is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// Several lines.
    Long,
    /// A date; blank means today where the field allows it.
    Date,
    /// A whole number of days.
    Days,
    /// One of `(key, label)`.
    Choice(Vec<(String, String)>),
}

/// One field of a step form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// Key in the draft and in errors.
    pub key: &'static str,
    /// Chinese label.
    pub label: &'static str,
    /// How it is typed.
    pub input: Input,
}

/// A step form as typed: field key → text.
pub type StepDraft = BTreeMap<String, String>;

const ROUTINGS: [(&str, &str); 6] = [
    ("forward", "转送"),
    ("assign", "交办"),
    ("accept", "直接受理"),
    ("redirect", "告知"),
    ("divert", "导入法定途径"),
    ("reject", "不予受理"),
];

const REVIEWER_LABEL: &str = "受理单位（对本单位意见的，填写不使用本系统的上级单位；否则留空）";

fn spec(key: &'static str, label: &'static str, input: Input) -> FieldSpec {
    FieldSpec { key, label, input }
}

fn choices<T: Copy>(
    all: &[T],
    key: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Input {
    Input::Choice(
        all.iter()
            .map(|v| (key(*v).to_owned(), label(*v).to_owned()))
            .collect(),
    )
}

/// The fields of a step's form, given the case's flow (for the open 督办 orders).
pub fn fields(kind: StepKind, flow: &Flow) -> Vec<FieldSpec> {
    let on = |label| spec("on", label, Input::Date);
    let opinion = || choices(OpinionKind::ALL, OpinionKind::key, OpinionKind::label);
    match kind {
        StepKind::Route => vec![
            spec(
                "how",
                "分流方式",
                Input::Choice(
                    ROUTINGS
                        .iter()
                        .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
                        .collect(),
                ),
            ),
            spec(
                "target",
                "接收单位、有权机关、法定途径或不予受理理由",
                Input::Text,
            ),
            spec("report_due", "报告期限（交办时填写）", Input::Date),
            on("分流日期"),
        ],
        StepKind::Receive => vec![on("签收日期")],
        StepKind::Accept => vec![on("受理日期")],
        StepKind::Decline => vec![spec("text", "不予受理的理由", Input::Long), on("决定日期")],
        StepKind::Object => vec![spec("text", "异议理由", Input::Long), on("提出日期")],
        StepKind::AgreeObjection => vec![on("核实日期")],
        StepKind::RefuseObjection => {
            vec![
                spec("text", "不同意异议的理由", Input::Long),
                on("核实日期"),
            ]
        }
        StepKind::NotifyAcceptance => vec![on("告知日期")],
        StepKind::Report => vec![
            spec("text", "办结报告（办理结果）", Input::Long),
            on("报告日期"),
        ],
        StepKind::ApproveReport => vec![on("审核日期")],
        StepKind::ReturnReport => vec![
            spec("text", "退回重办的理由", Input::Long),
            spec("report_due", "重新报告期限", Input::Date),
            on("退回日期"),
        ],
        StepKind::Note => vec![spec("text", "办理情况", Input::Long), on("日期")],
        StepKind::Hearing => vec![
            spec("from", "听证开始日期", Input::Date),
            spec("to", "听证结束日期", Input::Date),
            spec("text", "听证情况", Input::Long),
        ],
        StepKind::Mediation => vec![spec("text", "调解协议内容", Input::Long), on("达成日期")],
        StepKind::Extend => vec![
            spec("days", "延长天数（最多 30 日）", Input::Days),
            spec("approver", "批准延期的负责人", Input::Text),
            spec("text", "延期理由", Input::Long),
            on("告知信访人日期"),
        ],
        StepKind::Opinion => vec![
            spec("kind", "处理意见", opinion()),
            spec("facts", "认定的事实", Input::Long),
            spec("basis", "处理依据", Input::Long),
            on("送达日期"),
        ],
        StepKind::Evaluate => vec![
            spec(
                "rating",
                "评价",
                choices(Rating::ALL, Rating::key, Rating::label),
            ),
            spec("text", "意见", Input::Long),
            on("评价日期"),
        ],
        StepKind::RequestReview => vec![
            spec("text", "复查请求及理由", Input::Long),
            spec("reviewer", REVIEWER_LABEL, Input::Text),
            on("申请日期"),
        ],
        StepKind::ReviewOpinion => vec![
            spec("kind", "复查结论", opinion()),
            spec("text", "复查意见", Input::Long),
            on("出具日期"),
        ],
        StepKind::RequestSecondReview => vec![
            spec("text", "复核请求及理由", Input::Long),
            spec("reviewer", REVIEWER_LABEL, Input::Text),
            on("申请日期"),
        ],
        StepKind::SecondReviewOpinion => vec![
            spec("kind", "复核结论", opinion()),
            spec("text", "复核意见", Input::Long),
            on("出具日期"),
        ],
        StepKind::Terminate => vec![spec("text", "终结说明", Input::Long), on("终结日期")],
        StepKind::Supervise => vec![
            spec("text", "督办事由", Input::Long),
            spec("feedback_due", "反馈期限", Input::Date),
            on("督办日期"),
        ],
        StepKind::SupervisionFeedback => vec![
            spec(
                "order",
                "督办单",
                Input::Choice(
                    flow.open_supervisions()
                        .map(|s| {
                            (
                                s.id.to_string(),
                                format!("{} 督办（{}前反馈）：{}", s.on, s.feedback_due, s.reason),
                            )
                        })
                        .collect(),
                ),
            ),
            spec("text", "反馈内容", Input::Long),
            on("反馈日期"),
        ],
    }
}

/// Turns a typed form into a step: dates parsed (a blank `on` is today), numbers read,
/// choices resolved. The workflow rules are checked afterwards by [`Flow::check`].
pub fn build(kind: StepKind, draft: &StepDraft, today: NaiveDate) -> Result<Step, FieldErrors> {
    let mut e = FieldErrors::default();
    let get = |k: &str| {
        draft
            .get(k)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let date = |k: &str, blank_is_today: bool, e: &mut FieldErrors| -> NaiveDate {
        match non_blank(&get(k)) {
            None if blank_is_today => today,
            None => {
                e.add(k, "请填写日期");
                today
            }
            Some(t) => parse_date(t).unwrap_or_else(|| {
                e.add(k, "日期格式应为 年-月-日");
                today
            }),
        }
    };
    let on = date("on", true, &mut e);
    let text = get("text");
    let opinion_kind = |e: &mut FieldErrors| {
        OpinionKind::from_key(&get("kind")).unwrap_or_else(|| {
            e.add("kind", "请选择处理意见");
            OpinionKind::Explain
        })
    };
    let step = match kind {
        StepKind::Route => {
            let target = get("target");
            let routing = match get("how").as_str() {
                "forward" => Routing::Forward {
                    to: target,
                    to_code: None,
                },
                "assign" => Routing::Assign {
                    to: target,
                    to_code: None,
                    report_due: date("report_due", false, &mut e),
                },
                "accept" => Routing::Accept,
                "redirect" => Routing::Redirect { authority: target },
                "divert" => Routing::Divert { path: target },
                "reject" => Routing::Reject { reasons: target },
                _ => {
                    e.add("how", "请选择分流方式");
                    Routing::Accept
                }
            };
            Step::Route { routing, on }
        }
        StepKind::Receive => Step::Receive { on },
        StepKind::Accept => Step::Accept { on },
        StepKind::Decline => Step::Decline { reasons: text, on },
        StepKind::Object => Step::Object { reason: text, on },
        StepKind::AgreeObjection => Step::AgreeObjection { on },
        StepKind::RefuseObjection => Step::RefuseObjection { reason: text, on },
        StepKind::ApproveReport => Step::ApproveReport { on },
        StepKind::ReturnReport => Step::ReturnReport {
            reasons: text,
            report_due: date("report_due", false, &mut e),
            on,
        },
        StepKind::NotifyAcceptance => Step::NotifyAcceptance { on },
        StepKind::Report => Step::Report { summary: text, on },
        StepKind::Note => Step::Note { text, on },
        StepKind::Hearing => Step::Hearing {
            from: date("from", false, &mut e),
            to: date("to", false, &mut e),
            note: text,
        },
        StepKind::Mediation => Step::Mediation {
            agreement: text,
            on,
        },
        StepKind::Extend => {
            let days = get("days").parse::<u32>().unwrap_or_else(|_| {
                e.add("days", "请填写延长的天数（整数）");
                0
            });
            Step::Extend {
                days,
                approver: get("approver"),
                reason: text,
                told_on: on,
            }
        }
        StepKind::Opinion => Step::Opinion {
            kind: opinion_kind(&mut e),
            facts: get("facts"),
            basis: get("basis"),
            delivered_on: on,
        },
        StepKind::Evaluate => {
            let rating = Rating::from_key(&get("rating")).unwrap_or_else(|| {
                e.add("rating", "请选择评价");
                Rating::Satisfied
            });
            Step::Evaluate {
                rating,
                comment: text,
                on,
            }
        }
        StepKind::RequestReview => Step::RequestReview {
            reason: text,
            reviewer: get("reviewer"),
            on,
        },
        StepKind::ReviewOpinion => Step::ReviewOpinion {
            kind: opinion_kind(&mut e),
            text,
            on,
        },
        StepKind::RequestSecondReview => Step::RequestSecondReview {
            reason: text,
            reviewer: get("reviewer"),
            on,
        },
        StepKind::SecondReviewOpinion => Step::SecondReviewOpinion {
            kind: opinion_kind(&mut e),
            text,
            on,
        },
        StepKind::Terminate => Step::Terminate { note: text, on },
        StepKind::Supervise => Step::Supervise {
            reason: text,
            feedback_due: date("feedback_due", false, &mut e),
            on,
        },
        StepKind::SupervisionFeedback => match EventId::parse(&get("order")) {
            Some(order) => Step::SupervisionFeedback { order, text, on },
            None => {
                e.add("order", "请选择要反馈的督办单");
                Step::Note { text, on }
            }
        },
    };
    e.into_result(|| step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn draft(pairs: &[(&str, &str)]) -> StepDraft {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_kind_has_a_form_and_a_blank_date_means_today() {
        let flow = Flow::new(d(11, 2), Default::default());
        for kind in StepKind::ALL {
            assert!(!fields(*kind, &flow).is_empty(), "{kind:?}");
        }
        let s = build(StepKind::NotifyAcceptance, &draft(&[]), d(11, 26)).unwrap();
        assert_eq!(s, Step::NotifyAcceptance { on: d(11, 26) });
    }

    #[test]
    fn routing_forms() {
        let today = d(11, 26);
        let assign = build(
            StepKind::Route,
            &draft(&[
                ("how", "assign"),
                ("target", "城关镇"),
                ("report_due", "2026-12-10"),
                ("on", "2026-11-20"),
            ]),
            today,
        )
        .unwrap();
        assert_eq!(
            assign,
            Step::Route {
                routing: Routing::Assign {
                    to_code: None,
                    to: "城关镇".into(),
                    report_due: d(12, 10)
                },
                on: d(11, 20)
            }
        );
        let e = build(
            StepKind::Route,
            &draft(&[("how", "assign"), ("target", "城关镇")]),
            today,
        )
        .unwrap_err();
        assert!(e.get("report_due").is_some());
        assert!(build(StepKind::Route, &draft(&[]), today)
            .unwrap_err()
            .get("how")
            .is_some());
    }

    #[test]
    fn shape_errors_are_per_field() {
        let today = d(11, 26);
        let e = build(
            StepKind::Extend,
            &draft(&[("days", "三十"), ("on", "2026/11/20")]),
            today,
        )
        .unwrap_err();
        assert!(e.get("days").is_some() && e.get("on").is_some());
        assert!(build(StepKind::Opinion, &draft(&[]), today)
            .unwrap_err()
            .get("kind")
            .is_some());
        assert!(build(StepKind::SupervisionFeedback, &draft(&[]), today)
            .unwrap_err()
            .get("order")
            .is_some());
    }
}
