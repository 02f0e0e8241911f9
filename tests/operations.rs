//! The application's operations in a real browser (headless Chromium through
//! wasm-bindgen-test), on real IndexedDB: each returns what the screens show, and each
//! refusal or cancel leaves the stored data as it was.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use xinfang::app::backup::{self, Restore};
use xinfang::app::case::{record_correction, record_step, CorrectionError};
use xinfang::app::citizen::{import_files, Outcome};
use xinfang::app::demo::{self, Generated, BATCH};
use xinfang::app::error::AppError;
use xinfang::app::office::{self, Key};
use xinfang::app::progress::Unwatched;
use xinfang::app::register::{link_to, register_and_link, warnings};
use xinfang::app::transfer::{self, Found, Signer};
use xinfang::app::trust::{revoke_unit, trust_card};
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::case::CorrectionError as Refused;
use xinfang::domain::workflow::{Routing, RuleError, Stage, Step};
use xinfang::exchange::card::{TrustError, UnitCard, UnitRef};
use xinfang::exchange::citizen::submission::{seal_submission, Submission};
use xinfang::exchange::envelope::Identity;
use xinfang::exchange::error::BundleError;
use xinfang::exchange::keyring::KeyError;
use xinfang::exchange::recipient::Decryptor;
use xinfang::exchange::transfer::Purpose;
use xinfang::store::{ImportError, Store, StoreError};

use util::{at, fresh, petition, total, township, unit, CancelAfter, TestEnv};

wasm_bindgen_test_configure!(run_in_browser);

fn cal() -> WorkCalendar {
    WorkCalendar::official()
}

#[wasm_bindgen(inline_js = "export function dump(name) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const names = [...db.objectStoreNames];
      const tx = db.transaction(names);
      const out = [];
      for (const n of names) {
        const s = tx.objectStore(n);
        const keys = s.getAllKeys();
        const values = s.getAll();
        values.onsuccess = () => out.push(JSON.stringify([n, keys.result, values.result]));
      }
      tx.oncomplete = () => { db.close(); resolve(out.join('\\n')); };
      tx.onerror = () => reject(tx.error);
    };
  });
}
export function putRaw(name, key, value) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => {
      const tx = open.result.transaction('meta', 'readwrite');
      tx.objectStore('meta').put(value, key);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  });
}")]
extern "C" {
    /// Every record of every store of the database `name`, as JSON text: the raw look.
    fn dump(name: &str) -> js_sys::Promise;
    /// Puts `value` under `key` in `meta`, bypassing the app (an older version's record).
    #[wasm_bindgen(js_name = putRaw)]
    fn put_raw(name: &str, key: &str, value: &str) -> js_sys::Promise;
}

/// The whole database as its bytes lie, to look for a key in clear.
async fn raw(name: &str) -> String {
    wasm_bindgen_futures::JsFuture::from(dump(name))
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

/// Whether `text` holds the seed in any form the app writes (base64) or a reader might.
fn holds_seed(text: &str, identity: &Identity) -> bool {
    let seed = identity.seed_base64();
    let hex: String = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &seed)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    text.contains(&seed) || text.contains(&hex)
}

const OPERATOR: &str = "县信访局操作口令2026";

