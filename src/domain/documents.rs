//! The documents the regulation requires, generated from the case with the dates the
//! workflow computes: 受理告知书, 不予受理告知书, 延期告知书, 处理意见书, 督办单.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::calendar::WorkCalendar;
use super::case::CaseState;
use super::event::EventBody;
use super::unit::UnitProfile;
use super::vocab::labelled_enum;
use super::workflow::{Routing, Step, REVIEW_DAYS};

labelled_enum!(
    /// A printable document.
    DocKind {
        AcceptanceNotice => "受理告知书",
        RejectionNotice => "不予受理告知书",
        ExtensionNotice => "延期告知书",
        Opinion => "处理意见书",
        SupervisionOrder => "督办单",
    }
);

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
}

fn steps(state: &CaseState) -> impl DoubleEndedIterator<Item = &Step> {
    state.events.iter().filter_map(|e| match &e.body {
        EventBody::Step { step } => Some(step),
        _ => None,
    })
}

/// The documents this case can print now.
pub fn available(state: &CaseState) -> Vec<DocKind> {
    let f = &state.flow;
    let mut out = Vec::new();
    if f.notified_on.is_some() {
        out.push(DocKind::AcceptanceNotice);
    }
    if matches!(f.routing, Some((Routing::Reject { .. }, _))) {
        out.push(DocKind::RejectionNotice);
    }
    if f.extension.is_some() {
        out.push(DocKind::ExtensionNotice);
    }
    if f.opinion.is_some() {
        out.push(DocKind::Opinion);
    }
    if !f.supervisions.is_empty() {
        out.push(DocKind::SupervisionOrder);
    }
    out
}

/// Renders a document, or `None` if the case has not reached the step it records.
pub fn render(
    kind: DocKind,
    state: &CaseState,
    unit: &UnitProfile,
    calendar: &WorkCalendar,
) -> Option<Document> {
    let f = &state.flow;
    let p = &state.petition;
    let names = p.petitioner_names();
    let matter = format!(
        "你（们）于 {} 反映的“{}”信访事项",
        state.received_on(),
        p.title
    );
    let doc = |title, recipient: String, paragraphs, date| Document {
        title,
        reference: state.case_no.clone(),
        recipient,
        paragraphs,
        issuer: unit.name.clone(),
        date,
    };
    match kind {
        DocKind::AcceptanceNotice => {
            let notified = f.notified_on?;
            let accepted = f.accepted_on?;
            let due = f.opinion_due(calendar)?;
            Some(doc(
                "受理告知书",
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
        DocKind::RejectionNotice => match &f.routing {
            Some((Routing::Reject { reasons }, on)) => Some(doc(
                "不予受理告知书",
                format!("{names}："),
                vec![
                    format!("{matter}，经审查，本机关决定不予受理。"),
                    format!("理由：{reasons}"),
                ],
                *on,
            )),
            _ => None,
        },
        DocKind::ExtensionNotice => {
            let (days, reason, told_on) = f.extension.clone()?;
            let due = f.opinion_due(calendar)?;
            Some(doc(
                "延期告知书",
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
        DocKind::SupervisionOrder => {
            let s = f.supervisions.last()?;
            let to = match &f.routing {
                Some((Routing::Forward { to, .. } | Routing::Assign { to, .. }, _)) => to.clone(),
                _ => unit.name.clone(),
            };
            Some(doc(
                "督办单",
                format!("{to}："),
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
    use crate::domain::ids::{CaseId, EventId};
    use crate::domain::petition::tests::valid_draft;
    use crate::domain::time::Timestamp;
    use crate::domain::unit::tests::county as unit;
    use crate::domain::workflow::OpinionKind;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn walk(steps: &[Step]) -> CaseState {
        let mut draft = valid_draft();
        draft.received_on = "2026-09-20".into();
        let p = draft.validate(d(11, 26)).unwrap();
        let at = Timestamp::start_of_china_date(d(9, 20));
        let mut events = vec![register(
            EventId::from_random([1; 16]),
            CaseId::from_random([1; 16]),
            unit().actor(),
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
                    unit().actor(),
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
        assert_eq!(available(&s), [DocKind::AcceptanceNotice]);
        let doc = render(
            DocKind::AcceptanceNotice,
            &s,
            &unit(),
            &WorkCalendar::official(),
        )
        .unwrap();
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
        assert!(render(DocKind::Opinion, &s, &unit(), &WorkCalendar::official()).is_none());
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
        let ext = render(DocKind::ExtensionNotice, &s, &unit(), &cal)
            .unwrap()
            .paragraphs
            .join("");
        assert!(
            ext.contains("延长 20 日")
                && ext.contains("延至 2026-12-10")
                && ext.contains("需要现场核查"),
            "{ext}"
        );
        let op = render(DocKind::Opinion, &s, &unit(), &cal).unwrap();
        let text = op.paragraphs.join("");
        assert!(
            text.contains("欠薪属实") && text.contains("支持") && text.contains("至 2026-12-25"),
            "{text}"
        );
        assert_eq!(op.date, d(11, 25));
        let sup = render(DocKind::SupervisionOrder, &s, &unit(), &cal).unwrap();
        assert!(sup.paragraphs.join("").contains("2026-11-30 前"), "{sup:?}");

        let r = walk(&[Step::Route {
            routing: Routing::Reject {
                reasons: "已经诉讼程序处理".into(),
            },
            on: d(9, 25),
        }]);
        let doc = render(DocKind::RejectionNotice, &r, &unit(), &cal).unwrap();
        assert!(doc.paragraphs.join("").contains("理由：已经诉讼程序处理"));
        assert_eq!(doc.date, d(9, 25));
    }
}
