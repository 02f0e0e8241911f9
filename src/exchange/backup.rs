//! Whole-database backup: signed volumes, one per line of the file, holding the unit's
//! profile, settings, trusted units and signing key (sealed with a passphrase) and every
//! case's events. Volumes keep a county-size backup (hundreds of megabytes) within what
//! a browser tab can build and check piece by piece. Restoring them into an empty
//! browser reproduces all of it.

use std::collections::{BTreeMap, HashSet};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::card::{TrustedUnit, UnitCard};
use super::envelope::{open, seal_line, Identity, PayloadType, PublicKey};
use super::error::BundleError;
use super::merge::merge;
pub use super::records::Records;
use super::secret::{
    derive, open_key_with, seal, seal_key_with, unseal, Kdf, PassKey, SecretError,
};
pub use super::secret::{open_key, seal_key, SealedKey};
use super::strict;
use super::wire::{validate_case, WireCase, WireEvent};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{last_numbers, Series};
use crate::domain::event::{Event, EventBody};
use crate::domain::registers::agreements::{self, AgreementEvent};
use crate::domain::registers::plans::{self, PlanEvent};
use crate::domain::registers::receptions::{self, ReceptionEvent};
use crate::domain::registers::screening::{self, ScreeningEvent};
use crate::domain::sensitive::{parse_list, SensitiveDate};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
pub use parts::{BackupInput, Restored};
use pieces::Pieces;

/// PBKDF2 rounds for new backups (OWASP's figure for PBKDF2-HMAC-SHA256).
pub const KDF_ITERATIONS: u32 = 600_000;
/// Shortest passphrase accepted, in characters (or [`MIN_PASSPHRASE_WORDS`] words).
pub const MIN_PASSPHRASE_CHARS: usize = 12;
/// Fewest words (separated by spaces) of a passphrase shorter than [`MIN_PASSPHRASE_CHARS`].
pub const MIN_PASSPHRASE_WORDS: usize = 4;
/// Days after which the app reminds the user to back up.
pub const BACKUP_REMINDER_DAYS: i64 = 7;

/// Why a passphrase or backup was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// Too short.
    #[error("口令至少 {MIN_PASSPHRASE_CHARS} 个字符，或至少 {MIN_PASSPHRASE_WORDS} 个以空格分开的词（如“春风 杨柳 万千 条”）：备份靠它加密，丢失的备份文件只有知道口令才能读")]
    ShortPassphrase,
    /// The two entries differ.
    #[error("两次输入的口令不一致")]
    PassphraseMismatch,
    /// Decryption failed.
    #[error("口令不正确，无法解开备份（或备份文件已被改动），未恢复")]
    WrongPassphrase,
    /// The file itself was refused.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// The key in the backup is not the key that signed it.
    #[error("备份中的密钥与备份的签名不符，可能被篡改，未恢复")]
    KeyMismatch,
    /// The file holds no backup volume at all.
    #[error("文件是空的，不是备份文件，未恢复")]
    Empty,
    /// A volume out of sequence, repeated, or a first volume without the settings.
    #[error("备份文件的分卷顺序不对（第 {0} 卷），文件可能被拼接或改动，未恢复")]
    OutOfOrder(u32),
    /// A volume of another backup, or signed by another key.
    #[error("备份文件中混入了另一份备份的内容，未恢复")]
    Foreign,
    /// The same case in two volumes.
    #[error("案件 {0} 在备份中出现了两次，文件可能被改动，未恢复")]
    CaseTwice(String),
    /// The file ended before its last volume.
    #[error(
        "备份文件不完整：共 {volumes} 卷，缺少第 {missing} 卷（文件可能没有复制完整），未恢复"
    )]
    Incomplete {
        /// The first missing volume.
        missing: u32,
        /// How many volumes the backup has.
        volumes: u32,
    },
}

impl From<SecretError> for BackupError {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::WrongPassphrase => BackupError::WrongPassphrase,
            SecretError::Malformed(what) => {
                BackupError::Bundle(BundleError::Malformed(what.into()))
            }
        }
    }
}

