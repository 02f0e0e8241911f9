//! 信访工作责任状: the year's agreements with how each unit stands against its targets,
//! the 考核表 exported and printed, and the form, page and print of one agreement.

use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use crate::app::agreements;
use crate::domain::registers::agreements::{of_year, score, Agreement, Behind, Scorecard};
use crate::domain::registers::screening::ScreeningItem;
use crate::platform::clock;
use crate::report::registers::scoresheet_table;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::data::{pick, read, Loaded};
use crate::ui::widgets::measures::tables::export_buttons;

pub mod agreement;
pub mod form;
pub mod print;

/// What the agreements' pages read: the judged cases, the screening items and the
/// agreements themselves.
pub struct Board {
    /// The cases judged as of today, and the screening register.
    pub loaded: Loaded,
    /// Every agreement held here.
    pub agreements: Vec<Agreement>,
    /// The day scored.
    pub today: NaiveDate,
}

impl Board {
    /// Agreement `a` scored.
    pub fn score(&self, a: &Agreement) -> Scorecard {
        score(
            &a.record,
            &self.loaded.judged,
            &self.loaded.screening,
            self.today,
        )
    }

    /// The agreements of `year`, each scored.
    pub fn year(&self, year: i32) -> Vec<(&Agreement, Scorecard)> {
        of_year(&self.agreements, year)
            .into_iter()
            .map(|a| (a, self.score(a)))
            .collect()
    }
}

/// Reads the board as a resource of the page.
pub fn board() -> LocalResource<Result<Rc<Board>, String>> {
    let ctx = ctx();
    let today = clock::now().china_date();
    LocalResource::new(move || {
        let store = ctx.store();
        async move {
            let loaded = read(&store, today).await?;
            let agreements = agreements::all(&store).await.map_err(|e| e.to_string())?;
            Ok(Rc::new(Board {
                loaded,
                agreements,
                today,
            }))
        }
    })
}

