//! 排查台账: recording items, revising them, following them up, and turning one into a
//! case (registered with the form filled from it, both linked in one transaction). Each
//! change is judged by the domain on the item as the writing transaction reads it, so
//! two tabs cannot convert one item twice.

use super::entries::{self, Fold};
use super::env::Env;
use super::error::AppError;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::ids::{CaseId, EntryId};
use crate::domain::petition::Petition;
use crate::domain::registers::screening::{
    self, fold, link_case, Outcome, ScreeningBody, ScreeningEvent, ScreeningItem, ScreeningRecord,
};
use crate::domain::unit::UnitProfile;
use crate::store::drafts::DraftKey;
use crate::store::{Store, StoreError};

const FOLD: Fold<ScreeningBody, ScreeningItem> = fold;

fn folded(log: &[ScreeningEvent]) -> Result<ScreeningItem, AppError> {
    entries::folded(FOLD, log)
}

/// Every item of the register, newest found first.
pub async fn items(store: &Store) -> Result<Vec<ScreeningItem>, AppError> {
    let mut items = entries::all(store, screening::KIND, FOLD).await?;
    items.sort_by(|a, b| {
        (b.record.found_on, b.recorded_at).cmp(&(a.record.found_on, a.recorded_at))
    });
    Ok(items)
}

/// One item, if held here.
pub async fn item(store: &Store, id: &EntryId) -> Result<Option<ScreeningItem>, AppError> {
    entries::one(store, id, FOLD).await
}

/// Changes item `id` by the event `make` builds from it as the transaction reads it.
async fn change(
    store: &Store,
    id: &EntryId,
    draft_key: Option<&str>,
    make: impl FnOnce(Option<ScreeningItem>) -> Result<ScreeningEvent, AppError>,
) -> Result<ScreeningItem, AppError> {
    entries::change(store, (screening::KIND, id), draft_key, FOLD, make).await
}

/// Records a new item (dropping the form's draft with it).
pub async fn record(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    record: ScreeningRecord,
) -> Result<ScreeningItem, AppError> {
    let id = entries::new_id(env)?;
    let event_id = env.event_id()?;
    let at = env.now();
    let draft = DraftKey::Screening.key();
    change(store, &id, Some(&draft), |current| match current {
        // 128 fresh random bits: a clash means the randomness is broken, not bad luck.
        Some(_) => Err(StoreError::Duplicate.into()),
        None => Ok(screening::record(
            event_id,
            id.clone(),
            profile.actor(),
            at,
            record,
        )),
    })
    .await
}

fn unknown() -> AppError {
    AppError::UnknownItem
}

/// Revises item `id` to `new`, with its reason.
pub async fn revise(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    id: &EntryId,
    new: ScreeningRecord,
    reason: &str,
) -> Result<ScreeningItem, AppError> {
    let stamp = (env.event_id()?, profile.actor(), env.now());
    change(store, id, None, |current| {
        Ok(screening::revise(
            &current.ok_or_else(unknown)?,
            new,
            reason,
            stamp,
        )?)
    })
    .await
}

/// Records a follow-up of item `id`.
pub async fn follow_up(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    id: &EntryId,
    (on, text, outcome): (chrono::NaiveDate, &str, Outcome),
) -> Result<ScreeningItem, AppError> {
    let now = env.now();
    let stamp = (env.event_id()?, profile.actor(), now);
    change(store, id, None, |current| {
        let item = current.ok_or_else(unknown)?;
        Ok(screening::follow_up(
            &item,
            on,
            text,
            outcome,
            now.china_date(),
            stamp,
        )?)
    })
    .await
}

/// Registers `petition` as a case converted from item `id` (the form's draft `draft_key`
/// dropped with it): the case, the item's 转为信访事项 and the case's link, in one
/// transaction; refused, with nothing stored, when the item already is a case.
pub async fn register_from(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    petition: Petition,
    id: &EntryId,
    draft_key: Option<&str>,
) -> Result<(CaseState, ScreeningItem), AppError> {
    let ids = (env.case_id()?, env.event_id()?);
    let link_ids = (env.event_id()?, env.event_id()?);
    let now = env.now();
    let (state, log) = store
        .register_linked::<ScreeningBody, AppError>(
            calendar,
            profile,
            petition,
            now,
            ids,
            draft_key,
            (screening::KIND, id),
            |log, case| {
                let item = if log.is_empty() {
                    Err(unknown())
                } else {
                    folded(log)
                }?;
                Ok(link_case(&item, case, link_ids, profile.actor(), now)?)
            },
        )
        .await?;
    Ok((state, folded(&log)?))
}

/// Links item `id` and the case `case`, both already held (a case registered before
/// the item was linked to it).
pub async fn link(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    id: &EntryId,
    case: &CaseId,
) -> Result<(CaseState, ScreeningItem), AppError> {
    let link_ids = (env.event_id()?, env.event_id()?);
    let now = env.now();
    let (state, log) = store
        .link_entry::<ScreeningBody, AppError>(
            calendar,
            (screening::KIND, id),
            case,
            |log, case| {
                let item = if log.is_empty() {
                    Err(unknown())
                } else {
                    folded(log)
                }?;
                Ok(link_case(&item, case, link_ids, profile.actor(), now)?)
            },
        )
        .await?;
    Ok((state, folded(&log)?))
}

/// Links item `id` and the case numbered `case_no` held here (a petition registered
/// before anyone saw it was the screened matter).
pub async fn link_number(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    id: &EntryId,
    case_no: &str,
) -> Result<(CaseState, ScreeningItem), AppError> {
    let wanted = case_no.trim().to_uppercase();
    let row = store
        .rows_where(|r| r.case_no == wanted)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::UnknownCase(wanted.clone()))?;
    link(store, env, calendar, profile, id, &row.id).await
}
