//! Opening the database: the schema's migrations, then the derived records this version
//! reads, and the transactions every write runs in (strict durability).

use std::cell::{Cell, RefCell};

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};

use super::error::StoreError;
use super::meta::{get_number, MetaKey};
use super::schema::{self, CASES, DB_VERSION, DRAFTS, MEMBERS, META};
use super::tabs::Tabs;
use crate::domain::index::CaseIndex;
use crate::domain::search::{CaseSummary, ROWS_VERSION};

/// An open database.
pub struct Store {
    pub(super) db: Database,
    /// Every list row in memory once first needed, kept in step with every write here.
    pub(super) index: RefCell<Option<CaseIndex>>,
    /// True while the rows are being loaded.
    pub(super) loading: Cell<bool>,
    /// Rows written while loading, applied once the load is done.
    pub(super) pending: RefCell<Vec<CaseSummary>>,
    /// List pages being read from the database (see [`Store::listing`]).
    pub(super) listing: Cell<usize>,
    /// The other tabs on this database (`tabs.rs`).
    pub(super) tabs: Tabs,
    /// Cases in the journal when the rows were last loaded (see [`Store::tidy`]).
    pub(super) journal: Cell<usize>,
}

impl Store {
    /// Opens (creating or upgrading) the database `name` at the current schema version.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        Self::open_at(name, DB_VERSION).await
    }

    /// Opens `name` migrated only up to `version`: how tests make an old database (an
    /// older schema's records are theirs to write; this version reads only its own).
    #[doc(hidden)]
    pub async fn open_at(name: &str, version: u32) -> Result<Store, StoreError> {
        let db = schema::open(name, version).await?;
        let tabs = Tabs::new(&db, name);
        let store = Store {
            db,
            tabs,
            index: RefCell::new(None),
            loading: Cell::new(false),
            pending: RefCell::new(Vec::new()),
            listing: Cell::new(0),
            journal: Cell::new(0),
        };
        if version >= DB_VERSION {
            store.derive_if_missing().await?;
        }
        Ok(store)
    }

    /// Makes the records this version reads: cases of an older layout moved into
    /// chunks, the list rows when this version derives them differently, and the case
    /// count when the database predates it.
    pub(super) async fn derive_if_missing(&self) -> Result<(), StoreError> {
        self.move_into_chunks().await?;
        // Checked in a read-only transaction: a write lock over every case at each start
        // would hold up the first page of a large database.
        let (rows_version, count) = {
            let tx = self.db.transaction(META).build()?;
            let meta = tx.object_store(META)?;
            let v = get_number(&meta, MetaKey::RowsVersion).await?;
            let n = get_number(&meta, MetaKey::CaseCount).await?;
            (v, n)
        };
        if rows_version.is_none_or(|v| (v as u32) < ROWS_VERSION) {
            return self.rebuild_rows().await;
        }
        if count.is_none() {
            let tx = self.rw(&[CASES, MEMBERS, META])?;
            let n = Self::held_ids(&tx).await?.len();
            Self::set_case_count(&tx, n as f64).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// A read-write transaction with strict durability: the browser reports it done only
    /// once the data is on disk, so a crash or power cut right after cannot lose it.
    pub(super) fn rw(&self, stores: &[&str]) -> Result<Transaction<'_>, StoreError> {
        let strict = TransactionOptions::new().with_durability(TransactionDurability::Strict);
        Ok(self
            .db
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict)
            .build()?)
    }

    /// A read-write transaction over `stores`, plus the drafts store when a draft is to go.
    pub(super) fn write_tx(
        &self,
        stores: &[&'static str],
        draft_key: Option<&str>,
    ) -> Result<Transaction<'_>, StoreError> {
        let mut names = stores.to_vec();
        if draft_key.is_some() {
            names.push(DRAFTS);
        }
        self.rw(&names)
    }

    /// Closes the connection (pending transactions finish first).
    pub fn close(self) {
        self.db.close();
    }

    /// Deletes the database `name` (tests only; the app never deletes data).
    #[doc(hidden)]
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)?.await?;
        Ok(())
    }
}
