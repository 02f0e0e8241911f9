//! Backups written and read volume by volume: sealed key, order, completeness.

use super::*;
use crate::domain::case::CaseNumber;
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

fn input<'a>(
    id: &'a Identity,
    cal: &'a WorkCalendar,
    dir: &'a [TrustedUnit],
    dates: &'a [SensitiveDate],
) -> BackupInput<'a> {
    BackupInput {
        profile: Box::leak(Box::new(unit())),
        calendar: cal,
        directory: dir,
        sensitive_dates: dates,
        screening: &[],
        plans: &[],
        receptions: &[],
        agreements: &[],
        identity: id,
        at: Timestamp(9),
    }
}

/// The three cases in two volumes, as the file's lines.
fn two_volumes(w: &BackupWriter) -> Vec<String> {
    let cases: Vec<Vec<Event>> = events().into_iter().map(|e| vec![e]).collect();
    vec![
        w.volume(1, &cases[..2], [11; 12]).unwrap(),
        w.volume(2, &cases[2..], [12; 12]).unwrap(),
    ]
}

fn file(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn backup_then_restore_reproduces_everything() {
    let id = Identity::from_seed([5; 32]);
    let mut cal = WorkCalendar::official();
    cal.workdays
        .insert(chrono::NaiveDate::from_ymd_opt(2026, 12, 26).unwrap());
    let dir = vec![TrustedUnit {
        card: UnitCard::of(&unit(), &Identity::from_seed([6; 32])),
        trusted_at: Timestamp(1),
        revoked_at: None,
    }];
    let dates = parse_list("12-01 人代会").unwrap();
    let w = BackupWriter::new(
        &input(&id, &cal, &dir, &dates),
        "正确的口令 2026",
        ([1; 16], [2; 12], [3; 16]),
        2,
    );
    let lines = two_volumes(&w);
    assert!(
        lines.iter().all(|l| !l.contains('\n')),
        "one volume per line"
    );
    let text = file(&lines);
    let (r, cases) = read_backup(text.as_bytes(), "正确的口令 2026").unwrap();
    assert_eq!(r.profile, unit());
    assert_eq!(r.calendar, cal);
    assert_eq!(r.directory, dir);
    assert_eq!(r.sensitive_dates[0].label, "人代会");
    assert_eq!(r.identity.public_key(), id.public_key());
    let evs = events();
    assert_eq!(cases.len(), 3);
    for (log, e) in cases.iter().zip(&evs) {
        assert_eq!(fold(log).unwrap(), fold(std::slice::from_ref(e)).unwrap());
    }
    assert_eq!(
        r.counters.get(&Series {
            unit_code: "XF01".into(),
            year: 2026
        }),
        Some(&31)
    );
    assert!(matches!(
        read_backup(text.as_bytes(), "错误的口令 2026"),
        Err(BackupError::WrongPassphrase)
    ));
    // Only the second volume is changed (one character of its ciphertext): the first
    // alone verifies.
    let tampered = file(&[lines[0].clone(), flip_ciphertext(&lines[1])]);
    assert!(matches!(
        read_backup(tampered.as_bytes(), "正确的口令 2026"),
        Err(BackupError::Bundle(BundleError::BadSignature))
    ));
}

/// One character of a volume's ciphertext changed, the signature left as it was.
fn flip_ciphertext(line: &str) -> String {
    let at = line.find("\"ciphertext\":[\"").unwrap() + 15;
    let mut bytes = line.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

/// Reads every record without opening the key (the refusals come first).
fn verdict(text: &str) -> Result<usize, BackupError> {
    let mut reader = BackupReader::new("正确的口令 2026");
    let mut n = 0;
    for record in Records::all(text.as_bytes())? {
        n += reader.read(&record)?.cases.len();
    }
    reader.finish()?;
    Ok(n)
}

#[test]
fn volumes_must_be_complete_in_order_and_of_one_backup() {
    let (cal, id) = (WorkCalendar::official(), Identity::from_seed([5; 32]));
    let w = BackupWriter::new(
        &input(&id, &cal, &[], &[]),
        "正确的口令 2026",
        ([1; 16], [2; 12], [3; 16]),
        2,
    );
    let [one, two] = <[String; 2]>::try_from(two_volumes(&w)).unwrap();
    assert_eq!(verdict(&file(&[one.clone(), two.clone()])), Ok(3));
    assert_eq!(
        verdict(&file(std::slice::from_ref(&one))),
        Err(BackupError::Incomplete {
            missing: 2,
            volumes: 2
        })
    );
    assert_eq!(
        verdict(&file(&[two.clone(), one.clone()])),
        Err(BackupError::OutOfOrder(2))
    );
    assert_eq!(
        verdict(&file(&[one.clone(), one.clone()])),
        Err(BackupError::OutOfOrder(1))
    );
    // The same unit and key, another backup.
    let other = BackupWriter::new(
        &input(&id, &cal, &[], &[]),
        "正确的口令 2026",
        ([1; 16], [2; 12], [4; 16]),
        2,
    );
    let [_, other_two] = <[String; 2]>::try_from(two_volumes(&other)).unwrap();
    assert_eq!(
        verdict(&file(&[one.clone(), other_two])),
        Err(BackupError::Foreign)
    );
    // Another unit's key.
    let stranger = Identity::from_seed([8; 32]);
    let theirs = BackupWriter::new(
        &input(&stranger, &cal, &[], &[]),
        "正确的口令 2026",
        ([1; 16], [2; 12], [3; 16]),
        2,
    );
    let [_, their_two] = <[String; 2]>::try_from(two_volumes(&theirs)).unwrap();
    assert_eq!(
        verdict(&file(&[one.clone(), their_two])),
        Err(BackupError::Foreign)
    );
    // A case repeated in a later volume.
    let again = w.volume(2, &[vec![events().remove(0)]], [13; 12]).unwrap();
    assert!(
        matches!(verdict(&file(&[one.clone(), again])), Err(BackupError::CaseTwice(no)) if no == "XF01-2026-00011")
    );
    assert_eq!(verdict(""), Err(BackupError::Empty));
    assert!(matches!(
        verdict(&one[..one.len() / 2]),
        Err(BackupError::Bundle(BundleError::NotJson(_)))
    ));
}

#[test]
fn an_older_single_bundle_backup_still_restores() {
    let id = Identity::from_seed([5; 32]);
    let older = Backup {
        unit: UnitCard::of(&unit(), &id),
        created_at: 9,
        profile: unit(),
        calendar: WorkCalendar::official().to_text(),
        directory: vec![],
        sensitive_dates: vec![],
        key: seal_key(&id, "正确的口令 2026", [1; 16], [2; 12], 1_000),
        cases: vec![wire_case(&events()[..1]).unwrap()],
    };
    let text = crate::exchange::seal(
        PayloadType::Backup,
        serde_json::to_value(&older).unwrap(),
        &id,
    )
    .unwrap();
    assert!(text.starts_with("{\n"), "older backups are pretty-printed");
    let (r, cases) = read_backup(text.as_bytes(), "正确的口令 2026").unwrap();
    assert_eq!((r.profile, cases.len()), (unit(), 1));
    assert_eq!(
        r.counters.get(&Series {
            unit_code: "XF01".into(),
            year: 2026
        }),
        Some(&11)
    );
}

#[test]
fn volume_counts() {
    assert_eq!(volumes_for(0), 1);
    assert_eq!(volumes_for(VOLUME_CASES), 1);
    assert_eq!(volumes_for(VOLUME_CASES + 1), 2);
}

proptest::proptest! {
    /// However the file is sliced while reading, the records are the same.
    #[test]
    fn records_do_not_depend_on_slicing(cuts in proptest::collection::vec(1usize..40, 1..30), pretty: bool) {
        let text = if pretty {
            "{\n  \"a\": 1,\n  \"b\": [\n  ]\n}\n".to_owned()
        } else {
            "{\"a\":1}\n\n{\"b\":\"甲乙\"}\r\n{\"c\":3}".to_owned()
        };
        let whole = Records::all(text.as_bytes()).unwrap();
        proptest::prop_assert_eq!(whole.len(), if pretty { 1 } else { 3 });
        let (mut r, mut got, mut at) = (Records::default(), Vec::new(), 0);
        for cut in cuts.iter().cycle() {
            if at >= text.len() {
                break;
            }
            let end = (at + cut).min(text.len());
            got.extend(r.push(&text.as_bytes()[at..end]).unwrap());
            at = end;
        }
        got.extend(r.finish());
        proptest::prop_assert_eq!(got, whole);
    }
}

#[test]
fn passphrases_and_reminders() {
    assert_eq!(
        check_passphrase("短", "短"),
        Err(BackupError::ShortPassphrase)
    );
    assert_eq!(
        check_passphrase("县信访局备份口令", "县信访局备份口令"),
        Err(BackupError::ShortPassphrase),
        "8 characters are not enough"
    );
    assert_eq!(
        check_passphrase("县信访局备份口令2026", "县信访局备份口令2025"),
        Err(BackupError::PassphraseMismatch)
    );
    assert!(check_passphrase("县信访局备份口令2026", "县信访局备份口令2026").is_ok());
    assert!(
        check_passphrase("春风 杨柳 万千 条", "春风 杨柳 万千 条").is_ok(),
        "four words"
    );
    assert!(passphrase_hint("短").starts_with("太短"));
    assert!(passphrase_hint("县信访局备份口令2026").starts_with("可以使用"));
    assert_eq!(
        passphrase_hint("县信访局 Backup-2026 城关镇 档案室!"),
        "较强"
    );
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

#[test]
fn volumes_are_encrypted_and_bound_to_their_place() {
    let id = Identity::from_seed([5; 32]);
    let cal = WorkCalendar::official();
    let w = BackupWriter::new(
        &input(&id, &cal, &[], &[]),
        "正确的口令 2026 年底",
        ([1; 16], [2; 12], [3; 16]),
        2,
    );
    let lines = two_volumes(&w);
    let text = file(&lines);
    // Nothing of the petitioner, the unit's settings or the cases' text is readable.
    for secret in [
        "张三",
        "11010519491231002X",
        "13800138000",
        "拖欠",
        "城关镇",
    ] {
        assert!(!text.contains(secret), "{secret} is readable");
    }
    assert!(text.contains("backup-volume-sealed"));
    let (restored, cases) = read_backup(text.as_bytes(), "正确的口令 2026 年底").unwrap();
    assert_eq!(cases.len(), 3);
    assert_eq!(restored.identity.public_key(), id.public_key());
    assert_eq!(
        read_backup(text.as_bytes(), "错误的口令 2026 年底").unwrap_err(),
        BackupError::WrongPassphrase
    );
    // A volume's ciphertext moved under another volume's number: refused by the
    // signature (the header is signed) or, re-signed, by the associated data.
    let mut reader = BackupReader::new("正确的口令 2026 年底");
    reader.read(lines[0].as_bytes()).unwrap();
    let second: serde_json::Value =
        serde_json::from_value(open(lines[1].as_bytes()).unwrap().payload).unwrap();
    let first: serde_json::Value =
        serde_json::from_value(open(lines[0].as_bytes()).unwrap().payload).unwrap();
    let mut swapped = second.clone();
    swapped["ciphertext"] = first["ciphertext"].clone();
    swapped["nonce"] = first["nonce"].clone();
    let forged = seal_line(PayloadType::SealedBackupVolume, swapped, &id).unwrap();
    assert_eq!(
        reader.read(forged.as_bytes()).unwrap_err(),
        BackupError::WrongPassphrase
    );
    // A changed byte of the ciphertext breaks the signature before anything is decrypted.
    assert!(matches!(
        BackupReader::new("正确的口令 2026 年底").read(flip_ciphertext(&lines[0]).as_bytes()),
        Err(BackupError::Bundle(BundleError::BadSignature))
    ));
}

#[test]
fn a_volume_past_the_longest_string_still_goes_out_and_comes_back() {
    use crate::domain::attachment::Attachment;
    // Three submissions with 4 MiB photos each: one volume of about 16 MiB of JSON,
    // twice the longest string the strict profile reads.
    let photo = {
        let mut b = b"\x89PNG\r\n\x1A\n".to_vec();
        b.resize(4 << 20, 7);
        B64.encode(b)
    };
    let cases: Vec<Vec<Event>> = events()
        .into_iter()
        .map(|e| {
            let submitted = Event {
                id: EventId::from_random([0xee; 16]),
                case_id: e.case_id.clone(),
                actor: e.actor.clone(),
                at: e.at,
                body: EventBody::Submitted {
                    query_code: "ABCD-EFGH-JKMN".into(),
                    submitter_key: String::new(),
                    earlier: String::new(),
                    reply_key: String::new(),
                    attachments: vec![Attachment {
                        name: "照片.png".into(),
                        media_type: "image/png".into(),
                        data: photo.clone(),
                    }],
                },
            };
            vec![e, submitted]
        })
        .collect();
    let id = Identity::from_seed([5; 32]);
    let cal = WorkCalendar::official();
    let w = BackupWriter::new(
        &input(&id, &cal, &[], &[]),
        "正确的口令 2026",
        ([1; 16], [2; 12], [3; 16]),
        1,
    );
    let line = w.volume(1, &cases, [11; 12]).unwrap();
    assert!(line.len() > 2 * strict::MAX_STRING_BYTES);
    let (_, back) = read_backup(format!("{line}\n").as_bytes(), "正确的口令 2026").unwrap();
    assert_eq!(back.len(), 3);
    assert!(back.iter().all(|log| log.len() == 2));
}
