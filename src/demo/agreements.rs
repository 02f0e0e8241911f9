//! The demo county's 信访工作责任状 of this year: one with each township (属地管理) and
//! with the first departments (谁主管谁负责), signed in January by the county head, with
//! targets a county would set; scored on the demo cases, some are met and some missed.

use chrono::{Datelike, NaiveDate};

use super::{Rng, DEPARTMENTS, GIVEN, SURNAMES};
use crate::domain::ids::{EntryId, EventId};
use crate::domain::registers::agreements::{self, AgreementDraft, AgreementEvent, Goal, PartyKind};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;

/// Who signs for the county in the demo.
const COUNTY_HEAD: &str = "赵振华（县长）";

/// The demo unit's agreements, as their events.
pub fn demo_agreements(
    seed: u64,
    unit: &UnitProfile,
    today: NaiveDate,
) -> Vec<Vec<AgreementEvent>> {
    let mut rng = Rng::new(seed ^ 0xa9_2ee3);
    let year = today.year();
    // Signed early in January; on the first days of a year, the December before.
    let signed = NaiveDate::from_ymd_opt(year, 1, 8)
        .filter(|d| *d <= today)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year - 1, 12, 28).unwrap_or(today));
    let parties = unit
        .townships
        .iter()
        .map(|t| (PartyKind::Township, t.as_str()))
        .chain(
            DEPARTMENTS
                .iter()
                .take(3)
                .map(|d| (PartyKind::Department, *d)),
        );
    parties
        .filter_map(|(kind, party)| {
            let person = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
            let post = match kind {
                PartyKind::Township if party.ends_with('镇') => "镇长",
                PartyKind::Township => "乡长",
                PartyKind::Department => "局长",
            };
            let mut targets = vec![
                (Goal::OnTimeAnswer, (90 + 2 * rng.below(4)).to_string()),
                (Goal::Satisfied, (80 + 5 * rng.below(3)).to_string()),
            ];
            if kind == PartyKind::Township {
                targets.push((Goal::Group, (2 + rng.below(4)).to_string()));
                targets.push((Goal::SkipLevel, rng.below(2).to_string()));
                targets.push((Goal::Repeat, "10".into()));
                targets.push((Goal::ScreeningResolved, "80".into()));
            }
            let draft = AgreementDraft {
                kind: Some(kind),
                party: party.to_owned(),
                year: year.to_string(),
                targets: targets.into_iter().collect(),
                signed_on: signed.to_string(),
                county_signatory: COUNTY_HEAD.into(),
                party_signatory: format!("{person}（{post}）"),
            };
            let ids = (
                EventId::from_random(rng.bytes16()),
                EntryId::from_random(rng.bytes16()),
            );
            let at = Timestamp::start_of_china_date(signed);
            Some(vec![agreements::record(
                ids,
                unit.actor(),
                at,
                draft.validate(today).ok()?,
            )])
        })
        .collect()
}
