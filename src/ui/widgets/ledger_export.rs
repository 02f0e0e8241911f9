//! 导出台账: the case list as a ledger workbook or CSV, with every recorded field: the
//! cases ticked, or else every case the list's filters and search keep.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::search::CaseFilter;
use crate::domain::workflow::Viewer;
use crate::domain::CaseId;
use crate::platform::clock;
use crate::report::ledger::ledger_table;
use crate::ui::context::ctx;
use crate::ui::late::IfAlive;
use crate::ui::route::Route;
use crate::ui::widgets::measures::tables::save_table;
use crate::ui::widgets::message::{banner, Msg};

/// The two ledger buttons of the case list and their message.
#[component]
pub fn LedgerExport(
    /// The list's filters and search.
    #[prop(into)]
    filter: Signal<CaseFilter>,
    /// The cases ticked.
    #[prop(into)]
    selected: Signal<BTreeSet<CaseId>>,
) -> impl IntoView {
    let ctx = ctx();
    let msg = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let export = move |excel: bool| {
        let (f, ticked) = (filter.get_untracked(), selected.get_untracked());
        let (store, calendar) = (ctx.store(), ctx.calendar.get_untracked());
        let unit = ctx
            .profile
            .get_untracked()
            .map(|p| (p.code, p.name))
            .unwrap_or_default();
        busy.set(true);
        msg.set(None);
        spawn_local(async move {
            let ids: Result<Vec<CaseId>, _> = if ticked.is_empty() {
                store.ids_matching(&f).await
            } else {
                Ok(ticked.into_iter().collect())
            };
            let cases = match ids {
                Ok(ids) => store.cases_of(&ids).await,
                Err(e) => Err(e),
            };
            busy.set_if_alive(false);
            let mut cases = match cases {
                Ok(c) => c,
                Err(e) => return msg.set_if_alive(Some(Msg::Failed(format!("{e}；未导出。")))),
            };
            cases.sort_by(|a, b| (a.registered_at, &a.case_no).cmp(&(b.registered_at, &b.case_no)));
            let today = clock::now().china_date();
            let me = Viewer {
                code: &unit.0,
                name: &unit.1,
            };
            let table = ledger_table(&cases, &calendar, today, me);
            let stem = format!("信访事项台账-{today}");
            let saved = save_table(&table, &stem, excel);
            msg.set_if_alive(Some(match saved {
                Ok(()) => Msg::Done(format!(
                    "已导出 {} 件案件的台账。文件含身份证号、电话等个人信息，请妥善保管，不要通过互联网传送。",
                    cases.len()
                )),
                Err(e) => Msg::Failed(format!("文件未能保存：{e}")),
            }));
        });
    };
    let what = move || {
        let n = selected.with(BTreeSet::len);
        if n > 0 {
            format!("导出所选 {n} 件的台账：")
        } else {
            "导出当前列表的台账：".to_owned()
        }
    };
    view! {
        <div class="ledger-export" data-testid="ledger-export">
            <span class="hint">{what}</span>
            <button type="button" class="secondary" data-testid="ledger-xlsx" prop:disabled=busy on:click=move |_| export(true)>"Excel"</button>
            <button type="button" class="secondary" data-testid="ledger-csv" prop:disabled=busy on:click=move |_| export(false)>"CSV"</button>
            {move || busy.get().then(|| view! { <span class="hint">"正在导出…"</span> })}
            <a class="button secondary" href=Route::LedgerImport.href() data-testid="ledger-import">"导入台账…"</a>
        </div>
        {banner(msg)}
    }
}
