//! One case: every field, its history, and the correction form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{banner, ctx, keep_draft, Msg};
use super::forms::PetitionForm;
use super::platform;
use super::route::Route;
use crate::domain::case::correct;
use crate::domain::errors::FieldErrors;
use crate::domain::petition::Petitioner;
use crate::domain::{CaseId, CaseState, Event, EventBody, PetitionDraft};

fn load_case(id: CaseId) -> LocalResource<Result<Option<CaseState>, String>> {
    let ctx = ctx();
    LocalResource::new(move || {
        let (store, id) = (ctx.store(), id.clone());
        async move { store.case(&id).await.map_err(|e| e.to_string()) }
    })
}

fn with_case(
    res: LocalResource<Result<Option<CaseState>, String>>,
    show: impl Fn(CaseState) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        match res.get() {
        None => view! { <p class="loading">"正在读取…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="msg bad" role="alert">{e}</p> }.into_any(),
        Some(Ok(None)) => view! {
            <section class="card"><h1>"未找到该案件"</h1><p><a href="#/cases">"返回案件列表"</a></p></section>
        }
        .into_any(),
        Some(Ok(Some(state))) => show(state),
    }
    }
}

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

fn history_item(e: &Event) -> impl IntoView {
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
        </li>
    }
}

fn case_view(s: CaseState) -> AnyView {
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
        (p.flags.skip_level, "越级"),
        (p.flags.major_urgent, "重大紧急"),
        (p.flags.law_litigation, "涉法涉诉"),
        (p.anonymous, "匿名"),
    ]
    .into_iter()
    .filter_map(|(on, l)| on.then_some(l))
    .collect();
    let history = s.events.iter().map(history_item).collect_view();
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
                <dt>"登记单位"</dt><dd>{format!("{}（{}）· {}", s.registered_by.unit_name, s.registered_by.unit_code, s.registered_by.operator)}</dd>
                <dt>"信访渠道"</dt><dd>{p.channel.label()}</dd>
                <dt>"问题类别"</dt><dd>{p.category.label()}</dd>
                <dt>"信访形式"</dt><dd>{p.petition_type.label()}</dd>
                <dt>"发生地"</dt><dd>{format!("{} {}", p.township, p.village)}</dd>
                <dt>"人数"</dt><dd>{p.head_count}</dd>
                <dt>"被反映单位或人员"</dt><dd>{text(&p.complained_about)}</dd>
                <dt>"全局编号"</dt>
                <dd class="mono small">{s.id.to_string()}</dd>
            </dl>
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

/// A case with its history.
#[component]
pub fn CasePage(id: CaseId) -> impl IntoView {
    with_case(load_case(id), case_view)
}

/// The correction page of a case.
#[component]
pub fn CorrectPage(id: CaseId) -> impl IntoView {
    with_case(load_case(id), |state| {
        view! { <CorrectForm state=state /> }.into_any()
    })
}

#[component]
fn CorrectForm(state: CaseState) -> impl IntoView {
    let ctx = ctx();
    let original = PetitionDraft::from_petition(&state.petition);
    let draft = RwSignal::new(original.clone());
    let errors = RwSignal::new(FieldErrors::default());
    let reason = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let draft_error = keep_draft(format!("correct:{}", state.id), draft, move |d| {
        *d == original
    });
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    let id = state.id.clone();
    let case_no = state.case_no.clone();
    let state = StoredValue::new(state);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let now = platform::now();
        let petition = match draft.get_untracked().validate(now.china_date()) {
            Ok(p) => p,
            Err(e) => {
                msg.set(Some(Msg::Failed(format!(
                    "有 {} 项需要更正，请查看标红的项目；未保存任何内容。",
                    e.len()
                ))));
                errors.set(e);
                return;
            }
        };
        errors.set(FieldErrors::default());
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let event = state.with_value(|s| {
            correct(
                s,
                &petition,
                &reason.get_untracked(),
                platform::new_event_id(),
                profile.actor(),
                now,
            )
        });
        match event {
            Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            Ok(event) => {
                let store = ctx.store();
                let key = format!("correct:{}", event.case_id);
                spawn_local(async move {
                    match store.append(event.clone(), Some(&key)).await {
                        Ok(s) => Route::Case(s.id).go(),
                        Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
                    }
                });
            }
        }
    };
    view! {
        <section class="card">
            <h1>"更正案件 " <span class="mono">{case_no}</span></h1>
            <p class="hint">"更正作为一条新记录写入办理记录，原登记内容保留可查。"</p>
            {banner(msg)}
            {move || draft_error.get().map(|m| view! { <p class="msg bad" role="alert">{m}</p> })}
            <form on:submit=on_submit novalidate>
                <PetitionForm draft=draft errors=errors townships=townships />
                <fieldset>
                    <legend>"更正原因"</legend>
                    <textarea name="reason" rows="2" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary">"保存更正"</button>
                    <a class="button secondary" href=Route::Case(id).href()>"取消"</a>
                </div>
            </form>
        </section>
    }
}
