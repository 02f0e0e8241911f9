//! The working registers' entries (排查台账 …): one record per entry, `{ id, kind, json }`
//! with `json` the entry's events. A register holds hundreds of entries, not tens of
//! thousands, so an entry's events travel together and a change is one read and one
//! write in a single transaction, judged by the domain on what that transaction read.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use js_sys::{Object, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::connection::Store;
use super::error::StoreError;
use super::records::json_of;
use super::schema::{CASES, EVENTS, META, REGISTERS, REGISTERS_BY_KIND};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, CaseState};
use crate::domain::event::Event;
use crate::domain::ids::{CaseId, EntryId, EventId};
use crate::domain::petition::Petition;
use crate::domain::registers::EntryEvent;
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;

/// The stored form of an entry: key and kind as properties, the events as JSON.
fn entry_record<B: Serialize>(
    id: &EntryId,
    kind: &str,
    log: &[EntryEvent<B>],
) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    Reflect::set(&obj, &"id".into(), &id.as_str().into())?;
    Reflect::set(&obj, &"kind".into(), &kind.into())?;
    Reflect::set(&obj, &"json".into(), &serde_json::to_string(log)?.into())?;
    Ok(obj.into())
}

impl Store {
    /// Every entry of the register `kind`, each as its events.
    pub async fn entries<B: DeserializeOwned>(
        &self,
        kind: &str,
    ) -> Result<Vec<Vec<EntryEvent<B>>>, StoreError> {
        let tx = self.db.transaction(REGISTERS).build()?;
        let rows = tx
            .object_store(REGISTERS)?
            .index(REGISTERS_BY_KIND)?
            .get_all::<JsValue>()
            .with_query::<&str, _>(kind)
            .await?;
        rows.map(|r| Ok(serde_json::from_str(&json_of(&r?)?)?))
            .collect()
    }

    /// One entry's events (empty when unknown here).
    pub async fn entry<B: DeserializeOwned>(
        &self,
        id: &EntryId,
    ) -> Result<Vec<EntryEvent<B>>, StoreError> {
        let tx = self.db.transaction(REGISTERS).build()?;
        Self::read_entry(&tx, id).await
    }

    async fn read_entry<B: DeserializeOwned>(
        tx: &Transaction<'_>,
        id: &EntryId,
    ) -> Result<Vec<EntryEvent<B>>, StoreError> {
        let row: Option<JsValue> = tx.object_store(REGISTERS)?.get(id.as_str()).await?;
        match row {
            None => Ok(Vec::new()),
            Some(r) => Ok(serde_json::from_str(&json_of(&r)?)?),
        }
    }

    async fn write_entry<B: Serialize>(
        tx: &Transaction<'_>,
        id: &EntryId,
        kind: &str,
        log: &[EntryEvent<B>],
    ) -> Result<(), StoreError> {
        tx.object_store(REGISTERS)?
            .put(entry_record(id, kind, log)?)
            .without_key_type()
            .await?;
        Ok(())
    }

    /// Changes the entry `id` of `kind` (a new one when it has no events yet) by the
    /// event `make` builds from the events this transaction read, dropping the form draft
    /// `draft_key` with it. Returns the entry's events after; when `make` refuses,
    /// nothing is written. An event of an id already held changes nothing.
    pub async fn update_entry<B, E>(
        &self,
        kind: &str,
        id: &EntryId,
        draft_key: Option<&str>,
        make: impl FnOnce(&[EntryEvent<B>]) -> Result<EntryEvent<B>, E>,
    ) -> Result<Vec<EntryEvent<B>>, E>
    where
        B: Serialize + DeserializeOwned + Clone,
        E: From<StoreError>,
    {
        let tx = self.write_tx(&[REGISTERS], draft_key)?;
        let log: Vec<EntryEvent<B>> = Self::read_entry(&tx, id).await?;
        // A refusal drops the transaction uncommitted: it aborts.
        let event = make(&log)?;
        if event.entry != *id {
            return Err(StoreError::Corrupt("台账事件不属于该条目".into()).into());
        }
        let log = crate::domain::registers::with_event(&log, event);
        Self::write_entry(&tx, id, kind, &log).await?;
        Self::drop_draft(&tx, draft_key).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(log)
    }

