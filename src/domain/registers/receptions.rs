//! 领导接待日: the schedule of leaders' reception days ("领导干部定期接待群众来访"): who
//! receives, on which day, where, on which topics. A visit registered on such a day
//! records its 接访领导 (`leaders::receive`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fields::text;
use super::versioned::{self, Entry, Versioned};
use super::{EntryError, EntryEvent};
use crate::domain::errors::FieldErrors;
use crate::domain::petition::PetitionDraft;
use crate::domain::time::parse_date;
use crate::domain::validate::non_blank;
use crate::domain::vocab::{labelled_enum, Channel};

/// The register's kind, as stored and carried in backups.
pub const KIND: &str = "receptions";

labelled_enum!(
    /// The fields of a reception day: labels, form keys and error keys, named once.
    ReceptionField {
        Leader => "接访领导",
        Day => "接待日期",
        Place => "接待地点",
        Topics => "接待事项",
    }
);

/// How far back or ahead a reception day may be scheduled.
const MAX_DAYS: i64 = 366;

/// One reception day as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionRecord {
    /// 接访领导, name and post.
    pub leader: String,
    /// 接待日期.
    pub day: NaiveDate,
    /// 接待地点.
    pub place: String,
    /// 接待事项 (topics, or 不限).
    pub topics: String,
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceptionDraft {
    /// 接访领导.
    pub leader: String,
    /// 接待日期 (`YYYY-MM-DD`).
    pub day: String,
    /// 接待地点.
    pub place: String,
    /// 接待事项.
    pub topics: String,
}

impl ReceptionRecord {
    /// Each field as text, for the page and the history of changes.
    pub fn rows(&self) -> Vec<(ReceptionField, String)> {
        use ReceptionField as F;
        vec![
            (F::Leader, self.leader.clone()),
            (F::Day, self.day.to_string()),
            (F::Place, self.place.clone()),
            (F::Topics, self.topics.clone()),
        ]
    }
}

impl ReceptionDraft {
    /// The form showing `r` again, for a change.
    pub fn from_record(r: &ReceptionRecord) -> ReceptionDraft {
        ReceptionDraft {
            leader: r.leader.clone(),
            day: r.day.to_string(),
            place: r.place.clone(),
            topics: r.topics.clone(),
        }
    }

    /// Checks every field and, if all hold, gives the record; `today` bounds the day.
    pub fn validate(&self, today: NaiveDate) -> Result<ReceptionRecord, FieldErrors> {
        use ReceptionField as F;
        let mut e = FieldErrors::default();
        let leader = text(
            &self.leader,
            F::Leader.key(),
            Some("请填写接访领导的姓名和职务"),
            50,
            &mut e,
        );
        let day = match non_blank(&self.day).map(parse_date) {
            None => {
                e.add(F::Day.key(), "请填写接待日期");
                today
            }
            Some(None) => {
                e.add(F::Day.key(), "接待日期格式应为 年-月-日，例如 2026-12-15");
                today
            }
            Some(Some(d)) if (d - today).num_days().abs() > MAX_DAYS => {
                e.add(
                    F::Day.key(),
                    format!("接待日期应在今天前后 {MAX_DAYS} 天内"),
                );
                today
            }
            Some(Some(d)) => d,
        };
        let place = text(
            &self.place,
            F::Place.key(),
            Some("请填写接待地点"),
            100,
            &mut e,
        );
        let topics = text(&self.topics, F::Topics.key(), None, 500, &mut e);
        e.into_result(|| ReceptionRecord {
            leader,
            day,
            place,
            topics,
        })
    }

    /// True when nothing was typed.
    pub fn is_untouched(&self) -> bool {
        *self == ReceptionDraft::default()
    }
}

/// What an event of a reception day records (排定, then 调整 with a reason).
pub type ReceptionBody = Versioned<ReceptionRecord>;

/// One event of a reception day.
pub type ReceptionEvent = EntryEvent<ReceptionBody>;

/// A reception day as it stands.
pub type Reception = Entry<ReceptionRecord>;

/// Builds a reception day from its events, in any order, ignoring duplicates.
pub fn fold(events: &[ReceptionEvent]) -> Result<Reception, EntryError> {
    versioned::fold(events)
}

pub use versioned::{record, revise};

/// The day a registration form's visit was received (blank: `today`); `None` for a
/// petition that is not a visit, which no leader receives on a reception day.
pub fn visit_day(d: &PetitionDraft, today: NaiveDate) -> Option<NaiveDate> {
    if d.channel != Some(Channel::Visit) {
        return None;
    }
    match non_blank(&d.received_on) {
        None => Some(today),
        Some(t) => parse_date(t),
    }
}

