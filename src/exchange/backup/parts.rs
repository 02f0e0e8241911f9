//! What a backup is written from and what a restore gives back, besides the cases.

use std::collections::BTreeMap;

use crate::domain::calendar::WorkCalendar;
use crate::domain::case::Series;
use crate::domain::registers::agreements::AgreementEvent;
use crate::domain::registers::plans::PlanEvent;
use crate::domain::registers::receptions::ReceptionEvent;
use crate::domain::registers::screening::ScreeningEvent;
use crate::domain::sensitive::SensitiveDate;
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::exchange::card::TrustedUnit;
use crate::exchange::envelope::Identity;

/// Everything a backup restores besides the cases.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Unit profile.
    pub profile: UnitProfile,
    /// Calendar.
    pub calendar: WorkCalendar,
    /// Trusted units.
    pub directory: Vec<TrustedUnit>,
    /// Sensitive dates.
    pub sensitive_dates: Vec<SensitiveDate>,
    /// The screening register's items, each a log that folds.
    pub screening: Vec<Vec<ScreeningEvent>>,
    /// The emergency plans, each a log that folds.
    pub plans: Vec<Vec<PlanEvent>>,
    /// The reception days, each a log that folds.
    pub receptions: Vec<Vec<ReceptionEvent>>,
    /// The responsibility agreements, each a log that folds.
    pub agreements: Vec<Vec<AgreementEvent>>,
    /// Signing identity.
    pub identity: Identity,
    /// The last case number of each series, so numbers are never reused.
    pub counters: BTreeMap<Series, u32>,
}

/// Everything needed to write a backup besides the cases.
pub struct BackupInput<'a> {
    /// Unit profile.
    pub profile: &'a UnitProfile,
    /// Calendar.
    pub calendar: &'a WorkCalendar,
    /// Trusted units.
    pub directory: &'a [TrustedUnit],
    /// Sensitive dates.
    pub sensitive_dates: &'a [SensitiveDate],
    /// The screening register's items.
    pub screening: &'a [Vec<ScreeningEvent>],
    /// The emergency plans.
    pub plans: &'a [Vec<PlanEvent>],
    /// The reception days.
    pub receptions: &'a [Vec<ReceptionEvent>],
    /// The responsibility agreements.
    pub agreements: &'a [Vec<AgreementEvent>],
    /// Signing identity (signs every volume, and is sealed inside the first).
    pub identity: &'a Identity,
    /// Now.
    pub at: Timestamp,
}
