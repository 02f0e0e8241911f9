//! The head: `meta["head"]`, the newest list rows, kept by every write of rows in its
//! own transaction, so the first page after a cold start is one record.

use indexed_db_futures::transaction::Transaction;

use super::connection::Store;
use super::error::StoreError;
use super::meta::{get_json, put_json, MetaKey};
use super::schema::META;
use super::stored::{Newest, HEAD_ROWS};
use crate::domain::index::order;
use crate::domain::search::CaseSummary;

impl Store {
    /// Keeps the head in step with `rows` just written: the newest [`HEAD_ROWS`] rows.
    /// A case's registration instant never changes, so only new cases push rows out.
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

    /// Writes the head anew: the newest of the rows `newest` was offered.
    pub(super) async fn put_head(tx: &Transaction<'_>, newest: Newest) -> Result<(), StoreError> {
        put_json(&tx.object_store(META)?, MetaKey::Head, &newest.into_rows()).await
    }
}
