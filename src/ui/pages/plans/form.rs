//! The plan form (new plans and revisions) and the page that records one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::env::Browser;
use crate::app::plans;
use crate::domain::errors::FieldErrors;
use crate::domain::registers::plans::{PlanDraft, PlanField as F, PlanRecord};
use crate::domain::vocab::Category;
use crate::store::drafts::DraftKey;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::drafts::keep_draft;
use crate::ui::widgets::forms::{error_of, string_input, Field};
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

/// The plan's fields, bound to `draft`, each with its error from the domain.
#[component]
pub fn PlanForm(
    /// The form's content, kept as typed.
    draft: RwSignal<PlanDraft>,
    /// Each field's error.
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let err = move |f: F| error_of(errors, f.key());
    let text = move |f: F,
                     get: fn(&PlanDraft) -> &String,
                     set: fn(&mut PlanDraft) -> &mut String,
                     multi: bool| string_input(draft, f.key(), get, set, multi);
    let categories = Category::ALL
        .iter()
        .map(|&c| {
            let on = move || draft.with(|d| d.categories.contains(&c));
            view! {
                <label class="check"><input type="checkbox" name="plan_category" value=c.key() prop:checked=on on:change=move |ev| {
                    let ticked = event_target_checked(&ev);
                    draft.update(|d| {
                        d.categories.retain(|x| *x != c);
                        if ticked { d.categories.push(c); }
                    });
                } />{c.label()}</label>
            }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend>"预案"</legend>
            <div class="grid">
                <Field label=F::Name.label() required=true error=err(F::Name) wide=true>{text(F::Name, |d| &d.name, |d| &mut d.name, false)}</Field>
            </div>
        </fieldset>
        <fieldset>
            <legend>"适用条件（设定的各项同时满足时适用，至少设定一项）"</legend>
            <div class="grid">
                <Field label=F::MinHeads.label() error=err(F::MinHeads)>
                    {text(F::MinHeads, |d| &d.min_heads, |d| &mut d.min_heads, false)}
                    <span class="hint">"集体访通常为 5 人以上；不设此条件请留空"</span>
                </Field>
                <Field label=F::Townships.label() error=err(F::Townships)>
                    {text(F::Townships, |d| &d.townships, |d| &mut d.townships, false)}
                    <span class="hint">"多个用顿号分隔；留空为不限"</span>
                </Field>
                <Field label=F::MajorUrgent.label() error=err(F::MajorUrgent)>
                    <label class="check"><input type="checkbox" name="MajorUrgent" prop:checked=move || draft.with(|d| d.major_urgent) on:change=move |ev| draft.update(|d| d.major_urgent = event_target_checked(&ev)) />"仅适用于标为重大紧急的事项"</label>
                </Field>
                <Field label=F::Categories.label() error=err(F::Categories) wide=true>
                    <div class="checks">{categories}</div>
                    <span class="hint">"不勾选为不限"</span>
                </Field>
            </div>
        </fieldset>
        <fieldset>
            <legend>"责任与步骤"</legend>
            <div class="grid">
                <Field label=F::Units.label() required=true error=err(F::Units) wide=true>{text(F::Units, |d| &d.units, |d| &mut d.units, true)}</Field>
                <Field label=F::Steps.label() required=true error=err(F::Steps) wide=true>
                    {text(F::Steps, |d| &d.steps, |d| &mut d.steps, true)}
                    <span class="hint">"每行一步，如：一、接待分流；二、领导接访；三、责任单位现场答复"</span>
                </Field>
            </div>
        </fieldset>
    }
}

/// 制定预案: a new plan of the register.
#[component]
pub fn NewPlanPage() -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(PlanDraft::default());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let draft_error = keep_draft(DraftKey::Plan.key(), draft, PlanDraft::is_untouched);
    let save = Action::new_local(move |record: &PlanRecord| {
        let record = record.clone();
        let store = ctx.store();
        async move {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            match plans::record(&store, &Browser, &profile, record).await {
                Ok(plan) => Route::Plan(plan.id).go(),
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        match draft.get_untracked().validate() {
            Err(e) => show_field_errors(msg, errors, e),
            Ok(record) => {
                errors.set(FieldErrors::default());
                save.dispatch_local(record);
            }
        }
    };
    view! {
        <section class="card">
            <p><a href=Route::Plans.href()>"← 应急预案"</a></p>
            <h1>"制定应急预案"</h1>
            <p class="hint">"登记符合适用条件的信访事项时，系统会提示启动本预案。填写内容会自动保存为草稿；标 * 的为必填项。"</p>
            {banner(msg)}
            {move || draft_error.get().map(|m| view! { <p class="msg bad" role="alert">{m}</p> })}
            <form on:submit=on_submit novalidate>
                <PlanForm draft=draft errors=errors />
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=save.pending()>"保存预案"</button>
                    <button type="button" class="secondary" on:click=move |_| { draft.set(PlanDraft::default()); errors.set(FieldErrors::default()); msg.set(None); }>"清空草稿"</button>
                </div>
            </form>
        </section>
    }
}
