//! The bundle test vectors in `tests/vectors/`: every file gets the verdict its
//! manifest states. `cargo test --test vectors -- --ignored write_vectors` regenerates
//! them from the fixed, published test seeds below (never real keys).
#![cfg(not(target_arch = "wasm32"))]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{json, Value};
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::case::{fold, register, take_step, CaseNumber, CaseState};
use xinfang::domain::petition::PetitionerDraft;
use xinfang::domain::vocab::{Category, Channel, PetitionType, UnitLevel};
use xinfang::domain::workflow::{Routing, Step};
use xinfang::domain::{CaseId, EventId, PetitionDraft, Timestamp, UnitProfile};
use xinfang::exchange::authors::sign_own;
use xinfang::exchange::backup::{
    read_backup, seal_key, Backup, BackupInput, BackupReader, BackupWriter, Records,
};
use xinfang::exchange::card::{seal_unit_card, UnitCard, UnitRef};
use xinfang::exchange::read::read;
use xinfang::exchange::recipient::{seal_to, Decryptor, EncryptionKey};
use xinfang::exchange::transfer::{seal_transfer, transfer, Purpose, Transfer};
use xinfang::exchange::{open, seal, Identity, PayloadType};

/// Published test seeds: A is the trusted county, B the trusted township, C a stranger.
const SEED_A: [u8; 32] = *b"xinfang test seed A: county 0001";
const SEED_B: [u8; 32] = *b"xinfang test seed B: town 000002";
/// The passphrase of the vectors' backups (in the manifest too, so a reader can decrypt).
const BACKUP_PASSPHRASE: &str = "test passphrase 0001";
const SEED_C: [u8; 32] = *b"xinfang test seed C: untrusted 3";

/// The encryption key pair of a test seed's unit.
fn decryptor(seed: [u8; 32]) -> Decryptor {
    Decryptor::of(&Identity::from_seed(seed))
}

/// Test-only HPKE randomness of the vectors (a real sender draws fresh bytes).
const EPHEMERAL: [u8; 32] = [0x11; 32];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn county() -> UnitProfile {
    UnitProfile {
        name: "某某县信访局".into(),
        level: UnitLevel::County,
        code: "XF01".into(),
        townships: vec!["城关镇".into()],
        departments: vec![],
        operator: "王五".into(),
        parent: String::new(),
    }
}

/// The township the county assigns cases to; the county is its 上级单位.
fn township() -> UnitProfile {
    UnitProfile {
        name: "城关镇人民政府".into(),
        level: UnitLevel::Township,
        code: "CGZ01".into(),
        townships: vec!["城关镇".into()],
        departments: vec![],
        operator: "李四".into(),
        parent: "某某县信访局".into(),
    }
}

