//! The documents the regulation requires, generated from the case with the dates the
//! workflow computes: 转送单 and 交办单 (each with a tear-off 回执), 受理告知书, 不予受理告知书,
//! 告知书 (告知, 导入法定途径), 延期告知书, 处理意见书, 复查意见书, 复核意见书, 督办单; and the
//! forms an office keeps (`forms.rs`): the 信访事项登记表 of a letter or a visit and the 送达回证.
//! Each names the unit that issued it: the 承办单位 for what it decides, the sending unit
//! for a 转送单 or 交办单, the reviewing unit for a review.

pub mod forms;

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::calendar::WorkCalendar;
use super::case::CaseState;
use super::event::EventBody;
use super::vocab::labelled_enum;
use super::workflow::{notice_due, Routing, Stage, Step, REVIEW_DAYS};

labelled_enum!(
    /// A printable document.
    DocKind {
        RegistrationLetter => "信访事项登记表（来信）",
        RegistrationVisit => "信访事项登记表（来访）",
        ForwardSlip => "转送单",
        AssignSlip => "交办单",
        AcceptanceNotice => "受理告知书",
        RejectionNotice => "不予受理告知书",
        ExtensionNotice => "延期告知书",
        Opinion => "处理意见书",
        ReviewOpinion => "复查意见书",
        SecondReviewOpinion => "复核意见书",
        SupervisionOrder => "督办单",
        RedirectNotice => "告知书",
        DivertNotice => "导入法定途径告知书",
        DeliveryReceipt => "送达回证",
    }
);

impl DocKind {
    /// Whether the document is addressed to the petitioner (the others go between units
    /// or stay in the office's file).
    pub fn to_petitioner(self) -> bool {
        !matches!(
            self,
            DocKind::ForwardSlip
                | DocKind::AssignSlip
                | DocKind::SupervisionOrder
                | DocKind::RegistrationLetter
                | DocKind::RegistrationVisit
                | DocKind::DeliveryReceipt
        )
    }
}

/// A document ready to print: plain text paragraphs, never markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Title, e.g. 受理告知书.
    pub title: &'static str,
    /// Reference: the case number.
    pub reference: String,
    /// Addressee line.
    pub recipient: String,
    /// Body paragraphs.
    pub paragraphs: Vec<String>,
    /// Issuing unit.
    pub issuer: String,
    /// Date of the document.
    pub date: NaiveDate,
    /// A form's grid of labelled values, printed as a bordered table (empty for a letter).
    pub fields: Vec<(String, String)>,
    /// The tear-off 回执 below a cut line, returned signed by the receiver (empty if none).
    pub receipt: Vec<String>,
}

fn steps(state: &CaseState) -> impl DoubleEndedIterator<Item = &Step> {
    step_events(state).map(|(_, s)| s)
}

/// Each step with the name of the unit that recorded it.
fn step_events(state: &CaseState) -> impl DoubleEndedIterator<Item = (&str, &Step)> {
    state.events.iter().filter_map(|e| match &e.body {
        EventBody::Step { step } => Some((e.actor.unit_name.as_str(), step)),
        _ => None,
    })
}

/// The latest 不予受理 with its reasons and day: the sender's 分流, or the receiver's.
fn rejection(state: &CaseState) -> Option<(String, NaiveDate)> {
    steps(state).rev().find_map(|s| match s {
        Step::Route {
            routing: Routing::Reject { reasons },
            on,
        }
        | Step::Decline { reasons, on } => Some((reasons.clone(), *on)),
        _ => None,
    })
}

