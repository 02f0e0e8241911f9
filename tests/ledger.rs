//! 台账导入 in a real browser on real IndexedDB: a GB18030 file decoded by the browser's
//! own decoder, rows imported in batches with a cancel between them, and the same
//! ledger imported again adding nothing.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::cell::Cell;

use chrono::NaiveDate;
use wasm_bindgen_test::*;
use xinfang::app::ledger::{self, Imported, BATCH};
use xinfang::app::progress::Unwatched;
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::ledger::csv::parse_csv;
use xinfang::domain::workflow::Stage;

use util::{at, fresh, total, unit, CancelAfter, TestEnv};

wasm_bindgen_test_configure!(run_in_browser);

const GB18030: &[u8] = include_bytes!("fixtures/ledger-messy-gb18030.csv");
const UTF8: &str = include_str!("fixtures/ledger-messy.csv");
const XLSX: &[u8] = include_bytes!("fixtures/ledger-messy.xlsx");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

#[wasm_bindgen_test]
fn a_gb18030_ledger_is_decoded_by_the_browser_and_reads_as_its_utf8_original() {
    let rows = ledger::rows_of(GB18030).unwrap();
    assert_eq!(rows, parse_csv(UTF8));
    assert!(rows[4].iter().any(|c| c == "拖欠工资"));
    // Bytes that are neither UTF-8 nor GB18030 are refused, not guessed.
    let err = ledger::rows_of(&[0x81, 0x30, 0xFF, 0xFF, b',', b'a']).unwrap_err();
    assert!(err.to_string().contains("GB18030"), "{err}");
}

#[wasm_bindgen_test]
async fn a_large_ledger_goes_in_by_batches_a_cancel_keeps_them_and_a_second_import_adds_nothing() {
    let store = fresh("ledger-batches").await;
    let mut text = String::from("台账\n原编号,登记日期,信访人,信访事项,乡镇\n");
    let n = BATCH * 2 + 200;
    for i in 1..=n {
        text.push_str(&format!(
            "A{i},2026/3/{},人{i},事项{i},城关镇\n",
            i % 28 + 1
        ));
    }
    let rows = ledger::rows_of(text.as_bytes()).unwrap();
    let profile = unit();
    let env = TestEnv::at(at(0), 1);
    let cal = WorkCalendar::official();
    let first = ledger::preview(&store, &profile, &rows, None, today())
        .await
        .unwrap();
    assert_eq!(first.fresh().count(), n);

    let cancel = CancelAfter {
        after: BATCH,
        done: Cell::new(0),
    };
    let done = ledger::import(&store, &cal, &profile, "台账.csv", &first, &env, &cancel)
        .await
        .unwrap();
    assert_eq!(
        done,
        Imported {
            added: BATCH,
            cancelled: true
        }
    );
    assert_eq!(
        total(&store).await,
        BATCH,
        "what was stored before 取消 stays"
    );

    let again = ledger::preview(&store, &profile, &rows, None, today())
        .await
        .unwrap();
    assert_eq!(again.held.len(), BATCH);
    let rest = ledger::import(&store, &cal, &profile, "台账.csv", &again, &env, &Unwatched)
        .await
        .unwrap();
    assert_eq!(
        rest,
        Imported {
            added: n - BATCH,
            cancelled: false
        }
    );

    let third = ledger::preview(&store, &profile, &rows, None, today())
        .await
        .unwrap();
    assert_eq!(
        third.fresh().count(),
        0,
        "the same ledger again adds nothing"
    );
    assert_eq!(third.held.len(), n);
    assert_eq!(total(&store).await, n);

    // Numbers run on in the unit's series, one per case, none twice.
    let last = third.reading.rows.last().unwrap();
    let case = store
        .case(&last.case_id(&profile.code))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.case_no, format!("XF01-2026-{n:05}"));
    assert_eq!(case.ledger.unwrap().original_no, format!("A{n}"));
}

#[wasm_bindgen_test]
async fn a_messy_workbook_becomes_cases_with_their_origin_and_settled_ones_closed() {
    let store = fresh("ledger-messy").await;
    let profile = unit();
    let env = TestEnv::at(at(0), 1);
    let rows = ledger::rows_of(XLSX).unwrap();
    let p = ledger::preview(&store, &profile, &rows, None, today())
        .await
        .unwrap();
    assert_eq!(p.fresh().count(), 5);
    assert_eq!(p.reading.refused.len(), 3);
    assert_eq!(p.settled(), 1);
    ledger::import(
        &store,
        &WorkCalendar::official(),
        &profile,
        "2025台账.xlsx",
        &p,
        &env,
        &Unwatched,
    )
    .await
    .unwrap();
    let open = store.open_cases().await.unwrap();
    assert_eq!(open.len(), 4, "the settled one is not open");
    let settled = p.reading.rows.iter().find(|r| r.settled()).unwrap();
    let case = store.case(&settled.case_id("XF01")).await.unwrap().unwrap();
    assert_eq!(case.flow.stage, Stage::Archived);
    let origin = case.ledger.unwrap();
    assert_eq!(
        (origin.source.as_str(), origin.original_no.as_str()),
        ("2025台账.xlsx", "XF2025-004")
    );
    assert_eq!(case.events.len(), 2);
}
