//! Tables of figures: scorecards per township and unit, and their Excel and CSV exports.

use std::rc::Rc;

use leptos::prelude::*;

use super::data::Opener;
use crate::domain::measures::{Accountable, Drill, Period};
use crate::platform::files;
use crate::report::{to_csv, to_workbook, to_xlsx, Cell, Table};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Saves one table as `<stem>.xlsx` (when `excel`) or `<stem>.csv`.
pub fn save_table(table: &Table, stem: &str, excel: bool) -> Result<(), String> {
    if excel {
        files::download_bytes(&format!("{stem}.xlsx"), XLSX, &to_xlsx(table))
    } else {
        files::download_bytes(&format!("{stem}.csv"), "text/csv", to_csv(table).as_bytes())
    }
}

/// Excel and CSV buttons for one table.
pub fn export_buttons(table: Table, stem: String) -> impl IntoView {
    // Shared by both buttons: a county's year of rows is not copied for the second.
    let (table, stem) = (Rc::new(table), Rc::new(stem));
    let (csv_table, stem2) = (table.clone(), stem.clone());
    let xlsx = move |_| {
        let _ = save_table(&table, &stem, true);
    };
    let csv = move |_| {
        let _ = save_table(&csv_table, &stem2, false);
    };
    view! {
        <button type="button" class="secondary" on:click=xlsx>"导出 Excel"</button>
        <button type="button" class="secondary" on:click=csv>"导出 CSV"</button>
    }
}

/// One workbook of `N` tables, a sheet each, and the first table as CSV (which holds
/// one). The tables are made by `tables` when a button is pressed, not each time the
/// page is drawn.
pub fn workbook_buttons<const N: usize>(
    tables: impl Fn() -> [Table; N] + 'static,
    stem: String,
) -> impl IntoView {
    let tables = Rc::new(tables);
    let (first, stem2) = (tables.clone(), stem.clone());
    let xlsx = move |_| {
        let _ = files::download_bytes(&format!("{stem}.xlsx"), XLSX, &to_workbook(&tables()));
    };
    let csv = move |_| {
        if let Some(t) = first().first() {
            let _ =
                files::download_bytes(&format!("{stem2}.csv"), "text/csv", to_csv(t).as_bytes());
        }
    };
    let sheets = N;
    view! {
        <button type="button" class="secondary" data-testid="workbook" on:click=xlsx title=format!("一个文件，{sheets} 张工作表")>{format!("导出 Excel（{sheets} 张工作表）")}</button>
        <button type="button" class="secondary" on:click=csv>"导出 CSV（指标）"</button>
    }
}

/// A scorecard table; the name in each row opens that township's or unit's cases.
pub fn scorecard_view(
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
            let name = row.first().map(Cell::text).unwrap_or_default();
            let drill = match by {
                Accountable::Township => Drill::Township(name.clone()),
                Accountable::Unit => Drill::Unit(name.clone()),
            };
            let open = open.clone();
            view! {
                <tr>
                    <th scope="row"><button type="button" class="link drill" on:click=move |_| open(p, drill.clone())>{name.clone()}</button></th>
                    {row.iter().skip(1).map(|c| view! { <td>{c.text()}</td> }).collect_view()}
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
