//! The storage layer in a real browser (headless Chromium through wasm-bindgen-test):
//! writes read back, survive a reopen, old schemas upgrade, newer ones are refused, and
//! a failed multi-record write leaves nothing behind.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use wasm_bindgen_test::*;
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::case::correct;
use xinfang::domain::workflow::DueKind;
use xinfang::domain::{CaseFilter, CaseId, EventId};
use xinfang::exchange::keyring;
use xinfang::exchange::BundleError;
use xinfang::store::{ImportError, Store, StoreError, DB_VERSION};

mod util;

use util::{at, fresh, id, import, petition, unit, via, TOWNSHIP};

wasm_bindgen_test_configure!(run_in_browser);

async fn register(
    store: &Store,
    n: u32,
    title: &str,
) -> Result<xinfang::domain::CaseState, StoreError> {
    store
        .register(
            &WorkCalendar::official(),
            &unit(),
            petition(title),
            at(n as i64),
            (CaseId::from_random(id(n)), EventId::from_random(id(n))),
            None,
        )
        .await
}

/// The total the first list page shows, checked against every case key held.
async fn counted(store: &Store) -> usize {
    let total = store
        .list(&CaseFilter::default(), 0, 20)
        .await
        .unwrap()
        .total;
    assert_eq!(total, store.case_ids().await.unwrap().len());
    total
}

/// Writes (or removes) the kept case count behind the store's back, as a tab running
/// an older version would leave it.
async fn set_kept_count(name: &str, n: Option<f64>) {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction("meta")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let meta = tx.object_store("meta").unwrap();
    match n {
        Some(n) => meta
            .put(wasm_bindgen::JsValue::from_f64(n))
            .with_key("case_count")
            .without_key_type()
            .await
            .unwrap(),
        None => meta.delete("case_count").await.unwrap(),
    }
    tx.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn the_case_count_is_kept_by_every_write_and_recounted_when_off() {
    use xinfang::demo::{demo_unit, Generator, Plan};
    let name = "t-count";
    let store = fresh(name).await;
    let cal = WorkCalendar::official();
    assert_eq!(counted(&store).await, 0);
    register(&store, 1, "甲").await.unwrap();
    assert_eq!(counted(&store).await, 1);

    // An import counts the cases new here, not those it only adds events to.
    let source = fresh("t-count-src").await;
    let a = register(&source, 2, "乙").await.unwrap();
    let b = register(&source, 3, "丙").await.unwrap();
    let events: Vec<_> = a.events.iter().chain(&b.events).cloned().collect();
    import(&store, &events[..1]).await.unwrap();
    assert_eq!(counted(&store).await, 2);
    import(&store, &events).await.unwrap();
    import(&store, &events).await.unwrap();
    assert_eq!(counted(&store).await, 3);

    let plan = Plan {
        seed: 9,
        count: 5,
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        span_days: 30,
        unit: demo_unit(),
    };
    let mut g = Generator::new(plan, cal.clone());
    let cases: Vec<_> = std::iter::from_fn(|| g.next_case()).collect();
    store.add_cases(&cal, &cases).await.unwrap();
    assert_eq!(counted(&store).await, 8);
    assert!(store.add_cases(&cal, &cases[..1]).await.is_err());
    assert_eq!(counted(&store).await, 8);

    // A database from before the count gets it when opened.
    set_kept_count(name, None).await;
    assert_eq!(counted(&Store::open(name).await.unwrap()).await, 8);
    // The first page trusts the kept count (no walk over every case) and corrects it
    // once every row is in memory.
    set_kept_count(name, Some(99.0)).await;
    let reopened = Store::open(name).await.unwrap();
    let first = reopened.list(&CaseFilter::default(), 0, 20).await.unwrap();
    assert_eq!((first.total, first.items.len()), (99, 8));
    assert_eq!(reopened.rows_where(|_| true).await.unwrap().len(), 8);
    assert_eq!(counted(&reopened).await, 8);

    reopened.delete_all_cases().await.unwrap();
    assert_eq!(counted(&reopened).await, 0);
}

#[wasm_bindgen_test]
async fn writes_read_back() {
    let store = fresh("t-read-back").await;
    assert_eq!(store.profile().await.unwrap(), None);
    store.save_profile(&unit()).await.unwrap();
    assert_eq!(store.profile().await.unwrap(), Some(unit()));

    let state = register(&store, 1, "拖欠工资").await.unwrap();
    assert_eq!(state.case_no, "XF01-2026-00001");
    assert_eq!(store.case(&state.id).await.unwrap(), Some(state.clone()));
    assert_eq!(
        store.case(&CaseId::from_random(id(99))).await.unwrap(),
        None
    );
    let page = store.list(&CaseFilter::default(), 0, 20).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].title, "拖欠工资");
}

