//! 信访工作责任状: recording an agreement (one per party and year) and revising it, each
//! judged by the domain on the agreement as the writing transaction reads it.

use super::entries::{self, Fold};
use super::env::Env;
use super::error::AppError;
use crate::domain::ids::EntryId;
use crate::domain::registers::agreements::{
    fold, same_party, Agreement, AgreementBody, AgreementRecord, KIND,
};
use crate::domain::unit::UnitProfile;
use crate::store::Store;

const FOLD: Fold<AgreementBody, Agreement> = fold;

/// Every agreement held here.
pub async fn all(store: &Store) -> Result<Vec<Agreement>, AppError> {
    entries::all(store, KIND, FOLD).await
}

/// One agreement, if held here.
pub async fn one(store: &Store, id: &EntryId) -> Result<Option<Agreement>, AppError> {
    entries::one(store, id, FOLD).await
}

/// Refuses a second agreement with the same party for the same year.
async fn unique(
    store: &Store,
    r: &AgreementRecord,
    except: Option<&EntryId>,
) -> Result<(), AppError> {
    let all = all(store).await?;
    match same_party(&all, r, except) {
        Some(a) => Err(AppError::DuplicateAgreement(a.record.title())),
        None => Ok(()),
    }
}

/// Records a signed agreement; `draft_key` is the form's draft, dropped with the write.
pub async fn record(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    record: AgreementRecord,
    draft_key: Option<&str>,
) -> Result<Agreement, AppError> {
    unique(store, &record, None).await?;
    entries::record_versioned((store, env, profile), KIND, draft_key, record).await
}

/// Changes agreement `id` to `new`, with its reason.
pub async fn revise(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    id: &EntryId,
    new: AgreementRecord,
    reason: &str,
) -> Result<Agreement, AppError> {
    unique(store, &new, Some(id)).await?;
    let unknown = AppError::UnknownAgreement;
    entries::revise_versioned((store, env, profile), (KIND, id), (new, reason), unknown).await
}
