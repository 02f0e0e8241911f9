//! The office's screens, one module each (a folder where a screen has sections).

pub mod agreements;
pub mod case;
pub mod dashboard;
pub mod exchange;
pub mod leaders;
pub mod ledger_import;
pub mod list;
pub mod plans;
pub mod receptions;
pub mod register;
pub mod report;
pub mod screening;
pub mod settings;
pub mod workbench;
