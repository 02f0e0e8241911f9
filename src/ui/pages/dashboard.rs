//! 看板 (底数清、情况明): the measures of a period beside the previous one, bar charts
//! drawn as SVG (numbers on hover and focus, readable in grey-scale print), scorecards
//! per township and unit, and a click (or Enter) on any figure, bar or row opening the
//! cases behind it; repeat petitioners and early warnings below.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::measures::{Accountable, Drill, Measures, Opening, Period, Ratio};
use crate::domain::patterns::{frequent_petitioners, Frequent};
use crate::domain::registers::screening::{figures as screening_figures, ScreeningItem};
use crate::domain::search::{plans_started, CaseSummary};
use crate::domain::time::parse_date;
use crate::platform::clock;
use crate::report::dashboard::{self, scorecard_table};
use crate::report::registers::{self, plans_started_table, screening_figures_table};
use crate::report::{Cell, Table};
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::charts::{bar_chart, breakdown_bars, channel_chart, Bar};
use crate::ui::widgets::measures::data::{load, opener, pick, Loaded, Opener};
use crate::ui::widgets::measures::tables::{export_buttons, scorecard_view, workbook_buttons};
use crate::ui::widgets::measures::warnings::{warnings, SHOWN};

fn figure(
    label: &'static str,
    key: &'static str,
    value: String,
    before: String,
    drill: Option<(Period, Drill)>,
    open: &Opener,
) -> impl IntoView {
    let open = open.clone();
    let has = drill.is_some();
    let go = move |_| {
        if let Some((p, d)) = drill.clone() {
            open(p, d)
        }
    };
    view! {
        <button type="button" class="figure" data-figure=key prop:disabled=!has on:click=go title=if has { "查看这些案件" } else { "" }>
            <span class="figure-label">{label}</span>
            <strong class="figure-value">{value}</strong>
            <span class="figure-before">{format!("上期 {before}")}</span>
        </button>
    }
}

fn ratio_text(r: Ratio) -> String {
    format!("{}（{}/{}）", r.percent(), r.num, r.den)
}

fn figures(m: &Measures, b: &Measures, p: Period, open: &Opener) -> impl IntoView {
    let d = |drill: Drill| Some((p, drill));
    let ratio = |label, key, now: Ratio, before: Ratio, drill: Option<(Period, Drill)>| {
        figure(label, key, ratio_text(now), before.percent(), drill, open)
    };
    view! {
        <section class="card figures">
            {figure("总量", "total", format!("{} 件", m.total), format!("{} 件", b.total), d(Drill::All), open)}
            {ratio("集体访占比", "group", m.group, b.group, d(Drill::Group))}
            {figure("集体访人数", "group_heads", format!("{} 人", m.group_heads), format!("{} 人", b.group_heads), d(Drill::Group), open)}
            {ratio("重复访率", "repeat", m.repeat, b.repeat, d(Drill::Repeat))}
            {ratio("越级访率", "skip_level", m.skip_level, b.skip_level, d(Drill::SkipLevel))}
            {ratio("按期受理率", "on_time_notice", m.on_time_notice, b.on_time_notice, d(Drill::NoticeLate))}
            {ratio("按期办结率", "on_time_answer", m.on_time_answer, b.on_time_answer, d(Drill::AnswerLate))}
            {ratio("满意率", "satisfied", m.satisfied, b.satisfied, d(Drill::Unsatisfied))}
            {ratio("参评率", "rated", m.rated, b.rated, d(Drill::Unrated))}
            {ratio("息诉率", "settled", m.settled, b.settled, d(Drill::NotSettled))}
            {ratio("督办按期反馈", "supervision", m.supervision_on_time, b.supervision_on_time, d(Drill::Supervised))}
        </section>
    }
}

