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

fn actor() -> crate::domain::event::Actor {
    crate::domain::event::Actor {
        unit_code: "XF01".into(),
        unit_name: "某某县信访局".into(),
        operator: "王五".into(),
    }
}

#[test]
fn the_same_ledger_read_twice_makes_the_same_cases_and_a_changed_row_a_new_one() {
    let once = read_ledger(&fixture(), None, today()).unwrap();
    let again = read_ledger(&fixture(), None, today()).unwrap();
    let ids = |r: &LedgerReading| -> Vec<_> { r.rows.iter().map(|x| x.case_id("XF01")).collect() };
    assert_eq!(
        ids(&once),
        ids(&again),
        "a second import finds what the first made"
    );
    let distinct: std::collections::BTreeSet<_> = ids(&once).into_iter().collect();
    assert_eq!(distinct.len(), once.rows.len());
    assert_ne!(
        once.rows[0].case_id("XF01"),
        once.rows[0].case_id("XF02"),
        "per unit"
    );

    // Rows without a number are known by their fields, whatever the column order.
    let a = parse_csv("信访事项,姓名,乡镇\n拖欠工资,张三,城关镇\n");
    let b = parse_csv("备注,乡镇,姓名,信访事项,未导入原因\n,城关镇,张三,拖欠工资,第 2 行：…\n");
    let (a, b) = (
        read_ledger(&a, None, today()).unwrap(),
        read_ledger(&b, None, today()).unwrap(),
    );
    assert_eq!(a.rows[0].case_id("XF01"), b.rows[0].case_id("XF01"));
    let c = read_ledger(
        &parse_csv("信访事项,姓名,乡镇\n拖欠工资,张四,城关镇\n"),
        None,
        today(),
    )
    .unwrap();
    assert_ne!(a.rows[0].case_id("XF01"), c.rows[0].case_id("XF01"));
}

#[test]
fn a_field_the_clerk_chooses_for_a_column_leaves_the_column_it_had() {
    use LedgerField::*;
    let mut m = vec![Some(Name), Some(Title), None];
    assign(&mut m, 2, Some(Title));
    assert_eq!(m, [Some(Name), None, Some(Title)]);
    assign(&mut m, 0, None);
    assert_eq!(m, [None, None, Some(Title)]);
    assign(&mut m, 9, Some(Name));
    assert_eq!(
        m,
        [None, None, Some(Title)],
        "no such column: nothing changes"
    );
}

#[test]
fn a_row_repeated_in_the_same_ledger_is_imported_once() {
    let rows = parse_csv(
        "编号,登记日期,信访事项,乡镇\nA1,2025-01-02,拖欠工资,城关镇\nA1,2025-01-02,拖欠工资,城关镇\nA1,2026-01-02,道路失修,城关镇\n",
    );
    let r = read_ledger(&rows, None, today()).unwrap();
    assert_eq!(
        r.rows.len(),
        2,
        "the same number in another year is another case"
    );
    assert_eq!(r.refused.len(), 1);
    assert!(
        r.refused[0].reason.contains("与第 2 行重复"),
        "{}",
        r.refused[0].reason
    );
}

#[test]
fn what_the_ledger_says_of_its_handling_decides_if_the_case_is_settled() {
    for (text, want) in [
        ("已办结", true),
        ("办结", true),
        ("已答复信访人", true),
        ("已终结", true),
        ("息诉罢访", true),
        ("未办结", false),
        ("办理中", false),
        ("已转送县人社局", false),
        ("待答复", false),
        ("", false),
    ] {
        assert_eq!(import::settled(text), want, "{text}");
    }
}

#[test]
fn an_imported_row_folds_into_a_case_with_its_origin_and_settled_ones_are_closed() {
    use crate::domain::case::{fold, CaseNumber};
    use crate::domain::time::Timestamp;
    use crate::domain::workflow::Stage;
    let r = read_ledger(&fixture(), None, today()).unwrap();
    let number = CaseNumber::next("XF01", 2026, Some(41));
    let open =
        fold(&r.rows[0].events("2025台账.xlsx", &actor(), Timestamp(1_000), &number)).unwrap();
    assert_eq!(open.id, r.rows[0].case_id("XF01"));
    assert_eq!(open.case_no, "XF01-2026-00042");
    assert_eq!(open.flow.stage, Stage::AwaitingRouting);
    let origin = open.ledger.clone().unwrap();
    assert_eq!(origin.original_no, "XF2025-001");
    assert_eq!(origin.source, "2025台账.xlsx");
    assert_eq!(
        open.received_on(),
        d(2025, 1, 20),
        "deadlines count from the ledger's date"
    );
    assert_eq!(open.events[1].body.label(), "台账导入");

    let settled = &r.rows[3];
    assert_eq!(settled.handling, "已办结");
    let closed =
        fold(&settled.events("2025台账.xlsx", &actor(), Timestamp(1_000), &number)).unwrap();
    assert_eq!(closed.flow.stage, Stage::Archived);
    assert!(closed.flow.stage.is_finished());
    assert_eq!(
        closed.flow.allowed(),
        Vec::new(),
        "nothing more is done on it"
    );
}

