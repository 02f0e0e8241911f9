//! 应急处置 on a case: the plans it meets, offered to start; each started plan with its
//! handling records, the form for the next one, the 事后总结 and its printable page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::load::{load_case, with_case};
use crate::app::env::Browser;
use crate::app::plans;
use crate::domain::ids::EntryId;
use crate::domain::response::StartedPlan;
use crate::domain::{CaseId, CaseState};
use crate::platform::{clock, page};
use crate::ui::context::ctx;
use crate::ui::late::IfAlive;
use crate::ui::route::Route;
use crate::ui::widgets::message::{banner, Msg};

/// Runs `op` on the case and reports back: `on_done` when it went in, the refusal in `msg`.
pub(super) fn act<F>(msg: RwSignal<Option<Msg>>, on_done: Callback<()>, op: F)
where
    F: AsyncFnOnce(
            &crate::store::Store,
            &crate::domain::calendar::WorkCalendar,
            crate::domain::event::Actor,
        ) -> Result<CaseState, crate::app::error::AppError>
        + 'static,
{
    let ctx = ctx();
    let Some(profile) = ctx.profile.get_untracked() else {
        return;
    };
    let store = ctx.store();
    spawn_local(async move {
        let calendar = ctx.calendar.get_untracked();
        match op(&store, &calendar, profile.actor()).await {
            Ok(_) => on_done.run(()),
            Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
        }
    });
}

