//! The in-memory index of every list row: loaded once, in chunks, after the first page
//! is up, and kept in step with every committed write.

use std::cell::Cell;

use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_number, MetaKey};
use super::records::pause;
use super::schema::{CASES, LOGS, MEMBERS, META, ROWS};
use super::stored::{chunk_rows, journal_row, prop};
use crate::domain::ids::CaseId;
use crate::domain::index::{CaseIndex, SearchText};
use crate::domain::search::CaseSummary;

/// Cases in the journal past which [`Store::tidy`] folds it into the chunks.
const JOURNAL_LIMIT: usize = 500;

/// Counts a list read in flight for as long as it lives.
pub(super) struct Listing<'a>(&'a Cell<usize>);

impl<'a> Listing<'a> {
    pub(super) fn new(n: &'a Cell<usize>) -> Listing<'a> {
        n.set(n.get() + 1);
        Listing(n)
    }
}

impl Drop for Listing<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// Chunks of rows read per request when loading the index (some 8,000 rows).
const CHUNKS_PER_READ: u32 = 8;

impl Store {
    /// True while a list page is read from the database: loading every row beside it
    /// would only slow the first page a person is waiting for.
    pub fn listing(&self) -> bool {
        self.listing.get() > 0
    }

    /// Loads every list row into memory, once, in chunks with a pause between them so
    /// the page keeps answering while a county's cases load.
    pub async fn load_index(&self) -> Result<(), StoreError> {
        self.catch_up().await?;
        if self.index.borrow().is_some() {
            return Ok(());
        }
        if self.loading.replace(true) {
            // Another call is loading: wait for it rather than read everything twice.
            while self.index.borrow().is_none() && self.loading.get() {
                pause().await;
            }
            return match self.index.borrow().is_some() {
                true => Ok(()),
                false => Err(StoreError::Corrupt("案件索引未能载入".into())),
            };
        }
        let loaded = self.read_rows_in_chunks().await;
        self.loading.set(false);
        let (mut rows, mut texts) = loaded?;
        // Writes committed while loading are applied on top.
        for mut row in self.pending.take() {
            texts.push(SearchText::take(&mut row));
            rows.push(row);
        }
        let index = CaseIndex::with_texts(rows, texts);
        let loaded = index.len();
        *self.index.borrow_mut() = Some(index);
        // The rows are loaded whatever the recount does: a disk too full to write the
        // corrected count must not stop a search; the next start tries again.
        let _ = self.heal_case_count(loaded).await;
        Ok(())
    }

    /// Recounts the cases if the kept count disagrees with the rows just loaded: a tab
    /// still running a version from before the count writes cases without counting them.
    pub(super) async fn heal_case_count(&self, loaded: usize) -> Result<(), StoreError> {
        let kept: Option<f64> = {
            let tx = self.db.transaction(META).build()?;
            get_number(&tx.object_store(META)?, MetaKey::CaseCount).await?
        };
        if kept.is_some_and(|n| n as usize == loaded) {
            return Ok(());
        }
        let tx = self.rw(&[CASES, MEMBERS, META])?;
        let n = Self::held_ids(&tx).await?.len();
        Self::set_case_count(&tx, n as f64).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every list row: the journal's first, then the chunks', with the journal's rows
    /// put last so they win. Reading the journal first keeps a concurrent
    /// [`Store::tidy`] harmless: a row it moves into a chunk is the same row. Each row's
    /// search text is packed as its chunk is read, beside it in the second vector.
    pub(super) async fn read_rows_in_chunks(
        &self,
    ) -> Result<(Vec<CaseSummary>, Vec<SearchText>), StoreError> {
        let (journal, count): (Vec<JsValue>, Option<f64>) = {
            let tx = self.db.transaction([CASES, META]).build()?;
            let all = tx.object_store(CASES)?.get_all::<JsValue>().await?;
            let count = get_number(&tx.object_store(META)?, MetaKey::CaseCount).await?;
            (all.collect::<Result<_, _>>()?, count)
        };
        self.journal.set(journal.len());
        // Room for every row at once: grown by doubling, a county's rows would be held
        // twice while moved, and wasm memory never gives back its peak. (The count is a
        // hint; a wrong one only means the vector grows.)
        let hint = count.map_or(0, |n| n as usize).min(1 << 24);
        let mut rows: Vec<CaseSummary> = Vec::with_capacity(hint + journal.len());
        let mut texts: Vec<SearchText> = Vec::with_capacity(hint + journal.len());
        let mut after: Option<JsValue> = None;
        loop {
            let tx = self.db.transaction(ROWS).build()?;
            let store = tx.object_store(ROWS)?;
            let read = store.get_all::<JsValue>().with_limit(CHUNKS_PER_READ);
            let batch: Vec<JsValue> = match after.take() {
                None => read.await?,
                Some(n) => {
                    read.with_query::<JsValue, _>(KeyRange::LowerBound(n, true))
                        .await?
                }
            }
            .collect::<Result<_, _>>()?;
            drop(store);
            drop(tx);
            let full = batch.len() == CHUNKS_PER_READ as usize;
            for r in &batch {
                after = Some(prop(r, "n")?);
                let from = rows.len();
                chunk_rows(r, &mut rows)?;
                texts.extend(rows[from..].iter_mut().map(SearchText::take));
            }
            if !full {
                break;
            }
            pause().await;
        }
        for r in &journal {
            let mut row = journal_row(r)?;
            texts.push(SearchText::take(&mut row));
            rows.push(row);
        }
        Ok((rows, texts))
    }

    /// Folds the journal back into the chunks once it holds more than [`JOURNAL_LIMIT`]
    /// cases (checked when the rows were last loaded), so loading the rows stays a few
    /// large reads. Nothing a list shows changes.
    pub async fn tidy(&self) -> Result<(), StoreError> {
        self.tidy_at(JOURNAL_LIMIT).await
    }

    /// [`Self::tidy`] past `limit` cases in the journal (tests fold a small one).
    #[doc(hidden)]
    pub async fn tidy_at(&self, limit: usize) -> Result<(), StoreError> {
        if self.journal.get() < limit {
            return Ok(());
        }
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META])?;
        Self::fold_journal(&tx).await?;
        tx.commit().await?;
        self.journal.set(0);
        Ok(())
    }

