//! A register entry's revision shown against the version before it: only the fields
//! that changed, old beside new.

use leptos::prelude::*;

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
