//! The application's operations: each multi-step piece of work a screen starts
//! (register and link, import a transfer, import citizens' files, back up, restore,
//! generate demo data, trust and revoke units), written once here with a typed result,
//! so screens only call them and show what came back, and each is tested in the
//! browser (`tests/operations.rs`) as well as end to end.
//!
//! Operations get the time and fresh ids from an [`env::Env`] and report long work to a
//! [`progress::Progress`], so tests can fix the one and cancel through the other.

pub mod agreements;
pub mod backup;
pub mod case;
pub mod citizen;
pub mod demo;
mod entries;
pub mod env;
pub mod error;
pub mod leaders;
pub mod ledger;
pub mod office;
pub mod plans;
pub mod progress;
pub mod receptions;
pub mod register;
pub mod screening;
pub mod transfer;
pub mod trust;
