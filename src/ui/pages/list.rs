//! The case list: newest first, paged, with filters and one search box.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use std::collections::BTreeSet;

use crate::domain::search::{Page, PAGE_SIZE};
use crate::domain::time::parse_date;
use crate::domain::vocab::{Category, Channel};
use crate::domain::workflow::Viewer;
use crate::domain::{CaseFilter, CaseId, CaseSummary};
use crate::platform::clock;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::export_bar::{ExportBar, Handed};
use crate::ui::widgets::ledger_export::LedgerExport;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::print_batch::BatchPrint;

fn row(
    s: CaseSummary,
    today: chrono::NaiveDate,
    me: Viewer,
    selected: RwSignal<BTreeSet<CaseId>>,
) -> impl IntoView {
    let href = Route::Case(s.id.clone()).href();
    let due = s.due_text(today).unwrap_or_default();
    let stage = s.stage_label(today, me);
    let id = s.id.clone();
    let checked = {
        let id = id.clone();
        move || selected.with(|set| set.contains(&id))
    };
    view! {
        <tr>
            <td><input type="checkbox" name="select" aria-label="选择" prop:checked=checked on:change=move |ev| {
                let on = event_target_checked(&ev);
                selected.update(|set| {
                    if on { set.insert(id.clone()); } else { set.remove(&id); }
                });
            } /></td>
            <td class="mono"><a href=href.clone()>{s.case_no}</a></td>
            <td class="nowrap">{s.registered_at.display()}</td>
            <td>{s.petitioners}</td>
            <td><a href=href>{s.title}</a>{s.is_group.then(|| view! { <span class="badge">"集体访"</span> })}</td>
            <td>{s.category.label()}</td>
            <td>{s.channel.label()}</td>
            <td>{s.township.clone()}</td>
            <td class="nowrap">{stage}</td>
            <td class="nowrap">{due}</td>
        </tr>
    }
}

/// Milliseconds without a keystroke before the list follows the search box.
const TYPING_PAUSE_MS: u64 = 150;

