//! The holidays fixed by law, for the years whose State Council schedule (放假安排) is
//! not yet published: 《全国年节及纪念日放假办法》 (2024 revision, in force from 2025)
//! gives 元旦 1 day, 春节 4 days (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1 and 国庆
//! 3, and a holiday falling on a weekend is made up on the next working day (补假).
//! The 调休 weekends each year's notice adds cannot be foreseen, so every deadline
//! ending in such a year is marked as provisional until the schedule is entered.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};

/// 正月初一, 五月初五 and 八月十五 in the Gregorian calendar, as `year MMDD MMDD MMDD`
/// (checked against an independent lunisolar implementation in the tests).
pub const LUNAR_FESTIVALS: &str = "\
2025 0129 0531 1006
2026 0217 0619 0925
2027 0206 0609 0915
2028 0126 0528 1003
2029 0213 0616 0922
2030 0203 0605 0912
2031 0123 0624 1001
2032 0211 0612 0919
2033 0131 0601 0908
2034 0219 0620 0927
2035 0208 0610 0916
2036 0128 0530 1004
2037 0215 0618 0924
2038 0204 0607 0913
2039 0124 0527 1002
2040 0212 0614 0920
2041 0201 0603 0910
2042 0122 0622 0928
2043 0210 0611 0917
2044 0130 0531 1005
2045 0217 0619 0925
2046 0206 0608 0915
2047 0126 0529 1004
2048 0214 0615 0922
2049 0202 0604 0911
2050 0123 0623 0930
2051 0211 0613 0919
2052 0201 0601 0907
2053 0219 0620 0926
2054 0208 0610 0916
2055 0128 0530 1005
2056 0215 0617 0924
2057 0204 0606 0913
2058 0124 0625 1002
2059 0212 0614 0921
2060 0202 0603 0909
2061 0121 0622 0928
2062 0209 0611 0917
2063 0129 0601 1006
2064 0217 0619 0925
2065 0205 0608 0915
2066 0126 0528 1003
2067 0214 0616 0923
2068 0203 0604 0911
2069 0123 0623 0929
2070 0211 0613 0919
2071 0131 0602 0908
2072 0219 0620 0926
2073 0207 0610 0916
2074 0127 0530 1005
2075 0215 0617 0924
2076 0205 0606 0912
2077 0124 0624 1001
2078 0212 0614 0920
2079 0202 0604 0910
2080 0122 0622 0928
2081 0209 0611 0917
2082 0129 0601 1006
2083 0217 0619 0926
2084 0206 0607 0914
2085 0126 0527 1003
2086 0214 0615 0922
2087 0203 0605 0911
2088 0124 0623 0929
2089 0210 0613 0918
2090 0130 0602 0908
2091 0218 0621 0927
2092 0207 0609 0916
2093 0127 0529 1005
2094 0215 0617 0924
2095 0205 0606 0913
2096 0125 0624 0930
2097 0212 0614 0920
2098 0201 0604 0909
2099 0121 0623 0929
";

/// First year of the law's current version.
pub const FIRST_YEAR: i32 = 2025;

/// The day of 清明 (the solar term), by the usual formula for 2001–2099.
fn qingming(year: i32) -> Option<NaiveDate> {
    let y = f64::from(year % 100);
    let day = (y * 0.2422 + 4.81).floor() as i64 - i64::from(year % 100) / 4;
    NaiveDate::from_ymd_opt(year, 4, u32::try_from(day).ok()?)
}

