//! 台账导入: an office's existing ledger read, previewed against what is held here (rows
//! a former import already made are left out), then its new rows registered in batches
//! with a progress bar; a 取消 keeps what was stored, and importing the same file again
//! goes on from where it stopped, since every row is known by what it says.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::env::Env;
use super::error::AppError;
use super::progress::Progress;
use crate::domain::calendar::WorkCalendar;
use crate::domain::ledger::{
    file, find_header, match_headers, read_ledger, LedgerField, LedgerReading, LedgerRow,
};
use crate::domain::unit::UnitProfile;
use crate::platform::{clock, files};
use crate::store::Store;

/// Cases per write transaction (as for demo data): the bar moves, a cancel is heard.
pub const BATCH: usize = 500;

/// The rows of a chosen ledger file (.xlsx, or CSV in any encoding Excel writes).
pub fn rows_of(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    Ok(file::read_rows(bytes, files::decode_gb18030)?)
}

/// The header of `rows`: its line, its cells and each column's matched field; `None`
/// when no row looks like a header.
pub fn header_of(rows: &[Vec<String>]) -> Option<Header> {
    let at = find_header(rows)?;
    let cells = rows[at].clone();
    Some(Header {
        line: at + 1,
        mapping: match_headers(&cells),
        cells,
    })
}

/// A ledger's header row and the field of each column (the clerk may change them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Its line in the sheet.
    pub line: usize,
    /// Its cells as written.
    pub cells: Vec<String>,
    /// Each column's field.
    pub mapping: Vec<Option<LedgerField>>,
}

/// What an import would do, shown before anything is stored.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The ledger read with the mapping in force.
    pub reading: LedgerReading,
    /// The rows a former import already made into cases (by index into `reading.rows`).
    pub held: BTreeSet<usize>,
}

impl Preview {
    /// The rows that become new cases.
    pub fn fresh(&self) -> impl Iterator<Item = &LedgerRow> {
        self.reading
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.held.contains(i))
            .map(|(_, r)| r)
    }

    /// Of the new cases, those the ledger says were settled (they arrive closed).
    pub fn settled(&self) -> usize {
        self.fresh().filter(|r| r.settled()).count()
    }
}

/// Reads `rows` with `mapping` (the matched one when `None`) and finds what is held.
pub async fn preview(
    store: &Store,
    profile: &UnitProfile,
    rows: &[Vec<String>],
    mapping: Option<Vec<Option<LedgerField>>>,
    today: NaiveDate,
) -> Result<Preview, AppError> {
    let reading = read_ledger(rows, mapping, today)?;
    let ids: BTreeSet<_> = store.case_ids().await?.into_iter().collect();
    let held = reading
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| ids.contains(&r.case_id(&profile.code)))
        .map(|(i, _)| i)
        .collect();
    Ok(Preview { reading, held })
}

/// How an import ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// Cases stored.
    pub added: usize,
    /// Stopped by 取消 before the end (what was stored stays).
    pub cancelled: bool,
}

/// Registers the preview's new rows as cases of `profile`, from the file `source`.
pub async fn import(
    store: &Store,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    source: &str,
    preview: &Preview,
    env: &dyn Env,
    progress: &dyn Progress,
) -> Result<Imported, AppError> {
    let fresh: Vec<LedgerRow> = preview.fresh().cloned().collect();
    progress.total(fresh.len());
    let mut added = 0;
    for batch in fresh.chunks(BATCH) {
        if progress.cancelled() {
            return Ok(Imported {
                added,
                cancelled: true,
            });
        }
        store
            .add_ledger_rows(calendar, profile, source, env.now(), batch)
            .await?;
        added += batch.len();
        progress.set(added);
        clock::yield_now().await;
    }
    Ok(Imported {
        added,
        cancelled: false,
    })
}