    /// Registers a case linked to the entry `entry`, in one transaction: the next case
    /// number, the registration, then the two link events `link` builds from the entry's
    /// events and the new case (one on each), and the draft dropped. When `link` refuses
    /// (the entry became a case in another tab), nothing is stored and no number is used.
    #[allow(clippy::too_many_arguments)]
    pub async fn register_linked<B, E>(
        &self,
        calendar: &WorkCalendar,
        profile: &UnitProfile,
        petition: Petition,
        at: Timestamp,
        (case_id, event_id): (CaseId, EventId),
        draft_key: Option<&str>,
        (kind, entry): (&str, &EntryId),
        link: impl FnOnce(&[EntryEvent<B>], &CaseState) -> Result<(EntryEvent<B>, Event), E>,
    ) -> Result<(CaseState, Vec<EntryEvent<B>>), E>
    where
        B: Serialize + DeserializeOwned + Clone,
        E: From<StoreError>,
    {
        let tx = self.write_tx(&[EVENTS, CASES, META, REGISTERS], draft_key)?;
        let log: Vec<EntryEvent<B>> = Self::read_entry(&tx, entry).await?;
        let number = Self::take_number(&tx, profile, at).await?;
        let registration = register(event_id, case_id, profile.actor(), at, &number, petition);
        let state = fold(std::slice::from_ref(&registration)).map_err(StoreError::from)?;
        let (on_entry, on_case) = link(&log, &state)?;
        let state = fold(&[registration.clone(), on_case.clone()]).map_err(StoreError::from)?;
        Self::write_case(&tx, &registration, &state, calendar).await?;
        let row = Self::write_case(&tx, &on_case, &state, calendar).await?;
        Self::count_new_cases(&tx, 1).await?;
        let log = crate::domain::registers::with_event(&log, on_entry);
        Self::write_entry(&tx, entry, kind, &log).await?;
        Self::drop_draft(&tx, draft_key).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.remember(vec![row]);
        Ok((state, log))
    }

    /// Links an entry and a case already held, in one transaction: `link` builds the two
    /// events from what this transaction read of both.
    pub async fn link_entry<B, E>(
        &self,
        calendar: &WorkCalendar,
        (kind, entry): (&str, &EntryId),
        case: &CaseId,
        link: impl FnOnce(&[EntryEvent<B>], &CaseState) -> Result<(EntryEvent<B>, Event), E>,
    ) -> Result<(CaseState, Vec<EntryEvent<B>>), E>
    where
        B: Serialize + DeserializeOwned + Clone,
        E: From<StoreError>,
    {
        let tx = self.rw(&[EVENTS, CASES, REGISTERS])?;
        let log: Vec<EntryEvent<B>> = Self::read_entry(&tx, entry).await?;
        let events_store = tx.object_store(EVENTS).map_err(StoreError::from)?;
        let mut events = Self::read_events(&events_store, case).await?;
        if events.is_empty() {
            return Err(StoreError::Corrupt(format!("案件 {case} 不存在")).into());
        }
        let state = fold(&events).map_err(StoreError::from)?;
        let (on_entry, on_case) = link(&log, &state)?;
        events.push(on_case.clone());
        let state = fold(&events).map_err(StoreError::from)?;
        let row = Self::write_case(&tx, &on_case, &state, calendar).await?;
        let log = crate::domain::registers::with_event(&log, on_entry);
        Self::write_entry(&tx, entry, kind, &log).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.remember(vec![row]);
        Ok((state, log))
    }

    /// Stores whole entries of `kind` (generated demo data, a restore), replacing any of
    /// the same id, in one transaction.
    pub async fn put_entries<B: Serialize>(
        &self,
        kind: &str,
        entries: &[Vec<EntryEvent<B>>],
    ) -> Result<(), StoreError> {
        let tx = self.rw(&[REGISTERS])?;
        Self::put_entries_in(&tx, kind, entries)?;
        tx.commit().await?;
        Ok(())
    }

    /// Issues the writes of whole entries inside the caller's transaction (awaited by its
    /// commit).
    pub(super) fn put_entries_in<B: Serialize>(
        tx: &Transaction<'_>,
        kind: &str,
        entries: &[Vec<EntryEvent<B>>],
    ) -> Result<(), StoreError> {
        let store = tx.object_store(REGISTERS)?;
        for log in entries {
            let Some(first) = log.first() else { continue };
            drop(
                store
                    .put(entry_record(&first.entry, kind, log)?)
                    .primitive()?,
            );
        }
        Ok(())
    }

    /// Deletes every register entry (with the cases, when demo data is regenerated or an
    /// unfinished restore undone).
    pub(super) async fn clear_entries(tx: &Transaction<'_>) -> Result<(), StoreError> {
        tx.object_store(REGISTERS)?.clear()?.await?;
        Ok(())
    }
}
