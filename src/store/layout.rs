//! Where a case lives (schema 4). IndexedDB's cost is per record far more than per
//! byte: a county's 100,000 cases written one record per case take 11–23 s on an office
//! machine, the same bytes as 100 records well under a second. Cases are read and
//! written in bulk (loading the list rows, imports, restores, demo data, backups) far
//! more than one at a time, so they live in **chunks** of up to [`CHUNK_CASES`] cases:
//!
//! - `members` `{ n, ids }`: which cases chunk `n` holds (small: membership questions —
//!   is this case held, every case id, a backup's volumes — read only these);
//! - `logs` `{ n, ids, logs }`: each case's whole event log (JSON, one string per case,
//!   aligned with `ids`); the `by_case` index (multi-entry on `ids`) finds the chunk
//!   holding a case in the request that reads it, and being unique it refuses a write
//!   that would put a case in a second chunk;
//! - `rows` `{ n, rows }`: their list rows (JSON, one string per case, same order).
//!
//! A case changed on its own (a step, a correction, a registration) is written to the
//! **journal** (`cases`, `{ id, registered_at, json, log }`: its row and whole log),
//! which wins over the chunk's copy; [`Store::tidy`] folds the journal back into the
//! chunks once it has grown. Reading one case is therefore two requests sent together:
//! the journal's record and the chunk that holds it. A case is in at most one chunk.
//!
//! `meta["head"]` keeps the newest [`HEAD_ROWS`] rows, so the first list page after a
//! cold start reads one record instead of every row.

use std::collections::{BTreeMap, BTreeSet};

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use js_sys::{Array, Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_json, put_json, MetaKey};
use super::records::Arrived;
use super::schema::{CASES, LOGS, LOGS_BY_CASE, MEMBERS, META, ROWS};
use crate::domain::authorship::Via;
use crate::domain::event::Event;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::index::order;
use crate::domain::search::CaseSummary;
use crate::exchange::wire::EventSignature;

/// Cases per chunk: a chunk's logs are some 3 MB, read whole to open one of its cases.
pub(super) const CHUNK_CASES: usize = 1_000;
/// Rows kept in `meta["head"]`: five list pages.
pub(super) const HEAD_ROWS: usize = 100;

/// A case's events as stored, with how each that came in a file arrived.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Log {
    /// Every event, in the order stored.
    pub events: Vec<Event>,
    /// How the events that came in files arrived, by event id.
    pub arrived: BTreeMap<EventId, Arrived>,
}

/// One event of a stored log: `e` the event; for one that came in a file, `v` how it
/// came and `s` the author's signature it carried, relayed unchanged when sent on.
#[derive(Serialize, Deserialize)]
struct Stored<E> {
    e: E,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    v: Option<Via>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    s: Option<EventSignature>,
}

impl Log {
    /// A log of events recorded here (none came in a file).
    pub fn local(events: Vec<Event>) -> Log {
        Log {
            events,
            arrived: BTreeMap::new(),
        }
    }

    /// True if an event with this id is held.
    pub fn has(&self, id: &EventId) -> bool {
        self.events.iter().any(|e| &e.id == id)
    }

    /// The stored form of events recorded here, without building a log.
    pub fn local_json(events: &[Event]) -> Result<String, StoreError> {
        let stored: Vec<Stored<&Event>> = events
            .iter()
            .map(|e| Stored {
                e,
                v: None,
                s: None,
            })
            .collect();
        Ok(serde_json::to_string(&stored)?)
    }

    /// The stored form: a JSON array of `{e, v?, s?}`.
    pub fn to_json(&self) -> Result<String, StoreError> {
        let stored: Vec<Stored<&Event>> = self
            .events
            .iter()
            .map(|e| {
                let arrived = self.arrived.get(&e.id);
                Stored {
                    e,
                    v: arrived.map(|a| a.via.clone()),
                    s: arrived.and_then(|a| a.signature.clone()),
                }
            })
            .collect();
        Ok(serde_json::to_string(&stored)?)
    }

    /// Reads the stored form.
    pub fn from_json(text: &str) -> Result<Log, StoreError> {
        let stored: Vec<Stored<Event>> = serde_json::from_str(text)?;
        let mut log = Log::default();
        for s in stored {
            if let Some(via) = s.v {
                log.arrived.insert(
                    s.e.id.clone(),
                    Arrived {
                        via,
                        signature: s.s,
                    },
                );
            }
            log.events.push(s.e);
        }
        Ok(log)
    }
}

