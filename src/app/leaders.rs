//! 领导包案与批示: naming a case's 包案领导 and recording a 批示, each judged by the domain
//! on the case as shown, and the figures per leader over every case and item held here.

use chrono::NaiveDate;

use super::env::Env;
use super::error::AppError;
use super::screening;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::event::Actor;
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

/// Every leader's figures as of `today`.
pub async fn figures(store: &Store, today: NaiveDate) -> Result<Vec<LeaderFigures>, AppError> {
    let rows = store
        .rows_where(|r| r.leader.is_some() || !r.instructed_by.is_empty())
        .await?;
    let items = screening::items(store).await?;
    Ok(leaders::figures(&rows, &items, today))
}
