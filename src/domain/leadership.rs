//! 领导接访、包案与批示 on a case, as its events fold them: the leader who received the
//! visit on a reception day, the leader who owns (包) the case until it is resolved, and
//! each leader's 批示. The rules for recording them and the
//! figures per leader are in `leaders`.

use super::event::{Actor, Event, EventBody};
use super::time::Timestamp;

/// A leader's 批示 on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The leader.
    pub leader: String,
    /// What was instructed.
    pub text: String,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who recorded it.
    pub by: Actor,
}

/// Folds one case event into the case's 接访领导, 包案领导 and 批示 (other events leave
/// them); the first leader to receive the visit stays its 接访领导.
pub(crate) fn apply(
    received_by: &mut Option<String>,
    owner: &mut Option<String>,
    instructions: &mut Vec<Instruction>,
    e: &Event,
) {
    match &e.body {
        EventBody::ReceivedByLeader { leader, .. } if received_by.is_none() => {
            *received_by = Some(leader.clone())
        }
        EventBody::LeaderAssigned { leader } => *owner = Some(leader.clone()),
        EventBody::Instructed { leader, text } => instructions.push(Instruction {
            leader: leader.clone(),
            text: text.clone(),
            at: e.at,
            by: e.actor.clone(),
        }),
        _ => {}
    }
}
