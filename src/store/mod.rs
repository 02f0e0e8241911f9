//! IndexedDB persistence. The database holds the append-only event log and, beside it,
//! derived rows (case summaries) that list pages read directly, so opening a county's
//! history never folds every case first.
//!
//! Records keep their payload as a JSON string in a `json` field, with only the keys
//! and index fields as JS properties: crossing into wasm, `serde_json` on a string is
//! several times faster than converting JS objects field by field.
//!
//! Every operation that writes several records runs in one transaction: if any write
//! fails the transaction is dropped, which aborts it, and nothing is stored.

pub mod citizen;
mod error;
mod schema;

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::KeyRange;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

pub use error::StoreError;

/// Why an import failed: the bundle's content, or the database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The content was refused (e.g. tampering detected against held events).
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// The database failed; nothing was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The user cancelled; nothing was stored.
    #[error("已取消导入，本机数据未做任何改动")]
    Cancelled,
}

/// Writes issued between two progress reports of an import.
const IMPORT_STEP: usize = 2_000;
use schema::{CASES, CASES_BY_REGISTERED, DRAFTS, EVENTS, EVENTS_BY_CASE, META};
pub use schema::{DB_NAME, DB_VERSION, DEMO_DB_NAME};

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, CaseNumber};
use crate::domain::index::CaseIndex;
use crate::domain::search::{Page, ROWS_VERSION};
use crate::domain::sensitive::SensitiveDate;
use crate::domain::{
    CaseFilter, CaseId, CaseState, CaseSummary, Event, EventId, Petition, Timestamp, UnitProfile,
};
use crate::exchange::backup::Restored;
use crate::exchange::card::TrustedUnit;
use crate::exchange::citizen::submission::{submission_events, ReceivedSubmission};
use crate::exchange::{BundleError, Identity};

const PROFILE_KEY: &str = "profile";
const CALENDAR_KEY: &str = "calendar";
const SENSITIVE_KEY: &str = "sensitive_dates";
const IDENTITY_KEY: &str = "identity";
const DIRECTORY_KEY: &str = "directory";
const BACKUP_KEY: &str = "last_backup";

const ROWS_VERSION_KEY: &str = "rows_version";
/// How many list rows `cases` holds, kept in step by every write that adds or removes
/// one, in the same transaction: Chromium counts a store by walking every record (over
/// half a second at 100,000 cases), and the first page of a cold start needs the total.
const CASE_COUNT_KEY: &str = "case_count";

/// An open database.
pub struct Store {
    db: Database,
    /// Every list row in memory once first needed, kept in step with every write here.
    index: RefCell<Option<CaseIndex>>,
    /// True while the rows are being loaded.
    loading: Cell<bool>,
    /// Rows written while loading, applied once the load is done.
    pending: RefCell<Vec<CaseSummary>>,
    /// List pages being read from the database (see [`Store::listing`]).
    listing: Cell<usize>,
}

/// Counts a list read in flight for as long as it lives.
struct Listing<'a>(&'a Cell<usize>);

impl<'a> Listing<'a> {
    fn new(n: &'a Cell<usize>) -> Listing<'a> {
        n.set(n.get() + 1);
        Listing(n)
    }
}

impl Drop for Listing<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// Rows read per chunk when loading the index.
const INDEX_CHUNK: u32 = 5_000;

/// Yields to the browser (a macrotask), so input and painting go on between chunks.
async fn pause() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        if let Ok(set_timeout) = Reflect::get(&global, &"setTimeout".into()) {
            if let Ok(f) = set_timeout.dyn_into::<js_sys::Function>() {
                let _ = f.call1(&global, &resolve);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn record(fields: &[(&str, JsValue)]) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    for (k, v) in fields {
        Reflect::set(&obj, &JsValue::from_str(k), v)?;
    }
    Ok(obj.into())
}

/// Keeps a number in `meta` under `key`, inside the caller's transaction (counters,
/// versions and the case count are plain numbers, not JSON).
async fn put_number(
    meta: &indexed_db_futures::object_store::ObjectStore<'_>,
    key: &str,
    n: f64,
) -> Result<(), StoreError> {
    meta.put(JsValue::from_f64(n))
        .with_key(key)
        .without_key_type()
        .await?;
    Ok(())
}

fn json_of(record: &JsValue) -> Result<String, StoreError> {
    Reflect::get(record, &JsValue::from_str("json"))?
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("记录缺少内容".into()))
}

fn event_record(e: &Event) -> Result<JsValue, StoreError> {
    record(&[
        ("id", e.id.as_str().into()),
        ("case_id", e.case_id.as_str().into()),
        ("at", JsValue::from_f64(e.at.0 as f64)),
        ("json", serde_json::to_string(e)?.into()),
    ])
}

fn summary_record(s: &CaseSummary) -> Result<JsValue, StoreError> {
    record(&[
        ("id", s.id.as_str().into()),
        ("registered_at", JsValue::from_f64(s.registered_at.0 as f64)),
        ("json", serde_json::to_string(s)?.into()),
    ])
}

impl Store {
    /// Opens (creating or upgrading) the database `name` at the current schema version.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        Self::open_at(name, DB_VERSION).await
    }

