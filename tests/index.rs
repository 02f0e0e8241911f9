//! The in-memory index on a generated county: pages and search agree with a plain scan,
//! upserts keep the order. (Here, not beside the index: the domain's own tests do not
//! reach up to the demo generator.)
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use xinfang::demo::{demo_unit, Generator, Plan};
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::case::fold;
use xinfang::domain::index::{order, CaseIndex, SearchText};
use xinfang::domain::search::{CaseFilter, CaseSummary};
use xinfang::domain::text::normalize;

fn rows(n: usize) -> Vec<CaseSummary> {
    let plan = Plan {
        seed: 3,
        count: n,
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        span_days: 400,
        unit: demo_unit(),
    };
    let cal = WorkCalendar::official();
    let mut g = Generator::new(plan, cal.clone());
    std::iter::from_fn(|| g.next_case())
        .map(|events| CaseSummary::of(&fold(&events).unwrap(), &cal))
        .collect()
}

#[test]
fn pages_match_a_plain_scan_newest_first() {
    let all = rows(300);
    let mut shuffled = all.clone();
    shuffled.reverse();
    let index = CaseIndex::new(shuffled);
    assert_eq!(index.len(), 300);
    for query in ["", "工资", "城关镇 请求", "没有这样的字"] {
        let f = CaseFilter {
            query: query.into(),
            ..CaseFilter::default()
        };
        let mut expected: Vec<&CaseSummary> = all.iter().filter(|s| f.matches(s)).collect();
        expected.sort_by(|a, b| order(b).cmp(&order(a)));
        let p0 = index.page(&f, 0, 20);
        let p1 = index.page(&f, 1, 20);
        assert_eq!(p0.total, expected.len(), "{query}");
        let got: Vec<&str> = p0
            .items
            .iter()
            .chain(&p1.items)
            .map(|s| s.case_no.as_str())
            .collect();
        let want: Vec<&str> = expected
            .iter()
            .take(40)
            .map(|s| s.case_no.as_str())
            .collect();
        assert_eq!(got, want, "{query}");
    }
    assert_eq!(index.facts().len(), 300);
    assert_eq!(index.matchers().len(), 300);
}

#[test]
fn upserts_replace_a_case_and_insert_new_ones_in_order() {
    let all = rows(50);
    let mut index = CaseIndex::new(all[..40].to_vec());
    let mut changed = all[5].clone();
    changed.haystack = normalize("已更正的标题");
    index.upsert_all(vec![changed, all[45].clone(), all[41].clone()]);
    assert_eq!(index.len(), 42);
    let hit = index.page(
        &CaseFilter {
            query: "已更正".into(),
            ..CaseFilter::default()
        },
        0,
        20,
    );
    assert_eq!(hit.items.len(), 1);
    let newest = index.page(&CaseFilter::default(), 0, 2);
    assert_eq!(newest.items[0].case_no, all[45].case_no);
    assert_eq!(newest.items[1].case_no, all[41].case_no);
    index.clear();
    assert!(index.is_empty());
}

#[test]
fn a_row_read_back_from_its_compact_stored_form_is_the_row() {
    // The stored form leaves out the search text (kept apart) and what the facts and
    // match keys repeat of the row; filled in again, nothing is lost.
    for row in rows(2_000) {
        let json = serde_json::to_string(&row).unwrap();
        assert!(
            !json.contains(&row.haystack),
            "the search text is kept apart"
        );
        let mut back: CaseSummary = serde_json::from_str(&json).unwrap();
        back.haystack.clone_from(&row.haystack);
        back.fill_shared();
        assert_eq!(back, row);
    }
}

#[test]
fn a_later_row_of_the_same_case_wins_when_the_index_is_built() {
    // The store hands over the chunks' rows, then the journal's: the journal's win.
    let all = rows(30);
    let mut changed = all[7].clone();
    changed.title = "日志中的新标题".into();
    let mut given = all.clone();
    given.reverse();
    given.push(changed);
    let index = CaseIndex::new(given);
    assert_eq!(index.len(), 30);
    let hit: Vec<&CaseSummary> = index.rows().iter().filter(|r| r.id == all[7].id).collect();
    assert_eq!(hit.len(), 1);
    assert_eq!(hit[0].title, "日志中的新标题");
    // The search text is held apart, packed, and comes back whole.
    assert_eq!(hit[0].haystack, "");
    assert_eq!(index.search_text(&all[7].id), Some(all[7].haystack.clone()));
    let ordered: Vec<_> = index.rows().iter().map(order).collect();
    assert!(ordered.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn rows_packed_as_they_are_read_index_as_rows_packed_at_once() {
    // The store packs each chunk's search text as it reads it; the index it builds must
    // be the one built from the whole rows (a later row of a case winning, in order).
    let all = rows(120);
    let mut given: Vec<CaseSummary> = all.iter().rev().cloned().collect();
    let mut changed = all[3].clone();
    changed.haystack = normalize("日志中的新文字");
    given.push(changed);
    let whole = CaseIndex::new(given.clone());
    let texts: Vec<SearchText> = given.iter_mut().map(SearchText::take).collect();
    let packed = CaseIndex::with_texts(given, texts);
    assert_eq!(packed.len(), 120);
    assert_eq!(packed.rows(), whole.rows());
    for query in ["", "工资", "日志中的新", "城关镇 请求"] {
        let f = CaseFilter {
            query: query.into(),
            ..CaseFilter::default()
        };
        assert_eq!(packed.page(&f, 0, 200), whole.page(&f, 0, 200), "{query}");
    }
    assert_eq!(
        packed.search_text(&all[3].id),
        Some(normalize("日志中的新文字"))
    );
}
