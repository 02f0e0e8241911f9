//! The demo county's 领导接待日: every Wednesday from eight weeks back to four weeks
//! ahead, the county leaders in turn at the 信访局's hall; a visit registered on such a
//! day is received by that day's leader. Same seed, same schedule.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

use super::{Rng, LEADERS};
use crate::domain::case::fold;
use crate::domain::event::Event;
use crate::domain::ids::{EntryId, EventId};
use crate::domain::leaders::receive;
use crate::domain::registers::receptions::{
    self, on_day, Reception, ReceptionDraft, ReceptionEvent,
};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;

/// The demo unit's reception days, as their events.
pub fn demo_receptions(
    seed: u64,
    unit: &UnitProfile,
    today: NaiveDate,
) -> Vec<Vec<ReceptionEvent>> {
    let mut rng = Rng::new(seed ^ 0x7ec0_d1e5);
    let back =
        (today.weekday().num_days_from_monday() + 7 - Weekday::Wed.num_days_from_monday()) % 7;
    let last_wednesday = today - TimeDelta::days(i64::from(back));
    (-8i64..=4)
        .enumerate()
        .filter_map(|(n, week)| {
            let day = last_wednesday + TimeDelta::weeks(week);
            let draft = ReceptionDraft {
                leader: LEADERS[n % LEADERS.len()].into(),
                day: day.to_string(),
                place: "县信访局接待大厅".into(),
                topics: "群众反映的各类信访事项".into(),
            };
            let made = Timestamp::start_of_china_date(last_wednesday - TimeDelta::weeks(9));
            let ids = (
                EventId::from_random(rng.bytes16()),
                EntryId::from_random(rng.bytes16()),
            );
            Some(vec![receptions::record(
                ids,
                unit.actor(),
                made,
                draft.validate(today).ok()?,
            )])
        })
        .collect()
}

/// The reception days as they stand.
pub fn folded(logs: &[Vec<ReceptionEvent>]) -> Vec<Reception> {
    logs.iter()
        .filter_map(|l| receptions::fold(l).ok())
        .collect()
}

/// `log` with its 接访领导 when it is a visit received on a reception day (recorded a
/// minute after the registration); any other case as it was.
pub fn with_reception(days: &[Reception], mut log: Vec<Event>) -> Vec<Event> {
    let Ok(case) = fold(&log) else {
        return log;
    };
    let Some(day) = on_day(days, case.received_on()).into_iter().next() else {
        return log;
    };
    let mut id = [0u8; 16];
    for (i, b) in case.id.as_str().bytes().enumerate() {
        id[i % 16] ^= b.rotate_left(3);
    }
    let by = (
        EventId::from_random(id),
        case.registered_by.clone(),
        Timestamp(case.registered_at.0 + 60_000),
    );
    if let Ok(e) = receive(&case, day, by) {
        log.push(e);
    }
    log
}