fn month_day(year: i32, mmdd: &str) -> Option<NaiveDate> {
    let n: u32 = mmdd.parse().ok()?;
    NaiveDate::from_ymd_opt(year, n / 100, n % 100)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// One year's statutory days off with their 补假, from a line of [`LUNAR_FESTIVALS`].
fn year_of(line: &str) -> Option<Vec<NaiveDate>> {
    let mut parts = line.split_whitespace();
    let year: i32 = parts.next()?.parse().ok()?;
    let (spring, dragon, moon) = (
        month_day(year, parts.next()?)?,
        month_day(year, parts.next()?)?,
        month_day(year, parts.next()?)?,
    );
    let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let mut days = vec![
        fixed(1, 1)?,
        spring.pred_opt()?,
        spring,
        spring.succ_opt()?,
        spring.succ_opt()?.succ_opt()?,
        qingming(year)?,
        fixed(5, 1)?,
        fixed(5, 2)?,
        dragon,
        moon,
        fixed(10, 1)?,
        fixed(10, 2)?,
        fixed(10, 3)?,
    ];
    days.sort();
    // Each holiday is a day off of its own: one on a weekend, or on another holiday
    // (中秋 on a 国庆 day), is made up on the next day that is free.
    let mut off: BTreeSet<NaiveDate> = BTreeSet::new();
    for d in days {
        if off.insert(d) && !is_weekend(d) {
            continue;
        }
        let mut next = d.succ_opt()?;
        while is_weekend(next) || off.contains(&next) {
            next = next.succ_opt()?;
        }
        off.insert(next);
    }
    Some(off.into_iter().collect())
}

/// Every statutory day off of the years the table covers.
fn all() -> &'static BTreeSet<NaiveDate> {
    static ALL: OnceLock<BTreeSet<NaiveDate>> = OnceLock::new();
    ALL.get_or_init(|| {
        LUNAR_FESTIVALS
            .lines()
            .filter_map(year_of)
            .flatten()
            .collect()
    })
}

/// Whether the law makes `d` a day off (its year's schedule aside).
pub fn is_statutory_day_off(d: NaiveDate) -> bool {
    all().contains(&d)
}

/// The statutory days off of `year` (empty outside the table).
pub fn days_off(year: i32) -> Vec<NaiveDate> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1);
    let to = NaiveDate::from_ymd_opt(year, 12, 31);
    match (from, to) {
        (Some(from), Some(to)) => all().range(from..=to).copied().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_festival_table_agrees_with_a_lunisolar_calendar() {
        use lunar_lite::{lunar_to_solar, LunarDate};
        let mut years = 0;
        for line in LUNAR_FESTIVALS.lines() {
            let mut parts = line.split_whitespace();
            let year: i32 = parts.next().unwrap().parse().unwrap();
            for (month, day) in [(1, 1), (5, 5), (8, 15)] {
                let s = lunar_to_solar(LunarDate {
                    year,
                    month,
                    day,
                    is_leap_month: false,
                })
                .unwrap();
                let want = format!("{:02}{:02}", s.month, s.day);
                assert_eq!(
                    parts.next(),
                    Some(want.as_str()),
                    "{year} 农历{month}月{day}日"
                );
            }
            years += 1;
        }
        assert_eq!(years, 2099 - FIRST_YEAR + 1, "every year to 2099");
    }

    #[test]
    fn qingming_falls_where_the_published_schedules_put_it() {
        assert_eq!(qingming(2025), Some(d(2025, 4, 4)));
        assert_eq!(qingming(2026), Some(d(2026, 4, 5)));
        assert_eq!(qingming(2027), Some(d(2027, 4, 5)));
        assert_eq!(qingming(2028), Some(d(2028, 4, 4)));
    }

    #[test]
    fn thirteen_days_a_year_with_weekend_holidays_made_up() {
        for year in FIRST_YEAR..=2099 {
            let days = days_off(year);
            assert!(days.len() >= 13, "{year}: {}", days.len());
            let weekdays = days.iter().filter(|d| !is_weekend(**d)).count();
            assert_eq!(weekdays, 13, "{year}: thirteen working days off");
        }
        // 2027: 元旦 is a Friday; 春节 除夕 2-05 (Fri) to 初三 2-08 (Mon): 2-06 and 2-07 fall
        // on the weekend and are made up on 2-09 and 2-10.
        let y2027 = days_off(2027);
        for day in [
            d(2027, 1, 1),
            d(2027, 2, 5),
            d(2027, 2, 8),
            d(2027, 2, 9),
            d(2027, 2, 10),
        ] {
            assert!(y2027.contains(&day), "{day}");
        }
        assert!(!y2027.contains(&d(2027, 2, 11)));
        // 国庆 2027: 10-01 Fri, 10-02 Sat, 10-03 Sun → made up 10-04, 10-05.
        assert!(y2027.contains(&d(2027, 10, 5)) && !y2027.contains(&d(2027, 10, 6)));
        // 2028: 中秋 is 10-03, a 国庆 day: it is a day of its own.
        let y2028 = days_off(2028);
        let october: Vec<_> = y2028.iter().filter(|d| d.month() == 10).copied().collect();
        assert_eq!(october, (1..=5).map(|n| d(2028, 10, n)).collect::<Vec<_>>());
        assert!(days_off(2100).is_empty());
    }
}
