//! 登记: what the registrar is warned of before a case is registered (a matter already
//! closed by 终结, earlier cases of the same person or matter, open screening items),
//! registering it, and linking it as a 重复访 of the earlier cases confirmed.

use super::env::Env;
use super::error::AppError;
use super::screening;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::event::Actor;
use crate::domain::ids::EntryId;
use crate::domain::patterns::{suggest_earlier, MatchRow, Suggestion};
use crate::domain::petition::Petition;
use crate::domain::registers::screening::{suggest_items, ItemSuggestion};
use crate::domain::repeats::{closed_matter_warning, closed_matters, link_repeat};
use crate::domain::unit::UnitProfile;
use crate::domain::workflow::Stage;
use crate::store::Store;

/// What to show the registrar before registering.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Warnings {
    /// The same facts and reasons were closed by 终结 (不再受理), in words.
    pub closed_matter: Option<String>,
    /// Earlier cases that may be the same person or matter.
    pub earlier: Vec<Suggestion>,
    /// Open screening items the petition may be about.
    pub items: Vec<ItemSuggestion>,
}

impl Warnings {
    /// True when there is nothing to confirm.
    pub fn is_empty(&self) -> bool {
        self.closed_matter.is_none() && self.earlier.is_empty() && self.items.is_empty()
    }
}

/// Looks for matters closed by 终结 and for earlier cases of the same person or matter.
pub async fn warnings(
    store: &Store,
    petition: &Petition,
    env: &dyn Env,
) -> Result<Warnings, AppError> {
    let rows = store.with_index(|index| index.matchers()).await?;
    let closed = store.rows_where(|r| r.stage == Stage::Terminated).await?;
    let mine = MatchRow::of_petition("", env.now().china_date(), petition);
    let items = screening::items(store).await?;
    Ok(Warnings {
        closed_matter: closed_matter_warning(&closed_matters(petition, &closed)),
        earlier: suggest_earlier(&mine, &rows),
        items: suggest_items(&mine, &items),
    })
}

/// A case registered, and how linking it to the earlier cases went.
#[derive(Debug, Clone)]
pub struct Registered {
    /// The new case.
    pub state: CaseState,
    /// Earlier cases it could not be linked to, each with the reason (the case itself
    /// is registered; these can be linked again on its page).
    pub unlinked: Vec<(String, AppError)>,
}

/// Registers `petition` (dropping the form draft `draft_key` in the same transaction),
/// converted from the screening item `from_item` if one is named (linked in the same
/// transaction), and links it as a 重复访 of each case numbered in `repeat_of`.
#[allow(clippy::too_many_arguments)]
pub async fn register_and_link(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    petition: Petition,
    draft_key: Option<&str>,
    from_item: Option<&EntryId>,
    repeat_of: &[String],
) -> Result<Registered, AppError> {
    let mut state = match from_item {
        Some(item) => {
            screening::register_from(store, env, calendar, profile, petition, item, draft_key)
                .await?
                .0
        }
        None => {
            let ids = (env.case_id()?, env.event_id()?);
            store
                .register(calendar, profile, petition, env.now(), ids, draft_key)
                .await?
        }
    };
    let mut unlinked = Vec::new();
    for no in repeat_of {
        match link_to(store, env, calendar, profile.actor(), &state, no).await {
            Ok(later) => state = later,
            Err(e) => unlinked.push((no.clone(), e)),
        }
    }
    Ok(Registered { state, unlinked })
}

/// Links `later` as a 重复访 of the case numbered `earlier_no` (both cases get an event,
/// in one transaction); returns `later` as it stands after.
pub async fn link_to(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    actor: Actor,
    later: &CaseState,
    earlier_no: &str,
) -> Result<CaseState, AppError> {
    let wanted = earlier_no.trim().to_uppercase();
    let unknown = || AppError::UnknownCase(wanted.clone());
    let row = store
        .rows_where(|r| r.case_no == wanted)
        .await?
        .into_iter()
        .next()
        .ok_or_else(unknown)?;
    let earlier = store.case(&row.id).await?.ok_or_else(unknown)?;
    let events = link_repeat(
        later,
        &earlier,
        (env.event_id()?, env.event_id()?),
        actor,
        env.now(),
    )?;
    let states = store.append_all(calendar, events.into(), None).await?;
    Ok(states
        .into_iter()
        .find(|s| s.id == later.id)
        .unwrap_or_else(|| later.clone()))
}
