//! Where a case lives (schema 4). IndexedDB's cost is per record far more than per
//! byte: a county's 100,000 cases written one record per case take 11–23 s on an office
//! machine, the same bytes as 100 records well under a second. Cases are read and
//! written in bulk (loading the list rows, imports, restores, demo data, backups) far
//! more than one at a time, so:
//!
//! - `members` `{ n, ids }` and `rows` `{ n, rows }`: the list rows in **chunks** of up
//!   to [`CHUNK_CASES`] cases (JSON, one string per case, aligned with `ids`); loading
//!   a county's rows is a hundred reads. Membership questions (is this case held,
//!   every case id, a backup's volumes) read only the small `members` records;
//! - `logs` `{ n, ids, logs }`: each case's whole event log (JSON, one string per
//!   case) in **parts** kept under [`PART_UNITS`] characters, so a part stays inside
//!   the record (Chromium moves a value over 64 KB out to a blob file, which takes tens
//!   of milliseconds to read back) and opening one case reads one small record.
//!
//! Both `members` and `logs` have a `by_case` index, multi-entry and unique on `ids`:
//! it finds the chunk or part holding a case in one request, and refuses a write that
//! would put a case in a second one.
//!
//! A case changed on its own (a step, a correction, a registration) is written to the
//! **journal** (`cases`, `{ id, registered_at, json, log }`: its row and whole log),
//! which wins over the chunk's copy; [`Store::tidy`] folds the journal back into the
//! chunks and parts once it has grown. Reading one case is therefore two requests sent
//! together: its journal record and the part holding it.
//!
//! `meta["head"]` keeps the newest [`HEAD_ROWS`](super::stored::HEAD_ROWS) rows, so the
//! first list page after a cold start reads one record instead of every row.

use std::collections::{BTreeMap, BTreeSet};

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use js_sys::Array;
use wasm_bindgen::JsValue;

use super::connection::Store;
use super::error::StoreError;
use super::schema::{BY_CASE, CASES, LOGS, MEMBERS, ROWS};
use super::stored::{array, journal_log, journal_row, object, prop, row_from, text_at, Log, Piece};
use crate::domain::ids::CaseId;
use crate::domain::search::CaseSummary;

/// Cases per chunk of rows.
pub(super) const CHUNK_CASES: usize = 1_000;
/// Characters a part of logs is filled to (a two-byte string: some 52 KB).
const PART_UNITS: usize = 26_000;
/// Cases a part of logs holds at most.
const PART_CASES: usize = 64;
/// Up to this many cases are read by fetching their parts directly (one round trip);
/// more ask for each case's part number first, so a part shared by many is read once.
const DIRECT_READS: usize = 8;

fn key(n: u32) -> JsValue {
    JsValue::from_f64(f64::from(n))
}

fn number(value: &JsValue) -> Result<u32, StoreError> {
    value
        .as_f64()
        .map(|n| n as u32)
        .ok_or_else(|| StoreError::Corrupt("分块编号".into()))
}

fn missing(what: &str, n: u32) -> StoreError {
    StoreError::Corrupt(format!("{what} {n} 缺失"))
}

/// A chunk of rows (its `members` and `rows` records) being read or filled: each row's
/// compact JSON and, apart, its search text.
struct Chunk {
    n: u32,
    ids: Array,
    rows: Array,
    hay: Array,
}

impl Chunk {
    fn empty(n: u32) -> Chunk {
        Chunk {
            n,
            ids: Array::new(),
            rows: Array::new(),
            hay: Array::new(),
        }
    }

    fn len(&self) -> usize {
        self.ids.length() as usize
    }

    async fn read(tx: &Transaction<'_>, n: u32) -> Result<Chunk, StoreError> {
        let members = tx.object_store(MEMBERS)?.get(key(n)).primitive()?;
        let rows = tx.object_store(ROWS)?.get(key(n)).primitive()?;
        let members: JsValue = members.await?.ok_or_else(|| missing("分块", n))?;
        let rows: JsValue = rows.await?.ok_or_else(|| missing("分块", n))?;
        Ok(Chunk {
            n,
            ids: array(&members, "ids")?,
            rows: array(&rows, "rows")?,
            hay: array(&rows, "hay")?,
        })
    }

    /// The row at `i`.
    fn row(&self, i: u32) -> Result<CaseSummary, StoreError> {
        row_from(&text_at(&self.rows, i)?, text_at(&self.hay, i)?)
    }

