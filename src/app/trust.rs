//! The directory of trusted units: trusting a card checked by its fingerprint, and
//! withdrawing trust. Each change is read, made and saved in one transaction before it
//! is shown.

use super::env::Env;
use super::error::AppError;
use crate::exchange::card::{revoke, trust, TrustedUnit, UnitCard};
use crate::store::Store;

/// Trusts `card` (renewing the same card); a new key for a unit already trusted needs its
/// fingerprint `retyped` ([`trust`]). Returns the directory saved.
pub async fn trust_card(
    store: &Store,
    env: &dyn Env,
    card: UnitCard,
    retyped: Option<&str>,
) -> Result<Vec<TrustedUnit>, AppError> {
    let now = env.now();
    store
        .update_directory(|d| trust(d, card, now, retyped).map_err(AppError::from))
        .await
}

/// Withdraws trust in the unit `code`; returns the directory saved.
pub async fn revoke_unit(
    store: &Store,
    env: &dyn Env,
    code: &str,
) -> Result<Vec<TrustedUnit>, AppError> {
    let now = env.now();
    store
        .update_directory(|d| {
            revoke(d, code, now);
            Ok::<(), AppError>(())
        })
        .await
}
