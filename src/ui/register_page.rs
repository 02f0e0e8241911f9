//! 登记: register a new case from the petition form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{banner, ctx, keep_draft, show_field_errors, Msg};
use super::forms::PetitionForm;
use super::platform;
use super::route::Route;
use crate::domain::errors::FieldErrors;
use crate::domain::patterns::{suggest_earlier, MatchRow, Suggestion};
use crate::domain::repeats::{closed_matter_warning, closed_matters, link_repeat};
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
    let suggestions = RwSignal::new(Vec::<(Suggestion, bool)>::new());
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
                    // First click: look for 不再受理 and possible earlier cases of the same
                    // person or matter; the next click registers, linking the ticked ones.
                    if !warned.get_untracked() {
                        let found = async {
                            let rows = store.with_index(|index| index.matchers()).await?;
                            let closed = store.rows_where(|r| r.stage == Stage::Terminated).await?;
                            Ok::<_, crate::store::StoreError>((rows, closed))
                        };
                        match found.await {
                            Ok((rows, closed)) => {
                                let mine = MatchRow::of_petition("", now.china_date(), &petition);
                                let found = suggest_earlier(&mine, &rows);
                                let warning =
                                    closed_matter_warning(&closed_matters(&petition, &closed));
                                if warning.is_some() || !found.is_empty() {
                                    msg.set(warning.map(Msg::Failed));
                                    suggestions
                                        .set(found.into_iter().map(|s| (s, false)).collect());
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
                    let calendar = ctx.calendar.get_untracked();
                    let saved = store
                        .register(
                            &calendar,
                            &profile,
                            petition,
                            now,
                            (platform::new_case_id(), platform::new_event_id()),
                            Some(REGISTER_DRAFT),
                        )
                        .await;
                    let state = match saved {
                        Ok(state) => state,
                        Err(e) => {
                            msg.set(Some(Msg::Failed(e.to_string())));
                            busy.set(false);
                            return;
                        }
                    };
                    // Link the earlier cases the registrar confirmed as 重复访.
                    let ticked: Vec<String> = suggestions
                        .get_untracked()
                        .into_iter()
                        .filter(|(_, on)| *on)
                        .map(|(s, _)| s.case_no)
                        .collect();
                    for no in ticked {
                        let earlier = match store.rows_where(|r| r.case_no == no).await {
                            Ok(rows) => match rows.first() {
                                Some(r) => store.case(&r.id).await.ok().flatten(),
                                None => None,
                            },
                            Err(_) => None,
                        };
                        let Some(earlier) = earlier else { continue };
                        let latest = store
                            .case(&state.id)
                            .await
                            .ok()
                            .flatten()
                            .unwrap_or_else(|| state.clone());
                        let ids = (platform::new_event_id(), platform::new_event_id());
                        if let Ok(events) =
                            link_repeat(&latest, &earlier, ids, profile.actor(), platform::now())
                        {
                            let _ = store.append_all(&calendar, events.into(), None).await;
                        }
                    }
                    Route::Case(state.id).go();
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
                {move || (!suggestions.with(Vec::is_empty)).then(|| view! {
                    <fieldset class="suggestions" data-testid="suggestions">
                        <legend>"可能是以下案件的重复访（勾选确认，不勾选则忽略）"</legend>
                        {suggestions.get().into_iter().enumerate().map(|(i, (s, on))| view! {
                            <label class="check">
                                <input type="checkbox" name="confirm_repeat" prop:checked=on on:change=move |ev| {
                                    let v = event_target_checked(&ev);
                                    suggestions.update(|list| if let Some(x) = list.get_mut(i) { x.1 = v; });
                                } />
                                <span class="mono">{s.case_no.clone()}</span> {format!("：{}", s.reason)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                })}
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=busy>{move || if warned.get() { "仍然登记" } else { "登记" }}</button>
                    <button type="button" class="secondary" on:click=clear>"清空草稿"</button>
                </div>
            </form>
        </section>
    }
}
