//! 重复访 and 不再受理: linking a case to the earlier one it repeats (both ways), and
//! warning when a petitioner comes back on a matter that was closed by 三级终结.

use thiserror::Error;

use super::case::CaseState;
use super::event::{Actor, Event, EventBody};
use super::ids::EventId;
use super::petition::Petition;
use super::search::CaseSummary;
use super::time::Timestamp;
use super::workflow::Stage;

/// Why two cases cannot be linked as a repeat.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkError {
    /// A case cannot repeat itself.
    #[error("不能把案件标记为自身的重复")]
    SameCase,
    /// The link exists already.
    #[error("已标记为 {0} 的重复访，无需重复标记")]
    AlreadyLinked(String),
    /// The "earlier" case was registered later.
    #[error("{0} 登记晚于本案，不能作为在先的案件；请在较晚的案件上标记")]
    NotEarlier(String),
}

/// The two events that link `later` as a repeat of `earlier`, one on each case, to be
/// stored together.
pub fn link_repeat(
    later: &CaseState,
    earlier: &CaseState,
    ids: (EventId, EventId),
    actor: Actor,
    at: Timestamp,
) -> Result<[Event; 2], LinkError> {
    if later.id == earlier.id {
        return Err(LinkError::SameCase);
    }
    if later.repeat_of.iter().any(|(id, _)| *id == earlier.id) {
        return Err(LinkError::AlreadyLinked(earlier.case_no.clone()));
    }
    if earlier.registered_at > later.registered_at {
        return Err(LinkError::NotEarlier(earlier.case_no.clone()));
    }
    Ok([
        Event {
            id: ids.0,
            case_id: later.id.clone(),
            actor: actor.clone(),
            at,
            body: EventBody::RepeatOf {
                other: earlier.id.clone(),
                other_no: earlier.case_no.clone(),
            },
        },
        Event {
            id: ids.1,
            case_id: earlier.id.clone(),
            actor,
            at,
            body: EventBody::RepeatedBy {
                other: later.id.clone(),
                other_no: later.case_no.clone(),
            },
        },
    ])
}

/// Cases closed by 终结 for the same person (a shared 身份证号) and the same category:
/// 《信访工作条例》第三十六条, the same facts and reasons are not accepted again.
pub fn closed_matters<'a>(p: &Petition, rows: &'a [CaseSummary]) -> Vec<&'a CaseSummary> {
    let ids: Vec<&str> = p
        .petitioners
        .iter()
        .chain(&p.representatives)
        .map(|x| x.id_number.as_str())
        .filter(|i| !i.is_empty())
        .collect();
    rows.iter()
        .filter(|r| {
            r.stage == Stage::Terminated
                && r.category == p.category
                && r.id_numbers.iter().any(|i| ids.contains(&i.as_str()))
        })
        .collect()
}

/// The warning shown before registering such a case.
pub fn closed_matter_warning(rows: &[&CaseSummary]) -> Option<String> {
    let numbers: Vec<&str> = rows.iter().map(|r| r.case_no.as_str()).collect();
    (!numbers.is_empty()).then(|| {
        format!(
            "该信访人就同类事项的信访已经终结（{}）。依《信访工作条例》第三十六条，同一事实和理由提出的信访不再受理。如确有新的事实和理由，可继续登记。",
            numbers.join("、")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::WorkCalendar;
    use crate::domain::case::{fold, register, CaseNumber};
    use crate::domain::ids::CaseId;
    use crate::domain::petition::tests::{today, valid_draft};
    use crate::domain::vocab::Category;

    fn actor() -> Actor {
        Actor {
            unit_code: "XF01".into(),
            unit_name: "县信访局".into(),
            operator: "王".into(),
        }
    }

    fn case(n: u8, at: i64) -> CaseState {
        let p = valid_draft().validate(today()).unwrap();
        let e = register(
            EventId::from_random([n; 16]),
            CaseId::from_random([n; 16]),
            actor(),
            Timestamp(at),
            &CaseNumber::next("XF01", 2026, Some(n.into())),
            p,
        );
        fold(&[e]).unwrap()
    }

    #[test]
    fn linking_writes_both_ways() {
        let (earlier, later) = (case(1, 1_000), case(2, 2_000));
        let [a, b] = link_repeat(
            &later,
            &earlier,
            (EventId::from_random([7; 16]), EventId::from_random([8; 16])),
            actor(),
            Timestamp(3_000),
        )
        .unwrap();
        let later2 = fold(&[later.events[0].clone(), a]).unwrap();
        let earlier2 = fold(&[earlier.events[0].clone(), b]).unwrap();
        assert_eq!(
            later2.repeat_of,
            [(earlier.id.clone(), earlier.case_no.clone())]
        );
        assert_eq!(
            earlier2.repeated_by,
            [(later.id.clone(), later.case_no.clone())]
        );
        assert!(CaseSummary::of(&later2, &WorkCalendar::official()).is_repeat);
        let ids = (
            EventId::from_random([9; 16]),
            EventId::from_random([10; 16]),
        );
        assert_eq!(
            link_repeat(&later2, &earlier, ids.clone(), actor(), Timestamp(4_000)).unwrap_err(),
            LinkError::AlreadyLinked(earlier.case_no.clone())
        );
        assert!(matches!(
            link_repeat(&earlier, &later, ids.clone(), actor(), Timestamp(4_000)),
            Err(LinkError::NotEarlier(_))
        ));
        assert_eq!(
            link_repeat(&later, &later, ids, actor(), Timestamp(4_000)).unwrap_err(),
            LinkError::SameCase
        );
    }

    #[test]
    fn a_terminated_matter_of_the_same_person_and_category_warns() {
        let cal = WorkCalendar::official();
        let mut closed = CaseSummary::of(&case(1, 1_000), &cal);
        let p = valid_draft().validate(today()).unwrap();
        assert!(
            closed_matters(&p, std::slice::from_ref(&closed)).is_empty(),
            "not terminated yet"
        );
        closed.stage = Stage::Terminated;
        let rows = [closed.clone()];
        let hits = closed_matters(&p, &rows);
        assert_eq!(hits.len(), 1);
        assert!(closed_matter_warning(&hits).unwrap().contains("不再受理"));
        let mut other = p.clone();
        other.category = Category::Environment;
        assert!(closed_matters(&other, &rows).is_empty(), "another matter");
        let mut stranger = p;
        stranger.petitioners[0].id_number = "110101199003070038".into();
        assert!(
            closed_matters(&stranger, &rows).is_empty(),
            "another person"
        );
        assert_eq!(closed_matter_warning(&[]), None);
    }
}
