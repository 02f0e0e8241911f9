//! The database schema, one migration step per version. Opening an older database runs
//! the steps it lacks; a database from a newer app version is refused, not damaged.
//!
//! | version | change |
//! |---|---|
//! | 1 | `events` (key `id`, index `by_case` on `case_id`), `cases` (key `id`, index `by_registered` on `registered_at`), `meta` (out-of-line keys) |
//! | 2 | `drafts` (out-of-line keys): form drafts that survive closing the tab |
//! | 3 | `registers` (key `id`, index `by_kind` on `kind`): the working registers' entries |
//! | 4 | `members` and `logs` (each with index `by_case`, multi-entry and unique on `ids`) and `rows`, key `n`: cases in chunks and parts (`layout.rs`); `cases` becomes the journal; `events` is emptied into them on first open (`migrate.rs`) |

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;

use super::error::StoreError;

/// The office database's name.
pub const DB_NAME: &str = "xinfang";
/// The demo mode's database: generated cases never mix with real ones.
pub const DEMO_DB_NAME: &str = "xinfang-demo";
/// The schema version this build writes.
pub const DB_VERSION: u32 = 4;

pub(super) const EVENTS: &str = "events";
pub(super) const EVENTS_BY_CASE: &str = "by_case";
pub(super) const CASES: &str = "cases";
pub(super) const CASES_BY_REGISTERED: &str = "by_registered";
pub(super) const META: &str = "meta";
pub(super) const DRAFTS: &str = "drafts";
pub(super) const REGISTERS: &str = "registers";
pub(super) const REGISTERS_BY_KIND: &str = "by_kind";
pub(super) const MEMBERS: &str = "members";
pub(super) const LOGS: &str = "logs";
pub(super) const BY_CASE: &str = "by_case";
pub(super) const ROWS: &str = "rows";

pub(super) async fn open(name: &str, version: u32) -> Result<Database, StoreError> {
    let opened = Database::open(name)
        .with_version(version)
        .with_on_blocked(|_| Ok(()))
        .with_on_upgrade_needed(move |ev, db| {
            let old = ev.old_version() as u32;
            if old < 1 && version >= 1 {
                db.create_object_store(EVENTS)
                    .with_key_path(KeyPath::One("id"))
                    .build()?
                    .create_index(EVENTS_BY_CASE, KeyPath::One("case_id"))
                    .build()?;
                db.create_object_store(CASES)
                    .with_key_path(KeyPath::One("id"))
                    .build()?
                    .create_index(CASES_BY_REGISTERED, KeyPath::One("registered_at"))
                    .build()?;
                db.create_object_store(META).build()?;
            }
            if old < 2 && version >= 2 {
                db.create_object_store(DRAFTS).build()?;
            }
            if old < 3 && version >= 3 {
                db.create_object_store(REGISTERS)
                    .with_key_path(KeyPath::One("id"))
                    .build()?
                    .create_index(REGISTERS_BY_KIND, KeyPath::One("kind"))
                    .build()?;
            }
            if old < 4 && version >= 4 {
                // A case in two chunks or parts aborts the write that would put it there.
                for name in [MEMBERS, LOGS] {
                    db.create_object_store(name)
                        .with_key_path(KeyPath::One("n"))
                        .build()?
                        .create_index(BY_CASE, KeyPath::One("ids"))
                        .with_multi_entry(true)
                        .with_unique(true)
                        .build()?;
                }
                db.create_object_store(ROWS)
                    .with_key_path(KeyPath::One("n"))
                    .build()?;
            }
            Ok(())
        })
        .await;
    opened.map_err(StoreError::from)
}