/// Whether a passphrase is long enough: 12 characters, or four words.
pub(crate) fn long_enough(passphrase: &str) -> bool {
    passphrase.trim().chars().count() >= MIN_PASSPHRASE_CHARS
        || passphrase.split_whitespace().count() >= MIN_PASSPHRASE_WORDS
}

/// How strong a passphrase reads, for the hint beside the field.
pub fn passphrase_hint(passphrase: &str) -> &'static str {
    let chars = passphrase.chars().filter(|c| !c.is_whitespace()).count();
    let kinds = [
        passphrase.chars().any(|c| c.is_ascii_digit()),
        passphrase.chars().any(|c| c.is_ascii_alphabetic()),
        !passphrase.is_ascii(),
        passphrase
            .chars()
            .any(|c| c.is_ascii_punctuation() || c == ' '),
    ]
    .into_iter()
    .filter(|k| *k)
    .count();
    match (long_enough(passphrase), chars + 2 * kinds) {
        (false, _) => "太短：至少 12 个字符，或 4 个以空格分开的词",
        (true, n) if n < 20 => "可以使用；再长一些、混用汉字、字母和数字更安全",
        _ => "较强",
    }
}

/// Checks a new passphrase and its confirmation.
pub fn check_passphrase(passphrase: &str, again: &str) -> Result<(), BackupError> {
    if !long_enough(passphrase) {
        return Err(BackupError::ShortPassphrase);
    }
    if passphrase != again {
        return Err(BackupError::PassphraseMismatch);
    }
    Ok(())
}

/// The payload of an older backup: one bundle holding everything (read, no longer written).
/// It repeats [`Settings`]' fields because its wire format is frozen and serde's `flatten`
/// cannot be combined with `deny_unknown_fields`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Backup {
    /// The unit's card (its public key is the signer's).
    pub unit: UnitCard,
    /// When the backup was made (UTC ms).
    pub created_at: i64,
    /// The unit profile.
    pub profile: UnitProfile,
    /// The working-day calendar, as schedule text.
    pub calendar: String,
    /// Trusted units.
    pub directory: Vec<TrustedUnit>,
    /// Sensitive dates, one editor line each (absent in backups made before they existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_dates: Vec<String>,
    /// The signing key, sealed with the backup's passphrase.
    pub key: SealedKey,
    /// Every case with all its events.
    pub cases: Vec<WireCase>,
}

/// Cases per backup volume: about 17 MB of JSON at county averages, so every volume is
/// built, verified and stored with bounded memory however large the database grows.
pub const VOLUME_CASES: usize = 2_000;
/// Most volumes one backup may declare (40 million cases): a bound on a hostile file.
pub const MAX_VOLUMES: u32 = 20_000;

/// How many volumes a backup of `cases` cases has (an empty database still has one).
pub fn volumes_for(cases: usize) -> u32 {
    u32::try_from(cases.div_ceil(VOLUME_CASES).max(1)).unwrap_or(MAX_VOLUMES)
}

/// Everything but the cases: carried by the first volume only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// The unit profile.
    pub profile: UnitProfile,
    /// The working-day calendar, as schedule text.
    pub calendar: String,
    /// Trusted units.
    pub directory: Vec<TrustedUnit>,
    /// Sensitive dates, one editor line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_dates: Vec<String>,
    /// The screening register: each item's events (absent before the register existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screening: Vec<Vec<ScreeningEvent>>,
    /// The emergency plans: each plan's events (absent before the register existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Vec<PlanEvent>>,
    /// The leaders' reception days: each day's events (absent before they existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receptions: Vec<Vec<ReceptionEvent>>,
    /// The responsibility agreements: each agreement's events (absent before they existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<Vec<AgreementEvent>>,
    /// The signing key, sealed with the backup's passphrase.
    pub key: SealedKey,
}

