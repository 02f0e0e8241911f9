//! 信访工作责任状: the yearly agreement between the county and each township or
//! department ("县政府与各乡镇政府签定了信访工作责任状 … 部门也要切实承担"), its targets
//! chosen from the measures already defined, and the year's 考核表 scoring each target
//! against the same measure the dashboard shows.

mod record;
mod score;

pub use record::{
    AgreementDraft, AgreementField, AgreementRecord, Goal, PartyKind, Target, KIND, MAX_COUNT,
};
pub use score::{score, Actual, Behind, Scorecard, Scored, Verdict};

use super::versioned::{self, Entry, Versioned};
use super::{EntryError, EntryEvent};
use crate::domain::ids::EntryId;

/// What an event of an agreement records (签订, then 修改 with a reason).
pub type AgreementBody = Versioned<AgreementRecord>;

/// One event of an agreement.
pub type AgreementEvent = EntryEvent<AgreementBody>;

/// An agreement as it stands.
pub type Agreement = Entry<AgreementRecord>;

/// Builds an agreement from its events, in any order, ignoring duplicates.
pub fn fold(events: &[AgreementEvent]) -> Result<Agreement, EntryError> {
    versioned::fold(events)
}

pub use versioned::{record, revise};

/// The agreements of `year`, townships first, each kind by name.
pub fn of_year(all: &[Agreement], year: i32) -> Vec<&Agreement> {
    let mut out: Vec<&Agreement> = all.iter().filter(|a| a.record.year == year).collect();
    out.sort_by(|a, b| (a.record.kind, &a.record.party).cmp(&(b.record.kind, &b.record.party)));
    out
}

/// An agreement already signed with the same party for the same year (a second one
/// would score the unit twice), other than `except`.
pub fn same_party<'a>(
    all: &'a [Agreement],
    r: &AgreementRecord,
    except: Option<&EntryId>,
) -> Option<&'a Agreement> {
    all.iter().find(|a| {
        a.record.year == r.year
            && a.record.kind == r.kind
            && a.record.party == r.party
            && Some(&a.id) != except
    })
}

#[cfg(test)]
mod tests;