/// A case ready to be written: its id, list row and log, already in their stored form.
pub(super) struct Piece {
    pub id: String,
    pub row: String,
    pub log: String,
}

impl Piece {
    /// The stored form of `row` and of its log (`log`, already in its stored form).
    pub fn of(row: &CaseSummary, log: String) -> Result<Piece, StoreError> {
        Ok(Piece {
            id: row.id.to_string(),
            row: serde_json::to_string(row)?,
            log,
        })
    }
}

/// A JS property of a record.
pub(super) fn prop(record: &JsValue, name: &str) -> Result<JsValue, StoreError> {
    Ok(Reflect::get(record, &JsValue::from_str(name))?)
}

/// A JS array property of a record.
pub(super) fn array(record: &JsValue, name: &str) -> Result<Array, StoreError> {
    let value = prop(record, name)?;
    match Array::is_array(&value) {
        true => Ok(Array::from(&value)),
        false => Err(StoreError::Corrupt(format!("分块记录缺少 {name}"))),
    }
}

/// A string of a JS array.
pub(super) fn text_at(items: &Array, i: u32) -> Result<String, StoreError> {
    items
        .get(i)
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("分块记录内容不完整".into()))
}

/// A chunk's number.
fn chunk_no(record: &JsValue) -> Result<u32, StoreError> {
    prop(record, "n")?
        .as_f64()
        .map(|n| n as u32)
        .ok_or_else(|| StoreError::Corrupt("分块记录缺少编号".into()))
}

fn object(fields: &[(&str, &JsValue)]) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    for (k, v) in fields {
        Reflect::set(&obj, &JsValue::from_str(k), v)?;
    }
    Ok(obj.into())
}

/// One chunk's three records, as JS arrays being filled.
struct Chunk {
    n: u32,
    ids: Array,
    logs: Array,
    rows: Array,
}

impl Chunk {
    fn empty(n: u32) -> Chunk {
        Chunk {
            n,
            ids: Array::new(),
            logs: Array::new(),
            rows: Array::new(),
        }
    }

    fn len(&self) -> usize {
        self.ids.length() as usize
    }

    fn push(&self, p: &Piece) {
        self.ids.push(&JsValue::from_str(&p.id));
        self.logs.push(&JsValue::from_str(&p.log));
        self.rows.push(&JsValue::from_str(&p.row));
    }

    /// Issues the puts of the chunk's three records; the caller's commit awaits them.
    fn put(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        let n = JsValue::from_f64(f64::from(self.n));
        let members = object(&[("n", &n), ("ids", &self.ids)])?;
        let logs = object(&[("n", &n), ("ids", &self.ids), ("logs", &self.logs)])?;
        let rows = object(&[("n", &n), ("rows", &self.rows)])?;
        drop(tx.object_store(MEMBERS)?.put(members).primitive()?);
        drop(tx.object_store(LOGS)?.put(logs).primitive()?);
        drop(tx.object_store(ROWS)?.put(rows).primitive()?);
        Ok(())
    }

    /// Reads chunk `n` whole.
    async fn read(tx: &Transaction<'_>, n: u32) -> Result<Chunk, StoreError> {
        let key = JsValue::from_f64(f64::from(n));
        let logs = tx.object_store(LOGS)?.get(key.clone()).primitive()?;
        let rows = tx.object_store(ROWS)?.get(key).primitive()?;
        let missing = || StoreError::Corrupt(format!("分块 {n} 缺失"));
        let logs: JsValue = logs.await?.ok_or_else(missing)?;
        let rows: JsValue = rows.await?.ok_or_else(missing)?;
        Ok(Chunk {
            n,
            ids: array(&logs, "ids")?,
            logs: array(&logs, "logs")?,
            rows: array(&rows, "rows")?,
        })
    }

    /// Where case `id` is in the chunk.
    fn position(&self, id: &str) -> Option<u32> {
        u32::try_from(self.ids.index_of(&JsValue::from_str(id), 0)).ok()
    }
}

