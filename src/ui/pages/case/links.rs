//! Marking a case as a 重复访 of an earlier one, found by its case number.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::env::Browser;
use crate::app::register::link_to;
use crate::domain::CaseState;
use crate::ui::context::ctx;
use crate::ui::widgets::message::{banner, Msg};

/// Marks this case as a repeat (重复访) of an earlier one, found by its case number.
#[component]
pub(super) fn RepeatLink(state: CaseState, on_done: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let number = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let state = StoredValue::new(state);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let wanted = number.get_untracked().trim().to_uppercase();
        if wanted.is_empty() {
            msg.set(Some(Msg::Failed("请填写在先案件的编号".into())));
            return;
        }
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        let later = state.get_value();
        spawn_local(async move {
            let calendar = ctx.calendar.get_untracked();
            match link_to(
                &store,
                &Browser,
                &calendar,
                profile.actor(),
                &later,
                &wanted,
            )
            .await
            {
                Ok(_) => on_done.run(()),
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    view! {
        <form class="repeat-link" on:submit=on_submit novalidate>
            <label>"标记为重复访：在先案件编号 "
                <input type="text" name="repeat_of" placeholder="如 XF01-2026-00001" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="secondary">"标记"</button>
            {banner(msg)}
        </form>
    }
}