/// The payload of one backup volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Volume {
    /// Random id shared by every volume of one backup (32 lowercase hex digits).
    pub backup_id: String,
    /// This volume's number, from 1.
    pub volume: u32,
    /// How many volumes the backup has.
    pub volumes: u32,
    /// The unit's card (its public key is the signer's).
    pub unit: UnitCard,
    /// When the backup was made (UTC ms).
    pub created_at: i64,
    /// Settings and key: present in volume 1, absent in every other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    /// This volume's cases, each with all its events.
    pub cases: Vec<WireCase>,
}

/// What a volume encrypts: its settings (volume 1) and its cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Content {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    settings: Option<Settings>,
    cases: Vec<WireCase>,
}

/// The payload of one encrypted backup volume: who, which backup and which volume stay
/// readable (so a reader verifies the signature and the order before it decrypts); the
/// settings and the cases are sealed under the passphrase's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SealedVolume {
    /// As in [`Volume`].
    pub backup_id: String,
    /// As in [`Volume`].
    pub volume: u32,
    /// As in [`Volume`].
    pub volumes: u32,
    /// As in [`Volume`].
    pub unit: UnitCard,
    /// As in [`Volume`].
    pub created_at: i64,
    /// How the key is derived from the passphrase (the same in every volume).
    pub kdf: Kdf,
    /// Base64 12-byte nonce, fresh for each volume.
    pub nonce: String,
    /// ChaCha20-Poly1305 ciphertext of the volume's settings and cases, base64 in pieces.
    pub ciphertext: Pieces,
}

impl SealedVolume {
    /// The associated data: the ciphertext belongs to this backup, this volume of that
    /// many, this time and this unit's key, so no volume can be swapped or renumbered.
    fn ad(&self) -> Vec<u8> {
        format!(
            "xinfang-backup-volume\n{}\n{}\n{}\n{}\n{}",
            self.backup_id, self.volume, self.volumes, self.created_at, self.unit.public_key
        )
        .into_bytes()
    }
}

/// Writes a backup volume by volume: the key is sealed once (PBKDF2 is slow on
/// purpose), then each volume is signed on its own line.
pub struct BackupWriter {
    head: Volume,
    settings: Settings,
    identity: Identity,
    kdf: Kdf,
    key: PassKey,
}

impl BackupWriter {
    /// Prepares a backup of `volumes` volumes; salt, nonce and id are fresh random bytes.
    pub fn new(
        input: &BackupInput,
        passphrase: &str,
        (salt, nonce, id): ([u8; 16], [u8; 12], [u8; 16]),
        volumes: u32,
    ) -> BackupWriter {
        let backup_id = id.iter().map(|b| format!("{b:02x}")).collect();
        // One slow derivation seals the signing key and every volume.
        let kdf = Kdf::new(salt, KDF_ITERATIONS);
        let key = derive(passphrase, &salt, KDF_ITERATIONS);
        BackupWriter {
            head: Volume {
                backup_id,
                volume: 0,
                volumes,
                unit: UnitCard::of(input.profile, input.identity),
                created_at: input.at.0,
                settings: None,
                cases: Vec::new(),
            },
            settings: Settings {
                profile: input.profile.clone(),
                calendar: input.calendar.to_text(),
                directory: input.directory.to_vec(),
                sensitive_dates: input
                    .sensitive_dates
                    .iter()
                    .map(SensitiveDate::to_line)
                    .collect(),
                screening: input.screening.to_vec(),
                plans: input.plans.to_vec(),
                receptions: input.receptions.to_vec(),
                agreements: input.agreements.to_vec(),
                key: seal_key_with(input.identity, &key, &kdf, nonce),
            },
            identity: input.identity.clone(),
            kdf,
            key,
        }
    }

    /// How many volumes the backup has.
    pub fn volumes(&self) -> u32 {
        self.head.volumes
    }

