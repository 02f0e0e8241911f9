//! Cases: registering (with its number), appending events, reading a case, its list
//! rows and the events of many cases at once, and the kept case count.

use std::collections::{BTreeMap, BTreeSet};

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use wasm_bindgen::JsValue;

use super::cache::Listing;
use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_json, get_number, get_text, put_number, put_text, MetaKey};
use super::records::{arrived_of, event_record, json_of, summary_record, Arrived};
use super::schema::{CASES, CASES_BY_REGISTERED, EVENTS, EVENTS_BY_CASE, META};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, CaseNumber, CaseState, Series};
use crate::domain::event::Event;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::petition::Petition;
use crate::domain::search::{CaseFilter, CaseSummary, Page, ROWS_VERSION};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::exchange::citizen::submission::{submission_events, ReceivedSubmission};

impl Store {
    /// Writes the case count inside the caller's transaction.
    pub(super) async fn set_case_count(tx: &Transaction<'_>, n: f64) -> Result<(), StoreError> {
        put_number(&tx.object_store(META)?, MetaKey::CaseCount, n).await
    }

    /// Adds `new` cases to the count inside the caller's transaction (which holds `meta`).
    pub(super) async fn count_new_cases(
        tx: &Transaction<'_>,
        new: usize,
    ) -> Result<(), StoreError> {
        if new == 0 {
            return Ok(());
        }
        let held = get_number(&tx.object_store(META)?, MetaKey::CaseCount).await?;
        Self::set_case_count(tx, held.unwrap_or(0.0) + new as f64).await
    }

    /// List rows are derived from the events; when this version derives them
    /// differently ([`ROWS_VERSION`]), every row is rebuilt from the events, in one
    /// transaction, before anything reads them, and the case count with them.
    pub(super) async fn rebuild_rows(&self) -> Result<(), StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META])?;
        let meta = tx.object_store(META)?;
        let calendar = get_json(&meta, MetaKey::Calendar)
            .await?
            .unwrap_or_else(WorkCalendar::official);
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
        put_number(&meta, MetaKey::RowsVersion, f64::from(ROWS_VERSION)).await?;
        let n = rows.count().await?;
        Self::set_case_count(&tx, f64::from(n)).await?;
        tx.commit().await?;
        Ok(())
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
    pub(super) async fn take_number(
        tx: &Transaction<'_>,
        profile: &UnitProfile,
        at: Timestamp,
    ) -> Result<CaseNumber, StoreError> {
        let meta = tx.object_store(META)?;
        let year = CaseNumber::year_of(at);
        let series = Series {
            unit_code: profile.code.clone(),
            year,
        };
        let last = get_number(&meta, MetaKey::LastNumber(&series)).await?;
        let number = CaseNumber::next(&profile.code, year, last.map(|n| n as u32));
        put_number(&meta, MetaKey::LastNumber(&series), f64::from(number.seq)).await?;
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
        let seen_key = MetaKey::QueryCode(&received.query_code);
        let seen = get_text(&tx.object_store(META)?, seen_key).await?;
        if let Some(case_no) = seen {
            return Err(StoreError::AlreadyImported(case_no));
        }
        let number = Self::take_number(&tx, profile, at).await?;
        let registration = register(event_id, case_id, profile.actor(), at, &number, petition);
        let [registration, link] = submission_events(received, registration, link_id);
        let state = fold(&[registration.clone(), link.clone()])?;
        put_text(&tx.object_store(META)?, seen_key, &number.to_string()).await?;
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

    /// Writes a new event and the case's refreshed list row.
    pub(super) async fn write_case(
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

    pub(super) async fn read_events(
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

    /// The current states of `ids` held here, in the order given (unknown ones left
    /// out), read a few hundred cases per transaction: for the ledger export.
    pub async fn cases_of(&self, ids: &[CaseId]) -> Result<Vec<CaseState>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let mut held = self.events_of(chunk).await?;
            for id in chunk {
                match held.remove(id) {
                    Some(events) if !events.is_empty() => out.push(fold(&events)?),
                    _ => {}
                }
            }
        }
        Ok(out)
    }

    /// How each of a case's events that arrived in a file came, with the author's
    /// signature it carried (none for local ones).
    pub async fn provenance(&self, id: &CaseId) -> Result<BTreeMap<EventId, Arrived>, StoreError> {
        let tx = self.db.transaction(EVENTS).build()?;
        let rows = tx
            .object_store(EVENTS)?
            .index(EVENTS_BY_CASE)?
            .get_all::<JsValue>()
            .with_query::<&str, _>(id.as_str())
            .await?;
        let mut out = BTreeMap::new();
        for r in rows {
            let r = r?;
            if let Some(arrived) = arrived_of(&r) {
                let e: Event = serde_json::from_str(&json_of(&r)?)?;
                out.insert(e.id, arrived);
            }
        }
        Ok(out)
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
            let kept = get_number(&tx.object_store(META)?, MetaKey::CaseCount).await?;
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
    pub(super) async fn newest_rows(
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
    pub(super) async fn held_among<'c>(
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
    pub(super) async fn events_of_many<'c>(
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

    /// Every event held, for a backup.
    pub async fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        let tx = self.db.transaction(EVENTS).build()?;
        let rows = tx.object_store(EVENTS)?.get_all::<JsValue>().await?;
        rows.map(|r| Ok(serde_json::from_str(&json_of(&r?)?)?))
            .collect()
    }

    /// How many events are held.
    pub async fn event_count(&self) -> Result<u64, StoreError> {
        if let Some(n) = self.event_count_in_memory() {
            return Ok(n);
        }
        let tx = self.db.transaction(EVENTS).build()?;
        Ok(u64::from(tx.object_store(EVENTS)?.count().await?))
    }
}