    /// Opens `name` migrated only up to `version`: how tests make an old database.
    #[doc(hidden)]
    pub async fn open_at(name: &str, version: u32) -> Result<Store, StoreError> {
        let db = schema::open(name, version).await?;
        let store = Store {
            db,
            index: RefCell::new(None),
            loading: Cell::new(false),
            pending: RefCell::new(Vec::new()),
            listing: Cell::new(0),
        };
        store.derive_if_missing().await?;
        Ok(store)
    }

    /// Makes the derived records this version reads: the list rows when this version
    /// derives them differently, and the case count when the database predates it.
    async fn derive_if_missing(&self) -> Result<(), StoreError> {
        // Checked in a read-only transaction: a write lock over every case at each start
        // would hold up the first page of a large database.
        let (rows_version, count) = {
            let tx = self.db.transaction(META).build()?;
            let meta = tx.object_store(META)?;
            let v: Option<f64> = meta.get(ROWS_VERSION_KEY).await?;
            let n: Option<f64> = meta.get(CASE_COUNT_KEY).await?;
            (v, n)
        };
        if rows_version.is_none_or(|v| (v as u32) < ROWS_VERSION) {
            return self.rebuild_rows().await;
        }
        if count.is_none() {
            let tx = self.rw(&[CASES, META])?;
            let n = tx.object_store(CASES)?.count().await?;
            Self::set_case_count(&tx, f64::from(n)).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Writes the case count inside the caller's transaction.
    async fn set_case_count(tx: &Transaction<'_>, n: f64) -> Result<(), StoreError> {
        put_number(&tx.object_store(META)?, CASE_COUNT_KEY, n).await
    }

    /// Adds `new` cases to the count inside the caller's transaction (which holds `meta`).
    async fn count_new_cases(tx: &Transaction<'_>, new: usize) -> Result<(), StoreError> {
        if new == 0 {
            return Ok(());
        }
        let held: Option<f64> = tx.object_store(META)?.get(CASE_COUNT_KEY).await?;
        Self::set_case_count(tx, held.unwrap_or(0.0) + new as f64).await
    }

    /// List rows are derived from the events; when this version derives them
    /// differently ([`ROWS_VERSION`]), every row is rebuilt from the events, in one
    /// transaction, before anything reads them, and the case count with them.
    async fn rebuild_rows(&self) -> Result<(), StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        let meta = tx.object_store(META)?;
        let calendar: WorkCalendar = match meta.get::<String, _, _>(CALENDAR_KEY).await? {
            Some(json) => serde_json::from_str(&json)?,
            None => WorkCalendar::official(),
        };
        let mut by_case: BTreeMap<CaseId, Vec<Event>> = BTreeMap::new();
        for r in tx.object_store(EVENTS)?.get_all::<JsValue>().await? {
            let e: Event = serde_json::from_str(&json_of(&r?)?)?;
            by_case.entry(e.case_id.clone()).or_default().push(e);
        }
        let rows = tx.object_store(CASES)?;
        for log in by_case.values() {
            drop(
                rows.put(summary_record(&CaseSummary::of(&fold(log)?, &calendar))?)
                    .primitive()?,
            );
        }
        put_number(&meta, ROWS_VERSION_KEY, f64::from(ROWS_VERSION)).await?;
        let n = rows.count().await?;
        Self::set_case_count(&tx, f64::from(n)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// True while a list page is read from the database: loading every row beside it
    /// would only slow the first page a person is waiting for.
    pub fn listing(&self) -> bool {
        self.listing.get() > 0
    }

    /// Loads every list row into memory, once, in chunks with a pause between them so
    /// the page keeps answering while a county's cases load.
    pub async fn load_index(&self) -> Result<(), StoreError> {
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
        let mut rows = loaded?;
        // Writes committed while loading are applied on top.
        rows.append(&mut self.pending.take());
        let index = CaseIndex::new(rows);
        let loaded = index.len();
        *self.index.borrow_mut() = Some(index);
        // The rows are loaded whatever the recount does: a disk too full to write the
        // corrected count must not stop a search; the next start tries again.
        let _ = self.heal_case_count(loaded).await;
        Ok(())
    }

    /// Recounts the cases if the kept count disagrees with the rows just loaded: a tab
    /// still running a version from before the count writes cases without counting them.
    async fn heal_case_count(&self, loaded: usize) -> Result<(), StoreError> {
        let kept: Option<f64> = {
            let tx = self.db.transaction(META).build()?;
            tx.object_store(META)?.get(CASE_COUNT_KEY).await?
        };
        if kept.is_some_and(|n| n as usize == loaded) {
            return Ok(());
        }
        let tx = self.rw(&[CASES, META])?;
        let n = tx.object_store(CASES)?.count().await?;
        Self::set_case_count(&tx, f64::from(n)).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn read_rows_in_chunks(&self) -> Result<Vec<CaseSummary>, StoreError> {
        let mut rows: Vec<CaseSummary> = Vec::new();
        // Chunks follow the primary key (the case id, unique), so none is read twice or
        // skipped; the index sorts the rows by registration.
        let mut after: Option<String> = None;
        loop {
            let tx = self.db.transaction(CASES).build()?;
            let store = tx.object_store(CASES)?;
            let chunk: Vec<JsValue> = match after.take() {
                None => store.get_all().with_limit(INDEX_CHUNK).await?,
                Some(id) => {
                    store
                        .get_all()
                        .with_query::<JsValue, _>(KeyRange::LowerBound(
                            JsValue::from_str(&id),
                            true,
                        ))
                        .with_limit(INDEX_CHUNK)
                        .await?
                }
            }
            .collect::<Result<_, _>>()?;
            drop(store);
            drop(tx);
            let full = chunk.len() == INDEX_CHUNK as usize;
            for r in &chunk {
                rows.push(serde_json::from_str::<CaseSummary>(&json_of(r)?)?);
            }
            match rows.last() {
                Some(last) if full => after = Some(last.id.to_string()),
                _ => return Ok(rows),
            }
            pause().await;
        }
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
    fn remember(&self, rows: Vec<CaseSummary>) {
        if let Some(index) = self.index.borrow_mut().as_mut() {
            index.upsert_all(rows);
        } else if self.loading.get() {
            self.pending.borrow_mut().extend(rows);
        }
    }

    /// Drops the in-memory rows (after a write that replaces many); they reload when next needed.
    fn forget(&self) {
        *self.index.borrow_mut() = None;
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

    /// A JSON value kept in `meta`, if present.
    async fn get_meta<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let tx = self.db.transaction(META).build()?;
        let json: Option<String> = tx.object_store(META)?.get(key).await?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    /// Keeps a JSON value in `meta`.
    async fn put_meta<T: serde::Serialize + ?Sized>(
        &self,
        key: &str,
        value: &T,
    ) -> Result<(), StoreError> {
        let tx = self.rw(&[META])?;
        tx.object_store(META)?
            .put(serde_json::to_string(value)?)
            .with_key(key)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The unit profile, if set up.
    pub async fn profile(&self) -> Result<Option<UnitProfile>, StoreError> {
        self.get_meta(PROFILE_KEY).await
    }

    /// Saves the unit profile.
    pub async fn save_profile(&self, profile: &UnitProfile) -> Result<(), StoreError> {
        self.put_meta(PROFILE_KEY, profile).await
    }

    /// Registers a new case: takes the next case number of the unit and year, writes
    /// the registration event, the list row and the counter, and drops the form draft,
    /// all in one transaction.
    pub async fn register(
        &self,
        calendar: &WorkCalendar,
        profile: &UnitProfile,
        petition: Petition,
        at: Timestamp,
        (case_id, event_id): (CaseId, EventId),
        draft_key: Option<&str>,
    ) -> Result<CaseState, StoreError> {
        let tx = self.write_tx(&[EVENTS, CASES, META], draft_key)?;
        let number = Self::take_number(&tx, profile, at).await?;
        let event = register(event_id, case_id, profile.actor(), at, &number, petition);
        let state = fold(std::slice::from_ref(&event))?;
        let row = Self::write_case(&tx, &event, &state, calendar).await?;
        Self::count_new_cases(&tx, 1).await?;
        Self::drop_draft(&tx, draft_key).await?;
        tx.commit().await?;
        self.remember(vec![row]);
        Ok(state)
    }

    /// Takes the next case number of the unit and year, inside the caller's transaction
    /// (so a failed write gives the number back).
    async fn take_number(
        tx: &Transaction<'_>,
        profile: &UnitProfile,
        at: Timestamp,
    ) -> Result<CaseNumber, StoreError> {
        let meta = tx.object_store(META)?;
        let year = CaseNumber::year_of(at);
        let counter = CaseNumber::counter_key(&profile.code, year);
        let last: Option<f64> = meta.get(counter.as_str()).await?;
        let number = CaseNumber::next(&profile.code, year, last.map(|n| n as u32));
        put_number(&meta, &counter, f64::from(number.seq)).await?;
        Ok(number)
    }

    /// Registers a citizen's online submission as a 网上 case, with the link to the
    /// submission (查询码, the citizen's key, attachments), in one transaction. A
    /// submission already imported is refused with the case it became.
    pub async fn register_submission(
        &self,
        calendar: &WorkCalendar,
        profile: &UnitProfile,
        received: &ReceivedSubmission,
        petition: Petition,
        at: Timestamp,
        (case_id, event_id, link_id): (CaseId, EventId, EventId),
    ) -> Result<CaseState, StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        let seen_key = format!("qc:{}", received.query_code);
        let seen: Option<String> = tx.object_store(META)?.get(seen_key.as_str()).await?;
        if let Some(case_no) = seen {
            return Err(StoreError::AlreadyImported(case_no));
        }
        let number = Self::take_number(&tx, profile, at).await?;
        let registration = register(event_id, case_id, profile.actor(), at, &number, petition);
        let [registration, link] = submission_events(received, registration, link_id);
        let state = fold(&[registration.clone(), link.clone()])?;
        tx.object_store(META)?
            .put(number.to_string())
            .with_key(seen_key.as_str())
            .await?;
        let row = Self::write_case(&tx, &registration, &state, calendar).await?;
        Self::count_new_cases(&tx, 1).await?;
        tx.object_store(EVENTS)?
            .add(event_record(&link)?)
            .without_key_type()
            .await?;
        tx.commit().await?;
        self.remember(vec![row]);
        Ok(state)
    }

    /// Appends an event to an existing case and refreshes its list row, in one
    /// transaction. An event already stored (same id) changes nothing.
    pub async fn append(
        &self,
        calendar: &WorkCalendar,
        event: Event,
        draft_key: Option<&str>,
    ) -> Result<CaseState, StoreError> {
        let mut states = self.append_all(calendar, vec![event], draft_key).await?;
        states
            .pop()
            .ok_or_else(|| StoreError::Corrupt("没有写入任何事件".into()))
    }

    /// Appends events to existing cases (several cases may be touched), refreshing each
    /// list row, all in one transaction: either every new event is stored or none.
    /// Events already stored change nothing. Returns each event's case state after it.
    pub async fn append_all(
        &self,
        calendar: &WorkCalendar,
        events: Vec<Event>,
        draft_key: Option<&str>,
    ) -> Result<Vec<CaseState>, StoreError> {
        let tx = self.write_tx(&[EVENTS, CASES], draft_key)?;
        let mut states = Vec::with_capacity(events.len());
        let mut rows = Vec::new();
        for event in events {
            let mut log = Self::read_events(&tx.object_store(EVENTS)?, &event.case_id).await?;
            if log.is_empty() {
                return Err(StoreError::Corrupt(format!(
                    "案件 {} 不存在",
                    event.case_id
                )));
            }
            let known = log.iter().any(|e| e.id == event.id);
            if !known {
                log.push(event.clone());
            }
            let state = fold(&log)?;
            if !known {
                rows.push(Self::write_case(&tx, &event, &state, calendar).await?);
            }
            states.push(state);
        }
        Self::drop_draft(&tx, draft_key).await?;
        tx.commit().await?;
        self.remember(rows);
        Ok(states)
    }

    /// A read-write transaction with strict durability: the browser reports it done only
    /// once the data is on disk, so a crash or power cut right after cannot lose it.
    fn rw(&self, stores: &[&str]) -> Result<Transaction<'_>, StoreError> {
        let strict = TransactionOptions::new().with_durability(TransactionDurability::Strict);
        Ok(self
            .db
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict)
            .build()?)
    }

    /// A read-write transaction over `stores`, plus the drafts store when a draft is to go.
    fn write_tx(
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

    /// Writes a new event and the case's refreshed list row.
    async fn write_case(
        tx: &Transaction<'_>,
        event: &Event,
        state: &CaseState,
        calendar: &WorkCalendar,
    ) -> Result<CaseSummary, StoreError> {
        let row = CaseSummary::of(state, calendar);
        tx.object_store(CASES)?
            .put(summary_record(&row)?)
            .without_key_type()
            .await?;
        // `add`, not `put`: an event is never overwritten; a clash aborts the whole write.
        tx.object_store(EVENTS)?
            .add(event_record(event)?)
            .without_key_type()
            .await?;
        Ok(row)
    }

    async fn drop_draft(tx: &Transaction<'_>, draft_key: Option<&str>) -> Result<(), StoreError> {
        if let Some(key) = draft_key {
            tx.object_store(DRAFTS)?.delete(key).await?;
        }
        Ok(())
    }

    async fn read_events(
        store: &indexed_db_futures::object_store::ObjectStore<'_>,
        case_id: &CaseId,
    ) -> Result<Vec<Event>, StoreError> {
        let rows = store
            .index(EVENTS_BY_CASE)?
            .get_all::<JsValue>()
            .with_query::<&str, _>(case_id.as_str())
            .await?;
        rows.map(|r| Ok(serde_json::from_str(&json_of(&r?)?)?))
            .collect()
    }

    /// A case's current state, folded from its events; `None` if unknown here.
    pub async fn case(&self, id: &CaseId) -> Result<Option<CaseState>, StoreError> {
        let tx = self.db.transaction(EVENTS).build()?;
        let events = Self::read_events(&tx.object_store(EVENTS)?, id).await?;
        if events.is_empty() {
            return Ok(None);
        }
        Ok(Some(fold(&events)?))
    }

    /// One page of the case list, newest first. Without filters only the rows of the
    /// page are read (a cold start does not wait for every row); with filters the
    /// in-memory rows answer.
    pub async fn list(
        &self,
        filter: &CaseFilter,
        page: usize,
        page_size: usize,
    ) -> Result<Page<CaseSummary>, StoreError> {
        let tx = self.db.transaction([CASES, META]).build()?;
        let cases = tx.object_store(CASES)?;
        let index = cases.index(CASES_BY_REGISTERED)?;
        if filter.is_empty() {
            let _listing = Listing::new(&self.listing);
            let kept: Option<f64> = tx.object_store(META)?.get(CASE_COUNT_KEY).await?;
            let total = match kept {
                Some(n) => n as usize,
                None => cases.count().await? as usize,
            };
            let items = Self::newest_rows(&index, page * page_size, page_size).await?;
            return Ok(Page {
                items,
                total,
                page,
                page_size,
            });
        }
        drop(tx);
        self.with_index(|index| index.page(filter, page, page_size))
            .await
    }

    /// `n` list rows, newest first, after skipping `skip`.
    async fn newest_rows(
        index: &indexed_db_futures::index::Index<'_>,
        skip: usize,
        n: usize,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let mut items = Vec::new();
        if let Some(mut cursor) = index
            .open_cursor()
            .with_direction(CursorDirection::Prev)
            .await?
        {
            if skip > 0 {
                cursor.advance_by(skip as u32).await?;
            }
            while items.len() < n {
                match cursor.next_record::<JsValue>().await? {
                    Some(r) => items.push(serde_json::from_str(&json_of(&r)?)?),
                    None => break,
                }
            }
        }
        Ok(items)
    }

    /// The working-day calendar: the user's, or the shipped one until edited.
    pub async fn calendar(&self) -> Result<WorkCalendar, StoreError> {
        Ok(self
            .get_meta(CALENDAR_KEY)
            .await?
            .unwrap_or_else(WorkCalendar::official))
    }

    /// The unit's sensitive dates (early warning), none until listed.
    pub async fn sensitive_dates(&self) -> Result<Vec<SensitiveDate>, StoreError> {
        Ok(self.get_meta(SENSITIVE_KEY).await?.unwrap_or_default())
    }

    /// Replaces the unit's sensitive dates.
    pub async fn save_sensitive_dates(&self, dates: &[SensitiveDate]) -> Result<(), StoreError> {
        self.put_meta(SENSITIVE_KEY, dates).await
    }

    /// Saves the calendar and recomputes every open case's deadlines with it, in one
    /// transaction.
    pub async fn save_calendar(&self, calendar: &WorkCalendar) -> Result<(), StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        tx.object_store(META)?
            .put(serde_json::to_string(calendar)?)
            .with_key(CALENDAR_KEY)
            .await?;
        let cases = tx.object_store(CASES)?;
        let events = tx.object_store(EVENTS)?;
        let mut changed = Vec::new();
        for row in cases.get_all::<JsValue>().await? {
            let summary: CaseSummary = serde_json::from_str(&json_of(&row?)?)?;
            if summary.stage.is_finished() {
                continue;
            }
            let state = fold(&Self::read_events(&events, &summary.id).await?)?;
            let row = CaseSummary::of(&state, calendar);
            cases.put(summary_record(&row)?).without_key_type().await?;
            changed.push(row);
        }
        tx.commit().await?;
        self.remember(changed);
        Ok(())
    }

    /// The list rows of every case still open here, for the workbench.
    pub async fn open_cases(&self) -> Result<Vec<CaseSummary>, StoreError> {
        self.rows_where(|s| !s.stage.is_finished()).await
    }

    /// The list rows that satisfy `keep`, in registration order.
    pub async fn rows_where(
        &self,
        keep: impl Fn(&CaseSummary) -> bool,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        self.with_index(|index| index.rows_where(keep)).await
    }

    /// This unit's signing identity, made (from `seed`) and saved on first use.
    pub async fn identity_or_create(&self, seed: [u8; 32]) -> Result<Identity, StoreError> {
        let tx = self.rw(&[META])?;
        let meta = tx.object_store(META)?;
        let saved: Option<String> = meta.get(IDENTITY_KEY).await?;
        let identity = match saved.as_deref().and_then(Identity::from_seed_base64) {
            Some(i) => i,
            None => {
                let i = Identity::from_seed(seed);
                meta.put(i.seed_base64()).with_key(IDENTITY_KEY).await?;
                i
            }
        };
        tx.commit().await?;
        Ok(identity)
    }

    /// The units this unit trusts (including revoked entries, marked as such).
    pub async fn directory(&self) -> Result<Vec<TrustedUnit>, StoreError> {
        Ok(self.get_meta(DIRECTORY_KEY).await?.unwrap_or_default())
    }

    /// Replaces the directory.
    pub async fn save_directory(&self, units: &[TrustedUnit]) -> Result<(), StoreError> {
        self.put_meta(DIRECTORY_KEY, units).await
    }

    /// The events held for each of `cases` (empty when a case is unknown here).
    pub async fn events_of(
        &self,
        cases: &[CaseId],
    ) -> Result<BTreeMap<CaseId, Vec<Event>>, StoreError> {
        let tx = self.db.transaction(EVENTS).build()?;
        Self::events_of_many(&tx, cases.iter()).await
    }

    /// The events held of those of `cases` this database holds (the others are left
    /// out): for a file's cases, most often new here. One read of the list rows' keys
    /// (every case with events has a row) spares a request per new case: 10,000 of them
    /// held the page for over half a second.
    pub async fn events_held_of(
        &self,
        cases: &[CaseId],
    ) -> Result<BTreeMap<CaseId, Vec<Event>>, StoreError> {
        let tx = self.db.transaction([EVENTS, CASES]).build()?;
        let held = Self::held_among(&tx, cases.iter()).await?;
        Self::events_of_many(&tx, held.into_iter()).await
    }

    /// Those of `cases` that have a list row here.
    async fn held_among<'c>(
        tx: &Transaction<'_>,
        cases: impl Iterator<Item = &'c CaseId>,
    ) -> Result<Vec<&'c CaseId>, StoreError> {
        let mut held = BTreeSet::new();
        for key in tx.object_store(CASES)?.get_all_keys::<JsValue>().await? {
            if let Some(k) = key?.as_string() {
                held.insert(k);
            }
        }
        Ok(cases.filter(|c| held.contains(c.as_str())).collect())
    }

    /// The events of many cases: every request is made at once, then the answers are
    /// collected in order, without a round trip per case.
    async fn events_of_many<'c>(
        tx: &Transaction<'_>,
        cases: impl Iterator<Item = &'c CaseId>,
    ) -> Result<BTreeMap<CaseId, Vec<Event>>, StoreError> {
        let events = tx.object_store(EVENTS)?;
        let by_case = events.index(EVENTS_BY_CASE)?;
        let mut asked = Vec::new();
        for id in cases {
            let request = by_case
                .get_all::<JsValue>()
                .with_query::<&str, _>(id.as_str())
                .primitive()?;
            asked.push((id, request));
        }
        let mut out = BTreeMap::new();
        for (id, request) in asked {
            let mut log = Vec::new();
            for r in request.await? {
                log.push(serde_json::from_str(&json_of(&r?)?)?);
            }
            out.insert(id.clone(), log);
        }
        Ok(out)
    }

    /// Imports events from a verified bundle in one transaction: held events are
    /// compared (a different content under the same id aborts everything), new ones
    /// are added and each touched case's list row is refreshed. Returns how many
    /// events were added; importing the same events again adds none. `step(done,
    /// total)` reports the writes as they complete; when it returns false the
    /// transaction is abandoned and nothing is stored.
    pub async fn import(
        &self,
        calendar: &WorkCalendar,
        incoming: &[Event],
        mut step: impl FnMut(usize, usize) -> bool,
    ) -> Result<usize, ImportError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        let events = tx.object_store(EVENTS).map_err(StoreError::from)?;
        let cases: BTreeSet<&CaseId> = incoming.iter().map(|e| &e.case_id).collect();
        let held = Self::held_among(&tx, cases.into_iter()).await?;
        let held_before = held.len();
        let mut local = Self::events_of_many(&tx, held.into_iter()).await?;
        let plan = crate::exchange::merge::plan(incoming, &local)?;
        let touched: BTreeSet<&CaseId> = plan.to_add.iter().map(|e| &e.case_id).collect();
        let total = plan.to_add.len() + touched.len();
        // Requests go out in steps; awaiting each step's last request (they complete in
        // order) lets the page show progress and hear 取消 while the transaction is open.
        for (n, chunk) in plan.to_add.chunks(IMPORT_STEP).enumerate() {
            let mut last = None;
            for e in chunk {
                // `add`: an id already held aborts the whole import.
                last = Some(
                    events
                        .add(event_record(e)?)
                        .primitive()
                        .map_err(StoreError::from)?,
                );
            }
            if let Some(request) = last {
                request.await.map_err(StoreError::from)?;
            }
            if !step(n * IMPORT_STEP + chunk.len(), total) {
                return Err(ImportError::Cancelled);
            }
        }
        for e in &plan.to_add {
            local.entry(e.case_id.clone()).or_default().push(e.clone());
        }
        let rows = tx.object_store(CASES).map_err(StoreError::from)?;
        let mut changed = Vec::new();
        for id in touched {
            let log = local.get(id).map(Vec::as_slice).unwrap_or_default();
            let row = CaseSummary::of(&fold(log).map_err(StoreError::from)?, calendar);
            drop(
                rows.put(summary_record(&row)?)
                    .primitive()
                    .map_err(StoreError::from)?,
            );
            changed.push(row);
        }
        // Every touched case has a row now; those held before had one already.
        Self::count_new_cases(&tx, local.len().saturating_sub(held_before)).await?;
        if !step(total, total) {
            return Err(ImportError::Cancelled);
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.remember(changed);
        Ok(plan.to_add.len())
    }

    /// Stores whole new cases (every event and the list row) in one transaction, and
    /// moves the case-number counters past them: for generated demo data. The requests
    /// are issued together and the commit awaited once, the way IndexedDB is fastest.
    pub async fn add_cases(
        &self,
        calendar: &WorkCalendar,
        cases: &[Vec<Event>],
    ) -> Result<(), StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        let written = Self::put_cases(&tx, calendar, cases)?;
        Self::count_new_cases(&tx, cases.len()).await?;
        let meta = tx.object_store(META)?;
        let all: Vec<Event> = cases
            .iter()
            .flat_map(|c| c.iter().take(1).cloned())
            .collect();
        for (key, seq) in crate::exchange::backup::counters(&all) {
            let stored: Option<f64> = meta.get(key.as_str()).await?;
            if stored.is_none_or(|n| (n as u32) < seq) {
                put_number(&meta, &key, f64::from(seq)).await?;
            }
        }
        tx.commit().await?;
        self.remember(written);
        Ok(())
    }

