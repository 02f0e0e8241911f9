//! Importing a verified transfer: re-planned inside its one transaction, so a file is
//! imported whole or not at all, and importing it again adds nothing.

use std::collections::{BTreeMap, BTreeSet};

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_json, MetaKey};
use super::records::Arrived;
use super::schema::{CASES, LOGS, MEMBERS, META, ROWS};
use super::stored::{Log, Piece};
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

/// Cases prepared between two progress reports of an import.
const IMPORT_STEP: usize = 1_000;

impl Store {
    /// Imports events from a verified bundle in one transaction: held events are
    /// compared (a different content under the same id aborts everything), new ones
    /// are added and each touched case's list row is refreshed. Returns how many
    /// events were added; importing the same events again adds none. `step(done,
    /// total)` reports the cases prepared; when it returns false the transaction is
    /// abandoned and nothing is stored. `receipts` are this unit's 签收
    /// events, one per case routed to it: those the plan still calls for are stored with
    /// the file, in the same transaction. `admit` is asked, with the trust directory as
    /// this transaction reads it, whether the file's signer may bring events here (a
    /// trust withdrawn in another tab since the preview is seen); a refusal stores nothing.
    /// Each new event is stored with `via` and the author's signature it carried. Cases
    /// new here are written as chunks; cases held are written to the journal.
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
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META])?;
        let directory: Vec<TrustedUnit> = get_json(
            &tx.object_store(META).map_err(StoreError::from)?,
            MetaKey::Directory,
        )
        .await?
        .unwrap_or_default();
        admit(&directory)?;
        let cases: BTreeSet<&CaseId> = incoming.iter().map(|e| &e.case_id).collect();
        let held = Self::held_among(&tx, cases.into_iter()).await?;
        let held: BTreeSet<CaseId> = held.into_iter().cloned().collect();
        let mut arrived: BTreeMap<CaseId, BTreeMap<EventId, Arrived>> = BTreeMap::new();
        let mut local: BTreeMap<CaseId, Vec<Event>> = Self::read_logs(&tx, &held)
            .await?
            .into_iter()
            .map(|(id, log)| {
                arrived.insert(id.clone(), log.arrived);
                (id, log.events)
            })
            .collect();
        let plan = plan(incoming, &local, importer)?;
        let touched: BTreeSet<CaseId> = plan.to_add.iter().map(|e| e.case_id.clone()).collect();
        for e in &plan.to_add {
            local.entry(e.case_id.clone()).or_default().push(e.clone());
            arrived.entry(e.case_id.clone()).or_default().insert(
                e.id.clone(),
                Arrived {
                    via: via.clone(),
                    signature: signatures.get(&e.id).cloned(),
                },
            );
        }
        for e in plan.receipts.iter().filter_map(|c| receipts.get(c)) {
            local.entry(e.case_id.clone()).or_default().push(e.clone());
        }
        let total = touched.len();
        let (mut changed, mut pieces) = (Vec::new(), Vec::new());
        for (n, id) in touched.iter().enumerate() {
            let log = Log {
                events: local.remove(id).unwrap_or_default(),
                arrived: arrived.remove(id).unwrap_or_default(),
            };
            let row = CaseSummary::of(&fold(&log.events).map_err(StoreError::from)?, calendar);
            if held.contains(id) {
                Self::journal_put(&tx, &row, &log)?;
            } else {
                pieces.push(Piece::of(&row, log.to_json()?)?);
            }
            changed.push(row);
            if (n + 1) % IMPORT_STEP == 0 && !step(n + 1, total) {
                return Err(ImportError::Cancelled);
            }
        }
        let new = pieces.len();
        Self::append_pieces(&tx, pieces).await?;
        Self::merge_head(&tx, &changed).await?;
        Self::count_new_cases(&tx, new).await?;
        if !step(total, total) {
            return Err(ImportError::Cancelled);
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.remember(changed);
        Ok(plan.to_add.len())
    }
}
