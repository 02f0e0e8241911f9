//! The forms an office fills and files: the 信访事项登记表 (a letter's or a visit's), the
//! 告知书 of a 告知 or 导入法定途径 decision, the 送达回证 of what went to the petitioner,
//! and the 回执 torn off a 转送单 or 交办单. Blanks a person fills by hand stay blank.

use chrono::NaiveDate;

use super::{available, render, DocKind, Document};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::vocab::Channel;
use crate::domain::workflow::Routing;

/// Where a person writes a date by hand.
const HAND_DATE: &str = "　　　　年　　月　　日";

/// The registration form that fits how the petition came: a visit's, or a letter's
/// (letters, the web, phone and fax are all written down the same way).
pub fn registration_kind(state: &CaseState) -> DocKind {
    if state.petition.channel == Channel::Visit {
        DocKind::RegistrationVisit
    } else {
        DocKind::RegistrationLetter
    }
}

/// The document of `kind` a case prints: a registration form in the version that fits
/// the case, whichever of the two was asked for (a batch asks once for all).
pub fn for_case(kind: DocKind, state: &CaseState) -> DocKind {
    match kind {
        DocKind::RegistrationLetter | DocKind::RegistrationVisit => registration_kind(state),
        other => other,
    }
}

fn yes(on: bool) -> String {
    if on { "是" } else { "否" }.to_owned()
}

/// The 信访事项登记表 of the case, filled from the registration and the 分流 so far.
pub fn registration(kind: DocKind, state: &CaseState) -> Document {
    let p = &state.petition;
    let visit = kind == DocKind::RegistrationVisit;
    // The case number heads the page (its reference line), so no row repeats it.
    let mut fields: Vec<(String, String)> = vec![
        (
            if visit {
                "来访日期"
            } else {
                "来信日期"
            }
            .into(),
            state.received_on().to_string(),
        ),
        (
            "登记日期".into(),
            state.registered_at.china_date().to_string(),
        ),
        ("信访形式".into(), p.channel.label().to_owned()),
    ];
    if visit {
        fields.push(("来访人数".into(), format!("{} 人", p.head_count)));
        fields.push(("是否集体访".into(), yes(p.is_group())));
    }
    if p.anonymous {
        fields.push(("信访人".into(), "匿名".into()));
    }
    for (i, who) in p.petitioners.iter().chain(&p.representatives).enumerate() {
        let role = if i < p.petitioners.len() {
            "信访人"
        } else {
            "代表"
        };
        // One row a person, so a group's five representatives still fit the page.
        let parts = [
            ("", who.name.as_str()),
            ("身份证号 ", who.id_number.as_str()),
            ("电话 ", who.phone.as_str()),
            ("住址 ", who.address.as_str()),
        ];
        let line = parts
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}{v}"))
            .collect::<Vec<_>>()
            .join("　");
        fields.push((format!("{role}{}", i + 1), line));
    }
    let place = [p.township.as_str(), p.village.as_str()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    fields.extend([
        ("信访事项".into(), p.title.clone()),
        ("诉求".into(), p.request.clone()),
        ("事实".into(), p.facts.clone()),
        ("理由".into(), p.reasons.clone()),
        ("问题类别".into(), p.category.label().to_owned()),
        ("信访类型".into(), p.petition_type.label().to_owned()),
        ("事项发生地".into(), place),
        ("被反映单位或人员".into(), p.complained_about.clone()),
        (
            "标记".into(),
            format!(
                "越级访：{}　重大紧急：{}　涉法涉诉：{}",
                yes(p.flags.skip_level),
                yes(p.flags.major_urgent),
                yes(p.flags.law_litigation)
            ),
        ),
    ]);
    if visit {
        fields.push((
            "接访领导".into(),
            state.received_by.clone().unwrap_or_default(),
        ));
    }
    fields.push((
        if visit { "接谈人" } else { "登记人" }.into(),
        state.registered_by.operator.clone(),
    ));
    let routing = state.flow.routing.as_ref().map_or_else(
        || "（待分流）".to_owned(),
        |(r, on)| match r {
            Routing::Forward { to, .. } | Routing::Assign { to, .. } => {
                format!("{}至{to}（{on}）", r.label())
            }
            Routing::Redirect { authority } => format!("告知向{authority}提出（{on}）"),
            Routing::Divert { path } => format!("导入{path}（{on}）"),
            Routing::Accept | Routing::Reject { .. } => format!("{}（{on}）", r.label()),
        },
    );
    fields.push(("拟办意见".into(), routing));
    fields.push(("领导批示".into(), String::new()));
    Document {
        title: kind.label(),
        reference: state.case_no.clone(),
        recipient: String::new(),
        paragraphs: Vec::new(),
        issuer: state.registered_by.unit_name.clone(),
        date: state.registered_at.china_date(),
        fields,
        receipt: Vec::new(),
    }
}

