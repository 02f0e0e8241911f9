//! 导入台账: an office's existing Excel or CSV ledger brought in. The file is read and
//! previewed before anything is stored: each column's field (the clerk may correct it),
//! how many rows become cases, which were imported before, and each refused row with
//! its reason, downloadable as a file to fix and import again.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::env::Browser;
use crate::app::ledger::{self, Header, Imported, Preview};
use crate::domain::ledger::file::MAX_FILE_BYTES;
use crate::domain::ledger::{assign, LedgerField};
use crate::platform::{clock, files};
use crate::report::ledger::refused_table;
use crate::ui::context::ctx;
use crate::ui::late::IfAlive;
use crate::ui::widgets::measures::tables::save_table;
use crate::ui::widgets::message::{banner, Msg};
use crate::ui::widgets::progress::Progress;

/// Refused rows listed on the page (all of them go into the download).
const REFUSED_SHOWN: usize = 50;
/// New cases shown as a sample.
const SAMPLE_ROWS: usize = 10;

/// A chosen file, read into rows.
#[derive(Clone)]
struct Chosen {
    name: String,
    rows: Rc<Vec<Vec<String>>>,
}

/// The ledger import page.
#[component]
pub fn LedgerImportPage() -> impl IntoView {
    let ctx = ctx();
    let chosen = RwSignal::new_local(None::<Chosen>);
    let preview = RwSignal::new_local(None::<Rc<Preview>>);
    let header = RwSignal::new(None::<Header>);
    // The mapping opens by itself only when the ledger cannot be read as mapped; else
    // it stays as the clerk left it while the preview follows each change.
    let unreadable = RwSignal::new(false);
    let msg = RwSignal::new(None::<Msg>);
    // How the last import ended, shown beside its button.
    let result = RwSignal::new(None::<Msg>);
    let progress = Progress::new("件");

    // Reads the chosen rows again with the mapping in force.
    let refresh = move || {
        let (Some(c), Some(profile)) = (chosen.get_untracked(), ctx.profile.get_untracked()) else {
            return;
        };
        let mapping = header.with_untracked(|h| h.as_ref().map(|h| h.mapping.clone()));
        let store = ctx.store();
        spawn_local(async move {
            let today = clock::now().china_date();
            match ledger::preview(&store, &profile, &c.rows, mapping, today).await {
                Ok(p) => {
                    msg.set_if_alive(None);
                    preview.set_if_alive(Some(Rc::new(p)));
                }
                Err(e) => {
                    unreadable.set_if_alive(true);
                    preview.set_if_alive(None);
                    msg.set_if_alive(Some(Msg::Failed(format!("未导入：{e}"))));
                }
            }
        });
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        msg.set(None);
        result.set(None);
        preview.set(None);
        chosen.set(None);
        header.set(None);
        unreadable.set(false);
        spawn_local(async move {
            let read = files::read_chosen_file(&input, MAX_FILE_BYTES, 0, |_| Ok(())).await;
            input.set_value("");
            let (name, bytes) = match read {
                Ok(Some(f)) => f,
                Ok(None) => return,
                Err(e) => return msg.set_if_alive(Some(Msg::Failed(e))),
            };
            msg.set_if_alive(Some(Msg::Done("正在读取台账…".into())));
            clock::yield_now().await;
            match ledger::rows_of(&bytes) {
                Ok(rows) => {
                    msg.set_if_alive(None);
                    header.set_if_alive(ledger::header_of(&rows));
                    chosen.set_if_alive(Some(Chosen {
                        name,
                        rows: Rc::new(rows),
                    }));
                    refresh();
                }
                Err(e) => msg.set_if_alive(Some(Msg::Failed(format!("未导入：{e}")))),
            }
        });
    };

    let start = move |_| {
        let (Some(c), Some(p), Some(profile)) = (
            chosen.get_untracked(),
            preview.get_untracked(),
            ctx.profile.get_untracked(),
        ) else {
            return;
        };
        let n = p.fresh().count();
        if n == 0 || !progress.start(n) {
            return;
        }
        result.set(None);
        let (store, calendar) = (ctx.store(), ctx.calendar.get_untracked());
        spawn_local(async move {
            let done = ledger::import(
                &store, &calendar, &profile, &c.name, &p, &Browser, &progress,
            )
            .await;
            progress.stop();
            result.set_if_alive(Some(match done {
                Ok(Imported { added, cancelled: false }) => Msg::Done(format!(
                    "已导入 {added} 件案件，每件都记有“台账导入”和原编号。可到案件列表查看。"
                )),
                Ok(Imported { added, cancelled: true }) => Msg::Done(format!(
                    "已取消：已导入 {added} 件，其余未导入。再次导入同一文件会接着导入其余的行，已导入的不会重复。"
                )),
                Err(e) => Msg::Failed(format!("导入中断：{e}。已导入的案件保留，再次导入同一文件不会重复。")),
            }));
            refresh();
        });
    };

    let download_refused = move |excel: bool| {
        let (Some(c), Some(p)) = (chosen.get_untracked(), preview.get_untracked()) else {
            return;
        };
        let table = refused_table(&p.reading);
        let stem = c.name.rsplit_once('.').map_or(c.name.as_str(), |(s, _)| s);
        let saved = save_table(&table, &format!("{stem}-未导入的行"), excel);
        if let Err(e) = saved {
            msg.set(Some(Msg::Failed(format!("文件未能保存：{e}"))));
        }
    };

    let mapping_view = move |h: Header| {
        let columns = h.cells.iter().zip(h.mapping.iter()).enumerate().map(|(i, (cell, f))| {
            let current = f.map(LedgerField::key).unwrap_or("");
            let change = move |ev: leptos::ev::Event| {
                let picked = LedgerField::from_key(&event_target_value(&ev));
                header.update(|h| {
                    if let Some(h) = h {
                        assign(&mut h.mapping, i, picked);
                    }
                });
                refresh();
            };
            view! {
                <tr>
                    <td>{cell.clone()}</td>
                    <td>
                        <select data-testid=format!("map-{i}") on:change=change
                            prop:value=move || header.with(|h| {
                                h.as_ref().and_then(|h| h.mapping.get(i).copied().flatten()).map_or("", LedgerField::key)
                            })>
                            <option value="" selected=current.is_empty()>"（不导入）"</option>
                            {LedgerField::ALL.iter().map(|f| view! {
                                <option value=f.key() selected=f.key() == current>{f.label()}</option>
                            }).collect_view()}
                        </select>
                    </td>
                </tr>
            }
        }).collect_view();
        view! {
            <details class="mapping" data-testid="ledger-mapping" open=unreadable>
                <summary>{format!("列与字段的对应（表头在第 {} 行，可修改）", h.line)}</summary>
                <table class="table compact">
                    <thead><tr><th>"台账中的列"</th><th>"导入为"</th></tr></thead>
                    <tbody>{columns}</tbody>
                </table>
            </details>
        }
    };

    let summary_view = move |p: Rc<Preview>| {
        let r = &p.reading;
        let fresh = p.fresh().count();
        let settled = p.settled();
        let sample = p.fresh().take(SAMPLE_ROWS).map(|row| {
            let who = row.petition.petitioners.iter().map(|x| x.name.as_str()).collect::<Vec<_>>().join("、");
            view! {
                <tr>
                    <td>{row.line}</td>
                    <td class="mono">{row.original_no.clone()}</td>
                    <td>{row.petition.received_on.map(|d| d.to_string()).unwrap_or_default()}</td>
                    <td>{who}</td>
                    <td>{row.petition.title.clone()}</td>
                    <td>{row.petition.township.clone()}</td>
                </tr>
            }
        }).collect_view();
        let refused = r
            .refused
            .iter()
            .take(REFUSED_SHOWN)
            .map(|x| {
                view! {
                    <tr><td>{x.line}</td><td>{x.reason.clone()}</td></tr>
                }
            })
            .collect_view();
        let refused_count = r.refused.len();
        view! {
            <div class="card" data-testid="ledger-preview">
                <p data-testid="ledger-summary">
                    {format!("将新建 {fresh} 件案件")}
                    {(settled > 0).then(|| format!("（其中 {settled} 件原台账记载已办结，导入后不进入待办）"))}
                    {format!("；{} 行未通过检查，不导入", refused_count)}
                    {(!p.held.is_empty()).then(|| format!("；{} 行以前已导入，不再重复", p.held.len()))}
                    {(r.skipped > 0).then(|| format!("；跳过 {} 行空白、合计或重复的表头", r.skipped))}
                    "。"
                </p>
                <div class="actions">
                    <button type="button" class="primary" data-testid="ledger-import-go"
                        prop:disabled=move || fresh == 0 || progress.running() on:click=start>
                        {format!("导入 {fresh} 件")}
                    </button>
                </div>
                {progress.view()}
                {banner(result)}
                {(fresh > 0).then(|| view! {
                    <h3>{format!("将新建的案件（前 {} 件）", fresh.min(SAMPLE_ROWS))}</h3>
                    <table class="table compact" data-testid="ledger-sample">
                        <thead><tr><th>"行"</th><th>"原编号"</th><th>"收件日期"</th><th>"信访人"</th><th>"信访事项"</th><th>"乡镇"</th></tr></thead>
                        <tbody>{sample}</tbody>
                    </table>
                })}
                {(refused_count > 0).then(|| view! {
                    <h3>{format!("未通过检查的行（{refused_count} 行）")}</h3>
                    <p class="hint">"下载这些行（原表头加“未导入原因”一列），在 Excel 中改正后再导入这个文件即可；已导入的行不会重复。"</p>
                    <div class="actions">
                        <button type="button" class="secondary" data-testid="refused-xlsx" on:click=move |_| download_refused(true)>"下载未导入的行（Excel）"</button>
                        <button type="button" class="secondary" data-testid="refused-csv" on:click=move |_| download_refused(false)>"下载未导入的行（CSV）"</button>
                    </div>
                    <table class="table compact" data-testid="ledger-refused">
                        <thead><tr><th>"行"</th><th>"原因"</th></tr></thead>
                        <tbody>{refused}</tbody>
                    </table>
                    {(refused_count > REFUSED_SHOWN).then(|| view! {
                        <p class="hint">{format!("仅列出前 {REFUSED_SHOWN} 行，下载的文件含全部 {refused_count} 行。")}</p>
                    })}
                })}
            </div>
        }
    };

    view! {
        <section class="page ledger-import">
            <h1>"导入台账"</h1>
            <p class="hint">"把本单位原有的 Excel 台账（.xlsx）或 CSV 文件导入为案件。导入前先预览：每一列导入为哪个字段、将新建多少件、哪些行因何不能导入。导入的案件记有“台账导入”、原编号和来源文件；同一台账再次导入不会重复。旧版 .xls 文件请先在 Excel 中另存为 .xlsx。"</p>
            <label class="file">
                "选择台账文件 "
                <input type="file" accept=".xlsx,.csv,.txt" data-testid="ledger-file" on:change=on_file />
            </label>
            {banner(msg)}
            {move || chosen.get().map(|c| view! { <p class="hint">{format!("文件：{}，共 {} 行", c.name, c.rows.len())}</p> })}
            // Drawn once per file: a change of mapping updates the preview, not this table.
            {move || chosen.with(Option::is_some).then(|| header.get_untracked().map(mapping_view))}
            {move || preview.get().map(summary_view)}
        </section>
    }
}
