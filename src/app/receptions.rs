//! 领导接待日: scheduling leaders' reception days and changing them, each judged by the
//! domain on the day as the writing transaction reads it.

use chrono::NaiveDate;

use super::entries::{self, Fold};
use super::env::Env;
use super::error::AppError;
use crate::domain::ids::EntryId;
use crate::domain::registers::receptions::{
    fold, on_day, Reception, ReceptionBody, ReceptionRecord, KIND,
};
use crate::domain::unit::UnitProfile;
use crate::store::drafts::DraftKey;
use crate::store::Store;

const FOLD: Fold<ReceptionBody, Reception> = fold;

/// Every reception day held here.
pub async fn all(store: &Store) -> Result<Vec<Reception>, AppError> {
    entries::all(store, KIND, FOLD).await
}

/// One reception day, if held here.
pub async fn one(store: &Store, id: &EntryId) -> Result<Option<Reception>, AppError> {
    entries::one(store, id, FOLD).await
}

/// The reception days on `day`.
pub async fn on(store: &Store, day: NaiveDate) -> Result<Vec<Reception>, AppError> {
    let all = all(store).await?;
    Ok(on_day(&all, day).into_iter().cloned().collect())
}

/// Schedules a reception day (dropping the form's draft with it).
pub async fn record(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    record: ReceptionRecord,
) -> Result<Reception, AppError> {
    let draft = DraftKey::Reception.key();
    entries::record_versioned((store, env, profile), KIND, Some(&draft), record).await
}

/// Changes reception day `id` to `new`, with its reason.
pub async fn revise(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    id: &EntryId,
    new: ReceptionRecord,
    reason: &str,
) -> Result<Reception, AppError> {
    let unknown = AppError::UnknownReception;
    entries::revise_versioned((store, env, profile), (KIND, id), (new, reason), unknown).await
}