    /// Puts `row` (its stored form) at `i`.
    fn set(&self, i: u32, row: &str, hay: &str) {
        self.rows.set(i, JsValue::from_str(row));
        self.hay.set(i, JsValue::from_str(hay));
    }

    /// Issues the puts of both records; the caller's commit awaits them.
    fn put(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        let n = key(self.n);
        let members = object(&[("n", &n), ("ids", &self.ids)])?;
        let rows = object(&[("n", &n), ("rows", &self.rows), ("hay", &self.hay)])?;
        drop(tx.object_store(MEMBERS)?.put(members).primitive()?);
        drop(tx.object_store(ROWS)?.put(rows).primitive()?);
        Ok(())
    }

    /// Issues the put of the rows only (the members are unchanged).
    fn put_rows(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        let rows = object(&[
            ("n", &key(self.n)),
            ("rows", &self.rows),
            ("hay", &self.hay),
        ])?;
        drop(tx.object_store(ROWS)?.put(rows).primitive()?);
        Ok(())
    }

    fn position(&self, id: &str) -> Option<u32> {
        u32::try_from(self.ids.index_of(&JsValue::from_str(id), 0)).ok()
    }
}

/// A part of logs being read or filled.
struct Part {
    n: u32,
    ids: Array,
    logs: Array,
    units: usize,
}

impl Part {
    fn empty(n: u32) -> Part {
        Part {
            n,
            ids: Array::new(),
            logs: Array::new(),
            units: 0,
        }
    }

    fn of(record: &JsValue) -> Result<Part, StoreError> {
        let logs = array(record, "logs")?;
        let units = logs
            .iter()
            .map(|l| js_sys::JsString::from(l).length() as usize)
            .sum();
        Ok(Part {
            n: number(&prop(record, "n")?)?,
            ids: array(record, "ids")?,
            logs,
            units,
        })
    }

    fn len(&self) -> usize {
        self.ids.length() as usize
    }

    /// True if a log of `units` characters still fits.
    fn fits(&self, units: usize) -> bool {
        self.len() == 0 || (self.len() < PART_CASES && self.units + units <= PART_UNITS)
    }

    fn push(&mut self, id: &str, log: &str, units: usize) {
        self.ids.push(&JsValue::from_str(id));
        self.logs.push(&JsValue::from_str(log));
        self.units += units;
    }

    fn put(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        let record = object(&[
            ("n", &key(self.n)),
            ("ids", &self.ids),
            ("logs", &self.logs),
        ])?;
        drop(tx.object_store(LOGS)?.put(record).primitive()?);
        Ok(())
    }

    fn log_of(&self, id: &str) -> Result<Option<String>, StoreError> {
        match u32::try_from(self.ids.index_of(&JsValue::from_str(id), 0)) {
            Ok(i) => Ok(Some(text_at(&self.logs, i)?)),
            Err(_) => Ok(None),
        }
    }
}

/// The last record of `store` (a chunk's members, or a part), if any.
async fn last(tx: &Transaction<'_>, store: &str) -> Result<Option<JsValue>, StoreError> {
    let store = tx.object_store(store)?;
    let Some(mut cursor) = store
        .open_cursor()
        .with_direction(CursorDirection::Prev)
        .await?
    else {
        return Ok(None);
    };
    Ok(cursor.next_record::<JsValue>().await?)
}

