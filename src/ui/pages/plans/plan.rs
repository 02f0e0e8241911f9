//! One emergency plan: when it applies, who acts, the steps, its revision and history.

use leptos::prelude::*;

use crate::app::env::Browser;
use crate::app::error::AppError;
use crate::app::plans;
use crate::domain::errors::FieldErrors;
use crate::domain::ids::EntryId;
use crate::domain::registers::plans::{Plan, PlanDraft, PlanRecord};
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::revisions::{history, revise_card, Verbs};

use super::form::PlanForm;

fn record_table(r: &PlanRecord) -> impl IntoView {
    let rows = r
        .rows()
        .into_iter()
        .map(|(f, v)| view! { <tr><th>{f.label()}</th><td class="pre" data-field=f.key()>{v}</td></tr> })
        .collect_view();
    view! { <table class="table compact details">{rows}</table> }
}

fn revise_form(plan: Plan, reload: impl Fn() + Copy + 'static) -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(PlanDraft::from_record(&plan.record));
    let errors = RwSignal::new(FieldErrors::default());
    let id = plan.id.clone();
    revise_card(
        ("修订预案", "revise-plan"),
        view! { <PlanForm draft=draft errors=errors /> }.into_any(),
        errors,
        move || draft.get_untracked().validate(),
        move |profile, record, reason| {
            let (store, id) = (ctx.store(), id.clone());
            async move {
                plans::revise(&store, &Browser, &profile, &id, record, &reason)
                    .await
                    .map_err(|e| e.to_string())?;
                reload();
                Ok(())
            }
        },
    )
}

/// The plan page.
#[component]
pub fn PlanPage(
    /// The plan.
    id: EntryId,
) -> impl IntoView {
    let ctx = ctx();
    let version = RwSignal::new(0u32);
    let revising = RwSignal::new(false);
    let data = LocalResource::new(move || {
        version.track();
        let (store, id) = (ctx.store(), id.clone());
        async move {
            match plans::plan(&store, &id).await {
                Ok(Some(p)) => Ok(p),
                Ok(None) => Err(AppError::UnknownPlan.to_string()),
                Err(e) => Err(e.to_string()),
            }
        }
    });
    let reload = move || {
        revising.set(false);
        version.update(|v| *v += 1);
    };
    loaded(data, "正在读取…", move |plan: Plan| {
        view! {
            <section class="card">
                <p><a href=Route::Plans.href()>"← 应急预案"</a></p>
                <h1>{plan.record.name.clone()}</h1>
                <p class="hint">{format!("{} 于 {} 制定；登记符合适用条件的信访事项时，系统提示启动本预案。", plan.recorded_by.unit_name, plan.recorded_at.display())}</p>
                {record_table(&plan.record)}
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| revising.update(|v| *v = !*v)>"修订"</button>
                </div>
            </section>
            {
                let p = plan.clone();
                move || revising.get().then(|| revise_form(p.clone(), reload))
            }
            <section class="card">
                <h2>"修订历史"</h2>
                {history(&plan, PlanRecord::rows, |f| f.label(), Verbs { recorded: "制定预案", revised: "修订预案" })}
            </section>
        }
        .into_any()
    })
}
