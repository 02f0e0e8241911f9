//! Pieces several screens share: messages, the loading and error states, drafts, the
//! progress bar, the petition form, the export bar, and the dashboard's charts.

pub mod drafts;
pub mod export_bar;
pub mod forms;
pub mod ledger_export;
pub mod loading;
pub mod measures;
pub mod message;
pub mod passphrase;
pub mod print_batch;
pub mod progress;
pub mod revisions;