    /// Issues the writes of whole new cases (every event and the list row) without
    /// awaiting them; the caller commits and counts them. Returns the rows written.
    fn put_cases(
        tx: &Transaction<'_>,
        calendar: &WorkCalendar,
        cases: &[Vec<Event>],
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let (events, rows) = (tx.object_store(EVENTS)?, tx.object_store(CASES)?);
        let mut written = Vec::with_capacity(cases.len());
        for log in cases {
            for e in log {
                // `add`: a clash with a stored event aborts the whole batch.
                drop(events.add(event_record(e)?).primitive()?);
            }
            let row = CaseSummary::of(&fold(log)?, calendar);
            // `add`: a case already held aborts the batch, so the count stays exact.
            drop(rows.add(summary_record(&row)?).primitive()?);
            written.push(row);
        }
        Ok(written)
    }

    /// The id of every case held, in key order (for a backup, read volume by volume).
    pub async fn case_ids(&self) -> Result<Vec<CaseId>, StoreError> {
        let tx = self.db.transaction(CASES).build()?;
        let keys = tx.object_store(CASES)?.get_all_keys::<JsValue>().await?;
        let mut out = Vec::new();
        for k in keys {
            let k = k?.as_string().unwrap_or_default();
            out.push(
                CaseId::parse(&k).ok_or_else(|| StoreError::Corrupt(format!("案件编号 {k}")))?,
            );
        }
        Ok(out)
    }