/// The 告知书 of a 告知 (which authority to go to) or of a 导入法定途径 decision.
pub fn routing_notice(kind: DocKind, state: &CaseState) -> Option<Document> {
    let p = &state.petition;
    let (routing, on) = state.flow.routing.clone()?;
    let matter = format!(
        "你（们）于 {} 反映的“{}”信访事项",
        state.received_on(),
        p.title
    );
    let paragraphs = match (kind, routing) {
        (DocKind::RedirectNotice, Routing::Redirect { authority }) => vec![
            format!("{matter}，经审查，不属于本机关职责范围。"),
            format!("根据《信访工作条例》第二十三条，请你（们）向{authority}提出。"),
            "特此告知。".to_owned(),
        ],
        (DocKind::DivertNotice, Routing::Divert { path }) => vec![
            format!("{matter}，经审查，属于应当通过{path}等法定途径解决的事项。"),
            format!(
                "根据《信访工作条例》第二十三条，请你（们）依照有关法律、行政法规的规定，通过{path}程序主张权利。本机关不再按信访程序受理。"
            ),
            "特此告知。".to_owned(),
        ],
        _ => return None,
    };
    Some(Document {
        title: kind.label(),
        reference: state.case_no.clone(),
        recipient: format!("{}：", p.petitioner_names()),
        paragraphs,
        issuer: state
            .flow
            .router
            .as_ref()
            .map_or(&state.flow.handler.name, |r| &r.name)
            .clone(),
        date: on,
        fields: Vec::new(),
        receipt: Vec::new(),
    })
}

/// The 送达回证 of the documents issued to the petitioner so far.
pub fn delivery_receipt(state: &CaseState, calendar: &WorkCalendar) -> Option<Document> {
    let p = &state.petition;
    let issued: Vec<Document> = available(state)
        .into_iter()
        .filter(|k| k.to_petitioner())
        .filter_map(|k| render(k, state, calendar))
        .collect();
    let latest = issued.iter().max_by_key(|d| d.date)?;
    let names = issued
        .iter()
        .map(|d| format!("{}（{}）", d.title, d.date))
        .collect::<Vec<_>>()
        .join("；");
    let address = p
        .petitioners
        .iter()
        .map(|x| x.address.as_str())
        .find(|a| !a.is_empty())
        .unwrap_or_default()
        .to_owned();
    let fields = vec![
        (
            "送达文书".into(),
            format!("{names}，案件编号 {}", state.case_no),
        ),
        ("受送达人".into(), p.petitioner_names()),
        ("送达地址".into(), address),
        ("送达机关".into(), latest.issuer.clone()),
        (
            "送达方式".into(),
            "□ 直接送达　□ 邮寄送达　□ 留置送达　□ 委托送达".into(),
        ),
        (
            "受送达人签收".into(),
            format!("　　　　　　　　{HAND_DATE}"),
        ),
        ("代收人及代收理由".into(), String::new()),
        ("送达人".into(), format!("　　　　　　　　{HAND_DATE}")),
        ("备注".into(), String::new()),
    ];
    Some(Document {
        title: DocKind::DeliveryReceipt.label(),
        reference: state.case_no.clone(),
        recipient: String::new(),
        paragraphs: Vec::new(),
        issuer: latest.issuer.clone(),
        date: latest.date,
        fields,
        receipt: Vec::new(),
    })
}

