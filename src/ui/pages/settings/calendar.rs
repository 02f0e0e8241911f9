//! 节假日与调休: the working-day calendar as editable text (saving recomputes open cases'
//! deadlines), a State Council notice read from pasted text into the year it is for, and
//! the warning while next year's schedule is missing.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::calendar::notice::parse_notice;
use crate::domain::calendar::{missing_schedule_note, WorkCalendar};
use crate::platform::clock;
use crate::ui::context::ctx;
use crate::ui::late::IfAlive;
use crate::ui::widgets::message::{banner, Msg};

/// The calendar editor of 设置.
#[component]
pub fn CalendarEditor() -> impl IntoView {
    let ctx = ctx();
    let today = clock::now().china_date();
    let text = RwSignal::new(ctx.calendar.with_untracked(WorkCalendar::to_text));
    let notice = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let save = move |_| match WorkCalendar::parse(&text.get_untracked()) {
        Err(e) => msg.set(Some(Msg::Failed(format!("{e}；未保存。")))),
        Ok(cal) => {
            let store = ctx.store();
            spawn_local(async move {
                match store.save_calendar(&cal).await {
                    Ok(()) => {
                        ctx.calendar.set_if_alive(cal);
                        msg.set_if_alive(Some(Msg::Done(
                            "节假日安排已保存，在办案件的期限已按新安排重新计算。".into(),
                        )));
                    }
                    Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
                }
            });
        }
    };
    // The notice fills the text; the clerk checks it and saves, as with any edit.
    let read_notice = move |_| {
        let current = match WorkCalendar::parse(&text.get_untracked()) {
            Ok(c) => c,
            Err(e) => {
                return msg.set(Some(Msg::Failed(format!(
                    "上方的安排有误：{e}；请先改正。"
                ))))
            }
        };
        match parse_notice(&notice.get_untracked()) {
            Err(e) => msg.set(Some(Msg::Failed(format!("{e}。安排未改动。")))),
            Ok(n) => {
                text.set(current.with_year(n.year, &n.schedule).to_text());
                notice.set(String::new());
                msg.set(Some(Msg::Done(format!(
                    "已识别 {} 年安排：放假 {} 天，调休上班 {} 天，已填入上方（原有的 {} 年各项已替换）。请核对后点“保存节假日安排”。",
                    n.year,
                    n.schedule.holidays.len(),
                    n.schedule.workdays.len(),
                    n.year
                ))));
            }
        }
    };
    let reset = move |_| text.set(WorkCalendar::official().to_text());
    let missing = move || ctx.calendar.with(|c| c.missing_next_year(today));
    view! {
        <section class="card" id="calendar">
            <h2>"节假日与调休"</h2>
            {move || missing().map(|y| view! { <p class="msg warn" data-testid="calendar-missing">{missing_schedule_note(y)}</p> })}
            <p class="hint">"期限按日历日计算，末日为节假日的顺延至下一个工作日；“工作日”不含周末和节假日，调休上班日计入。每行一项：“2026-10-01..2026-10-07 休”或“2026-10-10 班”。某年没有任何一项时，按《全国年节及纪念日放假办法》的法定节假日（含逢周末补假）推算，该年的期限标为“暂定”。"</p>
            {banner(msg)}
            <textarea name="calendar" rows="10" class="mono" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button type="button" class="primary" on:click=save>"保存节假日安排"</button>
                <button type="button" class="secondary" on:click=reset>"恢复随程序发布的安排"</button>
            </div>
            <h3>"粘贴国务院放假通知"</h3>
            <p class="hint">"把《国务院办公厅关于某年部分节假日安排的通知》连同标题整段复制到这里，点“识别通知”，该年的放假和调休上班日会填入上方。"</p>
            <textarea name="notice" rows="5" prop:value=move || notice.get() on:input=move |ev| notice.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button type="button" class="secondary" on:click=read_notice>"识别通知"</button>
            </div>
        </section>
    }
}