impl Store {
    /// The logs of those of `ids` held here (the others are left out), in one round of
    /// requests: each case's journal record and the chunk holding it, then each chunk
    /// needed once.
    pub(super) async fn read_logs<'c>(
        tx: &Transaction<'_>,
        ids: impl IntoIterator<Item = &'c CaseId>,
    ) -> Result<BTreeMap<CaseId, Log>, StoreError> {
        let journal = tx.object_store(CASES)?;
        let logs = tx.object_store(LOGS)?;
        let by_case = logs.index(LOGS_BY_CASE)?;
        let mut asked = Vec::new();
        for id in ids {
            let j = journal.get(id.as_str()).primitive()?;
            let k = by_case
                .get_key(id.as_str())
                .with_key_type::<JsValue>()
                .primitive()?;
            asked.push((id, j, k));
        }
        let mut out = BTreeMap::new();
        let mut wanted: BTreeMap<u32, Vec<&CaseId>> = BTreeMap::new();
        for (id, j, k) in asked {
            let j: Option<JsValue> = j.await?;
            let k: Option<JsValue> = k.await?;
            if let Some(record) = j {
                out.insert(id.clone(), journal_log(&record)?);
            } else if let Some(n) = k.and_then(|k| k.as_f64()) {
                wanted.entry(n as u32).or_default().push(id);
            }
        }
        let reads: Vec<_> = wanted
            .keys()
            .map(|n| logs.get(JsValue::from_f64(f64::from(*n))).primitive())
            .collect::<Result<_, _>>()?;
        for ((n, ids), read) in wanted.into_iter().zip(reads) {
            let record: JsValue = read
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("分块 {n} 缺失")))?;
            let (chunk_ids, chunk_logs) = (array(&record, "ids")?, array(&record, "logs")?);
            for id in ids {
                let i = chunk_ids.index_of(&JsValue::from_str(id.as_str()), 0);
                let i = u32::try_from(i)
                    .map_err(|_| StoreError::Corrupt(format!("分块 {n} 不含案件 {id}")))?;
                out.insert(id.clone(), Log::from_json(&text_at(&chunk_logs, i)?)?);
            }
        }
        Ok(out)
    }

    /// The list rows of those of `ids` held here: the journal's, else the chunk's.
    pub(super) async fn read_rows(
        tx: &Transaction<'_>,
        ids: &[String],
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let journal = tx.object_store(CASES)?;
        let logs = tx.object_store(LOGS)?;
        let by_case = logs.index(LOGS_BY_CASE)?;
        let mut asked = Vec::new();
        for id in ids {
            let j = journal.get(id.as_str()).primitive()?;
            let k = by_case
                .get_key(id.as_str())
                .with_key_type::<JsValue>()
                .primitive()?;
            asked.push((id, j, k));
        }
        let mut out = Vec::new();
        let mut wanted: BTreeMap<u32, Vec<&String>> = BTreeMap::new();
        for (id, j, k) in asked {
            let j: Option<JsValue> = j.await?;
            let k: Option<JsValue> = k.await?;
            if let Some(record) = j {
                out.push(journal_row(&record)?);
            } else if let Some(n) = k.and_then(|k| k.as_f64()) {
                wanted.entry(n as u32).or_default().push(id);
            }
        }
        for (n, ids) in wanted {
            let key = JsValue::from_f64(f64::from(n));
            let members = tx.object_store(MEMBERS)?.get(key.clone()).primitive()?;
            let rows = tx.object_store(ROWS)?.get(key).primitive()?;
            let missing = || StoreError::Corrupt(format!("分块 {n} 缺失"));
            let members: JsValue = members.await?.ok_or_else(missing)?;
            let rows: JsValue = rows.await?.ok_or_else(missing)?;
            let (chunk_ids, chunk_rows) = (array(&members, "ids")?, array(&rows, "rows")?);
            for id in ids {
                if let Ok(i) = u32::try_from(chunk_ids.index_of(&JsValue::from_str(id), 0)) {
                    out.push(serde_json::from_str(&text_at(&chunk_rows, i)?)?);
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
            ("log", &JsValue::from_str(&log.to_json()?)),
        ])?;
        drop(tx.object_store(CASES)?.put(record).primitive()?);
        Ok(())
    }

    /// The last chunk, if any: its number and its ids.
    async fn tail(tx: &Transaction<'_>) -> Result<Option<(u32, usize)>, StoreError> {
        let members = tx.object_store(MEMBERS)?;
        let Some(mut cursor) = members
            .open_cursor()
            .with_direction(CursorDirection::Prev)
            .await?
        else {
            return Ok(None);
        };
        match cursor.next_record::<JsValue>().await? {
            Some(r) => Ok(Some((chunk_no(&r)?, array(&r, "ids")?.length() as usize))),
            None => Ok(None),
        }
    }

    /// Stores cases new here as chunks: the last chunk filled first, then new ones. The
    /// caller makes sure none is held (a case is in at most one chunk), keeps the head
    /// and the count, and commits.
    pub(super) async fn append_pieces(
        tx: &Transaction<'_>,
        pieces: impl IntoIterator<Item = Piece>,
    ) -> Result<(), StoreError> {
        let mut pieces = pieces.into_iter().peekable();
        if pieces.peek().is_none() {
            return Ok(());
        }
        let mut chunk = match Self::tail(tx).await? {
            Some((n, len)) if len < CHUNK_CASES => Chunk::read(tx, n).await?,
            Some((n, _)) => Chunk::empty(n + 1),
            None => Chunk::empty(0),
        };
        for p in pieces {
            if chunk.len() >= CHUNK_CASES {
                chunk.put(tx)?;
                chunk = Chunk::empty(chunk.n + 1);
            }
            chunk.push(&p);
        }
        chunk.put(tx)
    }

    /// Keeps the head in step with `rows` just written: the newest [`HEAD_ROWS`] rows.
    pub(super) async fn merge_head(
        tx: &Transaction<'_>,
        rows: &[CaseSummary],
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let meta = tx.object_store(META)?;
        let mut head: Vec<CaseSummary> = get_json(&meta, MetaKey::Head).await?.unwrap_or_default();
        let oldest = match head.len() >= HEAD_ROWS {
            true => head.last().map(|r| (r.registered_at.0, r.id.to_string())),
            false => None,
        };
        let mut changed = false;
        for row in rows {
            if let Some(i) = head.iter().position(|h| h.id == row.id) {
                head[i] = row.clone();
                changed = true;
            } else if oldest
                .as_ref()
                .is_none_or(|(at, id)| order(row) > (*at, id.as_str()))
            {
                head.push(row.clone());
                changed = true;
            }
        }
        if changed {
            head.sort_by(|a, b| order(b).cmp(&order(a)));
            head.truncate(HEAD_ROWS);
            put_json(&meta, MetaKey::Head, &head).await?;
        }
        Ok(())
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
    /// (consecutive ids are mostly in the same chunk, so reading a slice of them reads
    /// few chunks).
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

    /// Folds the journal back into the chunks, in one transaction: each case's record
    /// replaces its copy in the chunk holding it, cases in no chunk are appended, and
    /// the journal is emptied. Rows and logs are moved, not changed.
    pub(super) async fn fold_journal(tx: &Transaction<'_>) -> Result<usize, StoreError> {
        let journal = tx.object_store(CASES)?;
        let logs = tx.object_store(LOGS)?;
        let by_case = logs.index(LOGS_BY_CASE)?;
        let mut asked = Vec::new();
        for r in journal.get_all::<JsValue>().await? {
            let r = r?;
            let id = prop(&r, "id")?
                .as_string()
                .ok_or_else(|| StoreError::Corrupt("日志记录缺少案件编号".into()))?;
            let piece = Piece {
                row: prop(&r, "json")?.as_string().unwrap_or_default(),
                log: prop(&r, "log")?.as_string().unwrap_or_default(),
                id,
            };
            let k = by_case
                .get_key(piece.id.as_str())
                .with_key_type::<JsValue>()
                .primitive()?;
            asked.push((piece, k));
        }
        let moved = asked.len();
        let mut placed: BTreeMap<u32, Vec<Piece>> = BTreeMap::new();
        let mut unplaced = Vec::new();
        for (piece, k) in asked {
            let k: Option<JsValue> = k.await?;
            match k.and_then(|k| k.as_f64()) {
                Some(n) => placed.entry(n as u32).or_default().push(piece),
                None => unplaced.push(piece),
            }
        }
        for (n, pieces) in placed {
            let chunk = Chunk::read(tx, n).await?;
            for p in &pieces {
                let i = chunk
                    .position(&p.id)
                    .ok_or_else(|| StoreError::Corrupt(format!("分块 {n} 不含案件 {}", p.id)))?;
                chunk.logs.set(i, JsValue::from_str(&p.log));
                chunk.rows.set(i, JsValue::from_str(&p.row));
            }
            chunk.put(tx)?;
        }
        Self::append_pieces(tx, unplaced).await?;
        journal.clear()?.await?;
        Ok(moved)
    }

    /// Rewrites list rows in every chunk and the journal, in the caller's transaction:
    /// `derive(row, log)` gets the stored row (`None` when it is not readable in this
    /// version's shape) and a way to read the case's log, and answers the new row, or
    /// `None` to keep the stored one; each new row is then handed to `changed`.
    pub(super) async fn rewrite_rows(
        tx: &Transaction<'_>,
        mut derive: impl FnMut(
            Option<CaseSummary>,
            &dyn Fn() -> Result<Log, StoreError>,
        ) -> Result<Option<CaseSummary>, StoreError>,
        mut changed: impl FnMut(CaseSummary),
    ) -> Result<(), StoreError> {
        let keys: Vec<JsValue> = tx
            .object_store(MEMBERS)?
            .get_all_keys::<JsValue>()
            .await?
            .collect::<Result<_, _>>()?;
        for key in keys {
            let n = key
                .as_f64()
                .ok_or_else(|| StoreError::Corrupt("分块编号".into()))? as u32;
            let chunk = Chunk::read(tx, n).await?;
            let mut dirty = false;
            for i in 0..chunk.ids.length() {
                let old = serde_json::from_str(&text_at(&chunk.rows, i)?).ok();
                let log = || Log::from_json(&text_at(&chunk.logs, i)?);
                if let Some(row) = derive(old, &log)? {
                    chunk
                        .rows
                        .set(i, JsValue::from_str(&serde_json::to_string(&row)?));
                    changed(row);
                    dirty = true;
                }
            }
            if dirty {
                let rows = object(&[("n", &key), ("rows", &chunk.rows)])?;
                drop(tx.object_store(ROWS)?.put(rows).primitive()?);
            }
        }
        let journal = tx.object_store(CASES)?;
        for r in journal.get_all::<JsValue>().await? {
            let r = r?;
            let old = prop(&r, "json")?
                .as_string()
                .and_then(|t| serde_json::from_str(&t).ok());
            let log = || journal_log(&r);
            if let Some(row) = derive(old, &log)? {
                Reflect::set(
                    &r,
                    &JsValue::from_str("json"),
                    &JsValue::from_str(&serde_json::to_string(&row)?),
                )?;
                drop(journal.put(r).primitive()?);
                changed(row);
            }
        }
        Ok(())
    }

    /// Writes the head anew: the newest of the rows `newest` was offered.
    pub(super) async fn put_head(tx: &Transaction<'_>, newest: Newest) -> Result<(), StoreError> {
        put_json(&tx.object_store(META)?, MetaKey::Head, &newest.into_rows()).await
    }

    /// Empties every chunk and the journal (the head and count are the caller's).
    pub(super) async fn clear_cases(tx: &Transaction<'_>) -> Result<(), StoreError> {
        for name in [MEMBERS, LOGS, ROWS, CASES] {
            tx.object_store(name)?.clear()?.await?;
        }
        Ok(())
    }
}

/// The newest [`HEAD_ROWS`] of the rows offered, kept without holding every row.
#[derive(Default)]
pub(super) struct Newest(Vec<CaseSummary>);

impl Newest {
    /// Offers a row.
    pub fn offer(&mut self, row: &CaseSummary) {
        self.0.push(row.clone());
        if self.0.len() >= 2 * HEAD_ROWS {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.0.sort_by(|a, b| order(b).cmp(&order(a)));
        self.0.truncate(HEAD_ROWS);
    }

    /// The newest rows, newest first.
    pub fn into_rows(mut self) -> Vec<CaseSummary> {
        self.trim();
        self.0
    }
}

/// The log of a journal record.
pub(super) fn journal_log(record: &JsValue) -> Result<Log, StoreError> {
    let text = prop(record, "log")?
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("日志记录缺少事件".into()))?;
    Log::from_json(&text)
}

/// The list row of a journal record.
pub(super) fn journal_row(record: &JsValue) -> Result<CaseSummary, StoreError> {
    let text = prop(record, "json")?
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("日志记录缺少列表行".into()))?;
    Ok(serde_json::from_str(&text)?)
}

/// The rows of a `rows` chunk record, parsed.
pub(super) fn chunk_rows(record: &JsValue) -> Result<Vec<CaseSummary>, StoreError> {
    let rows = array(record, "rows")?;
    let mut out = Vec::with_capacity(rows.length() as usize);
    for i in 0..rows.length() {
        out.push(serde_json::from_str(&text_at(&rows, i)?)?);
    }
    Ok(out)
}
