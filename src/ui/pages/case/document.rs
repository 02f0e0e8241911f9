//! A document of a case, laid out as an A4 page for printing.

use leptos::prelude::*;

use super::load::{load_case, with_case};
use crate::domain::documents::{self, DocKind};
use crate::domain::CaseId;
use crate::platform::page;
use crate::ui::context::ctx;
use crate::ui::route::Route;

/// A document of a case, laid out as an A4 page for printing.
#[component]
pub fn DocumentPage(
    /// The case.
    id: CaseId,
    /// Which document.
    kind: DocKind,
) -> impl IntoView {
    let ctx = ctx();
    let back = Route::Case(id.clone()).href();
    with_case(load_case(id), move |state| {
        let doc = ctx
            .calendar
            .with_untracked(|cal| documents::render(kind, &state, cal));
        let back = back.clone();
        match doc {
            None => view! {
                <section class="card"><p>"本案件尚未办理到可出具" {kind.label()} "的环节。"</p><a href=back>"返回案件"</a></section>
            }
            .into_any(),
            Some(doc) => view! {
                <div class="doc-actions">
                    <a class="button secondary" href=back>"返回案件"</a>
                    <button type="button" class="primary" on:click=|_| page::print()>"打印"</button>
                </div>
                <article class="document" data-testid="document">
                    <h1 class="doc-issuer">{doc.issuer.clone()}</h1>
                    <h2 class="doc-title">{doc.title}</h2>
                    <p class="doc-ref">"案件编号：" {doc.reference}</p>
                    <p class="doc-recipient">{doc.recipient}</p>
                    {doc.paragraphs.into_iter().map(|t| view! { <p class="doc-para">{t}</p> }).collect_view()}
                    <p class="doc-sign">{doc.issuer}</p>
                    <p class="doc-date">{doc.date.format("%Y 年 %m 月 %d 日").to_string()}</p>
                </article>
            }
            .into_any(),
        }
    })
}