#[wasm_bindgen_test]
async fn the_key_is_never_stored_in_clear_and_opens_only_with_the_operator_passphrase() {
    Store::delete("op-office").await.unwrap();
    let env = TestEnv::at(at(0), 1);
    let first = office::open("op-office", false, &env).await.unwrap();
    assert_eq!(first.profile, None);
    let Key::Unsealed(identity) = first.key else {
        panic!("a new unit's key, not stored yet");
    };
    // A short passphrase, or two that differ: nothing is stored.
    for (p, a) in [("短口令", "短口令"), (OPERATOR, "县信访局操作口令2025")] {
        assert!(matches!(
            office::set_up(&first.store, &env, &unit(), &identity, p, a).await,
            Err(AppError::Key(_))
        ));
    }
    assert_eq!(first.store.profile().await.unwrap(), None);
    office::set_up(&first.store, &env, &unit(), &identity, OPERATOR, OPERATOR)
        .await
        .unwrap();
    first.store.close();
    let stored = raw("op-office").await;
    assert!(stored.contains("pbkdf2-hmac-sha256"), "{stored}");
    assert!(
        !holds_seed(&stored, &identity),
        "the seed lies in clear: {stored}"
    );

    let again = office::open("op-office", false, &TestEnv::at(at(1), 99))
        .await
        .unwrap();
    let Key::Locked(sealed) = again.key else {
        panic!("locked");
    };
    assert!(matches!(
        office::unlock(&sealed, "县信访局操作口令2025"),
        Err(AppError::Key(KeyError::Wrong))
    ));
    assert_eq!(office::unlock(&sealed, OPERATOR).unwrap(), identity);
    // A new passphrase needs the current one.
    let renamed = "春风 杨柳 万千 条";
    assert!(matches!(
        office::change_passphrase(
            &again.store,
            &env,
            &identity,
            "错误的口令123456",
            renamed,
            renamed
        )
        .await,
        Err(AppError::Key(KeyError::Wrong))
    ));
    office::change_passphrase(&again.store, &env, &identity, OPERATOR, renamed, renamed)
        .await
        .unwrap();
    again.store.close();
    let Key::Locked(sealed) = office::open("op-office", false, &env).await.unwrap().key else {
        panic!("locked");
    };
    assert!(office::unlock(&sealed, OPERATOR).is_err());
    assert_eq!(office::unlock(&sealed, renamed).unwrap(), identity);

    Store::delete("op-demo").await.unwrap();
    let demo = office::open("op-demo", true, &env).await.unwrap();
    assert_eq!(demo.profile, Some(xinfang::demo::demo_unit()));
    assert!(
        matches!(demo.key, Key::Open(_)),
        "the demo's key lives in memory only"
    );
    demo.store.close();
    assert!(!raw("op-demo").await.contains("\"identity\""));
}

#[wasm_bindgen_test]
async fn an_older_versions_clear_key_is_sealed_and_gone_from_the_database() {
    Store::delete("op-legacy").await.unwrap();
    let env = TestEnv::at(at(0), 1);
    let store = office::open("op-legacy", false, &env).await.unwrap().store;
    store.save_profile(&unit()).await.unwrap();
    store.close();
    let legacy = Identity::from_seed([7; 32]);
    wasm_bindgen_futures::JsFuture::from(put_raw("op-legacy", "identity", &legacy.seed_base64()))
        .await
        .unwrap();
    let opened = office::open("op-legacy", false, &env).await.unwrap();
    let Key::Unsealed(identity) = opened.key else {
        panic!("the clear key, to be sealed");
    };
    assert_eq!(identity, legacy);
    office::protect(&opened.store, &env, &identity, OPERATOR, OPERATOR)
        .await
        .unwrap();
    opened.store.close();
    assert!(!holds_seed(&raw("op-legacy").await, &legacy));
    let Key::Locked(sealed) = office::open("op-legacy", false, &env).await.unwrap().key else {
        panic!("locked");
    };
    assert_eq!(office::unlock(&sealed, OPERATOR).unwrap(), legacy);
}

#[wasm_bindgen_test]
async fn registering_warns_of_the_same_person_and_links_the_cases_confirmed() {
    let store = fresh("op-register").await;
    let env = TestEnv::at(at(0), 1);
    let first = register_and_link(
        &store,
        &env,
        &cal(),
        &unit(),
        petition("欠薪"),
        None,
        None,
        &[],
    )
    .await
    .unwrap();
    assert!(first.unlinked.is_empty());
    let w = warnings(&store, &petition("又来反映欠薪"), &env)
        .await
        .unwrap();
    assert_eq!(w.earlier.len(), 1, "the same 身份证号");
    assert_eq!(w.earlier[0].case_no, first.state.case_no);
    let later = register_and_link(
        &store,
        &TestEnv::at(at(5), 100),
        &cal(),
        &unit(),
        petition("又来反映欠薪"),
        None,
        None,
        &[first.state.case_no.clone(), "XF01-2026-09999".into()],
    )
    .await
    .unwrap();
    assert_eq!(later.state.repeat_of.len(), 1, "linked to the first case");
    assert_eq!(later.unlinked.len(), 1, "the unknown number is reported");
    assert_eq!(
        later.unlinked[0].1,
        AppError::UnknownCase("XF01-2026-09999".into())
    );
    let earlier = store.case(&first.state.id).await.unwrap().unwrap();
    assert!(earlier
        .events
        .iter()
        .any(|e| e.body.label() == "被重复反映"));
    // Linking twice is refused by the domain, and nothing is added.
    let events = store
        .case(&later.state.id)
        .await
        .unwrap()
        .unwrap()
        .events
        .len();
    let again = link_to(
        &store,
        &TestEnv::at(at(6), 200),
        &cal(),
        unit().actor(),
        &later.state,
        &first.state.case_no,
    )
    .await;
    assert!(matches!(again, Err(AppError::Link(_))), "{again:?}");
    assert_eq!(
        store
            .case(&later.state.id)
            .await
            .unwrap()
            .unwrap()
            .events
            .len(),
        events
    );
}