#[wasm_bindgen_test]
async fn survives_a_reopen_and_numbers_continue() {
    let name = "t-reopen";
    let store = fresh(name).await;
    let first = register(&store, 1, "一").await.unwrap();
    store.close();
    let store = Store::open(name).await.unwrap();
    assert_eq!(
        store.case(&first.id).await.unwrap().unwrap().petition.title,
        "一"
    );
    assert_eq!(
        register(&store, 2, "二").await.unwrap().case_no,
        "XF01-2026-00002"
    );
}

#[wasm_bindgen_test]
async fn a_failed_multi_record_write_leaves_nothing() {
    let store = fresh("t-rollback").await;
    register(&store, 1, "一").await.unwrap();
    // A case id already held: the counter is written first, then the case is found
    // held, and the whole transaction must roll back.
    let clash = store
        .register(
            &WorkCalendar::official(),
            &unit(),
            petition("二"),
            at(2),
            (CaseId::from_random(id(1)), EventId::from_random(id(2))),
            None,
        )
        .await;
    assert_eq!(clash.unwrap_err(), StoreError::Duplicate);
    assert_eq!(
        store
            .case(&CaseId::from_random(id(1)))
            .await
            .unwrap()
            .map(|c| c.petition.title),
        Some("一".to_owned())
    );
    assert_eq!(
        store
            .list(&CaseFilter::default(), 0, 20)
            .await
            .unwrap()
            .total,
        1
    );
    // The number the failed write took is not consumed.
    assert_eq!(
        register(&store, 3, "三").await.unwrap().case_no,
        "XF01-2026-00002"
    );
}

#[wasm_bindgen_test]
async fn an_older_schema_is_upgraded_with_its_data() {
    // The cases of every older schema move into chunks: tests/layout.rs.
    let name = "t-upgrade";
    Store::delete(name).await.unwrap();
    let v1 = Store::open_at(name, 1).await.unwrap();
    v1.save_profile(&unit()).await.unwrap();
    // Version 1 has no drafts store yet.
    assert!(v1.draft("register").await.is_err());
    v1.close();

    let store = Store::open(name).await.unwrap();
    assert_eq!(store.profile().await.unwrap(), Some(unit()));
    let old = register(&store, 1, "新案").await.unwrap();
    assert_eq!(store.case(&old.id).await.unwrap(), Some(old));
    store
        .save_draft("register", Some("{\"title\":\"半截\"}"))
        .await
        .unwrap();
    assert_eq!(
        store.draft("register").await.unwrap().as_deref(),
        Some("{\"title\":\"半截\"}")
    );
}

#[wasm_bindgen_test]
async fn a_newer_database_is_refused_not_damaged() {
    let name = "t-too-new";
    Store::delete(name).await.unwrap();
    Store::open_at(name, DB_VERSION + 1).await.unwrap().close();
    match Store::open(name).await {
        Err(e) => {
            assert_eq!(e, StoreError::TooNew);
            assert!(e.to_string().contains("更新版本"));
        }
        Ok(_) => panic!("a newer database must not open"),
    }
}

#[wasm_bindgen_test]
async fn corrections_append_once_and_update_the_list_row() {
    let store = fresh("t-append").await;
    let state = register(&store, 1, "原标题").await.unwrap();
    let mut p = state.petition.clone();
    p.title = "新标题".into();
    let event = correct(
        &state,
        &p,
        "笔误",
        EventId::from_random(id(50)),
        unit().actor(),
        at(5),
    )
    .unwrap();
    let after = store
        .append(&WorkCalendar::official(), event.clone(), None)
        .await
        .unwrap();
    assert_eq!(after.petition.title, "新标题");
    let again = store
        .append(&WorkCalendar::official(), event, None)
        .await
        .unwrap();
    assert_eq!(
        again.events.len(),
        2,
        "appending the same event twice changes nothing"
    );
    let rows = store
        .list(
            &CaseFilter {
                query: "新标题".into(),
                ..Default::default()
            },
            0,
            20,
        )
        .await
        .unwrap();
    assert_eq!(rows.total, 1);
    assert_eq!(rows.items[0].event_count, 2);
}