    /// Runs `f` on the in-memory rows, loading them first if needed.
    pub async fn with_index<R>(&self, f: impl FnOnce(&CaseIndex) -> R) -> Result<R, StoreError> {
        self.load_index().await?;
        let slot = self.index.borrow();
        let index = slot
            .as_ref()
            .ok_or_else(|| StoreError::Corrupt("案件索引未能载入".into()))?;
        Ok(f(index))
    }

    /// Brings the in-memory rows up to date after a committed write.
    pub(super) fn remember(&self, rows: Vec<CaseSummary>) {
        self.tabs.rows_changed(rows.iter().map(|r| &r.id));
        if let Some(index) = self.index.borrow_mut().as_mut() {
            index.upsert_all(rows);
        } else if self.loading.get() {
            self.pending.borrow_mut().extend(rows);
        }
    }

    /// Drops the in-memory rows (after a write that replaces many); they reload when next needed.
    pub(super) fn forget(&self) {
        self.tabs.all_changed();
        *self.index.borrow_mut() = None;
    }

    /// How many events are held, if the rows are in memory: summed from them, with no
    /// count over the events store (400,000 records in a county, seconds to count).
    pub fn event_count_in_memory(&self) -> Option<u64> {
        self.index.borrow().as_ref().map(CaseIndex::event_total)
    }

    /// True once another tab upgraded the database: this tab's connection is closed and
    /// the page must be reloaded before anything more is saved.
    pub fn outdated(&self) -> bool {
        self.tabs.outdated()
    }

    /// Calls `f` when another tab upgrades the database (see [`Self::outdated`]).
    pub fn on_outdated(&self, f: impl Fn() + 'static) {
        self.tabs.on_outdated(f);
    }

    /// Applies what the other tabs wrote since the rows were last read: the rows they
    /// named, read again from the database, or every row when they changed many.
    pub(super) async fn catch_up(&self) -> Result<(), StoreError> {
        let (ids, all) = self.tabs.take_news();
        if all {
            *self.index.borrow_mut() = None;
            return Ok(());
        }
        if ids.is_empty() || self.index.borrow().is_none() {
            // Not loaded yet: the load reads every row as it is now.
            return Ok(());
        }
        let ids: Vec<CaseId> = ids.iter().filter_map(|id| CaseId::parse(id)).collect();
        let rows = {
            let tx = self.db.transaction([CASES, MEMBERS, ROWS]).build()?;
            Self::read_rows(&tx, &ids).await?
        };
        if let Some(index) = self.index.borrow_mut().as_mut() {
            index.upsert_all(rows);
        }
        Ok(())
    }
}