/// The 回执 torn off a 转送单 or 交办单: the receiver signs and sends it back.
pub fn slip_receipt(
    sender: &str,
    receiver: &str,
    verb: &str,
    state: &CaseState,
    on: NaiveDate,
) -> Vec<String> {
    vec![
        format!("{sender}："),
        format!(
            "你单位于 {on} {verb}的“{}”信访事项（案件编号 {}），我单位已于{HAND_DATE}收到。",
            state.petition.title, state.case_no
        ),
        format!("签收人：　　　　　　　　　　签收单位：{receiver}（盖章）"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::documents::tests::walk_as;
    use crate::domain::event::Actor;
    use crate::domain::petition::tests::valid_draft;
    use crate::domain::workflow::Step;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn case(channel: Channel, steps: &[Step]) -> CaseState {
        let mut draft = valid_draft();
        draft.channel = Some(channel);
        draft.received_on = "2026-11-02".into();
        let actor = Actor {
            unit_code: "XF01".into(),
            unit_name: "县信访局".into(),
            operator: "王五".into(),
        };
        walk_as(draft, actor, steps)
    }

    fn field<'a>(doc: &'a Document, label: &str) -> &'a str {
        doc.fields
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no field {label}"))
    }

    #[test]
    fn the_registration_form_fits_the_channel_and_carries_the_case() {
        let cal = WorkCalendar::official();
        let visit = case(Channel::Visit, &[]);
        assert_eq!(available(&visit)[0], DocKind::RegistrationVisit);
        let form = render(DocKind::RegistrationVisit, &visit, &cal).unwrap();
        assert_eq!(form.title, "信访事项登记表（来访）");
        assert_eq!(field(&form, "来访日期"), "2026-11-02");
        assert_eq!(form.reference, visit.case_no);
        let who = &visit.petition.petitioners[0];
        assert_eq!(
            field(&form, "信访人1"),
            format!(
                "{}　身份证号 {}　电话 {}　住址 {}",
                who.name, who.id_number, who.phone, who.address
            )
        );
        assert_eq!(
            field(&form, "标记"),
            "越级访：否　重大紧急：否　涉法涉诉：否"
        );
        assert_eq!(field(&form, "接谈人"), "王五");
        assert_eq!(field(&form, "拟办意见"), "（待分流）");
        let letter = case(Channel::Letter, &[]);
        assert_eq!(available(&letter)[0], DocKind::RegistrationLetter);
        let form = render(DocKind::RegistrationLetter, &letter, &cal).unwrap();
        assert_eq!(field(&form, "来信日期"), "2026-11-02");
        assert!(form.fields.iter().all(|(l, _)| l != "来访人数"));
        assert!(!DocKind::RegistrationLetter.to_petitioner());
        assert_eq!(
            for_case(DocKind::RegistrationLetter, &visit),
            DocKind::RegistrationVisit
        );
        assert_eq!(
            for_case(DocKind::RegistrationVisit, &letter),
            DocKind::RegistrationLetter
        );
        assert_eq!(for_case(DocKind::ForwardSlip, &visit), DocKind::ForwardSlip);
    }

    #[test]
    fn a_slip_has_its_receipt_and_routing_notices_say_where_to_go() {
        let cal = WorkCalendar::official();
        let forwarded = case(
            Channel::Letter,
            &[Step::Route {
                routing: Routing::Forward {
                    to: "县人社局".into(),
                    to_code: None,
                },
                on: d(11, 4),
            }],
        );
        let slip = render(DocKind::ForwardSlip, &forwarded, &cal).unwrap();
        assert!(render(DocKind::AssignSlip, &forwarded, &cal).is_none());
        assert_eq!(slip.receipt[0], "县信访局：");
        assert!(slip.receipt[1].contains("2026-11-04 转送的"));
        assert!(slip.receipt[2].contains("签收单位：县人社局"));
        assert!(
            !available(&forwarded).contains(&DocKind::DeliveryReceipt),
            "nothing went to the petitioner yet"
        );

        let redirected = case(
            Channel::Visit,
            &[Step::Route {
                routing: Routing::Redirect {
                    authority: "市场监管部门".into(),
                },
                on: d(11, 5),
            }],
        );
        assert!(available(&redirected).contains(&DocKind::RedirectNotice));
        let notice = render(DocKind::RedirectNotice, &redirected, &cal).unwrap();
        assert!(notice.paragraphs[1].contains("请你（们）向市场监管部门提出"));
        assert_eq!(notice.date, d(11, 5));
        assert!(render(DocKind::DivertNotice, &redirected, &cal).is_none());
        let receipt = render(DocKind::DeliveryReceipt, &redirected, &cal).unwrap();
        assert!(field(&receipt, "送达文书").contains("告知书（2026-11-05）"));
        assert_eq!(field(&receipt, "送达机关"), "县信访局");

        let diverted = case(
            Channel::Visit,
            &[Step::Route {
                routing: Routing::Divert {
                    path: "劳动仲裁".into(),
                },
                on: d(11, 5),
            }],
        );
        let notice = render(DocKind::DivertNotice, &diverted, &cal).unwrap();
        assert_eq!(notice.title, "导入法定途径告知书");
        assert!(notice.paragraphs[1].contains("通过劳动仲裁程序主张权利"));
        assert!(DocKind::DivertNotice.to_petitioner());
    }
}