impl Store {
    /// The logs of those of `ids` held here (the others are left out): the journal's
    /// copy, else the part's, read in as few round trips as the count allows.
    pub(super) async fn read_logs<'c>(
        tx: &Transaction<'_>,
        ids: impl IntoIterator<Item = &'c CaseId>,
    ) -> Result<BTreeMap<CaseId, Log>, StoreError> {
        let ids: Vec<&CaseId> = ids.into_iter().collect();
        let journal = tx.object_store(CASES)?;
        let logs = tx.object_store(LOGS)?;
        let by_case = logs.index(BY_CASE)?;
        let direct = ids.len() <= DIRECT_READS;
        let mut asked = Vec::with_capacity(ids.len());
        for id in &ids {
            let j = journal.get(id.as_str()).primitive()?;
            let p = match direct {
                true => by_case.get(id.as_str()).primitive()?,
                false => by_case
                    .get_key(id.as_str())
                    .with_key_type::<JsValue>()
                    .primitive()?,
            };
            asked.push((*id, j, p));
        }
        let mut out = BTreeMap::new();
        let mut wanted: BTreeMap<u32, Vec<&CaseId>> = BTreeMap::new();
        for (id, j, p) in asked {
            let j: Option<JsValue> = j.await?;
            let p: Option<JsValue> = p.await?;
            match (j, p) {
                (Some(record), _) => {
                    out.insert(id.clone(), journal_log(&record)?);
                }
                (None, Some(record)) if direct => {
                    if let Some(text) = Part::of(&record)?.log_of(id.as_str())? {
                        out.insert(id.clone(), Log::from_json(&text)?);
                    }
                }
                (None, Some(n)) => wanted.entry(number(&n)?).or_default().push(id),
                (None, None) => {}
            }
        }
        for (n, text) in Self::part_logs(tx, wanted).await? {
            out.insert(n, Log::from_json(&text)?);
        }
        Ok(out)
    }

    /// The stored logs of cases, by the part that holds each: every part read once.
    async fn part_logs(
        tx: &Transaction<'_>,
        wanted: BTreeMap<u32, Vec<&CaseId>>,
    ) -> Result<Vec<(CaseId, String)>, StoreError> {
        let logs = tx.object_store(LOGS)?;
        let reads: Vec<_> = wanted
            .keys()
            .map(|n| logs.get(key(*n)).primitive())
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for ((n, ids), read) in wanted.into_iter().zip(reads) {
            let record: JsValue = read.await?.ok_or_else(|| missing("事件分块", n))?;
            let part = Part::of(&record)?;
            for id in ids {
                let text = part
                    .log_of(id.as_str())?
                    .ok_or_else(|| StoreError::Corrupt(format!("事件分块 {n} 不含案件 {id}")))?;
                out.push((id.clone(), text));
            }
        }
        Ok(out)
    }

    /// Where each of `ids` is in `index` (`members` or `logs`): its chunk or part.
    async fn locate<'c>(
        tx: &Transaction<'_>,
        store: &str,
        ids: impl IntoIterator<Item = &'c CaseId>,
    ) -> Result<BTreeMap<u32, Vec<&'c CaseId>>, StoreError> {
        let store = tx.object_store(store)?;
        let index = store.index(BY_CASE)?;
        let mut asked = Vec::new();
        for id in ids {
            let k = index
                .get_key(id.as_str())
                .with_key_type::<JsValue>()
                .primitive()?;
            asked.push((id, k));
        }
        let mut out: BTreeMap<u32, Vec<&CaseId>> = BTreeMap::new();
        for (id, k) in asked {
            let k: Option<JsValue> = k.await?;
            if let Some(n) = k {
                out.entry(number(&n)?).or_default().push(id);
            }
        }
        Ok(out)
    }

    /// The list rows of those of `ids` held here: the journal's, else the chunk's.
    pub(super) async fn read_rows(
        tx: &Transaction<'_>,
        ids: &[CaseId],
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let journal = tx.object_store(CASES)?;
        let asked: Vec<_> = ids
            .iter()
            .map(|id| journal.get(id.as_str()).primitive())
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        let mut rest = Vec::new();
        for (id, j) in ids.iter().zip(asked) {
            let j: Option<JsValue> = j.await?;
            match j {
                Some(record) => out.push(journal_row(&record)?),
                None => rest.push(id),
            }
        }
        for (n, ids) in Self::locate(tx, MEMBERS, rest).await? {
            let chunk = Chunk::read(tx, n).await?;
            for id in ids {
                if let Some(i) = chunk.position(id.as_str()) {
                    out.push(chunk.row(i)?);
                }
            }
        }
        Ok(out)
    }

    /// Writes a case changed on its own into the journal: its row and whole log. The
    /// caller keeps the head ([`Self::merge_head`]) and commits.
    pub(super) fn journal_put(
        tx: &Transaction<'_>,
        row: &CaseSummary,
        log: &Log,
    ) -> Result<(), StoreError> {
        let record = object(&[
            ("id", &JsValue::from_str(row.id.as_str())),
            (
                "registered_at",
                &JsValue::from_f64(row.registered_at.0 as f64),
            ),
            ("json", &JsValue::from_str(&serde_json::to_string(row)?)),
            ("hay", &JsValue::from_str(&row.haystack)),
            ("log", &JsValue::from_str(&log.to_json()?)),
        ])?;
        drop(tx.object_store(CASES)?.put(record).primitive()?);
        Ok(())
    }

    /// Stores cases new here: their rows into the last chunk and then new ones, their
    /// logs into the last part and then new ones. A case already in the chunk being
    /// filled is refused here, one in another chunk or part by the unique indexes at
    /// commit; the caller makes sure none is in the journal, keeps the head and the
    /// count, and commits.
    pub(super) async fn append_pieces(
        tx: &Transaction<'_>,
        pieces: impl IntoIterator<Item = Piece>,
    ) -> Result<(), StoreError> {
        let mut pieces = pieces.into_iter().peekable();
        if pieces.peek().is_none() {
            return Ok(());
        }
        let mut chunk = match last(tx, MEMBERS).await? {
            Some(r) => {
                let (n, len) = (number(&prop(&r, "n")?)?, array(&r, "ids")?.length());
                match (len as usize) < CHUNK_CASES {
                    true => Chunk::read(tx, n).await?,
                    false => Chunk::empty(n + 1),
                }
            }
            None => Chunk::empty(0),
        };
        let mut part = match last(tx, LOGS).await? {
            Some(r) => Part::of(&r)?,
            None => Part::empty(0),
        };
        for p in pieces {
            if chunk.len() >= CHUNK_CASES {
                chunk.put(tx)?;
                chunk = Chunk::empty(chunk.n + 1);
            }
            // The unique index sees a case twice only across records, not twice in one.
            if chunk.position(&p.id).is_some() {
                return Err(StoreError::Duplicate);
            }
            chunk.ids.push(&JsValue::from_str(&p.id));
            chunk.rows.push(&JsValue::from_str(&p.row));
            chunk.hay.push(&JsValue::from_str(&p.hay));
            let units = p.log.chars().count();
            if !part.fits(units) {
                part.put(tx)?;
                part = Part::empty(part.n + 1);
            }
            part.push(&p.id, &p.log, units);
        }
        chunk.put(tx)?;
        part.put(tx)
    }

    /// Those of `ids` in the journal (cases registered or changed one at a time since
    /// the last [`Store::tidy`]: a few hundred keys, read at once).
    pub(super) async fn in_journal<'c>(
        tx: &Transaction<'_>,
        ids: impl Iterator<Item = &'c CaseId>,
    ) -> Result<Vec<&'c CaseId>, StoreError> {
        let mut held = BTreeSet::new();
        for k in tx.object_store(CASES)?.get_all_keys::<JsValue>().await? {
            if let Some(id) = k?.as_string() {
                held.insert(id);
            }
        }
        Ok(ids.filter(|c| held.contains(c.as_str())).collect())
    }

    /// Every case id held: each chunk's members, then the journal's cases in no chunk
    /// (consecutive ids are mostly in the same chunk and parts, so reading a slice of
    /// them reads few records).
    pub(super) async fn held_ids(tx: &Transaction<'_>) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for r in tx.object_store(MEMBERS)?.get_all::<JsValue>().await? {
            for id in array(&r?, "ids")?.iter() {
                if let Some(id) = id.as_string() {
                    seen.insert(id.clone());
                    out.push(id);
                }
            }
        }
        for k in tx.object_store(CASES)?.get_all_keys::<JsValue>().await? {
            if let Some(id) = k?.as_string() {
                if !seen.contains(&id) {
                    out.push(id);
                }
            }
        }
        Ok(out)
    }

    /// Folds the journal back, in one transaction: each case's record replaces its row
    /// in the chunk and its log in the part holding them, cases in neither are
    /// appended, and the journal is emptied. Rows and logs are moved, not changed.
    pub(super) async fn fold_journal(tx: &Transaction<'_>) -> Result<usize, StoreError> {
        let journal = tx.object_store(CASES)?;
        let mut pieces: BTreeMap<CaseId, Piece> = BTreeMap::new();
        for r in journal.get_all::<JsValue>().await? {
            let r = r?;
            let text = |name| prop(&r, name).map(|v| v.as_string().unwrap_or_default());
            let id = text("id")?;
            let case = CaseId::parse(&id)
                .ok_or_else(|| StoreError::Corrupt(format!("日志记录的案件编号 {id}")))?;
            pieces.insert(
                case,
                Piece {
                    row: text("json")?,
                    hay: text("hay")?,
                    log: text("log")?,
                    id,
                },
            );
        }
        let moved = pieces.len();
        let chunks = Self::locate(tx, MEMBERS, pieces.keys()).await?;
        let parts = Self::locate(tx, LOGS, pieces.keys()).await?;
        let placed: BTreeSet<&CaseId> = chunks.values().flatten().copied().collect();
        let logged: BTreeSet<&CaseId> = parts.values().flatten().copied().collect();
        if placed != logged {
            return Err(StoreError::Corrupt("分块与事件分块不一致".into()));
        }
        for (n, ids) in &chunks {
            let chunk = Chunk::read(tx, *n).await?;
            for id in ids {
                let i = chunk
                    .position(id.as_str())
                    .ok_or_else(|| StoreError::Corrupt(format!("分块 {n} 不含案件 {id}")))?;
                chunk.set(i, &pieces[*id].row, &pieces[*id].hay);
            }
            chunk.put_rows(tx)?;
        }
        for (n, ids) in &parts {
            let record: JsValue = tx
                .object_store(LOGS)?
                .get(key(*n))
                .await?
                .ok_or_else(|| missing("事件分块", *n))?;
            let part = Part::of(&record)?;
            for id in ids {
                let i = u32::try_from(part.ids.index_of(&JsValue::from_str(id.as_str()), 0))
                    .map_err(|_| StoreError::Corrupt(format!("事件分块 {n} 不含案件 {id}")))?;
                part.logs.set(i, JsValue::from_str(&pieces[*id].log));
            }
            part.put(tx)?;
        }
        let placed: BTreeSet<CaseId> = placed.into_iter().cloned().collect();
        let unplaced = pieces
            .into_iter()
            .filter(|(id, _)| !placed.contains(id))
            .map(|(_, p)| p);
        Self::append_pieces(tx, unplaced).await?;
        journal.clear()?.await?;
        Ok(moved)
    }

    /// Rewrites list rows in every chunk and the journal, in the caller's transaction:
    /// `derive(row, log)` gets the stored row (`None` when it is not readable in this
    /// version's shape) and the case's log, and answers the new row, or `None` to keep
    /// the stored one; each new row is then handed to `changed`. A chunk's logs are read
    /// together, so a county is read once.
    pub(super) async fn rewrite_rows(
        tx: &Transaction<'_>,
        mut derive: impl FnMut(Option<CaseSummary>, Log) -> Result<Option<CaseSummary>, StoreError>,
        mut changed: impl FnMut(CaseSummary),
    ) -> Result<(), StoreError> {
        let keys: Vec<JsValue> = tx
            .object_store(MEMBERS)?
            .get_all_keys::<JsValue>()
            .await?
            .collect::<Result<_, _>>()?;
        for k in keys {
            let chunk = Chunk::read(tx, number(&k)?).await?;
            let ids: Vec<CaseId> = chunk
                .ids
                .iter()
                .filter_map(|v| v.as_string().and_then(|s| CaseId::parse(&s)))
                .collect();
            let parts = Self::locate(tx, LOGS, &ids).await?;
            let logs: BTreeMap<CaseId, String> =
                Self::part_logs(tx, parts).await?.into_iter().collect();
            let mut dirty = false;
            for (i, id) in (0u32..).zip(&ids) {
                let old = chunk.row(i).ok();
                let log = logs
                    .get(id)
                    .ok_or_else(|| StoreError::Corrupt(format!("案件 {id} 缺少事件")))?;
                if let Some(row) = derive(old, Log::from_json(log)?)? {
                    chunk.set(i, &serde_json::to_string(&row)?, &row.haystack);
                    changed(row);
                    dirty = true;
                }
            }
            if dirty {
                chunk.put_rows(tx)?;
            }
        }
        let journal = tx.object_store(CASES)?;
        for r in journal.get_all::<JsValue>().await? {
            let r = r?;
            let old = journal_row(&r).ok();
            if let Some(row) = derive(old, journal_log(&r)?)? {
                let stored = [
                    ("json", serde_json::to_string(&row)?),
                    ("hay", row.haystack.clone()),
                ];
                for (k, v) in stored {
                    js_sys::Reflect::set(&r, &JsValue::from_str(k), &JsValue::from_str(&v))?;
                }
                drop(journal.put(r).primitive()?);
                changed(row);
            }
        }
        Ok(())
    }

    /// Empties every chunk, part and the journal (the head and count are the caller's).
    pub(super) async fn clear_cases(tx: &Transaction<'_>) -> Result<(), StoreError> {
        for name in [MEMBERS, LOGS, ROWS, CASES] {
            tx.object_store(name)?.clear()?.await?;
        }
        Ok(())
    }
}