    /// Volume `n` (from 1) holding `cases` (each case's events), encrypted with `nonce`
    /// (fresh random bytes), as one line of the file without its line feed.
    pub fn volume(
        &self,
        n: u32,
        cases: &[Vec<Event>],
        nonce: [u8; 12],
    ) -> Result<String, BundleError> {
        let content = Content {
            settings: (n == 1).then(|| self.settings.clone()),
            cases: cases
                .iter()
                .filter(|log| !log.is_empty())
                .map(|log| wire_case(log))
                .collect::<Result<_, _>>()?,
        };
        let plain =
            serde_json::to_vec(&content).map_err(|e| BundleError::Malformed(e.to_string()))?;
        let mut sealed = SealedVolume {
            backup_id: self.head.backup_id.clone(),
            volume: n,
            volumes: self.head.volumes,
            unit: self.head.unit.clone(),
            created_at: self.head.created_at,
            kdf: self.kdf.clone(),
            nonce: B64.encode(nonce),
            ciphertext: Pieces::Split(Vec::new()),
        };
        sealed.ciphertext = Pieces::of(&seal(&self.key, nonce, &sealed.ad(), &plain));
        let v = serde_json::to_value(&sealed).map_err(|e| BundleError::Malformed(e.to_string()))?;
        seal_line(PayloadType::SealedBackupVolume, v, &self.identity)
    }
}

/// One case's events on the wire, under its case number.
fn wire_case(log: &[Event]) -> Result<WireCase, BundleError> {
    let case_no = log
        .iter()
        .find_map(|e| match &e.body {
            EventBody::Registered { case_no, .. } => Some(case_no.clone()),
            _ => None,
        })
        .unwrap_or_default();
    Ok(WireCase {
        case_id: log
            .first()
            .map(|e| e.case_id.to_string())
            .unwrap_or_default(),
        case_no,
        events: log
            .iter()
            .map(WireEvent::from_event)
            .collect::<Result<_, _>>()?,
    })
}

/// One volume read and verified.
#[derive(Debug)]
pub struct VolumeRead {
    /// Its number, from 1.
    pub volume: u32,
    /// How many volumes the backup has.
    pub volumes: u32,
    /// Settings and sealed key (volume 1 only); open them with [`BackupReader::open`].
    pub settings: Option<Settings>,
    /// Its cases, each case's events.
    pub cases: Vec<Vec<Event>>,
}

/// What the first volume fixed for the rest.
#[derive(Debug)]
struct Head {
    backup_id: String,
    volumes: u32,
    created_at: i64,
    unit: UnitCard,
    signer: PublicKey,
}

/// Reads a backup's records in order, checking that each is signed by the same key,
/// belongs to the same backup, comes in sequence, and holds valid cases none of which
/// was seen before. [`BackupReader::finish`] then checks that no volume is missing.
#[derive(Debug, Default)]
pub struct BackupReader {
    head: Option<Head>,
    seen: u32,
    cases: HashSet<String>,
    counters: BTreeMap<Series, u32>,
    passphrase: String,
    /// The key of the backup's derivation, made once.
    key: Option<(Kdf, PassKey)>,
}

impl BackupReader {
    /// A reader of a backup sealed with `passphrase`.
    pub fn new(passphrase: &str) -> BackupReader {
        BackupReader {
            passphrase: passphrase.to_owned(),
            ..BackupReader::default()
        }
    }

    /// The key for `kdf`: derived on the first volume; every later one must name the same.
    fn key_for(&mut self, kdf: &Kdf) -> Result<PassKey, BackupError> {
        match &self.key {
            Some((k, key)) if k == kdf => Ok(key.clone()),
            Some(_) => Err(BackupError::Foreign),
            None => {
                let key = kdf
                    .key(&self.passphrase)
                    .ok_or_else(|| BundleError::Malformed("kdf".into()))?;
                self.key = Some((kdf.clone(), key.clone()));
                Ok(key)
            }
        }
    }

    /// Decrypts a sealed volume whose signature was verified.
    fn unsealed(&mut self, s: SealedVolume) -> Result<Volume, BackupError> {
        let key = self.key_for(&s.kdf)?;
        let bad = |_| BundleError::Malformed("ciphertext".into());
        let nonce = B64.decode(&s.nonce).map_err(bad)?;
        let ciphertext = s
            .ciphertext
            .bytes()
            .ok_or_else(|| BundleError::Malformed("ciphertext".into()))?;
        let plain =
            unseal(&key, &nonce, &s.ad(), &ciphertext).ok_or(BackupError::WrongPassphrase)?;
        let content: Content = serde_json::from_value(strict::parse(&plain)?)
            .map_err(|e| BundleError::Malformed(e.to_string()))?;
        Ok(Volume {
            backup_id: s.backup_id,
            volume: s.volume,
            volumes: s.volumes,
            unit: s.unit,
            created_at: s.created_at,
            settings: content.settings,
            cases: content.cases,
        })
    }

