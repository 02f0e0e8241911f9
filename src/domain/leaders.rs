//! 领导包案与批示: naming a case's 包案领导 and recording a leader's 批示, each with its
//! rule, and the figures per leader ("领导干部定期接待群众来访", "包案"): the cases each
//! owns, how many are open, overdue and resolved, the cases each instructed, and the
//! screening items each owns.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use thiserror::Error;

use super::case::CaseState;
use super::event::{Actor, Event, EventBody};
use super::ids::EventId;
use super::registers::receptions::Reception;
use super::registers::screening::ScreeningItem;
use super::search::CaseSummary;
use super::time::Timestamp;
use super::validate::{non_blank, too_long};
use super::vocab::Channel;

/// Longest leader's name and post.
pub const MAX_LEADER: usize = 50;
/// Longest 批示.
pub const MAX_INSTRUCTION: usize = 2000;

/// Why a 包案 or a 批示 was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LeaderError {
    /// No leader named.
    #[error("请填写领导的姓名和职务，如：李明（副县长）")]
    NoLeader,
    /// A name too long.
    #[error("领导姓名和职务最多 {MAX_LEADER} 字")]
    LeaderTooLong,
    /// The case is already owned by that leader.
    #[error("本案的包案领导已是“{0}”")]
    Same(String),
    /// A 批示 without its text.
    #[error("请填写批示内容")]
    NoText,
    /// A 批示 too long.
    #[error("批示内容最多 {MAX_INSTRUCTION} 字")]
    TextTooLong,
    /// 接访 recorded on a case that is not a visit.
    #[error("只有来访的信访事项才能记录领导接访")]
    NotAVisit,
    /// 接访 on a reception day other than the visit's.
    #[error("该来访不是在领导接待日（{0}）收到的")]
    OtherDay(NaiveDate),
    /// 接访 recorded twice.
    #[error("本案已由“{0}”接访")]
    AlreadyReceived(String),
}

fn leader_name(leader: &str) -> Result<String, LeaderError> {
    let name = non_blank(leader).ok_or(LeaderError::NoLeader)?;
    match too_long(name, MAX_LEADER) {
        Some(_) => Err(LeaderError::LeaderTooLong),
        None => Ok(name.to_owned()),
    }
}

fn event(case: &CaseState, (id, actor, at): (EventId, Actor, Timestamp), body: EventBody) -> Event {
    Event {
        id,
        case_id: case.id.clone(),
        actor,
        at,
        body,
    }
}

/// Names `leader` the case's 包案领导 (or hands the case to another leader).
pub fn assign(
    case: &CaseState,
    leader: &str,
    by: (EventId, Actor, Timestamp),
) -> Result<Event, LeaderError> {
    let leader = leader_name(leader)?;
    if case.leader.as_deref() == Some(leader.as_str()) {
        return Err(LeaderError::Same(leader));
    }
    Ok(event(case, by, EventBody::LeaderAssigned { leader }))
}

/// Records `leader`'s 批示 `text` on the case.
pub fn instruct(
    case: &CaseState,
    leader: &str,
    text: &str,
    by: (EventId, Actor, Timestamp),
) -> Result<Event, LeaderError> {
    let leader = leader_name(leader)?;
    let text = non_blank(text).ok_or(LeaderError::NoText)?;
    if too_long(text, MAX_INSTRUCTION).is_some() {
        return Err(LeaderError::TextTooLong);
    }
    let text = text.to_owned();
    Ok(event(case, by, EventBody::Instructed { leader, text }))
}

/// Records that the leader of the reception day `r` received the visit `case`: only a
/// 来访 received on that day, and once.
pub fn receive(
    case: &CaseState,
    r: &Reception,
    by: (EventId, Actor, Timestamp),
) -> Result<Event, LeaderError> {
    if case.petition.channel != Channel::Visit {
        return Err(LeaderError::NotAVisit);
    }
    if case.received_on() != r.record.day {
        return Err(LeaderError::OtherDay(r.record.day));
    }
    if let Some(l) = &case.received_by {
        return Err(LeaderError::AlreadyReceived(l.clone()));
    }
    let body = EventBody::ReceivedByLeader {
        leader: r.record.leader.clone(),
        reception: r.id.clone(),
    };
    Ok(event(case, by, body))
}

/// One leader's figures, each with the case numbers behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeaderFigures {
    /// The leader, as named.
    pub name: String,
    /// Cases the leader owns (包案).
    pub owned: Vec<String>,
    /// Of those, still open.
    pub open: Vec<String>,
    /// Of those, open and past an obligation's last day.
    pub overdue: Vec<String>,
    /// Of those, resolved (finished, or answered and left uncontested past the window).
    pub resolved: Vec<String>,
    /// Cases the leader gave a 批示 on.
    pub instructed: Vec<String>,
    /// Reception days scheduled for the leader.
    pub reception_days: usize,
    /// Visits the leader received on those days.
    pub received: Vec<String>,
    /// Screening items the leader owns.
    pub items: usize,
    /// Of those, still open (未化解, 化解中).
    pub items_open: usize,
}

/// Every leader scheduled to receive, named as 接访领导 or 包案领导 of a case or an item,
/// or on a 批示, with their
/// figures as of `today`; most cases owned first.
pub fn figures(
    rows: &[CaseSummary],
    items: &[ScreeningItem],
    receptions: &[Reception],
    today: NaiveDate,
) -> Vec<LeaderFigures> {
    let mut out: BTreeMap<String, LeaderFigures> = BTreeMap::new();
    fn slot<'a>(out: &'a mut BTreeMap<String, LeaderFigures>, name: &str) -> &'a mut LeaderFigures {
        let name = name.trim().to_owned();
        out.entry(name.clone()).or_insert_with(|| LeaderFigures {
            name,
            ..LeaderFigures::default()
        })
    }
    for r in rows {
        if let Some(l) = r.leader.as_deref().filter(|l| !l.trim().is_empty()) {
            let f = slot(&mut out, l);
            f.owned.push(r.case_no.clone());
            if r.is_open(today) {
                f.open.push(r.case_no.clone());
                if r.due_obligation() && r.due.is_some_and(|d| d < today) {
                    f.overdue.push(r.case_no.clone());
                }
            } else {
                f.resolved.push(r.case_no.clone());
            }
        }
        if let Some(l) = r.received_by.as_deref().filter(|l| !l.trim().is_empty()) {
            slot(&mut out, l).received.push(r.case_no.clone());
        }
        for l in r.instructed_by.iter().filter(|l| !l.trim().is_empty()) {
            slot(&mut out, l).instructed.push(r.case_no.clone());
        }
    }
    for i in items {
        let l = i.record.leader.trim();
        if l.is_empty() {
            continue;
        }
        let f = slot(&mut out, l);
        f.items += 1;
        if i.is_open() {
            f.items_open += 1;
        }
    }
    for r in receptions {
        slot(&mut out, &r.record.leader).reception_days += 1;
    }
    let mut list: Vec<LeaderFigures> = out.into_values().collect();
    list.sort_by(|a, b| (b.owned.len(), &a.name).cmp(&(a.owned.len(), &b.name)));
    list
}

#[cfg(test)]
mod tests;
