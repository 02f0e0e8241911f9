//! What every office page shares: the open store, the unit, its calendar and key.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::calendar::WorkCalendar;
use crate::domain::{CaseFilter, UnitProfile};
use crate::exchange::envelope::Identity;
use crate::store::Store;

/// What every page shares: the open store and the unit profile.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub(super) store: StoredValue<Rc<Store>, LocalStorage>,
    /// The unit profile; `None` until first-run setup is done.
    pub profile: RwSignal<Option<UnitProfile>>,
    /// The working-day calendar every deadline is computed with.
    pub calendar: RwSignal<WorkCalendar>,
    /// This unit's signing identity.
    pub identity: StoredValue<Identity>,
    /// Filters the case list opens with next (set by a click on a dashboard figure).
    pub list_preset: RwSignal<Option<CaseFilter>>,
    /// The demo mode: generated cases in their own database.
    pub demo: bool,
}

impl Ctx {
    /// The open store.
    pub fn store(&self) -> Rc<Store> {
        self.store.get_value()
    }
}

/// The shared context of the pages.
pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}
