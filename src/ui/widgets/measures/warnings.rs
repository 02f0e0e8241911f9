//! The early-warning lines: similar matters clustering in a township, rising
//! categories, group petitions, unresolved high-risk screening items, petitions around
//! sensitive dates and the dates ahead.

use leptos::prelude::*;

use super::data::{pick, Loaded};
use crate::domain::measures::{Drill, Measures, Period};
use crate::domain::patterns::{clusters, rising_categories};
use crate::domain::registers::screening::figures;
use crate::domain::sensitive::{around, upcoming, SENSITIVE_WINDOW_DAYS};
use crate::ui::route::Route;

/// How many clusters, and how many repeat petitioners, a page lists one by one: a
/// county's year has thousands, which nobody reads on one page and which would take the
/// browser seconds to lay out; the rest are one line that lists their cases (and every
/// row is in the Excel export).
pub const SHOWN: usize = 10;

/// Early-warning lines over `p`: similar matters clustering in a township, rising
/// categories, group petitions, petitions around sensitive dates and the dates ahead.
pub fn warnings(
    data: &Loaded,
    m: &Measures,
    before: &Measures,
    p: Period,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let line = |text: String, cases: Vec<String>| {
        let label = text.clone();
        let line = view! {
            <p class="warn-line">
                {text}
                {(!cases.is_empty()).then(|| view! {
                    " " <button type="button" class="link drill" on:click=move |_| pick(label.clone(), cases.clone())>"查看案件"</button>
                })}
            </p>
        };
        line.into_any()
    };
    let mut lines = Vec::new();
    let mut found = clusters(data.matchers_in(p));
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
    let screening = figures(&data.screening, p, today);
    if screening.open_high > 0 {
        lines.push(
            view! {
                <p class="warn-line" data-testid="warn-screening">
                    {format!("排查台账中有 {} 件高风险矛盾纠纷尚未化解（其中逾期 {} 件）", screening.open_high, screening.high_overdue)}
                    " " <a href=Route::Screening.href()>"查看台账"</a>
                </p>
            }
            .into_any(),
        );
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
