//! 应急预案: recording and revising plans, finding the plans a petition meets, and
//! starting one on a case, recording its handling and its 事后总结. Each change is
//! judged by the domain: a plan on the plan as the writing transaction reads it, a
//! case's plan work on the case as shown.

use super::entries::{self, Fold};
use super::env::Env;
use super::error::AppError;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::event::Actor;
use crate::domain::ids::EntryId;
use crate::domain::registers::plans::{self, fold, Plan, PlanBody, PlanFacts, PlanRecord, KIND};
use crate::domain::unit::UnitProfile;
use crate::store::drafts::DraftKey;
use crate::store::Store;

const FOLD: Fold<PlanBody, Plan> = fold;

/// Every plan of the register, by name.
pub async fn plans(store: &Store) -> Result<Vec<Plan>, AppError> {
    let mut all = entries::all(store, KIND, FOLD).await?;
    all.sort_by(|a, b| a.record.name.cmp(&b.record.name));
    Ok(all)
}

/// One plan, if held here.
pub async fn plan(store: &Store, id: &EntryId) -> Result<Option<Plan>, AppError> {
    entries::one(store, id, FOLD).await
}

/// Records a new plan (dropping the form's draft with it).
pub async fn record(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    record: PlanRecord,
) -> Result<Plan, AppError> {
    let draft = DraftKey::Plan.key();
    entries::record_versioned((store, env, profile), KIND, Some(&draft), record).await
}

/// Revises plan `id` to `new`, with its reason.
pub async fn revise(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    id: &EntryId,
    new: PlanRecord,
    reason: &str,
) -> Result<Plan, AppError> {
    let unknown = AppError::UnknownPlan;
    entries::revise_versioned((store, env, profile), (KIND, id), (new, reason), unknown).await
}

/// The plans a petition with `facts` meets, by name (shown while it is registered).
pub async fn matching(store: &Store, facts: &PlanFacts) -> Result<Vec<Plan>, AppError> {
    let all = plans(store).await?;
    Ok(plans::matching(&all, facts).into_iter().cloned().collect())
}

/// The plans `state` meets that are not started on it yet.
pub async fn to_start(store: &Store, state: &CaseState) -> Result<Vec<Plan>, AppError> {
    let hits = matching(store, &PlanFacts::of(&state.petition)).await?;
    Ok(hits
        .into_iter()
        .filter(|p| !state.plans.iter().any(|s| s.plan == p.id))
        .collect())
}

/// Starts plan `id` on `state`; the case as it stands after.
pub async fn start(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    id: &EntryId,
) -> Result<CaseState, AppError> {
    let plan = plan(store, id).await?.ok_or(AppError::UnknownPlan)?;
    let event = plans::start(state, &plan, (env.event_id()?, actor, env.now()))?;
    Ok(store.append(calendar, event, None).await?)
}

/// Records what was done under plan `id` on `state`.
pub async fn note(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    (id, text): (&EntryId, &str),
) -> Result<CaseState, AppError> {
    let event = plans::note(state, id, text, (env.event_id()?, actor, env.now()))?;
    Ok(store.append(calendar, event, None).await?)
}

/// Records the 事后总结 of plan `id` on `state`: what happened, what worked, the lessons.
pub async fn summarize(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    id: &EntryId,
    summary: (&str, &str, &str),
) -> Result<CaseState, AppError> {
    let event = plans::summarize(state, id, summary, (env.event_id()?, actor, env.now()))?;
    Ok(store.append(calendar, event, None).await?)
}
