//! The facts every figure is computed from, read once, and opening the cases behind one.

use std::rc::Rc;

use leptos::prelude::*;

use crate::app::screening;
use crate::domain::measures::{Drill, Judged, Period};
use crate::domain::patterns::MatchRow;
use crate::domain::registers::screening::ScreeningItem;
use crate::domain::search::CaseSummary;
use crate::domain::search::Picked;
use crate::domain::sensitive::SensitiveDate;
use crate::domain::CaseFilter;
use crate::store::Store;
use crate::ui::context::{ctx, Ctx};
use crate::ui::route::Route;

/// What the dashboard and the monthly report read.
pub struct Loaded {
    /// Every case's facts, judged once as of today.
    pub judged: Judged,
    /// Every case's matching keys (repeat petitioners, clusters), shared with the index,
    /// in the order of `judged.facts()`.
    pub rows: Vec<Rc<MatchRow>>,
    /// The unit's sensitive dates.
    pub sensitive: Vec<SensitiveDate>,
    /// The screening register's items.
    pub screening: Vec<ScreeningItem>,
    /// The cases on which an emergency plan was started.
    pub planned: Vec<CaseSummary>,
}

impl Loaded {
    /// The match keys of the cases received in `p`, picked by the facts' days (held
    /// side by side, in the same order): asking each shared key its own day would touch
    /// every case's key, scattered over a county's memory, on every period switch.
    pub fn matchers_in(&self, p: Period) -> Vec<&MatchRow> {
        self.judged
            .facts()
            .iter()
            .zip(&self.rows)
            .filter(|(f, _)| p.contains(f.received_on))
            .map(|(_, m)| &**m)
            .collect()
    }
}

/// Reads what the dashboard needs from the store, and judges every case as of `today`.
pub async fn read(store: &Store, today: chrono::NaiveDate) -> Result<Loaded, String> {
    let (facts, rows) = store
        .with_index(|index| (index.facts(), index.matchers()))
        .await
        .map_err(|e| e.to_string())?;
    let sensitive = store.sensitive_dates().await.map_err(|e| e.to_string())?;
    let screening = screening::items(store).await.map_err(|e| e.to_string())?;
    let planned = store
        .rows_where(|r| !r.plans.is_empty())
        .await
        .map_err(|e| e.to_string())?;
    Ok(Loaded {
        judged: Judged::new(facts, today),
        rows,
        sensitive,
        screening,
        planned,
    })
}

/// [`read`] as a resource of the page.
pub fn load(today: chrono::NaiveDate) -> LocalResource<Result<Rc<Loaded>, String>> {
    let ctx = ctx();
    LocalResource::new(move || {
        let store = ctx.store();
        async move { read(&store, today).await.map(Rc::new) }
    })
}

/// Opens the case list on the cases behind a figure.
pub type Opener = Rc<dyn Fn(Period, Drill)>;

/// Lists the given cases under a label.
pub fn pick(label: String, case_nos: impl IntoIterator<Item = String>) {
    pick_in(ctx(), label, case_nos);
}

/// [`pick`] with the app's context in hand (from a task that outlived the reactive
/// scope the click ran in).
pub fn pick_in(ctx: Ctx, label: String, case_nos: impl IntoIterator<Item = String>) {
    ctx.list_preset.set(Some(CaseFilter {
        picked: Some(Picked {
            label,
            case_nos: case_nos.into_iter().collect(),
        }),
        ..CaseFilter::default()
    }));
    Route::Cases.go();
}

/// The opener over the loaded facts, judged as of `today`.
pub fn opener(data: Rc<Loaded>) -> Opener {
    Rc::new(move |p: Period, d: Drill| {
        pick(
            format!("{}（{} 至 {}）", d.label(), p.from, p.to),
            data.judged.cases_behind(p, &d),
        );
    })
}
