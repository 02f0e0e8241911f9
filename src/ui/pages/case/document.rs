//! A document of a case laid out as an A4 page for printing, and a batch of them (one
//! document of each case ticked in the list) printed as one job, a page each.

use leptos::prelude::*;

use super::load::{load_case, with_case};
use crate::domain::documents::forms::for_case;
use crate::domain::documents::{self, DocKind, Document};
use crate::domain::{CaseId, CaseState};
use crate::platform::page;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;

/// One document as a printed page: letterhead, title, body or form grid, signature, and
/// the 回执 below a cut line where it has one.
pub fn article(doc: Document, first: bool) -> impl IntoView {
    let form = !doc.fields.is_empty();
    let receipt = doc.receipt;
    let with_receipt = !receipt.is_empty();
    view! {
        <article class="document" class:page-break=!first class:form=form class:with-receipt=with_receipt data-testid="document">
            {(!form).then(|| view! { <h1 class="doc-issuer">{doc.issuer.clone()}</h1> })}
            <h2 class="doc-title">{doc.title}</h2>
            <p class="doc-ref">"案件编号：" {doc.reference}</p>
            {(!doc.recipient.is_empty()).then(|| view! { <p class="doc-recipient">{doc.recipient}</p> })}
            {doc.paragraphs.into_iter().map(|t| view! { <p class="doc-para">{t}</p> }).collect_view()}
            {form.then(|| view! {
                <table class="doc-form" data-testid="doc-form">
                    <tbody>{doc.fields.into_iter().map(|(label, value)| view! { <tr><th>{label}</th><td>{value}</td></tr> }).collect_view()}</tbody>
                </table>
            })}
            {if form {
                view! { <p class="doc-sign">{format!("登记单位：{}", doc.issuer)}</p> }.into_any()
            } else {
                view! { <p class="doc-sign">{doc.issuer}</p> }.into_any()
            }}
            <p class="doc-date">{doc.date.format("%Y 年 %m 月 %d 日").to_string()}</p>
            {(!receipt.is_empty()).then(|| view! {
                <div class="doc-receipt" data-testid="doc-receipt">
                    <p class="doc-cut">"（沿此线剪下）"</p>
                    <h3 class="doc-receipt-title">"回　执"</h3>
                    {receipt.into_iter().enumerate().map(|(i, t)| view! { <p class=if i == 0 { "doc-recipient" } else { "doc-para" }>{t}</p> }).collect_view()}
                </div>
            })}
        </article>
    }
}

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
                {article(doc, true)}
            }
            .into_any(),
        }
    })
}

/// The document of `kind` for one case of a batch (the version is the domain's choice).
fn batch_doc(kind: DocKind, state: &CaseState) -> Option<Document> {
    ctx()
        .calendar
        .with_untracked(|cal| documents::render(for_case(kind, state), state, cal))
}

/// One document of each of the cases `ids`, a page each, printed as one job.
#[component]
pub fn PrintBatchPage(
    /// Which document.
    kind: DocKind,
    /// The cases, in the order ticked.
    ids: Vec<CaseId>,
) -> impl IntoView {
    let ctx = ctx();
    let cases = LocalResource::new(move || {
        let (store, ids) = (ctx.store(), ids.clone());
        async move { store.cases_of(&ids).await.map_err(|e| e.to_string()) }
    });
    loaded(cases, "正在读取…", move |mut cases| {
        cases.sort_by(|a, b| a.case_no.cmp(&b.case_no));
        let (docs, missing): (Vec<_>, Vec<_>) = cases
            .iter()
            .map(|s| (s.case_no.clone(), batch_doc(kind, s)))
            .partition(|(_, d)| d.is_some());
        let n = docs.len();
        let missing: Vec<String> = missing.into_iter().map(|(no, _)| no).collect();
        view! {
            <div class="doc-actions">
                <a class="button secondary" href=Route::Cases.href()>"返回案件列表"</a>
                <button type="button" class="primary" prop:disabled=n == 0 on:click=|_| page::print()>{format!("打印 {n} 份")}</button>
                <span class="hint" data-testid="batch-summary">{format!("{}：共 {n} 份，每件一页。", kind.label())}</span>
                {(!missing.is_empty()).then(|| view! {
                    <span class="msg warn" data-testid="batch-missing">{format!("以下案件尚未办理到可出具{}的环节，未列入：{}", kind.label(), missing.join("、"))}</span>
                })}
            </div>
            {docs.into_iter().enumerate().filter_map(|(i, (_, d))| d.map(|d| article(d, i == 0))).collect_view()}
        }
    })
}
