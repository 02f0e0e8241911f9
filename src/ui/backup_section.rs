//! 备份与恢复: the whole database written as signed volumes, one per line of one file,
//! and read back into an empty browser slice by slice. Both show progress and can be
//! cancelled; a cancelled or failed restore removes everything it wrote.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{banner, ctx, Ctx, Msg};
use super::platform;
use super::progress::Progress;
use super::route::Route;
use crate::domain::{CaseId, Event, UnitProfile};
use crate::exchange::backup::{
    check_passphrase, reminder, volumes_for, BackupError, BackupInput, BackupReader, BackupWriter,
    Records, Restored, VOLUME_CASES,
};
use crate::store::Store;

/// Bytes read from a backup file at a time.
const SLICE: f64 = 8.0 * 1_048_576.0;

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
                    platform::now(),
                    last.map_or(0, |(_, n)| n),
                    now_count,
                )
                .unwrap_or_default();
                status.try_set(Some(format!("{when}{hint}")));
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
                    pass.try_set(String::new());
                    again.try_set(String::new());
                    refresh();
                    Msg::Done(format!("已导出备份“{name}”（{cases} 件案件）。请妥善保管文件和口令：口令遗失将无法恢复签名密钥。"))
                }
                Ok(None) => Msg::Done("已取消备份，未生成文件。".into()),
                Err(e) => Msg::Failed(format!("备份未完成：{e}")),
            };
            msg.try_set(Some(outcome));
            progress.stop();
        });
    };
    view! {
        <section class="card" id="backup">
            <h2>"备份与恢复"</h2>
            <p data-testid="backup-status">{move || status.get().unwrap_or_default()}</p>
            <p class="hint">"备份文件包含全部案件、设置、信任的单位和本单位的签名密钥（用口令加密）。恢复时在新的浏览器中打开本程序，在首次设置页面选择“从备份恢复”。"</p>
            {banner(msg)}
            <div class="grid">
                <label class="field"><span class="label">"备份口令（至少 8 个字符）"</span>
                    <input type="password" name="backup_passphrase" autocomplete="new-password" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev)) />
                </label>
                <label class="field"><span class="label">"再次输入口令"</span>
                    <input type="password" name="backup_passphrase_again" autocomplete="new-password" prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev)) />
                </label>
            </div>
            <div class="actions"><button type="button" class="primary" prop:disabled=move || progress.running() on:click=export>"导出备份"</button></div>
            {progress.view()}
        </section>
    }
}

/// Writes the backup volume by volume into browser blobs and offers the file. Returns
/// its name and how many cases it holds, or `None` when cancelled (nothing offered).
async fn write_backup_file(
    ctx: Ctx,
    profile: UnitProfile,
    passphrase: &str,
    progress: Progress,
) -> Result<Option<(String, usize)>, String> {
    let store = ctx.store();
    let text = |e: crate::store::StoreError| e.to_string();
    let ids = store.case_ids().await.map_err(text)?;
    let directory = store.directory().await.map_err(text)?;
    let sensitive_dates = store.sensitive_dates().await.map_err(text)?;
    let volumes = volumes_for(ids.len());
    progress.total(volumes as usize);
    // Sealing the key takes a moment on purpose; let the message show first.
    platform::yield_now().await;
    let (a, b) = (platform::random_seed(), platform::random_seed());
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    let mut id = [0u8; 16];
    salt.copy_from_slice(&a[..16]);
    nonce.copy_from_slice(&a[16..28]);
    id.copy_from_slice(&b[..16]);
    let now = platform::now();
    let calendar = ctx.calendar.get_untracked();
    let writer = ctx.identity.with_value(|identity| {
        let input = BackupInput {
            profile: &profile,
            calendar: &calendar,
            directory: &directory,
            sensitive_dates: &sensitive_dates,
            identity,
            at: now,
        };
        BackupWriter::new(&input, passphrase, (salt, nonce, id), volumes)
    });
    let chunks: Vec<&[CaseId]> = match ids.is_empty() {
        true => vec![&[]],
        false => ids.chunks(VOLUME_CASES).collect(),
    };
    let parts = js_sys::Array::new();
    let mut events = 0u64;
    for (n, chunk) in (1u32..).zip(chunks) {
        if progress.cancelled() {
            return Ok(None);
        }
        let logs: Vec<Vec<Event>> = store
            .events_of(chunk)
            .await
            .map_err(text)?
            .into_values()
            .collect();
        events += logs.iter().map(|l| l.len() as u64).sum::<u64>();
        let mut line = writer.volume(n, &logs).map_err(|e| e.to_string())?;
        line.push('\n');
        parts.push(&platform::text_blob(&line)?.into());
        progress.set(n as usize);
        platform::yield_now().await;
    }
    if progress.cancelled() {
        return Ok(None);
    }
    let name = format!("备份-{}-{}.jsonl", profile.code, now.china_date());
    platform::download_parts(&name, "application/jsonl", &parts)?;
    store.mark_backup(now, events).await.map_err(text)?;
    Ok(Some((name, ids.len())))
}

