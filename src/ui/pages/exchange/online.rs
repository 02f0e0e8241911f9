//! 网上信访 on the office side: the config file for the citizen page, and importing many
//! submission files at once — each verified, checked and registered as a 网上 case, or
//! reported with the reason it was not.

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::citizen::{self, Outcome};
use crate::app::env::Browser;
use crate::domain::attachment::MAX_ATTACHMENTS_BYTES;
use crate::exchange::card::UnitCard;
use crate::exchange::citizen::page::{citizen_page, write_config, CONFIG_FILE};
use crate::exchange::recipient::Decryptor;
use crate::platform::{files, page};
use crate::ui::context::ctx;
use crate::ui::route::Route;
use crate::ui::widgets::message::{banner, Msg};

/// The office's 网上信访 section.
#[component]
pub fn OnlineSection() -> impl IntoView {
    let ctx = ctx();
    let msg = RwSignal::new(None::<Msg>);
    let results = RwSignal::new(Vec::<(String, Outcome)>::new());

    // The citizen page's config: this unit's signed card and its townships.
    let config = move || {
        let profile = ctx.profile.get_untracked().ok_or("尚未设置本单位")?;
        let card = ctx.identity.with_value(|i| UnitCard::of(&profile, i));
        let config = ctx
            .identity
            .with_value(|i| write_config(&card, i, &profile.townships))
            .map_err(|e| e.to_string());
        config.map(|c| (profile.code, c))
    };
    let export_page = move |_| {
        let config = config();
        spawn_local(async move {
            let made = async {
                let (code, config) = config?;
                let page = page::single_file_page().await?;
                let html = citizen_page(&page, &config).map_err(|e| e.to_string())?;
                let name = format!("网上信访-{code}.html");
                files::download_bytes(&name, "text/html", html.as_bytes())?;
                Ok::<_, String>(name)
            };
            msg.set_if_alive(Some(match made.await {
                Ok(name) => Msg::Done(format!("已导出“{name}”：把这一个文件交给信访人（U 盘、电子邮件或网站下载），双击即可在浏览器中打开网上信访页面，受理单位已配置在内。")),
                Err(e) => Msg::Failed(e),
            }));
        });
    };
    let export_config =
        move |_| match config().and_then(|(_, text)| files::download(CONFIG_FILE, &text)) {
            Ok(()) => msg.set(Some(Msg::Done(format!(
                "已导出“{CONFIG_FILE}”：把它放在网上信访页面（index.html）所在的目录中。"
            )))),
            Err(e) => msg.set(Some(Msg::Failed(e))),
        };

    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        results.set(Vec::new());
        spawn_local(async move {
            let files = files::read_all_files(&input, MAX_ATTACHMENTS_BYTES * 2).await;
            input.set_value("");
            let calendar = ctx.calendar.get_untracked();
            let files = files
                .into_iter()
                .map(|(name, _, bytes)| (name, bytes))
                .collect();
            let me = ctx.identity.with_value(Decryptor::of);
            let out =
                citizen::import_files(&store, &Browser, &calendar, &profile, &me, files).await;
            results.set_if_alive(out);
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
            <p class="hint">"信访人在网上信访页面（网站上的 citizen.html，单文件版的 #/petition 页面）提交后保存的信访件，以及信访人的评价、复查申请文件，可在此一次导入多个。签名错误、不是发给本单位、内容不合格或过大的文件会列出原因，不会保存；已导入过的会跳过。"</p>
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