/// The documents this case can print now.
pub fn available(state: &CaseState) -> Vec<DocKind> {
    let f = &state.flow;
    let mut out = vec![forms::registration_kind(state)];
    match &f.routing {
        Some((Routing::Forward { .. }, _)) => out.push(DocKind::ForwardSlip),
        Some((Routing::Assign { .. }, _)) => out.push(DocKind::AssignSlip),
        Some((Routing::Redirect { .. }, _)) => out.push(DocKind::RedirectNotice),
        Some((Routing::Divert { .. }, _)) => out.push(DocKind::DivertNotice),
        _ => {}
    }
    if f.notified_on.is_some() {
        out.push(DocKind::AcceptanceNotice);
    }
    if f.stage == Stage::NotAccepted && rejection(state).is_some() {
        out.push(DocKind::RejectionNotice);
    }
    if f.extension.is_some() {
        out.push(DocKind::ExtensionNotice);
    }
    if f.opinion.is_some() {
        out.push(DocKind::Opinion);
    }
    if f.reviewed_on.is_some() {
        out.push(DocKind::ReviewOpinion);
    }
    if f.second_reviewed_on.is_some() {
        out.push(DocKind::SecondReviewOpinion);
    }
    if !f.supervisions.is_empty() {
        out.push(DocKind::SupervisionOrder);
    }
    // Something went to the petitioner: the office keeps the proof it was delivered.
    if !state.petition.anonymous && out.iter().any(|k| k.to_petitioner()) {
        out.push(DocKind::DeliveryReceipt);
    }
    out
}

