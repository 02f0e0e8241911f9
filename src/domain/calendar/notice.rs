//! A State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) pasted as
//! text, read into that year's schedule: each clause's "…至…放假" ranges become days off
//! and its "…上班" days 调休 working days.

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use super::WorkCalendar;

/// Why a pasted notice could not be read; nothing is changed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoticeError {
    /// No "YYYY年" anywhere.
    #[error(
        "没有找到年份。请把通知连同标题（如“国务院办公厅关于2027年部分节假日安排的通知”）一起粘贴"
    )]
    NoYear,
    /// No clause with a date.
    #[error("通知中没有识别出放假或上班的日期。请粘贴通知正文中“一、元旦：……”起的各条")]
    Nothing,
    /// A clause with dates that says neither 放假 nor 上班.
    #[error("无法判断“{0}”是放假还是上班，请检查这一句")]
    Unclear(String),
    /// A date that does not exist or a range that runs backwards or too long.
    #[error("“{0}”中的日期无法识别，请检查这一句")]
    BadDate(String),
}

/// A notice read: its year and the days it sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The year the notice is for.
    pub year: i32,
    /// Its days off and 调休 working days.
    pub schedule: WorkCalendar,
}

/// Full-width digits as ASCII, and what stands in parentheses (weekdays, 农历 dates) dropped.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            _ => out.push(c),
        }
    }
    out
}

/// The year of the notice: the first "YYYY年".
fn year_of(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// The dates of a clause, as (first, last) ranges: "1月1日至3日", "2月14日、2月28日".
fn ranges(clause: &str, year: i32) -> Option<Vec<(NaiveDate, NaiveDate)>> {
    let (mut y, mut m) = (year, None::<u32>);
    let mut number = String::new();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut open = false;
    for c in clause.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: Option<u32> = number.parse().ok();
        number.clear();
        match (c, n) {
            ('年', Some(n)) => y = i32::try_from(n).ok()?,
            ('月', Some(n)) => m = Some(n),
            ('日', Some(n)) => {
                let d = NaiveDate::from_ymd_opt(y, m?, n)?;
                match out.last_mut() {
                    Some(last) if open => {
                        // "12月30日至1月1日": the range starts in the year before.
                        if d < last.0 {
                            last.0 = last.0.with_year(y - 1)?;
                        }
                        last.1 = d;
                        open = false;
                    }
                    _ => out.push((d, d)),
                }
            }
            ('至' | '－' | '—' | '-' | '~' | '～', _) => open = !out.is_empty(),
            _ => {}
        }
    }
    Some(out)
}

/// Reads a pasted notice.
pub fn parse_notice(text: &str) -> Result<Notice, NoticeError> {
    let text = normalize(text);
    let year = year_of(&text).ok_or(NoticeError::NoYear)?;
    let mut schedule = WorkCalendar::default();
    for clause in text.split(['。', '；', ';', '，', ',', '\n']) {
        // "一、元旦：1月1日…" keeps only what follows the holiday's name.
        let body = clause.rsplit_once('：').map_or(clause, |(_, b)| b).trim();
        if !body.contains('日') {
            continue;
        }
        let found = ranges(body, year).ok_or_else(|| NoticeError::BadDate(body.to_owned()))?;
        if found.is_empty() {
            continue;
        }
        let target = if body.contains("上班") {
            &mut schedule.workdays
        } else if body.contains("放假") || body.contains('休') {
            &mut schedule.holidays
        } else {
            return Err(NoticeError::Unclear(body.to_owned()));
        };
        for (from, to) in found {
            if to < from || (to - from).num_days() > 60 {
                return Err(NoticeError::BadDate(body.to_owned()));
            }
            target.extend(from.iter_days().take_while(|d| *d <= to));
        }
    }
    if schedule.holidays.is_empty() && schedule.workdays.is_empty() {
        return Err(NoticeError::Nothing);
    }
    Ok(Notice { year, schedule })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::OFFICIAL_SCHEDULE;

    /// The 2026 notice (国务院办公厅, 2025-11-04), clauses as pasted from the page.
    const NOTICE_2026: &str = "国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。";

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_2026_notice_reads_as_the_shipped_schedule() {
        let n = parse_notice(NOTICE_2026).unwrap();
        assert_eq!(n.year, 2026);
        let shipped = WorkCalendar::parse(OFFICIAL_SCHEDULE).unwrap();
        let only_2026 = WorkCalendar::default().with_year(2026, &shipped);
        assert_eq!(n.schedule, only_2026);
    }

    #[test]
    fn full_width_digits_cross_year_ranges_and_single_days() {
        let n = parse_notice(
            "２０２４年部分节假日安排\n一、元旦：2023年12月30日至2024年1月1日放假，共3天。\n二、劳动节：5月1日放假1天，不调休。\n三、国庆节：４月２８日（周日）上班。",
        )
        .unwrap();
        assert_eq!(n.year, 2024);
        assert!(n.schedule.holidays.contains(&d(2023, 12, 30)));
        assert!(n.schedule.holidays.contains(&d(2024, 1, 1)));
        assert!(n.schedule.holidays.contains(&d(2024, 5, 1)));
        assert_eq!(
            n.schedule.workdays.iter().copied().collect::<Vec<_>>(),
            [d(2024, 4, 28)]
        );
        let short = parse_notice("2027年安排：元旦：12月31日至1月2日放假。").unwrap();
        assert!(short.schedule.holidays.contains(&d(2026, 12, 31)));
        assert!(short.schedule.holidays.contains(&d(2027, 1, 2)));
    }

    #[test]
    fn what_cannot_be_read_is_named() {
        assert_eq!(
            parse_notice("一、元旦：1月1日放假"),
            Err(NoticeError::NoYear)
        );
        assert_eq!(
            parse_notice("2027年的安排以后再说"),
            Err(NoticeError::Nothing)
        );
        assert!(matches!(
            parse_notice("2027年\n一、元旦：2月30日放假"),
            Err(NoticeError::BadDate(_))
        ));
        assert!(matches!(
            parse_notice("2027年\n一、元旦：1月1日值班"),
            Err(NoticeError::Unclear(_))
        ));
        assert!(NoticeError::NoYear.to_string().contains("国务院办公厅"));
    }
}