fn started_view(case: &CaseState, p: &StartedPlan, on_done: Callback<()>) -> impl IntoView {
    let today = clock::now().china_date();
    let msg = RwSignal::new(None::<Msg>);
    let note = RwSignal::new(String::new());
    let (happened, worked, lessons) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let state = StoredValue::new(case.clone());
    let id = StoredValue::new(p.plan.clone());
    let notes = p
        .notes
        .iter()
        .map(|n| view! { <li><span class="muted">{format!("{} {}：", n.at.display(), n.by.unit_name)}</span>{n.text.clone()}</li> })
        .collect_view();
    let add_note = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (s, id, text) = (state.get_value(), id.get_value(), note.get_untracked());
        act(msg, on_done, async move |store, cal, actor| {
            plans::note(store, &Browser, cal, actor, &s, (&id, &text)).await
        });
    };
    let add_summary = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (s, id) = (state.get_value(), id.get_value());
        let parts = (
            happened.get_untracked(),
            worked.get_untracked(),
            lessons.get_untracked(),
        );
        act(msg, on_done, async move |store, cal, actor| {
            let summary = (parts.0.as_str(), parts.1.as_str(), parts.2.as_str());
            plans::summarize(store, &Browser, cal, actor, &s, &id, summary).await
        });
    };
    let field = |label: &'static str, name: &'static str, v: RwSignal<String>| {
        view! {
            <label class="field wide"><span class="label">{label} <span class="req" aria-hidden="true">"*"</span></span>
                <textarea name=name rows="3" prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev))></textarea>
            </label>
        }
    };
    let print = Route::PlanSummary(case.id.clone(), p.plan.clone()).href();
    let overdue = p.summary_overdue(today);
    view! {
        <div class="started-plan" data-testid="started-plan">
            <h3>
                <a href=Route::Plan(p.plan.clone()).href()>{p.name.clone()}</a>
                {format!("　{} 启动（{}）", p.started_at.display(), p.by.unit_name)}
                {match (&p.summary, overdue) {
                    (Some(_), _) => view! { <span class="chip ok">"已总结"</span> }.into_any(),
                    (None, true) => view! { <span class="chip bad">"逾期未总结"</span> }.into_any(),
                    (None, false) => view! { <span class="chip warn">{format!("事后总结 {} 前", p.summary_due())}</span> }.into_any(),
                }}
            </h3>
            {banner(msg)}
            <h4>"处置记录"</h4>
            <ul class="plan-notes" data-testid="plan-notes">{notes}</ul>
            {match &p.summary {
                Some(s) => view! {
                    <div class="plan-summary" data-testid="plan-summary">
                        <h4>"事后总结"</h4>
                        <p><strong>"事件经过："</strong>{s.happened.clone()}</p>
                        <p><strong>"有效做法："</strong>{s.worked.clone()}</p>
                        <p><strong>"经验教训："</strong>{s.lessons.clone()}</p>
                        <a class="button secondary" href=print>"打印事后总结"</a>
                    </div>
                }.into_any(),
                None => view! {
                    <form class="inline-form" data-testid="plan-note" on:submit=add_note novalidate>
                        <label>"处置情况 " <input type="text" name="plan_note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) /></label>
                        <button type="submit" class="secondary">"记录处置情况"</button>
                    </form>
                    <form data-testid="plan-summarize" on:submit=add_summary novalidate>
                        <h4>"事后总结"</h4>
                        <div class="grid">
                            {field("事件经过", "summary_happened", happened)}
                            {field("有效做法", "summary_worked", worked)}
                            {field("经验教训", "summary_lessons", lessons)}
                        </div>
                        <div class="actions"><button type="submit" class="primary">"记录事后总结"</button></div>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// The case's 应急处置 panel: plans it meets (offered to start) and plans started.
#[component]
pub(super) fn PlansPanel(state: CaseState, on_done: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let msg = RwSignal::new(None::<Msg>);
    let s = StoredValue::new(state.clone());
    let offers = LocalResource::new(move || {
        let (store, s) = (ctx.store(), s.get_value());
        // The offer is a hint beside the case: a failure to read the plans hides only it.
        async move { plans::to_start(&store, &s).await.unwrap_or_default() }
    });
    let start = move |plan: EntryId| {
        let s = s.get_value();
        act(msg, on_done, async move |store, cal, actor| {
            plans::start(store, &Browser, cal, actor, &s, &plan).await
        });
    };
    let started = state
        .plans
        .iter()
        .map(|p| started_view(&state, p, on_done))
        .collect_view();
    view! {
        <section class="card" data-testid="plans-panel">
            <h2>"应急处置"</h2>
            {banner(msg)}
            {move || offers.get().map(|list| list.into_iter().map(|p| {
                let id = p.id.clone();
                view! {
                    <p class="msg warn" data-testid="plan-offer">
                        {format!("本案符合应急预案“{}”的适用条件（{}）。", p.record.name, p.record.conditions())}
                        <button type="button" class="primary" on:click=move |_| start(id.clone())>"启动预案"</button>
                    </p>
                }
            }).collect_view())}
            {started}
            {state.plans.is_empty().then(|| view! { <p class="muted">"本案未启动应急预案。"</p> })}
        </section>
    }
}

/// The 事后总结 of plan `plan` on case `id`, laid out as an A4 page for printing.
#[component]
pub fn PlanSummaryPage(
    /// The case.
    id: CaseId,
    /// The plan started on it.
    plan: EntryId,
) -> impl IntoView {
    let back = Route::Case(id.clone()).href();
    with_case(load_case(id), move |state| {
        let back = back.clone();
        let found = state.plans.iter().find(|p| p.plan == plan).cloned();
        let Some((p, s)) = found.and_then(|p| p.summary.clone().map(|s| (p, s))) else {
            return view! {
                <section class="card"><p>"本案该预案尚未记录事后总结。"</p><a href=back>"返回案件"</a></section>
            }
            .into_any();
        };
        let notes = p
            .notes
            .iter()
            .map(|n| view! { <p class="doc-para">{format!("{}　{}", n.at.display(), n.text)}</p> })
            .collect_view();
        view! {
            <div class="doc-actions">
                <a class="button secondary" href=back>"返回案件"</a>
                <button type="button" class="primary" on:click=|_| page::print()>"打印"</button>
            </div>
            <article class="document" data-testid="document">
                <h1 class="doc-issuer">{s.by.unit_name.clone()}</h1>
                <h2 class="doc-title">"应急处置事后总结"</h2>
                <p class="doc-ref">{format!("案件编号：{}　预案：{}", state.case_no, p.name)}</p>
                <p class="doc-para">{format!("信访事项：{}（{}，{} 人）", state.petition.title, state.petition.township, state.petition.head_count)}</p>
                <p class="doc-para">{format!("预案启动：{}，{}", p.started_at.display(), p.by.unit_name)}</p>
                <h3>"一、事件经过"</h3><p class="doc-para">{s.happened.clone()}</p>
                <h3>"二、处置情况"</h3>{notes}
                <h3>"三、有效做法"</h3><p class="doc-para">{s.worked.clone()}</p>
                <h3>"四、经验教训"</h3><p class="doc-para">{s.lessons.clone()}</p>
                <p class="doc-sign">{s.by.unit_name.clone()}</p>
                <p class="doc-date">{s.at.china_date().format("%Y 年 %m 月 %d 日").to_string()}</p>
            </article>
        }
        .into_any()
    })
}
