//! Sensitive dates the unit lists (anniversaries, meetings, festivals): petitions
//! received around them are an early warning, and the ones coming up are shown ahead.

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use super::measures::{Facts, Period};

/// Days before and after a sensitive date during which petitions are flagged.
pub const SENSITIVE_WINDOW_DAYS: i64 = 3;
/// How far ahead coming sensitive dates are shown.
pub const LOOKAHEAD_DAYS: i64 = 30;

/// One sensitive date: every year on a month and day, or once on a full date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SensitiveDate {
    /// `None` for a date that comes back every year.
    pub year: Option<i32>,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// What it is.
    pub label: String,
}

impl SensitiveDate {
    /// The days it falls on between `from` and `to` (inclusive).
    fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let years = match self.year {
            Some(y) => y..=y,
            None => from.year()..=to.year(),
        };
        years
            .filter_map(|y| NaiveDate::from_ymd_opt(y, self.month, self.day))
            .filter(|d| from <= *d && *d <= to)
            .collect()
    }

    /// The line it is written as in the editor.
    pub fn to_line(&self) -> String {
        match self.year {
            Some(y) => format!("{y}-{:02}-{:02} {}", self.month, self.day, self.label),
            None => format!("{:02}-{:02} {}", self.month, self.day, self.label),
        }
    }
}

/// Reads the editor's text: one date per line, `MM-DD 名称` every year or
/// `YYYY-MM-DD 名称` once; blank lines are skipped. Errors name the line, in Chinese.
pub fn parse_list(text: &str) -> Result<Vec<SensitiveDate>, Vec<String>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (date, label) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let label = label.trim();
        let parts: Vec<&str> = date.split('-').collect();
        let num = |s: &str| s.parse::<u32>().ok();
        let parsed = match parts.as_slice() {
            [m, d] => num(m).zip(num(d)).map(|(m, d)| (None, m, d)),
            [y, m, d] => y
                .parse::<i32>()
                .ok()
                .zip(num(m))
                .zip(num(d))
                .map(|((y, m), d)| (Some(y), m, d)),
            _ => None,
        };
        // 02-29 is a valid yearly date (it falls in leap years only).
        let valid =
            parsed.filter(|(y, m, d)| NaiveDate::from_ymd_opt(y.unwrap_or(2028), *m, *d).is_some());
        match valid {
            None => errors.push(format!(
                "第 {} 行“{line}”的日期不对：每年的写“月-日 名称”（如 06-30 某纪念日），只一次的写“年-月-日 名称”。",
                n + 1
            )),
            Some(_) if label.is_empty() => {
                errors.push(format!("第 {} 行缺少名称：日期后空一格写上它是什么日子。", n + 1))
            }
            Some((year, month, day)) => out.push(SensitiveDate {
                year,
                month,
                day,
                label: label.to_owned(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Petitions received around one occurrence of a sensitive date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveHit {
    /// The day it fell on.
    pub date: NaiveDate,
    /// What it is.
    pub label: String,
    /// Case numbers received within the window around it.
    pub cases: Vec<String>,
}

/// Every occurrence touching `period` (its window overlapping it) with the cases of the
/// period received within [`SENSITIVE_WINDOW_DAYS`] of it; occurrences with none are left out.
pub fn around(dates: &[SensitiveDate], facts: &[Facts], period: Period) -> Vec<SensitiveHit> {
    let w = TimeDelta::days(SENSITIVE_WINDOW_DAYS);
    let mut hits: Vec<SensitiveHit> = dates
        .iter()
        .flat_map(|s| {
            s.occurrences(period.from - w, period.to + w)
                .into_iter()
                .map(move |date| (date, s))
        })
        .filter_map(|(date, s)| {
            let cases: Vec<String> = facts
                .iter()
                .filter(|f| period.contains(f.received_on))
                .filter(|f| (f.received_on - date).abs() <= w)
                .map(|f| f.case_no.clone())
                .collect();
            (!cases.is_empty()).then(|| SensitiveHit {
                date,
                label: s.label.clone(),
                cases,
            })
        })
        .collect();
    hits.sort_by_key(|h| h.date);
    hits
}

/// Sensitive dates from `today` to [`LOOKAHEAD_DAYS`] ahead, soonest first.
pub fn upcoming(dates: &[SensitiveDate], today: NaiveDate) -> Vec<(NaiveDate, String)> {
    let mut out: Vec<(NaiveDate, String)> = dates
        .iter()
        .flat_map(|s| {
            s.occurrences(today, today + TimeDelta::days(LOOKAHEAD_DAYS))
                .into_iter()
                .map(|d| (d, s.label.clone()))
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::measures::tests::base as case;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_editor_text_round_trips_and_bad_lines_are_named() {
        let list = parse_list("12-01 县人代会开幕\n\n2026-12-20  征地听证会\n02-29 闰日").unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].year, None);
        assert_eq!(list[1].label, "征地听证会");
        let text: Vec<String> = list.iter().map(SensitiveDate::to_line).collect();
        assert_eq!(parse_list(&text.join("\n")).unwrap(), list);
        let errors = parse_list("13-01 错月\n06-30\n六月 某日").unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors[0].starts_with("第 1 行"));
        assert!(errors[1].contains("缺少名称"));
        assert!(errors[2].starts_with("第 3 行"));
    }

    #[test]
    fn petitions_within_the_window_of_a_date_are_flagged() {
        let dates = parse_list("12-01 人代会\n2026-11-10 听证会\n2025-11-10 去年的会").unwrap();
        let facts = vec![
            case("A", d(2026, 11, 28)),
            case("B", d(2026, 12, 4)),
            case("C", d(2026, 12, 5)),
            case("D", d(2026, 11, 13)),
        ];
        let nov = Period {
            from: d(2026, 11, 1),
            to: d(2026, 11, 30),
        };
        // 12-01 is outside November but its window reaches back to 11-28.
        let hits = around(&dates, &facts, nov);
        assert_eq!(hits.len(), 2);
        assert_eq!(
            (hits[0].date, hits[0].cases.clone()),
            (d(2026, 11, 10), vec!["D".to_owned()])
        );
        assert_eq!(
            (hits[1].label.as_str(), hits[1].cases.clone()),
            ("人代会", vec!["A".to_owned()])
        );
        let dec = Period {
            from: d(2026, 12, 1),
            to: d(2026, 12, 31),
        };
        assert_eq!(around(&dates, &facts, dec)[0].cases, ["B"]);
    }

    #[test]
    fn coming_dates_wrap_into_next_year() {
        let dates = parse_list("01-05 元旦后开会\n06-30 年中\n2026-12-20 听证会").unwrap();
        assert_eq!(
            upcoming(&dates, d(2026, 12, 10)),
            vec![
                (d(2026, 12, 20), "听证会".to_owned()),
                (d(2027, 1, 5), "元旦后开会".to_owned())
            ]
        );
        assert!(upcoming(&dates, d(2026, 7, 1)).is_empty());
    }
}