/// The case list page.
#[component]
pub fn ListPage() -> impl IntoView {
    let ctx = ctx();
    // A click on a dashboard figure opens the list on the cases behind it.
    let preset = ctx.list_preset.get_untracked().unwrap_or_default();
    ctx.list_preset.set(None);
    let filter = RwSignal::new(preset);
    let page = RwSignal::new(0usize);
    let query = RwSignal::new(String::new());
    let selected = RwSignal::new(BTreeSet::<CaseId>::new());
    let result = LocalResource::new(move || {
        let (f, p, store) = (filter.get(), page.get(), ctx.store());
        // The query travels with its result, so the page (and a test) can tell a fresh
        // answer from the previous one still on screen.
        async move {
            store
                .list(&f, p, PAGE_SIZE)
                .await
                .map(|page| (f.query, page))
                .map_err(|e| e.to_string())
        }
    });
    let set_filter = move |apply: Box<dyn Fn(&mut CaseFilter)>| {
        filter.update(|f| apply(f));
        page.set(0);
    };
    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        set_filter(Box::new(move |f| f.query = q.clone()));
    };
    // Search as the user types, once typing pauses: each search reads the rows in
    // memory, so it costs tens of milliseconds even for a county.
    let on_type = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        query.set(typed.clone());
        set_timeout(
            move || {
                // The page may be gone by now (the user moved on): then do nothing.
                let current = filter.try_with_untracked(|f| f.query.clone());
                let latest = query.try_get_untracked();
                if latest.as_ref() == Some(&typed) && current.is_some_and(|c| c != typed) {
                    set_filter(Box::new(move |f| f.query = typed.clone()));
                }
            },
            std::time::Duration::from_millis(TYPING_PAUSE_MS),
        );
    };
    let reset = move |_| {
        query.set(String::new());
        filter.set(CaseFilter::default());
        page.set(0);
    };
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    // Controlled inputs, so 重置 clears what the page shows as well as the filter.
    let select = move |name: &'static str,
                       options: Vec<(String, String)>,
                       get: fn(&CaseFilter) -> String,
                       apply: fn(&mut CaseFilter, &str)| {
        view! {
            <select name=name on:change=move |ev| {
                let v = event_target_value(&ev);
                set_filter(Box::new(move |f| apply(f, &v)));
            }>
                <option value="" selected=move || filter.with(|f| get(f).is_empty())>"全部"</option>
                {options
                    .into_iter()
                    .map(|(k, l)| {
                        let key = k.clone();
                        view! { <option value=k selected=move || filter.with(|f| get(f) == key)>{l}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let date = move |name: &'static str,
                     get: fn(&CaseFilter) -> Option<chrono::NaiveDate>,
                     apply: fn(&mut CaseFilter, &str)| {
        view! {
            <input type="date" name=name prop:value=move || filter.with(|f| get(f).map(|d| d.to_string()).unwrap_or_default()) on:change=move |ev| {
                let v = event_target_value(&ev);
                set_filter(Box::new(move |f| apply(f, &v)));
            } />
        }
    };
    let today = clock::now().china_date();
    let unit = ctx
        .profile
        .get_untracked()
        .map(|p| (p.code, p.name))
        .unwrap_or_default();
    let table = move |query: String, p: Page<CaseSummary>| {
        let me = Viewer {
            code: &unit.0,
            name: &unit.1,
        };
        let pages = p.page_count();
        let current = p.page;
        let total = p.total;
        let empty = p.items.is_empty();
        view! {
            <p class="summary" data-testid="list-summary" data-query=query>{format!("共 {total} 件")}</p>
            {if empty {
                view! { <p class="empty">"没有符合条件的案件。"</p> }.into_any()
            } else {
                view! {
                    <table class="table cases">
                        <thead><tr><th></th><th>"编号"</th><th>"登记时间"</th><th>"信访人"</th><th>"标题"</th><th>"类别"</th><th>"渠道"</th><th>"乡镇"</th><th>"阶段"</th><th>"期限"</th></tr></thead>
                        <tbody>{p.items.into_iter().map(|s| row(s, today, me, selected)).collect_view()}</tbody>
                    </table>
                }
                .into_any()
            }}
            <div class="pager">
                <button type="button" class="secondary" prop:disabled={current == 0} on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"上一页"</button>
                <span>{format!("第 {} / {} 页", current + 1, pages)}</span>
                <button type="button" class="secondary" prop:disabled={current + 1 >= pages} on:click=move |_| page.update(|p| *p += 1)>"下一页"</button>
            </div>
        }
    };
    view! {
        <section class="card">
            <div class="list-head">
                <h1>"案件"</h1>
                <a class="button primary" href="#/new">"＋ 登记"</a>
            </div>
            <form class="filters" on:submit=on_search>
                <input type="search" name="q" placeholder="编号、姓名、身份证号、电话或内容中的字词" prop:value=move || query.get() on:input=on_type />
                <button type="submit" class="primary">"查询"</button>
                <button type="button" class="secondary" on:click=reset>"重置"</button>
                <div class="filter-row">
                    <label>"渠道 " {select("channel", Channel::ALL.iter().map(|c| (c.key().to_owned(), c.label().to_owned())).collect(), |f| f.channel.map(|c| c.key().to_owned()).unwrap_or_default(), |f, v| f.channel = Channel::from_key(v))}</label>
                    <label>"类别 " {select("category", Category::ALL.iter().map(|c| (c.key().to_owned(), c.label().to_owned())).collect(), |f| f.category.map(|c| c.key().to_owned()).unwrap_or_default(), |f, v| f.category = Category::from_key(v))}</label>
                    <label>"乡镇 " {select("township", townships.into_iter().map(|t| (t.clone(), t)).collect(), |f| f.township.clone().unwrap_or_default(), |f, v| f.township = (!v.is_empty()).then(|| v.to_owned()))}</label>
                    <label>"登记自 " {date("from", |f| f.from, |f, v| f.from = parse_date(v))}</label>
                    <label>"至 " {date("to", |f| f.to, |f, v| f.to = parse_date(v))}</label>
                </div>
            </form>
            {move || filter.with(|f| f.picked.as_ref().map(|p| (p.label.clone(), p.case_nos.len()))).map(|(label, n)| view! {
                <div class="selection" data-testid="picked">
                    <span>{format!("看板：{label}，{n} 件")}</span>
                    <button type="button" class="link" on:click=move |_| set_filter(Box::new(|f| f.picked = None))>"显示全部案件"</button>
                </div>
            })}
            {move || (!selected.with(BTreeSet::is_empty)).then(|| view! {
                <div class="selection" data-testid="selection">
                    <span>{move || format!("已选 {} 件", selected.with(BTreeSet::len))}</span>
                    <ExportBar what=Signal::derive(move || Handed::Cases(selected.with(|s| s.iter().cloned().collect()))) />
                    <BatchPrint selected=selected />
                    <button type="button" class="link" on:click=move |_| selected.set(BTreeSet::new())>"取消选择"</button>
                </div>
            })}
            <LedgerExport filter=filter selected=selected />
            {loaded(result, "正在读取…", move |(query, p)| table(query, p))}
        </section>
    }
}
