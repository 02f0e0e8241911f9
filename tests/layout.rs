//! The cases' layout in a real browser (headless Chromium through wasm-bindgen-test): a
//! database of every older schema, written record by record as those versions wrote
//! it, moves into chunks with every case, event, provenance and draft; and the chunks'
//! boundaries — a case added to a full chunk, cases changed one at a time and folded
//! back, everything deleted, a file imported twice — keep the list rows equal to a fold
//! of the events.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use xinfang::demo::{demo_unit, Generator, Plan};
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::case::{correct, fold};
use xinfang::domain::event::Event;
use xinfang::domain::search::CaseSummary;
use xinfang::domain::{CaseFilter, CaseId, EventId};
use xinfang::exchange::wire::EventSignature;
use xinfang::store::{Store, DB_VERSION};

mod util;

use util::{at, fresh, id, import, petition, unit, via};

wasm_bindgen_test_configure!(run_in_browser);

/// `n` generated cases (the demo county's), each a whole log.
fn generated(seed: u64, n: usize) -> Vec<Vec<Event>> {
    let plan = Plan {
        seed,
        count: n,
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        span_days: 400,
        unit: demo_unit(),
    };
    let mut g = Generator::new(plan, WorkCalendar::official());
    std::iter::from_fn(|| g.next_case()).collect()
}

fn record(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (k, v) in fields {
        js_sys::Reflect::set(&obj, &JsValue::from_str(k), v).unwrap();
    }
    obj.into()
}

/// A relayed author's signature, as a file would carry it.
fn signature(n: usize) -> EventSignature {
    EventSignature {
        public_key: format!("key{n}"),
        sig: format!("sig{n}"),
    }
}

