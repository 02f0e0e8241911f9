//! The next workflow step: the kinds the domain allows, then the chosen kind's fields
//! as the domain describes them; the domain checks and builds the step.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::case::record_step;
use crate::app::env::Browser;
use crate::app::error::AppError;
use crate::domain::errors::FieldErrors;
use crate::domain::step_form::{build, fields, FieldSpec, Input, StepDraft};
use crate::domain::workflow::StepKind;
use crate::domain::CaseState;
use crate::platform::clock;
use crate::ui::context::ctx;
use crate::ui::widgets::forms::{error_of, Field};
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

/// The form of the next workflow step: the kinds the domain allows, then the chosen
/// kind's fields as the domain describes them.
#[component]
pub(super) fn StepPanel(state: CaseState, on_done: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let kind = RwSignal::new(None::<StepKind>);
    let draft = RwSignal::new(StepDraft::new());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let allowed = ctx
        .profile
        .get_untracked()
        .map(|p| state.flow.allowed_for(p.viewer()))
        .unwrap_or_default();
    let state = StoredValue::new(state);
    let choose = move |k: StepKind| {
        kind.set(Some(k));
        draft.set(StepDraft::new());
        errors.set(FieldErrors::default());
        msg.set(None);
    };
    let buttons = allowed
        .into_iter()
        .map(|k| view! { <button type="button" class="secondary" class:chosen=move || kind.get() == Some(k) on:click=move |_| choose(k)>{k.label()}</button> })
        .collect_view();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(k) = kind.get_untracked() else {
            return;
        };
        let now = clock::now();
        let today = now.china_date();
        let step = match build(k, &draft.get_untracked(), today) {
            Ok(step) => step,
            Err(e) => {
                show_field_errors(msg, errors, e);
                return;
            }
        };
        errors.set(FieldErrors::default());
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let calendar = ctx.calendar.get_untracked();
        let store = ctx.store();
        let state = state.get_value();
        spawn_local(async move {
            match record_step(&store, &Browser, &calendar, profile.actor(), &state, step).await {
                Ok(_) => on_done.run(()),
                Err(AppError::Rule(rule)) => {
                    msg.set_if_alive(Some(Msg::Failed(format!("不能办理：{rule}"))))
                }
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    let form = move || {
        kind.get().map(|k| {
            let specs = state.with_value(|s| fields(k, &s.flow));
            view! {
                <form class="step-form" on:submit=on_submit novalidate>
                    <h3>{k.label()}</h3>
                    <div class="grid">{specs.into_iter().map(|f| step_field(f, draft, errors)).collect_view()}</div>
                    <div class="actions">
                        <button type="submit" class="primary">{format!("保存{}", k.label())}</button>
                        <button type="button" class="secondary" on:click=move |_| kind.set(None)>"取消"</button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <div class="steps" data-testid="steps">
            <p class="step-buttons">{buttons}</p>
            {banner(msg)}
            {form}
        </div>
    }
}

fn step_field(
    f: FieldSpec,
    draft: RwSignal<StepDraft>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let key = f.key;
    let value = move || draft.with(|d| d.get(key).cloned().unwrap_or_default());
    let set = move |ev: leptos::ev::Event| {
        draft.update(|d| {
            d.insert(key.to_owned(), event_target_value(&ev));
        })
    };
    let wide = matches!(f.input, Input::Long);
    let input = match f.input {
        Input::Text => view! { <input type="text" name=key prop:value=value on:input=set /> }.into_any(),
        Input::Long => view! { <textarea name=key rows="3" prop:value=value on:input=set></textarea> }.into_any(),
        Input::Date => view! { <input type="date" name=key prop:value=value on:input=set /> }.into_any(),
        Input::Days => view! { <input type="number" name=key min="1" max="30" prop:value=value on:input=set /> }.into_any(),
        Input::Choice(options) => view! {
            <select name=key on:change=set>
                <option value="">"请选择"</option>
                {options.into_iter().map(|(k, l)| {
                    let sel = k.clone();
                    view! { <option value=k selected=move || draft.with(|d| d.get(key) == Some(&sel))>{l}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
    };
    view! { <Field label=f.label wide=wide error=error_of(errors, key)>{input}</Field> }
}
