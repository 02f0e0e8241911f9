//! The statutory workflow of 《信访工作条例》(2022): one table of stages and the steps
//! each allows, one place for every deadline rule, and the checks that refuse a step
//! with the rule it breaks. The UI asks this module what is allowed and what is due.
//!
//! Article numbers follow the project's domain brief: 分流 Art. 22; objection within
//! 5 working days and 受理告知 within 15 days Art. 23; 处理意见书 Art. 32; 60 days plus at
//! most one extension of 30 days Art. 34; 复查 Art. 35; 复核 Art. 36.

mod check;
pub mod flow;
mod parts;
pub mod party;
pub mod refusal;
pub mod steps;

#[cfg(test)]
mod handoff_tests;
#[cfg(test)]
mod tests;

pub use flow::{describe_due, notice_due, Due, DueKind, Flow, Supervision};
pub use party::{Party, Viewer};
pub use refusal::RuleError;
pub use steps::{
    OpinionKind, Rating, Routing, Stage, Step, StepKind, HANDLING_DAYS, MAX_EXTENSION_DAYS,
    NOTICE_DAYS, OBJECTION_WORKING_DAYS, REVIEW_DAYS, ROUTING_DAYS, TRANSITIONS,
};
