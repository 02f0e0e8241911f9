//! What every register's form checks the same way as registration does.

use crate::domain::errors::FieldErrors;
use crate::domain::validate::{non_blank, too_long};

/// A text field trimmed; its message under `key` when it is missing (and `missing`
/// says it is required) or longer than `max`.
pub fn text(
    value: &str,
    key: &str,
    missing: Option<&str>,
    max: usize,
    e: &mut FieldErrors,
) -> String {
    match (non_blank(value), missing) {
        (None, Some(m)) => e.add(key, m),
        (v, _) => {
            if let Some(m) = v.and_then(|v| too_long(v, max)) {
                e.add(key, m);
            }
        }
    }
    value.trim().to_owned()
}
