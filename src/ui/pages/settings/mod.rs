//! First-run setup and settings: the unit profile (and at first run the operator
//! passphrase its key is sealed under), changing that passphrase, and the browser's
//! storage status.

pub mod backup;
pub mod calendar;
pub mod demo;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::env::Browser;
use crate::app::error::AppError;
use crate::app::office;
use crate::domain::errors::FieldErrors;
use crate::domain::sensitive::{parse_list, SensitiveDate, LOOKAHEAD_DAYS, SENSITIVE_WINDOW_DAYS};
use crate::domain::UnitDraft;
use crate::platform::storage;
use crate::ui::context::ctx;
use crate::ui::pages::settings::backup::{BackupSection, RestoreSection};
use crate::ui::pages::settings::calendar::CalendarEditor;
use crate::ui::pages::settings::demo::DemoSection;
use crate::ui::route::Route;
use crate::ui::widgets::forms::UnitForm;
use crate::ui::widgets::message::{banner, show_field_errors, Msg};
use crate::ui::widgets::passphrase::NewPassphrase;

/// Unit setup (first run) or settings.
#[component]
pub fn SettingsPage(
    /// The first run: only the unit form and restoring a backup.
    first_run: bool,
    /// Whether the browser keeps this site's storage persistent, once known.
    persisted: RwSignal<Option<bool>>,
) -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(
        ctx.profile
            .with_untracked(|p| p.as_ref().map(UnitDraft::from_profile))
            .unwrap_or_default(),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    // At first run the new key is sealed under the operator's passphrase with the profile.
    let operator = RwSignal::new(String::new());
    let operator_again = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().validate() {
            Err(e) => {
                show_field_errors(msg, errors, e);
            }
            Ok(profile) => {
                errors.set(FieldErrors::default());
                let store = ctx.store();
                let (op, again) = (operator.get_untracked(), operator_again.get_untracked());
                spawn_local(async move {
                    let saved = if first_run {
                        let identity = ctx.identity.get_value();
                        office::set_up(&store, &Browser, &profile, &identity, &op, &again).await
                    } else {
                        store.save_profile(&profile).await.map_err(AppError::from)
                    };
                    match saved {
                        Ok(()) => {
                            ctx.profile.set_if_alive(Some(profile));
                            if first_run {
                                Route::Cases.go();
                            } else {
                                msg.set_if_alive(Some(Msg::Done("已保存".into())));
                            }
                        }
                        Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
                    }
                });
            }
        }
    };
    let usage = RwSignal::new(None::<(f64, f64)>);
    spawn_local(async move { usage.set_if_alive(storage::estimate().await) });
    let request = move |_| {
        spawn_local(async move {
            let granted = storage::request_persist().await;
            persisted.set_if_alive(granted);
        })
    };
    view! {
        <section class="card">
            <h1>{if first_run { "首次使用：设置本单位" } else { "本单位设置" }}</h1>
            {first_run.then(|| view! { <p class="lead">"填写本单位信息后即可登记案件。所有数据只保存在本浏览器中，不会上传。"</p> })}
            {banner(msg)}
            <form on:submit=on_submit novalidate>
                <UnitForm draft=draft errors=errors />
                {first_run.then(|| view! {
                    <h2>"操作口令"</h2>
                    <p class="hint">"本单位的签名密钥用操作口令加密保存在本机：每次打开本程序时输入，连续无操作时自动锁定。不知道口令的人不能签发文件、解密来件或导出备份。口令至少 12 个字符，或 4 个以空格分开的词；遗忘时只能从备份恢复，请妥善保管。"</p>
                    <div class="grid">
                        <NewPassphrase pass=operator again=operator_again name="operator_passphrase"
                            label="操作口令" hint_id="operator-hint" />
                    </div>
                })}
                <div class="actions">
                    <button type="submit" class="primary">{if first_run { "保存并开始使用" } else { "保存" }}</button>
                </div>
            </form>
        </section>
        {(!first_run && ctx.demo).then(|| view! { <DemoSection /> })}
        {(!first_run && !ctx.demo).then(|| view! {
            <section class="card"><h2>"演示模式"</h2><p class="hint">"在单独的数据库中生成模拟案件，用于培训和试用，不影响正式数据。"</p>
            <a class="button secondary" href="?demo#/settings" target="_blank" rel="noopener">"打开演示模式"</a></section>
        })}
        {(!first_run).then(|| view! { <CalendarEditor /> <SensitiveDatesEditor /> <BackupSection /> })}
        {(!first_run && !ctx.demo).then(|| view! { <ChangePassphrase /> })}
        {first_run.then(|| view! { <RestoreSection /> })}
        <section class="card" id="storage">
            <h2>"本地存储"</h2>
            <p data-testid="persist-status">
                {move || match persisted.get() {
                    Some(true) => "浏览器已同意持久保存本程序的数据，空间紧张时也不会自动清除。",
                    Some(false) => "浏览器尚未同意持久保存：磁盘空间紧张时，浏览器可能清除本程序的数据。建议申请持久存储并定期备份。",
                    None => "无法查询持久存储状态（浏览器不支持）。请定期备份。",
                }}
            </p>
            {move || usage.get().map(|(used, quota)| view! {
                <p class="hint">{format!("已用 {:.1} MB，可用上限约 {:.0} MB", used / 1e6, quota / 1e6)}</p>
            })}
            <button type="button" class="secondary" on:click=request>"申请持久存储"</button>
        </section>
    }
}