#[wasm_bindgen_test]
async fn a_step_the_rules_refuse_stores_nothing_and_an_allowed_one_moves_the_case() {
    let store = fresh("op-steps").await;
    let env = TestEnv::at(at(0), 1);
    let r = register_and_link(
        &store,
        &env,
        &cal(),
        &unit(),
        petition("道路"),
        None,
        None,
        &[],
    )
    .await
    .unwrap();
    let today = at(0).china_date();
    let refused = record_step(
        &store,
        &env,
        &cal(),
        unit().actor(),
        &r.state,
        Step::Terminate {
            note: "终结".into(),
            on: today,
        },
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(AppError::Rule(RuleError::TerminateBeforeSecondReview(
                Stage::AwaitingRouting
            )))
        ),
        "{refused:?}"
    );
    assert_eq!(
        store.case(&r.state.id).await.unwrap().unwrap().events.len(),
        1
    );
    let routed = record_step(
        &store,
        &env,
        &cal(),
        unit().actor(),
        &r.state,
        Step::Route {
            routing: Routing::Accept,
            on: today,
        },
    )
    .await
    .unwrap();
    assert_eq!(routed.flow.stage, Stage::Accepted);
    // A correction that changes nothing is refused; one that does is recorded.
    let same = record_correction(
        &store,
        &env,
        &cal(),
        unit().actor(),
        &routed,
        &routed.petition,
        "核对",
    )
    .await;
    assert!(matches!(
        same,
        Err(CorrectionError::Refused(Refused::NoChanges))
    ));
    let mut changed = routed.petition.clone();
    changed.title = "道路维修".into();
    let corrected = record_correction(
        &store,
        &env,
        &cal(),
        unit().actor(),
        &routed,
        &changed,
        "标题有误",
    )
    .await
    .unwrap();
    assert_eq!(corrected.petition.title, "道路维修");
}

#[wasm_bindgen_test]
async fn a_transfer_is_exported_verified_previewed_and_imported_once() {
    let county = fresh("op-county").await;
    let town = fresh("op-town").await;
    let env = TestEnv::at(at(0), 1);
    let (county_key, town_key) = (Identity::from_seed([1; 32]), Identity::from_seed([2; 32]));
    let case = register_and_link(
        &county,
        &env,
        &cal(),
        &unit(),
        petition("拆迁"),
        None,
        None,
        &[],
    )
    .await
    .unwrap()
    .state;
    let town_card = UnitCard::of(&township(), &town_key);
    let file = transfer::export(
        &county,
        &env,
        &unit(),
        &county_key,
        &town_card,
        Purpose::Assign,
        std::slice::from_ref(&case.id),
    )
    .await
    .unwrap();
    assert!(file.name.ends_with("-交办-CGZ01.json"), "{}", file.name);
    let Ok(Found::Transfer(v)) =
        transfer::verify_file(file.text.as_bytes(), &town_decryptor(), |_, _| {}).await
    else {
        panic!("a transfer");
    };
    let preview = transfer::preview(&town, &env, &township(), *v.clone())
        .await
        .unwrap();
    assert_eq!(preview.plan.new_cases.len(), 1);
    assert_eq!(preview.signer(&[]), Signer::Unknown, "not trusted yet");
    let directory = trust_card(&town, &env, preview.claimed_card(), None)
        .await
        .unwrap();
    assert!(matches!(preview.signer(&directory), Signer::Trusted(_)));
    let added = transfer::import(&town, &env, &cal(), &township(), &preview, &Unwatched)
        .await
        .unwrap();
    assert_eq!(added, preview.events.len());
    // Each event keeps the file (its SHA-256) and key it came with.
    assert_eq!(
        preview.file,
        xinfang::exchange::envelope::file_digest(file.text.as_bytes())
    );
    let came = town.provenance(&case.id).await.unwrap();
    assert_eq!(came.len(), added);
    assert!(
        came.values().all(|a| a.via.file == preview.file
            && a.via.signer == county_key.public_key().fingerprint()
            && a.signature.as_ref().map(|s| s.public_key.as_str())
                == Some(county_key.public_key().to_base64().as_str())),
        "every event the county wrote came signed by it, and is stored with its signature"
    );
    let again = transfer::preview(&town, &env, &township(), *v)
        .await
        .unwrap();
    assert!(again.plan.is_noop(), "importing twice changes nothing");
    assert_eq!(
        transfer::import(&town, &env, &cal(), &township(), &again, &Unwatched)
            .await
            .unwrap(),
        0
    );
    // For another unit, and changed by one byte: refused before anything is stored.
    assert!(matches!(
        transfer::preview(&county, &env, &unit(), *transfer_of(&file.text).await).await,
        Err(AppError::Bundle(_))
    ));
    assert!(!file.text.contains("拆迁"), "the case travels encrypted");
    let tampered = flip_ciphertext(&file.text);
    assert!(
        transfer::verify_file(tampered.as_bytes(), &town_decryptor(), |_, _| {})
            .await
            .is_err()
    );
    let revoked = revoke_unit(&town, &env, "XF01").await.unwrap();
    assert_eq!(preview.signer(&revoked), Signer::Unknown);
}

