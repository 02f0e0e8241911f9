//! 应急预案: the register's list with its search and exports, the plan form and the plan
//! page; a plan's work on a case is on the case page (`case::plans`).

use leptos::prelude::*;

use crate::app::plans;
use crate::domain::registers::plans::Plan;
use crate::platform::clock;
use crate::report::registers::plans_table;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::tables::export_buttons;

pub mod form;
pub mod plan;

/// The register's list page.
#[component]
pub fn PlansPage() -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let query = RwSignal::new(String::new());
    let data = LocalResource::new(move || {
        let store = ctx.store();
        async move { plans::plans(&store).await.map_err(|e| e.to_string()) }
    });
    view! {
        <section class="card">
            <div class="list-head">
                <h1>"应急预案"</h1>
                <a class="button primary" href=Route::NewPlan.href()>"制定预案"</a>
            </div>
            <p class="hint">"事先预防，制定好各种情况下的应急预案：登记符合适用条件的信访事项时，系统提示启动预案；事中在案件中记录处置情况，事后记录总结。"</p>
            <div class="filters">
                <input type="search" name="plan_query" placeholder="搜索预案名称、适用条件、责任单位…" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
            </div>
            {loaded(data, "正在读取预案…", move |all: Vec<Plan>| {
                move || {
                    let q = query.get();
                    let shown: Vec<&Plan> = all.iter().filter(|p| p.matches(&q)).collect();
                    let rows = shown
                        .iter()
                        .map(|p| view! {
                            <tr>
                                <td><a href=Route::Plan(p.id.clone()).href()>{p.record.name.clone()}</a></td>
                                <td>{p.record.conditions()}</td>
                                <td class="pre">{p.record.units.clone()}</td>
                            </tr>
                        })
                        .collect_view();
                    view! {
                        <p class="hint" data-testid="plan-count">{format!("共 {} 份，显示 {} 份", all.len(), shown.len())}</p>
                        <div class="actions">{export_buttons(plans_table(&shown), format!("应急预案-{today}"))}</div>
                        {if shown.is_empty() {
                            view! { <p class="empty">"还没有应急预案。"</p> }.into_any()
                        } else {
                            view! {
                                <table class="table cases" data-testid="plans">
                                    <thead><tr><th>"预案名称"</th><th>"适用条件"</th><th>"责任单位及联系人"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            }.into_any()
                        }}
                    }
                }
            })}
        </section>
    }
}
