//! 矛盾纠纷排查台账: the register's list with its filters and exports, the item form and
//! the item page.

use leptos::prelude::*;

use crate::app::screening;
use crate::domain::registers::screening::{ItemFilter, ItemStatus, Risk, ScreeningItem};
use crate::platform::clock;
use crate::report::registers::screening_table;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::export_bar::{ExportBar, Handed};
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::tables::export_buttons;

pub mod form;
pub mod item;

/// The status as a coloured chip (逾期 added to an open item past its deadline).
pub fn status_chip(item: &ScreeningItem, today: chrono::NaiveDate) -> impl IntoView {
    let class = match item.status {
        ItemStatus::Unresolved => "chip warn",
        ItemStatus::Resolving => "chip warn",
        ItemStatus::Resolved => "chip ok",
        ItemStatus::Converted => "chip",
    };
    view! {
        <span class=class data-testid="item-status">{item.status.label()}</span>
        {item.is_overdue(today).then(|| view! { <span class="chip bad">"逾期"</span> })}
        {item.is_high_risk().then(|| view! { <span class="chip bad">"高风险"</span> })}
    }
}

/// The rows of a list of items.
pub fn item_rows(items: &[&ScreeningItem], today: chrono::NaiveDate) -> impl IntoView {
    items
        .iter()
        .map(|i| {
            let href = Route::Item(i.id.clone()).href();
            let r = &i.record;
            view! {
                <tr>
                    <td class="nowrap">{r.found_on.to_string()}</td>
                    <td>{r.township.clone()} {(!r.village.is_empty()).then(|| format!("·{}", r.village))}</td>
                    <td><a href=href>{r.title()}</a></td>
                    <td>{r.parties.clone()}</td>
                    <td>{r.risk.label()}</td>
                    <td>{r.leader.clone()}</td>
                    <td class="nowrap">{r.deadline.to_string()}</td>
                    <td>{status_chip(i, today)}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The table head of [`item_rows`].
pub fn item_head() -> impl IntoView {
    view! { <thead><tr><th>"排查日期"</th><th>"乡镇"</th><th>"矛盾纠纷"</th><th>"当事人"</th><th>"风险"</th><th>"包案领导"</th><th>"化解期限"</th><th>"状态"</th></tr></thead> }
}

/// The register's list page.
#[component]
pub fn ScreeningPage() -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let filter = RwSignal::new(ItemFilter::default());
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    let data = LocalResource::new(move || {
        let store = ctx.store();
        async move { screening::items(&store).await.map_err(|e| e.to_string()) }
    });
    // The items shown, as the file handing them over would carry them.
    let shown_ids = Signal::derive(move || {
        let ids = data.with(|d| match d {
            Some(Ok(all)) => filter.with(|f| {
                all.iter()
                    .filter(|i| f.holds(i, today))
                    .map(|i| i.id.clone())
                    .collect()
            }),
            _ => Vec::new(),
        });
        Handed::Items(ids)
    });
    let filters = view! {
        <div class="filters">
            <input type="search" name="item_query" placeholder="搜索当事人、事项、包案领导…" prop:value=move || filter.with(|f| f.query.clone()) on:input=move |ev| filter.update(|f| f.query = event_target_value(&ev)) />
            <select name="item_status" on:change=move |ev| filter.update(|f| f.status = ItemStatus::from_key(&event_target_value(&ev)))>
                <option value="">"全部状态"</option>
                {ItemStatus::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
            </select>
            <select name="item_risk" on:change=move |ev| filter.update(|f| f.risk = Risk::from_key(&event_target_value(&ev)))>
                <option value="">"全部风险"</option>
                {Risk::ALL.iter().map(|r| view! { <option value=r.key()>{format!("{}风险", r.label())}</option> }).collect_view()}
            </select>
            <select name="item_township" on:change=move |ev| filter.update(|f| f.township = event_target_value(&ev))>
                <option value="">"全部乡镇"</option>
                {townships.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
            </select>
            <label class="check"><input type="checkbox" name="item_overdue" on:change=move |ev| filter.update(|f| f.overdue = event_target_checked(&ev)) />"仅看逾期未化解"</label>
        </div>
    };
    view! {
        <section class="card">
            <div class="list-head">
                <h1>"矛盾纠纷排查台账"</h1>
                <a class="button primary" href=Route::NewItem.href()>"登记排查事项"</a>
            </div>
            <p class="hint">"排查发现、尚未形成信访的矛盾纠纷：明确责任单位和包案领导，限期化解；需要按信访程序办理的，转为信访事项。"</p>
            {filters}
            <details class="hand-over" data-testid="hand-items">
                <summary>"交办所显示的排查事项"</summary>
                <p class="hint">"按乡镇或责任单位筛选后，将所显示的事项（含全部记录）签名加密导出，交对方在“交换”页导入；对方跟进化解后报回，导入即更新本台账。"</p>
                <ExportBar what=shown_ids />
            </details>
            {loaded(data, "正在读取台账…", move |all: Vec<ScreeningItem>| {
                move || {
                    let f = filter.get();
                    let shown: Vec<&ScreeningItem> = all.iter().filter(|i| f.holds(i, today)).collect();
                    let stem = format!("排查台账-{today}");
                    view! {
                        <p class="hint" data-testid="item-count">{format!("共 {} 条，显示 {} 条", all.len(), shown.len())}</p>
                        <div class="actions">{export_buttons(screening_table(&shown), stem)}</div>
                        {if shown.is_empty() {
                            view! { <p class="empty">"没有符合条件的排查事项。"</p> }.into_any()
                        } else {
                            view! { <table class="table cases" data-testid="items">{item_head()}<tbody>{item_rows(&shown, today)}</tbody></table> }.into_any()
                        }}
                    }
                }
            })}
        </section>
    }
}
