//! 领导包案: each leader scheduled to receive or named as 包案领导 or on a 批示, with the
//! reception days, visits received, cases owned, open, overdue and resolved and the
//! screening items owned; every count opens its cases.

use leptos::prelude::*;

use crate::app::leaders;
use crate::domain::leaders::LeaderFigures;
use crate::platform::clock;
use crate::report::registers::leaders_table;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::data::pick;
use crate::ui::widgets::measures::tables::export_buttons;

/// A count that opens the case list on its cases (a plain number when there are none).
fn count(label: String, cases: Vec<String>) -> AnyView {
    let n = cases.len();
    if n == 0 {
        return view! { <span>"0"</span> }.into_any();
    }
    view! { <button type="button" class="link drill" on:click=move |_| pick(label.clone(), cases.clone())>{n}</button> }.into_any()
}

fn row(f: LeaderFigures) -> impl IntoView {
    let l = f.name.clone();
    let c = |what: &str, cases: Vec<String>| count(format!("{l}：{what}"), cases);
    view! {
        <tr data-leader=f.name.clone()>
            <td>{f.name.clone()}</td>
            <td data-count="reception_days">{f.reception_days}</td>
            <td data-count="received">{c("接访", f.received.clone())}</td>
            <td data-count="owned">{c("包案", f.owned.clone())}</td>
            <td data-count="open">{c("包案在办", f.open.clone())}</td>
            <td data-count="overdue" class:overdue=!f.overdue.is_empty()>{c("包案超期", f.overdue.clone())}</td>
            <td data-count="resolved">{c("包案已办结", f.resolved.clone())}</td>
            <td data-count="instructed">{c("批示", f.instructed.clone())}</td>
            <td data-count="items">{format!("{}（未化解 {}）", f.items, f.items_open)}</td>
        </tr>
    }
}

/// The leaders' page.
#[component]
pub fn LeadersPage() -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let data = LocalResource::new(move || {
        let store = ctx.store();
        async move {
            leaders::figures(&store, today)
                .await
                .map_err(|e| e.to_string())
        }
    });
    view! {
        <section class="card">
            <div class="list-head">
                <h1>"领导包案"</h1>
                <a class="button secondary" href=Route::Receptions.href()>"领导接待日"</a>
            </div>
            <p class="hint">"接待日在“领导接待日”中排定，接待日登记的来访记入接访领导；在案件页面指定包案领导、记录领导批示；排查台账中填写的包案领导也计入。点击数字查看对应案件；超期指分流、受理告知或办理已超过期限。"</p>
            {loaded(data, "正在统计…", move |list: Vec<LeaderFigures>| {
                let table = leaders_table(&list);
                view! {
                    <div class="actions">{export_buttons(table, format!("领导包案-{today}"))}</div>
                    {if list.is_empty() {
                        view! { <p class="empty">"尚未指定包案领导。在案件页面“领导包案与批示”一栏指定。"</p> }.into_any()
                    } else {
                        view! {
                            <table class="table cases" data-testid="leaders">
                                <thead><tr><th>"领导"</th><th>"接待日"</th><th>"接访件数"</th><th>"包案件数"</th><th>"在办"</th><th>"超期"</th><th>"已办结"</th><th>"批示件数"</th><th>"包案排查事项"</th></tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }}
                    <p class="hint"><a href=Route::Screening.href()>"打开排查台账"</a></p>
                }
            })}
        </section>
    }
}
