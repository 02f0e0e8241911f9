//! The demo mode's data: generated cases written in batches with a progress bar; a
//! cancel (or a failure) removes what was written, so no half data set is left.

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::demo::{self, Generated};
use crate::platform::clock;
use crate::ui::context::ctx;
use crate::ui::widgets::message::{banner, Msg};
use crate::ui::widgets::progress::Progress;

/// Generates demo cases (demo mode only).
#[component]
pub fn DemoSection() -> impl IntoView {
    let ctx = ctx();
    let count = RwSignal::new(10_000usize);
    let progress = Progress::new("件");
    let msg = RwSignal::new(None::<Msg>);
    let generate = move |_| {
        let Some(unit) = ctx.profile.get_untracked() else {
            return;
        };
        let n = count.get_untracked();
        if !progress.start(n) {
            return;
        }
        msg.set(None);
        let store = ctx.store();
        let calendar = ctx.calendar.get_untracked();
        let started = clock::now();
        spawn_local(async move {
            let today = started.china_date();
            let outcome = match demo::generate(&store, &calendar, unit, n, today, &progress).await {
                Ok(Generated::Done) => Msg::Done(format!(
                    "已生成 {n} 件演示案件，用时 {:.1} 秒。",
                    (clock::now().0 - started.0) as f64 / 1000.0
                )),
                Ok(Generated::Cancelled) => {
                    Msg::Done("已取消，已写入的演示案件已全部清除。".into())
                }
                Err(e) => Msg::Failed(format!("生成失败，已清除写入的演示案件：{e}")),
            };
            msg.set_if_alive(Some(outcome));
            progress.stop();
        });
    };
    view! {
        <section class="card" id="demo">
            <h2>"演示数据"</h2>
            <p class="hint">"按固定种子生成一个县三年的模拟案件（姓名、身份证号、电话均为虚构），用于培训和试用。生成前会清除本演示库中已有的案件。"</p>
            {banner(msg)}
            <div class="actions">
                <label>"件数 "
                    <select name="demo_count" on:change=move |ev| count.set(event_target_value(&ev).parse().unwrap_or(10_000))>
                        {[500usize, 1_000, 10_000, 100_000].into_iter().map(|n| view! {
                            <option value=n.to_string() selected=n == 10_000>{format!("{n} 件")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" class="primary" prop:disabled=move || progress.running() on:click=generate>"生成演示数据"</button>
            </div>
            {progress.view()}
        </section>
    }
}
