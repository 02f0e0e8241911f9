//! The monthly report: one A4 page with the key figures beside last month and the same
//! month last year, the main charts, the unit scorecard and the warnings, for printing.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::measures::{Accountable, Period};
use crate::domain::time::parse_date;
use crate::platform::{clock, page};
use crate::report::dashboard::{self, scorecard_table};
use crate::report::Cell;
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::charts::{bar_chart, breakdown_bars, channel_chart, top};
use crate::ui::widgets::measures::data::{load, opener, Loaded};
use crate::ui::widgets::measures::tables::scorecard_view;
use crate::ui::widgets::measures::warnings::warnings;

/// Bars per chart on the page, the rest summed into one.
const REPORT_BARS: usize = 8;

/// The monthly report of `month` (`YYYY-MM`).
#[component]
pub fn ReportPage(
    /// The month, `YYYY-MM`.
    month: String,
) -> impl IntoView {
    let ctx = ctx();
    let Some(first) = parse_date(&format!("{month}-01")) else {
        return view! {
            <section class="card"><h1>"月份不对"</h1><p>"地址中的月份应写作“2026-11”。"</p><a href="#/dashboard">"返回看板"</a></section>
        }
        .into_any();
    };
    let p = Period::month_of(first);
    let today = clock::now().china_date();
    let data = load(today);
    let unit = ctx
        .profile
        .with_untracked(|u| u.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let prev = Route::Report(
        Period::month_of(p.previous().to)
            .from
            .format("%Y-%m")
            .to_string(),
    );
    let next = Route::Report(p.to.succ_opt().unwrap_or(p.to).format("%Y-%m").to_string());
    let body = move |data: Rc<Loaded>| {
        let open = opener(data.clone());
        let judged = &data.judged;
        let m = judged.measure(p);
        let last_month = judged.measure(Period::month_of(p.previous().to));
        let last_year = judged.measure(p.last_year());
        let key = dashboard::table(
            &[
                ("本月".into(), &m),
                ("上月".into(), &last_month),
                ("去年同月".into(), &last_year),
            ],
            false,
        );
        let (townships, categories, _) = breakdown_bars(&m, p);
        let mut units = scorecard_table(&judged.scorecard(p, Accountable::Unit), Accountable::Unit);
        // The busiest units fit the page; the full scorecard is on the dashboard.
        units.rows.sort_by_key(|r| match r.get(1) {
            Some(Cell::Number(n)) => -n,
            _ => 0,
        });
        units.rows.truncate(REPORT_BARS);
        view! {
            <table class="table compact key-figures" data-testid="report-figures">
                <thead><tr>{key.header.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {key.rows.iter().map(|r| view! {
                        <tr>{r.iter().map(|c| view! { <td>{c.text()}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="report-charts">
                {bar_chart("按乡镇", "township", top(townships, REPORT_BARS), &open)}
                {bar_chart("按问题类别", "category", top(categories, REPORT_BARS), &open)}
                {channel_chart(&m, p, &open)}
            </div>
            {scorecard_view(units, Accountable::Unit, p, &open, None)}
            {warnings(&data, &m, &last_month, p, today)}
        }
        .into_any()
    };
    view! {
        <div class="doc-actions">
            <a class="button secondary" href="#/dashboard">"返回看板"</a>
            <a class="button secondary" href=prev.href()>"上一月"</a>
            <a class="button secondary" href=next.href()>"下一月"</a>
            <button type="button" class="primary" on:click=|_| page::print()>"打印"</button>
        </div>
        <article class="report" data-testid="report">
            <h1>{format!("{unit} 信访工作月报")}</h1>
            <p class="report-sub">{format!("{} 年 {} 月（{} 至 {}）　统计日：{today}", first.format("%Y"), first.format("%-m"), p.from, p.to)}</p>
            {loaded(data, "正在统计…", body)}
        </article>
    }
    .into_any()
}
