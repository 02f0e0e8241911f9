//! 领导包案与批示 on a case: its 包案领导 (named, or handed to another) and the leaders'
//! 批示, each recorded as an event of the case.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::plans::act;
use crate::app::env::Browser;
use crate::app::leaders;
use crate::domain::CaseState;
use crate::ui::widgets::message::{banner, Msg};

/// The case's 领导包案与批示 panel.
#[component]
pub(super) fn LeadersPanel(state: CaseState, on_done: Callback<()>) -> impl IntoView {
    let msg = RwSignal::new(None::<Msg>);
    let owner = RwSignal::new(String::new());
    let (who, text) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let s = StoredValue::new(state.clone());
    let on_assign = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (s, leader) = (s.get_value(), owner.get_untracked());
        act(msg, on_done, async move |store, cal, actor| {
            leaders::assign(store, &Browser, cal, actor, &s, &leader).await
        });
    };
    let on_instruct = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (s, leader, words) = (s.get_value(), who.get_untracked(), text.get_untracked());
        act(msg, on_done, async move |store, cal, actor| {
            leaders::instruct(store, &Browser, cal, actor, &s, (&leader, &words)).await
        });
    };
    let instructions = state
        .instructions
        .iter()
        .map(|i| view! {
            <li><strong>{format!("{}：", i.leader)}</strong>{i.text.clone()}<span class="muted">{format!("（{} 记录）", i.at.display())}</span></li>
        })
        .collect_view();
    let has_leader = state.leader.is_some();
    view! {
        <section class="card" data-testid="leaders-panel">
            <h2>"领导包案与批示"</h2>
            {banner(msg)}
            {state.received_by.clone().map(|l| view! { <p data-testid="received-by">{format!("接访领导：{l}（领导接待日）")}</p> })}
            <p data-testid="case-leader">{match &state.leader {
                Some(l) => format!("包案领导：{l}"),
                None => "尚未指定包案领导。".to_owned(),
            }}</p>
            <form class="inline-form" data-testid="assign-leader" on:submit=on_assign novalidate>
                <label>{if has_leader { "更换包案领导 " } else { "包案领导 " }}
                    <input type="text" name="case_leader" placeholder="姓名（职务），如：李明（副县长）" prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="secondary">{if has_leader { "更换" } else { "指定" }}</button>
            </form>
            <h3>"领导批示"</h3>
            <ul class="plan-notes" data-testid="instructions">{instructions}</ul>
            <form class="inline-form" data-testid="instruct" on:submit=on_instruct novalidate>
                <label>"批示领导 " <input type="text" name="instruct_leader" prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev)) /></label>
                <label>"批示内容 " <input type="text" name="instruct_text" class="wide-input" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) /></label>
                <button type="submit" class="secondary">"记录批示"</button>
            </form>
        </section>
    }
}