/// Restores a backup into this empty browser, at first run.
#[component]
pub fn RestoreSection() -> impl IntoView {
    let ctx = ctx();
    let pass = RwSignal::new(String::new());
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
        msg.set(Some(Msg::Done("正在验证并恢复…".into())));
        spawn_local(async move {
            let outcome = match store.restore_begin().await {
                Err(e) => Msg::Failed(e.to_string()),
                Ok(()) => match restore_file(&store, &chosen, &passphrase, progress).await {
                    Ok(Some(r)) => {
                        ctx.identity.set_value(r.identity.clone());
                        ctx.calendar.set(r.calendar.clone());
                        ctx.profile.set(Some(r.profile));
                        progress.stop();
                        return Route::Cases.go();
                    }
                    Ok(None) => match store.delete_all_cases().await {
                        Ok(()) => {
                            Msg::Done("已取消恢复，本浏览器中没有留下任何恢复的数据。".into())
                        }
                        Err(e) => Msg::Failed(format!("已取消恢复，但清除已写入的数据时出错：{e}")),
                    },
                    Err(e) => {
                        let _ = store.delete_all_cases().await;
                        Msg::Failed(format!(
                            "未恢复：{e}（已写入的部分已全部清除，本浏览器保持原样）"
                        ))
                    }
                },
            };
            msg.try_set(Some(outcome));
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
            <div class="actions"><button type="button" class="secondary" prop:disabled=move || progress.running() on:click=restore>"恢复"</button></div>
            {progress.view()}
        </section>
    }
}

/// Reads the file a slice at a time; each volume is verified, then its cases stored,
/// before the next is read. The settings go in last. `None` when cancelled.
async fn restore_file(
    store: &Rc<Store>,
    file: &web_sys::File,
    passphrase: &str,
    progress: Progress,
) -> Result<Option<Restored>, String> {
    let size = file.size();
    let mut records = Records::default();
    let mut reader = BackupReader::default();
    let mut restored: Option<Restored> = None;
    let mut at = 0.0;
    loop {
        let last = at >= size;
        let batch = if last {
            std::mem::take(&mut records).finish().into_iter().collect()
        } else {
            let end = (at + SLICE).min(size);
            let bytes = platform::read_slice(file, at, end).await?;
            at = end;
            records.push(&bytes).map_err(|e| e.to_string())?
        };
        for record in batch {
            if progress.cancelled() {
                return Ok(None);
            }
            let v = reader.read(&record).map_err(|e| e.to_string())?;
            if let Some(s) = &v.settings {
                restored = Some(reader.open(s, passphrase).map_err(|e| e.to_string())?);
            }
            let calendar = &restored
                .as_ref()
                .ok_or(BackupError::OutOfOrder(v.volume))
                .map_err(|e| e.to_string())?
                .calendar;
            store
                .restore_cases(calendar, &v.cases)
                .await
                .map_err(|e| e.to_string())?;
        }
        progress.set((at / 1_048_576.0) as usize);
        if last {
            break;
        }
        if progress.cancelled() {
            return Ok(None);
        }
        platform::yield_now().await;
    }
    let counters = reader.finish().map_err(|e| e.to_string())?;
    let mut r = restored
        .ok_or(BackupError::Empty)
        .map_err(|e| e.to_string())?;
    r.counters = counters;
    store.restore_finish(&r).await.map_err(|e| e.to_string())?;
    Ok(Some(r))
}