/// The township's decryption key (its identity is seed 2 in these tests).
fn town_decryptor() -> Decryptor {
    Decryptor::of(&Identity::from_seed([2; 32]))
}

/// The county's (seed 1): the office citizens submit to in these tests.
fn office_decryptor() -> Decryptor {
    Decryptor::of(&Identity::from_seed([1; 32]))
}

/// The file with one character of its first ciphertext piece changed.
fn flip_ciphertext(text: &str) -> String {
    let list = text.find("\"ciphertext\"").unwrap();
    let start = list + text[list..].find('[').unwrap();
    let i = start + text[start..].find('"').unwrap() + 20;
    let mut bytes = text.as_bytes().to_vec();
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

async fn transfer_of(text: &str) -> Box<xinfang::exchange::transfer::VerifiedTransfer> {
    match transfer::verify_file(text.as_bytes(), &town_decryptor(), |_, _| {}).await {
        Ok(Found::Transfer(v)) => v,
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn an_import_cancelled_stores_nothing() {
    let county = fresh("op-cancel-src").await;
    let town = fresh("op-cancel").await;
    let env = TestEnv::at(at(0), 1);
    let key = Identity::from_seed([1; 32]);
    let case = register_and_link(
        &county,
        &env,
        &cal(),
        &unit(),
        petition("水利"),
        None,
        None,
        &[],
    )
    .await
    .unwrap()
    .state;
    let card = UnitCard::of(&township(), &Identity::from_seed([2; 32]));
    let file = transfer::export(
        &county,
        &env,
        &unit(),
        &key,
        &card,
        Purpose::Forward,
        &[case.id],
    )
    .await
    .unwrap();
    let preview = transfer::preview(&town, &env, &township(), *transfer_of(&file.text).await)
        .await
        .unwrap();
    // Not trusted yet: the store refuses it inside the import's own transaction,
    // whatever a page would have allowed.
    assert!(matches!(
        transfer::import(&town, &env, &cal(), &township(), &preview, &Unwatched).await,
        Err(AppError::Import(xinfang::store::ImportError::Bundle(
            BundleError::Untrusted(_)
        )))
    ));
    trust_card(&town, &env, preview.claimed_card(), None)
        .await
        .unwrap();
    let cancel = CancelAfter {
        after: 0,
        done: Cell::new(0),
    };
    assert_eq!(
        transfer::import(&town, &env, &cal(), &township(), &preview, &cancel).await,
        Err(AppError::Import(ImportError::Cancelled))
    );
    assert_eq!(total(&town).await, 0);
}

#[wasm_bindgen_test]
async fn citizens_files_become_cases_once_and_bad_ones_are_named() {
    let store = fresh("op-citizen").await;
    let env = TestEnv::at(at(0), 1);
    let submission = Submission {
        to: UnitRef {
            code: "XF01".into(),
            name: "某某县信访局".into(),
        },
        created_at: at(0).0,
        petition: petition("网上反映"),
        earlier: String::new(),
        attachments: vec![],
        reply_key: String::new(),
    };
    let (file, code) = seal_submission(
        &submission,
        &Identity::from_seed([5; 32]),
        office_decryptor().key(),
        [8; 32],
    )
    .unwrap();
    let files = |bytes: &str| {
        vec![
            ("a.json".to_owned(), Ok(bytes.as_bytes().to_vec())),
            ("b.json".to_owned(), Ok(b"not a bundle".to_vec())),
            ("c.json".to_owned(), Err("文件过大".to_owned())),
        ]
    };
    let out = import_files(
        &store,
        &env,
        &cal(),
        &unit(),
        &office_decryptor(),
        files(&file),
    )
    .await;
    assert!(
        matches!(&out[0].1, Outcome::Registered(_, _, c) if *c == code),
        "{out:?}"
    );
    assert!(matches!(out[1].1, Outcome::Refused(_)));
    assert_eq!(out[2].1, Outcome::Refused("文件过大".into()));
    let again = import_files(
        &store,
        &env,
        &cal(),
        &unit(),
        &office_decryptor(),
        files(&file),
    )
    .await;
    assert!(matches!(again[0].1, Outcome::Skipped(_)), "{again:?}");
    assert_eq!(total(&store).await, 1);
}

#[wasm_bindgen_test]
async fn a_backup_restores_into_a_fresh_browser_and_a_refused_one_leaves_it_empty() {
    let source = fresh("op-backup").await;
    source.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 1);
    for title in ["甲", "乙", "丙"] {
        register_and_link(
            &source,
            &env,
            &cal(),
            &unit(),
            petition(title),
            None,
            None,
            &[],
        )
        .await
        .unwrap();
    }
    let key = Identity::from_seed([3; 32]);
    let pass = "测试口令12345678";
    let file = backup::write(&source, &env, &cal(), &unit(), &key, pass, &Unwatched)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((file.cases, file.events), (3, 3));
    backup::delivered(&source, &file).await.unwrap();
    assert_eq!(source.last_backup().await.unwrap(), Some((file.at, 3)));

    let target = fresh("op-restore").await;
    let op = (OPERATOR, OPERATOR);
    let wrong = backup::restore(&target, &env, &file.blob, "另一个口令12345", op, &Unwatched).await;
    assert!(matches!(wrong, Err(AppError::Backup(_))), "{wrong:?}");
    assert_eq!(total(&target).await, 0);
    assert_eq!(target.profile().await.unwrap(), None);
    let cancel = CancelAfter {
        after: 0,
        done: Cell::new(0),
    };
    assert!(matches!(
        backup::restore(&target, &env, &file.blob, pass, op, &cancel).await,
        Ok(Restore::Cancelled)
    ));
    assert_eq!(total(&target).await, 0);
    // A new operator passphrase too short: refused before anything is read.
    assert!(matches!(
        backup::restore(&target, &env, &file.blob, pass, ("短", "短"), &Unwatched).await,
        Err(AppError::Key(KeyError::Short))
    ));
    let Ok(Restore::Done(r)) =
        backup::restore(&target, &env, &file.blob, pass, op, &Unwatched).await
    else {
        panic!("restored");
    };
    assert_eq!(r.profile, unit());
    assert_eq!(total(&target).await, 3);
    assert_eq!(r.identity.public_key(), key.public_key());
    // The restored key is stored sealed under the new operator passphrase.
    target.close();
    assert!(!holds_seed(&raw("op-restore").await, &key));
    // Into a browser that has a unit: refused, nothing touched.
    assert!(matches!(
        backup::restore(&source, &env, &file.blob, pass, op, &Unwatched).await,
        Err(AppError::Store(StoreError::NotEmpty))
    ));
    assert_eq!(total(&source).await, 3);
}

#[wasm_bindgen_test]
async fn demo_data_is_generated_whole_or_removed_when_cancelled() {
    let store = fresh("op-demo-data").await;
    let today = at(0).china_date();
    let unit = xinfang::demo::demo_unit();
    let done = demo::generate(&store, &cal(), unit.clone(), 120, today, &Unwatched)
        .await
        .unwrap();
    assert_eq!(done, Generated::Done);
    assert_eq!(total(&store).await, 120);
    let cancel = CancelAfter {
        after: BATCH,
        done: Cell::new(0),
    };
    let cancelled = demo::generate(&store, &cal(), unit, BATCH * 3, today, &cancel)
        .await
        .unwrap();
    assert_eq!(cancelled, Generated::Cancelled);
    assert_eq!(total(&store).await, 0, "what was written is removed");
}

#[wasm_bindgen_test]
async fn a_citizens_rating_is_recorded_once_and_only_from_the_submitter() {
    use xinfang::domain::workflow::{OpinionKind, Rating};
    use xinfang::exchange::citizen::feedback::{seal_feedback, Feedback, FeedbackKind};
    let store = fresh("op-feedback").await;
    let env = TestEnv::at(at(0), 1);
    let citizen = Identity::from_seed([5; 32]);
    let office = UnitRef {
        code: "XF01".into(),
        name: "某某县信访局".into(),
    };
    let submission = Submission {
        to: office.clone(),
        created_at: at(0).0,
        petition: petition("网上反映"),
        earlier: String::new(),
        attachments: vec![],
        reply_key: String::new(),
    };
    let (file, code) =
        seal_submission(&submission, &citizen, office_decryptor().key(), [8; 32]).unwrap();
    let one = |name: &str, text: &str| vec![(name.to_owned(), Ok(text.as_bytes().to_vec()))];
    let Outcome::Registered(id, _, _) = import_files(
        &store,
        &env,
        &cal(),
        &unit(),
        &office_decryptor(),
        one("s", &file),
    )
    .await
    .remove(0)
    .1
    else {
        panic!("registered");
    };
    let today = at(0).china_date();
    let mut state = store.case(&id).await.unwrap().unwrap();
    for step in [
        Step::Route {
            routing: Routing::Accept,
            on: today,
        },
        Step::NotifyAcceptance { on: today },
        Step::Opinion {
            kind: OpinionKind::Support,
            facts: "查明属实".into(),
            basis: "有关规定".into(),
            delivered_on: today,
        },
    ] {
        state = record_step(&store, &env, &cal(), unit().actor(), &state, step)
            .await
            .unwrap();
    }
    let rating = |key: &Identity| {
        let f = Feedback {
            query_code: code.clone(),
            to: office.clone(),
            created_at: at(1).0,
            feedback: FeedbackKind::Rating {
                rating: Rating::Satisfied,
                comment: "满意".into(),
            },
        };
        seal_feedback(&f, key, office_decryptor().key(), [9; 32]).unwrap()
    };
    let stranger = import_files(
        &store,
        &env,
        &cal(),
        &unit(),
        &office_decryptor(),
        one("x", &rating(&Identity::from_seed([6; 32]))),
    )
    .await;
    assert!(matches!(stranger[0].1, Outcome::Refused(_)), "{stranger:?}");
    let first = import_files(
        &store,
        &env,
        &cal(),
        &unit(),
        &office_decryptor(),
        one("r", &rating(&citizen)),
    )
    .await;
    assert!(matches!(first[0].1, Outcome::Recorded(..)), "{first:?}");
    let again = import_files(
        &store,
        &env,
        &cal(),
        &unit(),
        &office_decryptor(),
        one("r", &rating(&citizen)),
    )
    .await;
    assert!(matches!(again[0].1, Outcome::Skipped(_)), "{again:?}");
    let rated = store.case(&id).await.unwrap().unwrap();
    assert_eq!(rated.flow.latest_rating(), Some(Rating::Satisfied));
}

#[wasm_bindgen_test]
async fn trust_changes_in_one_transaction_and_a_refused_key_change_writes_nothing() {
    let store = fresh("op-trust").await;
    let env = TestEnv::at(at(0), 1);
    let first = UnitCard::of(&township(), &Identity::from_seed([2; 32]));
    let second = UnitCard::of(&township(), &Identity::from_seed([3; 32]));
    // Each trust reads and writes the directory in one transaction: the second sees the
    // first, and neither is lost.
    let mut other = township();
    other.code = "DL02".into();
    other.name = "东岭乡人民政府".into();
    let third = UnitCard::of(&other, &Identity::from_seed([4; 32]));
    let x = trust_card(&store, &env, first.clone(), None).await.unwrap();
    let y = trust_card(&store, &env, third, None).await.unwrap();
    assert_eq!((x.len(), y.len()), (1, 2));
    let refused = trust_card(&store, &env, second.clone(), None).await;
    assert!(matches!(
        refused,
        Err(AppError::Trust(TrustError::KeyChange { .. }))
    ));
    assert_eq!(store.directory().await.unwrap(), y, "nothing written");
    let fp = second.key().unwrap().fingerprint();
    let after = trust_card(&store, &env, second, Some(&fp)).await.unwrap();
    assert_eq!(after.len(), 3);
    assert_eq!(after.iter().filter(|u| u.revoked_at.is_some()).count(), 1);
}
