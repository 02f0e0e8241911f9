//! 演示数据: a made-up county's cases (with its 排查台账 and 应急预案) generated into the demo database in batches; a
//! cancel or a failure removes what was written, so no half data set is left.

use chrono::NaiveDate;

use super::error::AppError;
use super::progress::Progress;
use crate::demo::agreements::demo_agreements;
use crate::demo::plans::{demo_plans, folded, with_plan_work};
use crate::demo::receptions::{demo_receptions, folded as folded_days, with_reception};
use crate::demo::screening::{item_count, screening_items};
use crate::demo::{Generator, Plan, DEMO_SEED, DEMO_SPAN_DAYS};
use crate::domain::calendar::WorkCalendar;
use crate::domain::registers::{agreements, plans, receptions, screening};
use crate::domain::unit::UnitProfile;
use crate::platform::clock;
use crate::store::Store;

/// Cases per write transaction: one chunk of the store's (a batch fills a chunk, never
/// rereads a half-full one), small enough for the progress bar to move and a cancel to
/// be noticed quickly.
pub const BATCH: usize = 1_000;

/// How generating ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// All `count` cases are stored.
    Done,
    /// Cancelled: every generated case was removed.
    Cancelled,
}

/// Replaces the demo database's cases with `count` generated ones, as of `today`.
pub async fn generate(
    store: &Store,
    calendar: &WorkCalendar,
    unit: UnitProfile,
    count: usize,
    today: NaiveDate,
    progress: &dyn Progress,
) -> Result<Generated, AppError> {
    progress.total(count);
    let plan = Plan {
        seed: DEMO_SEED,
        count,
        today,
        span_days: DEMO_SPAN_DAYS,
        unit: unit.clone(),
    };
    let mut generator = Generator::new(plan, calendar.clone());
    let plan_logs = demo_plans(DEMO_SEED, &unit, today);
    let demo_plans_now = folded(&plan_logs);
    let reception_logs = demo_receptions(DEMO_SEED, &unit, today);
    let days = folded_days(&reception_logs);
    let written = async {
        store.delete_all_cases().await?;
        let mut written = 0;
        loop {
            if progress.cancelled() {
                return Ok(false);
            }
            let batch: Vec<_> = std::iter::from_fn(|| generator.next_case())
                .take(BATCH)
                .map(|log| with_plan_work(&demo_plans_now, log, today))
                .map(|log| with_reception(&days, log))
                .collect();
            if batch.is_empty() {
                let items = screening_items(DEMO_SEED, &unit, today, item_count(count));
                store.put_entries(screening::KIND, &items).await?;
                store.put_entries(plans::KIND, &plan_logs).await?;
                store.put_entries(receptions::KIND, &reception_logs).await?;
                let signed = demo_agreements(DEMO_SEED, &unit, today);
                store.put_entries(agreements::KIND, &signed).await?;
                return Ok(true);
            }
            store.add_cases(calendar, &batch).await?;
            written += batch.len();
            progress.set(written);
            clock::yield_now().await;
        }
    };
    match written.await {
        Ok(true) => Ok(Generated::Done),
        Ok(false) => {
            store.delete_all_cases().await?;
            Ok(Generated::Cancelled)
        }
        Err::<_, AppError>(e) => {
            // The failure is what the user needs to hear; what is left is cleared by the
            // next attempt, which starts by clearing.
            let _ = store.delete_all_cases().await;
            Err(e)
        }
    }
}
