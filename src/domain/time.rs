//! Instants and the office's calendar dates. Instants are UTC milliseconds; dates are
//! China Standard Time (UTC+8, no daylight saving), the calendar every deadline uses.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// An instant in UTC milliseconds since the Unix epoch, as the browser clock gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;

impl Timestamp {
    fn china_naive(self) -> NaiveDateTime {
        DateTime::from_timestamp_millis(self.0.saturating_add(CHINA_OFFSET_MS))
            .unwrap_or(DateTime::UNIX_EPOCH)
            .naive_utc()
    }

    /// The calendar date in China at this instant.
    pub fn china_date(self) -> NaiveDate {
        self.china_naive().date()
    }

    /// `YYYY-MM-DD HH:MM` in China time, for people.
    pub fn display(self) -> String {
        self.china_naive().format("%Y-%m-%d %H:%M").to_string()
    }

    /// The first instant of a China calendar date.
    pub fn start_of_china_date(date: NaiveDate) -> Timestamp {
        let utc = date.and_hms_opt(0, 0, 0).unwrap_or_default() - TimeDelta::hours(8);
        Timestamp(utc.and_utc().timestamp_millis())
    }
}

/// Parses a form date (`YYYY-MM-DD`), tolerating surrounding blanks.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_date_crosses_midnight_at_16_utc() {
        // 2026-09-20 15:59:59 UTC is 23:59:59 in Beijing; one second later is the 21st.
        let before = Timestamp(1_789_919_999_000);
        assert_eq!(
            before.china_date(),
            NaiveDate::from_ymd_opt(2026, 9, 20).unwrap()
        );
        assert_eq!(
            Timestamp(before.0 + 1000).china_date(),
            NaiveDate::from_ymd_opt(2026, 9, 21).unwrap()
        );
        assert_eq!(before.display(), "2026-09-20 23:59");
    }

    #[test]
    fn start_of_date_is_inverse_of_china_date() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let t = Timestamp::start_of_china_date(d);
        assert_eq!(t.china_date(), d);
        assert_eq!(Timestamp(t.0 - 1).china_date(), d.pred_opt().unwrap());
    }

    #[test]
    fn parses_form_dates() {
        assert_eq!(
            parse_date(" 2026-02-28 "),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date(""), None);
    }
}
