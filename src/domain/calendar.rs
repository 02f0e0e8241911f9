//! The working-day calendar and the two ways the regulation counts time.
//!
//! 日 (calendar days), by the general rule of Chinese law (《民法典》Art. 201, 203): the
//! day of the triggering event is not counted; if the last day is a rest day or public
//! holiday, the period ends on the next working day. 工作日 count working days only.
//! Public holidays and 调休 working weekends are data, editable by the user, shipped with
//! the official schedules that are known; a year without its schedule falls back on the
//! holidays fixed by law (`provisional`), and its deadlines say they are provisional.

pub mod notice;
pub mod provisional;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Public holidays and adjusted working days (调休) on top of the Monday–Friday week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Days off that would otherwise be working days (法定节假日).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

/// The official 2024–2026 schedules (国务院办公厅, 2023-10-25, 2024-11-12 and
/// 2025-11-04), as shipped.
pub const OFFICIAL_SCHEDULE: &str = "\
# 2024 年节假日安排（国务院办公厅 2023-10-25）。每行一项：日期或日期范围，后跟“休”或“班”。
2024-01-01 休
2024-02-10..2024-02-17 休
2024-02-04 班
2024-02-18 班
2024-04-04..2024-04-06 休
2024-04-07 班
2024-05-01..2024-05-05 休
2024-04-28 班
2024-05-11 班
2024-06-10 休
2024-09-15..2024-09-17 休
2024-09-14 班
2024-10-01..2024-10-07 休
2024-09-29 班
2024-10-12 班
# 2025 年节假日安排（国务院办公厅 2024-11-12）。
2025-01-01 休
2025-01-28..2025-02-04 休
2025-01-26 班
2025-02-08 班
2025-04-04..2025-04-06 休
2025-05-01..2025-05-05 休
2025-04-27 班
2025-05-31..2025-06-02 休
2025-10-01..2025-10-08 休
2025-09-28 班
2025-10-11 班
# 2026 年节假日安排（国务院办公厅 2025-11-04）。
2026-01-01..2026-01-03 休
2026-01-04 班
2026-02-15..2026-02-23 休
2026-02-14 班
2026-02-28 班
2026-04-04..2026-04-06 休
2026-05-01..2026-05-05 休
2026-05-09 班
2026-06-19..2026-06-21 休
2026-09-25..2026-09-27 休
2026-10-01..2026-10-07 休
2026-09-20 班
2026-10-10 班
";

/// Said beside a deadline whose last day falls in a year without its published schedule.
pub const PROVISIONAL_MARK: &str = "暂定";

/// What [`PROVISIONAL_MARK`] means, where there is room to say it.
pub const PROVISIONAL_NOTE: &str = "暂定：该年放假安排尚未录入，按法定节假日推算；录入后自动重算";

/// From this month on, next year's schedule is expected (the State Council publishes it
/// in October or November) and its absence is warned about.
pub const SCHEDULE_EXPECTED_MONTH: u32 = 12;

/// The warning while next year's schedule is missing.
pub fn missing_schedule_note(year: i32) -> String {
    format!(
        "尚未录入 {year} 年放假安排：期限末日在 {year} 年的，暂按法定节假日推算并标为“{PROVISIONAL_MARK}”。国务院公布后，请在“设置 → 节假日与调休”粘贴通知全文。"
    )
}

/// A line of the schedule text that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("第 {line} 行无法识别：“{text}”。格式如“2026-10-01..2026-10-07 休”或“2026-10-10 班”")]
pub struct ScheduleError {
    /// 1-based line number.
    pub line: usize,
    /// The line as written.
    pub text: String,
}

impl WorkCalendar {
    /// The calendar shipped with the app.
    pub fn official() -> WorkCalendar {
        // The shipped text is tested to parse; an empty calendar is the safe fallback.
        WorkCalendar::parse(OFFICIAL_SCHEDULE).unwrap_or_default()
    }

