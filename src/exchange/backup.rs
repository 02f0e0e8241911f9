//! Whole-database backup: signed volumes, one per line of the file, holding the unit's
//! profile, settings, trusted units and signing key (sealed with a passphrase) and every
//! case's events. Volumes keep a county-size backup (hundreds of megabytes) within what
//! a browser tab can build and check piece by piece. Restoring them into an empty
//! browser reproduces all of it.

use std::collections::{BTreeMap, HashSet};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde::{Deserialize, Serialize};

use super::card::{TrustedUnit, UnitCard};
use super::envelope::{open, seal_line, Identity, PayloadType, PublicKey};
use super::error::{BundleError, MAX_BUNDLE_BYTES};
use super::merge::merge;
use super::wire::{validate_case, WireCase, WireEvent};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{last_numbers, Series};
use crate::domain::event::{Event, EventBody};
use crate::domain::sensitive::{parse_list, SensitiveDate};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;

/// PBKDF2 rounds for new backups (OWASP's figure for PBKDF2-HMAC-SHA256).
pub const KDF_ITERATIONS: u32 = 600_000;
/// Shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// Days after which the app reminds the user to back up.
pub const BACKUP_REMINDER_DAYS: i64 = 7;

/// The signing key sealed with a passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SealedKey {
    /// Always `pbkdf2-hmac-sha256`.
    pub kdf: String,
    /// PBKDF2 rounds.
    pub iterations: u32,
    /// Base64 16-byte salt.
    pub salt: String,
    /// Base64 12-byte ChaCha20-Poly1305 nonce.
    pub nonce: String,
    /// Base64 ciphertext of the 32-byte seed, with its tag.
    pub ciphertext: String,
}

/// Why a passphrase or backup was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// Too short.
    #[error("口令至少 {MIN_PASSPHRASE_CHARS} 个字符")]
    ShortPassphrase,
    /// The two entries differ.
    #[error("两次输入的口令不一致")]
    PassphraseMismatch,
    /// Decryption failed.
    #[error("口令不正确，无法解开备份中的签名密钥")]
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

fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(passphrase.as_bytes(), salt, iterations, &mut key);
    key
}

/// Checks a new passphrase and its confirmation.
pub fn check_passphrase(passphrase: &str, again: &str) -> Result<(), BackupError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackupError::ShortPassphrase);
    }
    if passphrase != again {
        return Err(BackupError::PassphraseMismatch);
    }
    Ok(())
}

/// Seals the identity's seed with a passphrase; salt and nonce are fresh random bytes.
pub fn seal_key(
    identity: &Identity,
    passphrase: &str,
    salt: [u8; 16],
    nonce: [u8; 12],
    iterations: u32,
) -> SealedKey {
    let key = derive(passphrase, &salt, iterations);
    let seed = B64.decode(identity.seed_base64()).unwrap_or_default();
    let ciphertext = ChaCha20Poly1305::new(Key::from_slice(&key))
        .encrypt(Nonce::from_slice(&nonce), seed.as_slice())
        .unwrap_or_default();
    SealedKey {
        kdf: "pbkdf2-hmac-sha256".into(),
        iterations,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        ciphertext: B64.encode(ciphertext),
    }
}

/// Opens a sealed key with the passphrase.
pub fn open_key(sealed: &SealedKey, passphrase: &str) -> Result<Identity, BackupError> {
    let bad = || BackupError::Bundle(BundleError::Malformed("key".into()));
    if sealed.kdf != "pbkdf2-hmac-sha256"
        || sealed.iterations == 0
        || sealed.iterations > 10_000_000
    {
        return Err(bad());
    }
    let salt = B64.decode(&sealed.salt).map_err(|_| bad())?;
    let nonce: [u8; 12] = B64
        .decode(&sealed.nonce)
        .ok()
        .and_then(|n| n.try_into().ok())
        .ok_or_else(bad)?;
    let ciphertext = B64.decode(&sealed.ciphertext).map_err(|_| bad())?;
    let key = derive(passphrase, &salt, sealed.iterations);
    let seed = ChaCha20Poly1305::new(Key::from_slice(&key))
        .decrypt(Nonce::from_slice(&nonce), ciphertext.as_slice())
        .map_err(|_| BackupError::WrongPassphrase)?;
    let seed: [u8; 32] = seed.try_into().map_err(|_| BackupError::WrongPassphrase)?;
    Ok(Identity::from_seed(seed))
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

/// Everything a backup restores besides the cases.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Unit profile.
    pub profile: UnitProfile,
    /// Calendar.
    pub calendar: WorkCalendar,
    /// Trusted units.
    pub directory: Vec<TrustedUnit>,
    /// Sensitive dates.
    pub sensitive_dates: Vec<SensitiveDate>,
    /// Signing identity.
    pub identity: Identity,
    /// The last case number of each series, so numbers are never reused.
    pub counters: BTreeMap<Series, u32>,
}