/// `ledger-messy.xlsx` holds the rows of the CSV as Excel keeps them (written by
/// openpyxl: a merged title, real date and number cells, deflated parts, a second sheet);
/// `ledger-messy-gb18030.csv` is the CSV as Chinese Excel saves it.
const XLSX: &[u8] = include_bytes!("../../../tests/fixtures/ledger-messy.xlsx");
const GB18030: &[u8] = include_bytes!("../../../tests/fixtures/ledger-messy-gb18030.csv");
const UTF8: &str = include_str!("../../../tests/fixtures/ledger-messy.csv");

fn no_gb18030(_: &[u8]) -> Option<String> {
    panic!("not a GB18030 file")
}

#[test]
fn an_xlsx_ledger_reads_as_its_csv_does() {
    let from_xlsx =
        read_ledger(&file::read_rows(XLSX, no_gb18030).unwrap(), None, today()).unwrap();
    let from_csv = read_ledger(&fixture(), None, today()).unwrap();
    assert_eq!(from_xlsx.header_line, 4);
    assert_eq!(
        from_xlsx.rows, from_csv.rows,
        "the same cases, lines and keys"
    );
    let lines = |r: &LedgerReading| r.refused.iter().map(|x| x.line).collect::<Vec<_>>();
    assert_eq!(lines(&from_xlsx), lines(&from_csv));
    assert_eq!(from_xlsx.skipped, from_csv.skipped);
}

#[test]
fn text_files_in_every_encoding_excel_writes() {
    use file::{encoding_of, read_rows, Encoding};
    assert_eq!(encoding_of(UTF8.as_bytes()), Encoding::Utf8);
    let bom = [b"\xEF\xBB\xBF".as_slice(), UTF8.as_bytes()].concat();
    assert_eq!(read_rows(&bom, no_gb18030).unwrap(), fixture());
    // GB18030 is not UTF-8 and goes to the decoder given (the browser's, in the app).
    assert_eq!(encoding_of(GB18030), Encoding::Gb18030);
    let mut asked = false;
    let decoded = read_rows(GB18030, |b| {
        asked = b == GB18030;
        Some(UTF8.to_owned())
    });
    assert!(asked);
    assert_eq!(decoded.unwrap(), fixture());
    assert_eq!(
        read_rows(GB18030, |_| None),
        Err(LedgerError::NotText),
        "what the decoder refuses is refused"
    );
    // Excel's "Unicode text": UTF-16 with its mark, tab-separated.
    let tabbed = "姓名\t信访事项\t乡镇\r\n张三\t拖欠工资\t城关镇\r\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(tabbed.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(encoding_of(&le), Encoding::Utf16Le);
    let rows = read_rows(&le, no_gb18030).unwrap();
    assert_eq!(rows[1], ["张三", "拖欠工资", "城关镇"]);
}

#[test]
fn files_that_are_no_ledger_are_refused_with_what_to_do() {
    use file::read_rows;
    assert_eq!(
        read_rows(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", no_gb18030),
        Err(LedgerError::OldExcel)
    );
    assert!(read_rows(b"PK\x03\x04broken", no_gb18030).is_err());
    assert_eq!(
        read_rows(b"\x00\x01\x02binary", |_| None),
        Err(LedgerError::NotText)
    );
    assert_eq!(
        read_rows(b"a\x00b", no_gb18030),
        Err(LedgerError::NotText),
        "valid UTF-8 with NULs is no text file"
    );
    let header_only = parse_csv("姓名,信访事项,乡镇\n,,\n");
    assert_eq!(
        read_ledger(&header_only, None, today()),
        Err(LedgerError::NoRows)
    );
}

mod hostile {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// A workbook with any bytes changed, cut short or lengthened is read or
        /// refused, never a panic; so is any text.
        #[test]
        fn a_damaged_workbook_is_refused_or_read_never_a_panic(
            flips in proptest::collection::vec((0usize..XLSX.len(), any::<u8>()), 1..12),
            cut in 0usize..XLSX.len(),
        ) {
            let mut bytes = XLSX.to_vec();
            for (at, b) in flips {
                bytes[at] = b;
            }
            if let Ok(rows) = file::read_rows(&bytes, |_| None) {
                let _ = read_ledger(&rows, None, today());
            }
            let _ = file::read_rows(&bytes[..cut], |_| None);
        }

        #[test]
        fn any_text_is_refused_or_read_never_a_panic(text in "\\PC{0,200}") {
            if let Ok(rows) = file::read_rows(text.as_bytes(), |_| None) {
                let _ = read_ledger(&rows, None, today());
            }
        }
    }
}
