//! Whole-database backup: one signed bundle with the unit's profile, settings, trusted
//! units, every case's events, and the signing key sealed with a passphrase. Restoring
//! it into an empty browser reproduces all of them.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde::{Deserialize, Serialize};

use super::payload::{TrustedUnit, UnitCard, WireCase, WireEvent};
use super::{open, seal, BundleError, Identity, PayloadType};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseNumber;
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

/// The payload of a backup bundle.
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

/// Everything a backup restores.
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
    /// Every event.
    pub events: Vec<Event>,
    /// Case-number counters (`seq:UNIT:YEAR` → last sequence), so numbers are never reused.
    pub counters: BTreeMap<String, u32>,
}

/// Everything needed to write a backup.
pub struct BackupInput<'a> {
    /// Unit profile.
    pub profile: &'a UnitProfile,
    /// Calendar.
    pub calendar: &'a WorkCalendar,
    /// Trusted units.
    pub directory: &'a [TrustedUnit],
    /// Sensitive dates.
    pub sensitive_dates: &'a [SensitiveDate],
    /// Signing identity (signs the file, and is sealed inside it).
    pub identity: &'a Identity,
    /// Every event held.
    pub events: &'a [Event],
    /// Now.
    pub at: Timestamp,
}

/// Writes a signed backup file.
pub fn write_backup(
    input: &BackupInput,
    passphrase: &str,
    salt: [u8; 16],
    nonce: [u8; 12],
) -> Result<String, BundleError> {
    let mut by_case: BTreeMap<String, (String, Vec<WireEvent>)> = BTreeMap::new();
    for e in input.events {
        let entry = by_case.entry(e.case_id.to_string()).or_default();
        if let EventBody::Registered { case_no, .. } = &e.body {
            entry.0 = case_no.clone();
        }
        entry.1.push(WireEvent::from_event(e)?);
    }
    let backup = Backup {
        unit: UnitCard::of(input.profile, &input.identity.public_key()),
        created_at: input.at.0,
        profile: input.profile.clone(),
        calendar: input.calendar.to_text(),
        directory: input.directory.to_vec(),
        sensitive_dates: input
            .sensitive_dates
            .iter()
            .map(SensitiveDate::to_line)
            .collect(),
        key: seal_key(input.identity, passphrase, salt, nonce, KDF_ITERATIONS),
        cases: by_case
            .into_iter()
            .map(|(case_id, (case_no, events))| WireCase {
                case_id,
                case_no,
                events,
            })
            .collect(),
    };
    let v = serde_json::to_value(&backup).map_err(|e| BundleError::Malformed(e.to_string()))?;
    seal(PayloadType::Backup, v, input.identity)
}

/// Verifies a backup file, opens its key with the passphrase, and reads everything.
pub fn read_backup(bytes: &[u8], passphrase: &str) -> Result<Restored, BackupError> {
    let opened = open(bytes)?;
    if opened.kind != PayloadType::Backup {
        return Err(
            BundleError::WrongType(format!("这是{}，不是数据备份", opened.kind.label())).into(),
        );
    }
    let b: Backup = serde_json::from_value(opened.payload)
        .map_err(|e| BundleError::Malformed(e.to_string()))?;
    let identity = open_key(&b.key, passphrase)?;
    if identity.public_key() != opened.signer || b.unit.key().as_ref() != Some(&opened.signer) {
        return Err(BackupError::KeyMismatch);
    }
    let calendar = WorkCalendar::parse(&b.calendar)
        .map_err(|e| BundleError::Malformed(format!("calendar: {e}")))?;
    let sensitive_dates = parse_list(&b.sensitive_dates.join("\n"))
        .map_err(|e| BundleError::Malformed(format!("sensitiveDates: {}", e.join(" "))))?;
    let events = super::payload::validate_cases(&b.cases)?;
    Ok(Restored {
        sensitive_dates,
        counters: counters(&events),
        profile: b.profile,
        calendar,
        directory: b.directory,
        identity,
        events,
    })
}

