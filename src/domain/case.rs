//! A case's state as a pure fold of its events, the case number rule, and the
//! constructors of new events (registration, correction).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::calendar::WorkCalendar;
use super::event::{diff, Actor, Event, EventBody, FieldChange};
use super::ids::{CaseId, EntryId, EventId};
use super::leadership::{self, Instruction};
use super::petition::Petition;
use super::response::{self, StartedPlan};
use super::time::Timestamp;
use super::validate::non_blank;
use super::vocab::PetitionType;
use super::workflow::{Flow, Party, RuleError, Stage, Step};

/// Human case number: `UNITCODE-YEAR-SEQUENCE`, sequence counted per unit and year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CaseNumber {
    /// Registering unit's code.
    pub unit_code: String,
    /// Year of registration (China time).
    pub year: i32,
    /// 1-based sequence within the unit and year; never reused.
    pub seq: u32,
}

impl CaseNumber {
    /// The number that follows the last one issued for this unit and year.
    pub fn next(unit_code: &str, year: i32, last_seq: Option<u32>) -> CaseNumber {
        CaseNumber {
            unit_code: unit_code.to_owned(),
            year,
            seq: last_seq.unwrap_or(0).saturating_add(1),
        }
    }

    /// The year whose sequence a registration at `at` takes: the China calendar year.
    pub fn year_of(at: Timestamp) -> i32 {
        at.china_date().year()
    }

    /// Reads a number as [`Display`](std::fmt::Display) writes it; `None` for anything else.
    pub fn parse(text: &str) -> Option<CaseNumber> {
        let (rest, seq) = text.rsplit_once('-')?;
        let (unit_code, year) = rest.rsplit_once('-')?;
        if unit_code.is_empty() || seq.len() < 5 {
            return None;
        }
        Some(CaseNumber {
            unit_code: unit_code.to_owned(),
            year: year.parse().ok()?,
            seq: seq.parse().ok()?,
        })
    }

    /// The series this number belongs to.
    pub fn series(&self) -> Series {
        Series {
            unit_code: self.unit_code.clone(),
            year: self.year,
        }
    }
}

/// One unit's case numbers of one year: each series counts from 1 and never reuses a number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Series {
    /// Registering unit's code.
    pub unit_code: String,
    /// Year of registration (China time).
    pub year: i32,
}

/// The last sequence used in each series, read from the registrations among `events`:
/// what a restore or generated data must move the counters past.
pub fn last_numbers(events: &[Event]) -> BTreeMap<Series, u32> {
    let mut out: BTreeMap<Series, u32> = BTreeMap::new();
    for e in events {
        let EventBody::Registered { case_no, .. } = &e.body else {
            continue;
        };
        if let Some(n) = CaseNumber::parse(case_no) {
            let slot = out.entry(n.series()).or_default();
            *slot = (*slot).max(n.seq);
        }
    }
    out
}

impl std::fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{:05}", self.unit_code, self.year, self.seq)
    }
}

/// What a case registered from an online submission keeps of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineSubmission {
    /// The 查询码.
    pub query_code: String,
    /// The citizen's signing key (base64): feedback must be signed by it.
    pub submitter_key: String,
    /// The citizen's encryption key (base64), which replies are encrypted to; empty for
    /// submissions made before encryption.
    pub reply_key: String,
}

