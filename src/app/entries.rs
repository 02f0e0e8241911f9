//! What every register's operations share: reading its entries, and changing one by an
//! event the domain builds from the entry as the writing transaction reads it.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::env::Env;
use super::error::AppError;
use crate::domain::ids::EntryId;
use crate::domain::registers::versioned::{self, Entry};
use crate::domain::registers::{EntryError, EntryEvent};
use crate::domain::unit::UnitProfile;
use crate::store::{Store, StoreError};

/// How a register folds an entry's events.
pub(super) type Fold<B, T> = fn(&[EntryEvent<B>]) -> Result<T, EntryError>;

/// The entry `log` folds to; a log that does not fold is a damaged store.
pub(super) fn folded<B, T>(fold: Fold<B, T>, log: &[EntryEvent<B>]) -> Result<T, AppError> {
    fold(log).map_err(|e| StoreError::Corrupt(e.to_string()).into())
}

/// Every entry of the register `kind`, folded.
pub(super) async fn all<B: DeserializeOwned, T>(
    store: &Store,
    kind: &str,
    fold: Fold<B, T>,
) -> Result<Vec<T>, AppError> {
    let logs: Vec<Vec<EntryEvent<B>>> = store.entries(kind).await?;
    logs.iter().map(|l| folded(fold, l)).collect()
}

/// One entry, if held here.
pub(super) async fn one<B: DeserializeOwned, T>(
    store: &Store,
    id: &EntryId,
    fold: Fold<B, T>,
) -> Result<Option<T>, AppError> {
    let log: Vec<EntryEvent<B>> = store.entry(id).await?;
    if log.is_empty() {
        return Ok(None);
    }
    folded(fold, &log).map(Some)
}

/// Changes entry `id` of `kind` by the event `make` builds from it as the transaction
/// reads it (`None`: not held here), dropping the draft `draft_key` with the write.
pub(super) async fn change<B, T>(
    store: &Store,
    (kind, id): (&str, &EntryId),
    draft_key: Option<&str>,
    fold: Fold<B, T>,
    make: impl FnOnce(Option<T>) -> Result<EntryEvent<B>, AppError>,
) -> Result<T, AppError>
where
    B: Serialize + DeserializeOwned + Clone,
{
    let log = store
        .update_entry::<B, AppError>(kind, id, draft_key, |log| {
            let current = match log.is_empty() {
                true => None,
                false => Some(folded(fold, log)?),
            };
            make(current)
        })
        .await?;
    folded(fold, &log)
}

/// A fresh entry id from the browser's secure randomness.
pub(super) fn new_id(env: &dyn Env) -> Result<EntryId, AppError> {
    let random = env.random32()?;
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&random[..16]);
    Ok(EntryId::from_random(bytes))
}

/// Records a new entry of a register whose entries are only recorded and revised,
/// dropping the draft `draft_key` with the write.
pub(super) async fn record_versioned<R>(
    (store, env, profile): (&Store, &dyn Env, &UnitProfile),
    kind: &str,
    draft_key: Option<&str>,
    record: R,
) -> Result<Entry<R>, AppError>
where
    R: Serialize + DeserializeOwned + Clone,
{
    let id = new_id(env)?;
    let ids = (env.event_id()?, id.clone());
    let at = env.now();
    change(store, (kind, &id), draft_key, versioned::fold, |current| {
        match current {
            // 128 fresh random bits: a clash means the randomness is broken, not bad luck.
            Some(_) => Err(StoreError::Duplicate.into()),
            None => Ok(versioned::record(ids, profile.actor(), at, record)),
        }
    })
    .await
}

/// Revises entry `id` of such a register to `new`, with its reason; `unknown` is the
/// error when it is not held here.
pub(super) async fn revise_versioned<R>(
    (store, env, profile): (&Store, &dyn Env, &UnitProfile),
    (kind, id): (&str, &EntryId),
    (new, reason): (R, &str),
    unknown: AppError,
) -> Result<Entry<R>, AppError>
where
    R: Serialize + DeserializeOwned + Clone + PartialEq,
{
    let stamp = (env.event_id()?, profile.actor(), env.now());
    change(store, (kind, id), None, versioned::fold, |current| {
        let entry = current.ok_or(unknown)?;
        Ok(versioned::revise(&entry, new, reason, stamp)?)
    })
    .await
}
