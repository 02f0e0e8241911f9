//! For an online case: the reply file for the citizen, signed and encrypted to them.

use leptos::prelude::*;

use crate::domain::CaseState;
use crate::exchange::citizen::reply::{citizen_key, reply_for, seal_reply};
use crate::platform::{clock, files, random};
use crate::ui::context::ctx;
use crate::ui::widgets::message::{banner, Msg};

/// For an online case: the reply file for the citizen (stage, next step, documents).
#[component]
pub(super) fn ReplyExport(state: CaseState) -> impl IntoView {
    let ctx = ctx();
    let msg = RwSignal::new(None::<Msg>);
    let state = StoredValue::new(state);
    let export = move |_| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let now = clock::now();
        let reply = state.with_value(|s| {
            ctx.calendar
                .with_untracked(|cal| reply_for(s, &profile, cal, now.china_date(), now.0))
        });
        let Some(reply) = reply else { return };
        // Encrypted to the key the citizen's submission carried.
        let sealed = state
            .with_value(citizen_key)
            .map_err(|e| e.to_string())
            .and_then(|to| {
                let random = random::random_bytes().map_err(|e| e.to_string())?;
                ctx.identity
                    .with_value(|i| seal_reply(&reply, i, &to, random))
                    .map_err(|e| e.to_string())
            });
        let name = format!("答复-{}-{}.json", reply.case_no, reply.query_code);
        match sealed.and_then(|text| files::download(&name, &text)) {
            Ok(()) => msg.set(Some(Msg::Done(format!(
                "已导出“{name}”（已加密，只有提交该信访件的信访人能打开），请交给信访人，信访人在网上信访页面导入。"
            )))),
            Err(e) => msg.set(Some(Msg::Failed(e))),
        }
    };
    view! {
        <div class="export-case">
            <span>"网上信访件："</span>
            <button type="button" class="secondary" on:click=export>"导出答复文件"</button>
            {banner(msg)}
        </div>
    }
}