/// The current state of a case: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    /// Global id.
    pub id: CaseId,
    /// Human case number.
    pub case_no: String,
    /// Who registered it.
    pub registered_by: Actor,
    /// When it was registered.
    pub registered_at: Timestamp,
    /// The petition with every correction applied.
    pub petition: Petition,
    /// All events, in fold order (registration first, then by time and id).
    pub events: Vec<Event>,
    /// Where the case stands in the statutory workflow.
    pub flow: Flow,
    /// Earlier cases this one repeats (重复访), by id and number.
    pub repeat_of: Vec<(CaseId, String)>,
    /// Later cases that repeat this one.
    pub repeated_by: Vec<(CaseId, String)>,
    /// For an online submission: its 查询码 and the citizen's keys.
    pub submission: Option<OnlineSubmission>,
    /// The screening item it came from, by id and title.
    pub screening: Option<(EntryId, String)>,
    /// Emergency plans started for it, in the order started.
    pub plans: Vec<StartedPlan>,
    /// Its 接访领导, when a leader received the visit on a reception day.
    pub received_by: Option<String>,
    /// Its 包案领导, if one was named (the latest).
    pub leader: Option<String>,
    /// Leaders' 批示, in order.
    pub instructions: Vec<Instruction>,
    /// The earlier ledger it was imported from (台账导入), if any.
    pub ledger: Option<LedgerOrigin>,
}

/// Where an imported case came from, as its 台账导入 event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerOrigin {
    /// The ledger file's name.
    pub source: String,
    /// The number the case had there ("" when none).
    pub original_no: String,
    /// What the ledger says of its handling.
    pub handling: String,
}

impl CaseState {
    /// The day the petition was received: the 收件日期, or the registration day.
    pub fn received_on(&self) -> NaiveDate {
        self.petition
            .received_on
            .unwrap_or_else(|| self.registered_at.china_date())
    }

    /// Time of the most recent event.
    pub fn updated_at(&self) -> Timestamp {
        self.events
            .iter()
            .map(|e| e.at)
            .max()
            .unwrap_or(self.registered_at)
    }
}

/// Why a set of events does not make a case.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FoldError {
    /// No registration event among them.
    #[error("案件记录不完整：缺少登记事件")]
    NoRegistration,
    /// Events of different cases were mixed.
    #[error("案件记录混杂了其他案件的事件")]
    MixedCases,
}

/// Builds a case's state from its events, in any order, ignoring exact duplicates.
///
/// The order is fixed by the data alone (the earliest registration, then every other
/// event by time and id), so every unit holding the same events sees the same case.
pub fn fold(events: &[Event]) -> Result<CaseState, FoldError> {
    fold_with(events, |_, _| Ok::<(), FoldError>(()))
}

