//! 领导接待日: the schedule of leaders' reception days, coming days first, the form that
//! adds one, and a day's page where it is changed with a reason.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::env::Browser;
use crate::app::error::AppError;
use crate::app::receptions;
use crate::domain::errors::FieldErrors;
use crate::domain::ids::EntryId;
use crate::domain::registers::receptions::{
    schedule, Reception, ReceptionDraft, ReceptionField as F, ReceptionRecord,
};
use crate::platform::clock;
use crate::report::registers::receptions_table;
use crate::store::drafts::DraftKey;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::drafts::keep_draft;
use crate::ui::widgets::forms::{error_of, string_input, Field};
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::tables::export_buttons;
use crate::ui::widgets::message::{banner, show_field_errors, Msg};
use crate::ui::widgets::revisions::{history, revise_card, Verbs};

/// The reception days page.
#[component]
pub fn ReceptionsPage() -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let version = RwSignal::new(0u32);
    let draft = RwSignal::new(ReceptionDraft::default());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let draft_error = keep_draft(
        DraftKey::Reception.key(),
        draft,
        ReceptionDraft::is_untouched,
    );
    let data = LocalResource::new(move || {
        version.track();
        let store = ctx.store();
        async move { receptions::all(&store).await.map_err(|e| e.to_string()) }
    });
    let save = Action::new_local(move |record: &ReceptionRecord| {
        let (store, record) = (ctx.store(), record.clone());
        async move {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            match receptions::record(&store, &Browser, &profile, record).await {
                Ok(_) => {
                    draft.set(ReceptionDraft::default());
                    msg.set(Some(Msg::Done("已排定接待日".into())));
                    version.update(|v| *v += 1);
                }
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().validate(today) {
            Err(e) => show_field_errors(msg, errors, e),
            Ok(r) => {
                errors.set(FieldErrors::default());
                save.dispatch_local(r);
            }
        }
    };
    view! {
        <section class="card">
            <p><a href=Route::Leaders.href()>"← 领导包案"</a></p>
            <h1>"领导接待日"</h1>
            <p class="hint">"在接待日当天登记的来访，登记页会提示由接访领导接待，登记后记入案件的“领导接访”。"</p>
            {banner(msg)}
            {move || draft_error.get().map(|m| view! { <p class="msg bad" role="alert">{m}</p> })}
            <form data-testid="new-reception" on:submit=on_submit novalidate>
                <ReceptionForm draft=draft errors=errors />
                <div class="actions"><button type="submit" class="primary" prop:disabled=save.pending()>"排定接待日"</button></div>
            </form>
            {loaded(data, "正在读取…", move |all: Vec<Reception>| {
                let shown = schedule(&all, today);
                let table = receptions_table(&shown);
                let rows = shown
                    .into_iter()
                    .map(|r| view! {
                        <tr class:muted=r.record.day < today>
                            <td class="nowrap"><a href=Route::Reception(r.id.clone()).href()>{r.record.day.to_string()}</a></td>
                            <td>{r.record.leader.clone()}</td>
                            <td>{r.record.place.clone()}</td>
                            <td>{r.record.topics.clone()}</td>
                        </tr>
                    })
                    .collect_view();
                view! {
                    <div class="actions">{export_buttons(table, format!("领导接待日-{today}"))}</div>
                    <table class="table cases" data-testid="receptions">
                        <thead><tr><th>"接待日期"</th><th>"接访领导"</th><th>"接待地点"</th><th>"接待事项"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })}
        </section>
    }
}

/// The reception day's fields, bound to `draft`, each with its error from the domain.
#[component]
pub fn ReceptionForm(
    /// The form's content, kept as typed.
    draft: RwSignal<ReceptionDraft>,
    /// Each field's error.
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let err = move |f: F| error_of(errors, f.key());
    let text = move |f: F,
                     get: fn(&ReceptionDraft) -> &String,
                     set: fn(&mut ReceptionDraft) -> &mut String| {
        string_input(draft, f.key(), get, set, false)
    };
    view! {
                <div class="grid">
                    <Field label=F::Leader.label() required=true error=err(F::Leader)>{text(F::Leader, |d| &d.leader, |d| &mut d.leader)}</Field>
                    <Field label=F::Day.label() required=true error=err(F::Day)>
                        <input type="date" name=F::Day.key() prop:value=move || draft.with(|d| d.day.clone()) on:input=move |ev| draft.update(|d| d.day = event_target_value(&ev)) />
                    </Field>
                    <Field label=F::Place.label() required=true error=err(F::Place)>{text(F::Place, |d| &d.place, |d| &mut d.place)}</Field>
                    <Field label=F::Topics.label() error=err(F::Topics)>{text(F::Topics, |d| &d.topics, |d| &mut d.topics)}</Field>
                </div>
    }
}

/// One reception day: what is scheduled, its change with a reason, and its history.
#[component]
pub fn ReceptionPage(
    /// The reception day.
    id: EntryId,
) -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        version.track();
        let (store, id) = (ctx.store(), id.clone());
        async move {
            match receptions::one(&store, &id).await {
                Ok(Some(r)) => Ok(r),
                Ok(None) => Err(AppError::UnknownReception.to_string()),
                Err(e) => Err(e.to_string()),
            }
        }
    });
    loaded(data, "正在读取…", move |r: Reception| {
        let draft = RwSignal::new(ReceptionDraft::from_record(&r.record));
        let errors = RwSignal::new(FieldErrors::default());
        let id = r.id.clone();
        let rows = r
            .record
            .rows()
            .into_iter()
            .map(|(f, v)| view! { <tr><th>{f.label()}</th><td data-field=f.key()>{v}</td></tr> })
            .collect_view();
        view! {
            <section class="card">
                <p><a href=Route::Receptions.href()>"← 领导接待日"</a></p>
                <h1>{format!("{} 领导接待日", r.record.day)}</h1>
                <table class="table compact details">{rows}</table>
            </section>
            {revise_card(
                ("调整接待日", "revise-reception"),
                view! { <ReceptionForm draft=draft errors=errors /> }.into_any(),
                errors,
                move || draft.get_untracked().validate(today),
                move |profile, record, reason| {
                    let (store, id) = (ctx.store(), id.clone());
                    async move {
                        receptions::revise(&store, &Browser, &profile, &id, record, &reason)
                            .await
                            .map_err(|e| e.to_string())?;
                        version.update(|v| *v += 1);
                        Ok(())
                    }
                },
            )}
            <section class="card">
                <h2>"调整记录"</h2>
                {history(&r, ReceptionRecord::rows, |f| f.label(), Verbs { recorded: "排定接待日", revised: "调整接待日" })}
            </section>
        }
    })
}
