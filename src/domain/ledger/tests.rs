//! The messy ledger of `tests/fixtures/ledger-messy.csv`, and each rule on its own.

use super::csv::parse_csv;
use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn fixture() -> Vec<Vec<String>> {
    parse_csv(include_str!("../../../tests/fixtures/ledger-messy.csv"))
}

#[test]
fn the_header_is_found_below_the_title_rows_and_matched_by_its_usual_names() {
    let rows = fixture();
    assert_eq!(find_header(&rows), Some(3));
    let m = match_headers(&rows[3]);
    assert_eq!(m[0], None, "序号 is only a row count");
    assert_eq!(m[1], Some(LedgerField::OriginalNo));
    assert_eq!(m[2], Some(LedgerField::ReceivedOn));
    assert_eq!(m[4], Some(LedgerField::Name));
    assert_eq!(m[5], Some(LedgerField::IdNumber));
    assert_eq!(m[8], Some(LedgerField::Title));
    assert_eq!(m[9], Some(LedgerField::Request));
    assert_eq!(m[11], Some(LedgerField::Township));
    assert_eq!(m[12], Some(LedgerField::Handling));
    // Other spellings of the same columns.
    assert_eq!(field_of("信访人姓名（必填）"), Some(LedgerField::Name));
    assert_eq!(field_of(" 身份证号 "), Some(LedgerField::IdNumber));
    assert_eq!(field_of("信访人身份证号"), Some(LedgerField::IdNumber));
    assert_eq!(field_of("标题"), Some(LedgerField::Title));
    assert_eq!(field_of("备注"), None);
}

#[test]
fn every_messy_row_is_read_refused_or_skipped_with_its_reason() {
    let r = read_ledger(&fixture(), None, today()).unwrap();
    assert_eq!(r.header_line, 4);
    let lines: Vec<usize> = r.rows.iter().map(|x| x.line).collect();
    assert_eq!(lines, [5, 6, 7, 8, 14]);
    assert_eq!(r.skipped, 2, "the blank row and the 小计");
    let refused: Vec<(usize, &str)> = r
        .refused
        .iter()
        .map(|x| (x.line, x.reason.as_str()))
        .collect();
    assert_eq!(refused.len(), 3);
    assert_eq!(refused[0].0, 9);
    assert!(
        refused[0].1.contains("第 9 行") && refused[0].1.contains("身份证号"),
        "{}",
        refused[0].1
    );
    assert_eq!(refused[1].0, 10);
    assert!(refused[1].1.contains("缺少信访事项"));
    assert_eq!(refused[2].0, 11);
    assert!(refused[2].1.contains("“去年春天”无法识别"));
    assert_eq!(
        r.refused[2].cells[2], "去年春天",
        "the row as it was, to fix"
    );

    let first = &r.rows[0];
    assert_eq!(first.original_no, "XF2025-001");
    assert_eq!(first.handling, "已转送县人社局");
    assert_eq!(
        first.petition.received_on,
        Some(d(2025, 1, 20)),
        "an Excel serial"
    );
    assert_eq!(first.petition.channel, Channel::Letter);
    assert_eq!(first.petition.category, Category::LabourSocialSecurity);
    assert_eq!(first.petition.petitioners[0].address, "城关镇东街1号");

    // Two petitioners in one cell, their numbers and phones in the same order.
    let two = &r.rows[1].petition;
    assert_eq!(two.received_on, Some(d(2025, 1, 5)));
    assert_eq!(two.channel, Channel::Visit);
    assert_eq!(two.petitioners.len(), 2);
    assert_eq!(two.petitioners[1].name, "王五");
    assert_eq!(two.petitioners[0].id_number, "110101199003070038");
    assert_eq!(two.petitioners[1].phone, "13700137000");

    // No title: named by what it asks.
    let untitled = &r.rows[2].petition;
    assert_eq!(untitled.received_on, Some(d(2025, 2, 3)));
    assert_eq!(untitled.channel, Channel::Online);
    assert!(untitled.title.starts_with("小区物业管理混乱"));

    // Full-width digits in the date and the phone.
    let wide = &r.rows[3].petition;
    assert_eq!(wide.received_on, Some(d(2025, 3, 8)));
    assert_eq!(wide.petitioners[0].phone, "13500135000");
    assert_eq!(wide.channel, Channel::Phone);
    assert_eq!(
        wide.category,
        Category::EducationHealth,
        "“教育” is 教育医疗"
    );
}

#[test]
fn dates_in_every_form_ledgers_write() {
    for (text, want) in [
        ("45677", Some(d(2025, 1, 20))),
        ("45677.5", Some(d(2025, 1, 20))),
        ("2026-01-05", Some(d(2026, 1, 5))),
        ("2026/1/5", Some(d(2026, 1, 5))),
        ("2026.1.5", Some(d(2026, 1, 5))),
        ("2026年1月5日", Some(d(2026, 1, 5))),
        ("２０２６年１月５日", Some(d(2026, 1, 5))),
        ("2026/1/5 10:30", Some(d(2026, 1, 5))),
        ("20260105", Some(d(2026, 1, 5))),
        ("2026-02-30", None),
        ("1月5日", None),
        ("去年", None),
        ("", None),
        ("12", None),
    ] {
        assert_eq!(ledger_date(text), want, "{text}");
    }
}

#[test]
fn a_sheet_without_a_header_or_a_matter_is_refused_whole() {
    let rows = parse_csv("甲,乙,丙\n1,2,3\n");
    assert_eq!(
        read_ledger(&rows, None, today()),
        Err(LedgerError::NoHeader)
    );
    let names_only = parse_csv("姓名,身份证号,联系电话\n张三,,13800138000\n");
    assert_eq!(
        read_ledger(&names_only, None, today()),
        Err(LedgerError::NoMatter)
    );
    // The clerk's corrected mapping is used as given.
    let rows = parse_csv("姓名,身份证号,乡镇,备注\n张三,,城关镇,拖欠工资\n");
    let mapping = vec![
        Some(LedgerField::Name),
        Some(LedgerField::IdNumber),
        Some(LedgerField::Township),
        Some(LedgerField::Title),
    ];
    let r = read_ledger(&rows, Some(mapping), today()).unwrap();
    assert_eq!(r.refused, []);
    assert_eq!(r.rows[0].petition.title, "拖欠工资");
}