#[wasm_bindgen_test]
async fn list_pages_newest_first_and_filters() {
    let store = fresh("t-list").await;
    for n in 1..=25 {
        register(&store, n, &format!("事项{n:02}")).await.unwrap();
    }
    let p0 = store.list(&CaseFilter::default(), 0, 20).await.unwrap();
    assert_eq!((p0.total, p0.items.len()), (25, 20));
    assert_eq!(p0.items[0].title, "事项25");
    let p1 = store.list(&CaseFilter::default(), 1, 20).await.unwrap();
    assert_eq!(p1.items.len(), 5);
    assert_eq!(p1.items[4].title, "事项01");
    let found = store
        .list(
            &CaseFilter {
                query: "事项1".into(),
                ..Default::default()
            },
            0,
            20,
        )
        .await
        .unwrap();
    assert_eq!(found.total, 10);
    assert_eq!(found.items[0].title, "事项19");
    let other_day = NaiveDate::from_ymd_opt(2026, 11, 27);
    let none = store
        .list(
            &CaseFilter {
                from: other_day,
                ..Default::default()
            },
            0,
            20,
        )
        .await
        .unwrap();
    assert_eq!(none.total, 0);
}

#[wasm_bindgen_test]
async fn registering_from_a_draft_removes_the_draft_in_the_same_write() {
    let store = fresh("t-draft").await;
    store.save_draft("register", Some("{}")).await.unwrap();
    store
        .register(
            &WorkCalendar::official(),
            &unit(),
            petition("有草稿"),
            at(1),
            (CaseId::from_random(id(1)), EventId::from_random(id(1))),
            Some("register"),
        )
        .await
        .unwrap();
    assert_eq!(store.draft("register").await.unwrap(), None);
    store.save_draft("x", None).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_calendar_is_kept_and_recomputes_open_deadlines() {
    let store = fresh("t-calendar").await;
    assert_eq!(store.calendar().await.unwrap(), WorkCalendar::official());
    let state = register(&store, 1, "期限").await.unwrap();
    let row = |rows: Vec<xinfang::domain::CaseSummary>| {
        rows.into_iter().find(|r| r.id == state.id).unwrap()
    };
    // Received 2026-11-26 (Thu): routing is due 15 days later, 2026-12-11 (Fri).
    let before = row(store.open_cases().await.unwrap());
    assert_eq!(
        (before.due_kind.map(DueKind::label), before.due),
        (Some("分流"), NaiveDate::from_ymd_opt(2026, 12, 11))
    );
    // Declare that Friday a holiday: the deadline moves to Monday, in the saved rows too.
    let mut cal = WorkCalendar::official();
    cal.holidays
        .insert(NaiveDate::from_ymd_opt(2026, 12, 11).unwrap());
    store.save_calendar(&cal).await.unwrap();
    assert_eq!(store.calendar().await.unwrap(), cal);
    assert_eq!(
        row(store.open_cases().await.unwrap()).due,
        NaiveDate::from_ymd_opt(2026, 12, 14)
    );
}

#[wasm_bindgen_test]
async fn events_on_two_cases_are_stored_together_or_not_at_all() {
    use xinfang::domain::repeats::link_repeat;
    let store = fresh("t-append-all").await;
    let earlier = register(&store, 1, "先").await.unwrap();
    let later = register(&store, 2, "后").await.unwrap();
    let events = link_repeat(
        &later,
        &earlier,
        (EventId::from_random(id(60)), EventId::from_random(id(61))),
        unit().actor(),
        at(9),
    )
    .unwrap();
    let cal = WorkCalendar::official();

    // A batch whose second event names an unknown case fails as a whole.
    let mut broken = events.clone();
    broken[1].case_id = CaseId::from_random(id(77));
    assert!(store.append_all(&cal, broken.into(), None).await.is_err());
    assert!(
        store
            .case(&later.id)
            .await
            .unwrap()
            .unwrap()
            .repeat_of
            .is_empty(),
        "the first event was rolled back"
    );

    let states = store.append_all(&cal, events.into(), None).await.unwrap();
    assert_eq!(states.len(), 2);
    assert_eq!(
        store.case(&later.id).await.unwrap().unwrap().repeat_of[0].1,
        earlier.case_no
    );
    assert_eq!(
        store.case(&earlier.id).await.unwrap().unwrap().repeated_by[0].1,
        later.case_no
    );
    let repeats = store.rows_where(|r| r.is_repeat).await.unwrap();
    assert_eq!(repeats.len(), 1);
    assert_eq!(repeats[0].id, later.id);
}

#[wasm_bindgen_test]
async fn import_adds_new_events_once_and_refuses_a_forgery_whole() {
    use xinfang::domain::event::EventBody;
    let source = fresh("t-import-src").await;
    let a = register(&source, 1, "甲").await.unwrap();
    let b = register(&source, 2, "乙").await.unwrap();
    let events: Vec<_> = a.events.iter().chain(&b.events).cloned().collect();

    let store = fresh("t-import").await;
    let cal = WorkCalendar::official();
    // Cancelled at its last step, after every write was issued: nothing is stored.
    let mut reports = Vec::new();
    assert_eq!(
        store
            .import(
                &cal,
                &events,
                &TOWNSHIP,
                &via(),
                &Default::default(),
                &Default::default(),
                |_| Ok(()),
                |done, total| {
                    reports.push((done, total));
                    done < total
                }
            )
            .await
            .unwrap_err()
            .to_string(),
        ImportError::Cancelled.to_string()
    );
    assert_eq!(reports, [(2, 2)]);
    assert_eq!(store.case(&a.id).await.unwrap(), None);
    assert!(store.case_ids().await.unwrap().is_empty());

    assert_eq!(import(&store, &events).await.unwrap(), 2);
    assert_eq!(
        import(&store, &events).await.unwrap(),
        0,
        "importing twice adds nothing"
    );
    assert_eq!(
        store
            .list(&CaseFilter::default(), 0, 20)
            .await
            .unwrap()
            .total,
        2
    );

    // A third case plus a forged copy of a held event: nothing of the batch is stored.
    let c = register(&source, 3, "丙").await.unwrap();
    let mut forged = a.events[0].clone();
    if let EventBody::Registered { petition, .. } = &mut forged.body {
        petition.title = "篡改".into();
    }
    let batch: Vec<_> = c.events.iter().cloned().chain([forged]).collect();
    // Found by comparing with the held event (not only by the database refusing a
    // second record under its id): the message names the tampering.
    assert!(matches!(
        import(&store, &batch).await,
        Err(ImportError::Bundle(BundleError::Tampered(_)))
    ));
    // A file registering a held case a second time (an earlier date, another title):
    // refused whole, inside the import's transaction, and the case is unchanged.
    let mut second = c.events[0].clone();
    second.id = EventId::from_random(id(99));
    second.case_id = a.id.clone();
    let hostile: Vec<_> = c.events.iter().cloned().chain([second]).collect();
    assert!(matches!(
        import(&store, &hostile).await,
        Err(ImportError::Bundle(BundleError::Authorship(_)))
    ));
    assert_eq!(store.case(&a.id).await.unwrap().unwrap().events, a.events);
    assert_eq!(store.case(&c.id).await.unwrap(), None);
    // What is held is read back; a case not held here is left out, or has no events.
    let asked = [a.id.clone(), c.id.clone()];
    let held = store.events_held_of(&asked).await.unwrap();
    assert_eq!(held[&a.id], a.events);
    assert!(!held.contains_key(&c.id));
    let all = store.events_of(&asked).await.unwrap();
    assert_eq!(all[&a.id], a.events);
    assert!(all[&c.id].is_empty());
    assert_eq!(store.case(&c.id).await.unwrap(), None);
    assert_eq!(
        store.case(&a.id).await.unwrap().unwrap().petition.title,
        "甲"
    );
}

#[wasm_bindgen_test]
async fn restore_fills_an_empty_database_and_refuses_a_used_one() {
    use xinfang::exchange::backup::{read_backup, BackupInput, BackupWriter};
    use xinfang::exchange::Identity;
    let source = fresh("t-restore-src").await;
    source.save_profile(&unit()).await.unwrap();
    register(&source, 1, "甲").await.unwrap();
    register(&source, 2, "乙").await.unwrap();
    let ids = source.case_ids().await.unwrap();
    assert_eq!(ids.len(), 2);
    let logs: Vec<_> = source
        .events_of(&ids)
        .await
        .unwrap()
        .into_values()
        .collect();
    let id = Identity::from_seed([4; 32]);
    let cal = WorkCalendar::official();
    let input = BackupInput {
        profile: &unit(),
        calendar: &cal,
        directory: &[],
        sensitive_dates: &[],
        screening: &[],
        plans: &[],
        receptions: &[],
        agreements: &[],
        identity: &id,
        at: at(9),
    };
    // Few PBKDF2 rounds would be a weaker file; the real count keeps the test honest.
    let w = BackupWriter::new(&input, "测试口令12345678", ([1; 16], [2; 12], [3; 16]), 2);
    let file = format!(
        "{}\n{}\n",
        w.volume(1, &logs[..1], [1; 12]).unwrap(),
        w.volume(2, &logs[1..], [2; 12]).unwrap()
    );
    let (restored, cases) = read_backup(file.as_bytes(), "测试口令12345678").unwrap();

    assert_eq!(
        source.restore_begin().await.unwrap_err(),
        StoreError::NotEmpty
    );
    let target = fresh("t-restore").await;
    // A restore cut short after its first volume is cleared by the next one.
    target.restore_begin().await.unwrap();
    target
        .restore_cases(&restored.calendar, &cases[..1])
        .await
        .unwrap();
    target.restore_begin().await.unwrap();
    assert_eq!(counted(&target).await, 0);
    for volume in cases.chunks(1) {
        target
            .restore_cases(&restored.calendar, volume)
            .await
            .unwrap();
    }
    // The restored key is stored sealed under this browser's operator passphrase.
    let sealed =
        keyring::seal(&restored.identity, "本机操作口令20261202", [4; 16], [5; 12]).unwrap();
    target.restore_finish(&restored, &sealed).await.unwrap();
    assert_eq!(target.profile().await.unwrap(), Some(unit()));
    assert_eq!(counted(&target).await, 2);
    let Some(keyring::StoredKey::Sealed(stored)) = target.stored_key().await.unwrap() else {
        panic!("sealed");
    };
    assert_eq!(
        keyring::unlock(&stored, "本机操作口令20261202")
            .unwrap()
            .public_key(),
        id.public_key()
    );
    assert_eq!(
        register(&target, 3, "丙").await.unwrap().case_no,
        "XF01-2026-00003"
    );
    assert_eq!(
        target.restore_finish(&restored, &sealed).await.unwrap_err(),
        StoreError::NotEmpty
    );
}

#[wasm_bindgen_test]
async fn generated_cases_are_listed_searched_and_reloaded_from_memory() {
    use xinfang::demo::{demo_unit, Generator, Plan};
    let store = fresh("t-bulk").await;
    let calendar = WorkCalendar::official();
    let plan = Plan {
        seed: 5,
        count: 300,
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        span_days: 200,
        unit: demo_unit(),
    };
    let mut g = Generator::new(plan, calendar.clone());
    let cases: Vec<_> = std::iter::from_fn(|| g.next_case()).collect();
    store.add_cases(&calendar, &cases[..200]).await.unwrap();
    // Load the index, then write more: the rows in memory follow the writes.
    let all = CaseFilter {
        query: "请求".into(),
        ..CaseFilter::default()
    };
    let before = store.list(&all, 0, 20).await.unwrap().total;
    store.add_cases(&calendar, &cases[200..]).await.unwrap();
    let after = store.list(&all, 0, 20).await.unwrap();
    assert!(after.total > before, "{before} then {}", after.total);
    assert_eq!(
        store
            .list(&CaseFilter::default(), 0, 20)
            .await
            .unwrap()
            .total,
        300
    );
    // A new connection loads the same rows from the database.
    let reopened = Store::open("t-bulk").await.unwrap();
    assert_eq!(reopened.list(&all, 0, 20).await.unwrap(), after);
    let everything = reopened.rows_where(|_| true).await.unwrap();
    assert_eq!(everything.len(), 300);
    // Adding the same cases again is refused whole, and changes nothing.
    assert!(reopened.add_cases(&calendar, &cases[..10]).await.is_err());
    assert_eq!(reopened.rows_where(|_| true).await.unwrap().len(), 300);
}

#[wasm_bindgen_test]
fn meta_keys_keep_the_names_stored_databases_use() {
    use xinfang::domain::case::Series;
    use xinfang::store::meta::MetaKey;
    let series = Series {
        unit_code: "XF01".into(),
        year: 2026,
    };
    assert_eq!(MetaKey::LastNumber(&series).key(), "seq:XF01:2026");
    assert_eq!(
        MetaKey::QueryCode("ABCD-EFGH-JKMN").key(),
        "qc:ABCD-EFGH-JKMN"
    );
    assert_eq!(MetaKey::CaseCount.key(), "case_count");
    assert_eq!(MetaKey::RowsVersion.key(), "rows_version");
}

#[wasm_bindgen_test]
async fn the_import_asks_admission_of_the_directory_its_own_transaction_reads() {
    use xinfang::exchange::card::{revoke, trust, trusted_signer, UnitCard};
    use xinfang::exchange::Identity;
    let source = fresh("t-admit-src").await;
    let a = register(&source, 1, "甲").await.unwrap();
    let store = fresh("t-admit").await;
    let cal = WorkCalendar::official();
    let sender = Identity::from_seed([7; 32]);
    let key = sender.public_key();
    let card = UnitCard::of(&unit(), &sender);
    store
        .update_directory(|d| {
            trust(d, card.clone(), at(0), None).unwrap();
            revoke(d, &card.code, at(1));
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    // What the admission sees is the directory as stored now: the trust was withdrawn.
    let admit = |d: &[xinfang::exchange::card::TrustedUnit]| {
        trusted_signer(d, &key)
            .map(drop)
            .ok_or_else(|| BundleError::Untrusted(key.fingerprint()))
    };
    let refused = store
        .import(
            &cal,
            &a.events,
            &TOWNSHIP,
            &via(),
            &Default::default(),
            &Default::default(),
            admit,
            |_, _| true,
        )
        .await;
    assert!(
        matches!(refused, Err(ImportError::Bundle(BundleError::Untrusted(_)))),
        "{refused:?}"
    );
    assert_eq!(store.case(&a.id).await.unwrap(), None, "nothing stored");
    store
        .update_directory(|d| {
            trust(d, card.clone(), at(2), None).unwrap();
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .import(
                &cal,
                &a.events,
                &TOWNSHIP,
                &via(),
                &Default::default(),
                &Default::default(),
                admit,
                |_, _| true
            )
            .await
            .unwrap(),
        1
    );
}

#[wasm_bindgen_test]
async fn two_tabs_see_each_others_writes_and_an_upgrade_closes_the_older_one() {
    use std::cell::Cell;
    use std::rc::Rc;
    // Two connections on one database, as two tabs have: a case registered in one is in
    // the other's rows in memory at its next read.
    let name = "t-tabs";
    Store::delete(name).await.unwrap();
    let a = Store::open(name).await.unwrap();
    let b = Store::open(name).await.unwrap();
    register(&b, 1, "乙的旧案").await.unwrap();
    b.load_index().await.unwrap();
    assert_eq!(b.with_index(|i| i.len()).await.unwrap(), 1);
    let case = register(&a, 2, "甲新登记").await.unwrap();
    // The channel delivers as a task of its own.
    gloo_timers::future::TimeoutFuture::new(100).await;
    let seen = b
        .with_index(|i| {
            let titles: Vec<String> = i
                .rows_where(|r| r.id == case.id)
                .into_iter()
                .map(|r| r.title)
                .collect();
            (i.len(), titles)
        })
        .await
        .unwrap();
    assert_eq!(seen, (2, vec!["甲新登记".to_owned()]));
    a.close();
    b.close();

    // A newer version opened in another tab: the older tab's connection closes at once
    // (the upgrade is not blocked), it says it is outdated, and it writes nothing more.
    let name = "t-tabs-upgrade";
    Store::delete(name).await.unwrap();
    let old = Store::open_at(name, DB_VERSION - 1).await.unwrap();
    let told = Rc::new(Cell::new(false));
    let flag = told.clone();
    old.on_outdated(move || flag.set(true));
    assert!(!old.outdated());
    let new = Store::open(name).await.unwrap();
    assert!(old.outdated() && told.get());
    assert_eq!(
        register(&old, 3, "旧标签页").await.unwrap_err(),
        StoreError::Closed
    );
    register(&new, 4, "新标签页").await.unwrap();
    assert_eq!(new.case_ids().await.unwrap().len(), 1);
}
