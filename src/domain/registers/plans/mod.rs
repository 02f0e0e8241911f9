//! 应急预案: plans for group petitions and emergencies ("制定好各种情况下的应急预案"),
//! when each applies, who acts and the steps; started on a matching case, handled under
//! it ("事中集中力量优先办理"), and closed by a 事后总结. Every rule of that life is here;
//! the case side of it is `domain::response`.

mod plan;
mod record;

pub use plan::{
    fold, matching, note, record, revise, start, summarize, Plan, PlanBody, PlanError, PlanEvent,
};
pub use record::{PlanDraft, PlanFacts, PlanField, PlanRecord, KIND, MAX_TEXT};

#[cfg(test)]
mod tests;
