//! The working registers a backup carries: each entry's log must fold, each entry once,
//! or the backup is refused before anything is stored.

use std::collections::HashSet;

use crate::domain::registers::{EntryError, EntryEvent};
use crate::exchange::error::BundleError;

/// Checks the register `name`'s logs with its `fold`.
pub fn folds<B, T>(
    name: &str,
    logs: &[Vec<EntryEvent<B>>],
    fold: fn(&[EntryEvent<B>]) -> Result<T, EntryError>,
) -> Result<(), BundleError> {
    let mut seen = HashSet::new();
    for log in logs {
        fold(log).map_err(|e| BundleError::Malformed(format!("{name}: {e}")))?;
        // A log that folds is of one entry.
        if let Some(first) = log.first() {
            if !seen.insert(first.entry.clone()) {
                return Err(BundleError::Malformed(format!("{name}: 条目重复")));
            }
        }
    }
    Ok(())
}
