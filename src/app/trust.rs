//! The directory of trusted units: trusting a card checked by its fingerprint, and
//! withdrawing trust. Each change is saved before it is shown.

use super::env::Env;
use super::error::AppError;
use crate::exchange::card::{revoke, trust, TrustedUnit, UnitCard};
use crate::store::Store;

/// Trusts `card` (renewing an older card of the same unit); returns the directory saved.
pub async fn trust_card(
    store: &Store,
    env: &dyn Env,
    card: UnitCard,
) -> Result<Vec<TrustedUnit>, AppError> {
    let mut directory = store.directory().await?;
    trust(&mut directory, card, env.now());
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
