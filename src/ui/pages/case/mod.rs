//! One case: every field, its workflow and history, the steps the rules allow now, the
//! correction form and the printable documents.

pub mod correct;
pub mod document;
mod leaders;
mod links;
mod load;
pub mod plans;
mod reply;
mod steps;

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::app::transfer::{self, Provenance};
use crate::domain::calendar::PROVISIONAL_NOTE;
use crate::domain::documents;
use crate::domain::petition::Petitioner;
use crate::domain::search::CLOSED_LABEL;
use crate::domain::unit::UnitProfile;
use crate::domain::workflow::Viewer;
use crate::domain::{CaseId, CaseState, Event, EventBody, EventId};
use crate::exchange::transfer::Purpose;
use crate::platform::{clock, files};
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::export_bar::{ExportBar, Handed};
use crate::ui::widgets::revisions::provenance_note;
use leaders::LeadersPanel;
use links::RepeatLink;
use load::{load_case, with_case};
use plans::PlansPanel;
use reply::ReplyExport;
use steps::StepPanel;

fn people_table(people: &[Petitioner]) -> AnyView {
    if people.is_empty() {
        return view! { <p class="muted">"（无）"</p> }.into_any();
    }
    let rows = people
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{p.name.clone()}</td>
                    <td>{p.kind.label()}</td>
                    <td class="mono">{p.id_number.clone()}</td>
                    <td class="mono">{p.phone.clone()}</td>
                    <td>{p.address.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table compact">
            <thead><tr><th>"姓名或名称"</th><th>"类型"</th><th>"身份证号"</th><th>"电话"</th><th>"住址"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn history_item(e: &Event, case: &str, vias: Vias) -> impl IntoView {
    let id = e.id.clone();
    let detail = match &e.body {
        EventBody::Registered { case_no, .. } => {
            view! { <p>"登记，编号 " <span class="mono">{case_no.clone()}</span></p> }.into_any()
        }
        EventBody::Corrected { changes, reason } => {
            let rows = changes
                .iter()
                .map(|c| view! { <tr><th>{c.field.label()}</th><td class="old">{c.old.display()}</td><td class="new">{c.new.display()}</td></tr> })
                .collect_view();
            view! {
                <p>"更正原因：" {reason.clone()}</p>
                <table class="table compact changes">
                    <thead><tr><th>"项目"</th><th>"原值"</th><th>"新值"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        EventBody::Step { step } => view! { <p>{step.describe()}</p> }.into_any(),
        EventBody::RepeatOf { other, other_no } => view! {
            <p>"标记为 " <a class="mono" href=Route::Case(other.clone()).href()>{other_no.clone()}</a> " 的重复访"</p>
        }
        .into_any(),
        EventBody::Submitted { query_code, earlier, attachments, .. } => {
            // Downloaded under a name made here, never the sender's (which could be
            // "../x.exe.png" or anything else).
            let files = attachments
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let a = a.clone();
                    let safe = a.safe_name(case, i + 1);
                    let label = format!("附件{}（{}，{} KB）", i + 1, a.name, a.size().div_ceil(1024));
                    view! {
                        <button type="button" class="link file" on:click=move |_| {
                            let _ = files::download_bytes(&safe, &a.media_type, &a.bytes());
                        }>{label}</button>
                    }
                })
                .collect_view();
            view! {
                <p>"网上提交，查询码 " <span class="mono" data-testid="query-code">{query_code.clone()}</span></p>
                {(!earlier.is_empty()).then(|| view! { <p>"此前信访情况：" {earlier.clone()}</p> })}
                {(!attachments.is_empty()).then(|| view! { <p class="attachments">"附件：" {files}</p> })}
            }
            .into_any()
        }
        EventBody::RepeatedBy { other, other_no } => view! {
            <p>"被 " <a class="mono" href=Route::Case(other.clone()).href()>{other_no.clone()}</a> " 重复反映"</p>
        }
        .into_any(),
        EventBody::FromScreening { item, title } => view! {
            <p>"由排查台账事项 " <a href=Route::Item(item.clone()).href() data-testid="from-item">{title.clone()}</a> " 转入"</p>
        }
        .into_any(),
        EventBody::PlanStarted { plan, name } => view! {
            <p>"启动应急预案 " <a href=Route::Plan(plan.clone()).href()>{name.clone()}</a></p>
        }
        .into_any(),
        EventBody::PlanNoted { text, .. } => view! { <p>{text.clone()}</p> }.into_any(),
        EventBody::LeaderAssigned { leader } => view! { <p>{format!("包案领导：{leader}")}</p> }.into_any(),
        EventBody::ReceivedByLeader { leader, .. } => view! { <p>{format!("领导接待日由{leader}接访")}</p> }.into_any(),
        EventBody::Instructed { leader, text } => view! { <p>{format!("{leader}批示：{text}")}</p> }.into_any(),
        EventBody::LedgerImported { source, original_no, handling, settled } => view! {
            <p data-testid="ledger-origin">
                {format!("从台账“{source}”导入")}
                {(!original_no.is_empty()).then(|| view! { "，原编号 " <span class="mono">{original_no.clone()}</span> })}
            </p>
            {(!handling.is_empty()).then(|| view! { <p>{format!("原台账办理情况：{handling}")}</p> })}
            {settled.then(|| view! { <p>"原台账记载已办结，本案不再进入待办。"</p> })}
        }
        .into_any(),
        EventBody::PlanSummarized { happened, worked, lessons, .. } => view! {
            <p>"事件经过：" {happened.clone()}</p>
            <p>"有效做法：" {worked.clone()}</p>
            <p>"经验教训：" {lessons.clone()}</p>
        }
        .into_any(),
    };
    view! {
        <li class="event">
            <div class="event-head">
                <strong>{e.body.label()}</strong>
                <span>{e.at.display()}</span>
                <span>{format!("{}（{}）", e.actor.unit_name, e.actor.unit_code)}</span>
                <span>"经办人：" {e.actor.operator.clone()}</span>
            </div>
            {detail}
            {move || vias.get().and_then(|v| v.get(&id).cloned()).map(provenance_note)}
        </li>
    }
}

/// How each event that came in a file arrived, read beside the case.
type Vias = LocalResource<BTreeMap<EventId, Provenance>>;

fn flow_panel(s: &CaseState, on_done: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let flow = &s.flow;
    let due = ctx.calendar.with_untracked(|cal| flow.due(cal));
    let provisional = due.as_ref().is_some_and(|d| {
        ctx.calendar
            .with_untracked(|cal| cal.is_provisional(d.date))
    });
    // Answered and left uncontested past the window: closed, and said so with the day.
    let closed = ctx
        .calendar
        .with_untracked(|cal| flow.closed_uncontested(cal, today));
    let unit = ctx.profile.get_untracked();
    let me = unit
        .as_ref()
        .map(UnitProfile::viewer)
        .unwrap_or(Viewer { code: "", name: "" });
    let stage = match (closed, &due) {
        (Some(last), Some(d)) => format!("{CLOSED_LABEL}（{}于 {last} 届满）", d.kind.label()),
        _ => flow.stage_label_for(me).to_owned(),
    };
    let next = flow.next_action_for(me);
    let handling = {
        let received = flow
            .handler_received_on
            .map(|d| format!("，{d} 签收"))
            .unwrap_or_default();
        let by = flow
            .router
            .as_ref()
            .map(|r| {
                format!(
                    "；{}单位：{}",
                    if flow.is_assigned() {
                        "交办"
                    } else {
                        "转送"
                    },
                    r.name
                )
            })
            .unwrap_or_default();
        format!("承办单位：{}{received}{by}", flow.handler.name)
    };
    let supervisions = flow
        .open_supervisions()
        .map(|o| {
            let late = o.is_late(today);
            view! {
                <li class:overdue=late>{format!("{} 督办：{}；{} 前反馈{}", o.on, o.reason, o.feedback_due, if late { "（已超期）" } else { "" })}</li>
            }
        })
        .collect_view();
    let link = |(id, no): &(CaseId, String)| view! { <a class="mono" href=Route::Case(id.clone()).href()>{no.clone()}</a> " " };
    let links = view! {
        {(!s.repeat_of.is_empty()).then(|| view! { <p>"重复访，在先案件：" {s.repeat_of.iter().map(link).collect_view()}</p> })}
        {(!s.repeated_by.is_empty()).then(|| view! { <p>"被重复反映：" {s.repeated_by.iter().map(link).collect_view()}</p> })}
    };
    let docs = documents::available(s)
        .into_iter()
        .map(|k| view! { <a class="button secondary" href=Route::Document(s.id.clone(), k).href()>{k.label()}</a> })
        .collect_view();
    view! {
        <section class="card flow" data-testid="flow">
            <div class="flow-head">
                <p>"当前阶段 " <strong class="stage" data-testid="stage">{stage}</strong></p>
                {due.map(|d| {
                    let overdue = d.is_overdue(today);
                    view! {
                        <p class="due" class:overdue=overdue data-testid="due">
                            {format!("{}期限 {}（{}）", d.kind.label(), d.date, d.describe(today))}
                            {provisional.then(|| view! { <span class="chip warn" data-testid="due-provisional">{PROVISIONAL_NOTE}</span> })}
                        </p>
                    }
                })}
            </div>
            <p class="handler" data-testid="handler">{handling}</p>
            <p class="next" data-testid="next">"下一步：" {next}</p>
            <ul class="supervisions" data-testid="supervisions">{supervisions}</ul>
            <div class="links" data-testid="links">{links}</div>
            <div class="docs" data-testid="documents">{docs}</div>
            <StepPanel state=s.clone() on_done=on_done />
            <RepeatLink state=s.clone() on_done=on_done />
            <ExportBar what=Signal::stored(Handed::Cases(vec![s.id.clone()])) suggested=Purpose::suggested(flow, me) />
            {s.submission.is_some().then(|| view! { <ReplyExport state=s.clone() /> })}
        </section>
    }
}

fn case_view(s: CaseState, vias: Vias, on_done: Callback<()>) -> AnyView {
    let p = &s.petition;
    let text = |t: &str| {
        if t.is_empty() {
            "—".to_owned()
        } else {
            t.to_owned()
        }
    };
    let badges: Vec<&'static str> = [
        (p.is_group(), "集体访"),
        (!s.repeat_of.is_empty(), "重复访"),
        (p.flags.skip_level, "越级"),
        (p.flags.major_urgent, "重大紧急"),
        (p.flags.law_litigation, "涉法涉诉"),
        (p.anonymous, "匿名"),
    ]
    .into_iter()
    .filter_map(|(on, l)| on.then_some(l))
    .collect();
    let history = s
        .events
        .iter()
        .map(|e| history_item(e, &s.case_no, vias))
        .collect_view();
    view! {
        <section class="card">
            <div class="case-head">
                <div>
                    <p class="mono case-no" data-testid="case-no">{s.case_no.clone()}</p>
                    <h1 data-testid="case-title">{p.title.clone()}</h1>
                    <p class="badges">{badges.into_iter().map(|b| view! { <span class="badge">{b}</span> }).collect_view()}</p>
                </div>
                <a class="button secondary" href=Route::Correct(s.id.clone()).href()>"更正"</a>
            </div>
            <dl class="facts">
                <dt>"登记时间"</dt><dd>{s.registered_at.display()}</dd>
                <dt>"收件日期"</dt><dd>{s.received_on().to_string()}</dd>
                <dt>"登记单位"</dt><dd>{format!("{}（{}）· {}", s.registered_by.unit_name, s.registered_by.unit_code, s.registered_by.operator)}</dd>
                <dt>"信访渠道"</dt><dd>{p.channel.label()}</dd>
                <dt>"问题类别"</dt><dd>{p.category.label()}</dd>
                <dt>"信访形式"</dt><dd>{p.petition_type.label()}</dd>
                <dt>"发生地"</dt><dd>{format!("{} {}", p.township, p.village)}</dd>
                <dt>"人数"</dt><dd>{p.head_count}</dd>
                <dt>"被反映单位或人员"</dt><dd>{text(&p.complained_about)}</dd>
                <dt>"全局编号"</dt>
                <dd class="mono small">{s.id.to_string()}</dd>
                {s.ledger.as_ref().filter(|l| !l.original_no.is_empty()).map(|l| view! {
                    <dt>"原台账编号"</dt><dd class="mono" data-testid="original-no">{l.original_no.clone()}</dd>
                })}
            </dl>
        </section>
        {flow_panel(&s, on_done)}
        <PlansPanel state=s.clone() on_done=on_done />
        <LeadersPanel state=s.clone() on_done=on_done />
        <section class="card">
            <h2>"信访人"</h2>
            {people_table(&p.petitioners)}
            {(!p.representatives.is_empty()).then(|| view! { <h2>"代表"</h2> {people_table(&p.representatives)} })}
            <h2>"信访请求"</h2><p class="prose" data-testid="case-request">{p.request.clone()}</p>
            <h2>"事实"</h2><p class="prose">{text(&p.facts)}</p>
            <h2>"理由"</h2><p class="prose">{text(&p.reasons)}</p>
        </section>
        <section class="card">
            <h2>"办理记录"</h2>
            <ol class="history" data-testid="history">{history}</ol>
        </section>
    }
    .into_any()
}

/// A case with its workflow and history.
#[component]
pub fn CasePage(
    /// The case.
    id: CaseId,
) -> impl IntoView {
    let res = load_case(id.clone());
    let ctx = ctx();
    let vias = LocalResource::new(move || {
        let (store, id) = (ctx.store(), id.clone());
        // Provenance is a note beside the history: a failure to read it hides only it.
        async move { transfer::provenance(&store, &id).await.unwrap_or_default() }
    });
    let on_done = Callback::new(move |_| {
        res.refetch();
        vias.refetch();
    });
    with_case(res, move |s| case_view(s, vias, on_done))
}
