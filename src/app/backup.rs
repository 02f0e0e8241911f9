//! 备份与恢复: the whole database written as signed volumes, one per line of one file,
//! and read back into an empty browser a slice at a time. Both report progress and can
//! be cancelled; a restore cancelled or refused removes everything it wrote.

use super::env::Env;
use super::error::AppError;
use super::office::seal;
use super::progress::Progress;
use crate::domain::calendar::WorkCalendar;
use crate::domain::event::Event;
use crate::domain::ids::CaseId;
use crate::domain::registers::{agreements, plans, receptions, screening};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::exchange::backup::{
    volumes_for, BackupError, BackupInput, BackupReader, BackupWriter, Records, Restored,
    VOLUME_CASES,
};
use crate::exchange::envelope::Identity;
use crate::exchange::keyring::check_new;
use crate::exchange::secret::SealedKey;
use crate::platform::{clock, files};
use crate::store::Store;

/// Bytes read from a backup file at a time.
const SLICE: f64 = 8.0 * 1_048_576.0;

/// A backup written into a browser blob, ready to offer as a download.
#[derive(Debug, Clone)]
pub struct BackupFile {
    /// e.g. `备份-XF01-2026-12-01.jsonl`.
    pub name: String,
    /// The file: one signed volume per line.
    pub blob: web_sys::Blob,
    /// Cases it holds.
    pub cases: usize,
    /// Events it holds.
    pub events: u64,
    /// When it was made.
    pub at: Timestamp,
}

/// Writes every case, the settings and the signing key (sealed with `passphrase`) as a
/// backup, a volume at a time into browser blobs (a county's hundreds of megabytes never
/// sit in wasm memory at once). `None` when cancelled.
pub async fn write(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    identity: &Identity,
    passphrase: &str,
    progress: &dyn Progress,
) -> Result<Option<BackupFile>, AppError> {
    let ids = store.case_ids().await?;
    let directory = store.directory().await?;
    let sensitive_dates = store.sensitive_dates().await?;
    let screening = store.entries(screening::KIND).await?;
    let plans = store.entries(plans::KIND).await?;
    let receptions = store.entries(receptions::KIND).await?;
    let agreements = store.entries(agreements::KIND).await?;
    let volumes = volumes_for(ids.len());
    progress.total(volumes as usize);
    // Sealing the key takes a moment on purpose; let the screen say so first.
    clock::yield_now().await;
    let (a, b) = (env.random32()?, env.random32()?);
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    let mut id = [0u8; 16];
    salt.copy_from_slice(&a[..16]);
    nonce.copy_from_slice(&a[16..28]);
    id.copy_from_slice(&b[..16]);
    let at = env.now();
    let input = BackupInput {
        profile,
        calendar,
        directory: &directory,
        sensitive_dates: &sensitive_dates,
        screening: &screening,
        plans: &plans,
        receptions: &receptions,
        agreements: &agreements,
        identity,
        at,
    };
    let writer = BackupWriter::new(&input, passphrase, (salt, nonce, id), volumes);
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
        let logs: Vec<Vec<Event>> = store.events_of(chunk).await?.into_values().collect();
        events += logs.iter().map(|l| l.len() as u64).sum::<u64>();
        // A fresh nonce for every volume, from the browser's secure randomness only.
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&env.random32()?[..12]);
        let mut line = writer.volume(n, &logs, nonce)?;
        line.push('\n');
        parts.push(&files::text_blob(&line).map_err(AppError::Browser)?.into());
        progress.set(n as usize);
        clock::yield_now().await;
    }
    if progress.cancelled() {
        return Ok(None);
    }
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/jsonl");
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &opts)
        .map_err(|_| AppError::Browser("浏览器未能生成备份文件（可能是磁盘或内存已满）".into()))?;
    Ok(Some(BackupFile {
        name: format!("备份-{}-{}.jsonl", profile.code, at.china_date()),
        blob,
        cases: ids.len(),
        events,
        at,
    }))
}

/// Records that `file` was handed to the user, for the backup reminder.
pub async fn delivered(store: &Store, file: &BackupFile) -> Result<(), AppError> {
    Ok(store.mark_backup(file.at, file.events).await?)
}

/// How a restore ended.
#[derive(Debug, Clone)]
pub enum Restore {
    /// Every volume stored, settings last: the unit as backed up.
    Done(Box<Restored>),
    /// Cancelled: everything written was removed.
    Cancelled,
}

/// Restores the backup `file` into this empty browser, a slice at a time: each volume
/// verified, then its cases stored, before the next is read; the settings go in last.
/// A refusal or a cancel removes every case it wrote, so the browser is as before. The
/// restored signing key is stored sealed under `operator`, this browser's new operator
/// passphrase (and its confirmation), checked before anything is read.
pub async fn restore(
    store: &Store,
    env: &dyn Env,
    file: &web_sys::Blob,
    passphrase: &str,
    operator: (&str, &str),
    progress: &dyn Progress,
) -> Result<Restore, AppError> {
    check_new(operator.0, operator.1)?;
    store.restore_begin().await?;
    let sealing = |r: &Restored| seal(env, &r.identity, operator.0, operator.1);
    let outcome = restore_volumes(store, file, passphrase, sealing, progress).await;
    match outcome {
        Ok(Some(r)) => Ok(Restore::Done(Box::new(r))),
        Ok(None) => {
            store.delete_all_cases().await?;
            Ok(Restore::Cancelled)
        }
        Err(e) => {
            // The refusal is what the user needs to hear; a failure to clear up after it
            // is cleared by the next restore's start (`restore_begin`).
            let _ = store.delete_all_cases().await;
            Err(e)
        }
    }
}

async fn restore_volumes(
    store: &Store,
    file: &web_sys::Blob,
    passphrase: &str,
    sealing: impl Fn(&Restored) -> Result<SealedKey, AppError>,
    progress: &dyn Progress,
) -> Result<Option<Restored>, AppError> {
    let size = file.size();
    progress.total(size.div_euclid(1_048_576.0) as usize + 1);
    let mut records = Records::default();
    let mut reader = BackupReader::new(passphrase);
    let mut restored: Option<Restored> = None;
    let mut at = 0.0;
    loop {
        let last = at >= size;
        let batch = if last {
            std::mem::take(&mut records).finish().into_iter().collect()
        } else {
            let end = (at + SLICE).min(size);
            let bytes = files::read_slice(file, at, end)
                .await
                .map_err(AppError::Browser)?;
            at = end;
            records.push(&bytes)?
        };
        for record in batch {
            if progress.cancelled() {
                return Ok(None);
            }
            let v = reader.read(&record)?;
            if let Some(s) = &v.settings {
                restored = Some(reader.open(s, passphrase)?);
            }
            let calendar = &restored
                .as_ref()
                .ok_or(BackupError::OutOfOrder(v.volume))?
                .calendar;
            store.restore_cases(calendar, &v.cases).await?;
        }
        progress.set((at / 1_048_576.0) as usize);
        if last {
            break;
        }
        if progress.cancelled() {
            return Ok(None);
        }
        clock::yield_now().await;
    }
    let counters = reader.finish()?;
    let mut r = restored.ok_or(BackupError::Empty)?;
    r.counters = counters;
    store.restore_finish(&r, &sealing(&r)?).await?;
    Ok(Some(r))
}
