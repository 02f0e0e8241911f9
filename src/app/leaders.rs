//! 领导接访、包案与批示: recording the 接访领导 of a visit on a reception day, naming a
//! case's 包案领导 and recording a 批示, each judged by the domain on the case as shown,
//! and the figures per leader over every case, item and reception day held here.

use chrono::NaiveDate;

use super::env::Env;
use super::error::AppError;
use super::{receptions, screening};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::event::Actor;
use crate::domain::ids::EntryId;
use crate::domain::leaders::{self, LeaderFigures};
use crate::store::Store;

/// Names `leader` the 包案领导 of `state`; the case as it stands after.
pub async fn assign(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    leader: &str,
) -> Result<CaseState, AppError> {
    let event = leaders::assign(state, leader, (env.event_id()?, actor, env.now()))?;
    Ok(store.append(calendar, event, None).await?)
}

/// Records `leader`'s 批示 `text` on `state`; the case as it stands after.
pub async fn instruct(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    (leader, text): (&str, &str),
) -> Result<CaseState, AppError> {
    let event = leaders::instruct(state, leader, text, (env.event_id()?, actor, env.now()))?;
    Ok(store.append(calendar, event, None).await?)
}

/// Records that the leader of reception day `reception` received the visit `state`.
pub async fn receive(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    reception: &EntryId,
) -> Result<CaseState, AppError> {
    let all = receptions::all(store).await?;
    let r = all
        .iter()
        .find(|r| &r.id == reception)
        .ok_or(AppError::UnknownReception)?;
    let event = leaders::receive(state, r, (env.event_id()?, actor, env.now()))?;
    Ok(store.append(calendar, event, None).await?)
}

/// Every leader's figures as of `today`.
pub async fn figures(store: &Store, today: NaiveDate) -> Result<Vec<LeaderFigures>, AppError> {
    let rows = store
        .rows_where(|r| {
            r.leader.is_some() || r.received_by.is_some() || !r.instructed_by.is_empty()
        })
        .await?;
    let items = screening::items(store).await?;
    let days = receptions::all(store).await?;
    Ok(leaders::figures(&rows, &items, &days, today))
}
