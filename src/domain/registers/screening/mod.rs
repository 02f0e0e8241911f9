//! 矛盾纠纷排查台账: matters found by screening before anyone petitions ("将问题解决在萌芽
//! 状态"). Each item is recorded, revised, followed up until 化解, or converted into a
//! case, which then links back to it; every rule of its life is here.

mod draft;
mod item;
mod reading;
mod record;

pub use draft::ScreeningDraft;
pub use item::{
    convert, fold, follow_up, link_case, record, revise, FollowUp, ItemError, ScreeningBody,
    ScreeningEvent, ScreeningItem,
};
pub use reading::{
    attention, figures, suggest_items, ItemFilter, ItemSuggestion, ScreeningFigures,
};
pub use record::{
    ItemStatus, Outcome, Risk, ScreeningField, ScreeningRecord, KIND, MAX_DEADLINE_DAYS,
};

#[cfg(test)]
mod tests;
