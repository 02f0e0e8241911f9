//! Work on one case: a workflow step, checked by the domain against the table and every
//! date rule, and a correction of the registration; each stored as one new event.

use super::env::Env;
use super::error::AppError;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{correct, take_step, CaseState};
use crate::domain::event::Actor;
use crate::domain::ids::EventId;
use crate::domain::petition::Petition;
use crate::domain::workflow::{RuleError, Step};
use crate::store::drafts::DraftKey;
use crate::store::Store;

/// Records `step` on `state` if the rules allow it today; the case as it stands after. A
/// 转送 or 交办 to a trusted unit records its code: from then on only it records its part.
pub async fn record_step(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    step: Step,
) -> Result<CaseState, AppError> {
    let id = env.event_id()?;
    // Only a 转送/交办 or a review naming its unit asks who works in the system.
    let directory = if matches!(step, Step::Route { .. }) || step.reviewer().is_some() {
        store.directory().await?
    } else {
        Vec::new()
    };
    let code_of = |name: &str| {
        directory
            .iter()
            .find(|u| u.revoked_at.is_none() && u.card.name == name)
            .map(|u| u.card.code.clone())
    };
    // A unit above that works in the system takes a review itself: no one records it
    // on its behalf.
    if let Some(unit) = step.reviewer().filter(|name| code_of(name).is_some()) {
        return Err(RuleError::ReviewerInSystem(unit.to_owned()).into());
    }
    let step = step.addressed(code_of);
    record_step_as(store, env, calendar, actor, state, step, id).await
}

/// [`record_step`] under a given event id (one derived from a signed file, so that
/// recording the same file twice is one event).
pub async fn record_step_as(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    step: Step,
    id: EventId,
) -> Result<CaseState, AppError> {
    let now = env.now();
    let event = take_step(state, step, now.china_date(), calendar, id, actor, now)?;
    Ok(store.append(calendar, event, None).await?)
}

/// Why a correction was not saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionError {
    /// Nothing changed, or no reason given.
    #[error(transparent)]
    Refused(#[from] crate::domain::case::CorrectionError),
    /// Saving failed.
    #[error(transparent)]
    App(#[from] AppError),
}

/// Records a correction of `state`'s registration to `petition`, dropping the form's
/// draft in the same transaction; the case as it stands after.
pub async fn record_correction(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    state: &CaseState,
    petition: &Petition,
    reason: &str,
) -> Result<CaseState, CorrectionError> {
    let now = env.now();
    let id = env.event_id().map_err(AppError::from)?;
    let event = correct(state, petition, reason, id, actor, now)?;
    let draft = DraftKey::Correction(&state.id).key();
    Ok(store
        .append(calendar, event, Some(&draft))
        .await
        .map_err(AppError::from)?)
}
