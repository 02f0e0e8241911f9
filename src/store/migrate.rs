//! Moving a database of schemas 1–3 — one record per event in `events`, one list row
//! per case in `cases` — into schema 4's chunks (`layout.rs`), on the first open by this
//! version. The move is one transaction: a tab closed half-way, a full disk or a case
//! that cannot be read leaves the old records as they were, and the next open tries
//! again. The emptied `events` store stays (IndexedDB drops a store only in the upgrade
//! itself, which cannot read hundreds of megabytes through the synchronous callback).

use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

use super::connection::Store;
use super::error::StoreError;
use super::layout::CHUNK_CASES;
use super::meta::{get_json, get_number, put_number, MetaKey};
use super::records::{arrived_of, json_of};
use super::schema::{CASES, EVENTS, EVENTS_BY_CASE, LOGS, MEMBERS, META, ROWS};
use super::stored::{prop, Log, Newest, Piece};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::fold;
use crate::domain::event::Event;
use crate::domain::search::{CaseSummary, ROWS_VERSION};

/// The layout this version writes (`meta["layout"]`).
pub(super) const LAYOUT: f64 = 4.0;
/// Events read at a time: a batch is some 60 MB of JSON, parsed and written as chunks
/// before the next is read, so memory stays bounded whatever the county's size.
const READ_EVENTS: u32 = 20_000;

impl Store {
    /// Moves the cases of an older layout into chunks, if this database still has them
    /// that way (a database new to this version moves nothing and is marked).
    pub(super) async fn move_into_chunks(&self) -> Result<(), StoreError> {
        let layout = {
            let tx = self.db.transaction(META).build()?;
            get_number(&tx.object_store(META)?, MetaKey::Layout).await?
        };
        if layout.is_some_and(|l| l >= LAYOUT) {
            return Ok(());
        }
        let tx = self.rw(&[EVENTS, CASES, MEMBERS, LOGS, ROWS, META])?;
        let meta = tx.object_store(META)?;
        let calendar = get_json(&meta, MetaKey::Calendar)
            .await?
            .unwrap_or_else(WorkCalendar::official);
        let events = tx.object_store(EVENTS)?;
        let by_case = events.index(EVENTS_BY_CASE)?;
        let (mut from, mut limit) = (None::<String>, READ_EVENTS);
        let (mut pieces, mut newest, mut count) = (Vec::new(), Newest::default(), 0usize);
        loop {
            let read = by_case.get_all::<JsValue>().with_limit(limit);
            let batch: Vec<JsValue> = match &from {
                None => read.await?,
                Some(c) => {
                    read.with_query::<JsValue, _>(KeyRange::LowerBound(JsValue::from_str(c), false))
                        .await?
                }
            }
            .collect::<Result<_, _>>()?;
            let full = batch.len() == limit as usize;
            // The index yields events grouped by case.
            let mut groups: Vec<(String, Log)> = Vec::new();
            for r in &batch {
                let case = prop(r, "case_id")?
                    .as_string()
                    .ok_or_else(|| StoreError::Corrupt("事件缺少案件编号".into()))?;
                let event: Event = serde_json::from_str(&json_of(r)?)?;
                if groups.last().is_none_or(|(c, _)| *c != case) {
                    groups.push((case, Log::default()));
                }
                if let Some((_, log)) = groups.last_mut() {
                    if let Some(a) = arrived_of(r) {
                        log.arrived.insert(event.id.clone(), a);
                    }
                    log.events.push(event);
                }
            }
            if full {
                if groups.len() < 2 {
                    // One case fills the batch: read it with more at once.
                    limit *= 2;
                    continue;
                }
                // The last case may go on in the next batch: read it whole there.
                from = groups.pop().map(|(case, _)| case);
            }
            for (_, log) in groups {
                let row = CaseSummary::of(&fold(&log.events)?, &calendar);
                newest.offer(&row);
                pieces.push(Piece::of(&row, log.to_json()?)?);
                count += 1;
                if pieces.len() == CHUNK_CASES {
                    Self::append_pieces(&tx, pieces.drain(..)).await?;
                }
            }
            if !full {
                break;
            }
        }
        Self::append_pieces(&tx, pieces).await?;
        tx.object_store(EVENTS)?.clear()?.await?;
        // The old list rows: derived, now in the chunks.
        tx.object_store(CASES)?.clear()?.await?;
        Self::put_head(&tx, newest).await?;
        Self::set_case_count(&tx, count as f64).await?;
        put_number(&meta, MetaKey::RowsVersion, f64::from(ROWS_VERSION)).await?;
        put_number(&meta, MetaKey::Layout, LAYOUT).await?;
        tx.commit().await?;
        Ok(())
    }
}
