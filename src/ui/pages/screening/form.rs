//! The screening item form (new items and revisions) and the page that records one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::env::Browser;
use crate::app::screening;
use crate::domain::errors::FieldErrors;
use crate::domain::registers::screening::{Risk, ScreeningDraft, ScreeningField as F};
use crate::domain::vocab::Category;
use crate::platform::clock;
use crate::store::drafts::DraftKey;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::drafts::keep_draft;
use crate::ui::widgets::forms::{error_of, select_input, string_input, Field};
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

/// The item's fields, bound to `draft`, each with its error from the domain.
#[component]
pub fn ScreeningForm(
    /// The form's content, kept as typed.
    draft: RwSignal<ScreeningDraft>,
    /// Each field's error.
    errors: RwSignal<FieldErrors>,
    /// The unit's townships.
    townships: Vec<String>,
) -> impl IntoView {
    let err = move |f: F| error_of(errors, f.key());
    let text = move |f: F,
                     get: fn(&ScreeningDraft) -> &String,
                     set: fn(&mut ScreeningDraft) -> &mut String,
                     multi: bool| string_input(draft, f.key(), get, set, multi);
    let date = move |f: F,
                     get: fn(&ScreeningDraft) -> &String,
                     set: fn(&mut ScreeningDraft) -> &mut String| {
        view! { <input type="date" name=f.key() prop:value=move || draft.with(|d| get(d).clone()) on:input=move |ev| draft.update(|d| *set(d) = event_target_value(&ev)) /> }
    };
    let towns: Vec<(String, String)> = townships.into_iter().map(|t| (t.clone(), t)).collect();
    let categories: Vec<(String, String)> = Category::ALL
        .iter()
        .map(|c| (c.key().to_owned(), c.label().to_owned()))
        .collect();
    let risks: Vec<(String, String)> = Risk::ALL
        .iter()
        .map(|r| (r.key().to_owned(), format!("{}风险", r.label())))
        .collect();
    view! {
        <fieldset>
            <legend>"发现"</legend>
            <div class="grid">
                <Field label=F::FoundOn.label() error=err(F::FoundOn)>
                    {date(F::FoundOn, |d| &d.found_on, |d| &mut d.found_on)}
                    <span class="hint">"不填则为今天"</span>
                </Field>
                <Field label=F::Township.label() required=true error=err(F::Township)>
                    {select_input(draft, F::Township.key(), towns, |d| d.township.clone(), |d, v| d.township = v)}
                </Field>
                <Field label=F::Village.label() error=err(F::Village)>{text(F::Village, |d| &d.village, |d| &mut d.village, false)}</Field>
                <Field label=F::Category.label() required=true error=err(F::Category)>
                    {select_input(draft, F::Category.key(), categories, |d| d.category.map(|c| c.key().to_owned()).unwrap_or_default(), |d, v| d.category = Category::from_key(&v))}
                </Field>
                <Field label=F::Parties.label() required=true error=err(F::Parties)>
                    {text(F::Parties, |d| &d.parties, |d| &mut d.parties, false)}
                    <span class="hint">"多人用顿号分隔，如：张三、李四"</span>
                </Field>
                <Field label=F::HeadCount.label() error=err(F::HeadCount)>
                    {text(F::HeadCount, |d| &d.head_count, |d| &mut d.head_count, false)}
                    <span class="hint">"不填为 1"</span>
                </Field>
                <Field label=F::Matter.label() required=true error=err(F::Matter) wide=true>{text(F::Matter, |d| &d.matter, |d| &mut d.matter, true)}</Field>
            </div>
        </fieldset>
        <fieldset>
            <legend>"责任与措施"</legend>
            <div class="grid">
                <Field label=F::Risk.label() required=true error=err(F::Risk)>
                    {select_input(draft, F::Risk.key(), risks, |d| d.risk.map(|r| r.key().to_owned()).unwrap_or_default(), |d, v| d.risk = Risk::from_key(&v))}
                </Field>
                <Field label=F::Responsible.label() required=true error=err(F::Responsible)>{text(F::Responsible, |d| &d.responsible, |d| &mut d.responsible, false)}</Field>
                <Field label=F::Leader.label() required=true error=err(F::Leader)>{text(F::Leader, |d| &d.leader, |d| &mut d.leader, false)}</Field>
                <Field label=F::Deadline.label() required=true error=err(F::Deadline)>{date(F::Deadline, |d| &d.deadline, |d| &mut d.deadline)}</Field>
                <Field label=F::Measures.label() required=true error=err(F::Measures) wide=true>{text(F::Measures, |d| &d.measures, |d| &mut d.measures, true)}</Field>
                <Field label=F::Controls.label() error=err(F::Controls) wide=true>{text(F::Controls, |d| &d.controls, |d| &mut d.controls, true)}</Field>
            </div>
        </fieldset>
    }
}

/// 登记排查事项: a new item of the register.
#[component]
pub fn NewItemPage() -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(ScreeningDraft::default());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let draft_error = keep_draft(
        DraftKey::Screening.key(),
        draft,
        ScreeningDraft::is_untouched,
    );
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    let save = Action::new_local(
        move |record: &crate::domain::registers::screening::ScreeningRecord| {
            let record = record.clone();
            let store = ctx.store();
            async move {
                let Some(profile) = ctx.profile.get_untracked() else {
                    return;
                };
                match screening::record(&store, &Browser, &profile, record).await {
                    Ok(item) => Route::Item(item.id).go(),
                    Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
                }
            }
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        match draft.get_untracked().validate(clock::now().china_date()) {
            Err(e) => show_field_errors(msg, errors, e),
            Ok(record) => {
                errors.set(FieldErrors::default());
                save.dispatch_local(record);
            }
        }
    };
    view! {
        <section class="card">
            <p><a href=Route::Screening.href()>"← 排查台账"</a></p>
            <h1>"登记排查事项"</h1>
            <p class="hint">"排查中发现、尚未形成信访的矛盾纠纷。填写内容会自动保存为草稿；标 * 的为必填项。"</p>
            {banner(msg)}
            {move || draft_error.get().map(|m| view! { <p class="msg bad" role="alert">{m}</p> })}
            <form on:submit=on_submit novalidate>
                <ScreeningForm draft=draft errors=errors townships=townships />
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=save.pending()>"登记"</button>
                    <button type="button" class="secondary" on:click=move |_| { draft.set(ScreeningDraft::default()); errors.set(FieldErrors::default()); msg.set(None); }>"清空草稿"</button>
                </div>
            </form>
        </section>
    }
}