/// The unit's sensitive dates: petitions around them are flagged on the dashboard.
#[component]
fn SensitiveDatesEditor() -> impl IntoView {
    let ctx = ctx();
    let text = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let store = ctx.store();
    spawn_local(async move {
        match store.sensitive_dates().await {
            Ok(list) => text.set_if_alive(
                list.iter()
                    .map(SensitiveDate::to_line)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
        }
    });
    let save = move |_| match parse_list(&text.get_untracked()) {
        Err(errors) => msg.set(Some(Msg::Failed(format!("{}未保存。", errors.join(""))))),
        Ok(list) => {
            let store = ctx.store();
            spawn_local(async move {
                msg.set_if_alive(Some(match store.save_sensitive_dates(&list).await {
                    Ok(()) => Msg::Done(format!("已保存 {} 个敏感日期。", list.len())),
                    Err(e) => Msg::Failed(e.to_string()),
                }));
            });
        }
    };
    view! {
        <section class="card" id="sensitive">
            <h2>"敏感日期"</h2>
            <p class="hint">{format!("看板的预警会列出每个敏感日期前后 {SENSITIVE_WINDOW_DAYS} 天内收到的信访，并提前 {LOOKAHEAD_DAYS} 天提示。每行一个：每年都有的写“12-01 县人代会开幕”，只有一次的写“2026-12-20 征地听证会”。")}</p>
            {banner(msg)}
            <textarea name="sensitive_dates" rows="5" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button type="button" class="primary" on:click=save>"保存敏感日期"</button>
            </div>
        </section>
    }
}

/// Changes the operator passphrase: the current one first, then the new one twice.
#[component]
fn ChangePassphrase() -> impl IntoView {
    let ctx = ctx();
    let current = RwSignal::new(String::new());
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let change = move |_| {
        let store = ctx.store();
        let identity = ctx.identity.get_value();
        let (c, p, a) = (
            current.get_untracked(),
            pass.get_untracked(),
            again.get_untracked(),
        );
        msg.set(Some(Msg::Done("正在更换…".into())));
        spawn_local(async move {
            let changed = office::change_passphrase(&store, &Browser, &identity, &c, &p, &a).await;
            msg.set_if_alive(Some(match changed {
                Ok(()) => {
                    for s in [current, pass, again] {
                        s.set_if_alive(String::new());
                    }
                    Msg::Done("操作口令已更换，下次打开本程序时请输入新口令。".into())
                }
                Err(e) => Msg::Failed(e.to_string()),
            }));
        });
    };
    view! {
        <section class="card" id="operator">
            <h2>"操作口令"</h2>
            <p class="hint">"本单位的签名密钥用操作口令加密保存在本机。更换口令不影响已有的案件、文件和备份。新口令至少 12 个字符，或 4 个以空格分开的词。"</p>
            {banner(msg)}
            <div class="grid">
                <label class="field"><span class="label">"当前口令"</span>
                    <input type="password" name="current_operator_passphrase" autocomplete="current-password" prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev)) />
                </label>
                <NewPassphrase pass=pass again=again name="changed_operator_passphrase"
                    label="新口令" hint_id="changed-operator-hint" />
            </div>
            <div class="actions"><button type="button" class="secondary" on:click=change>"更换操作口令"</button></div>
        </section>
    }
}
