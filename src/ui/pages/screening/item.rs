//! One screening item: its record, the case it became, follow-ups, revision, and its
//! history of changes.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::app::env::Browser;
use crate::app::screening;
use crate::app::transfer::{self, Provenance};
use crate::domain::errors::FieldErrors;
use crate::domain::ids::{EntryId, EventId};
use crate::domain::registers::screening::{
    Outcome, ScreeningBody, ScreeningDraft, ScreeningEvent, ScreeningItem, ScreeningRecord,
};
use crate::domain::time::parse_date;
use crate::exchange::transfer::Purpose;
use crate::platform::clock;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::export_bar::{ExportBar, Handed};
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::message::{banner, show_field_errors, Msg};
use crate::ui::widgets::revisions::{event_item, revision};

use super::form::ScreeningForm;
use super::status_chip;

fn record_table(r: &ScreeningRecord) -> impl IntoView {
    let rows = r
        .rows()
        .into_iter()
        .map(|(f, v)| view! { <tr><th>{f.label()}</th><td class="pre" data-field=f.key()>{v}</td></tr> })
        .collect_view();
    view! { <table class="table compact details">{rows}</table> }
}

fn history_item(
    e: &ScreeningEvent,
    before: Option<&ScreeningRecord>,
    arrived: Option<Provenance>,
) -> impl IntoView {
    let detail = match &e.body {
        ScreeningBody::Recorded { .. } => view! { <p>"登记排查事项"</p> }.into_any(),
        ScreeningBody::Revised { record, reason } => {
            let old: Vec<(_, String)> = before.map(ScreeningRecord::rows).unwrap_or_default();
            revision(reason, &old, record.rows(), |f| f.label()).into_any()
        }
        ScreeningBody::FollowedUp { on, text, outcome } => {
            view! { <p>{format!("{on}：{text}（{}）", outcome.label())}</p> }.into_any()
        }
        ScreeningBody::Converted { case_id, case_no } => view! {
            <p>"转为信访事项 " <a class="mono" href=Route::Case(case_id.clone()).href()>{case_no.clone()}</a></p>
        }
        .into_any(),
    };
    event_item(e.body.label(), e, detail, arrived)
}

/// The history, newest last, each revision shown against the version before it, each
/// event that came in a file with how it came.
fn history(item: &ScreeningItem, vias: &BTreeMap<EventId, Provenance>) -> impl IntoView {
    let mut current: Option<ScreeningRecord> = None;
    let mut out = Vec::new();
    for e in &item.events {
        out.push(history_item(e, current.as_ref(), vias.get(&e.id).cloned()));
        if let ScreeningBody::Recorded { record } | ScreeningBody::Revised { record, .. } = &e.body
        {
            current = Some(record.clone());
        }
    }
    view! { <ol class="history" data-testid="item-history">{out.into_iter().collect_view()}</ol> }
}

