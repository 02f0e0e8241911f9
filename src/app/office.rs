//! Opening the office app: the database (migrated), the unit, its calendar and its
//! signing key — sealed under the operator's passphrase, so the app opens locked and
//! is unlocked once; a new key is made from fresh randomness (refused without it).

use super::env::Env;
use super::error::AppError;
use crate::demo::demo_unit;
use crate::domain::calendar::WorkCalendar;
use crate::domain::unit::UnitProfile;
use crate::exchange::envelope::Identity;
use crate::exchange::keyring::{self, check_new, StoredKey};
use crate::exchange::secret::SealedKey;
use crate::store::Store;

/// Minutes without a key press or a click after which the app locks itself.
pub const IDLE_LOCK_MINUTES: i64 = 15;

/// The unit's signing key as the app opened it.
#[derive(Debug, Clone)]
pub enum Key {
    /// Sealed under the operator's passphrase: the app asks for it before anything.
    Locked(SealedKey),
    /// Not sealed yet: a new unit's key (sealed by the first-run setup) or a clear seed
    /// stored by an older version (sealed as soon as the operator chooses a passphrase).
    Unsealed(Identity),
    /// The demo database's key: made for this opening, held in memory only.
    Open(Identity),
}

/// An opened office database and what every page reads of it.
pub struct Office {
    /// The database.
    pub store: Store,
    /// The unit; `None` until first-run setup (a demo database is set up at once).
    pub profile: Option<UnitProfile>,
    /// The working-day calendar.
    pub calendar: WorkCalendar,
    /// The unit's signing key.
    pub key: Key,
}

/// Opens the database `name`; the demo database gets the made-up county as its unit.
pub async fn open(name: &str, demo: bool, env: &dyn Env) -> Result<Office, AppError> {
    let store = Store::open(name).await?;
    let mut profile = store.profile().await?;
    if demo && profile.is_none() {
        let unit = demo_unit();
        store.save_profile(&unit).await?;
        profile = Some(unit);
    }
    let calendar = store.calendar().await?;
    let key = if demo {
        Key::Open(Identity::from_seed(env.random32()?))
    } else {
        match store.stored_key().await? {
            Some(StoredKey::Sealed(sealed)) => Key::Locked(sealed),
            Some(StoredKey::Clear(identity)) => Key::Unsealed(identity),
            None => Key::Unsealed(Identity::from_seed(env.random32()?)),
        }
    };
    Ok(Office {
        store,
        profile,
        calendar,
        key,
    })
}

/// Opens the sealed key with the operator's passphrase.
pub fn unlock(sealed: &SealedKey, passphrase: &str) -> Result<Identity, AppError> {
    Ok(keyring::unlock(sealed, passphrase)?)
}

/// The key sealed under a new operator passphrase (checked with its confirmation), with
/// fresh salt and nonce.
pub fn seal(
    env: &dyn Env,
    identity: &Identity,
    passphrase: &str,
    again: &str,
) -> Result<SealedKey, AppError> {
    check_new(passphrase, again)?;
    let (a, b) = (env.random32()?, env.random32()?);
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&a[..16]);
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&b[..12]);
    Ok(keyring::seal(identity, passphrase, salt, nonce)?)
}

/// Seals a key stored in clear (or not stored yet) under a new operator passphrase,
/// replacing the clear seed.
pub async fn protect(
    store: &Store,
    env: &dyn Env,
    identity: &Identity,
    passphrase: &str,
    again: &str,
) -> Result<(), AppError> {
    let sealed = seal(env, identity, passphrase, again)?;
    Ok(store.save_sealed_key(&sealed).await?)
}

/// First-run setup: the unit's profile and its new key, sealed, stored together.
pub async fn set_up(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    identity: &Identity,
    passphrase: &str,
    again: &str,
) -> Result<(), AppError> {
    let sealed = seal(env, identity, passphrase, again)?;
    Ok(store.set_up(profile, &sealed).await?)
}

/// Changes the operator passphrase: `current` must open the stored key, which must be
/// the key in use; the key is then sealed again under the new passphrase.
pub async fn change_passphrase(
    store: &Store,
    env: &dyn Env,
    identity: &Identity,
    current: &str,
    passphrase: &str,
    again: &str,
) -> Result<(), AppError> {
    let opened = match store.stored_key().await? {
        Some(StoredKey::Sealed(sealed)) => keyring::unlock(&sealed, current)?,
        _ => return Err(keyring::KeyError::Unreadable.into()),
    };
    if &opened != identity {
        return Err(keyring::KeyError::Unreadable.into());
    }
    protect(store, env, identity, passphrase, again).await
}
