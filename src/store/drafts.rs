//! Form drafts: saved on every keystroke (relaxed durability), dropped with the write
//! that uses them.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};

use super::connection::Store;
use super::error::StoreError;
use super::schema::DRAFTS;
use crate::domain::ids::{CaseId, EntryId};

/// A form whose draft is kept: the key string of each is written here only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKey<'a> {
    /// The registration form.
    Register,
    /// The correction form of a case.
    Correction(&'a CaseId),
    /// The form of a new screening item.
    Screening,
    /// The registration form of a case converted from a screening item.
    Conversion(&'a EntryId),
    /// The form of a new emergency plan.
    Plan,
    /// The form of a new responsibility agreement.
    Agreement,
    /// The form of a new reception day.
    Reception,
}

impl DraftKey<'_> {
    /// The record's key in `drafts`.
    pub fn key(&self) -> String {
        match self {
            DraftKey::Register => "register".into(),
            DraftKey::Correction(id) => format!("correct:{id}"),
            DraftKey::Screening => "screening".into(),
            DraftKey::Conversion(id) => format!("convert:{id}"),
            DraftKey::Plan => "plan".into(),
            DraftKey::Agreement => "agreement".into(),
            DraftKey::Reception => "reception".into(),
        }
    }
}

impl Store {
    /// A saved form draft (JSON), if any.
    pub async fn draft(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.db.transaction(DRAFTS).build()?;
        Ok(tx.object_store(DRAFTS)?.get(key).await?)
    }

    /// Saves a form draft, or deletes it when `json` is `None`.
    pub async fn save_draft(&self, key: &str, json: Option<&str>) -> Result<(), StoreError> {
        // Saved on every keystroke: default (relaxed) durability keeps typing smooth.
        let tx = self
            .db
            .transaction(DRAFTS)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let drafts = tx.object_store(DRAFTS)?;
        match json {
            Some(j) => {
                drafts.put(j).with_key(key).await?;
            }
            None => drafts.delete(key).await?,
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn drop_draft(
        tx: &Transaction<'_>,
        draft_key: Option<&str>,
    ) -> Result<(), StoreError> {
        if let Some(key) = draft_key {
            tx.object_store(DRAFTS)?.delete(key).await?;
        }
        Ok(())
    }
}
