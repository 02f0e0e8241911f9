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
use super::meta::{get_json, MetaKey};
use super::records::{json_of, json_property, Arrived};
use super::schema::{CASES, LOGS, META, REGISTERS, REGISTERS_BY_KIND};
use super::stored::Log;
use std::collections::{BTreeMap, BTreeSet};

use crate::domain::authorship::Via;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, CaseState};
use crate::domain::event::Event;
use crate::domain::ids::{CaseId, EntryId, EventId};
use crate::domain::petition::Petition;
use crate::domain::registers::EntryEvent;
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::exchange::card::TrustedUnit;
use crate::exchange::wire::EventSignature;

/// How the events of an entry that came in files arrived, by event id (the row's
/// `arrived` property, JSON; absent while every event is local).
pub type Arrivals = BTreeMap<EventId, Arrived>;

/// The stored form of an entry: key and kind as properties, the events as JSON, and how
/// those that came in files arrived.
fn entry_record<B: Serialize>(
    id: &EntryId,
    kind: &str,
    log: &[EntryEvent<B>],
    arrived: &Arrivals,
) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    Reflect::set(&obj, &"id".into(), &id.as_str().into())?;
    Reflect::set(&obj, &"kind".into(), &kind.into())?;
    Reflect::set(&obj, &"json".into(), &serde_json::to_string(log)?.into())?;
    if !arrived.is_empty() {
        Reflect::set(
            &obj,
            &"arrived".into(),
            &serde_json::to_string(arrived)?.into(),
        )?;
    }
    Ok(obj.into())
}