    /// Verifies the next record (its signature before anything else), decrypts it and
    /// returns its contents.
    pub fn read(&mut self, record: &[u8]) -> Result<VolumeRead, BackupError> {
        let opened = open(record)?;
        let v = match opened.kind {
            PayloadType::SealedBackupVolume => {
                let s = serde_json::from_value::<SealedVolume>(opened.payload)
                    .map_err(|e| BundleError::Malformed(e.to_string()))?;
                // Who signed it is checked before its key is derived or anything decrypted.
                if s.unit.key().as_ref() != Some(&opened.signer) {
                    return Err(BackupError::KeyMismatch);
                }
                self.unsealed(s)?
            }
            // Backups made before volumes were encrypted.
            PayloadType::BackupVolume => serde_json::from_value::<Volume>(opened.payload)
                .map_err(|e| BundleError::Malformed(e.to_string()))?,
            PayloadType::Backup => Self::older(opened.payload)?,
            other => {
                return Err(
                    BundleError::WrongType(format!("这是{}，不是数据备份", other.label())).into(),
                )
            }
        };
        if v.unit.key().as_ref() != Some(&opened.signer) {
            return Err(BackupError::KeyMismatch);
        }
        match &self.head {
            None if v.volume != 1 || v.settings.is_none() => {
                return Err(BackupError::OutOfOrder(v.volume))
            }
            None if v.volumes == 0 || v.volumes > MAX_VOLUMES => {
                return Err(BundleError::Malformed("volumes".into()).into())
            }
            None => {
                self.head = Some(Head {
                    backup_id: v.backup_id.clone(),
                    volumes: v.volumes,
                    created_at: v.created_at,
                    unit: v.unit.clone(),
                    signer: opened.signer,
                })
            }
            Some(h) => {
                if h.signer != opened.signer
                    || h.backup_id != v.backup_id
                    || h.volumes != v.volumes
                    || h.created_at != v.created_at
                    || h.unit != v.unit
                {
                    return Err(BackupError::Foreign);
                }
                if v.volume != self.seen + 1 || v.settings.is_some() {
                    return Err(BackupError::OutOfOrder(v.volume));
                }
            }
        }
        self.seen = v.volume;
        let mut cases = Vec::with_capacity(v.cases.len());
        for c in &v.cases {
            if !self.cases.insert(c.case_id.clone()) {
                return Err(BackupError::CaseTwice(c.case_no.clone()));
            }
            let log = merge(&[], &validate_case(c)?)?;
            for (key, seq) in last_numbers(&log) {
                let slot = self.counters.entry(key).or_default();
                *slot = (*slot).max(seq);
            }
            cases.push(log);
        }
        Ok(VolumeRead {
            volume: v.volume,
            volumes: v.volumes,
            settings: v.settings,
            cases,
        })
    }

    /// An older single-bundle backup, read as a backup of one volume.
    fn older(payload: serde_json::Value) -> Result<Volume, BackupError> {
        let b: Backup =
            serde_json::from_value(payload).map_err(|e| BundleError::Malformed(e.to_string()))?;
        Ok(Volume {
            backup_id: String::new(),
            volume: 1,
            volumes: 1,
            unit: b.unit,
            created_at: b.created_at,
            settings: Some(Settings {
                profile: b.profile,
                calendar: b.calendar,
                directory: b.directory,
                sensitive_dates: b.sensitive_dates,
                screening: Vec::new(),
                plans: Vec::new(),
                receptions: Vec::new(),
                agreements: Vec::new(),
                key: b.key,
            }),
            cases: b.cases,
        })
    }

