//! Opening the office app: the database (migrated), the unit, its calendar and its
//! signing key, made on first use from fresh randomness (refused without it).

use super::env::Env;
use super::error::AppError;
use crate::demo::demo_unit;
use crate::domain::calendar::WorkCalendar;
use crate::domain::unit::UnitProfile;
use crate::exchange::envelope::Identity;
use crate::store::Store;

/// An opened office database and what every page reads of it.
pub struct Office {
    /// The database.
    pub store: Store,
    /// The unit; `None` until first-run setup (a demo database is set up at once).
    pub profile: Option<UnitProfile>,
    /// The working-day calendar.
    pub calendar: WorkCalendar,
    /// The unit's signing identity.
    pub identity: Identity,
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
    let identity = store.identity_or_create(env.random32()?).await?;
    Ok(Office {
        store,
        profile,
        calendar,
        identity,
    })
}
