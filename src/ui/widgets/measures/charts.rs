//! Bar charts drawn as SVG: numbers on hover and focus, readable in grey-scale print,
//! and each bar with cases behind it a link.

use leptos::prelude::*;

use super::data::Opener;
use crate::domain::measures::{Drill, Measures, Period};
use crate::domain::vocab::Channel;

/// Runs `f` on a click, or on Enter or Space when the element has focus.
pub fn activate(
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
pub struct Bar {
    /// Label.
    pub label: String,
    /// Value.
    pub value: usize,
    /// The period and drill behind it.
    pub drill: Option<(Period, Drill)>,
}

/// Keeps the `n` largest bars and sums the rest into one (for a one-page report).
pub fn top(mut bars: Vec<Bar>, n: usize) -> Vec<Bar> {
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
pub fn bar_chart(
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
pub fn channel_chart(m: &Measures, p: Period, open: &Opener) -> impl IntoView {
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

/// Bars of volume by township, category and responsible unit over `p`.
pub fn breakdown_bars(m: &Measures, p: Period) -> (Vec<Bar>, Vec<Bar>, Vec<Bar>) {
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
