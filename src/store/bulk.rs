//! Whole cases written in bulk: generated demo data, an imported ledger's rows and the
//! volumes of a restore, each
//! batch one transaction whose requests are issued together; and clearing every case.

use indexed_db_futures::transaction::Transaction;

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_number, get_text, put_json, put_number, MetaKey};
use super::schema::{CASES, LOGS, MEMBERS, META, REGISTERS, ROWS};
use super::stored::{Log, Newest, Piece};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, last_numbers, CaseNumber, Series};
use crate::domain::event::Event;
use crate::domain::ids::CaseId;
use crate::domain::ledger::LedgerRow;
use crate::domain::registers::{agreements, plans, receptions, screening};
use crate::domain::search::{CaseSummary, ROWS_VERSION};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::exchange::backup::Restored;
use crate::exchange::secret::SealedKey;

impl Store {
    /// Stores whole new cases (every event and the list row) in one transaction, and
    /// moves the case-number counters past them: for generated demo data. The requests
    /// are issued together and the commit awaited once, the way IndexedDB is fastest.
    pub async fn add_cases(
        &self,
        calendar: &WorkCalendar,
        cases: &[Vec<Event>],
    ) -> Result<(), StoreError> {
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META])?;
        let written = Self::put_cases(&tx, calendar, cases).await?;
        Self::count_new_cases(&tx, cases.len()).await?;
        let meta = tx.object_store(META)?;
        let all: Vec<Event> = cases
            .iter()
            .flat_map(|c| c.iter().take(1).cloned())
            .collect();
        for (series, seq) in last_numbers(&all) {
            let key = MetaKey::LastNumber(&series);
            let stored = get_number(&meta, key).await?;
            if stored.is_none_or(|n| (n as u32) < seq) {
                put_number(&meta, key, f64::from(seq)).await?;
            }
        }
        tx.commit().await?;
        self.remember(written);
        Ok(())
    }

    /// Registers rows of an imported ledger as new cases in one transaction: each takes
    /// the unit's next case number of the year of `at`, and is written with its 台账导入
    /// record. A row already held (another tab imported the same ledger since the
    /// preview) refuses the batch: nothing is stored.
    pub async fn add_ledger_rows(
        &self,
        calendar: &WorkCalendar,
        profile: &UnitProfile,
        source: &str,
        at: Timestamp,
        rows: &[LedgerRow],
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META])?;
        let ids: Vec<CaseId> = rows.iter().map(|r| r.case_id(&profile.code)).collect();
        if !Self::held_among(&tx, ids.iter()).await?.is_empty() {
            return Err(StoreError::Duplicate);
        }
        let meta = tx.object_store(META)?;
        let year = CaseNumber::year_of(at);
        let series = Series {
            unit_code: profile.code.clone(),
            year,
        };
        let mut last = get_number(&meta, MetaKey::LastNumber(&series))
            .await?
            .map(|n| n as u32);
        let actor = profile.actor();
        let logs: Vec<Vec<Event>> = rows
            .iter()
            .map(|row| {
                let number = CaseNumber::next(&profile.code, year, last);
                last = Some(number.seq);
                row.events(source, &actor, at, &number)
            })
            .collect();
        let written = Self::put_cases(&tx, calendar, &logs).await?;
        Self::count_new_cases(&tx, logs.len()).await?;
        if let Some(seq) = last {
            put_number(&meta, MetaKey::LastNumber(&series), f64::from(seq)).await?;
        }
        tx.commit().await?;
        self.remember(written);
        Ok(())
    }

    /// Writes whole cases new here (every event and the list row) as chunks and keeps
    /// the head; the caller counts them and commits. Returns the rows written. A case
    /// already held refuses the batch, so the count stays exact: one in the journal
    /// here, one in a chunk by the unique index when the transaction commits.
    pub(super) async fn put_cases(
        tx: &Transaction<'_>,
        calendar: &WorkCalendar,
        cases: &[Vec<Event>],
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let ids = cases.iter().filter_map(|c| c.first()).map(|e| &e.case_id);
        if !Self::in_journal(tx, ids).await?.is_empty() {
            return Err(StoreError::Duplicate);
        }
        let mut written = Vec::with_capacity(cases.len());
        let mut pieces = Vec::with_capacity(cases.len());
        for events in cases {
            let row = CaseSummary::of(&fold(events)?, calendar);
            pieces.push(Piece::of(&row, Log::local_json(events)?)?);
            written.push(row);
        }
        Self::append_pieces(tx, pieces).await?;
        Self::merge_head(tx, &written).await?;
        Ok(written)
    }

    /// Deletes every case, event and register entry (the unit's settings stay): the demo database
    /// offers this to regenerate or cancel its generated cases, and an unfinished
    /// restore is undone with it.
    pub async fn delete_all_cases(&self) -> Result<(), StoreError> {
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META, REGISTERS])?;
        Self::clear_cases(&tx).await?;
        Self::clear_entries(&tx).await?;
        Self::put_head(&tx, Newest::default()).await?;
        Self::set_case_count(&tx, 0.0).await?;
        tx.commit().await?;
        if let Some(index) = self.index.borrow_mut().as_mut() {
            index.clear();
        }
        self.tabs.all_changed();
        Ok(())
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
        let tx = self.rw(&[MEMBERS, LOGS, ROWS, CASES, META])?;
        Self::put_cases(&tx, calendar, cases).await?;
        Self::count_new_cases(&tx, cases.len()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a restore once every volume is stored: calendar, signing key, trusted units,
    /// sensitive dates, the registers, case-number counters, and last the profile, so a restore cut
    /// short never looks like a set-up unit.
    /// The restored key is stored as `key`: sealed under this browser's operator passphrase.
    pub async fn restore_finish(&self, r: &Restored, key: &SealedKey) -> Result<(), StoreError> {
        let tx = self.rw(&[META, REGISTERS])?;
        let meta = tx.object_store(META)?;
        let existing = get_text(&meta, MetaKey::Profile).await?;
        if existing.is_some() {
            return Err(StoreError::NotEmpty);
        }
        put_json(&meta, MetaKey::Calendar, &r.calendar).await?;
        put_json(&meta, MetaKey::Identity, key).await?;
        put_json(&meta, MetaKey::Directory, &r.directory).await?;
        put_json(&meta, MetaKey::SensitiveDates, &r.sensitive_dates).await?;
        Self::put_entries_in(&tx, screening::KIND, &r.screening)?;
        Self::put_entries_in(&tx, plans::KIND, &r.plans)?;
        Self::put_entries_in(&tx, receptions::KIND, &r.receptions)?;
        Self::put_entries_in(&tx, agreements::KIND, &r.agreements)?;
        for (series, seq) in &r.counters {
            put_number(&meta, MetaKey::LastNumber(series), f64::from(*seq)).await?;
        }
        put_number(&meta, MetaKey::RowsVersion, f64::from(ROWS_VERSION)).await?;
        // Last: until the profile is there, the browser is not a set-up unit.
        put_json(&meta, MetaKey::Profile, &r.profile).await?;
        tx.commit().await?;
        self.forget();
        Ok(())
    }
}
