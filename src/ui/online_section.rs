//! 网上信访 on the office side: the config file for the citizen page, and importing many
//! submission files at once — each verified, checked and registered as a 网上 case, or
//! reported with the reason it was not.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{banner, ctx, Msg};
use super::platform;
use super::route::Route;
use crate::domain::attachment::MAX_ATTACHMENTS_BYTES;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::take_step;
use crate::domain::CaseId;
use crate::domain::UnitProfile;
use crate::exchange::card::{seal_unit_card, UnitCard};
use crate::exchange::citizen::feedback::{
    check_same_submitter, feedback_event_id, feedback_step, read_feedback,
};
use crate::exchange::citizen::page::citizen_page;
use crate::exchange::citizen::submission::{office_petition, read_submission};
use crate::exchange::{open, PayloadType};
use crate::store::Store;

/// Name of the config file the citizen page reads next to the static files.
pub const CONFIG_FILE: &str = "xinfang-config.json";

#[derive(Clone)]
enum Outcome {
    Registered(CaseId, String, String),
    Recorded(CaseId, String, String),
    Skipped(String),
    Refused(String),
}

/// Records a citizen's rating or 复查 request on the case of its 查询码, if it is signed
/// by the key that submitted the petition and the workflow allows it now.
async fn import_feedback(
    store: &Store,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    bytes: &[u8],
) -> Result<Outcome, Outcome> {
    let refused = |e: String| Outcome::Refused(e);
    let (feedback, signer) =
        read_feedback(bytes, &profile.code).map_err(|e| refused(e.to_string()))?;
    let code = feedback.query_code.clone();
    let rows = store
        .rows_where(|r| r.query_code.as_deref() == Some(code.as_str()))
        .await
        .map_err(|e| refused(e.to_string()))?;
    let row = rows
        .into_iter()
        .next()
        .ok_or_else(|| refused(format!("本机没有查询码为 {code} 的案件")))?;
    let state = store
        .case(&row.id)
        .await
        .map_err(|e| refused(e.to_string()))?
        .ok_or_else(|| refused(format!("本机没有查询码为 {code} 的案件")))?;
    let (_, submitter) = state
        .submission
        .clone()
        .ok_or_else(|| refused("该案件不是网上信访件".into()))?;
    check_same_submitter(&submitter, &signer).map_err(|e| refused(e.to_string()))?;
    let id = feedback_event_id(&feedback).map_err(|e| refused(e.to_string()))?;
    if state.events.iter().any(|e| e.id == id) {
        return Err(Outcome::Skipped(format!(
            "已导入过（案件 {}），已跳过",
            state.case_no
        )));
    }
    let now = platform::now();
    let step = feedback_step(&feedback.feedback, now.china_date());
    let event = take_step(
        &state,
        step,
        now.china_date(),
        calendar,
        id,
        profile.actor(),
        now,
    )
    .map_err(|e| refused(format!("不能记录：{e}")))?;
    let what = event.body.label();
    store
        .append(calendar, event, None)
        .await
        .map_err(|e| refused(e.to_string()))?;
    Ok(Outcome::Recorded(
        state.id,
        state.case_no,
        format!("已记录{what}"),
    ))
}

