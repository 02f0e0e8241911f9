//! 批量打印: one kind of document for every case ticked in the list, as one print job.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::domain::documents::DocKind;
use crate::domain::CaseId;
use crate::ui::route::Route;

/// The document chooser and the button that opens the batch for printing.
#[component]
pub fn BatchPrint(
    /// The cases ticked.
    #[prop(into)]
    selected: Signal<BTreeSet<CaseId>>,
) -> impl IntoView {
    let kind = RwSignal::new(DocKind::RegistrationLetter);
    // One entry for the registration form: each case prints the version of its channel.
    let options = DocKind::ALL
        .iter()
        .filter(|k| **k != DocKind::RegistrationVisit)
        .map(|k| {
            let label = if *k == DocKind::RegistrationLetter {
                "信访事项登记表"
            } else {
                k.label()
            };
            view! { <option value=k.key()>{label}</option> }
        })
        .collect_view();
    let open = move |_| {
        let ids: Vec<CaseId> = selected.get_untracked().into_iter().collect();
        if !ids.is_empty() {
            Route::PrintBatch(kind.get_untracked(), ids).go();
        }
    };
    view! {
        <label class="batch-print">"批量打印 "
            <select name="batch_kind" on:change=move |ev| {
                if let Some(k) = DocKind::from_key(&event_target_value(&ev)) {
                    kind.set(k);
                }
            }>{options}</select>
        </label>
        <button type="button" class="secondary" data-testid="batch-print" on:click=open>"打印所选"</button>
    }
}
