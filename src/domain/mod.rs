//! Pure domain: every rule of the product lives here, in plain Rust with no browser
//! types, so it is tested natively and every layer above asks it rather than deciding.
//!
//! Time, ids and randomness come in as arguments; nothing here reads a clock.

pub mod attachment;
pub mod authorship;
pub mod calendar;
pub mod case;
pub mod documents;
pub mod errors;
pub mod event;
pub mod field;
pub mod guide;
pub mod idcard;
pub mod ids;
pub mod index;
pub mod leaders;
pub mod leadership;
pub mod ledger;
pub mod measures;
pub mod patterns;
pub mod petition;
pub mod registers;
pub mod repeats;
pub mod response;
pub mod search;
pub mod sensitive;
pub mod step_form;
pub mod text;
pub mod time;
pub mod unit;
pub mod validate;
pub mod vocab;
pub mod workbench;
pub mod workflow;

pub use case::{CaseNumber, CaseState};
pub use errors::FieldErrors;
pub use event::{Actor, Event, EventBody};
pub use ids::{CaseId, EventId};
pub use petition::{Petition, PetitionDraft, Petitioner};
pub use search::{CaseFilter, CaseSummary};
pub use time::Timestamp;
pub use unit::{UnitDraft, UnitProfile};
