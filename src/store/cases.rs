//! Cases: registering (with its number), appending events, reading a case, its list
//! rows and the events of many cases at once, and the kept case count.

use std::collections::{BTreeMap, BTreeSet};

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;

use super::cache::Listing;
use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_json, get_number, get_text, put_number, put_text, MetaKey};
use super::records::Arrived;
use super::schema::{CASES, LOGS, MEMBERS, META, ROWS};
use super::stored::{Log, Newest, HEAD_ROWS};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, CaseNumber, CaseState, Series};
use crate::domain::event::Event;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::index::CaseIndex;
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
    /// differently ([`ROWS_VERSION`]), every row is rebuilt from the logs, in one
    /// transaction, before anything reads them, and the head and case count with them.
    pub(super) async fn rebuild_rows(&self) -> Result<(), StoreError> {
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META])?;
        let meta = tx.object_store(META)?;
        let calendar = get_json(&meta, MetaKey::Calendar)
            .await?
            .unwrap_or_else(WorkCalendar::official);
        let (mut newest, mut n) = (Newest::default(), 0usize);
        Self::rewrite_rows(
            &tx,
            |_, log| Ok(Some(CaseSummary::of(&fold(&log.events)?, &calendar))),
            |row| {
                newest.offer(&row);
                n += 1;
            },
        )
        .await?;
        Self::put_head(&tx, newest).await?;
        put_number(&meta, MetaKey::RowsVersion, f64::from(ROWS_VERSION)).await?;
        Self::set_case_count(&tx, n as f64).await?;
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
        let tx = self.write_tx(&[CASES, LOGS, META], draft_key)?;
        let number = Self::take_number(&tx, profile, at).await?;
        Self::check_new(&tx, &case_id).await?;
        let event = register(event_id, case_id, profile.actor(), at, &number, petition);
        let log = Log::local(vec![event]);
        let state = fold(&log.events)?;
        let row = Self::write_case(&tx, &log, &state, calendar).await?;
        Self::merge_head(&tx, std::slice::from_ref(&row)).await?;
        Self::count_new_cases(&tx, 1).await?;
        Self::drop_draft(&tx, draft_key).await?;
        tx.commit().await?;
        self.remember(vec![row]);
        Ok(state)
    }

    /// Refuses a new case whose id is already held, inside the caller's transaction.
    pub(super) async fn check_new(tx: &Transaction<'_>, id: &CaseId) -> Result<(), StoreError> {
        match Self::read_log(tx, id).await? {
            Some(_) => Err(StoreError::Duplicate),
            None => Ok(()),
        }
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
        let tx = self.rw(&[CASES, LOGS, META])?;
        let seen_key = MetaKey::QueryCode(&received.query_code);
        let seen = get_text(&tx.object_store(META)?, seen_key).await?;
        if let Some(case_no) = seen {
            return Err(StoreError::AlreadyImported(case_no));
        }
        let number = Self::take_number(&tx, profile, at).await?;
        Self::check_new(&tx, &case_id).await?;
        let registration = register(event_id, case_id, profile.actor(), at, &number, petition);
        let log = Log::local(submission_events(received, registration, link_id).into());
        let state = fold(&log.events)?;
        put_text(&tx.object_store(META)?, seen_key, &number.to_string()).await?;
        let row = Self::write_case(&tx, &log, &state, calendar).await?;
        Self::merge_head(&tx, std::slice::from_ref(&row)).await?;
        Self::count_new_cases(&tx, 1).await?;
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
        let tx = self.write_tx(&[MEMBERS, LOGS, CASES, META], draft_key)?;
        let mut logs = Self::read_logs(&tx, events.iter().map(|e| &e.case_id)).await?;
        let mut states = Vec::with_capacity(events.len());
        let mut touched = BTreeSet::new();
        for event in events {
            let log = logs
                .get_mut(&event.case_id)
                .ok_or_else(|| StoreError::Corrupt(format!("案件 {} 不存在", event.case_id)))?;
            if !log.has(&event.id) {
                touched.insert(event.case_id.clone());
                log.events.push(event);
            }
            states.push(fold(&log.events)?);
        }
        let mut rows = Vec::new();
        for id in &touched {
            if let Some(log) = logs.get(id) {
                rows.push(Self::write_case(&tx, log, &fold(&log.events)?, calendar).await?);
            }
        }
        Self::merge_head(&tx, &rows).await?;
        Self::drop_draft(&tx, draft_key).await?;
        tx.commit().await?;
        self.remember(rows);
        Ok(states)
    }

    /// Writes a case changed on its own (its whole log and refreshed list row) into the
    /// journal; returns the row, for the caller to keep the head with.
    pub(super) async fn write_case(
        tx: &Transaction<'_>,
        log: &Log,
        state: &CaseState,
        calendar: &WorkCalendar,
    ) -> Result<CaseSummary, StoreError> {
        let row = CaseSummary::of(state, calendar);
        Self::journal_put(tx, &row, log)?;
        Ok(row)
    }

    /// A case's log as stored; `None` if unknown here: two requests sent together.
    pub(super) async fn read_log(
        tx: &Transaction<'_>,
        id: &CaseId,
    ) -> Result<Option<Log>, StoreError> {
        Ok(Self::read_logs(tx, [id]).await?.remove(id))
    }

    /// A case's current state, folded from its events; `None` if unknown here.
    pub async fn case(&self, id: &CaseId) -> Result<Option<CaseState>, StoreError> {
        Ok(self.case_held(id).await?.map(|(state, _)| state))
    }

    /// A case's current state and how each of its events that came in a file arrived,
    /// in one read; `None` if unknown here.
    pub async fn case_held(
        &self,
        id: &CaseId,
    ) -> Result<Option<(CaseState, BTreeMap<EventId, Arrived>)>, StoreError> {
        let tx = self.db.transaction([CASES, LOGS]).build()?;
        match Self::read_log(&tx, id).await? {
            Some(log) if !log.events.is_empty() => Ok(Some((fold(&log.events)?, log.arrived))),
            _ => Ok(None),
        }
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
        let tx = self.db.transaction([CASES, LOGS]).build()?;
        Ok(Self::read_log(&tx, id)
            .await?
            .map(|log| log.arrived)
            .unwrap_or_default())
    }

    /// One page of the case list, newest first. Without filters the first pages come
    /// from the head (a cold start reads two records, not every row); other pages and
    /// filtered lists from the in-memory rows.
    pub async fn list(
        &self,
        filter: &CaseFilter,
        page: usize,
        page_size: usize,
    ) -> Result<Page<CaseSummary>, StoreError> {
        if filter.is_empty() {
            let _listing = Listing::new(&self.listing);
            let tx = self.db.transaction(META).build()?;
            let meta = tx.object_store(META)?;
            let kept = get_number(&meta, MetaKey::CaseCount).await?;
            let mut head: Vec<CaseSummary> =
                get_json(&meta, MetaKey::Head).await?.unwrap_or_default();
            head.iter_mut().for_each(CaseSummary::fill_shared);
            drop(meta);
            drop(tx);
            let total = kept.map_or(head.len(), |n| n as usize);
            // A head short of full holds every case there is.
            if (page + 1) * page_size <= head.len() || head.len() < HEAD_ROWS {
                let items = head
                    .into_iter()
                    .skip(page * page_size)
                    .take(page_size)
                    .collect();
                return Ok(Page {
                    items,
                    total,
                    page,
                    page_size,
                });
            }
        }
        self.with_index(|index| index.page(filter, page, page_size))
            .await
    }

    /// The list rows of every case still open here, for the workbench.
    pub async fn open_cases(&self) -> Result<Vec<CaseSummary>, StoreError> {
        self.rows_where(|s| !s.stage.is_finished()).await
    }

    /// The cases passing `filter` (its search text included), in registration order.
    pub async fn ids_matching(&self, filter: &CaseFilter) -> Result<Vec<CaseId>, StoreError> {
        self.with_index(|index| index.matching(filter)).await
    }

    /// The list rows that satisfy `keep`, in registration order (their search text is
    /// held apart by the index: see [`Self::ids_matching`]).
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
        let tx = self.db.transaction([CASES, LOGS]).build()?;
        let mut held = Self::read_logs(&tx, cases).await?;
        Ok(cases
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    held.remove(id).map(|l| l.events).unwrap_or_default(),
                )
            })
            .collect())
    }

    /// The events held of those of `cases` this database holds (the others, most often
    /// a file's new cases, are left out).
    pub async fn events_held_of(
        &self,
        cases: &[CaseId],
    ) -> Result<BTreeMap<CaseId, Vec<Event>>, StoreError> {
        let tx = self.db.transaction([CASES, MEMBERS, LOGS]).build()?;
        let held = Self::held_among(&tx, cases.iter()).await?;
        Ok(Self::read_logs(&tx, held)
            .await?
            .into_iter()
            .map(|(id, log)| (id, log.events))
            .collect())
    }

    /// Those of `cases` held here. One read of every chunk's members (some 4 MB for a
    /// county) spares a request per new case: 10,000 of them held the page for half a
    /// second.
    pub(super) async fn held_among<'c>(
        tx: &Transaction<'_>,
        cases: impl Iterator<Item = &'c CaseId>,
    ) -> Result<Vec<&'c CaseId>, StoreError> {
        let held: BTreeSet<String> = Self::held_ids(tx).await?.into_iter().collect();
        Ok(cases.filter(|c| held.contains(c.as_str())).collect())
    }

    /// The id of every case held, chunk by chunk (a backup reads them volume by volume,
    /// each volume from a few chunks).
    pub async fn case_ids(&self) -> Result<Vec<CaseId>, StoreError> {
        let tx = self.db.transaction([CASES, MEMBERS]).build()?;
        Self::held_ids(&tx)
            .await?
            .into_iter()
            .map(|k| CaseId::parse(&k).ok_or_else(|| StoreError::Corrupt(format!("案件编号 {k}"))))
            .collect()
    }

    /// How many events are held (summed from the list rows in memory).
    pub async fn event_count(&self) -> Result<u64, StoreError> {
        self.with_index(CaseIndex::event_total).await
    }
}
