//! The unit's settings in `meta`: profile, calendar, sensitive dates, the sealed signing key,
//! trusted units, and when the last backup was made.

use indexed_db_futures::prelude::*;

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_json, get_text, put_json, MetaKey};
use super::schema::{CASES, LOGS, MEMBERS, META, ROWS};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::fold;
use crate::domain::search::CaseSummary;
use crate::domain::sensitive::SensitiveDate;
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::exchange::card::TrustedUnit;
use crate::exchange::keyring::StoredKey;
use crate::exchange::secret::SealedKey;

impl Store {
    /// A JSON value kept in `meta`, if present.
    pub(super) async fn get_meta<T: serde::de::DeserializeOwned>(
        &self,
        key: MetaKey<'_>,
    ) -> Result<Option<T>, StoreError> {
        let tx = self.db.transaction(META).build()?;
        get_json(&tx.object_store(META)?, key).await
    }

    /// Keeps a JSON value in `meta`.
    pub(super) async fn put_meta<T: serde::Serialize + ?Sized>(
        &self,
        key: MetaKey<'_>,
        value: &T,
    ) -> Result<(), StoreError> {
        let tx = self.rw(&[META])?;
        put_json(&tx.object_store(META)?, key, value).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The unit profile, if set up.
    pub async fn profile(&self) -> Result<Option<UnitProfile>, StoreError> {
        self.get_meta(MetaKey::Profile).await
    }

    /// Saves the unit profile.
    pub async fn save_profile(&self, profile: &UnitProfile) -> Result<(), StoreError> {
        self.put_meta(MetaKey::Profile, profile).await
    }

    /// The working-day calendar: the user's, or the shipped one until edited.
    pub async fn calendar(&self) -> Result<WorkCalendar, StoreError> {
        Ok(self
            .get_meta(MetaKey::Calendar)
            .await?
            .unwrap_or_else(WorkCalendar::official))
    }

    /// The unit's sensitive dates (early warning), none until listed.
    pub async fn sensitive_dates(&self) -> Result<Vec<SensitiveDate>, StoreError> {
        Ok(self
            .get_meta(MetaKey::SensitiveDates)
            .await?
            .unwrap_or_default())
    }

    /// Replaces the unit's sensitive dates.
    pub async fn save_sensitive_dates(&self, dates: &[SensitiveDate]) -> Result<(), StoreError> {
        self.put_meta(MetaKey::SensitiveDates, dates).await
    }

    /// Saves the calendar and recomputes every open case's deadlines with it, in one
    /// transaction.
    pub async fn save_calendar(&self, calendar: &WorkCalendar) -> Result<(), StoreError> {
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META])?;
        put_json(&tx.object_store(META)?, MetaKey::Calendar, calendar).await?;
        let mut changed = Vec::new();
        Self::rewrite_rows(
            &tx,
            |old, log| match old {
                Some(row) if row.stage.is_finished() => Ok(None),
                _ => Ok(Some(CaseSummary::of(&fold(&log.events)?, calendar))),
            },
            |row| changed.push(row),
        )
        .await?;
        Self::merge_head(&tx, &changed).await?;
        tx.commit().await?;
        self.remember(changed);
        Ok(())
    }

    /// This unit's signing key as stored, if one is: sealed under the operator's
    /// passphrase, or (a database of an older version) in clear, to be sealed at once.
    pub async fn stored_key(&self) -> Result<Option<StoredKey>, StoreError> {
        let tx = self.db.transaction(META).build()?;
        let text = get_text(&tx.object_store(META)?, MetaKey::Identity).await?;
        text.map(|t| StoredKey::parse(&t).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    /// Stores the sealed signing key, replacing whatever was stored (a clear seed).
    pub async fn save_sealed_key(&self, key: &SealedKey) -> Result<(), StoreError> {
        self.put_meta(MetaKey::Identity, key).await
    }

    /// First-run setup: the sealed key and the profile in one transaction, so a unit is
    /// never set up without its key.
    pub async fn set_up(&self, profile: &UnitProfile, key: &SealedKey) -> Result<(), StoreError> {
        let tx = self.rw(&[META])?;
        let meta = tx.object_store(META)?;
        put_json(&meta, MetaKey::Identity, key).await?;
        put_json(&meta, MetaKey::Profile, profile).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The units this unit trusts (including revoked entries, marked as such).
    pub async fn directory(&self) -> Result<Vec<TrustedUnit>, StoreError> {
        Ok(self.get_meta(MetaKey::Directory).await?.unwrap_or_default())
    }

    /// Replaces the directory.
    pub async fn save_directory(&self, units: &[TrustedUnit]) -> Result<(), StoreError> {
        self.put_meta(MetaKey::Directory, units).await
    }

    /// Changes the directory by `change` in one transaction, read and write together, so
    /// two tabs trusting or revoking at once cannot undo each other. Returns the directory
    /// saved; when `change` refuses, nothing is written.
    pub async fn update_directory<E: From<StoreError>>(
        &self,
        change: impl FnOnce(&mut Vec<TrustedUnit>) -> Result<(), E>,
    ) -> Result<Vec<TrustedUnit>, E> {
        let tx = self.rw(&[META])?;
        let meta = tx.object_store(META).map_err(StoreError::from)?;
        let mut units: Vec<TrustedUnit> = get_json(&meta, MetaKey::Directory)
            .await?
            .unwrap_or_default();
        // A refusal drops the transaction uncommitted: it aborts.
        change(&mut units)?;
        put_json(&meta, MetaKey::Directory, &units).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(units)
    }

    /// When the last backup was made and how many events it held.
    pub async fn last_backup(&self) -> Result<Option<(Timestamp, u64)>, StoreError> {
        self.get_meta(MetaKey::LastBackup).await
    }

    /// Records that a backup holding `events` events was made at `at`.
    pub async fn mark_backup(&self, at: Timestamp, events: u64) -> Result<(), StoreError> {
        self.put_meta(MetaKey::LastBackup, &(at, events)).await
    }
}