/// The last sequence used per unit and year, read from the case numbers registered.
pub fn counters(events: &[Event]) -> BTreeMap<String, u32> {
    let mut out: BTreeMap<String, u32> = BTreeMap::new();
    for e in events {
        let EventBody::Registered { case_no, .. } = &e.body else {
            continue;
        };
        let parts: Vec<&str> = case_no.rsplitn(3, '-').collect();
        if let [seq, year, unit] = parts.as_slice() {
            if let (Ok(seq), Ok(year)) = (seq.parse::<u32>(), year.parse::<i32>()) {
                let key = CaseNumber::counter_key(unit, year);
                let slot = out.entry(key).or_default();
                *slot = (*slot).max(seq);
            }
        }
    }
    out
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
mod tests {
    use super::*;
    use crate::domain::case::{fold, register};
    use crate::domain::ids::{CaseId, EventId};
    use crate::domain::petition::tests::{today, valid_draft};
    use crate::domain::unit::tests::county as unit;

    fn events() -> Vec<Event> {
        (1..=3u8)
            .map(|n| {
                let p = valid_draft().validate(today()).unwrap();
                register(
                    EventId::from_random([n; 16]),
                    CaseId::from_random([n; 16]),
                    unit().actor(),
                    Timestamp(1_795_658_400_000 + i64::from(n)),
                    &CaseNumber::next("XF01", 2026, Some(u32::from(n) * 10)),
                    p,
                )
            })
            .collect()
    }

    #[test]
    fn backup_then_restore_reproduces_everything() {
        let id = Identity::from_seed([5; 32]);
        let mut cal = WorkCalendar::official();
        cal.workdays
            .insert(chrono::NaiveDate::from_ymd_opt(2026, 12, 26).unwrap());
        let dir = vec![TrustedUnit {
            card: UnitCard::of(&unit(), &Identity::from_seed([6; 32]).public_key()),
            trusted_at: Timestamp(1),
            revoked_at: None,
        }];
        let evs = events();
        let input = BackupInput {
            profile: &unit(),
            calendar: &cal,
            directory: &dir,
            sensitive_dates: &parse_list("12-01 人代会").unwrap(),
            identity: &id,
            events: &evs,
            at: Timestamp(9),
        };
        let file = write_backup(&input, "正确的口令 2026", [1; 16], [2; 12]).unwrap();
        let r = read_backup(file.as_bytes(), "正确的口令 2026").unwrap();
        assert_eq!(r.profile, unit());
        assert_eq!(r.calendar, cal);
        assert_eq!(r.directory, dir);
        assert_eq!(r.sensitive_dates[0].label, "人代会");
        assert_eq!(r.identity.public_key(), id.public_key());
        assert_eq!(r.events.len(), 3);
        for e in &evs {
            assert_eq!(
                fold(
                    &r.events
                        .iter()
                        .filter(|x| x.case_id == e.case_id)
                        .cloned()
                        .collect::<Vec<_>>()
                )
                .unwrap(),
                fold(std::slice::from_ref(e)).unwrap()
            );
        }
        assert_eq!(r.counters.get("seq:XF01:2026"), Some(&31));
        assert!(matches!(
            read_backup(file.as_bytes(), "错误的口令 2026"),
            Err(BackupError::WrongPassphrase)
        ));
        assert!(matches!(
            read_backup(
                file.replace("某某县", "某某市").as_bytes(),
                "正确的口令 2026"
            ),
            Err(BackupError::Bundle(BundleError::BadSignature))
        ));
    }

    #[test]
    fn passphrases_and_reminders() {
        assert_eq!(
            check_passphrase("短", "短"),
            Err(BackupError::ShortPassphrase)
        );
        assert_eq!(
            check_passphrase("长长长长长长长长", "长长长长长长长"),
            Err(BackupError::PassphraseMismatch)
        );
        assert!(check_passphrase("长长长长长长长长", "长长长长长长长长").is_ok());
        let day = 86_400_000;
        let now = Timestamp(1_795_658_400_000);
        assert_eq!(reminder(None, now, 0, 0), None);
        assert!(reminder(None, now, 0, 5).unwrap().contains("尚未备份"));
        assert_eq!(reminder(Some(Timestamp(now.0 - 2 * day)), now, 5, 5), None);
        assert!(reminder(Some(Timestamp(now.0 - 2 * day)), now, 5, 7)
            .unwrap()
            .contains("新增 2 条"));
        assert!(reminder(Some(Timestamp(now.0 - 8 * day)), now, 5, 5)
            .unwrap()
            .contains("8 天前"));
    }
}
