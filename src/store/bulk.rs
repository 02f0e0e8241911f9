//! Whole cases written in bulk: generated demo data, an imported ledger's rows and the
//! volumes of a restore, each
//! batch one transaction whose requests are issued together; and clearing every case.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_number, get_text, put_json, put_number, MetaKey};
use super::records::{event_record, summary_record};
use super::schema::{CASES, EVENTS, META, REGISTERS};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, last_numbers, CaseNumber, Series};
use crate::domain::event::Event;
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
        let tx = self.rw(&[EVENTS, CASES, META])?;
        let written = Self::put_cases(&tx, calendar, cases)?;
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
    /// record. A row already held aborts the batch (the caller leaves held rows out).
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
        let tx = self.rw(&[EVENTS, CASES, META])?;
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
        let written = Self::put_cases(&tx, calendar, &logs)?;
        Self::count_new_cases(&tx, logs.len()).await?;
        if let Some(seq) = last {
            put_number(&meta, MetaKey::LastNumber(&series), f64::from(seq)).await?;
        }
        tx.commit().await?;
        self.remember(written);
        Ok(())
    }

    /// Issues the writes of whole new cases (every event and the list row) without
    /// awaiting them; the caller commits and counts them. Returns the rows written.
    pub(super) fn put_cases(
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

    /// Deletes every case, event and register entry (the unit's settings stay): the demo database
    /// offers this to regenerate or cancel its generated cases, and an unfinished
    /// restore is undone with it.
    pub async fn delete_all_cases(&self) -> Result<(), StoreError> {
        let tx = self.rw(&[EVENTS, CASES, META, REGISTERS])?;
        tx.object_store(EVENTS)?.clear()?.await?;
        tx.object_store(CASES)?.clear()?.await?;
        Self::clear_entries(&tx).await?;
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
        let tx = self.rw(&[EVENTS, CASES, META])?;
        Self::put_cases(&tx, calendar, cases)?;
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