/// A case the county assigned to the township (a unit in the system), which received,
/// accepted and handled it and reports back: the events of two units.
fn a_reported_case() -> CaseState {
    let mut state = a_case(4, "道路破损", "赵六");
    let cal = WorkCalendar::official();
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    // The assignment `a_case` made named no code; this one does.
    state.events.truncate(1);
    let mut state = fold(&state.events).unwrap();
    let steps = [
        (
            county(),
            Step::Route {
                routing: Routing::Assign {
                    to: "城关镇人民政府".into(),
                    to_code: Some("CGZ01".into()),
                    report_due: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                },
                on: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            },
        ),
        (township(), Step::Receive { on: today }),
        (township(), Step::Accept { on: today }),
        (township(), Step::NotifyAcceptance { on: today }),
        (
            township(),
            Step::Report {
                summary: "已修复路面并答复信访人".into(),
                on: today,
            },
        ),
    ];
    for (i, (who, step)) in steps.into_iter().enumerate() {
        let at = Timestamp(1_795_740_000_000 + i as i64 * 60_000);
        let id = EventId::from_random([4, i as u8 + 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let e = take_step(&state, step, today, &cal, id, who.actor(), at).unwrap();
        let mut events = state.events.clone();
        events.push(e);
        state = fold(&events).unwrap();
    }
    state
}

/// The township's report: the county's events carried with the county's signatures
/// (as the county's 交办 brought them), its own signed as it seals the file; `edit`
/// changes the payload after the county signed and before the township seals.
fn report_file_edited(edit: impl FnOnce(&mut Transfer)) -> String {
    let to = UnitRef {
        code: "XF01".into(),
        name: "某某县信访局".into(),
    };
    let mut t = transfer(
        &township(),
        &to,
        Purpose::Report,
        &[a_reported_case()],
        Timestamp(1_795_741_000_000),
    )
    .unwrap();
    sign_own(&mut t.cases, "XF01", &Identity::from_seed(SEED_A)).unwrap();
    edit(&mut t);
    seal_transfer(
        &t,
        &Identity::from_seed(SEED_B),
        &EncryptionKey::of(&Identity::from_seed(SEED_A)),
        EPHEMERAL,
    )
    .unwrap()
}

fn report_file() -> String {
    report_file_edited(|_| {})
}

fn a_case(n: u8, title: &str, name: &str) -> CaseState {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let p = PetitionDraft {
        channel: Some(Channel::Visit),
        petitioners: vec![PetitionerDraft {
            name: name.into(),
            phone: "13800138000".into(),
            ..Default::default()
        }],
        title: title.into(),
        request: format!("请求解决{title}问题，维护合法权益"),
        facts: "“引号”、顿号、emoji 😀 与换行\n第二行".into(),
        category: Some(Category::LabourSocialSecurity),
        petition_type: Some(PetitionType::Claim),
        township: "城关镇".into(),
        ..Default::default()
    }
    .validate(today)
    .unwrap();
    let at = Timestamp(1_795_658_400_000 + i64::from(n) * 60_000);
    let reg = register(
        EventId::from_random([n; 16]),
        CaseId::from_random([n; 16]),
        county().actor(),
        at,
        &CaseNumber::next("XF01", 2026, Some(n.into())),
        p,
    );
    let state = fold(std::slice::from_ref(&reg)).unwrap();
    let route = Step::Route {
        routing: Routing::Assign {
            to_code: None,
            to: "城关镇人民政府".into(),
            report_due: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
        },
        on: today,
    };
    let step = take_step(
        &state,
        route,
        today,
        &WorkCalendar::official(),
        EventId::from_random([n, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        county().actor(),
        Timestamp(at.0 + 1),
    )
    .unwrap();
    fold(&[reg, step]).unwrap()
}

fn transfer_file() -> String {
    let to = UnitRef {
        code: "CGZ01".into(),
        name: "城关镇人民政府".into(),
    };
    let cases = [
        a_case(1, "拖欠工资", "张三"),
        a_case(2, "宅基地纠纷", "李四"),
        a_case(3, "噪声扰民", "王小二"),
    ];
    let t = transfer(
        &county(),
        &to,
        Purpose::Assign,
        &cases,
        Timestamp(1_795_660_000_000),
    )
    .unwrap();
    seal_transfer(
        &t,
        &Identity::from_seed(SEED_A),
        &EncryptionKey::of(&Identity::from_seed(SEED_B)),
        EPHEMERAL,
    )
    .unwrap()
}

/// A 交办 of one screening item (排查台账) from the county A to the township B.
fn items_file_edited(edit: impl FnOnce(&mut Transfer)) -> String {
    use xinfang::domain::registers::screening::{fold as fold_item, record, Risk, ScreeningDraft};
    let found = ScreeningDraft {
        found_on: "2026-11-20".into(),
        township: "城关镇".into(),
        village: "东村".into(),
        category: Some(Category::LandExpropriation),
        parties: "张三、李四等".into(),
        head_count: "12".into(),
        matter: "东村征地补偿款分配不均，村民拟集体上访".into(),
        risk: Some(Risk::High),
        responsible: "城关镇人民政府".into(),
        leader: "李副县长".into(),
        measures: "镇村干部逐户走访，公开补偿明细".into(),
        deadline: "2026-12-10".into(),
        ..ScreeningDraft::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
    .unwrap();
    let first = record(
        EventId::from_random([0x51; 16]),
        xinfang::domain::ids::EntryId::from_random([0x52; 16]),
        county().actor(),
        Timestamp(1_795_660_000_000),
        found,
    );
    let item = fold_item(&[first]).unwrap();
    let to = UnitRef {
        code: "CGZ01".into(),
        name: "城关镇人民政府".into(),
    };
    let mut t = xinfang::exchange::transfer::transfer_items(
        &county(),
        &to,
        Purpose::Assign,
        &[item],
        Timestamp(1_795_660_100_000),
    )
    .unwrap();
    let a = Identity::from_seed(SEED_A);
    // Signed as `seal_transfer` signs, then edited, then sealed as it seals.
    t.reply_key = EncryptionKey::of(&a).to_base64();
    sign_own(&mut t.items, "XF01", &a).unwrap();
    edit(&mut t);
    seal_to(
        PayloadType::Transfer,
        &t,
        &EncryptionKey::of(&Identity::from_seed(SEED_B)),
        &a,
        EPHEMERAL,
    )
    .unwrap()
}

/// An older backup: one pretty-printed bundle (format of 2026-11; still read).
fn backup_file() -> String {
    let c = a_case(4, "征地补偿", "赵六");
    let id = Identity::from_seed(SEED_A);
    let older = Backup {
        unit: UnitCard::of(&county(), &id),
        created_at: 1_795_660_000_000,
        profile: county(),
        calendar: WorkCalendar::official().to_text(),
        directory: vec![],
        sensitive_dates: vec![],
        // Test-only salt and nonce; the passphrase of this vector is "test passphrase 0001".
        key: seal_key(&id, "test passphrase 0001", [7; 16], [9; 12], 600_000),
        cases: serde_json::from_value(json!([{
            "caseId": c.id.to_string(),
            "caseNo": c.case_no,
            "events": c.events.iter().map(|e| serde_json::to_value(
                xinfang::exchange::wire::WireEvent::from_event(e).unwrap()).unwrap()).collect::<Vec<_>>(),
        }]))
        .unwrap(),
    };
    seal(
        PayloadType::Backup,
        serde_json::to_value(&older).unwrap(),
        &id,
    )
    .unwrap()
}

/// A backup of two cases in two volumes, one per line.
fn backup_volumes() -> Vec<String> {
    let id = Identity::from_seed(SEED_A);
    let input = BackupInput {
        profile: &county(),
        calendar: &WorkCalendar::official(),
        directory: &[],
        sensitive_dates: &[],
        screening: &[],
        plans: &[],
        receptions: &[],
        agreements: &[],
        identity: &id,
        at: Timestamp(1_795_660_000_000),
    };
    // Test-only salt, nonce and id; the passphrase is "test passphrase 0001".
    let w = BackupWriter::new(
        &input,
        "test passphrase 0001",
        ([7; 16], [9; 12], [5; 16]),
        2,
    );
    let cases = [a_case(5, "征地补偿", "赵六"), a_case(6, "拆迁安置", "钱七")];
    (1..=2)
        .map(|n| {
            // Test-only nonces, one per volume.
            w.volume(
                n,
                &[cases[n as usize - 1].events.clone()],
                [n as u8 + 20; 12],
            )
            .unwrap()
                + "\n"
        })
        .collect()
}

/// (file, verdict, reason, contents)
fn vectors() -> Vec<(&'static str, &'static str, &'static str, String)> {
    let good = transfer_file();
    let volumes = backup_volumes();
    let card = seal_unit_card(
        &UnitCard::of(&county(), &Identity::from_seed(SEED_A)),
        &Identity::from_seed(SEED_A),
    )
    .unwrap();
    let b = Identity::from_seed(SEED_B).public_key();
    let a = Identity::from_seed(SEED_A).public_key();
    // The same sealed payload signed again by C: untrusted, and even a reader who
    // trusted C could not decrypt it (the HPKE info names the signer).
    let c_signed = seal(
        PayloadType::Transfer,
        open(good.as_bytes()).unwrap().payload,
        &Identity::from_seed(SEED_C),
    )
    .unwrap();
    let first_piece = open(good.as_bytes()).unwrap().payload["sealed"]["ciphertext"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let mut changed_piece = first_piece.clone().into_bytes();
    changed_piece[40] = if changed_piece[40] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let changed_piece = String::from_utf8(changed_piece).unwrap();
    vec![
        (
            "transfer-valid.json",
            "valid",
            "a 交办 of three cases with Chinese text, encrypted to B's encryption key and signed by trusted key A",
            good.clone(),
        ),
        (
            "unit-card-valid.json",
            "valid",
            "unit card of 某某县信访局 with its encryption key, self-signed by key A",
            card,
        ),
        (
            "transfer-report-valid.json",
            "valid",
            "the township's 办结报告 on a case the county assigned to it (签收, 受理, 受理告知, 办结报告), encrypted to A's encryption key and signed by trusted key B",
            report_file(),
        ),
        (
            "unit-card-township-valid.json",
            "valid",
            "unit card of 城关镇人民政府 naming its 上级单位 某某县信访局, self-signed by key B",
            seal_unit_card(
                &UnitCard::of(&township(), &Identity::from_seed(SEED_B)),
                &Identity::from_seed(SEED_B),
            )
            .unwrap(),
        ),
        (
            "backup-valid.json",
            "valid",
            "a backup of one case with settings, signed by key A",
            backup_file(),
        ),
        (
            "backup-volumes-valid.jsonl",
            "valid",
            "a backup of two cases in two volumes, one per line, each encrypted with the passphrase \"test passphrase 0001\", signed by key A",
            volumes.concat(),
        ),
        (
            "backup-volumes-missing.jsonl",
            "invalid",
            "the same backup without its second volume",
            volumes[0].clone(),
        ),
        (
            "transfer-changed-character.json",
            "invalid",
            "one character of the ciphertext changed after signing",
            good.replacen(&first_piece, &changed_piece, 1),
        ),
        (
            "transfer-changed-signer-key.json",
            "invalid",
            "publicKey and keyid replaced by trusted key B; the signature is A's",
            good.replace(&a.to_base64(), &b.to_base64())
                .replace(&a.keyid(), &b.keyid()),
        ),
        (
            "transfer-swapped-type.json",
            "invalid",
            "payloadType changed from transfer to backup: the PAE differs",
            good.replace("transfer+json", "backup+json"),
        ),
        (
            "transfer-duplicate-key.json",
            "invalid",
            "the payload object has the key \"purpose\" twice",
            good.replacen(
                "\"purpose\": \"assign\"",
                "\"purpose\": \"assign\",\n    \"purpose\": \"copy\"",
                1,
            ),
        ),
        (
            "transfer-float.json",
            "invalid",
            "createdAt written as a float",
            good.replacen(
                "\"createdAt\": 1795660000000",
                "\"createdAt\": 1795660000000.5",
                1,
            ),
        ),
        (
            "transfer-truncated.json",
            "invalid",
            "the file cut in the middle",
            good[..good.len() / 2].to_owned(),
        ),
        (
            "transfer-report-changed-relayed-event.json",
            "invalid",
            "the township's report with the county's 交办 event (signed by A) changed by the township before it signed the file with B: the file verifies and decrypts, the event's signature does not",
            report_file_edited(|t| {
                let e = &mut t.cases[0].events[1];
                let text = serde_json::to_string(&e.body).unwrap().replace("2026-12-10", "2027-01-10");
                e.body = serde_json::from_str(&text).unwrap();
            }),
        ),
        (
            "transfer-report-unsigned-own-event.json",
            "invalid",
            "the township's report with the signature of its own 办结报告 event removed: a file of format version 3 signs every event its sender wrote",
            {
                // Sealed as `seal_transfer` does, but with one of its own events unsigned.
                let opened = open(report_file().as_bytes()).unwrap();
                let clear = xinfang::exchange::recipient::clear_payload(&opened, &decryptor(SEED_A)).unwrap();
                let mut t: Transfer = serde_json::from_value(clear).unwrap();
                let e = t.cases[0].events.iter_mut().rev().find(|e| e.unit_code == "CGZ01").unwrap();
                e.signature = None;
                seal_to(
                    PayloadType::Transfer,
                    &t,
                    &EncryptionKey::of(&Identity::from_seed(SEED_A)),
                    &Identity::from_seed(SEED_B),
                    EPHEMERAL,
                )
                .unwrap()
            },
        ),
        (
            "transfer-items-valid.json",
            "valid",
            "a 交办 of one screening item (排查台账, §6.2.1) from A to B, its event signed by its author A",
            items_file_edited(|_| {}),
        ),
        (
            "transfer-items-changed-event.json",
            "invalid",
            "the same item with its head count changed after its author signed the event: the file verifies, the event's signature does not",
            items_file_edited(|t| {
                let body = &mut t.items[0].events[0].body;
                body["record"]["head_count"] = json!(120);
            }),
        ),
        (
            "transfer-untrusted.json",
            "untrusted",
            "the same sealed payload correctly signed again by key C, which is not in keys (and the ciphertext no longer decrypts: its HPKE info names A)",
            c_signed,
        ),
    ]
}

#[test]
#[ignore = "writes tests/vectors/; run by hand when the format changes"]
fn write_vectors() {
    fs::create_dir_all(dir()).unwrap();
    let mut manifest_vectors = Vec::new();
    for (file, verdict, reason, text) in vectors() {
        fs::write(dir().join(file), text).unwrap();
        manifest_vectors.push(json!({ "file": file, "verdict": verdict, "reason": reason }));
    }
    let keys: BTreeMap<String, String> = [SEED_A, SEED_B]
        .iter()
        .map(|s| Identity::from_seed(*s).public_key())
        .map(|k| (k.keyid(), k.to_base64()))
        .collect();
    // The test units' encryption keys, private halves included, so an independent
    // reader can decrypt the sealed vectors (these are published test keys).
    let recipients: BTreeMap<String, String> = [SEED_A, SEED_B]
        .iter()
        .map(|s| decryptor(*s))
        .map(|d| {
            (
                d.key().to_base64(),
                base64::engine::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    d.to_bytes(),
                ),
            )
        })
        .collect();
    for (file, plain) in plaintexts() {
        fs::write(dir().join(file), plain).unwrap();
    }
    let manifest = json!({
        "keys": keys,
        "encryptionKeys": recipients,
        "backupPassphrase": BACKUP_PASSPHRASE,
        "vectors": manifest_vectors
    });
    fs::write(
        dir().join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap() + "\n",
    )
    .unwrap();
}

/// The decrypted payload of each valid sealed vector, in the bytes HPKE opens to (RFC
/// 8785 canonical JSON), written beside the vectors for an independent reader to match.
fn plaintexts() -> Vec<(&'static str, Vec<u8>)> {
    [
        (
            "transfer-valid.plaintext.json",
            "transfer-valid.json",
            SEED_B,
        ),
        (
            "transfer-report-valid.plaintext.json",
            "transfer-report-valid.json",
            SEED_A,
        ),
        (
            "transfer-items-valid.plaintext.json",
            "transfer-items-valid.json",
            SEED_B,
        ),
    ]
    .into_iter()
    .map(|(out, file, seed)| {
        let text = vectors().into_iter().find(|v| v.0 == file).unwrap().3;
        let opened = open(text.as_bytes()).unwrap();
        let clear = xinfang::exchange::recipient::clear_payload(&opened, &decryptor(seed)).unwrap();
        (out, xinfang::exchange::envelope::canonical(&clear).unwrap())
    })
    .collect()
}

#[test]
fn the_sealed_vectors_decrypt_with_the_manifest_keys_only() {
    use base64::Engine;
    let manifest: Value =
        serde_json::from_slice(&fs::read(dir().join("manifest.json")).unwrap()).unwrap();
    for (out, plain) in plaintexts() {
        assert_eq!(fs::read(dir().join(out)).unwrap(), plain, "{out} is stale");
        let file = out.replace(".plaintext", "");
        let opened = open(&fs::read(dir().join(&file)).unwrap()).unwrap();
        let recipient = opened.payload["sealed"]["recipient"].as_str().unwrap();
        let secret = base64::engine::general_purpose::STANDARD
            .decode(manifest["encryptionKeys"][recipient].as_str().unwrap())
            .unwrap();
        let me = Decryptor::from_bytes(&secret).unwrap();
        let clear = xinfang::exchange::recipient::clear_payload(&opened, &me).unwrap();
        assert_eq!(
            xinfang::exchange::envelope::canonical(&clear).unwrap(),
            plain
        );
        // The other unit cannot.
        let other = [SEED_A, SEED_B]
            .into_iter()
            .map(decryptor)
            .find(|d| d.key().to_base64() != recipient)
            .unwrap();
        assert!(xinfang::exchange::recipient::clear_payload(&opened, &other).is_err());
    }
    // C's re-signed copy does not decrypt even for its recipient.
    let resigned = open(&fs::read(dir().join("transfer-untrusted.json")).unwrap()).unwrap();
    assert_eq!(
        xinfang::exchange::recipient::clear_payload(&resigned, &decryptor(SEED_B)),
        Err(xinfang::exchange::BundleError::Undecryptable)
    );
}

/// The signer of a backup file of volumes, if every volume verifies and none is missing.
fn read_volumes(bytes: &[u8]) -> Option<xinfang::exchange::PublicKey> {
    let mut reader = BackupReader::new(BACKUP_PASSPHRASE);
    for record in Records::all(bytes).ok()? {
        reader.read(&record).ok()?;
    }
    reader.finish().ok()?;
    reader.signer().cloned()
}

/// The recipient's decryptor of a sealed file whose recipient the manifest holds.
fn recipient_of(bytes: &[u8], manifest: &Value) -> Option<Decryptor> {
    use base64::Engine;
    let opened = open(bytes).ok()?;
    let recipient = opened.payload["sealed"]["recipient"].as_str()?;
    let secret = base64::engine::general_purpose::STANDARD
        .decode(manifest["encryptionKeys"][recipient].as_str()?)
        .ok()?;
    Decryptor::from_bytes(&secret)
}

#[test]
fn every_vector_gets_its_verdict() {
    let manifest: Value =
        serde_json::from_slice(&fs::read(dir().join("manifest.json")).unwrap()).unwrap();
    let keys = manifest["keys"].as_object().unwrap();
    let vectors = manifest["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 10);
    for v in vectors {
        let file = v["file"].as_str().unwrap();
        let bytes = fs::read(dir().join(file)).unwrap();
        let signer = if file.ends_with(".jsonl") {
            read_volumes(&bytes)
        } else {
            open(&bytes).ok().map(|o| o.signer)
        };
        let verdict = match signer {
            None => "invalid",
            // The full key is compared, never the key id alone.
            Some(signer) => match keys.get(&signer.keyid()) {
                Some(k) if k.as_str() == Some(signer.to_base64().as_str()) => {
                    // A trusted transfer is read whole by its recipient (decrypted, every
                    // event's author signature checked): a bad event makes it invalid.
                    match recipient_of(&bytes, &manifest) {
                        Some(me) if read(&bytes, &me).is_err() => "invalid",
                        _ => "valid",
                    }
                }
                _ => "untrusted",
            },
        };
        assert_eq!(
            verdict,
            v["verdict"].as_str().unwrap(),
            "{file}: {}",
            v["reason"]
        );
    }
}

#[test]
fn the_committed_vectors_are_what_the_code_writes() {
    for (file, _, _, text) in vectors() {
        assert_eq!(
            fs::read_to_string(dir().join(file)).unwrap(),
            text,
            "{file} is stale: regenerate the vectors"
        );
    }
}

#[test]
fn a_backup_offered_for_import_is_sent_to_restore() {
    for file in [
        "backup-volumes-valid.jsonl",
        "backup-volumes-missing.jsonl",
        "backup-valid.json",
    ] {
        let refused = read(&fs::read(dir().join(file)).unwrap(), &decryptor(SEED_A)).unwrap_err();
        assert!(
            matches!(&refused, xinfang::exchange::BundleError::WrongType(m) if m.contains("备份与恢复")),
            "{file}: {refused}"
        );
    }
}

#[test]
fn the_valid_transfer_reads_as_three_cases() {
    let (_, contents) = read(
        &fs::read(dir().join("transfer-valid.json")).unwrap(),
        &decryptor(SEED_B),
    )
    .unwrap();
    let xinfang::exchange::read::Contents::Transfer { transfer, events } = contents else {
        panic!("not a transfer")
    };
    assert_eq!(transfer.cases.len(), 3);
    assert_eq!(events.len(), 6);
}

#[test]
fn the_items_file_reads_as_one_item_and_its_changed_copy_is_refused() {
    let file = |name: &str| fs::read(dir().join(name)).unwrap();
    let (_, contents) = read(&file("transfer-items-valid.json"), &decryptor(SEED_B)).unwrap();
    let xinfang::exchange::read::Contents::Transfer { transfer, events } = contents else {
        panic!("not a transfer")
    };
    assert!(events.is_empty());
    assert_eq!(transfer.items.len(), 1);
    assert!(matches!(
        read(&file("transfer-items-changed-event.json"), &decryptor(SEED_B)),
        Err(xinfang::exchange::BundleError::EventSignature { ref case_no, .. })
            if case_no.starts_with("排查事项“")
    ));
}

#[test]
fn the_report_file_imports_at_the_county_and_a_self_approval_does_not() {
    use xinfang::domain::authorship::Importer;
    use xinfang::domain::event::EventBody;
    use xinfang::domain::workflow::Stage;
    use xinfang::exchange::merge::plan;
    let bytes = fs::read(dir().join("transfer-report-valid.json")).unwrap();
    let (_, contents) = read(&bytes, &decryptor(SEED_A)).unwrap();
    let xinfang::exchange::read::Contents::Transfer { events, .. } = contents else {
        panic!("not a transfer")
    };
    let county_log: Vec<_> = events.iter().take(2).cloned().collect();
    let held: BTreeMap<CaseId, Vec<_>> = [(county_log[0].case_id.clone(), county_log)].into();
    let importer = Importer {
        unit_code: "XF01",
        unit_name: "某某县信访局",
        now: Timestamp(1_795_742_000_000),
    };
    let p = plan(&events, &held, &importer).unwrap();
    assert_eq!(p.to_add.len(), 4);
    let merged: Vec<_> = events.clone();
    assert_eq!(fold(&merged).unwrap().flow.stage, Stage::Reported);
    // The same file with the township approving its own report is refused whole.
    let mut forged = events.clone();
    let mut approve = forged[forged.len() - 1].clone();
    approve.id = EventId::from_random([99; 16]);
    approve.at = Timestamp(approve.at.0 + 60_000);
    approve.body = EventBody::Step {
        step: Step::ApproveReport {
            on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        },
    };
    forged.push(approve);
    let refused = plan(&forged, &held, &importer).unwrap_err();
    assert!(refused.to_string().contains("审核通过"), "{refused}");
}

/// Files of format version 2 (signed, in clear), kept as they were written: they still
/// read, whole, whatever key the reader has.
#[test]
fn version_2_files_still_read() {
    let v2 = dir().join("v2");
    let transfer = fs::read(v2.join("transfer-valid.json")).unwrap();
    assert!(String::from_utf8_lossy(&transfer).contains("\"formatVersion\": 2"));
    let (_, contents) = read(&transfer, &decryptor(SEED_C)).unwrap();
    let xinfang::exchange::read::Contents::Transfer { transfer, events } = contents else {
        panic!("not a transfer")
    };
    assert_eq!((transfer.cases.len(), events.len()), (3, 6));
    let report = fs::read(v2.join("transfer-report-valid.json")).unwrap();
    assert!(read(&report, &decryptor(SEED_C)).is_ok());
    for card in ["unit-card-valid.json", "unit-card-township-valid.json"] {
        let card =
            xinfang::exchange::read::read_unit_card(&fs::read(v2.join(card)).unwrap()).unwrap();
        assert_eq!(
            card.encryption_key, "",
            "a version-2 card has no encryption key"
        );
        assert!(card.encryption().is_err());
    }
}

/// Files of format version 1, kept as they were written: they still read, whole.
#[test]
fn version_1_files_still_read() {
    let v1 = dir().join("v1");
    let transfer = fs::read(v1.join("transfer-valid.json")).unwrap();
    assert!(String::from_utf8_lossy(&transfer).contains("\"formatVersion\": 1"));
    let (_, contents) = read(&transfer, &decryptor(SEED_C)).unwrap();
    let xinfang::exchange::read::Contents::Transfer { transfer, events } = contents else {
        panic!("not a transfer")
    };
    assert_eq!((transfer.cases.len(), events.len()), (3, 6));
    let card = xinfang::exchange::read::read_unit_card(
        &fs::read(v1.join("unit-card-valid.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        (card.name.as_str(), card.parent.as_str()),
        ("某某县信访局", "")
    );
    for (file, cases) in [("backup-valid.json", 1), ("backup-volumes-valid.jsonl", 2)] {
        let (_, logs) =
            read_backup(&fs::read(v1.join(file)).unwrap(), "test passphrase 0001").unwrap();
        assert_eq!(logs.len(), cases, "{file}");
    }
}

/// A backup sealed before a volume's ciphertext was split into pieces (one string,
/// early December 2026): it still restores.
#[test]
fn backups_sealed_in_one_string_still_restore() {
    let file = fs::read(dir().join("v3").join("backup-volumes-one-string.jsonl")).unwrap();
    assert!(String::from_utf8_lossy(&file).contains("\"ciphertext\":\""));
    let (_, logs) = read_backup(&file, "test passphrase 0001").unwrap();
    assert_eq!(logs.len(), 2);
}

#[test]
fn the_township_card_names_its_parent() {
    let bytes = fs::read(dir().join("unit-card-township-valid.json")).unwrap();
    let card = xinfang::exchange::read::read_unit_card(&bytes).unwrap();
    assert_eq!(card.parent, "某某县信访局");
}

#[test]
fn the_valid_backups_restore_with_their_passphrase() {
    for (file, cases) in [("backup-valid.json", 1), ("backup-volumes-valid.jsonl", 2)] {
        let (r, logs) =
            read_backup(&fs::read(dir().join(file)).unwrap(), "test passphrase 0001").unwrap();
        assert_eq!(
            r.identity.public_key(),
            Identity::from_seed(SEED_A).public_key()
        );
        assert_eq!(logs.len(), cases, "{file}");
        assert!(logs.iter().all(|log| log.len() == 2), "{file}");
    }
}

#[test]
fn each_event_is_checked_against_its_authors_signature() {
    use xinfang::exchange::BundleError;
    let county = decryptor(SEED_A);
    let file = |name: &str| fs::read(dir().join(name)).unwrap();
    // The valid report carries the county's events with the county's signatures.
    let opened = open(&file("transfer-report-valid.json")).unwrap();
    let clear = xinfang::exchange::recipient::clear_payload(&opened, &county).unwrap();
    let t: Transfer = serde_json::from_value(clear).unwrap();
    let a = Identity::from_seed(SEED_A).public_key().to_base64();
    let b = Identity::from_seed(SEED_B).public_key().to_base64();
    for e in t.cases.iter().flat_map(|c| &c.events) {
        let by = &e.signature.as_ref().unwrap().public_key;
        assert_eq!(by, if e.unit_code == "XF01" { &a } else { &b });
    }
    assert!(matches!(
        read(&file("transfer-report-changed-relayed-event.json"), &county),
        Err(BundleError::EventSignature { .. })
    ));
    assert!(matches!(
        read(&file("transfer-report-unsigned-own-event.json"), &county),
        Err(BundleError::SenderUnsigned { .. })
    ));
}
