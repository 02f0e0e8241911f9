//! Correcting a case's registration: a new event with the old and new values; the
//! registration itself is never rewritten.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use super::load::{load_case, with_case};
use crate::app::case::record_correction;
use crate::app::env::Browser;
use crate::domain::errors::FieldErrors;
use crate::domain::{CaseId, CaseState, PetitionDraft};
use crate::platform::clock;
use crate::store::drafts::DraftKey;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::drafts::keep_draft;
use crate::ui::widgets::forms::PetitionForm;
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

/// The correction page of a case.
#[component]
pub fn CorrectPage(
    /// The case.
    id: CaseId,
) -> impl IntoView {
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
    let draft_error = keep_draft(DraftKey::Correction(&state.id).key(), draft, move |d| {
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
        let now = clock::now();
        let petition = match draft.get_untracked().validate(now.china_date()) {
            Ok(p) => p,
            Err(e) => {
                show_field_errors(msg, errors, e);
                return;
            }
        };
        errors.set(FieldErrors::default());
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        let state = state.get_value();
        spawn_local(async move {
            let calendar = ctx.calendar.get_untracked();
            let reason = reason.get_untracked();
            let saved = record_correction(
                &store,
                &Browser,
                &calendar,
                profile.actor(),
                &state,
                &petition,
                &reason,
            )
            .await;
            match saved {
                Ok(s) => Route::Case(s.id).go(),
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
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
