//! 看板 (底数清、情况明): the measures of a period beside the previous one, bar charts
//! drawn as SVG (numbers on hover and focus, readable in grey-scale print), scorecards
//! per township and unit, and a click (or Enter) on any figure, bar or row opening the
//! cases behind it; repeat petitioners and early warnings below.

use std::rc::Rc;

use leptos::prelude::*;

use super::app::ctx;
use super::platform;
use super::route::Route;
use crate::domain::measures::{Accountable, Drill, Judged, Measures, Period, Ratio};
use crate::domain::patterns::{clusters, frequent_petitioners, rising_categories, MatchRow};
use crate::domain::search::Picked;
use crate::domain::sensitive::{around, upcoming, SensitiveDate, SENSITIVE_WINDOW_DAYS};
use crate::domain::time::parse_date;
use crate::domain::vocab::Channel;
use crate::domain::CaseFilter;
use crate::report::dashboard::{self, scorecard_table};
use crate::report::{to_csv, to_xlsx, Cell, Table};

/// What the dashboard and the monthly report read.
pub(super) struct Loaded {
    /// Every case's facts, judged once as of today.
    pub judged: Judged,
    /// Every case's matching keys (repeat petitioners, clusters).
    pub rows: Vec<MatchRow>,
    /// The unit's sensitive dates.
    pub sensitive: Vec<SensitiveDate>,
}

/// Reads what the dashboard needs from the store, and judges every case as of `today`.
pub(super) fn load(today: chrono::NaiveDate) -> LocalResource<Result<Rc<Loaded>, String>> {
    let ctx = ctx();
    LocalResource::new(move || {
        let store = ctx.store();
        async move {
            let (facts, rows) = store
                .with_index(|index| (index.facts(), index.matchers()))
                .await
                .map_err(|e| e.to_string())?;
            let sensitive = store.sensitive_dates().await.map_err(|e| e.to_string())?;
            Ok(Rc::new(Loaded {
                judged: Judged::new(facts, today),
                rows,
                sensitive,
            }))
        }
    })
}

/// How many clusters, and how many repeat petitioners, a page lists one by one: a
/// county's year has thousands, which nobody reads on one page and which would take the
/// browser seconds to lay out; the rest are one line that lists their cases (and every
/// row is in the Excel export).
const SHOWN: usize = 10;

/// Opens the case list on the cases behind a figure.
pub(super) type Opener = Rc<dyn Fn(Period, Drill)>;

/// Lists the given cases under a label.
pub(super) fn pick(label: String, case_nos: impl IntoIterator<Item = String>) {
    ctx().list_preset.set(Some(CaseFilter {
        picked: Some(Picked {
            label,
            case_nos: case_nos.into_iter().collect(),
        }),
        ..CaseFilter::default()
    }));
    Route::Cases.go();
}

/// The opener over the loaded facts, judged as of `today`.
pub(super) fn opener(data: Rc<Loaded>) -> Opener {
    Rc::new(move |p: Period, d: Drill| {
        pick(
            format!("{}（{} 至 {}）", d.label(), p.from, p.to),
            data.judged.cases_behind(p, &d),
        );
    })
}

/// Runs `f` on a click, or on Enter or Space when the element has focus.
fn activate(
    f: impl Fn() + Clone + 'static,
) -> (
    impl FnMut(leptos::ev::MouseEvent) + 'static,
    impl FnMut(leptos::ev::KeyboardEvent) + 'static,
) {
    let g = f.clone();
    (
        move |_| f(),
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" || ev.key() == " " {
                ev.prevent_default();
                g();
            }
        },
    )
}

/// One bar: its label, value, and the cases behind it (if they can be listed).
pub(super) struct Bar {
    /// Label.
    pub label: String,
    /// Value.
    pub value: usize,
    /// The period and drill behind it.
    pub drill: Option<(Period, Drill)>,
}

/// Keeps the `n` largest bars and sums the rest into one (for a one-page report).
pub(super) fn top(mut bars: Vec<Bar>, n: usize) -> Vec<Bar> {
    if bars.len() <= n {
        return bars;
    }
    bars.sort_by_key(|b| std::cmp::Reverse(b.value));
    let rest: Vec<Bar> = bars.split_off(n - 1);
    bars.push(Bar {
        label: format!("其余 {} 项", rest.len()),
        value: rest.iter().map(|b| b.value).sum(),
        drill: None,
    });
    bars
}

/// A horizontal bar chart; bars with cases behind them open the list.
pub(super) fn bar_chart(
    title: &'static str,
    key: &'static str,
    bars: Vec<Bar>,
    open: &Opener,
) -> impl IntoView {
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
            let clickable = b.drill.is_some();
            let open = open.clone();
            let drill = b.drill.clone();
            let (click, key) = activate(move || {
                if let Some((p, d)) = drill.clone() {
                    open(p, d)
                }
            });
            let aria = label.clone();
            view! {
                <g class="bar" class:link=clickable tabindex="0" role=if clickable { "link" } else { "img" } aria-label=aria on:click=click on:keydown=key data-label=b.label.clone()>
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
            <svg viewBox=format!("0 0 540 {height}") width="100%" role="group" aria-label=title>{rows}</svg>
        </figure>
    }
}