/// Everything needed to write a backup besides the cases.
pub struct BackupInput<'a> {
    /// Unit profile.
    pub profile: &'a UnitProfile,
    /// Calendar.
    pub calendar: &'a WorkCalendar,
    /// Trusted units.
    pub directory: &'a [TrustedUnit],
    /// Sensitive dates.
    pub sensitive_dates: &'a [SensitiveDate],
    /// Signing identity (signs every volume, and is sealed inside the first).
    pub identity: &'a Identity,
    /// Now.
    pub at: Timestamp,
}

/// Writes a backup volume by volume: the key is sealed once (PBKDF2 is slow on
/// purpose), then each volume is signed on its own line.
pub struct BackupWriter {
    head: Volume,
    settings: Settings,
    identity: Identity,
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
        BackupWriter {
            head: Volume {
                backup_id,
                volume: 0,
                volumes,
                unit: UnitCard::of(input.profile, &input.identity.public_key()),
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
                key: seal_key(input.identity, passphrase, salt, nonce, KDF_ITERATIONS),
            },
            identity: input.identity.clone(),
        }
    }

    /// How many volumes the backup has.
    pub fn volumes(&self) -> u32 {
        self.head.volumes
    }

    /// Volume `n` (from 1) holding `cases` (each case's events), as one line of the
    /// file without its line feed.
    pub fn volume(&self, n: u32, cases: &[Vec<Event>]) -> Result<String, BundleError> {
        let volume = Volume {
            volume: n,
            settings: (n == 1).then(|| self.settings.clone()),
            cases: cases
                .iter()
                .filter(|log| !log.is_empty())
                .map(|log| wire_case(log))
                .collect::<Result<_, _>>()?,
            ..self.head.clone()
        };
        let v = serde_json::to_value(&volume).map_err(|e| BundleError::Malformed(e.to_string()))?;
        seal_line(PayloadType::BackupVolume, v, &self.identity)
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

/// Splits a backup file, read slice by slice, into its records: one volume per line;
/// a file whose first line is a lone `{` is an older backup, one pretty-printed bundle,
/// and is one record. No record may pass [`MAX_BUNDLE_BYTES`].
#[derive(Debug, Default)]
pub struct Records {
    buf: Vec<u8>,
    /// Bytes of `buf` already searched for a line feed.
    scanned: usize,
    /// Whether the file is one pretty-printed bundle; unknown until the first line ends.
    whole: Option<bool>,
}

impl Records {
    /// Takes the next slice of the file; returns the records it completes.
    pub fn push(&mut self, slice: &[u8]) -> Result<Vec<Vec<u8>>, BundleError> {
        self.buf.extend_from_slice(slice);
        if self.whole.is_none() {
            if let Some(end) = memchr::memchr(b'\n', &self.buf) {
                self.whole = Some(self.buf[..end].trim_ascii() == b"{");
            }
        }
        let mut out = Vec::new();
        if self.whole == Some(false) {
            let mut from = 0;
            while let Some(i) = memchr::memchr(b'\n', &self.buf[self.scanned..]) {
                let end = self.scanned + i;
                let line = self.buf[from..end].trim_ascii();
                if !line.is_empty() {
                    out.push(line.to_vec());
                }
                from = end + 1;
                self.scanned = from;
            }
            self.buf.drain(..from);
            self.scanned = self.buf.len();
        }
        if self.buf.len() > MAX_BUNDLE_BYTES {
            return Err(BundleError::TooLarge(self.buf.len() / (1024 * 1024)));
        }
        Ok(out)
    }

    /// The last record, at the end of the file.
    pub fn finish(self) -> Option<Vec<u8>> {
        let rest = self.buf.trim_ascii();
        (!rest.is_empty()).then(|| rest.to_vec())
    }

    /// Every record of a whole file held in memory.
    pub fn all(bytes: &[u8]) -> Result<Vec<Vec<u8>>, BundleError> {
        let mut r = Records::default();
        let mut out = r.push(bytes)?;
        out.extend(r.finish());
        Ok(out)
    }
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
}

impl BackupReader {
    /// Verifies the next record and returns its contents.
    pub fn read(&mut self, record: &[u8]) -> Result<VolumeRead, BackupError> {
        let opened = open(record)?;
        let v = match opened.kind {
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
                key: b.key,
            }),
            cases: b.cases,
        })
    }

    /// Opens the first volume's settings: the key with the passphrase (it must be the
    /// key that signed the backup), the calendar and the sensitive dates.
    pub fn open(&self, settings: &Settings, passphrase: &str) -> Result<Restored, BackupError> {
        let signer = &self.head.as_ref().ok_or(BackupError::OutOfOrder(0))?.signer;
        let identity = open_key(&settings.key, passphrase)?;
        if &identity.public_key() != signer {
            return Err(BackupError::KeyMismatch);
        }
        let calendar = WorkCalendar::parse(&settings.calendar)
            .map_err(|e| BundleError::Malformed(format!("calendar: {e}")))?;
        let sensitive_dates = parse_list(&settings.sensitive_dates.join("\n"))
            .map_err(|e| BundleError::Malformed(format!("sensitiveDates: {}", e.join(" "))))?;
        Ok(Restored {
            profile: settings.profile.clone(),
            calendar,
            directory: settings.directory.clone(),
            sensitive_dates,
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
    let mut reader = BackupReader::default();
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

#[cfg(test)]
mod tests;