    /// Deletes every case and event (the unit's settings stay): the demo database
    /// offers this to regenerate or cancel its generated cases, and an unfinished
    /// restore is undone with it.
    pub async fn delete_all_cases(&self) -> Result<(), StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        tx.object_store(EVENTS)?.clear()?.await?;
        tx.object_store(CASES)?.clear()?.await?;
        Self::set_case_count(&tx, 0.0).await?;
        tx.commit().await?;
        if let Some(index) = self.index.borrow_mut().as_mut() {
            index.clear();
        }
        Ok(())
    }

    /// Every event held, for a backup.
    pub async fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        let tx = self.db.transaction(EVENTS).build()?;
        let rows = tx.object_store(EVENTS)?.get_all::<JsValue>().await?;
        rows.map(|r| Ok(serde_json::from_str(&json_of(&r?)?)?))
            .collect()
    }

    /// How many events are held, if the rows are in memory: summed from them, with no
    /// count over the events store (400,000 records in a county, seconds to count).
    pub fn event_count_in_memory(&self) -> Option<u64> {
        self.index.borrow().as_ref().map(CaseIndex::event_total)
    }

    /// How many events are held.
    pub async fn event_count(&self) -> Result<u64, StoreError> {
        if let Some(n) = self.event_count_in_memory() {
            return Ok(n);
        }
        let tx = self.db.transaction(EVENTS).build()?;
        Ok(u64::from(tx.object_store(EVENTS)?.count().await?))
    }

    /// When the last backup was made and how many events it held.
    pub async fn last_backup(&self) -> Result<Option<(Timestamp, u64)>, StoreError> {
        self.get_meta(BACKUP_KEY).await
    }

    /// Records that a backup holding `events` events was made at `at`.
    pub async fn mark_backup(&self, at: Timestamp, events: u64) -> Result<(), StoreError> {
        self.put_meta(BACKUP_KEY, &(at, events)).await
    }

    /// Starts a restore: refused when this browser already has a unit; otherwise clears
    /// whatever an earlier, unfinished restore left behind.
    pub async fn restore_begin(&self) -> Result<(), StoreError> {
        if self.profile().await?.is_some() {
            return Err(StoreError::NotEmpty);
        }
        self.delete_all_cases().await
    }

    /// Stores one backup volume's cases, in one transaction.
    pub async fn restore_cases(
        &self,
        calendar: &WorkCalendar,
        cases: &[Vec<Event>],
    ) -> Result<(), StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        Self::put_cases(&tx, calendar, cases)?;
        Self::count_new_cases(&tx, cases.len()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a restore once every volume is stored: calendar, signing key, trusted units,
    /// sensitive dates, case-number counters, and last the profile, so a restore cut
    /// short never looks like a set-up unit.
    pub async fn restore_finish(&self, r: &Restored) -> Result<(), StoreError> {
        let tx = self.rw(&[META])?;
        let meta = tx.object_store(META)?;
        let existing: Option<String> = meta.get(PROFILE_KEY).await?;
        if existing.is_some() {
            return Err(StoreError::NotEmpty);
        }
        meta.put(serde_json::to_string(&r.calendar)?)
            .with_key(CALENDAR_KEY)
            .await?;
        meta.put(r.identity.seed_base64())
            .with_key(IDENTITY_KEY)
            .await?;
        meta.put(serde_json::to_string(&r.directory)?)
            .with_key(DIRECTORY_KEY)
            .await?;
        meta.put(serde_json::to_string(&r.sensitive_dates)?)
            .with_key(SENSITIVE_KEY)
            .await?;
        for (key, seq) in &r.counters {
            put_number(&meta, key, f64::from(*seq)).await?;
        }
        put_number(&meta, ROWS_VERSION_KEY, f64::from(ROWS_VERSION)).await?;
        meta.put(serde_json::to_string(&r.profile)?)
            .with_key(PROFILE_KEY)
            .await?;
        tx.commit().await?;
        self.forget();
        Ok(())
    }

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
}
