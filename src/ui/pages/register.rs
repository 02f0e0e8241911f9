//! 登记: register a new case from the petition form (or one converted from a screening
//! item, the form filled from it).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::env::Browser;
use crate::app::{leaders, plans, receptions, register, screening};
use crate::domain::errors::FieldErrors;
use crate::domain::ids::EntryId;
use crate::domain::patterns::Suggestion;
use crate::domain::registers::plans::{Plan, PlanFacts};
use crate::domain::registers::receptions::{visit_day, Reception};
use crate::domain::registers::screening::ItemSuggestion;
use crate::domain::{Petition, PetitionDraft};
use crate::platform::clock;
use crate::store::drafts::DraftKey;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::drafts::keep_draft;
use crate::ui::widgets::forms::PetitionForm;
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

/// The registration page; `from` names the screening item a case is converted from.
#[component]
pub fn RegisterPage(
    /// The screening item the case is converted from, if any.
    #[prop(optional)]
    from: Option<EntryId>,
) -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(PetitionDraft::default());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let warned = RwSignal::new(false);
    let suggestions = RwSignal::new(Vec::<(Suggestion, bool)>::new());
    // At most one item: a case is about one matter found by screening.
    let item_suggestions = RwSignal::new(Vec::<ItemSuggestion>::new());
    let chosen_item = RwSignal::new(None::<EntryId>);
    let draft_key = match &from {
        Some(id) => DraftKey::Conversion(id).key(),
        None => DraftKey::Register.key(),
    };
    let draft_error = keep_draft(draft_key.clone(), draft, PetitionDraft::is_untouched);
    let converting = from.is_some();
    let source = from.clone().map(|id| {
        let store = ctx.store();
        let item = LocalResource::new(move || {
            let (store, id) = (store.clone(), id.clone());
            async move {
                screening::item(&store, &id)
                    .await
                    .map_err(|e| e.to_string())
            }
        });
        // Filled from the item unless a draft of this conversion was kept.
        Effect::new(move |_| {
            if let Some(Ok(Some(i))) = item.get() {
                if draft.with_untracked(PetitionDraft::is_untouched) {
                    draft.set(i.petition_draft());
                }
            }
        });
        item
    });
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    // The plans the petition meets, as it is typed; the ticked ones start with it.
    let facts = Memo::new(move |_| draft.with(PlanFacts::of_draft));
    let plan_hits = LocalResource::new(move || {
        let (store, f) = (ctx.store(), facts.get());
        // A hint beside the form: a failure to read the plans hides only it.
        async move { plans::matching(&store, &f).await.unwrap_or_default() }
    });
    let start_plans = RwSignal::new(Vec::<EntryId>::new());
    // A visit on a leaders' reception day is received by the leader, unless unticked.
    let day = Memo::new(move |_| draft.with(|d| visit_day(d, clock::now().china_date())));
    let on_duty = LocalResource::new(move || {
        let (store, day) = (ctx.store(), day.get());
        // A hint beside the form: a failure to read the schedule hides only it.
        async move {
            match day {
                Some(d) => receptions::on(&store, d).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let not_received = RwSignal::new(Vec::<EntryId>::new());
    // The write with its pending state: the button is disabled while it runs.
    let submit = Action::new_local(move |petition: &Petition| {
        let petition = petition.clone();
        let store = ctx.store();
        let (from, draft_key) = (from.clone(), draft_key.clone());
        async move {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            // First click: look for 不再受理 and possible earlier cases of the same
            // person or matter; the next click registers, linking the ticked ones.
            if !warned.get_untracked() {
                match register::warnings(&store, &petition, &Browser).await {
                    Ok(mut w) => {
                        if converting {
                            w.items.clear();
                        }
                        if !w.is_empty() {
                            msg.set(w.closed_matter.map(Msg::Failed));
                            suggestions.set(w.earlier.into_iter().map(|s| (s, false)).collect());
                            item_suggestions.set(w.items);
                            warned.set(true);
                            return;
                        }
                    }
                    Err(e) => return msg.set(Some(Msg::Failed(e.to_string()))),
                }
            }
            let ticked: Vec<String> = suggestions
                .get_untracked()
                .into_iter()
                .filter(|(_, on)| *on)
                .map(|(s, _)| s.case_no)
                .collect();
            let calendar = ctx.calendar.get_untracked();
            let item = from.clone().or_else(|| chosen_item.get_untracked());
            let saved = register::register_and_link(
                &store,
                &Browser,
                &calendar,
                &profile,
                petition,
                Some(&draft_key),
                item.as_ref(),
                &ticked,
            )
            .await;
            // The plans ticked start on the case just registered, each on its own.
            let mut not_started = Vec::new();
            if let Ok(r) = &saved {
                let mut state = r.state.clone();
                for plan in start_plans.get_untracked() {
                    let started =
                        plans::start(&store, &Browser, &calendar, profile.actor(), &state, &plan)
                            .await;
                    match started {
                        Ok(s) => state = s,
                        Err(e) => not_started.push(e.to_string()),
                    }
                }
            }
            // The 接访领导 of the day, unless the clerk unticked them.
            if let Ok(r) = &saved {
                let skip = not_received.get_untracked();
                let duty = on_duty.get_untracked().unwrap_or_default();
                let mut state = r.state.clone();
                for d in duty.iter().filter(|d| !skip.contains(&d.id)) {
                    let got = leaders::receive(
                        &store,
                        &Browser,
                        &calendar,
                        profile.actor(),
                        &state,
                        &d.id,
                    )
                    .await;
                    match got {
                        Ok(s) => state = s,
                        Err(e) => not_started.push(e.to_string()),
                    }
                }
            }
            if let (Ok(r), false) = (&saved, not_started.is_empty()) {
                return msg.set(Some(Msg::Failed(format!(
                    "已登记为 {}，但以下未能记录：{}。请在案件页面处理。",
                    r.state.case_no,
                    not_started.join("；")
                ))));
            }
            match saved {
                Ok(r) if r.unlinked.is_empty() => Route::Case(r.state.id).go(),
                Ok(r) => {
                    // Registered; say which links failed (they can be made on the case's
                    // page) rather than drop them silently.
                    let failed: Vec<String> = r
                        .unlinked
                        .iter()
                        .map(|(no, e)| format!("{no}（{e}）"))
                        .collect();
                    draft.set(PetitionDraft::default());
                    suggestions.set(Vec::new());
                    item_suggestions.set(Vec::new());
                    warned.set(false);
                    msg.set(Some(Msg::Failed(format!(
                        "已登记为 {}，但未能标记为以下案件的重复访：{}。请在案件页面重新标记。",
                        r.state.case_no,
                        failed.join("；")
                    ))));
                }
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if submit.pending().get_untracked() {
            return;
        }
        match draft.get_untracked().validate(clock::now().china_date()) {
            Err(e) => show_field_errors(msg, errors, e),
            Ok(petition) => {
                errors.set(FieldErrors::default());
                submit.dispatch_local(petition);
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
            <h1>{if source.is_some() { "排查事项转为信访事项" } else { "登记信访事项" }}</h1>
            {source.map(|item| view! {
                <p class="hint" data-testid="converting">{move || match item.get() {
                    Some(Ok(Some(i))) => format!("由排查事项“{}”转入：已按台账填好当事人、事项、类别和乡镇，请补充信访渠道、类型和信访人证件信息。登记后台账与案件互相关联。", i.record.title()),
                    Some(Ok(None)) => "本机没有这条排查记录，登记后不会关联。".to_owned(),
                    Some(Err(e)) => e,
                    None => "正在读取排查记录…".to_owned(),
                }}</p>
            })}
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
                {move || (!item_suggestions.with(Vec::is_empty)).then(|| view! {
                    <fieldset class="suggestions" data-testid="item-suggestions">
                        <legend>"排查台账中可能是同一矛盾纠纷的未化解事项（选中则登记后转为信访事项并互相关联）"</legend>
                        <label class="check">
                            <input type="radio" name="from_item" prop:checked=move || chosen_item.with(Option::is_none) on:change=move |_| chosen_item.set(None) />
                            "不关联"
                        </label>
                        {item_suggestions.get().into_iter().map(|s| {
                            let id = s.id.clone();
                            let mine = s.id.clone();
                            view! {
                                <label class="check">
                                    <input type="radio" name="from_item" prop:checked=move || chosen_item.with(|c| c.as_ref() == Some(&mine)) on:change=move |_| chosen_item.set(Some(id.clone())) />
                                    <a href=Route::Item(s.id.clone()).href() target="_blank">{s.title.clone()}</a> {format!("：{}", s.reason)}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                {move || on_duty.get().filter(|d| !d.is_empty()).map(|d| duty_box(&d, not_received))}
                {move || plan_hits.get().filter(|hits| !hits.is_empty()).map(|hits| plan_box(&hits, start_plans))}
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=submit.pending()>{move || if warned.get() { "仍然登记" } else { "登记" }}</button>
                    <button type="button" class="secondary" on:click=clear>"清空草稿"</button>
                </div>
            </form>
        </section>
    }
}

/// The plans the petition meets, each with its question: start it with the registration?
fn plan_box(hits: &[Plan], start: RwSignal<Vec<EntryId>>) -> impl IntoView {
    let rows = hits
        .iter()
        .map(|p| {
            let (id, mine) = (p.id.clone(), p.id.clone());
            view! {
                <div class="plan-hit">
                    <label class="check">
                        <input type="checkbox" name="start_plan" prop:checked=move || start.with(|s| s.contains(&mine)) on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            start.update(|s| {
                                s.retain(|x| *x != id);
                                if on { s.push(id.clone()); }
                            });
                        } />
                        <strong>{p.record.name.clone()}</strong> {format!("（{}）：登记后立即启动", p.record.conditions())}
                    </label>
                    <p class="pre small">{p.record.steps.clone()}</p>
                    <p class="pre small muted">{p.record.units.clone()}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="suggestions plan-matches" data-testid="plan-matches">
            <legend>"本事项符合以下应急预案的适用条件，是否启动？"</legend>
            {rows}
        </fieldset>
    }
}

/// The leaders receiving visitors on the visit's day, each ticked: received by them.
fn duty_box(duty: &[Reception], skip: RwSignal<Vec<EntryId>>) -> impl IntoView {
    let rows = duty
        .iter()
        .map(|r| {
            let (id, mine) = (r.id.clone(), r.id.clone());
            let rec = &r.record;
            view! {
                <label class="check">
                    <input type="checkbox" name="received_by_leader" prop:checked=move || skip.with(|s| !s.contains(&mine)) on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        skip.update(|s| {
                            s.retain(|x| *x != id);
                            if !on { s.push(id.clone()); }
                        });
                    } />
                    {format!("由 {} 接访（{}，{}）", rec.leader, rec.day, rec.place)}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="suggestions" data-testid="reception-day">
            <legend>"来访当天是领导接待日"</legend>
            {rows}
        </fieldset>
    }
}
