//! Tables for export: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese) and a
//! real .xlsx workbook (`xlsx.rs`: Office Open XML in a zip of stored entries, no
//! compression library needed, and every spreadsheet program opens it).

pub mod dashboard;
pub mod ledger;
pub mod qr;
pub mod registers;
pub mod table;
pub mod xlsx;

pub use table::{Cell, Table};
pub use xlsx::{to_workbook, to_xlsx};

/// The first characters that make Excel (or another spreadsheet) read a cell as a formula
/// (`=HYPERLINK(…)` in a petitioner's words); full-width forms too, which Chinese input
/// methods type and some spreadsheets fold to ASCII.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

fn csv_field(s: &str) -> String {
    // A leading apostrophe makes the cell text; the value stays readable.
    let s = &if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The table as CSV (RFC 4180, CRLF line ends, UTF-8 with BOM).
pub fn to_csv(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(t.header.iter().map(|h| csv_field(h)).collect()));
    for row in &t.rows {
        out.push_str(&line(
            row.iter()
                .map(|c| match c {
                    Cell::Text(s) => csv_field(s),
                    Cell::Number(n) => n.to_string(),
                    Cell::Date(d) => d.to_string(),
                    // "85.0%" is read by Excel as the number 0.85 shown as a percentage.
                    Cell::Rate(r) if r.den == 0 => String::new(),
                    Cell::Rate(r) => r.percent(),
                })
                .collect(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::measures::Ratio;
    use crate::report::table::sample as table;
    use chrono::NaiveDate;

    #[test]
    fn csv_cells_never_start_a_formula() {
        let t = Table {
            name: "t".into(),
            header: vec!["a".into()],
            rows: [
                "=HYPERLINK(\"x\",\"点击\")",
                "+1",
                "-2",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "＝1+1",
                "＋1",
                "－1",
                "＠x",
            ]
            .iter()
            .map(|v| vec![Cell::Text((*v).to_owned())])
            .chain([vec![Cell::Number(-3)], vec![Cell::Text("张三=李四".into())]])
            .collect(),
        };
        let csv = to_csv(&t);
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"x\"\",\"\"点击\"\")\"");
        for l in &lines[2..5] {
            assert!(l.starts_with('\''), "{l}");
        }
        assert_eq!(lines[5], "'\tx");
        assert_eq!(lines[6], "\"'\rx\"");
        for l in &lines[7..11] {
            assert!(l.starts_with('\''), "{l}");
        }
        assert_eq!(lines[11], "-3", "numbers stay numbers");
        assert_eq!(lines[12], "张三=李四", "only a leading sign matters");
    }

    #[test]
    fn csv_quotes_and_keeps_chinese() {
        assert_eq!(
            to_csv(&table()),
            "\u{feff}项目,本期\r\n总量,3\r\n\"说明, 含\"\"引号\"\"\",-1\r\n"
        );
    }

    #[test]
    fn csv_dates_and_rates_read_as_dates_and_percentages() {
        let t = Table {
            name: "t".into(),
            header: vec!["日期".into(), "率".into(), "无".into()],
            rows: vec![vec![
                Cell::from(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
                Cell::from(Ratio { num: 17, den: 20 }),
                Cell::from(Ratio { num: 0, den: 0 }),
            ]],
        };
        assert_eq!(to_csv(&t), "\u{feff}日期,率,无\r\n2026-01-05,85.0%,\r\n");
        assert_eq!(t.rows[0][1].text(), "85.0%（17/20）");
        assert_eq!(t.rows[0][2].text(), "—");
    }
}
