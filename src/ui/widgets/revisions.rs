//! A register entry's revision shown against the version before it (only the fields
//! that changed, old beside new), its history, and the card that changes it.

use leptos::prelude::*;

use std::future::Future;

use crate::app::transfer::Provenance;
use crate::domain::errors::FieldErrors;
use crate::domain::registers::versioned::{Entry, Versioned};
use crate::domain::registers::EntryEvent;
use crate::domain::unit::UnitProfile;
use crate::ui::context::ctx;
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

/// The reason and the changed fields of a revision from `old` to `new` (each field with
/// its value in words), `label` naming each field.
pub fn revision<F: PartialEq + Copy + 'static>(
    reason: &str,
    old: &[(F, String)],
    new: Vec<(F, String)>,
    label: fn(F) -> &'static str,
) -> impl IntoView {
    let rows = new
        .into_iter()
        .filter(|(f, v)| old.iter().find(|(g, _)| g == f).is_none_or(|(_, o)| o != v))
        .map(|(f, v)| {
            let o = old
                .iter()
                .find(|(g, _)| *g == f)
                .map(|(_, o)| o.clone())
                .unwrap_or_default();
            view! { <tr><th>{label(f)}</th><td class="old">{o}</td><td class="new">{v}</td></tr> }
        })
        .collect_view();
    view! {
        <p>"修改原因：" {reason.to_owned()}</p>
        <table class="table compact changes">
            <thead><tr><th>"项目"</th><th>"原值"</th><th>"新值"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One event of a register entry's history: what, when, by which unit and operator,
/// then its `detail`.
pub fn event_item<B>(
    title: &'static str,
    e: &EntryEvent<B>,
    detail: impl IntoView,
    arrived: Option<Provenance>,
) -> impl IntoView {
    view! {
        <li class="event">
            <div class="event-head">
                <strong>{title}</strong>
                <span>{e.at.display()}</span>
                <span>{format!("{}（{}）", e.actor.unit_name, e.actor.unit_code)}</span>
                <span>"经办人：" {e.actor.operator.clone()}</span>
            </div>
            {detail}
            {arrived.map(provenance_note)}
        </li>
    }
}

/// How an event that came in a file arrived, and whether its author is proven.
pub fn provenance_note(p: Provenance) -> impl IntoView {
    let v = p.via;
    let verified = p.author.is_verified();
    view! {
        <p class="muted via" data-testid="via">{format!(
            "{} 导入自“{}”签名的文件（密钥指纹 {}，文件 {}）",
            v.at.display(), v.unit, v.signer, &v.file[..v.file.len().min(12)]
        )}</p>
        <p class="author" class:verified=verified class:unverified=!verified
            data-testid="author">{p.author.label()}</p>
    }
}

/// The names of a recorded/revised entry's two kinds of event, e.g. 签订 and 修改.
pub struct Verbs {
    /// The first record.
    pub recorded: &'static str,
    /// A revision.
    pub revised: &'static str,
}

/// The history of a recorded/revised entry: each event with who and when, a revision
/// with the fields it changed.
pub fn history<R, F: PartialEq + Copy + 'static>(
    entry: &Entry<R>,
    rows: fn(&R) -> Vec<(F, String)>,
    label: fn(F) -> &'static str,
    verbs: Verbs,
) -> impl IntoView {
    let items = entry
        .history()
        .into_iter()
        .map(|(e, before)| {
            let (title, detail) = match &e.body {
                Versioned::Recorded { .. } => (verbs.recorded, None),
                Versioned::Revised { record, reason } => {
                    let old = before.map(rows).unwrap_or_default();
                    (
                        verbs.revised,
                        Some(revision(reason, &old, rows(record), label)),
                    )
                }
            };
            event_item(title, e, detail, None)
        })
        .collect_view();
    view! { <ol class="history" data-testid="entry-history">{items}</ol> }
}

/// The card that changes a register entry: its form's `fields`, the reason, and the
/// save button; `validate` checks the form (errors shown in `errors`), `save` stores the
/// change for this unit with its reason and says what went wrong, if anything.
pub fn revise_card<R, Fut>(
    (title, testid): (&'static str, &'static str),
    fields: AnyView,
    errors: RwSignal<FieldErrors>,
    validate: impl Fn() -> Result<R, FieldErrors> + 'static,
    save: impl Fn(UnitProfile, R, String) -> Fut + 'static,
) -> impl IntoView
where
    R: Clone + 'static,
    Fut: Future<Output = Result<(), String>> + 'static,
{
    let reason = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let action = Action::new_local(move |input: &(R, String)| {
        let (record, why) = input.clone();
        // Set up before the app opens: a page with a form always has the unit.
        let done = ctx().profile.get_untracked().map(|p| save(p, record, why));
        async move {
            let Some(done) = done else { return };
            if let Err(e) = done.await {
                msg.set(Some(Msg::Failed(e)));
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate() {
            Err(e) => show_field_errors(msg, errors, e),
            Ok(r) => {
                errors.set(FieldErrors::default());
                action.dispatch_local((r, reason.get_untracked()));
            }
        }
    };
    view! {
        <form class="card" data-testid=testid on:submit=on_submit novalidate>
            <h2>{title}</h2>
            {banner(msg)}
            {fields}
            <label class="field wide"><span class="label">"修改原因" <span class="req" aria-hidden="true">"*"</span></span>
                <input type="text" name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </label>
            <div class="actions"><button type="submit" class="primary" prop:disabled=action.pending()>"保存修改"</button></div>
        </form>
    }
}