/// The reception days on `day`.
pub fn on_day(all: &[Reception], day: NaiveDate) -> Vec<&Reception> {
    all.iter().filter(|r| r.record.day == day).collect()
}

/// The schedule as a clerk reads it: days from `today` on first (soonest first), then
/// the past ones (latest first).
pub fn schedule(all: &[Reception], today: NaiveDate) -> Vec<&Reception> {
    let mut out: Vec<&Reception> = all.iter().collect();
    out.sort_by_key(|r| {
        let d = r.record.day;
        (
            d < today,
            if d < today { today - d } else { d - today },
            r.record.leader.clone(),
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::Actor;
    use crate::domain::ids::{EntryId, EventId};
    use crate::domain::registers::versioned::RevisionError;
    use crate::domain::time::Timestamp;

    fn actor() -> Actor {
        Actor {
            unit_code: "XF01".into(),
            unit_name: "某县信访局".into(),
            operator: "王五".into(),
        }
    }

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::TimeDelta::days(n)
    }

    fn draft(d: NaiveDate) -> ReceptionDraft {
        ReceptionDraft {
            leader: "李明（副县长）".into(),
            day: d.to_string(),
            place: "县信访局接待大厅".into(),
            topics: "征地拆迁、劳动社保".into(),
        }
    }

    #[test]
    fn a_reception_day_is_checked_scheduled_and_revised_with_a_reason() {
        let e = ReceptionDraft::default().validate(day(0)).unwrap_err();
        for f in [
            ReceptionField::Leader,
            ReceptionField::Day,
            ReceptionField::Place,
        ] {
            assert!(e.get(f.key()).is_some(), "{f:?}");
        }
        let mut far = draft(day(400));
        assert!(far.validate(day(0)).unwrap_err().get("Day").is_some());
        far.day = "12/15".into();
        assert!(far.validate(day(0)).unwrap_err().get("Day").is_some());
        let rec = draft(day(3)).validate(day(0)).unwrap();
        assert_eq!(
            ReceptionDraft::from_record(&rec).validate(day(0)),
            Ok(rec.clone())
        );
        assert_eq!(rec.rows()[1], (ReceptionField::Day, day(3).to_string()));
        let first = record(
            (EventId::from_random([1; 16]), EntryId::from_random([1; 16])),
            actor(),
            Timestamp(1),
            rec.clone(),
        );
        let r = fold(std::slice::from_ref(&first)).unwrap();
        assert_eq!(
            revise(
                &r,
                rec.clone(),
                "x",
                (EventId::from_random([2; 16]), actor(), Timestamp(2))
            ),
            Err(RevisionError::NoChanges)
        );
        let mut moved = rec.clone();
        moved.day = day(4);
        let by = (EventId::from_random([2; 16]), actor(), Timestamp(2));
        assert_eq!(
            revise(&r, moved.clone(), " ", by.clone()),
            Err(RevisionError::NoReason)
        );
        let second = revise(&r, moved.clone(), "县领导外出调研", by).unwrap();
        let r2 = fold(&[second, first]).unwrap();
        assert_eq!(r2.record, moved);
        assert_eq!(r2.events.len(), 2);
        let all = vec![r2.clone()];
        assert_eq!(on_day(&all, day(4)).len(), 1);
        assert!(on_day(&all, day(3)).is_empty());
    }

    #[test]
    fn only_a_visit_has_a_reception_day() {
        let mut d = PetitionDraft {
            channel: Some(Channel::Letter),
            ..PetitionDraft::default()
        };
        assert_eq!(visit_day(&d, day(0)), None);
        d.channel = Some(Channel::Visit);
        assert_eq!(visit_day(&d, day(0)), Some(day(0)));
        d.received_on = day(-2).to_string();
        assert_eq!(visit_day(&d, day(0)), Some(day(-2)));
    }

    #[test]
    fn the_schedule_reads_coming_days_first() {
        let make = |n: u8, d: NaiveDate| Reception {
            id: EntryId::from_random([n; 16]),
            record: draft(d).validate(day(0)).unwrap(),
            recorded_by: actor(),
            recorded_at: Timestamp(1),
            events: Vec::new(),
        };
        let all = vec![
            make(1, day(-5)),
            make(2, day(10)),
            make(3, day(0)),
            make(4, day(-1)),
        ];
        let order: Vec<NaiveDate> = schedule(&all, day(0))
            .iter()
            .map(|r| r.record.day)
            .collect();
        assert_eq!(order, vec![day(0), day(10), day(-1), day(-5)]);
    }
}