/// An entry as held: its events and how those that came in files arrived.
struct Held<B> {
    kind: Option<String>,
    log: Vec<EntryEvent<B>>,
    arrived: Arrivals,
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
        Ok(Self::read_held(tx, id).await?.log)
    }

    async fn read_held<B: DeserializeOwned>(
        tx: &Transaction<'_>,
        id: &EntryId,
    ) -> Result<Held<B>, StoreError> {
        let row: Option<JsValue> = tx.object_store(REGISTERS)?.get(id.as_str()).await?;
        match row {
            None => Ok(Held {
                kind: None,
                log: Vec::new(),
                arrived: Arrivals::new(),
            }),
            Some(r) => Ok(Held {
                kind: Reflect::get(&r, &"kind".into())?.as_string(),
                log: serde_json::from_str(&json_of(&r)?)?,
                arrived: json_property(&r, "arrived").unwrap_or_default(),
            }),
        }
    }

    /// Writes an entry's events, keeping how those that came in files arrived.
    async fn write_entry<B: Serialize>(
        tx: &Transaction<'_>,
        id: &EntryId,
        kind: &str,
        log: &[EntryEvent<B>],
    ) -> Result<(), StoreError> {
        let arrived = Self::read_held::<serde::de::IgnoredAny>(tx, id)
            .await
            .map(|h| h.arrived)
            .unwrap_or_default();
        Self::put_entry(tx, id, kind, log, &arrived).await
    }

    async fn put_entry<B: Serialize>(
        tx: &Transaction<'_>,
        id: &EntryId,
        kind: &str,
        log: &[EntryEvent<B>],
        arrived: &Arrivals,
    ) -> Result<(), StoreError> {
        tx.object_store(REGISTERS)?
            .put(entry_record(id, kind, log, arrived)?)
            .without_key_type()
            .await?;
        Ok(())
    }

    /// The events held here of the entries `ids` of `kind` (those not held: absent). An
    /// id held for an entry of another register is refused: a file naming it is forged.
    pub async fn entries_held<B: DeserializeOwned>(
        &self,
        kind: &str,
        ids: &[EntryId],
    ) -> Result<BTreeMap<EntryId, Vec<EntryEvent<B>>>, StoreError> {
        let tx = self.db.transaction(REGISTERS).build()?;
        let mut out = BTreeMap::new();
        for id in ids {
            let held = Self::read_held(&tx, id).await?;
            match held.kind.as_deref() {
                None => {}
                Some(k) if k == kind => {
                    out.insert(id.clone(), held.log);
                }
                Some(_) => return Err(StoreError::Duplicate),
            }
        }
        Ok(out)
    }

    /// How the events of entry `id` that came in files arrived.
    pub async fn entry_arrivals(&self, id: &EntryId) -> Result<Arrivals, StoreError> {
        let tx = self.db.transaction(REGISTERS).build()?;
        Ok(Self::read_held::<serde::de::IgnoredAny>(&tx, id)
            .await?
            .arrived)
    }

    /// Imports entries' events from a verified file in one transaction: `plan` is asked,
    /// with the trust directory and the held events of the entries `ids` as this
    /// transaction reads them, which events to add (a refusal stores nothing); each is
    /// stored with `via` and the author's signature it carried. Returns how many were
    /// added: importing the same file again adds none.
    pub async fn import_entries<B, E>(
        &self,
        kind: &str,
        ids: &[EntryId],
        via: &Via,
        signatures: &BTreeMap<EventId, EventSignature>,
        plan: impl FnOnce(
            &[TrustedUnit],
            &BTreeMap<EntryId, Vec<EntryEvent<B>>>,
        ) -> Result<Vec<EntryEvent<B>>, E>,
    ) -> Result<usize, E>
    where
        B: Serialize + DeserializeOwned + Clone,
        E: From<StoreError>,
    {
        let tx = self.rw(&[REGISTERS, META])?;
        let directory: Vec<TrustedUnit> = get_json(
            &tx.object_store(META).map_err(StoreError::from)?,
            MetaKey::Directory,
        )
        .await?
        .unwrap_or_default();
        let mut held: BTreeMap<EntryId, Held<B>> = BTreeMap::new();
        for id in ids {
            let h = Self::read_held(&tx, id).await?;
            if h.kind.as_deref().is_some_and(|k| k != kind) {
                return Err(StoreError::Duplicate.into());
            }
            held.insert(id.clone(), h);
        }
        let logs: BTreeMap<EntryId, Vec<EntryEvent<B>>> = held
            .iter()
            .filter(|(_, h)| !h.log.is_empty())
            .map(|(id, h)| (id.clone(), h.log.clone()))
            .collect();
        let to_add = plan(&directory, &logs)?;
        for e in &to_add {
            let Some(h) = held.get_mut(&e.entry) else {
                return Err(StoreError::Corrupt("导入的台账事件不属于文件中的事项".into()).into());
            };
            h.log = crate::domain::registers::with_event(&h.log, e.clone());
            h.arrived.insert(
                e.id.clone(),
                Arrived {
                    via: via.clone(),
                    signature: signatures.get(&e.id).cloned(),
                },
            );
        }
        let touched: BTreeSet<&EntryId> = to_add.iter().map(|e| &e.entry).collect();
        for id in touched {
            if let Some(h) = held.get(id) {
                Self::put_entry(&tx, id, kind, &h.log, &h.arrived).await?;
            }
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(to_add.len())
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
        let tx = self.write_tx(&[CASES, LOGS, META, REGISTERS], draft_key)?;
        let log: Vec<EntryEvent<B>> = Self::read_entry(&tx, entry).await?;
        let number = Self::take_number(&tx, profile, at).await?;
        Self::check_new(&tx, &case_id).await?;
        let registration = register(event_id, case_id, profile.actor(), at, &number, petition);
        let state = fold(std::slice::from_ref(&registration)).map_err(StoreError::from)?;
        let (on_entry, on_case) = link(&log, &state)?;
        let events = Log::local(vec![registration, on_case]);
        let state = fold(&events.events).map_err(StoreError::from)?;
        let row = Self::write_case(&tx, &events, &state, calendar).await?;
        Self::merge_head(&tx, std::slice::from_ref(&row)).await?;
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
        let tx = self.rw(&[CASES, LOGS, META, REGISTERS])?;
        let log: Vec<EntryEvent<B>> = Self::read_entry(&tx, entry).await?;
        let mut events = match Self::read_log(&tx, case).await? {
            Some(events) if !events.events.is_empty() => events,
            _ => return Err(StoreError::Corrupt(format!("案件 {case} 不存在")).into()),
        };
        let state = fold(&events.events).map_err(StoreError::from)?;
        let (on_entry, on_case) = link(&log, &state)?;
        events.events.push(on_case);
        let state = fold(&events.events).map_err(StoreError::from)?;
        let row = Self::write_case(&tx, &events, &state, calendar).await?;
        Self::merge_head(&tx, std::slice::from_ref(&row)).await?;
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
                    .put(entry_record(&first.entry, kind, log, &Arrivals::new())?)
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