/// 矛盾纠纷排查: items found in the period, 排查化解率, by township and risk.
fn screening_section(
    items: &[ScreeningItem],
    p: Period,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let f = screening_figures(items, p, today);
    let table = screening_figures_table(&f);
    let risks = registers::by_risk(&f)
        .into_iter()
        .map(|(r, n)| format!("{}风险 {n} 件", r.label()))
        .collect::<Vec<_>>()
        .join("，");
    let fig = |label: &'static str, key: &'static str, value: String| {
        view! {
            <div class="figure" data-figure=key>
                <span class="figure-label">{label}</span>
                <strong class="figure-value">{value}</strong>
            </div>
        }
    };
    view! {
        <section class="card" data-testid="screening-figures">
            <div class="list-head">
                <h2>"矛盾纠纷排查"</h2>
                <div class="actions export-buttons">{export_buttons(table.clone(), format!("排查化解-{}-{}", p.from, p.to))}</div>
            </div>
            <div class="figures">
                {fig("排查发现", "screening_found", format!("{} 件", f.found))}
                {fig("排查化解率", "screening_resolved", ratio_text(f.resolved))}
                {fig("转为信访事项", "screening_converted", format!("{} 件", f.converted))}
                {fig("高风险未化解", "screening_high", format!("{} 件", f.open_high))}
                {fig("逾期未化解", "screening_overdue", format!("{} 件", f.overdue))}
            </div>
            <p class="hint">{format!("本期按风险：{risks}。高风险、逾期为截至今天全部未化解事项。")} " " <a href=Route::Screening.href()>"打开排查台账"</a></p>
            <table class="table compact" data-testid="screening-by-township">
                <thead><tr>{table.header.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>{table.rows.iter().map(|row| view! { <tr>{row.iter().map(|c| view! { <td>{c.text()}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
            </table>
        </section>
    }
}

/// 应急预案: the plans started in the period, each with its case and its 事后总结 — those
/// whose summary is overdue first, then the latest, [`SHOWN`] of them (a county's year
/// starts a thousand; the rest are one line listing their cases, and the Excel export
/// keeps every row).
fn plans_section(planned: &[CaseSummary], p: Period, today: chrono::NaiveDate) -> impl IntoView {
    let started = plans_started(planned, &p);
    let table = plans_started_table(&started, today);
    let total = started.len();
    let mut first = started.clone();
    first.sort_by_key(|(_, r)| (!r.summary_overdue(today), std::cmp::Reverse(r.started_on)));
    let more = first.split_off(first.len().min(SHOWN));
    let more_cases: Vec<String> = more.iter().map(|(c, _)| c.case_no.clone()).collect();
    let more_label = format!("另有 {} 次启动，涉及的案件", more.len());
    let rows = first
        .iter()
        .map(|(c, r)| view! {
            <tr>
                <td class="nowrap">{r.started_on.to_string()}</td>
                <td>{r.name.clone()}</td>
                <td><a class="mono" href=Route::Case(c.id.clone()).href()>{c.case_no.clone()}</a></td>
                <td>{c.title.clone()}</td>
                <td class:overdue=r.summary_overdue(today)>{r.summary_state(today)}</td>
            </tr>
        })
        .collect_view();
    view! {
        <section class="card" data-testid="plans-started">
            <div class="list-head">
                <h2>{format!("本期启动的应急预案（{total} 次）")}</h2>
                <div class="actions export-buttons">{export_buttons(table, format!("应急预案启动-{}-{}", p.from, p.to))}</div>
            </div>
            {if total == 0 { view! { <p class="empty">"无"</p> }.into_any() } else {
                view! { <table class="table compact">
                    <thead><tr><th>"启动日期"</th><th>"预案"</th><th>"案件编号"</th><th>"信访事项"</th><th>"事后总结"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {(!more.is_empty()).then(|| { let text = more_label.clone(); view! {
                    <p class="hint" data-testid="plans-more">{format!("{more_label}：")} <button type="button" class="link drill" on:click=move |_| pick(text.clone(), more_cases.clone())>"查看案件"</button></p>
                }})} }.into_any()
            }}
        </section>
    }
}

fn overdue_table(m: &Measures) -> Table {
    Table {
        name: "超期案件".into(),
        header: vec!["责任单位".into(), "超期件数".into()],
        rows: m
            .overdue_by_unit
            .iter()
            .map(|(u, n)| vec![Cell::from(u.as_str()), Cell::from(*n)])
            .collect(),
    }
}

fn frequent_table(frequent: &[Frequent]) -> Table {
    Table {
        name: "重复信访人".into(),
        header: vec!["信访人".into(), "件数".into(), "案件编号".into()],
        rows: frequent
            .iter()
            .map(|f| {
                vec![
                    Cell::from(f.names.join("、")),
                    Cell::from(f.cases.len()),
                    Cell::from(f.cases.join("、")),
                ]
            })
            .collect(),
    }
}

/// The whole dashboard of period `p` as one workbook: the figures first, then a sheet per
/// table. Made when it is exported, not each time the period changes.
fn workbook(data: &Loaded, p: Period, today: chrono::NaiveDate) -> [Table; 7] {
    let judged = &data.judged;
    let m = judged.measure(p);
    let before = judged.measure(p.previous());
    let frequent = frequent_petitioners(&data.matchers_in(p), p.from, p.to, 2);
    [
        dashboard::table(
            &[
                (format!("本期 {} 至 {}", p.from, p.to), &m),
                ("上期".into(), &before),
            ],
            true,
        ),
        scorecard_table(
            &judged.scorecard(p, Accountable::Township),
            Accountable::Township,
        ),
        scorecard_table(&judged.scorecard(p, Accountable::Unit), Accountable::Unit),
        overdue_table(&m),
        frequent_table(&frequent),
        screening_figures_table(&screening_figures(&data.screening, p, today)),
        plans_started_table(&plans_started(&data.planned, &p), today),
    ]
}

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let today = clock::now().china_date();
    // None until the clerk chooses: the period opened on is then the one worth reading.
    let period = RwSignal::new(None::<Period>);
    let data = load(today);
    let opening =
        move |d: &Loaded| Opening::choose(today, d.judged.facts().iter().map(|f| f.received_on));
    let shown = Memo::new(move |_| {
        period
            .get()
            .or_else(|| {
                let d = data.get()?.ok()?;
                Some(opening(&d).period(today))
            })
            .unwrap_or_else(|| Period::month_of(today))
    });
    let choose = move |p: Period| period.set(Some(p));
    let custom = move |which: &'static str, v: String| {
        if let Some(d) = parse_date(&v) {
            let mut p = shown.get_untracked();
            if which == "from" {
                p.from = d
            } else {
                p.to = d
            }
            period.set(Some(p));
        }
    };
    let body = move |data: Rc<Loaded>| {
        let p = shown.get();
        let opened = period.get().is_none().then(|| opening(&data).note(today));
        let open = opener(data.clone());
        let judged = &data.judged;
        let m = judged.measure(p);
        let before = judged.measure(p.previous());
        let last_year = judged.measure(p.last_year());
        let month_bars = |m: &Measures, suffix: &str| -> Vec<Bar> {
            m.by_month
                .iter()
                .map(|((y, mo), n)| {
                    let month = chrono::NaiveDate::from_ymd_opt(*y, *mo, 1)
                        .map(Period::month_of)
                        .unwrap_or(p);
                    Bar {
                        label: format!("{y}年{mo}月{suffix}"),
                        value: *n,
                        drill: Some((month, Drill::All)),
                    }
                })
                .collect()
        };
        let trend: Vec<Bar> = month_bars(&m, "")
            .into_iter()
            .chain(month_bars(&last_year, "（去年同期）"))
            .collect();
        let (townships, categories, units) = breakdown_bars(&m, p);
        let mut frequent = frequent_petitioners(&data.matchers_in(p), p.from, p.to, 2);
        let overdue = m.overdue_by_unit.clone();
        let overdue_table = overdue_table(&m);
        let frequent_table = frequent_table(&frequent);
        let stem = format!("信访看板-{}-{}", p.from, p.to);
        // The monthly report of the period's last month (this month for the year so far).
        let report = Route::Report(p.to.format("%Y-%m").to_string()).href();
        let by_township = judged.scorecard(p, Accountable::Township);
        let by_unit = judged.scorecard(p, Accountable::Unit);
        let workbook = {
            let data = data.clone();
            move || workbook(&data, p, today)
        };
        view! {
            {opened.map(|note| view! { <p class="hint" data-testid="period-note">{note}</p> })}
            <div class="actions export-buttons">
                {workbook_buttons(workbook, stem.clone())}
                <a class="button secondary" href=report>"打印月报"</a>
            </div>
            {figures(&m, &before, p, &open)}
            <div class="charts">
                {bar_chart("总量趋势（与去年同期）", "trend", trend, &open)}
                {bar_chart("按乡镇", "township", townships, &open)}
                {bar_chart("按问题类别", "category", categories, &open)}
                {channel_chart(&m, p, &open)}
                {bar_chart("按责任单位", "unit", units, &open)}
            </div>
            {scorecard_view(scorecard_table(&by_township, Accountable::Township), Accountable::Township, p, &open, Some(format!("乡镇考核-{}-{}", p.from, p.to)))}
            {scorecard_view(scorecard_table(&by_unit, Accountable::Unit), Accountable::Unit, p, &open, Some(format!("单位考核-{}-{}", p.from, p.to)))}
            <section class="card" data-testid="overdue-units">
                <div class="list-head">
                    <h2>"超期案件（按责任单位）"</h2>
                    <div class="actions export-buttons">{export_buttons(overdue_table, format!("超期案件-{}-{}", p.from, p.to))}</div>
                </div>
                {if overdue.is_empty() { view! { <p class="empty">"无"</p> }.into_any() } else {
                    view! { <table class="table compact"><tbody>
                        {overdue.into_iter().map(|(u, n)| {
                            let open = open.clone();
                            let drill = Drill::Overdue(Some(u.clone()));
                            view! { <tr><td><button type="button" class="link drill" on:click=move |_| open(p, drill.clone())>{u}</button></td><td>{format!("{n} 件")}</td></tr> }
                        }).collect_view()}
                    </tbody></table> }.into_any()
                }}
            </section>
            <section class="card" data-testid="frequent">
                <div class="list-head">
                    <h2>"重复信访人（本期 2 件及以上）"</h2>
                    <div class="actions export-buttons">{export_buttons(frequent_table, format!("重复信访人-{}-{}", p.from, p.to))}</div>
                </div>
                {if frequent.is_empty() { view! { <p class="empty">"无"</p> }.into_any() } else {
                    let more = frequent.split_off(frequent.len().min(SHOWN));
                    let more_cases: Vec<String> = more.iter().flat_map(|f| f.cases.iter().cloned()).collect();
                    let more_label = format!("另有 {} 位重复信访人，共 {} 件", more.len(), more_cases.len());
                    view! { <table class="table compact"><tbody>
                        {frequent.into_iter().map(|f| {
                            let label = format!("重复信访人：{}", f.names.join("、"));
                            let cases = f.cases.clone();
                            view! { <tr><td><button type="button" class="link drill" on:click=move |_| pick(label.clone(), cases.clone())>{f.names.join("、")}</button></td><td class="mono">{f.cases.join("、")}</td></tr> }
                        }).collect_view()}
                    </tbody></table>
                    {(!more.is_empty()).then(|| { let text = more_label.clone(); view! {
                        <p class="hint" data-testid="frequent-more">{more_label} " " <button type="button" class="link drill" on:click=move |_| pick(text.clone(), more_cases.clone())>"查看案件"</button></p>
                    }})} }.into_any()
                }}
            </section>
            {screening_section(&data.screening, p, today)}
            {plans_section(&data.planned, p, today)}
            {warnings(&data, &m, &before, p, today)}
        }
        .into_any()
    };
    view! {
        <section class="card">
            <div class="list-head">
                <h1>"看板"</h1>
                <span class="hint" data-testid="period">{move || { let p = shown.get(); format!("{} 至 {}", p.from, p.to) }}</span>
            </div>
            <div class="period-buttons">
                <button type="button" class="secondary" on:click=move |_| choose(Period::month_of(today))>"本月"</button>
                <button type="button" class="secondary" on:click=move |_| choose(Period::quarter_of(today))>"本季度"</button>
                <button type="button" class="secondary" on:click=move |_| choose(Period::year_of(today))>"本年"</button>
                <label>"自 " <input type="date" name="period_from" prop:value=move || shown.get().from.to_string() on:change=move |ev| custom("from", event_target_value(&ev)) /></label>
                <label>"至 " <input type="date" name="period_to" prop:value=move || shown.get().to.to_string() on:change=move |ev| custom("to", event_target_value(&ev)) /></label>
            </div>
        </section>
        {loaded(data, "正在统计…", body)}
    }
}
