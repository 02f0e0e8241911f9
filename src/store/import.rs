//! Importing a verified transfer: re-planned inside its one transaction, so a file is
//! imported whole or not at all, and importing it again adds nothing.

use std::collections::{BTreeMap, BTreeSet};

use indexed_db_futures::prelude::*;

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_json, MetaKey};
use super::records::{event_record, imported_event_record, summary_record};
use super::schema::{CASES, EVENTS, META};
use crate::domain::authorship::{Importer, Via};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::fold;
use crate::domain::event::Event;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::search::CaseSummary;
use crate::exchange::card::TrustedUnit;
use crate::exchange::error::BundleError;
use crate::exchange::merge::plan;
use crate::exchange::wire::EventSignature;

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

impl Store {
    /// Imports events from a verified bundle in one transaction: held events are
    /// compared (a different content under the same id aborts everything), new ones
    /// are added and each touched case's list row is refreshed. Returns how many
    /// events were added; importing the same events again adds none. `step(done,
    /// total)` reports the writes as they complete; when it returns false the
    /// transaction is abandoned and nothing is stored. `receipts` are this unit's 签收
    /// events, one per case routed to it: those the plan still calls for are stored with
    /// the file, in the same transaction. `admit` is asked, with the trust directory as
    /// this transaction reads it, whether the file's signer may bring events here (a
    /// trust withdrawn in another tab since the preview is seen); a refusal stores nothing.
    /// Each new event is stored with `via` and the author's signature it carried.
    #[allow(clippy::too_many_arguments)]
    pub async fn import(
        &self,
        calendar: &WorkCalendar,
        incoming: &[Event],
        importer: &Importer<'_>,
        via: &Via,
        signatures: &BTreeMap<EventId, EventSignature>,
        receipts: &BTreeMap<CaseId, Event>,
        admit: impl FnOnce(&[TrustedUnit]) -> Result<(), BundleError>,
        mut step: impl FnMut(usize, usize) -> bool,
    ) -> Result<usize, ImportError> {
        let via = serde_json::to_string(via).map_err(StoreError::from)?;
        let tx = self.rw(&[EVENTS, CASES, META])?;
        let directory: Vec<TrustedUnit> = get_json(
            &tx.object_store(META).map_err(StoreError::from)?,
            MetaKey::Directory,
        )
        .await?
        .unwrap_or_default();
        admit(&directory)?;
        let events = tx.object_store(EVENTS).map_err(StoreError::from)?;
        let cases: BTreeSet<&CaseId> = incoming.iter().map(|e| &e.case_id).collect();
        let held = Self::held_among(&tx, cases.into_iter()).await?;
        let held_before = held.len();
        let mut local = Self::events_of_many(&tx, held.into_iter()).await?;
        let plan = plan(incoming, &local, importer)?;
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
                        .add(imported_event_record(e, &via, signatures.get(&e.id))?)
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
        for e in plan.receipts.iter().filter_map(|c| receipts.get(c)) {
            drop(
                events
                    .add(event_record(e)?)
                    .primitive()
                    .map_err(StoreError::from)?,
            );
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
}
