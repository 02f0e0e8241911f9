//! Tables of figures: scorecards per township and unit, and their Excel and CSV exports.

use leptos::prelude::*;

use super::data::Opener;
use crate::domain::measures::{Accountable, Drill, Period};
use crate::platform::files;
use crate::report::{to_csv, to_xlsx, Cell, Table};

/// Excel and CSV buttons for one table.
pub fn export_buttons(table: Table, stem: String) -> impl IntoView {
    let csv_table = table.clone();
    let stem2 = stem.clone();
    let xlsx = move |_| {
        let _ = files::download_bytes(
            &format!("{stem}.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &to_xlsx(&table),
        );
    };
    let csv = move |_| {
        let _ = files::download_bytes(
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
