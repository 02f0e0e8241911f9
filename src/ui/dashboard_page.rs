//! 看板 (底数清、情况明): the measures of a period beside the previous one, bar charts
//! drawn as SVG (numbers on hover and focus, readable in grey-scale print), a click on a
//! bar opening the cases behind it, repeat petitioners and early-warning clusters.

use leptos::prelude::*;

use super::app::ctx;
use super::platform;
use super::route::Route;
use crate::domain::export::{to_csv, to_xlsx};
use crate::domain::measures::{self, measure, Facts, Measures, Period, Ratio};
use crate::domain::patterns::{clusters, frequent_petitioners, rising_categories, MatchRow};
use crate::domain::time::parse_date;
use crate::domain::CaseFilter;

/// One bar: its label, value, and the case-list filter behind it (if any).
struct Bar {
    label: String,
    value: usize,
    filter: Option<CaseFilter>,
}

fn bar_chart(title: &'static str, key: &'static str, bars: Vec<Bar>) -> impl IntoView {
    let ctx = ctx();
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let row_h = 26;
    let height = row_h * bars.len().max(1) + 4;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i * row_h + 2;
            let w = (b.value * 300).div_ceil(max);
            let label = format!("{}：{} 件", b.label, b.value);
            let filter = b.filter.clone();
            let open = move |_| {
                if let Some(f) = filter.clone() {
                    ctx.list_preset.set(Some(f));
                    Route::Cases.go();
                }
            };
            let clickable = b.filter.is_some();
            let aria = label.clone();
            view! {
                <g class="bar" class:link=clickable tabindex="0" role=if clickable { "link" } else { "img" } aria-label=aria on:click=open data-label=b.label.clone()>
                    <title>{label}</title>
                    <text x="0" y=y + 17 class="bar-label">{b.label.clone()}</text>
                    <rect x="120" y=y + 4 width=w.max(1) height=row_h - 8></rect>
                    <text x=125 + w y=y + 17 class="bar-value">{b.value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="card chart" data-chart=key>
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 480 {height}") width="100%" role="group" aria-label=title>{rows}</svg>
        </figure>
    }
}

fn figure(label: &'static str, key: &'static str, value: String, before: String) -> impl IntoView {
    view! {
        <div class="figure" data-figure=key>
            <span class="figure-label">{label}</span>
            <strong class="figure-value">{value}</strong>
            <span class="figure-before">{format!("上期 {before}")}</span>
        </div>
    }
}

fn ratio_figure(
    label: &'static str,
    key: &'static str,
    now: Ratio,
    before: Ratio,
) -> impl IntoView {
    figure(
        label,
        key,
        format!("{}（{}/{}）", now.percent(), now.num, now.den),
        before.percent(),
    )
}

fn period_filter(p: Period) -> CaseFilter {
    CaseFilter {
        from: Some(p.from),
        to: Some(p.to),
        ..CaseFilter::default()
    }
}

fn figures(m: &Measures, b: &Measures) -> impl IntoView {
    view! {
        <section class="card figures">
            {figure("总量", "total", format!("{} 件", m.total), format!("{} 件", b.total))}
            {ratio_figure("集体访占比", "group", m.group, b.group)}
            {figure("集体访人数", "group_heads", format!("{} 人", m.group_heads), format!("{} 人", b.group_heads))}
            {ratio_figure("重复访率", "repeat", m.repeat, b.repeat)}
            {ratio_figure("越级访率", "skip_level", m.skip_level, b.skip_level)}
            {ratio_figure("按期受理率", "on_time_notice", m.on_time_notice, b.on_time_notice)}
            {ratio_figure("按期办结率", "on_time_answer", m.on_time_answer, b.on_time_answer)}
            {ratio_figure("满意率", "satisfied", m.satisfied, b.satisfied)}
            {ratio_figure("参评率", "rated", m.rated, b.rated)}
            {ratio_figure("息诉率", "settled", m.settled, b.settled)}
            {ratio_figure("督办按期反馈", "supervision", m.supervision_on_time, b.supervision_on_time)}
        </section>
    }
}

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let ctx = ctx();
    let today = platform::now().china_date();
    let period = RwSignal::new(Period::month_of(today));
    let data = LocalResource::new(move || {
        let store = ctx.store();
        let calendar = ctx.calendar.get_untracked();
        async move {
            let states = store.all_states().await.map_err(|e| e.to_string())?;
            let facts: Vec<Facts> = states.iter().map(|s| Facts::of(s, &calendar)).collect();
            let rows: Vec<MatchRow> = states.iter().map(MatchRow::of).collect();
            Ok::<_, String>((facts, rows))
        }
    });
    let choose = move |p: Period| period.set(p);
    let custom = move |which: &'static str, v: String| {
        if let Some(d) = parse_date(&v) {
            period.update(|p| {
                if which == "from" {
                    p.from = d
                } else {
                    p.to = d
                }
            });
        }
    };
    let body = move || {
        let Some(loaded) = data.get() else {
            return view! { <p class="loading">"正在统计…"</p> }.into_any();
        };
        let (facts, rows) = match loaded {
            Ok(x) => x,
            Err(e) => return view! { <p class="msg bad" role="alert">{e}</p> }.into_any(),
        };
        let p = period.get();
        let m = measure(&facts, p, today);
        let before = measure(&facts, p.previous(), today);
        let last_year = measure(&facts, p.last_year(), today);
        let base = period_filter(p);
        let month_bars = |m: &Measures, shift: i32| -> Vec<Bar> {
            m.by_month
                .iter()
                .map(|((y, mo), n)| Bar {
                    label: format!("{}年{}月", y + shift, mo),
                    value: *n,
                    filter: None,
                })
                .collect()
        };
        let trend: Vec<Bar> = month_bars(&m, 0)
            .into_iter()
            .chain(month_bars(&last_year, 0).into_iter().map(|b| Bar {
                label: format!("{}（去年同期）", b.label),
                ..b
            }))
            .collect();
        let townships = m
            .by_township
            .iter()
            .map(|(t, n)| Bar {
                label: t.clone(),
                value: *n,
                filter: Some(CaseFilter {
                    township: Some(t.clone()),
                    ..base.clone()
                }),
            })
            .collect();
        let categories = m
            .by_category
            .iter()
            .map(|(c, n)| Bar {
                label: c.label().to_owned(),
                value: *n,
                filter: Some(CaseFilter {
                    category: Some(*c),
                    ..base.clone()
                }),
            })
            .collect();
        let channels = m
            .by_channel
            .iter()
            .map(|(c, n)| Bar {
                label: c.label().to_owned(),
                value: *n,
                filter: Some(CaseFilter {
                    channel: Some(*c),
                    ..base.clone()
                }),
            })
            .collect();
        let units = m
            .by_unit
            .iter()
            .map(|(u, n)| Bar {
                label: u.clone(),
                value: *n,
                filter: None,
            })
            .collect();
        let in_period: Vec<MatchRow> = rows
            .iter()
            .filter(|r| p.contains(r.received_on))
            .cloned()
            .collect();
        let frequent = frequent_petitioners(&rows, p.from, p.to, 2);
        let found = clusters(&in_period);
        let rising = rising_categories(&m.by_category, &before.by_category);
        let overdue = m.overdue_by_unit.clone();
        let export_table = measures::table(&m, &before, p);
        let csv_table = export_table.clone();
        let stem = format!("信访看板-{}-{}", p.from, p.to);
        let stem2 = stem.clone();
        let xlsx = move |_| {
            let _ = platform::download_bytes(
                &format!("{stem}.xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &to_xlsx(&export_table),
            );
        };
        let csv = move |_| {
            let _ = platform::download_bytes(
                &format!("{stem2}.csv"),
                "text/csv",
                to_csv(&csv_table).as_bytes(),
            );
        };
        view! {
            <div class="actions export-buttons">
                <button type="button" class="secondary" on:click=xlsx>"导出 Excel"</button>
                <button type="button" class="secondary" on:click=csv>"导出 CSV"</button>
                <button type="button" class="secondary" on:click=|_| platform::print()>"打印月报"</button>
            </div>
            {figures(&m, &before)}
            <div class="charts">
                {bar_chart("总量趋势（与去年同期）", "trend", trend)}
                {bar_chart("按乡镇", "township", townships)}
                {bar_chart("按问题类别", "category", categories)}
                {bar_chart("按渠道", "channel", channels)}
                {bar_chart("按责任单位", "unit", units)}
            </div>
            <section class="card" data-testid="overdue-units">
                <h2>"超期案件（按责任单位）"</h2>
                {if overdue.is_empty() { view! { <p class="empty">"无"</p> }.into_any() } else {
                    view! { <table class="table compact"><tbody>
                        {overdue.into_iter().map(|(u, n)| view! { <tr><td>{u}</td><td>{format!("{n} 件")}</td></tr> }).collect_view()}
                    </tbody></table> }.into_any()
                }}
            </section>
            <section class="card" data-testid="frequent">
                <h2>"重复信访人（本期 2 件及以上）"</h2>
                {if frequent.is_empty() { view! { <p class="empty">"无"</p> }.into_any() } else {
                    view! { <table class="table compact"><tbody>
                        {frequent.into_iter().map(|f| view! { <tr><td>{f.names.join("、")}</td><td class="mono">{f.cases.join("、")}</td></tr> }).collect_view()}
                    </tbody></table> }.into_any()
                }}
            </section>
            <section class="card" data-testid="warnings">
                <h2>"预警"</h2>
                {found.into_iter().map(|c| view! {
                    <p class="warn-line">{format!("{} 在 {} 至 {} 有 {} 件相近事项：{}", c.township, c.from, c.to, c.cases.len(), c.cases.join("、"))}</p>
                }).collect_view()}
                {rising.into_iter().map(|(c, n, b)| view! {
                    <p class="warn-line">{format!("{} 类上升：本期 {n} 件，上期 {b} 件", c.label())}</p>
                }).collect_view()}
                {(m.group.num > 0).then(|| view! { <p class="warn-line">{format!("本期集体访 {} 件，共 {} 人", m.group.num, m.group_heads)}</p> })}
            </section>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <div class="list-head">
                <h1>"看板"</h1>
                <span class="hint" data-testid="period">{move || { let p = period.get(); format!("{} 至 {}", p.from, p.to) }}</span>
            </div>
            <div class="period-buttons">
                <button type="button" class="secondary" on:click=move |_| choose(Period::month_of(today))>"本月"</button>
                <button type="button" class="secondary" on:click=move |_| choose(Period::quarter_of(today))>"本季度"</button>
                <button type="button" class="secondary" on:click=move |_| choose(Period::year_of(today))>"本年"</button>
                <label>"自 " <input type="date" name="period_from" prop:value=move || period.get().from.to_string() on:change=move |ev| custom("from", event_target_value(&ev)) /></label>
                <label>"至 " <input type="date" name="period_to" prop:value=move || period.get().to.to_string() on:change=move |ev| custom("to", event_target_value(&ev)) /></label>
            </div>
        </section>
        {body}
    }
}