/// The office's 网上信访 section.
#[component]
pub fn OnlineSection() -> impl IntoView {
    let ctx = ctx();
    let msg = RwSignal::new(None::<Msg>);
    let results = RwSignal::new(Vec::<(String, Outcome)>::new());

    // The citizen page's config: this unit's signed card and its townships.
    let config = move || {
        let profile = ctx.profile.get_untracked().ok_or("尚未设置本单位")?;
        let card = ctx
            .identity
            .with_value(|i| seal_unit_card(&UnitCard::of(&profile, &i.public_key()), i));
        let config = card.map_err(|e| e.to_string()).and_then(|text| {
            let office: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| e.to_string())?;
            serde_json::to_string_pretty(
                &serde_json::json!({ "office": office, "townships": profile.townships }),
            )
            .map_err(|e| e.to_string())
        });
        config.map(|c| (profile.code, c))
    };
    let export_page = move |_| {
        let config = config();
        spawn_local(async move {
            let made = async {
                let (code, config) = config?;
                let page = platform::single_file_page().await?;
                let html = citizen_page(&page, &config).map_err(|e| e.to_string())?;
                let name = format!("网上信访-{code}.html");
                platform::download_bytes(&name, "text/html", html.as_bytes())?;
                Ok::<_, String>(name)
            };
            msg.try_set(Some(match made.await {
                Ok(name) => Msg::Done(format!("已导出“{name}”：把这一个文件交给信访人（U 盘、电子邮件或网站下载），双击即可在浏览器中打开网上信访页面，受理单位已配置在内。")),
                Err(e) => Msg::Failed(e),
            }));
        });
    };
    let export_config =
        move |_| match config().and_then(|(_, text)| platform::download(CONFIG_FILE, &text)) {
            Ok(()) => msg.set(Some(Msg::Done(format!(
                "已导出“{CONFIG_FILE}”：把它放在网上信访页面（index.html）所在的目录中。"
            )))),
            Err(e) => msg.set(Some(Msg::Failed(e))),
        };

    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = platform::input_of(&ev) else {
            return;
        };
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        results.set(Vec::new());
        spawn_local(async move {
            let files = platform::read_all_files(&input, MAX_ATTACHMENTS_BYTES * 2).await;
            input.set_value("");
            let calendar = ctx.calendar.get_untracked();
            let mut out = Vec::new();
            for (name, _, bytes) in files {
                let outcome = async {
                    let bytes = bytes.map_err(Outcome::Refused)?;
                    if matches!(open(&bytes), Ok(o) if o.kind == PayloadType::Feedback) {
                        return import_feedback(&store, &calendar, &profile, &bytes).await;
                    }
                    let received = read_submission(&bytes, &profile.code)
                        .map_err(|e| Outcome::Refused(e.to_string()))?;
                    let now = platform::now();
                    let petition = office_petition(&received, now.china_date())
                        .map_err(|e| Outcome::Refused(e.to_string()))?;
                    let ids = (
                        platform::new_case_id(),
                        platform::new_event_id(),
                        platform::new_event_id(),
                    );
                    match store
                        .register_submission(&calendar, &profile, &received, petition, now, ids)
                        .await
                    {
                        Ok(state) => Ok(Outcome::Registered(
                            state.id,
                            state.case_no,
                            received.query_code,
                        )),
                        Err(crate::store::StoreError::AlreadyImported(no)) => {
                            Err(Outcome::Skipped(format!("已导入过（案件 {no}），已跳过")))
                        }
                        Err(e) => Err(Outcome::Refused(e.to_string())),
                    }
                };
                out.push((name, outcome.await.unwrap_or_else(|o| o)));
            }
            results.set(out);
        });
    };

    let rows = move || {
        results
            .get()
            .into_iter()
            .map(|(name, outcome)| {
                let (class, text) = match &outcome {
                    Outcome::Registered(_, no, code) => {
                        ("ok", format!("已登记为 {no}（查询码 {code}）"))
                    }
                    Outcome::Recorded(_, no, what) => ("ok", format!("{what}到案件 {no}")),
                    Outcome::Skipped(why) => ("skip", why.clone()),
                    Outcome::Refused(why) => ("bad", format!("未导入：{why}")),
                };
                let link = match outcome {
                    Outcome::Registered(id, no, _) | Outcome::Recorded(id, no, _) => {
                        view! { <a class="mono" href=Route::Case(id).href()>{no}</a> }.into_any()
                    }
                    _ => ().into_any(),
                };
                view! { <tr class=class><td>{name}</td><td>{text}</td><td>{link}</td></tr> }
            })
            .collect_view()
    };

    view! {
        <section class="card" id="online">
            <h2>"网上信访"</h2>
            {banner(msg)}
            <p class="hint">"信访人在网上信访页面（本程序的 #/petition 页面）提交后保存的信访件，以及信访人的评价、复查申请文件，可在此一次导入多个。签名错误、不是发给本单位、内容不合格或过大的文件会列出原因，不会保存；已导入过的会跳过。"</p>
            <input type="file" name="submissions" multiple accept=".json,application/json" on:change=on_files />
            <table class="table compact" data-testid="submission-results"><tbody>{rows}</tbody></table>
            <p class="hint">"网上信访页面需要知道受理单位：导出配置文件，放在网站中 index.html 所在的目录；没有网站时，导出单文件页面（受理单位已配置在内），交给信访人双击打开。"</p>
            <button type="button" class="secondary" on:click=export_config>"导出网上信访配置文件"</button>
            " "
            <button type="button" class="secondary" on:click=export_page>"导出网上信访单文件页面"</button>
            " "
            <a href=Route::Petition.href() target="_blank" rel="noopener">"打开网上信访页面"</a>
        </section>
    }
}
