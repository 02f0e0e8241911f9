//! 登记: register a new case from the petition form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{banner, ctx, keep_draft, show_field_errors, Msg};
use super::forms::PetitionForm;
use super::platform;
use super::route::Route;
use crate::domain::errors::FieldErrors;
use crate::domain::repeats::{closed_matter_warning, closed_matters};
use crate::domain::workflow::Stage;
use crate::domain::PetitionDraft;

/// Draft key of the registration form.
pub const REGISTER_DRAFT: &str = "register";

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(PetitionDraft::default());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let warned = RwSignal::new(false);
    let draft_error = keep_draft(
        REGISTER_DRAFT.to_owned(),
        draft,
        PetitionDraft::is_untouched,
    );
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let now = platform::now();
        match draft.get_untracked().validate(now.china_date()) {
            Err(e) => {
                show_field_errors(msg, errors, e);
            }
            Ok(petition) => {
                errors.set(FieldErrors::default());
                let Some(profile) = ctx.profile.get_untracked() else {
                    return;
                };
                busy.set(true);
                let store = ctx.store();
                spawn_local(async move {
                    // 不再受理: warn once about a closed matter of the same person; the
                    // next click registers anyway (new facts and reasons are allowed).
                    if !warned.get_untracked() {
                        let closed = store.rows_where(|r| r.stage == Stage::Terminated).await;
                        match closed {
                            Ok(rows) => {
                                if let Some(w) =
                                    closed_matter_warning(&closed_matters(&petition, &rows))
                                {
                                    msg.set(Some(Msg::Failed(w)));
                                    warned.set(true);
                                    busy.set(false);
                                    return;
                                }
                            }
                            Err(e) => {
                                msg.set(Some(Msg::Failed(e.to_string())));
                                busy.set(false);
                                return;
                            }
                        }
                    }
                    let saved = store
                        .register(
                            &ctx.calendar.get_untracked(),
                            &profile,
                            petition,
                            now,
                            (platform::new_case_id(), platform::new_event_id()),
                            Some(REGISTER_DRAFT),
                        )
                        .await;
                    match saved {
                        Ok(state) => Route::Case(state.id).go(),
                        Err(e) => {
                            msg.set(Some(Msg::Failed(e.to_string())));
                            busy.set(false);
                        }
                    }
                });
            }
        }
    };
    let clear = move |_| {
        draft.set(PetitionDraft::default());
        errors.set(FieldErrors::default());
        msg.set(None);
    };
    view! {
        <section class="card">
            <h1>"登记信访事项"</h1>
            <p class="hint">"填写内容会自动保存为草稿，关闭页面后再打开仍在。标 * 的为必填项。"</p>
            {banner(msg)}
            {move || draft_error.get().map(|m| view! { <p class="msg bad" role="alert">{m}</p> })}
            <form on:submit=on_submit novalidate>
                <PetitionForm draft=draft errors=errors townships=townships />
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=busy>{move || if warned.get() { "仍然登记" } else { "登记" }}</button>
                    <button type="button" class="secondary" on:click=clear>"清空草稿"</button>
                </div>
            </form>
        </section>
    }
}