/// Channels as stacked bars: other petitions and group petitions (集体访) side by side in
/// each bar, a light and a dark fill so the split survives grey-scale print.
pub(super) fn channel_chart(m: &Measures, p: Period, open: &Opener) -> impl IntoView {
    let max = m.by_channel.values().copied().max().unwrap_or(0).max(1);
    let row_h = 26;
    let height = row_h * m.by_channel.len().max(1) + 30;
    let rows = m
        .by_channel
        .iter()
        .enumerate()
        .map(|(i, (c, total))| {
            let y = i * row_h + 2;
            let group = m.group_by_channel.get(c).copied().unwrap_or(0);
            let single = total - group;
            let w_single = single * 300 / max;
            let w_total = (total * 300).div_ceil(max);
            let segment = |value: usize, is_group: bool, x: usize, w: usize, c: Channel| {
                let label = format!(
                    "{}{}：{value} 件",
                    c.label(),
                    if is_group { "（集体访）" } else { "（非集体访）" }
                );
                let open = open.clone();
                let (click, key) = activate(move || open(p, Drill::Channel(c, Some(is_group))));
                let (aria, data) = (label.clone(), label.clone());
                (value > 0).then(|| {
                    view! {
                        <g class="bar link" class:group=is_group tabindex="0" role="link" aria-label=aria on:click=click on:keydown=key data-label=data>
                            <title>{label}</title>
                            <rect x=120 + x y=y + 4 width=w.max(1) height=row_h - 8></rect>
                        </g>
                    }
                })
            };
            view! {
                <text x="0" y=y + 17 class="bar-label">{c.label()}</text>
                {segment(single, false, 0, w_single, *c)}
                {segment(group, true, w_single, w_total - w_single, *c)}
                <text x=125 + w_total y=y + 17 class="bar-value">{format!("{total}（集体 {group}）")}</text>
            }
        })
        .collect_view();
    let legend_y = height - 10;
    view! {
        <figure class="card chart" data-chart="channel">
            <figcaption>"按渠道（含集体访）"</figcaption>
            <svg viewBox=format!("0 0 540 {height}") width="100%" role="group" aria-label="按渠道（含集体访）">
                {rows}
                <g class="legend" aria-hidden="true">
                    <rect x="120" y=legend_y - 9 width="12" height="10"></rect>
                    <text x="136" y=legend_y>"非集体访"</text>
                    <g class="group"><rect x="210" y=legend_y - 9 width="12" height="10"></rect></g>
                    <text x="226" y=legend_y>"集体访"</text>
                </g>
            </svg>
        </figure>
    }
}

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