/// The follow-up form.
fn follow_up_form(item: ScreeningItem, reload: impl Fn() + Copy + 'static) -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let on = RwSignal::new(today.to_string());
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(Outcome::Resolving.key().to_owned());
    let msg = RwSignal::new(None::<Msg>);
    let id = item.id.clone();
    let save = Action::new_local(move |_: &()| {
        let (store, id) = (ctx.store(), id.clone());
        async move {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            let Some(day) = parse_date(&on.get_untracked()) else {
                return msg.set(Some(Msg::Failed("跟进日期格式应为 年-月-日".into())));
            };
            let outcome = Outcome::from_key(&outcome.get_untracked()).unwrap_or(Outcome::Resolving);
            match screening::follow_up(
                &store,
                &Browser,
                &profile,
                &id,
                (day, &text.get_untracked(), outcome),
            )
            .await
            {
                Ok(_) => reload(),
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        }
    });
    view! {
        <form class="card follow-up" data-testid="follow-up" on:submit=move |ev| { ev.prevent_default(); if !save.pending().get_untracked() { save.dispatch_local(()); } } novalidate>
            <h2>"跟进化解"</h2>
            {banner(msg)}
            <div class="grid">
                <label class="field"><span class="label">"跟进日期"</span>
                    <input type="date" name="follow_on" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev)) />
                </label>
                <label class="field"><span class="label">"跟进结果"</span>
                    <select name="outcome" on:change=move |ev| outcome.set(event_target_value(&ev))>
                        {Outcome::ALL.iter().map(|o| view! { <option value=o.key() selected=move || outcome.get() == o.key()>{o.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field wide"><span class="label">"跟进情况"</span>
                    <textarea name="follow_text" rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            </div>
            <div class="actions"><button type="submit" class="primary" prop:disabled=save.pending()>"记录跟进"</button></div>
        </form>
    }
}

/// Linking a case registered before: by its number.
fn link_form(id: EntryId, reload: impl Fn() + Copy + 'static) -> impl IntoView {
    let ctx = ctx();
    let number = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let save = Action::new_local(move |_: &()| {
        let (store, id) = (ctx.store(), id.clone());
        async move {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            let calendar = ctx.calendar.get_untracked();
            match screening::link_number(
                &store,
                &Browser,
                &calendar,
                &profile,
                &id,
                &number.get_untracked(),
            )
            .await
            {
                Ok(_) => reload(),
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        }
    });
    view! {
        <form class="inline-form" data-testid="link-case" on:submit=move |ev| { ev.prevent_default(); if !save.pending().get_untracked() { save.dispatch_local(()); } } novalidate>
            {banner(msg)}
            <label>"已另行登记为信访事项的，输入案件编号关联："
                <input type="text" name="link_case_no" placeholder="如 XF01-2026-00012" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="secondary" prop:disabled=save.pending()>"关联"</button>
        </form>
    }
}

/// The revision form, filled with the current record.
fn revise_form(item: ScreeningItem, reload: impl Fn() + Copy + 'static) -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(ScreeningDraft::from_record(&item.record));
    let errors = RwSignal::new(FieldErrors::default());
    let reason = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    let id = item.id.clone();
    let save = Action::new_local(move |record: &ScreeningRecord| {
        let (store, id, record) = (ctx.store(), id.clone(), record.clone());
        async move {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            match screening::revise(
                &store,
                &Browser,
                &profile,
                &id,
                record,
                &reason.get_untracked(),
            )
            .await
            {
                Ok(_) => reload(),
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().validate(clock::now().china_date()) {
            Err(e) => show_field_errors(msg, errors, e),
            Ok(r) => {
                errors.set(FieldErrors::default());
                save.dispatch_local(r);
            }
        }
    };
    view! {
        <form class="card" data-testid="revise" on:submit=on_submit novalidate>
            <h2>"修改台账记录"</h2>
            {banner(msg)}
            <ScreeningForm draft=draft errors=errors townships=townships />
            <label class="field wide"><span class="label">"修改原因" <span class="req" aria-hidden="true">"*"</span></span>
                <input type="text" name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </label>
            <div class="actions"><button type="submit" class="primary" prop:disabled=save.pending()>"保存修改"</button></div>
        </form>
    }
}

/// The item page.
#[component]
pub fn ItemPage(
    /// The item.
    id: EntryId,
) -> impl IntoView {
    let ctx = ctx();
    let version = RwSignal::new(0u32);
    let revising = RwSignal::new(false);
    let data = LocalResource::new(move || {
        version.track();
        let (store, id) = (ctx.store(), id.clone());
        async move {
            match screening::item(&store, &id).await {
                Ok(Some(i)) => {
                    // Provenance is a note beside the history: a failure hides only it.
                    let vias = transfer::item_provenance(&store, &i)
                        .await
                        .unwrap_or_default();
                    Ok((i, vias))
                }
                Ok(None) => Err(crate::app::error::AppError::UnknownItem.to_string()),
                Err(e) => Err(e.to_string()),
            }
        }
    });
    let reload = move || {
        revising.set(false);
        version.update(|v| *v += 1);
    };
    let today = clock::now().china_date();
    let me = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.code.clone()).unwrap_or_default());
    loaded(
        data,
        "正在读取…",
        move |(item, vias): (ScreeningItem, BTreeMap<EventId, Provenance>)| {
            let r = &item.record;
            let overdue = item.is_overdue(today);
            let may_revise = item.may_revise(&me);
            let suggested = Purpose::suggested_for_item(&item, &me);
            view! {
            <section class="card">
                <p><a href=Route::Screening.href()>"← 排查台账"</a></p>
                <h1>{r.title()} " " {status_chip(&item, today)}</h1>
                <p class="hint">{format!("{} 于 {} 登记", item.recorded_by.unit_name, item.recorded_at.display())}</p>
                {overdue.then(|| view! { <p class="msg bad" role="alert">{format!("已超过化解期限（{}），请尽快跟进化解。", r.deadline)}</p> })}
                {item.case.clone().map(|(case, no)| view! {
                    <p class="msg ok" data-testid="item-case">"已转为信访事项：" <a class="mono" href=Route::Case(case).href()>{no}</a></p>
                })}
                {record_table(r)}
                <div class="actions">
                    {item.is_open().then(|| view! { <a class="button primary" href=Route::ConvertItem(item.id.clone()).href()>"转为信访事项"</a> })}
                    {may_revise.then(|| view! { <button type="button" class="secondary" on:click=move |_| revising.update(|v| *v = !*v)>"修改"</button> })}
                </div>
                {(!may_revise).then(|| view! { <p class="hint" data-testid="handed-here">{format!(
                    "此事项由{}登记后交本单位：本单位跟进化解、记录结果，并以交换文件报告登记单位；登记内容只能由登记单位修改。",
                    item.recorded_by.unit_name
                )}</p> })}
                {item.is_open().then(|| link_form(item.id.clone(), reload))}
                <ExportBar what=Signal::stored(Handed::Items(vec![item.id.clone()])) suggested=suggested />
            </section>
            {
                let i = item.clone();
                move || revising.get().then(|| revise_form(i.clone(), reload))
            }
            {item.case.is_none().then(|| follow_up_form(item.clone(), reload))}
            <section class="card">
                <h2>"记录历史"</h2>
                {history(&item, &vias)}
            </section>
        }
        .into_any()
        },
    )
}
