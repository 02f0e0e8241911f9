//! The directory of trusted units: trusting a card checked by its fingerprint, and
//! withdrawing trust. Each change is saved before it is shown.

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
    let mut directory = store.directory().await?;
    trust(&mut directory, card, env.now(), retyped)?;
    store.save_directory(&directory).await?;
    Ok(directory)
}

/// Withdraws trust in the unit `code`; returns the directory saved.
pub async fn revoke_unit(
    store: &Store,
    env: &dyn Env,
    code: &str,
) -> Result<Vec<TrustedUnit>, AppError> {
    let mut directory = store.directory().await?;
    revoke(&mut directory, code, env.now());
    store.save_directory(&directory).await?;
    Ok(directory)
}
