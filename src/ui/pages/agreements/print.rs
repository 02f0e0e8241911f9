//! The agreement as the signed document, with the unit's 考核表 on the next page, and
//! the year's 考核表 of every unit, laid out for A4.

use std::rc::Rc;

use leptos::prelude::*;

use crate::app::error::AppError;
use crate::domain::ids::EntryId;
use crate::domain::registers::agreements::{AgreementRecord, PartyKind};
use crate::platform::page;
use crate::ui::route::Route;
use crate::ui::widgets::loading::loaded;

use super::{board, scorecard_view, Board};

fn actions(back: String) -> impl IntoView {
    view! {
        <div class="doc-actions">
            <a class="button secondary" href=back>"返回"</a>
            <button type="button" class="primary" on:click=|_| page::print()>"打印"</button>
        </div>
    }
}

fn agreement_doc(r: &AgreementRecord) -> impl IntoView {
    let duty = match r.kind {
        PartyKind::Township => "按照“属地管理、分级负责”的原则，乙方对本辖区内的信访事项负总责",
        PartyKind::Department => {
            "按照“谁主管、谁负责”的原则，乙方对本系统、本部门职责范围内的信访事项负责"
        }
    };
    let targets = r
        .targets
        .iter()
        .enumerate()
        .map(|(n, t)| view! { <p class="doc-para">{format!("（{}）{}。", n + 1, t.text())}</p> })
        .collect_view();
    view! {
        <article class="document" data-testid="document">
            <h2 class="doc-title">{format!("{} 年度信访工作责任状", r.year)}</h2>
            <p class="doc-para">{format!("为落实信访工作责任制，把矛盾纠纷化解在基层、解决在萌芽状态，县人民政府（甲方）与{}（乙方）签订本责任状。", r.party)}</p>
            <h3>"一、工作责任"</h3>
            <p class="doc-para">{format!("{duty}；主要负责人为第一责任人，做到底数清、情况明，及时受理、按期办结，依法分类处理信访诉求。")}</p>
            <h3>"二、考核指标"</h3>
            <p class="doc-para">{format!("{} 年 1 月 1 日至 12 月 31 日，按本年度登记的信访事项计算：", r.year)}</p>
            {targets}
            <h3>"三、考核办法"</h3>
            <p class="doc-para">"各项指标按信访工作统计口径（与信访工作看板同一指标）计算，年终逐项考核，结果纳入年度综合考核。"</p>
            <div class="doc-signatures">
                <p>{format!("甲方：县人民政府　签订人：{}", r.county_signatory)}</p>
                <p>{format!("乙方：{}　签订人：{}", r.party, r.party_signatory)}</p>
            </div>
            <p class="doc-date">{r.signed_on.format("%Y 年 %m 月 %d 日").to_string()}</p>
        </article>
    }
}

/// One agreement for printing, its 考核表 on the next page.
#[component]
pub fn AgreementPrintPage(
    /// The agreement.
    id: EntryId,
) -> impl IntoView {
    let back = Route::Agreement(id.clone()).href();
    loaded(board(), "正在读取…", move |board: Rc<Board>| {
        let Some(a) = board.agreements.iter().find(|a| a.id == id) else {
            return view! { <section class="card"><p class="msg bad">{AppError::UnknownAgreement.to_string()}</p></section> }.into_any();
        };
        let card = board.score(a);
        view! {
            {actions(back.clone())}
            {agreement_doc(&a.record)}
            <article class="document page-break">
                <h2 class="doc-title">{format!("{} 年度信访工作考核表", a.record.year)}</h2>
                <p class="doc-ref">{format!("责任单位：{}（{}）", a.record.party, a.record.kind.label())}</p>
                {scorecard_view(&card, &[], false)}
            </article>
        }
        .into_any()
    })
}

/// Every agreement's 考核表 of `year`, for printing.
#[component]
pub fn ScoresheetPage(
    /// The year.
    year: i32,
) -> impl IntoView {
    loaded(
        board(),
        "正在计算考核结果…",
        move |board: Rc<Board>| {
            let cards = board.year(year);
            let units = cards
            .iter()
            .map(|(a, c)| view! {
                <h3>{format!("{}（{}）：达标 {} 项，未达标 {} 项", a.record.party, a.record.kind.label(), c.met(), c.missed())}</h3>
                {scorecard_view(c, &[], false)}
            })
            .collect_view();
            view! {
                {actions(Route::Agreements.href())}
                <article class="document" data-testid="document">
                    <h2 class="doc-title">{format!("{year} 年度信访工作责任状考核表")}</h2>
                    {units}
                    <p class="doc-date">{format!("制表日期：{}", board.today.format("%Y 年 %m 月 %d 日"))}</p>
                </article>
            }
        },
    )
}
