//! IndexedDB persistence. The database holds the append-only event log and, beside it,
//! derived rows (case summaries) that list pages read directly, so opening a county's
//! history never folds every case first.
//!
//! Records keep their payload as a JSON string in a `json` field, with only the keys
//! and index fields as JS properties: crossing into wasm, `serde_json` on a string is
//! several times faster than converting JS objects field by field.
//!
//! Every operation that writes several records runs in one transaction: if any write
//! fails the transaction is dropped, which aborts it, and nothing is stored.

mod bulk;
mod cache;
pub mod citizen;
mod connection;
pub mod drafts;
mod error;
mod head;
mod import;
mod layout;
pub mod meta;
mod migrate;
mod records;
mod registers;
mod schema;
mod settings;
mod stored;
mod tabs;

mod cases;

pub use connection::Store;
pub use error::StoreError;
pub use import::ImportError;
pub use records::Arrived;
pub use schema::{DB_NAME, DB_VERSION, DEMO_DB_NAME};