/// [`fold`], asking `visit` about each step event before it is applied, with the flow as
/// it stands just before: a refusal stops the fold (how an import checks each step was
/// recorded by the unit whose part it was).
pub fn fold_with<E: From<FoldError>>(
    events: &[Event],
    mut visit: impl FnMut(&Flow, &Event) -> Result<(), E>,
) -> Result<CaseState, E> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    sorted.dedup_by(|a, b| a.id == b.id);
    let case_id = sorted
        .first()
        .map(|e| e.case_id.clone())
        .ok_or(FoldError::NoRegistration)?;
    if sorted.iter().any(|e| e.case_id != case_id) {
        return Err(FoldError::MixedCases.into());
    }
    let reg_pos = sorted
        .iter()
        .position(|e| matches!(e.body, EventBody::Registered { .. }))
        .ok_or(FoldError::NoRegistration)?;
    let reg = sorted.remove(reg_pos);
    let EventBody::Registered { case_no, petition } = &reg.body else {
        return Err(FoldError::NoRegistration.into());
    };
    let mut state = CaseState {
        id: case_id,
        case_no: case_no.clone(),
        registered_by: reg.actor.clone(),
        registered_at: reg.at,
        petition: petition.clone(),
        events: vec![reg.clone()],
        flow: Flow::new(reg.at.china_date(), Party::of(&reg.actor)),
        repeat_of: Vec::new(),
        repeated_by: Vec::new(),
        submission: None,
        screening: None,
        plans: Vec::new(),
        received_by: None,
        leader: None,
        instructions: Vec::new(),
        ledger: None,
    };
    for e in sorted {
        match &e.body {
            // A second registration of the same case (should not happen) changes nothing.
            EventBody::Registered { .. } => {}
            EventBody::Corrected { changes, .. } => {
                for c in changes {
                    c.field.set(&mut state.petition, &c.new);
                }
            }
            EventBody::Step { step } => {
                visit(&state.flow, e)?;
                state.flow.apply(&e.id, &e.actor, step)
            }
            EventBody::RepeatOf { other, other_no } => {
                state.repeat_of.push((other.clone(), other_no.clone()))
            }
            EventBody::Submitted {
                query_code,
                submitter_key,
                reply_key,
                ..
            } => {
                state.submission = Some(OnlineSubmission {
                    query_code: query_code.clone(),
                    submitter_key: submitter_key.clone(),
                    reply_key: reply_key.clone(),
                })
            }
            EventBody::RepeatedBy { other, other_no } => {
                state.repeated_by.push((other.clone(), other_no.clone()))
            }
            EventBody::FromScreening { item, title } => {
                if state.screening.is_none() {
                    state.screening = Some((item.clone(), title.clone()));
                }
            }
            EventBody::PlanStarted { .. }
            | EventBody::PlanNoted { .. }
            | EventBody::PlanSummarized { .. } => response::apply(&mut state.plans, e),
            EventBody::LeaderAssigned { .. }
            | EventBody::Instructed { .. }
            | EventBody::ReceivedByLeader { .. } => leadership::apply(
                &mut state.received_by,
                &mut state.leader,
                &mut state.instructions,
                e,
            ),
            EventBody::LedgerImported {
                source,
                original_no,
                handling,
                settled,
            } if state.ledger.is_none() => {
                state.ledger = Some(LedgerOrigin {
                    source: source.clone(),
                    original_no: original_no.clone(),
                    handling: handling.clone(),
                });
                // Settled in the old ledger: closed here too, unless work was recorded.
                if *settled && state.flow.stage == Stage::AwaitingRouting {
                    state.flow.stage = Stage::Archived;
                }
            }
            EventBody::LedgerImported { .. } => {}
        }
        state.events.push(e.clone());
    }
    // Periods run from the receipt date as finally corrected; whether a notice is owed
    // follows the registration as finally corrected too.
    state.flow.received_on = state.received_on();
    state.flow.notice_exempt = state.petition.anonymous;
    state.flow.reviewable = state.petition.petition_type == PetitionType::Claim;
    Ok(state)
}

/// Creates the registration event of a new case.
pub fn register(
    id: EventId,
    case_id: CaseId,
    actor: Actor,
    at: Timestamp,
    number: &CaseNumber,
    petition: Petition,
) -> Event {
    Event {
        id,
        case_id,
        actor,
        at,
        body: EventBody::Registered {
            case_no: number.to_string(),
            petition,
        },
    }
}

/// Why a correction was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CorrectionError {
    /// The corrected petition equals the current one.
    #[error("没有修改任何内容，无需更正")]
    NoChanges,
    /// No reason given.
    #[error("请填写更正原因")]
    NoReason,
}

/// Creates a correction event from the case's current state and the corrected petition.
pub fn correct(
    state: &CaseState,
    corrected: &Petition,
    reason: &str,
    id: EventId,
    actor: Actor,
    at: Timestamp,
) -> Result<Event, CorrectionError> {
    let changes: Vec<FieldChange> = diff(&state.petition, corrected);
    if changes.is_empty() {
        return Err(CorrectionError::NoChanges);
    }
    let reason = non_blank(reason)
        .ok_or(CorrectionError::NoReason)?
        .to_owned();
    Ok(Event {
        id,
        case_id: state.id.clone(),
        actor,
        at,
        body: EventBody::Corrected { changes, reason },
    })
}