    /// Opens the first volume's settings: the key with the passphrase (it must be the
    /// key that signed the backup), the calendar and the sensitive dates.
    pub fn open(&self, settings: &Settings, passphrase: &str) -> Result<Restored, BackupError> {
        let signer = &self.head.as_ref().ok_or(BackupError::OutOfOrder(0))?.signer;
        // The key sealed with the volumes' own derivation needs no second slow one.
        let identity = match &self.key {
            Some((kdf, key)) if *kdf == settings.key.kdf() => open_key_with(&settings.key, key)?,
            _ => open_key(&settings.key, passphrase)?,
        };
        if &identity.public_key() != signer {
            return Err(BackupError::KeyMismatch);
        }
        let calendar = WorkCalendar::parse(&settings.calendar)
            .map_err(|e| BundleError::Malformed(format!("calendar: {e}")))?;
        let sensitive_dates = parse_list(&settings.sensitive_dates.join("\n"))
            .map_err(|e| BundleError::Malformed(format!("sensitiveDates: {}", e.join(" "))))?;
        // Every entry must fold, or the backup is refused before anything is stored.
        registers::folds("screening", &settings.screening, screening::fold)?;
        registers::folds("plans", &settings.plans, plans::fold)?;
        registers::folds("receptions", &settings.receptions, receptions::fold)?;
        registers::folds("agreements", &settings.agreements, agreements::fold)?;
        Ok(Restored {
            profile: settings.profile.clone(),
            calendar,
            directory: settings.directory.clone(),
            sensitive_dates,
            screening: settings.screening.clone(),
            plans: settings.plans.clone(),
            receptions: settings.receptions.clone(),
            agreements: settings.agreements.clone(),
            identity,
            counters: BTreeMap::new(),
        })
    }

    /// The key that signed the volumes read so far.
    pub fn signer(&self) -> Option<&PublicKey> {
        self.head.as_ref().map(|h| &h.signer)
    }

    /// After the last record: the case-number counters, or which volume is missing.
    pub fn finish(&self) -> Result<BTreeMap<Series, u32>, BackupError> {
        let h = self.head.as_ref().ok_or(BackupError::Empty)?;
        if self.seen < h.volumes {
            return Err(BackupError::Incomplete {
                missing: self.seen + 1,
                volumes: h.volumes,
            });
        }
        Ok(self.counters.clone())
    }
}

/// Reads a whole backup file held in memory: settings (with the counters) and every
/// case. The app streams large files through [`Records`] and [`BackupReader`] instead.
pub fn read_backup(
    bytes: &[u8],
    passphrase: &str,
) -> Result<(Restored, Vec<Vec<Event>>), BackupError> {
    let mut reader = BackupReader::new(passphrase);
    let mut restored = None;
    let mut cases = Vec::new();
    for record in Records::all(bytes)? {
        let v = reader.read(&record)?;
        if let Some(s) = &v.settings {
            restored = Some(reader.open(s, passphrase)?);
        }
        cases.extend(v.cases);
    }
    let counters = reader.finish()?;
    let mut restored = restored.ok_or(BackupError::Empty)?;
    restored.counters = counters;
    Ok((restored, cases))
}

/// The reminder to show, if the last backup is older than 7 days or there are changes
/// since (`events_then` events were held at that backup, `events_now` are held now).
pub fn reminder(
    last: Option<Timestamp>,
    now: Timestamp,
    events_then: u64,
    events_now: u64,
) -> Option<String> {
    match last {
        None if events_now == 0 => None,
        None => Some("尚未备份过数据：请在“设置 → 备份与恢复”中导出备份".to_owned()),
        Some(at) => {
            let days = (now.china_date() - at.china_date()).num_days();
            let changed = events_now.saturating_sub(events_then);
            match (days > BACKUP_REMINDER_DAYS, changed > 0) {
                (true, _) => Some(format!("上次备份已是 {days} 天前，请及时备份")),
                (false, true) => Some(format!("上次备份后新增 {changed} 条记录，尚未备份")),
                (false, false) => None,
            }
        }
    }
}

mod parts;
mod pieces;
mod registers;
#[cfg(test)]
mod tests;
