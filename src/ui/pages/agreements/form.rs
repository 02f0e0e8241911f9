//! The agreement form (new agreements and revisions) and the page that signs one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::agreements;
use crate::app::env::Browser;
use crate::domain::errors::FieldErrors;
use crate::domain::registers::agreements::{
    AgreementDraft, AgreementField as F, AgreementRecord, Goal, PartyKind,
};
use crate::platform::clock;
use crate::store::drafts::DraftKey;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::drafts::keep_draft;
use crate::ui::widgets::forms::{error_of, string_input, Field};
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

/// The agreement's fields, bound to `draft`, each with its error from the domain.
#[component]
pub fn AgreementForm(
    /// The form's content, kept as typed.
    draft: RwSignal<AgreementDraft>,
    /// Each field's error.
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let ctx = ctx();
    let err = move |f: F| error_of(errors, f.key());
    let text = move |f: F,
                     get: fn(&AgreementDraft) -> &String,
                     set: fn(&mut AgreementDraft) -> &mut String| {
        string_input(draft, f.key(), get, set, false)
    };
    let kinds = PartyKind::ALL
        .iter()
        .map(|&k| view! {
            <label class="check"><input type="radio" name=F::Kind.key() value=k.key() prop:checked=move || draft.with(|d| d.kind == Some(k)) on:change=move |_| draft.update(|d| d.kind = Some(k)) />{k.label()}</label>
        })
        .collect_view();
    // The names cases use, so the agreement scores the cases it means.
    let names = move || {
        let kind = draft.with(|d| d.kind);
        let list = ctx.profile.with(|p| {
            p.as_ref().map_or_else(Vec::new, |p| match kind {
                Some(PartyKind::Department) => p.departments.clone(),
                _ => p.townships.clone(),
            })
        });
        list.into_iter()
            .map(|n| view! { <option value=n></option> })
            .collect_view()
    };
    let goals = Goal::ALL
        .iter()
        .map(|&g| {
            let key = g.field_key();
            let sign = if g.at_least() { "≥" } else { "≤" };
            let unit = if g.is_rate() { "%" } else { "件" };
            view! {
                <Field label=g.label() error=error_of(errors, key.clone())>
                    <span class="bound">
                        <span>{sign}</span>
                        <input type="text" inputmode="decimal" name=key.clone() placeholder="不考核请留空"
                            prop:value=move || draft.with(|d| d.targets.get(&g).cloned().unwrap_or_default())
                            on:input=move |ev| draft.update(|d| { d.targets.insert(g, event_target_value(&ev)); }) />
                        <span>{unit}</span>
                    </span>
                </Field>
            }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend>"责任单位"</legend>
            <div class="grid">
                <Field label=F::Kind.label() required=true error=err(F::Kind)><div class="checks">{kinds}</div></Field>
                <Field label=F::Party.label() required=true error=err(F::Party)>
                    <input type="text" name=F::Party.key() list="agreement-parties" prop:value=move || draft.with(|d| d.party.clone()) on:input=move |ev| draft.update(|d| d.party = event_target_value(&ev)) />
                    <datalist id="agreement-parties">{names}</datalist>
                    <span class="hint">"与案件中的乡镇（或承办单位）名称一致，考核才能计入"</span>
                </Field>
                <Field label=F::Year.label() required=true error=err(F::Year)>{text(F::Year, |d| &d.year, |d| &mut d.year)}</Field>
            </div>
        </fieldset>
        <fieldset>
            <legend>"考核指标（不考核的指标留空，至少填写一项）"</legend>
            {move || error_of(errors, F::Targets.key()).get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="grid">{goals}</div>
        </fieldset>
        <fieldset>
            <legend>"签订"</legend>
            <div class="grid">
                <Field label=F::SignedOn.label() required=true error=err(F::SignedOn)>
                    <input type="date" name=F::SignedOn.key() prop:value=move || draft.with(|d| d.signed_on.clone()) on:input=move |ev| draft.update(|d| d.signed_on = event_target_value(&ev)) />
                </Field>
                <Field label=F::CountySignatory.label() required=true error=err(F::CountySignatory)>{text(F::CountySignatory, |d| &d.county_signatory, |d| &mut d.county_signatory)}</Field>
                <Field label=F::PartySignatory.label() required=true error=err(F::PartySignatory)>{text(F::PartySignatory, |d| &d.party_signatory, |d| &mut d.party_signatory)}</Field>
            </div>
        </fieldset>
    }
}

/// 签订责任状: a new agreement.
#[component]
pub fn NewAgreementPage() -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let draft = RwSignal::new(AgreementDraft::default());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let key = DraftKey::Agreement.key();
    let draft_error = keep_draft(key.clone(), draft, AgreementDraft::is_untouched);
    let save = Action::new_local(move |record: &AgreementRecord| {
        let (store, record, key) = (ctx.store(), record.clone(), key.clone());
        async move {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            match agreements::record(&store, &Browser, &profile, record, Some(&key)).await {
                Ok(a) => Route::Agreement(a.id).go(),
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        match draft.get_untracked().validate(today) {
            Err(e) => show_field_errors(msg, errors, e),
            Ok(record) => {
                errors.set(FieldErrors::default());
                save.dispatch_local(record);
            }
        }
    };
    view! {
        <section class="card">
            <p><a href=Route::Agreements.href()>"← 信访工作责任状"</a></p>
            <h1>"签订信访工作责任状"</h1>
            <p class="hint">"填写内容会自动保存为草稿；标 * 的为必填项。"</p>
            {banner(msg)}
            {move || draft_error.get().map(|m| view! { <p class="msg bad" role="alert">{m}</p> })}
            <form data-testid="new-agreement" on:submit=on_submit novalidate>
                <AgreementForm draft=draft errors=errors />
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=save.pending()>"保存责任状"</button>
                    <button type="button" class="secondary" on:click=move |_| { draft.set(AgreementDraft::default()); errors.set(FieldErrors::default()); msg.set(None); }>"清空草稿"</button>
                </div>
            </form>
        </section>
    }
}
