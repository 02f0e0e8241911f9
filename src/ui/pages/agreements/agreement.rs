//! One agreement: what was signed, how the unit stands against each target (each figure
//! opening what is behind it), its revision with a reason and its history.

use std::rc::Rc;

use leptos::prelude::*;

use crate::app::agreements;
use crate::app::env::Browser;
use crate::app::error::AppError;
use crate::domain::errors::FieldErrors;
use crate::domain::ids::EntryId;
use crate::domain::registers::agreements::{Agreement, AgreementDraft, AgreementRecord};
use crate::platform::clock;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::revisions::{history, revise_card, Verbs};

use super::form::AgreementForm;
use super::{board, scorecard_view, Board};

/// What was signed, field by field.
pub fn record_table(r: &AgreementRecord) -> impl IntoView {
    let rows = r
        .rows()
        .into_iter()
        .map(|(f, v)| view! { <tr><th>{f.label()}</th><td data-field=f.key()>{v}</td></tr> })
        .collect_view();
    view! { <table class="table compact details">{rows}</table> }
}

fn revise_form(a: Agreement, reload: impl Fn() + Copy + 'static) -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let draft = RwSignal::new(AgreementDraft::from_record(&a.record));
    let errors = RwSignal::new(FieldErrors::default());
    let id = a.id.clone();
    revise_card(
        ("修改责任状", "revise-agreement"),
        view! { <AgreementForm draft=draft errors=errors /> }.into_any(),
        errors,
        move || draft.get_untracked().validate(today),
        move |profile, record, reason| {
            let (store, id) = (ctx.store(), id.clone());
            async move {
                agreements::revise(&store, &Browser, &profile, &id, record, &reason)
                    .await
                    .map_err(|e| e.to_string())?;
                reload();
                Ok(())
            }
        },
    )
}

/// The agreement page.
#[component]
pub fn AgreementPage(
    /// The agreement.
    id: EntryId,
) -> impl IntoView {
    let revising = RwSignal::new(false);
    let version = RwSignal::new(0u32);
    let reload = move || {
        revising.set(false);
        version.update(|v| *v += 1);
    };
    move || {
        version.track();
        let id = id.clone();
        loaded(
            board(),
            "正在计算考核结果…",
            move |board: Rc<Board>| {
                let Some(a) = board.agreements.iter().find(|a| a.id == id).cloned() else {
                    return view! { <section class="card"><p class="msg bad">{AppError::UnknownAgreement.to_string()}</p></section> }.into_any();
                };
                let card = board.score(&a);
                view! {
                <section class="card">
                    <p><a href=Route::Agreements.href()>"← 信访工作责任状"</a></p>
                    <h1>{a.record.title()}</h1>
                    {record_table(&a.record)}
                    <div class="actions">
                        <a class="button secondary" href=Route::AgreementPrint(a.id.clone()).href()>"打印责任状和考核表"</a>
                        <button type="button" class="secondary" on:click=move |_| revising.update(|v| *v = !*v)>"修改"</button>
                    </div>
                </section>
                {
                    let a = a.clone();
                    move || revising.get().then(|| revise_form(a.clone(), reload))
                }
                <section class="card">
                    <h2>"考核表"</h2>
                    {scorecard_view(&card, &board.loaded.screening, true)}
                </section>
                <section class="card">
                    <h2>"修改历史"</h2>
                    {history(&a, AgreementRecord::rows, |f| f.label(), Verbs { recorded: "签订责任状", revised: "修改责任状" })}
                </section>
            }
            .into_any()
            },
        )
    }
}
