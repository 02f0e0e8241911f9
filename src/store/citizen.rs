//! The citizen page's own database (`xinfang-citizen`): its signing key, the form
//! draft, and the submissions made with their replies. It never opens office data.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use wasm_bindgen::JsValue;

use super::error::StoreError;
use crate::exchange::citizen::reply::SavedSubmission;
use crate::exchange::Identity;

/// The citizen database's name.
pub const CITIZEN_DB: &str = "xinfang-citizen";
const VERSION: u32 = 1;
const META: &str = "meta";
const SUBMISSIONS: &str = "submissions";
const IDENTITY_KEY: &str = "identity";
const DRAFT_KEY: &str = "draft";
const DRAFT_FILES_KEY: &str = "draft_attachments";

/// The citizen page's store.
pub struct CitizenStore {
    db: Database,
}

impl CitizenStore {
    /// Opens (creating) the citizen database `name`.
    pub async fn open(name: &str) -> Result<CitizenStore, StoreError> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_upgrade_needed(|ev, db| {
                if (ev.old_version() as u32) < 1 {
                    db.create_object_store(META).build()?;
                    db.create_object_store(SUBMISSIONS).build()?;
                }
                Ok(())
            })
            .await?;
        Ok(CitizenStore { db })
    }

    async fn get(&self, store: &str, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.db.transaction(store).build()?;
        Ok(tx.object_store(store)?.get(key).await?)
    }

    async fn put(&self, store: &str, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let s = tx.object_store(store)?;
        match value {
            Some(v) => {
                s.put(v).with_key(key).await?;
            }
            None => s.delete(key).await?,
        }
        tx.commit().await?;
        Ok(())
    }

    /// The page's key, made from `seed` on first use: later bundles prove they come
    /// from the same submitter.
    pub async fn identity_or_create(&self, seed: [u8; 32]) -> Result<Identity, StoreError> {
        if let Some(i) = self
            .get(META, IDENTITY_KEY)
            .await?
            .as_deref()
            .and_then(Identity::from_seed_base64)
        {
            return Ok(i);
        }
        let i = Identity::from_seed(seed);
        self.put(META, IDENTITY_KEY, Some(&i.seed_base64())).await?;
        Ok(i)
    }

    /// The saved form draft (JSON).
    pub async fn draft(&self) -> Result<Option<String>, StoreError> {
        self.get(META, DRAFT_KEY).await
    }

    /// Saves or (with `None`) clears the draft.
    pub async fn save_draft(&self, json: Option<&str>) -> Result<(), StoreError> {
        self.put(META, DRAFT_KEY, json).await
    }

    /// The attachments chosen for the draft (JSON), kept apart so typing does not
    /// rewrite them.
    pub async fn draft_attachments(&self) -> Result<Option<String>, StoreError> {
        self.get(META, DRAFT_FILES_KEY).await
    }

    /// Saves or (with `None`) clears the draft's attachments.
    pub async fn save_draft_attachments(&self, json: Option<&str>) -> Result<(), StoreError> {
        self.put(META, DRAFT_FILES_KEY, json).await
    }

    /// Every submission made here, newest first.
    pub async fn submissions(&self) -> Result<Vec<SavedSubmission>, StoreError> {
        let tx = self.db.transaction(SUBMISSIONS).build()?;
        let mut out: Vec<SavedSubmission> = Vec::new();
        for row in tx.object_store(SUBMISSIONS)?.get_all::<JsValue>().await? {
            let json = row?
                .as_string()
                .ok_or_else(|| StoreError::Corrupt("记录格式不符".into()))?;
            out.push(serde_json::from_str(&json)?);
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.created_at));
        Ok(out)
    }

    /// Saves a submission (or its update with a new reply) and clears the draft, together.
    pub async fn save_submission(
        &self,
        s: &SavedSubmission,
        clear_draft: bool,
    ) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction([META, SUBMISSIONS])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(SUBMISSIONS)?
            .put(serde_json::to_string(s)?)
            .with_key(s.query_code.as_str())
            .await?;
        if clear_draft {
            tx.object_store(META)?.delete(DRAFT_KEY).await?;
            tx.object_store(META)?.delete(DRAFT_FILES_KEY).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
