//! Each hostile event a file could carry is refused; relaying another unit's events, and
//! a unit's own part of a case, are accepted.

use super::*;
use crate::domain::case::{register, CaseNumber};
use crate::domain::event::{Actor, FieldChange, FieldValue};
use crate::domain::field::PetitionField;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::petition::tests::{today, valid_draft};
use crate::domain::workflow::Step;

/// 2026-11-26 10:00 in Beijing, plus `n` minutes.
fn at(n: i64) -> Timestamp {
    Timestamp(1_795_658_400_000 + n * 60_000)
}

fn county() -> Actor {
    Actor {
        unit_code: "XF01".into(),
        unit_name: "某某县信访局".into(),
        operator: "王五".into(),
    }
}

fn township() -> Actor {
    Actor {
        unit_code: "CGZ01".into(),
        unit_name: "城关镇人民政府".into(),
        operator: "李四".into(),
    }
}

fn registration(n: u8, actor: Actor, when: Timestamp) -> Event {
    register(
        EventId::from_random([n; 16]),
        CaseId::from_random([1; 16]),
        actor,
        when,
        &CaseNumber::next("XF01", 2026, None),
        valid_draft().validate(today()).unwrap(),
    )
}

fn event(n: u8, actor: Actor, when: Timestamp, body: EventBody) -> Event {
    Event {
        id: EventId::from_random([n; 16]),
        case_id: CaseId::from_random([1; 16]),
        actor,
        at: when,
        body,
    }
}

fn note(n: u8, actor: Actor, when: Timestamp) -> Event {
    event(
        n,
        actor,
        when,
        EventBody::Step {
            step: Step::Note {
                text: "走访核实".into(),
                on: today(),
            },
        },
    )
}

fn correction(n: u8, actor: Actor, when: Timestamp) -> Event {
    event(
        n,
        actor,
        when,
        EventBody::Corrected {
            changes: vec![FieldChange {
                field: PetitionField::Title,
                old: FieldValue::Text("旧".into()),
                new: FieldValue::Text("新".into()),
            }],
            reason: "更正".into(),
        },
    )
}

const COUNTY: Importer = Importer {
    unit_name: "县信访局",
    unit_code: "XF01",
    now: Timestamp(1_795_658_400_000 + 600 * 60_000),
};
const TOWNSHIP: Importer = Importer {
    unit_name: "城关镇人民政府",
    unit_code: "CGZ01",
    now: Timestamp(1_795_658_400_000 + 600 * 60_000),
};

#[test]
fn another_units_part_and_a_relayed_case_are_accepted() {
    let held = [registration(1, county(), at(0))];
    // The township's own note on the county's case, back at the county.
    assert_eq!(
        check_incoming(&held, &[note(2, township(), at(5))], &COUNTY),
        Ok(())
    );
    // The whole case, new at the township: the county's events relayed unchanged.
    let file = [
        registration(1, county(), at(0)),
        note(3, county(), at(1)),
        correction(4, county(), at(2)),
    ];
    assert_eq!(check_incoming(&[], &file, &TOWNSHIP), Ok(()));
    // Within the clock tolerance of the importer.
    let soon = Timestamp(COUNTY.now.0 + CLOCK_TOLERANCE_MS);
    assert_eq!(
        check_incoming(&held, &[note(5, township(), soon)], &COUNTY),
        Ok(())
    );
}

#[test]
fn a_second_registration_is_refused_held_or_in_the_file() {
    let held = [registration(1, county(), at(0))];
    let earlier = registration(9, township(), at(-60));
    assert!(matches!(
        check_incoming(&held, std::slice::from_ref(&earlier), &COUNTY),
        Err(AuthorshipError::SecondRegistration { author, .. }) if author == "城关镇人民政府"
    ));
    let two = [registration(1, county(), at(0)), earlier];
    assert!(matches!(
        check_incoming(&[], &two, &TOWNSHIP),
        Err(AuthorshipError::SecondRegistration { .. })
    ));
}

#[test]
fn an_event_in_the_importers_name_it_never_wrote_is_refused() {
    let held = [registration(1, county(), at(0))];
    let forged = note(2, county(), at(5));
    let e = check_incoming(&held, &[forged], &COUNTY).unwrap_err();
    assert_eq!(
        e,
        AuthorshipError::OwnName {
            unit: "XF01".into()
        }
    );
    assert!(e.to_string().contains("本单位的记录只能在本机产生"), "{e}");
}

#[test]
fn future_and_back_dated_events_are_refused() {
    let held = [registration(1, county(), at(0))];
    let future = Timestamp(COUNTY.now.0 + CLOCK_TOLERANCE_MS + 1);
    assert!(matches!(
        check_incoming(&held, &[note(2, township(), future)], &COUNTY),
        Err(AuthorshipError::Future { .. })
    ));
    assert!(matches!(
        check_incoming(&held, &[note(3, township(), at(-1))], &COUNTY),
        Err(AuthorshipError::BeforeCase { .. })
    ));
}

#[test]
fn only_the_registering_unit_corrects_the_registration() {
    let held = [registration(1, county(), at(0))];
    assert!(matches!(
        check_incoming(&held, &[correction(2, township(), at(5))], &COUNTY),
        Err(AuthorshipError::CorrectionByOther { registrar, .. }) if registrar == "某某县信访局"
    ));
}

#[test]
fn events_without_their_registration_are_refused() {
    assert_eq!(
        check_incoming(&[], &[note(2, township(), at(5))], &COUNTY),
        Err(AuthorshipError::NoRegistration)
    );
}