/// Writes `cases` the way schemas 1–3 stored them: a record per event in `events` (the
/// first event of every third case as if it came in a file, with `via` and `sig`), a
/// list row per case in `cases`, and the count in `meta`.
async fn write_old(name: &str, cases: &[Vec<Event>]) {
    let cal = WorkCalendar::official();
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction(["events", "cases", "meta"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let events = tx.object_store("events").unwrap();
    let rows = tx.object_store("cases").unwrap();
    for (n, log) in cases.iter().enumerate() {
        for (i, e) in log.iter().enumerate() {
            let mut fields = vec![
                ("id", JsValue::from_str(e.id.as_str())),
                ("case_id", JsValue::from_str(e.case_id.as_str())),
                ("at", JsValue::from_f64(e.at.0 as f64)),
                ("json", serde_json::to_string(e).unwrap().into()),
            ];
            if n % 3 == 0 && i == 0 {
                fields.push(("via", serde_json::to_string(&via()).unwrap().into()));
                fields.push(("sig", serde_json::to_string(&signature(n)).unwrap().into()));
            }
            drop(events.add(record(&fields)).primitive().unwrap());
        }
        let row = CaseSummary::of(&fold(log).unwrap(), &cal);
        drop(
            rows.add(record(&[
                ("id", JsValue::from_str(row.id.as_str())),
                (
                    "registered_at",
                    JsValue::from_f64(row.registered_at.0 as f64),
                ),
                ("json", serde_json::to_string(&row).unwrap().into()),
            ]))
            .primitive()
            .unwrap(),
        );
    }
    let meta = tx.object_store("meta").unwrap();
    meta.put(JsValue::from_f64(cases.len() as f64))
        .with_key("case_count")
        .without_key_type()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();
}

/// Every case held: its rows in memory equal a fold of its events, no case is in two
/// chunks, the first pages (the head) are the newest rows, and the count is exact.
/// Returns the rows.
async fn consistent(name: &str) -> BTreeMap<CaseId, CaseSummary> {
    let store = Store::open(name).await.unwrap();
    let cal = WorkCalendar::official();
    let ids = store.case_ids().await.unwrap();
    let distinct: BTreeSet<&CaseId> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "a case in two chunks");
    let rows: BTreeMap<CaseId, CaseSummary> = store
        .rows_where(|_| true)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    assert_eq!(rows.keys().collect::<BTreeSet<_>>(), distinct);
    for (id, events) in store.events_of(&ids).await.unwrap() {
        // The index holds the search text apart, packed.
        let mut want = CaseSummary::of(&fold(&events).unwrap(), &cal);
        let text = std::mem::take(&mut want.haystack);
        assert_eq!(rows[&id], want, "row of {id}");
        let held = store.with_index(|i| i.search_text(&id)).await.unwrap();
        assert_eq!(held, Some(text), "search text of {id}");
    }
    let mut newest: Vec<&CaseSummary> = rows.values().collect();
    newest.sort_by(|a, b| (b.registered_at, &b.id).cmp(&(a.registered_at, &a.id)));
    for page in 0..3 {
        let p = store.list(&CaseFilter::default(), page, 20).await.unwrap();
        assert_eq!(p.total, rows.len());
        let want: Vec<&CaseId> = newest
            .iter()
            .skip(page * 20)
            .take(20)
            .map(|r| &r.id)
            .collect();
        assert_eq!(
            p.items.iter().map(|r| &r.id).collect::<Vec<_>>(),
            want,
            "page {page}"
        );
    }
    store.close();
    rows
}

/// A database of schema `version` with `n` cases (and, where the schema has them, a
/// draft and a register entry) opens in this version with all of it.
async fn moves_from(version: u32, n: usize) {
    let name = format!("t-move-v{version}");
    Store::delete(&name).await.unwrap();
    let cases = generated(u64::from(version), n);
    let old = Store::open_at(&name, version).await.unwrap();
    old.save_profile(&unit()).await.unwrap();
    if version >= 2 {
        old.save_draft("register", Some("{\"title\":\"半截\"}"))
            .await
            .unwrap();
    }
    old.close();
    write_old(&name, &cases).await;

    let store = Store::open(&name).await.unwrap();
    assert_eq!(store.profile().await.unwrap(), Some(unit()));
    if version >= 2 {
        assert_eq!(
            store.draft("register").await.unwrap().as_deref(),
            Some("{\"title\":\"半截\"}")
        );
    }
    for (n, log) in cases.iter().enumerate() {
        let case_id = &log[0].case_id;
        let (state, arrived) = store.case_held(case_id).await.unwrap().unwrap();
        assert_eq!(state, fold(log).unwrap());
        let came: Vec<(&EventId, Option<&EventSignature>)> = arrived
            .iter()
            .map(|(e, a)| (e, a.signature.as_ref()))
            .collect();
        match n % 3 {
            0 => {
                let sig = signature(n);
                assert_eq!(came, vec![(&log[0].id, Some(&sig))]);
                assert_eq!(arrived[&log[0].id].via, via());
            }
            _ => assert!(came.is_empty()),
        }
    }
    store.close();
    assert_eq!(consistent(&name).await.len(), n);
    // Opening again moves nothing twice.
    assert_eq!(consistent(&name).await.len(), n);
}

#[wasm_bindgen_test]
async fn a_database_of_schema_1_moves_into_chunks() {
    moves_from(1, 40).await;
}

#[wasm_bindgen_test]
async fn a_database_of_schema_2_moves_into_chunks_with_its_drafts() {
    moves_from(2, 1_200).await;
}

#[wasm_bindgen_test]
async fn a_database_of_schema_3_moves_into_chunks_read_in_several_batches() {
    // Over 20,000 events: the move reads them in batches, a case cut by a batch's end
    // read whole in the next.
    moves_from(3, 4_300).await;
    const { assert!(DB_VERSION == 4) };
}

#[wasm_bindgen_test]
async fn chunk_boundaries_keep_the_rows_a_fold_of_the_events() {
    let name = "t-chunks";
    let store = fresh(name).await;
    store.save_profile(&unit()).await.unwrap();
    let cal = WorkCalendar::official();
    let cases = generated(7, 1_003);

    // 999 cases, then one registered on its own (the journal), then three more in bulk:
    // the first fills the chunk to 1,000, the others start the next.
    store.add_cases(&cal, &cases[..999]).await.unwrap();
    let mine = store
        .register(
            &cal,
            &unit(),
            petition("单独登记"),
            at(1),
            (CaseId::from_random(id(1)), EventId::from_random(id(1))),
            None,
        )
        .await
        .unwrap();
    store.add_cases(&cal, &cases[999..1_002]).await.unwrap();
    assert_eq!(consistent(name).await.len(), 1_003);

    // A case of a full chunk corrected on its own goes to the journal; folded back
    // into its chunk, it stays corrected.
    let target = &cases[500][0].case_id;
    let before = store.case(target).await.unwrap().unwrap();
    let mut p = before.petition.clone();
    p.title = "更正后的事项".into();
    let fix = correct(
        &before,
        &p,
        "笔误",
        EventId::from_random(id(2)),
        before.registered_by.clone(),
        at(2),
    )
    .unwrap();
    store.append(&cal, fix, None).await.unwrap();
    let rows = consistent(name).await;
    assert_eq!(rows[target].title, "更正后的事项");
    store.load_index().await.unwrap();
    store.tidy_at(1).await.unwrap();
    let rows = consistent(name).await;
    assert_eq!(rows[target].title, "更正后的事项");
    assert_eq!(rows[&mine.id].title, "单独登记");

    // A file bringing some held and some new cases, imported twice: the second time
    // adds nothing.
    let file: Vec<Event> = cases[1..3]
        .iter()
        .chain(&cases[1_002..])
        .flatten()
        .cloned()
        .collect();
    assert_eq!(import(&store, &file).await.unwrap(), cases[1_002].len());
    assert_eq!(import(&store, &file).await.unwrap(), 0);
    assert_eq!(consistent(name).await.len(), 1_004);

    // Everything deleted (the demo's reset, an unfinished restore undone), then cases
    // again: nothing of the old chunks is left.
    store.delete_all_cases().await.unwrap();
    assert_eq!(consistent(name).await.len(), 0);
    store.add_cases(&cal, &cases[..5]).await.unwrap();
    assert_eq!(consistent(name).await.len(), 5);
}