/// Renders a document, or `None` if the case has not reached the step it records.
pub fn render(kind: DocKind, state: &CaseState, calendar: &WorkCalendar) -> Option<Document> {
    let f = &state.flow;
    let p = &state.petition;
    let names = p.petitioner_names();
    let matter = format!(
        "你（们）于 {} 反映的“{}”信访事项",
        state.received_on(),
        p.title
    );
    let doc = |title, issuer: &str, recipient: String, paragraphs, date| Document {
        title,
        reference: state.case_no.clone(),
        recipient,
        paragraphs,
        issuer: issuer.to_owned(),
        date,
        fields: Vec::new(),
        receipt: Vec::new(),
    };
    let handler = f.handler.name.as_str();
    let case_line = format!(
        "信访事项：{}（案件编号 {}，{} 收件，信访人 {names}）。",
        p.title,
        state.case_no,
        state.received_on()
    );
    match kind {
        DocKind::ForwardSlip | DocKind::AssignSlip => {
            let (routing, on) = f.routing.clone()?;
            let sender = f.router.as_ref()?.name.as_str();
            // Each slip for its own routing: a batch of 转送单 leaves the 交办 cases out.
            let (to, ask) = match (kind, routing) {
                (DocKind::ForwardSlip, Routing::Forward { to, .. }) => (
                    to,
                    format!(
                        "现转送你单位依法处理。请自收到之日起 15 日内决定是否受理并书面告知信访人（本件按转送日计算为 {} 前），受理后 60 日内办结并出具处理意见书，将办理结果反馈本机关。对转送有异议的，请于收到后 5 个工作日内提出。",
                        notice_due(on, calendar)
                    ),
                ),
                (DocKind::AssignSlip, Routing::Assign { to, .. }) => (
                    to,
                    format!(
                        "现交办你单位办理。请依法受理、办理，并于 {} 前将办结报告报送本机关审核。对交办有异议的，请于收到后 5 个工作日内提出。",
                        f.report_due.unwrap_or(on)
                    ),
                ),
                _ => return None,
            };
            let (title, verb) = if kind == DocKind::ForwardSlip {
                ("转送单", "转送")
            } else {
                ("交办单", "交办")
            };
            let mut slip = doc(
                title,
                sender,
                format!("{to}："),
                vec![case_line.clone(), format!("诉求：{}", p.request), ask],
                on,
            );
            slip.receipt = forms::slip_receipt(sender, &to, verb, state, on);
            Some(slip)
        }
        DocKind::AcceptanceNotice => {
            let notified = f.notified_on?;
            let accepted = f.accepted_on?;
            let due = f.opinion_due(calendar)?;
            Some(doc(
                "受理告知书",
                handler,
                format!("{names}："),
                vec![
                    format!("{matter}，本机关已于 {accepted} 依法受理。"),
                    format!(
                        "根据《信访工作条例》第三十四条，本机关将自受理之日起 60 日内办结，即于 {due} 前出具书面处理意见；情况复杂的，可以适当延长办理期限，延长期限不超过 30 日，并告知延期理由。"
                    ),
                    "你（们）可凭本告知书所载案件编号查询办理进展。".to_owned(),
                ],
                notified,
            ))
        }
        DocKind::RejectionNotice => {
            let (reasons, on) = rejection(state)?;
            Some(doc(
                "不予受理告知书",
                handler,
                format!("{names}："),
                vec![
                    format!("{matter}，经审查，本机关决定不予受理。"),
                    format!("理由：{reasons}"),
                ],
                on,
            ))
        }
        DocKind::ExtensionNotice => {
            let (days, reason, told_on) = f.extension.clone()?;
            let due = f.opinion_due(calendar)?;
            Some(doc(
                "延期告知书",
                handler,
                format!("{names}："),
                vec![
                    format!("{matter}，本机关正在办理。"),
                    format!("因{reason}，根据《信访工作条例》第三十四条，本机关决定将办理期限延长 {days} 日，办结期限延至 {due}。"),
                ],
                told_on,
            ))
        }
        DocKind::Opinion => {
            let (kind, facts, basis, delivered_on) = steps(state).rev().find_map(|s| match s {
                Step::Opinion {
                    kind,
                    facts,
                    basis,
                    delivered_on,
                } => Some((*kind, facts.clone(), basis.clone(), *delivered_on)),
                _ => None,
            })?;
            let window = calendar.due_after_days(delivered_on, REVIEW_DAYS, &BTreeSet::new());
            Some(doc(
                "处理意见书",
                f.answered_by.as_ref().map_or(handler, |p| p.name.as_str()),
                format!("{names}："),
                vec![
                    format!("{matter}，本机关已依法办理，现将处理意见告知如下。"),
                    format!("一、认定事实：{facts}"),
                    format!("二、处理依据：{basis}"),
                    format!("三、处理意见：{}。", kind.label()),
                    format!(
                        "如对本处理意见不服，可以自收到本意见书之日起 30 日内（至 {window}）请求原办理机关的上一级机关复查（《信访工作条例》第三十五条）。"
                    ),
                ],
                delivered_on,
            ))
        }
        DocKind::ReviewOpinion | DocKind::SecondReviewOpinion => {
            let first = kind == DocKind::ReviewOpinion;
            let (kind_of, text, on) = steps(state).rev().find_map(|s| match s {
                Step::ReviewOpinion { kind, text, on } if first => Some((*kind, text.clone(), *on)),
                Step::SecondReviewOpinion { kind, text, on } if !first => {
                    Some((*kind, text.clone(), *on))
                }
                _ => None,
            })?;
            let reviewer = if first {
                &f.reviewer
            } else {
                &f.second_reviewer
            };
            let (title, what, next) = if first {
                (
                    "复查意见书",
                    "复查",
                    format!(
                        "如对本复查意见不服，可以自收到本意见书之日起 30 日内（至 {}）向复查机关的上一级机关请求复核（《信访工作条例》第三十六条）。",
                        calendar.due_after_days(on, REVIEW_DAYS, &BTreeSet::new())
                    ),
                )
            } else {
                (
                    "复核意见书",
                    "复核",
                    "本复核意见为最终意见。信访人仍以同一事实和理由提出信访的，不再受理（《信访工作条例》第三十六条）。".to_owned(),
                )
            };
            Some(doc(
                title,
                reviewer.as_ref().map_or(handler, |p| p.name.as_str()),
                format!("{names}："),
                vec![
                    format!("{matter}，你（们）不服原处理意见请求{what}，本机关已依法{what}，意见如下。"),
                    format!("{what}意见：{}。{text}", kind_of.label()),
                    next,
                ],
                on,
            ))
        }
        DocKind::RegistrationLetter | DocKind::RegistrationVisit => {
            Some(forms::registration(kind, state))
        }
        DocKind::RedirectNotice | DocKind::DivertNotice => forms::routing_notice(kind, state),
        DocKind::DeliveryReceipt => forms::delivery_receipt(state, calendar),
        DocKind::SupervisionOrder => {
            let s = f.supervisions.last()?;
            let by = step_events(state)
                .rev()
                .find_map(|(by, st)| matches!(st, Step::Supervise { .. }).then_some(by))?;
            Some(doc(
                "督办单",
                by,
                format!("{}：", f.holder().name),
                vec![
                    format!(
                        "督办事项：{}（案件编号 {}，{} 收件）。",
                        p.title,
                        state.case_no,
                        state.received_on()
                    ),
                    format!("督办事由：{}", s.reason),
                    format!("请于 {} 前将办理情况书面反馈本机关。", s.feedback_due),
                ],
                s.on,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{fold, register, take_step, CaseNumber};
    use crate::domain::event::Actor;
    use crate::domain::ids::{CaseId, EventId};
    use crate::domain::petition::tests::valid_draft;
    use crate::domain::petition::PetitionDraft;
    use crate::domain::time::Timestamp;
    use crate::domain::unit::tests::county as unit;
    use crate::domain::workflow::OpinionKind;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn walk(steps: &[Step]) -> CaseState {
        let mut draft = valid_draft();
        draft.received_on = "2026-09-20".into();
        walk_as(draft, unit().actor(), steps)
    }

    /// The case of `draft`, registered by `actor` on its 收件日期, then `steps` by the
    /// same unit (the forms' tests build theirs with it too).
    pub(crate) fn walk_as(draft: PetitionDraft, actor: Actor, steps: &[Step]) -> CaseState {
        let p = draft.validate(d(11, 26)).unwrap();
        let at = Timestamp::start_of_china_date(p.received_on.unwrap());
        let mut events = vec![register(
            EventId::from_random([1; 16]),
            CaseId::from_random([1; 16]),
            actor.clone(),
            at,
            &CaseNumber::next("XF01", 2026, None),
            p,
        )];
        for (i, s) in steps.iter().enumerate() {
            let st = fold(&events).unwrap();
            events.push(
                take_step(
                    &st,
                    s.clone(),
                    d(11, 26),
                    &WorkCalendar::official(),
                    EventId::from_random([i as u8 + 2; 16]),
                    actor.clone(),
                    Timestamp(at.0 + 1 + i as i64),
                )
                .unwrap(),
            );
        }
        fold(&events).unwrap()
    }

    #[test]
    fn acceptance_notice_carries_the_computed_opinion_date() {
        let s = walk(&[
            Step::Route {
                routing: Routing::Accept,
                on: d(9, 21),
            },
            Step::NotifyAcceptance { on: d(9, 22) },
        ]);
        // The registration form always; the 送达回证 once something went to the petitioner.
        assert_eq!(
            available(&s),
            [
                DocKind::RegistrationVisit,
                DocKind::AcceptanceNotice,
                DocKind::DeliveryReceipt
            ]
        );
        let doc = render(DocKind::AcceptanceNotice, &s, &WorkCalendar::official()).unwrap();
        let text = doc.paragraphs.join("");
        // 2026-09-21 + 60 days = 2026-11-20 (a Friday).
        assert!(
            text.contains("2026-09-21 依法受理") && text.contains("2026-11-20 前"),
            "{text}"
        );
        assert!(text.contains("2026-09-20 反映的“拖欠工资”"), "{text}");
        assert_eq!(
            (doc.recipient.as_str(), doc.issuer.as_str(), doc.date),
            ("张三：", "某某县信访局", d(9, 22))
        );
        assert_eq!(doc.reference, "XF01-2026-00001");
        assert!(render(DocKind::Opinion, &s, &WorkCalendar::official()).is_none());
    }

    #[test]
    fn extension_opinion_rejection_and_supervision_documents() {
        let s = walk(&[
            Step::Route {
                routing: Routing::Accept,
                on: d(9, 21),
            },
            Step::NotifyAcceptance { on: d(9, 22) },
            Step::Extend {
                days: 20,
                approver: "张局长".into(),
                reason: "需要现场核查".into(),
                told_on: d(11, 10),
            },
            Step::Supervise {
                reason: "群众反映强烈".into(),
                feedback_due: d(11, 30),
                on: d(11, 12),
            },
            Step::Opinion {
                kind: OpinionKind::Support,
                facts: "欠薪属实".into(),
                basis: "《劳动合同法》第三十条".into(),
                delivered_on: d(11, 25),
            },
        ]);
        let cal = WorkCalendar::official();
        let ext = render(DocKind::ExtensionNotice, &s, &cal)
            .unwrap()
            .paragraphs
            .join("");
        assert!(
            ext.contains("延长 20 日")
                && ext.contains("延至 2026-12-10")
                && ext.contains("需要现场核查"),
            "{ext}"
        );
        let op = render(DocKind::Opinion, &s, &cal).unwrap();
        let text = op.paragraphs.join("");
        assert!(
            text.contains("欠薪属实") && text.contains("支持") && text.contains("至 2026-12-25"),
            "{text}"
        );
        assert_eq!(op.date, d(11, 25));
        let sup = render(DocKind::SupervisionOrder, &s, &cal).unwrap();
        assert!(sup.paragraphs.join("").contains("2026-11-30 前"), "{sup:?}");

        let r = walk(&[Step::Route {
            routing: Routing::Reject {
                reasons: "已经诉讼程序处理".into(),
            },
            on: d(9, 25),
        }]);
        let doc = render(DocKind::RejectionNotice, &r, &cal).unwrap();
        assert!(doc.paragraphs.join("").contains("理由：已经诉讼程序处理"));
        assert_eq!(doc.date, d(9, 25));
    }

    #[test]
    fn each_document_names_the_unit_that_issued_it() {
        let county = unit().actor();
        let town = crate::domain::event::Actor {
            unit_code: "CGZ01".into(),
            unit_name: "城关镇人民政府".into(),
            operator: "李四".into(),
        };
        let cal = WorkCalendar::official();
        let mut draft = valid_draft();
        draft.received_on = "2026-09-20".into();
        let at = Timestamp::start_of_china_date(d(9, 20));
        let mut events = vec![register(
            EventId::from_random([1; 16]),
            CaseId::from_random([1; 16]),
            county.clone(),
            at,
            &CaseNumber::next("XF01", 2026, None),
            draft.validate(d(11, 26)).unwrap(),
        )];
        let steps = [
            (
                &county,
                Step::Route {
                    routing: Routing::Forward {
                        to: "城关镇人民政府".into(),
                        to_code: Some("CGZ01".into()),
                    },
                    on: d(9, 21),
                },
            ),
            (&town, Step::Receive { on: d(9, 23) }),
            (&town, Step::Accept { on: d(9, 23) }),
            (&town, Step::NotifyAcceptance { on: d(9, 23) }),
            (
                &town,
                Step::Opinion {
                    kind: OpinionKind::Explain,
                    facts: "属实".into(),
                    basis: "规定".into(),
                    delivered_on: d(10, 20),
                },
            ),
            (
                &county,
                Step::RequestReview {
                    reason: "不服".into(),
                    reviewer: String::new(),
                    on: d(10, 25),
                },
            ),
            (
                &county,
                Step::ReviewOpinion {
                    kind: OpinionKind::Support,
                    text: "维持原意见".into(),
                    on: d(11, 10),
                },
            ),
        ];
        for (i, (who, step)) in steps.into_iter().enumerate() {
            let st = fold(&events).unwrap();
            events.push(
                take_step(
                    &st,
                    step,
                    d(11, 26),
                    &cal,
                    EventId::from_random([i as u8 + 2; 16]),
                    who.clone(),
                    Timestamp(at.0 + 1 + i as i64),
                )
                .unwrap(),
            );
        }
        let s = fold(&events).unwrap();
        assert_eq!(
            available(&s),
            [
                DocKind::RegistrationVisit,
                DocKind::ForwardSlip,
                DocKind::AcceptanceNotice,
                DocKind::Opinion,
                DocKind::ReviewOpinion,
                DocKind::DeliveryReceipt
            ]
        );
        let issuer = |k| render(k, &s, &cal).unwrap().issuer;
        assert_eq!(issuer(DocKind::ForwardSlip), "某某县信访局");
        assert_eq!(issuer(DocKind::AcceptanceNotice), "城关镇人民政府");
        assert_eq!(issuer(DocKind::Opinion), "城关镇人民政府");
        assert_eq!(issuer(DocKind::ReviewOpinion), "某某县信访局");
        let slip = render(DocKind::ForwardSlip, &s, &cal).unwrap();
        assert_eq!(slip.recipient, "城关镇人民政府：");
        let last = notice_due(d(9, 21), &cal).to_string();
        assert!(slip.paragraphs.join("").contains(&last), "{slip:?}");
        let review = render(DocKind::ReviewOpinion, &s, &cal).unwrap();
        assert!(review.paragraphs.join("").contains("维持原意见"));
        assert!(!DocKind::ForwardSlip.to_petitioner() && DocKind::ReviewOpinion.to_petitioner());
    }
}
