//! 备份与恢复: the whole database written as signed volumes, one per line of one file,
//! and read back into an empty browser slice by slice. Both show progress and can be
//! cancelled; a cancelled or failed restore removes everything it wrote.

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::backup::{self, Restore};
use crate::app::env::Browser;
use crate::domain::UnitProfile;
use crate::exchange::backup::{check_passphrase, reminder};
use crate::platform::{clock, files};
use crate::ui::context::{ctx, Ctx};
use crate::ui::route::Route;
use crate::ui::widgets::message::{banner, Msg};
use crate::ui::widgets::passphrase::NewPassphrase;
use crate::ui::widgets::progress::Progress;

/// Exports the whole database as a signed backup, the signing key sealed inside it
/// with a passphrase.
#[component]
pub fn BackupSection() -> impl IntoView {
    let ctx = ctx();
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let status = RwSignal::new(None::<String>);
    let progress = Progress::new("卷");
    let refresh = move || {
        let store = ctx.store();
        spawn_local(async move {
            let (last, now) = (store.last_backup().await, store.event_count().await);
            if let (Ok(last), Ok(now_count)) = (last, now) {
                let when = last
                    .map(|(at, _)| format!("上次备份：{}。", at.display()))
                    .unwrap_or_else(|| "尚未备份。".into());
                let hint = reminder(
                    last.map(|(at, _)| at),
                    clock::now(),
                    last.map_or(0, |(_, n)| n),
                    now_count,
                )
                .unwrap_or_default();
                status.set_if_alive(Some(format!("{when}{hint}")));
            }
        });
    };
    refresh();
    let export = move |_| {
        let passphrase = pass.get_untracked();
        if let Err(e) = check_passphrase(&passphrase, &again.get_untracked()) {
            return msg.set(Some(Msg::Failed(e.to_string())));
        }
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        if !progress.start(1) {
            return;
        }
        msg.set(Some(Msg::Done("正在生成备份…".into())));
        spawn_local(async move {
            let outcome = match write_backup_file(ctx, profile, &passphrase, progress).await {
                Ok(Some((name, cases))) => {
                    pass.set_if_alive(String::new());
                    again.set_if_alive(String::new());
                    refresh();
                    Msg::Done(format!("已导出备份“{name}”（{cases} 件案件）。文件已用口令加密；请妥善保管文件和口令：口令遗失将无法恢复任何内容。"))
                }
                Ok(None) => Msg::Done("已取消备份，未生成文件。".into()),
                Err(e) => Msg::Failed(format!("备份未完成：{e}")),
            };
            msg.set_if_alive(Some(outcome));
            progress.stop();
        });
    };
    view! {
        <section class="card" id="backup">
            <h2>"备份与恢复"</h2>
            <p data-testid="backup-status">{move || status.get().unwrap_or_default()}</p>
            <p class="hint">"备份文件包含全部案件（含信访人身份证号、电话、住址）、设置、信任的单位和本单位的签名密钥，整个文件用您设定的口令加密：备份文件遗失，不知道口令的人看不到其中任何案件内容。恢复时在新的浏览器中打开本程序，在首次设置页面选择“从备份恢复”。"</p>
            {banner(msg)}
            <div class="grid">
                <NewPassphrase pass=pass again=again name="backup_passphrase"
                    label="备份口令（至少 12 个字符，或 4 个以空格分开的词）" hint_id="passphrase-hint" />
            </div>
            <div class="actions"><button type="button" class="primary" prop:disabled=move || progress.running() on:click=export>"导出备份"</button></div>
            {progress.view()}
        </section>
    }
}

/// Writes the backup and offers it as a download. Returns its name and how many cases
/// it holds, or `None` when cancelled (nothing offered).
async fn write_backup_file(
    ctx: Ctx,
    profile: UnitProfile,
    passphrase: &str,
    progress: Progress,
) -> Result<Option<(String, usize)>, String> {
    let store = ctx.store();
    let calendar = ctx.calendar.get_untracked();
    let identity = ctx.identity.get_value();
    let written = backup::write(
        &store, &Browser, &calendar, &profile, &identity, passphrase, &progress,
    )
    .await
    .map_err(|e| e.to_string())?;
    let Some(file) = written else {
        return Ok(None);
    };
    files::download_parts(
        &file.name,
        "application/jsonl",
        &js_sys::Array::of1(&file.blob),
    )?;
    backup::delivered(&store, &file)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Some((file.name, file.cases)))
}

/// Restores a backup into this empty browser, at first run.
#[component]
pub fn RestoreSection() -> impl IntoView {
    let ctx = ctx();
    let pass = RwSignal::new(String::new());
    let operator = RwSignal::new(String::new());
    let operator_again = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let file = NodeRef::<leptos::html::Input>::new();
    let progress = Progress::new("MB");
    let restore = move |_| {
        let Some(chosen) = file
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return msg.set(Some(Msg::Failed("请选择备份文件".into())));
        };
        if !progress.start(chosen.size().div_euclid(1_048_576.0) as usize + 1) {
            return;
        }
        let store = ctx.store();
        let passphrase = pass.get_untracked();
        let (op, again) = (operator.get_untracked(), operator_again.get_untracked());
        msg.set(Some(Msg::Done("正在验证并恢复…".into())));
        spawn_local(async move {
            let restored = backup::restore(
                &store,
                &Browser,
                &chosen,
                &passphrase,
                (&op, &again),
                &progress,
            )
            .await;
            let outcome = match restored {
                Ok(Restore::Done(r)) => {
                    ctx.identity.set_value(r.identity.clone());
                    ctx.calendar.set_if_alive(r.calendar.clone());
                    ctx.profile.set_if_alive(Some(r.profile));
                    progress.stop();
                    return Route::Cases.go();
                }
                Ok(Restore::Cancelled) => {
                    Msg::Done("已取消恢复，本浏览器中没有留下任何恢复的数据。".into())
                }
                Err(e) => Msg::Failed(format!(
                    "未恢复：{e}（已写入的部分已全部清除，本浏览器保持原样）"
                )),
            };
            msg.set_if_alive(Some(outcome));
            progress.stop();
        });
    };
    view! {
        <section class="card" id="restore">
            <h2>"从备份恢复"</h2>
            <p class="hint">"在新电脑或新浏览器中，可用本程序导出的备份文件恢复全部案件、设置和签名密钥。"</p>
            {banner(msg)}
            <div class="grid">
                <label class="field"><span class="label">"备份文件"</span><input type="file" name="restore_file" accept=".jsonl,.json,application/json" node_ref=file /></label>
                <label class="field"><span class="label">"备份口令"</span>
                    <input type="password" name="restore_passphrase" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev)) />
                </label>
            </div>
            <p class="hint">"恢复的签名密钥用本机的操作口令加密保存，以后每次打开本程序时输入（至少 12 个字符，或 4 个以空格分开的词）："</p>
            <div class="grid">
                <NewPassphrase pass=operator again=operator_again name="restore_operator_passphrase"
                    label="本机操作口令" hint_id="restore-operator-hint" />
            </div>
            <div class="actions"><button type="button" class="secondary" prop:disabled=move || progress.running() on:click=restore>"恢复"</button></div>
            {progress.view()}
        </section>
    }
}