/// The 考核表 of one agreement: each target beside its actual figure, met or missed,
/// and (on screen) what is behind it, to be opened.
pub fn scorecard_view(card: &Scorecard, items: &[ScreeningItem], on_screen: bool) -> impl IntoView {
    let rows = card
        .rows
        .iter()
        .map(|s| {
            let behind = on_screen.then(|| match &s.behind {
                Behind::Cases { case_nos, .. } if case_nos.is_empty() => view! { <span class="muted">"—"</span> }.into_any(),
                Behind::Cases { label, case_nos } => {
                    let (label, nos) = (label.clone(), case_nos.clone());
                    let text = format!("查看 {} 件", nos.len());
                    view! { <button type="button" class="link drill" data-testid="behind" on:click=move |_| pick(label.clone(), nos.clone())>{text}</button> }.into_any()
                }
                Behind::Items(ids) if ids.is_empty() => view! { <span class="muted">"—"</span> }.into_any(),
                Behind::Items(ids) => {
                    let links = ids
                        .iter()
                        .filter_map(|id| items.iter().find(|i| i.id == *id))
                        .map(|i| view! { <li><a href=Route::Item(i.id.clone()).href()>{i.record.title()}</a>{format!("（{}）", i.status.label())}</li> })
                        .collect_view();
                    view! { <details><summary>{format!("未化解 {} 项", ids.len())}</summary><ul>{links}</ul></details> }.into_any()
                }
            });
            view! {
                <tr data-goal=s.target.goal.key() data-verdict=s.verdict.key()>
                    <td>{s.target.goal.label()}</td>
                    <td class="nowrap">{s.target.goal.bound_text(s.target.bound)}</td>
                    <td class="nowrap">{s.actual.text()}</td>
                    <td class=format!("verdict {}", s.verdict.key())>{s.verdict.label()}</td>
                    {behind.map(|b| view! { <td>{b}</td> })}
                </tr>
            }
        })
        .collect_view();
    let note = match card.provisional {
        true => format!(
            "{} 年尚未结束：截至 {} 的数字，年终以全年数字为准。",
            card.period.from.year(),
            card.as_of
        ),
        false => format!("考核期 {} 至 {}。", card.period.from, card.period.to),
    };
    view! {
        <p class="hint">{note}</p>
        <table class="table compact goal-card" data-testid="scorecard">
            <thead><tr><th>"考核指标"</th><th>"目标"</th><th>"实际"</th><th>"结果"</th>{on_screen.then(|| view! { <th>"相关事项"</th> })}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The agreements of a year and how each unit stands.
#[component]
pub fn AgreementsPage() -> impl IntoView {
    let today = clock::now().china_date();
    let year = RwSignal::new(today.year());
    let query = RwSignal::new(String::new());
    let data = board();
    view! {
        <section class="card">
            <div class="list-head">
                <h1>"信访工作责任状"</h1>
                <a class="button primary" href=Route::NewAgreement.href()>"签订责任状"</a>
            </div>
            <p class="hint">"县政府与各乡镇、各部门签订的年度信访工作责任状。考核指标取自看板的同名指标，按责任状年度内登记的案件计算：乡镇按属地，部门按承办单位。"</p>
            {loaded(data, "正在计算考核结果…", move |board: Rc<Board>| {
                let mut years: Vec<i32> = board.agreements.iter().map(|a| a.record.year).collect();
                years.push(today.year());
                years.sort_unstable();
                years.dedup();
                let options = years
                    .iter()
                    .rev()
                    .map(|y| view! { <option value=y.to_string() selected=*y == year.get_untracked()>{format!("{y} 年度")}</option> })
                    .collect_view();
                let board = StoredValue::new_local(board);
                view! {
                    <div class="filters">
                        <label>"年度 "<select name="year" on:change=move |ev| { if let Ok(y) = event_target_value(&ev).parse() { year.set(y) } }>{options}</select></label>
                        <input type="search" name="agreement_query" placeholder="搜索责任单位、签订人…" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                    </div>
                    {move || {
                        let y = year.get();
                        let board = board.get_value();
                        let q = query.get();
                        let cards: Vec<_> = board.year(y).into_iter().filter(|(a, _)| a.record.matches(&q)).collect();
                        let table = scoresheet_table(&cards.iter().map(|(a, c)| (*a, c)).collect::<Vec<_>>());
                        let rows = cards
                            .iter()
                            .map(|(a, c)| view! {
                                <tr data-party=a.record.party.clone()>
                                    <td><a href=Route::Agreement(a.id.clone()).href()>{a.record.party.clone()}</a></td>
                                    <td>{a.record.kind.label()}</td>
                                    <td class="nowrap">{a.record.signed_on.to_string()}</td>
                                    <td>{a.record.targets.len()}</td>
                                    <td class="verdict met">{c.met()}</td>
                                    <td class="verdict missed" data-testid="missed">{c.missed()}</td>
                                    <td>{c.no_data()}</td>
                                </tr>
                            })
                            .collect_view();
                        match cards.is_empty() {
                            true if q.trim().is_empty() => view! { <p class="empty">{format!("{y} 年度还没有签订责任状。")}</p> }.into_any(),
                            true => view! { <p class="empty">"没有找到符合条件的责任状。"</p> }.into_any(),
                            false => view! {
                                <div class="actions">
                                    {export_buttons(table, format!("责任状考核表-{y}"))}
                                    <a class="button secondary" href=Route::Scoresheet(y).href()>"打印考核表"</a>
                                </div>
                                <table class="table cases" data-testid="agreements">
                                    <thead><tr><th>"责任单位"</th><th>"类型"</th><th>"签订日期"</th><th>"指标数"</th><th>"达标"</th><th>"未达标"</th><th>"无数据"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            }.into_any(),
                        }
                    }}
                }
            })}
        </section>
    }
}
