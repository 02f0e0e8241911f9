//! What the dashboard and the monthly report both show: the judged facts, bar charts,
//! scorecards with their exports, and the early-warning lines; a click (or Enter) on any
//! figure, bar or row opens the cases behind it.

pub mod charts;
pub mod data;
pub mod tables;
pub mod warnings;