/// Creates a workflow step event, if the rules allow it now.
pub fn take_step(
    state: &CaseState,
    step: Step,
    today: NaiveDate,
    calendar: &WorkCalendar,
    id: EventId,
    actor: Actor,
    at: Timestamp,
) -> Result<Event, RuleError> {
    state.flow.check_by(&step, &actor, today, calendar)?;
    Ok(Event {
        id,
        case_id: state.id.clone(),
        actor,
        at,
        body: EventBody::Step { step },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::FieldValue;
    use crate::domain::field::PetitionField;
    use crate::domain::petition::tests::{today, valid_draft};

    fn actor() -> Actor {
        Actor {
            unit_code: "XF01".into(),
            unit_name: "某县信访局".into(),
            operator: "王五".into(),
        }
    }

    fn eid(n: u8) -> EventId {
        EventId::from_random([n; 16])
    }

    fn registered() -> (CaseState, Event) {
        let p = valid_draft().validate(today()).unwrap();
        let n = CaseNumber::next("XF01", 2026, Some(41));
        let e = register(
            eid(1),
            CaseId::from_random([9; 16]),
            actor(),
            Timestamp(1_000),
            &n,
            p,
        );
        (fold(std::slice::from_ref(&e)).unwrap(), e)
    }

    #[test]
    fn case_numbers_count_up_and_format() {
        assert_eq!(
            CaseNumber::next("XF01", 2026, None).to_string(),
            "XF01-2026-00001"
        );
        assert_eq!(
            CaseNumber::next("XF01", 2026, Some(41)).to_string(),
            "XF01-2026-00042"
        );
        let n = CaseNumber::next("XF01", 2026, Some(41));
        assert_eq!(CaseNumber::parse(&n.to_string()), Some(n));
        assert_eq!(
            CaseNumber::parse("XF-01-2026-00007").map(|n| n.unit_code),
            Some("XF-01".into())
        );
        assert_eq!(CaseNumber::parse("XF01-2026"), None);
        assert_eq!(CaseNumber::parse("XF01-二〇二六-00001"), None);
        // 2026-12-31 16:00 UTC is already 2027-01-01 in Beijing.
        assert_eq!(CaseNumber::year_of(Timestamp(1_798_732_800_000)), 2027);
        assert_eq!(CaseNumber::year_of(Timestamp(1_798_732_799_999)), 2026);
    }

    #[test]
    fn fold_of_a_registration() {
        let (s, _) = registered();
        assert_eq!(s.case_no, "XF01-2026-00042");
        assert_eq!(s.petition.title, "拖欠工资");
        assert_eq!(s.events.len(), 1);
        assert_eq!(s.updated_at(), Timestamp(1_000));
    }

    #[test]
    fn correction_records_old_and_new_and_fold_applies_it() {
        let (s, reg) = registered();
        let mut p = s.petition.clone();
        p.title = "拖欠农民工工资".into();
        p.head_count = 6;
        let c = correct(
            &s,
            &p,
            "登记时标题不准确",
            eid(2),
            actor(),
            Timestamp(2_000),
        )
        .unwrap();
        let EventBody::Corrected { changes, .. } = &c.body else {
            panic!()
        };
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].field, PetitionField::HeadCount);
        assert_eq!(
            changes[1],
            FieldChange {
                field: PetitionField::Title,
                old: FieldValue::Text("拖欠工资".into()),
                new: FieldValue::Text("拖欠农民工工资".into())
            }
        );
        let s2 = fold(&[c.clone(), reg.clone()]).unwrap();
        assert_eq!(s2.petition, p);
        assert!(s2.petition.is_group());
        assert_eq!(s2.events.len(), 2);
        // The registration itself is untouched: the history still holds the original.
        let EventBody::Registered { petition, .. } = &s2.events[0].body else {
            panic!()
        };
        assert_eq!(petition.title, "拖欠工资");
    }

    #[test]
    fn corrections_need_a_change_and_a_reason() {
        let (s, _) = registered();
        assert_eq!(
            correct(&s, &s.petition, "x", eid(2), actor(), Timestamp(2)),
            Err(CorrectionError::NoChanges)
        );
        let mut p = s.petition.clone();
        p.village = "东村".into();
        assert_eq!(
            correct(&s, &p, "  ", eid(2), actor(), Timestamp(2)),
            Err(CorrectionError::NoReason)
        );
    }

    #[test]
    fn later_correction_wins_regardless_of_arrival_order() {
        let (s, reg) = registered();
        let mut a = s.petition.clone();
        a.village = "东村".into();
        let ca = correct(&s, &a, "r", eid(3), actor(), Timestamp(3_000)).unwrap();
        let mut b = s.petition.clone();
        b.village = "西村".into();
        let cb = correct(&s, &b, "r", eid(2), actor(), Timestamp(5_000)).unwrap();
        let x = fold(&[reg.clone(), ca.clone(), cb.clone()]).unwrap();
        let y = fold(&[cb, ca.clone(), reg, ca]).unwrap();
        assert_eq!(x, y);
        assert_eq!(x.petition.village, "西村");
    }

    #[test]
    fn fold_errors() {
        assert_eq!(fold(&[]), Err(FoldError::NoRegistration));
        let (s, reg) = registered();
        let mut p = s.petition.clone();
        p.village = "东村".into();
        let mut other = correct(&s, &p, "r", eid(2), actor(), Timestamp(2)).unwrap();
        assert_eq!(
            fold(std::slice::from_ref(&other)),
            Err(FoldError::NoRegistration)
        );
        other.case_id = CaseId::from_random([1; 16]);
        assert_eq!(fold(&[reg, other]), Err(FoldError::MixedCases));
    }

    mod laws {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any order of arrival, with any duplicates, folds to the same case: the
            /// ground on which exchanging cases by event union stands.
            #[test]
            fn fold_ignores_order_and_duplicates(
                stamps in proptest::collection::vec(0i64..50, 1..8),
                order in proptest::collection::vec(any::<proptest::sample::Index>(), 1..16),
            ) {
                let (s, reg) = registered();
                let mut events = vec![reg];
                for (i, at) in stamps.iter().enumerate() {
                    let mut p = s.petition.clone();
                    p.village = format!("村{i}");
                    events.push(correct(&s, &p, "r", eid(10 + i as u8), actor(), Timestamp(2_000 + at)).unwrap());
                }
                let reference = fold(&events).unwrap();
                let shuffled: Vec<Event> = order.iter().map(|ix| events[ix.index(events.len())].clone()).chain(events.iter().cloned()).collect();
                prop_assert_eq!(fold(&shuffled).unwrap(), reference);
            }
        }
    }

    #[test]
    fn whether_a_notice_is_owed_follows_the_registration_as_corrected() {
        let mut draft = valid_draft();
        draft.anonymous = true;
        let p = draft.validate(today()).unwrap();
        let n = CaseNumber::next("XF01", 2026, None);
        let reg = register(
            eid(1),
            CaseId::from_random([9; 16]),
            actor(),
            Timestamp(1_000),
            &n,
            p,
        );
        let state = fold(std::slice::from_ref(&reg)).unwrap();
        assert!(state.flow.notice_exempt);
        // Accepted, it is not judged on a notice it does not owe (按期受理率).
        let cal = WorkCalendar::official();
        let accept = Step::Route {
            routing: crate::domain::workflow::Routing::Accept,
            on: state.received_on(),
        };
        let routed = take_step(
            &state,
            accept,
            today(),
            &cal,
            eid(3),
            actor(),
            Timestamp(1_500),
        )
        .unwrap();
        let accepted = fold(&[reg.clone(), routed]).unwrap();
        assert_eq!(
            crate::domain::measures::Facts::of(&accepted, &cal).notice_due,
            None
        );
        let mut named = state.petition.clone();
        named.anonymous = false;
        let fix = correct(
            &state,
            &named,
            "信访人已留下姓名住址",
            eid(2),
            actor(),
            Timestamp(2_000),
        )
        .unwrap();
        assert!(!fold(&[reg, fix]).unwrap().flow.notice_exempt);
    }
}
