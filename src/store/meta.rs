//! The `meta` store's keys, typed: every setting, counter and marker has one variant,
//! and its key string is written in one place.

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::error::StoreError;
use crate::domain::case::Series;

/// A record of the `meta` store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKey<'a> {
    /// The unit profile (JSON).
    Profile,
    /// The edited working-day calendar (JSON).
    Calendar,
    /// The unit's sensitive dates (JSON).
    SensitiveDates,
    /// The unit's Ed25519 seed (base64 text).
    Identity,
    /// The trusted units (JSON).
    Directory,
    /// Time and event count of the last backup (JSON).
    LastBackup,
    /// The shape of the list rows held (a number).
    RowsVersion,
    /// How many cases are held (a number).
    CaseCount,
    /// The newest list rows, for the first page (JSON, newest first).
    Head,
    /// The layout the cases are stored in (a number; absent before schema 4's move).
    Layout,
    /// The case number an online submission became (text), by its 查询码.
    QueryCode(&'a str),
    /// The last sequence issued in a series of case numbers (a number).
    LastNumber(&'a Series),
}

impl MetaKey<'_> {
    /// The record's key.
    pub fn key(&self) -> String {
        match self {
            MetaKey::Profile => "profile".into(),
            MetaKey::Calendar => "calendar".into(),
            MetaKey::SensitiveDates => "sensitive_dates".into(),
            MetaKey::Identity => "identity".into(),
            MetaKey::Directory => "directory".into(),
            MetaKey::LastBackup => "last_backup".into(),
            MetaKey::RowsVersion => "rows_version".into(),
            MetaKey::CaseCount => "case_count".into(),
            MetaKey::Head => "head".into(),
            MetaKey::Layout => "layout".into(),
            MetaKey::QueryCode(code) => format!("qc:{code}"),
            MetaKey::LastNumber(s) => format!("seq:{}:{}", s.unit_code, s.year),
        }
    }
}

/// A number kept under `key`, inside the caller's transaction (counters, versions and
/// the case count are plain numbers, not JSON).
pub(super) async fn get_number(
    meta: &ObjectStore<'_>,
    key: MetaKey<'_>,
) -> Result<Option<f64>, StoreError> {
    Ok(meta.get(key.key().as_str()).await?)
}

/// Keeps a number under `key`, inside the caller's transaction.
pub(super) async fn put_number(
    meta: &ObjectStore<'_>,
    key: MetaKey<'_>,
    n: f64,
) -> Result<(), StoreError> {
    meta.put(JsValue::from_f64(n))
        .with_key(key.key())
        .without_key_type()
        .await?;
    Ok(())
}

/// Text kept under `key`, inside the caller's transaction.
pub(super) async fn get_text(
    meta: &ObjectStore<'_>,
    key: MetaKey<'_>,
) -> Result<Option<String>, StoreError> {
    Ok(meta.get(key.key().as_str()).await?)
}

/// Keeps text under `key`, inside the caller's transaction.
pub(super) async fn put_text(
    meta: &ObjectStore<'_>,
    key: MetaKey<'_>,
    text: &str,
) -> Result<(), StoreError> {
    meta.put(text).with_key(key.key()).await?;
    Ok(())
}

/// A JSON value kept under `key`, inside the caller's transaction.
pub(super) async fn get_json<T: serde::de::DeserializeOwned>(
    meta: &ObjectStore<'_>,
    key: MetaKey<'_>,
) -> Result<Option<T>, StoreError> {
    let json = get_text(meta, key).await?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

/// Keeps a JSON value under `key`, inside the caller's transaction.
pub(super) async fn put_json<T: serde::Serialize + ?Sized>(
    meta: &ObjectStore<'_>,
    key: MetaKey<'_>,
    value: &T,
) -> Result<(), StoreError> {
    put_text(meta, key, &serde_json::to_string(value)?).await
}