    /// Reads the schedule text: `DATE[..DATE] 休|班` per line, `#` starts a comment.
    pub fn parse(text: &str) -> Result<WorkCalendar, ScheduleError> {
        let mut cal = WorkCalendar::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = || ScheduleError {
                line: i + 1,
                text: raw.trim().to_owned(),
            };
            let (range, kind) = line.rsplit_once(char::is_whitespace).ok_or_else(err)?;
            let (a, b) = match range.trim().split_once("..") {
                Some((a, b)) => (a, b),
                None => (range.trim(), range.trim()),
            };
            let parse =
                |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| err());
            let (from, to) = (parse(a)?, parse(b)?);
            if to < from || (to - from).num_days() > 60 {
                return Err(err());
            }
            let target = match kind.trim() {
                "休" => &mut cal.holidays,
                "班" => &mut cal.workdays,
                _ => return Err(err()),
            };
            target.extend(from.iter_days().take_while(|d| *d <= to));
        }
        Ok(cal)
    }

    /// The calendar as schedule text (ranges merged), for editing.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (set, kind) in [(&self.holidays, "休"), (&self.workdays, "班")] {
            let mut days = set.iter().copied().peekable();
            while let Some(start) = days.next() {
                let mut end = start;
                while days.peek().is_some_and(|d| Some(*d) == end.succ_opt()) {
                    end = days.next().unwrap_or(end);
                }
                if start == end {
                    out.push_str(&format!("{start} {kind}\n"));
                } else {
                    out.push_str(&format!("{start}..{end} {kind}\n"));
                }
            }
        }
        out
    }

    /// Whether people work on this day. In a year without its schedule, the holidays
    /// fixed by law are days off too.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) || matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        !(provisional::is_statutory_day_off(d) && self.is_provisional(d))
    }

    /// Whether the calendar holds a schedule for `year` (any day off or 调休 in it).
    pub fn is_published(&self, year: i32) -> bool {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return false;
        };
        self.holidays.range(from..=to).next().is_some()
            || self.workdays.range(from..=to).next().is_some()
    }

    /// Whether a last day on `d` rests on a guess: its year has no schedule here.
    pub fn is_provisional(&self, d: NaiveDate) -> bool {
        !self.is_published(d.year())
    }

    /// Next year, when on `today` its schedule is due and not yet entered.
    pub fn missing_next_year(&self, today: NaiveDate) -> Option<i32> {
        let next = today.year() + 1;
        (today.month() >= SCHEDULE_EXPECTED_MONTH && !self.is_published(next)).then_some(next)
    }

    /// This calendar with `year`'s days replaced by those of `schedule`.
    pub fn with_year(&self, year: i32, schedule: &WorkCalendar) -> WorkCalendar {
        let keep = |set: &BTreeSet<NaiveDate>, from: &BTreeSet<NaiveDate>| -> BTreeSet<NaiveDate> {
            set.iter()
                .filter(|d| d.year() != year)
                .chain(from.iter().filter(|d| d.year() == year))
                .copied()
                .collect()
        };
        WorkCalendar {
            holidays: keep(&self.holidays, &schedule.holidays),
            workdays: keep(&self.workdays, &schedule.workdays),
        }
    }

    /// The first working day on or after `d`.
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        d.iter_days().find(|x| self.is_working_day(*x)).unwrap_or(d)
    }

    /// The last day of a period of `days` calendar days after `from`, not counting the
    /// days in `paused` (e.g. hearing days), rolled forward off a rest day.
    pub fn due_after_days(
        &self,
        from: NaiveDate,
        days: u32,
        paused: &BTreeSet<NaiveDate>,
    ) -> NaiveDate {
        let mut counted = 0;
        let mut d = from;
        while counted < days {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            if !paused.contains(&d) {
                counted += 1;
            }
        }
        self.next_working_day(d)
    }

    /// The `n`th working day after `from`.
    pub fn due_after_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        from.iter_days()
            .skip(1)
            .filter(|d| self.is_working_day(*d))
            .nth(n.saturating_sub(1) as usize)
            .unwrap_or(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn none() -> BTreeSet<NaiveDate> {
        BTreeSet::new()
    }

    #[test]
    fn the_shipped_schedule_parses_and_knows_2026() {
        assert_eq!(
            WorkCalendar::parse(OFFICIAL_SCHEDULE).unwrap(),
            WorkCalendar::official()
        );
        let c = WorkCalendar::official();
        assert!(!c.is_working_day(d(2026, 10, 1)));
        assert!(c.is_working_day(d(2026, 10, 10)), "调休 Saturday");
        assert!(c.is_working_day(d(2026, 9, 20)), "调休 Sunday");
        assert!(!c.is_working_day(d(2026, 10, 11)), "plain Sunday");
        assert!(c.is_working_day(d(2026, 10, 8)));
        let in_year = |y| c.holidays.iter().filter(|d| d.year() == y).count();
        assert_eq!(in_year(2026), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(in_year(2025), 1 + 8 + 3 + 5 + 3 + 8);
        assert_eq!(in_year(2024), 1 + 8 + 3 + 5 + 1 + 3 + 7);
        assert!(
            c.is_working_day(d(2025, 1, 26)),
            "调休 Sunday before 春节 2025"
        );
    }

    #[test]
    fn a_year_without_its_schedule_keeps_the_holidays_fixed_by_law_and_says_so() {
        let c = WorkCalendar::official();
        assert!(c.is_published(2026) && !c.is_published(2027));
        assert!(!c.is_provisional(d(2026, 12, 31)));
        assert!(c.is_provisional(d(2027, 1, 4)));
        // 2027-01-01 is a Friday: a day off by law even with no schedule.
        assert!(!c.is_working_day(d(2027, 1, 1)));
        // A 15-day period from 2026-12-17 ends on 2027-01-01, rolled to Monday 01-04.
        assert_eq!(
            c.due_after_days(d(2026, 12, 17), 15, &none()),
            d(2027, 1, 4)
        );
        // 国庆 2027 (Fri–Sun) is made up on Monday and Tuesday.
        assert_eq!(c.next_working_day(d(2027, 10, 1)), d(2027, 10, 6));
        // Once the year's schedule is entered, it alone counts.
        let schedule = WorkCalendar::parse("2027-10-01..2027-10-07 休\n2027-10-09 班").unwrap();
        let entered = c.with_year(2027, &schedule);
        assert!(!entered.is_provisional(d(2027, 1, 4)));
        assert!(
            entered.is_working_day(d(2027, 1, 1)),
            "not in the entered schedule"
        );
        assert_eq!(entered.next_working_day(d(2027, 10, 1)), d(2027, 10, 8));
        assert_eq!(
            entered.holidays.iter().filter(|x| x.year() == 2026).count(),
            33
        );
        // The warning: from December, for next year, until it is entered.
        assert_eq!(c.missing_next_year(d(2026, 11, 30)), None);
        assert_eq!(c.missing_next_year(d(2026, 12, 1)), Some(2027));
        assert_eq!(entered.missing_next_year(d(2026, 12, 1)), None);
    }

    #[test]
    fn calendar_days_start_next_day_and_roll_off_holidays() {
        let c = WorkCalendar::official();
        // The worked example of the domain brief.
        assert_eq!(
            c.due_after_days(d(2026, 9, 20), 15, &none()),
            d(2026, 10, 8)
        );
        // An ordinary Wednesday + 15 days = Thursday.
        assert_eq!(
            c.due_after_days(d(2026, 11, 4), 15, &none()),
            d(2026, 11, 19)
        );
        // Ending on a Saturday moves to Monday.
        assert_eq!(
            c.due_after_days(d(2026, 11, 6), 15, &none()),
            d(2026, 11, 23)
        );
    }

    #[test]
    fn month_ends_and_leap_years() {
        let c = WorkCalendar::default();
        assert_eq!(
            c.due_after_days(d(2028, 2, 14), 15, &none()),
            d(2028, 2, 29),
            "leap day, a Tuesday"
        );
        assert_eq!(
            c.due_after_days(d(2027, 2, 14), 15, &none()),
            d(2027, 3, 1),
            "no leap day; Monday"
        );
        assert_eq!(
            c.due_after_days(d(2026, 12, 20), 30, &none()),
            d(2027, 1, 19)
        );
        assert_eq!(c.due_after_days(d(2026, 1, 31), 60, &none()), d(2026, 4, 1));
    }

    #[test]
    fn paused_days_do_not_count() {
        let c = WorkCalendar::default();
        let hearing: BTreeSet<_> = [d(2026, 11, 10), d(2026, 11, 11)].into();
        assert_eq!(
            c.due_after_days(d(2026, 11, 4), 15, &hearing),
            d(2026, 11, 23),
            "19th + 2 = Sat 21st → Mon 23rd"
        );
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_count_adjusted_weekends() {
        let c = WorkCalendar::official();
        assert_eq!(
            c.due_after_working_days(d(2026, 11, 26), 5,),
            d(2026, 12, 3)
        );
        // From 2026-09-29 (Tue): 9-30 (1), holidays 10-01..07, 10-08 (2), 10-09 (3), 10-10 调休 Sat (4), 10-12 (5).
        assert_eq!(c.due_after_working_days(d(2026, 9, 29), 5), d(2026, 10, 12));
    }

    #[test]
    fn schedule_text_round_trips_and_bad_lines_are_named() {
        let c = WorkCalendar::official();
        assert_eq!(WorkCalendar::parse(&c.to_text()).unwrap(), c);
        let e = WorkCalendar::parse("2026-10-01 休\n2026-13-01 休").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("第 2 行"));
        assert!(WorkCalendar::parse("2026-10-07..2026-10-01 休").is_err());
        assert!(WorkCalendar::parse("2026-10-01 放假").is_err());
    }
}