/// Excel and CSV buttons for one table.
pub(super) fn export_buttons(table: Table, stem: String) -> impl IntoView {
    let csv_table = table.clone();
    let stem2 = stem.clone();
    let xlsx = move |_| {
        let _ = platform::download_bytes(
            &format!("{stem}.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &to_xlsx(&table),
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
        <button type="button" class="secondary" on:click=xlsx>"导出 Excel"</button>
        <button type="button" class="secondary" on:click=csv>"导出 CSV"</button>
    }
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => n.to_string(),
    }
}

/// A scorecard table; the name in each row opens that township's or unit's cases.
pub(super) fn scorecard_view(
    t: Table,
    by: Accountable,
    p: Period,
    open: &Opener,
    stem: Option<String>,
) -> impl IntoView {
    let key = match by {
        Accountable::Township => "scorecard-township",
        Accountable::Unit => "scorecard-unit",
    };
    let body = t
        .rows
        .iter()
        .map(|row| {
            let name = row.first().map(cell_text).unwrap_or_default();
            let drill = match by {
                Accountable::Township => Drill::Township(name.clone()),
                Accountable::Unit => Drill::Unit(name.clone()),
            };
            let open = open.clone();
            view! {
                <tr>
                    <th scope="row"><button type="button" class="link drill" on:click=move |_| open(p, drill.clone())>{name.clone()}</button></th>
                    {row.iter().skip(1).map(|c| view! { <td>{cell_text(c)}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let header = t.header.clone();
    let title = t.name.clone();
    view! {
        <section class="card scorecard" data-testid=key>
            <div class="list-head">
                <h2>{title}</h2>
                {stem.map(|s| view! { <div class="actions export-buttons">{export_buttons(t.clone(), s)}</div> })}
            </div>
            {if t.rows.is_empty() { view! { <p class="empty">"无"</p> }.into_any() } else {
                view! {
                    <table class="table compact">
                        <thead><tr>{header.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// Bars of volume by township, category and responsible unit over `p`.
pub(super) fn breakdown_bars(m: &Measures, p: Period) -> (Vec<Bar>, Vec<Bar>, Vec<Bar>) {
    let townships = m
        .by_township
        .iter()
        .map(|(t, n)| Bar {
            label: t.clone(),
            value: *n,
            drill: Some((p, Drill::Township(t.clone()))),
        })
        .collect();
    let categories = m
        .by_category
        .iter()
        .map(|(c, n)| Bar {
            label: c.label().to_owned(),
            value: *n,
            drill: Some((p, Drill::Category(*c))),
        })
        .collect();
    let units = m
        .by_unit
        .iter()
        .map(|(u, n)| Bar {
            label: u.clone(),
            value: *n,
            drill: Some((p, Drill::Unit(u.clone()))),
        })
        .collect();
    (townships, categories, units)
}

/// Early-warning lines over `p`: similar matters clustering in a township, rising
/// categories, group petitions, petitions around sensitive dates and the dates ahead.
pub(super) fn warnings(
    data: &Loaded,
    m: &Measures,
    before: &Measures,
    p: Period,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let line = |text: String, cases: Vec<String>| {
        let label = text.clone();
        view! {
            <p class="warn-line">
                {text}
                {(!cases.is_empty()).then(|| view! {
                    " " <button type="button" class="link drill" on:click=move |_| pick(label.clone(), cases.clone())>"查看案件"</button>
                })}
            </p>
        }
    };
    let mut lines = Vec::new();
    let mut found = clusters(data.rows.iter().filter(|r| p.contains(r.received_on)));
    let rest = found.split_off(found.len().min(SHOWN));
    for c in found {
        lines.push(line(
            format!(
                "{} 在 {} 至 {} 有 {} 件相近事项：{}",
                c.township,
                c.from,
                c.to,
                c.cases.len(),
                c.cases.join("、")
            ),
            c.cases,
        ));
    }
    if !rest.is_empty() {
        let cases: Vec<String> = rest.iter().flat_map(|c| c.cases.iter().cloned()).collect();
        lines.push(line(
            format!("另有 {} 组相近事项，共 {} 件", rest.len(), cases.len()),
            cases,
        ));
    }
    for (c, n, b) in rising_categories(&m.by_category, &before.by_category) {
        let cases = data.judged.cases_behind(p, &Drill::Category(c));
        lines.push(line(
            format!("{} 类上升：本期 {n} 件，上期 {b} 件", c.label()),
            cases,
        ));
    }
    if m.group.num > 0 {
        lines.push(line(
            format!("本期集体访 {} 件，共 {} 人", m.group.num, m.group_heads),
            data.judged.cases_behind(p, &Drill::Group),
        ));
    }
    for h in around(&data.sensitive, data.judged.facts(), p) {
        lines.push(line(
            format!(
                "敏感日期“{}”（{}）前后 {SENSITIVE_WINDOW_DAYS} 天收件 {} 件：{}",
                h.label,
                h.date,
                h.cases.len(),
                h.cases.join("、")
            ),
            h.cases,
        ));
    }
    for (d, label) in upcoming(&data.sensitive, today) {
        lines.push(line(
            format!("即将到来的敏感日期：{d} {label}，请提前排查化解"),
            vec![],
        ));
    }
    view! {
        <section class="card" data-testid="warnings">
            <h2>"预警"</h2>
            {if lines.is_empty() { view! { <p class="empty">"无"</p> }.into_any() } else { lines.collect_view().into_any() }}
        </section>
    }
}

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let today = platform::now().china_date();
    let period = RwSignal::new(Period::month_of(today));
    let data = load(today);
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
        let data = match loaded {
            Ok(x) => x,
            Err(e) => return view! { <p class="msg bad" role="alert">{e}</p> }.into_any(),
        };
        let p = period.get();
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
        let mut frequent = frequent_petitioners(&data.rows, p.from, p.to, 2);
        let overdue = m.overdue_by_unit.clone();
        let overdue_table = Table {
            name: "超期案件".into(),
            header: vec!["责任单位".into(), "超期件数".into()],
            rows: overdue
                .iter()
                .map(|(u, n)| vec![Cell::from(u.as_str()), Cell::from(*n)])
                .collect(),
        };
        let frequent_table = Table {
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
        };
        let export_table = dashboard::table(
            &[
                (format!("本期 {} 至 {}", p.from, p.to), &m),
                ("上期".into(), &before),
            ],
            true,
        );
        let stem = format!("信访看板-{}-{}", p.from, p.to);
        let report = Route::Report(p.from.format("%Y-%m").to_string()).href();
        let by_township = judged.scorecard(p, Accountable::Township);
        let by_unit = judged.scorecard(p, Accountable::Unit);
        view! {
            <div class="actions export-buttons">
                {export_buttons(export_table, stem.clone())}
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
            {warnings(&data, &m, &before, p, today)}
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
