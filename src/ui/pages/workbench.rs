//! 工作台: the open cases that need attention, bucket by bucket, soonest due first, and
//! the screening items past their deadline or of high risk.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::screening;
use crate::domain::calendar::missing_schedule_note;
use crate::domain::index::CaseIndex;
use crate::domain::registers::screening::{attention, ScreeningItem};
use crate::domain::workbench::{board, bucket, on_workbench, Bucket, BUCKET_ROWS};
use crate::domain::workflow::Viewer;
use crate::domain::CaseSummary;
use crate::platform::clock;
use crate::ui::context::ctx;
use crate::ui::pages::screening::{item_head, item_rows};
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;
use crate::ui::widgets::measures::data::pick_in;

/// The screening items needing attention, as two sections of their first rows.
fn screening_sections(items: Vec<ScreeningItem>, today: chrono::NaiveDate) -> impl IntoView {
    let (overdue, high) = attention(&items, today);
    let section = |key: &'static str, title: &'static str, mut list: Vec<&ScreeningItem>| {
        let n = list.len();
        list.truncate(BUCKET_ROWS);
        view! {
            <section class="card bucket" class:empty=n == 0 data-bucket=key>
                <h2>{title} <span class="count">{n}</span></h2>
                {(n > 0).then(|| view! { <table class="table cases">{item_head()}<tbody>{item_rows(&list, today)}</tbody></table> })}
                {(n > BUCKET_ROWS).then(|| view! {
                    <p class="more"><a href=Route::Screening.href()>{format!("只列出最急的 {BUCKET_ROWS} 项，共 {n} 项：到排查台账查看全部")}</a></p>
                })}
            </section>
        }
    };
    view! {
        {section("screening-overdue", "排查事项：逾期未化解", overdue)}
        {section("screening-high", "排查事项：高风险未化解", high)}
    }
}

fn rows(items: Vec<&CaseSummary>, today: chrono::NaiveDate, me: Viewer) -> impl IntoView {
    items
        .into_iter()
        .map(|s| {
            let href = Route::Case(s.id.clone()).href();
            view! {
                <tr>
                    <td class="mono"><a href=href.clone()>{s.case_no.clone()}</a></td>
                    <td><a href=href>{s.title.clone()}</a></td>
                    <td>{s.petitioners.clone()}</td>
                    <td>{s.stage_label(today, me)}</td>
                    <td>{s.acting.as_ref().map_or_else(|| s.handler.name.clone(), |p| p.name.clone())}</td>
                    <td class="nowrap">{s.due_text(today).unwrap_or_default()}</td>
                    <td class="nowrap">{s.supervision_due.map(|d| format!("督办 {d} 前反馈")).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view()
}

/// Runs `f` on the cases on the workbench today, lent from the rows in memory, and the
/// unit (`code`, `name`) they are judged for.
fn on_board<R>(
    index: &CaseIndex,
    unit: &(String, String),
    today: chrono::NaiveDate,
    f: impl FnOnce(&[&CaseSummary], Viewer) -> R,
) -> R {
    let open: Vec<&CaseSummary> = index
        .rows()
        .iter()
        .filter(|r| on_workbench(r, today))
        .collect();
    let me = Viewer {
        code: &unit.0,
        name: &unit.1,
    };
    f(&open, me)
}

/// The workbench page.
#[component]
pub fn WorkbenchPage() -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let unit = ctx
        .profile
        .get_untracked()
        .map(|p| (p.code, p.name))
        .unwrap_or_default();
    let unit = Arc::new(unit);
    // The board is worked out on the rows in memory, lent: only the rows shown are
    // copied out (a county has tens of thousands of open cases).
    let open = LocalResource::new({
        let unit = unit.clone();
        move || {
            let (store, unit) = (ctx.store(), unit.clone());
            async move {
                store
                    .with_index(move |index| {
                        on_board(index, &unit, today, |open, me| {
                            board(open, today, me, BUCKET_ROWS)
                                .into_iter()
                                .map(|v| {
                                    (v.bucket, v.count, v.first.into_iter().cloned().collect())
                                })
                                .collect::<Vec<(Bucket, usize, Vec<CaseSummary>)>>()
                        })
                    })
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    });
    let items = LocalResource::new(move || {
        let store = ctx.store();
        async move { screening::items(&store).await.map_err(|e| e.to_string()) }
    });
    let screening = loaded(items, "正在读取排查台账…", move |items| {
        screening_sections(items, today)
    });
    let cases = loaded(open, "正在读取…", move |board| {
        let me = Viewer {
            code: &unit.0,
            name: &unit.1,
        };
        let open_count = board
            .iter()
            .find(|(b, _, _)| *b == Bucket::Open)
            .map_or(0, |(_, n, _)| *n);
        let sections = board
            .into_iter()
            .map(|(b, n, first)| {
                let unit = unit.clone();
                // The whole bucket, in due order, as a list the clerk can search and export.
                let show_all = move |_| {
                    let (store, unit) = (ctx.store(), unit.clone());
                    spawn_local(async move {
                        let nos = store
                            .with_index(move |index| {
                                on_board(index, &unit, today, |open, me| {
                                    bucket(open, b, today, me)
                                        .into_iter()
                                        .map(|s| s.case_no.clone())
                                        .collect::<Vec<_>>()
                                })
                            })
                            .await;
                        if let Ok(nos) = nos {
                            pick_in(ctx, format!("工作台：{}", b.label()), nos);
                        }
                    });
                };
                let first: Vec<&CaseSummary> = first.iter().collect();
                view! {
                    <section class="card bucket" class:empty=n == 0 data-bucket=b.key()>
                        <h2>{b.label()} <span class="count">{n}</span></h2>
                        {(n > 0).then(|| view! {
                            <table class="table cases">
                                <thead><tr><th>"编号"</th><th>"标题"</th><th>"信访人"</th><th>"阶段"</th><th>"承办单位"</th><th>"期限"</th><th>"督办"</th></tr></thead>
                                <tbody>{rows(first, today, me)}</tbody>
                            </table>
                        })}
                        {(n > BUCKET_ROWS).then(|| view! {
                            <p class="more">
                                {format!("只列出最急的 {BUCKET_ROWS} 件。")}
                                <button type="button" class="link" data-testid="bucket-all" on:click=show_all>{format!("查看全部 {n} 件")}</button>
                            </p>
                        })}
                    </section>
                }
            })
            .collect_view();
        let missing = ctx.calendar.with_untracked(|c| c.missing_next_year(today));
        view! {
            <h1>"工作台"</h1>
            <p class="hint">{format!("今天 {today}；共 {open_count} 件在办。")}</p>
            {missing.map(|y| view! {
                <p class="msg warn" data-testid="calendar-missing">{missing_schedule_note(y)} " " <a href=Route::Settings.href()>"去设置录入"</a></p>
            })}
            {sections}
        }
        .into_any()
    });
    view! { {cases} {screening} }
}
