//! A register entry's revision shown against the version before it: only the fields
//! that changed, old beside new.

use leptos::prelude::*;

use crate::domain::registers::versioned::{Entry, Versioned};

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
            view! {
                <li class="event">
                    <div class="event-head">
                        <strong>{title}</strong>
                        <span>{e.at.display()}</span>
                        <span>{format!("{}（{}）", e.actor.unit_name, e.actor.unit_code)}</span>
                        <span>"经办人：" {e.actor.operator.clone()}</span>
                    </div>
                    {detail}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="history" data-testid="entry-history">{items}</ol> }
}
