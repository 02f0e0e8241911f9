//! Screening items handed from the county to a township and reported back: signed by
//! their authors, merged by event id, refused whole when a rule is broken.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::authorship::AuthorshipError;
use crate::domain::ids::EntryId;
use crate::domain::registers::screening::{
    follow_up, record, revise, ItemError, Outcome, Risk, ScreeningDraft,
};
use crate::domain::unit::tests::county;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::{Category, UnitLevel};
use crate::exchange::envelope::Identity;
use crate::exchange::read::{read, Contents};
use crate::exchange::recipient::{Decryptor, EncryptionKey};
use crate::exchange::tests::{case, signer, town, township, TOWNSHIP};
use crate::exchange::transfer::{
    seal_transfer, transfer, transfer_items, Purpose, Transfer, VerifiedTransfer,
};

const AT: i64 = 1_795_658_400_000;

/// The county importing the township's report, two days after the item was found.
const COUNTY: Importer = Importer {
    unit_code: "XF01",
    unit_name: "某某县信访局",
    now: Timestamp(AT + 2 * 86_400_000),
};

fn town_profile() -> UnitProfile {
    UnitProfile {
        name: "城关镇人民政府".into(),
        level: UnitLevel::Township,
        code: "CGZ01".into(),
        townships: vec![],
        departments: vec![],
        operator: "李四".into(),
        parent: "某某县信访局".into(),
    }
}

fn town_identity() -> Identity {
    Identity::from_seed([2; 32])
}

fn eid(a: u8, b: u8) -> EventId {
    let mut bytes = [a; 16];
    bytes[1] = b;
    EventId::from_random(bytes)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// An item the county found (and followed up once), ids from `seed`.
fn county_item(seed: u8) -> ScreeningItem {
    let draft = ScreeningDraft {
        found_on: "2026-11-02".into(),
        township: "城关镇".into(),
        village: "东村".into(),
        category: Some(Category::LandExpropriation),
        parties: "张三、李四等".into(),
        head_count: "12".into(),
        matter: format!("东村第{seed}组征地补偿款分配不均"),
        risk: Some(Risk::High),
        responsible: "城关镇人民政府".into(),
        leader: "李副县长".into(),
        measures: "镇村干部逐户走访".into(),
        controls: String::new(),
        deadline: "2026-12-30".into(),
    };
    let first = record(
        eid(seed, 0),
        EntryId::from_random([seed; 16]),
        county().actor(),
        Timestamp(AT),
        draft.validate(today()).unwrap(),
    );
    let item = fold(std::slice::from_ref(&first)).unwrap();
    let next = follow_up(
        &item,
        today(),
        "县信访局约谈村两委",
        Outcome::Resolving,
        today(),
        (eid(seed, 1), county().actor(), Timestamp(AT + 1)),
    )
    .unwrap();
    fold(&[first, next]).unwrap()
}

fn opened(file: &str, me: &Decryptor) -> Result<VerifiedTransfer, BundleError> {
    let (opened, contents) = read(file.as_bytes(), me)?;
    let Contents::Transfer { transfer, events } = contents else {
        panic!("a transfer")
    };
    Ok(VerifiedTransfer::of(
        opened.signer,
        transfer,
        events,
        file.as_bytes(),
    ))
}

/// The county's 交办 of `items` to the township, sealed after `edit`.
fn to_town(items: &[ScreeningItem], edit: impl FnOnce(&mut Transfer)) -> String {
    let mut t = transfer_items(
        &county(),
        &township(),
        Purpose::Assign,
        items,
        Timestamp(AT + 5),
    )
    .unwrap();
    edit(&mut t);
    seal_transfer(&t, &signer(), town().key(), [6; 32]).unwrap()
}

/// The township's report back to the county of `items`, the county's events carried
/// with the signatures they came with (`held`), sealed after `edit`.
fn to_county(
    items: &[ScreeningItem],
    held: &BTreeMap<EventId, EventSignature>,
    edit: impl FnOnce(&mut Transfer),
) -> String {
    let us = crate::exchange::card::UnitRef {
        code: "XF01".into(),
        name: "某某县信访局".into(),
    };
    let mut t = transfer_items(
        &town_profile(),
        &us,
        Purpose::Report,
        items,
        Timestamp(AT + 9),
    )
    .unwrap();
    crate::exchange::authors::carry(&mut t.items, held);
    edit(&mut t);
    seal_transfer(&t, &town_identity(), &EncryptionKey::of(&signer()), [7; 32]).unwrap()
}

fn held_of(items: &[ScreeningItem]) -> BTreeMap<EntryId, Vec<ScreeningEvent>> {
    items
        .iter()
        .map(|i| (i.id.clone(), i.events.clone()))
        .collect()
}

#[test]
fn an_item_goes_to_the_township_and_its_follow_up_comes_back_once() {
    let item = county_item(1);
    let file = to_town(std::slice::from_ref(&item), |_| {});
    let at_town = opened(&file, &town()).unwrap();
    assert!(at_town.events.is_empty(), "no cases in an item file");
    let events = validate_items(&at_town.transfer.items).unwrap();
    let plan = plan_items(&events, &BTreeMap::new(), &TOWNSHIP).unwrap();
    assert_eq!(plan.new_items, vec![item.record.title()]);
    assert_eq!(plan.to_add.len(), 2);
    // Every county event arrives signed by the county.
    assert_eq!(at_town.signatures.len(), 2);

    // The township follows it up and reports back.
    let received = fold(&plan.to_add).unwrap();
    assert!(
        !received.may_revise("CGZ01"),
        "only the county revises the record"
    );
    let done = follow_up(
        &received,
        today(),
        "镇里公开补偿明细，村民认可",
        Outcome::Resolved,
        today(),
        (
            eid(1, 9),
            town_profile().actor(),
            Timestamp(AT + 86_400_000),
        ),
    )
    .unwrap();
    let now = fold(&[plan.to_add.clone(), vec![done]].concat()).unwrap();
    let report = to_county(std::slice::from_ref(&now), &at_town.signatures, |_| {});
    let at_county = opened(&report, &Decryptor::of(&signer())).unwrap();
    let back = validate_items(&at_county.transfer.items).unwrap();
    let held = held_of(std::slice::from_ref(&item));
    let plan = plan_items(&back, &held, &COUNTY).unwrap();
    assert_eq!(plan.updated_items, vec![(item.record.title(), 1)]);
    assert_eq!(plan.already_held, 2);
    let merged = fold(&[item.events.clone(), plan.to_add.clone()].concat()).unwrap();
    assert_eq!(merged.follow_ups.len(), 2);
    assert_eq!(merged.status.label(), "已化解");

    // Importing the same report again adds nothing.
    let again = plan_items(&back, &held_of(&[merged]), &COUNTY).unwrap();
    assert!(again.is_noop());
    assert_eq!(again.already_held, 3);
}

#[test]
fn an_item_event_changed_on_the_way_or_unsigned_refuses_the_file() {
    let item = county_item(2);
    let changed = to_town(std::slice::from_ref(&item), |_| {});
    let at_town = opened(&changed, &town()).unwrap();
    // The township relays the county's follow-up with a changed text.
    let report = to_county(std::slice::from_ref(&item), &at_town.signatures, |t| {
        t.items[0].events[1].operator = "冒名".into();
    });
    let refused = opened(&report, &Decryptor::of(&signer()));
    assert!(matches!(
        refused,
        Err(BundleError::EventSignature { ref case_no, ref author })
            if case_no.starts_with("排查事项“") && author == "某某县信访局"
    ));
    // The sender's own events must carry its signature, whatever version is claimed.
    let mut t = transfer_items(
        &county(),
        &township(),
        Purpose::Assign,
        std::slice::from_ref(&item),
        Timestamp(AT + 5),
    )
    .unwrap();
    crate::exchange::authors::sign_own(&mut t.items, "XF01", &signer()).unwrap();
    t.items[0].events[0].signature = None;
    let unsigned = crate::exchange::recipient::seal_to(
        crate::exchange::envelope::PayloadType::Transfer,
        &t,
        town().key(),
        &signer(),
        [6; 32],
    )
    .unwrap();
    assert!(matches!(
        opened(&unsigned, &town()),
        Err(BundleError::SenderUnsigned { .. })
    ));
}

#[test]
fn an_item_event_signature_is_not_a_case_event_signature() {
    let item = county_item(3);
    let mut wire = wire_items(std::slice::from_ref(&item)).unwrap();
    crate::exchange::authors::sign_own(&mut wire, "XF01", &signer()).unwrap();
    let s = wire[0].events[0].signature.clone().unwrap();
    let key = signer().public_key();
    let bytes = {
        let mut v = serde_json::to_value(&wire[0].events[0]).unwrap();
        v.as_object_mut().unwrap().remove("signature");
        crate::exchange::envelope::canonical(&v).unwrap()
    };
    assert!(key.verifies(ENTRY_EVENT_PAYLOAD_TYPE, &bytes, &s.sig));
    assert!(!key.verifies(crate::exchange::authors::EVENT_PAYLOAD_TYPE, &bytes, &s.sig));
}

#[test]
fn the_rules_of_authorship_hold_for_items() {
    let item = county_item(4);
    let held = held_of(std::slice::from_ref(&item));
    let town_actor = town_profile().actor();
    // A revision by the township, which did not record it.
    let revised = ScreeningEvent {
        id: eid(4, 7),
        entry: item.id.clone(),
        actor: town_actor.clone(),
        at: Timestamp(AT + 10),
        body: ScreeningBody::Revised {
            record: item.record.clone(),
            reason: "改".into(),
        },
    };
    assert!(matches!(
        revise(&item, item.record.clone(), "改", (eid(4, 7), town_actor.clone(), Timestamp(AT + 10))),
        Err(ItemError::NotRecorder(ref by)) if by == "某某县信访局"
    ));
    assert!(matches!(
        plan_items(&[revised], &held, &COUNTY),
        Err(BundleError::Authorship(
            AuthorshipError::CorrectionByOther { .. }
        ))
    ));
    // An event in the county's name that the county does not hold.
    let forged = ScreeningEvent {
        id: eid(4, 8),
        entry: item.id.clone(),
        actor: county().actor(),
        at: Timestamp(AT + 10),
        body: ScreeningBody::Converted {
            case_id: crate::domain::ids::CaseId::from_random([9; 16]),
            case_no: "XF01-2026-09999".into(),
        },
    };
    assert!(matches!(
        plan_items(&[forged], &held, &COUNTY),
        Err(BundleError::Authorship(AuthorshipError::OwnName { .. }))
    ));
    // A second first record; one dated in the future; one before the item was found.
    let mut second = item.events[0].clone();
    second.id = eid(4, 9);
    second.actor = town_actor.clone();
    assert!(matches!(
        plan_items(&[second], &held, &COUNTY),
        Err(BundleError::Authorship(
            AuthorshipError::SecondRegistration { .. }
        ))
    ));
    let later = |at: i64| ScreeningEvent {
        id: eid(4, 10),
        entry: item.id.clone(),
        actor: town_actor.clone(),
        at: Timestamp(at),
        body: ScreeningBody::FollowedUp {
            on: today(),
            text: "走访".into(),
            outcome: Outcome::Resolving,
        },
    };
    assert!(matches!(
        plan_items(&[later(COUNTY.now.0 + 86_400_000)], &held, &COUNTY),
        Err(BundleError::Authorship(AuthorshipError::Future { .. }))
    ));
    assert!(matches!(
        plan_items(&[later(AT - 1)], &held, &COUNTY),
        Err(BundleError::Authorship(AuthorshipError::BeforeCase { ref case_no, .. }))
            if case_no.starts_with("排查事项“")
    ));
    // Events of an item neither held nor recorded in the file.
    assert!(matches!(
        plan_items(&[later(AT + 10)], &BTreeMap::new(), &COUNTY),
        Err(BundleError::InvalidItem(_))
    ));
    // The same id with other content.
    let mut changed = item.events[1].clone();
    changed.at = Timestamp(AT + 3);
    assert!(matches!(
        plan_items(&[changed], &held, &COUNTY),
        Err(BundleError::Tampered(_))
    ));
}

#[test]
fn a_file_is_cases_or_items_and_each_item_holds_only_its_own_events() {
    let item = county_item(5);
    let other = county_item(6);
    let both = to_town(std::slice::from_ref(&item), |t| {
        let cases = transfer(
            &county(),
            &township(),
            Purpose::Assign,
            &[case(1, 0)],
            Timestamp(5),
        )
        .unwrap()
        .cases;
        t.cases = cases;
    });
    assert!(matches!(
        opened(&both, &town()),
        Err(BundleError::Malformed(_))
    ));
    let mixed = to_town(&[item.clone(), other], |t| {
        let stray = t.items[1].events[1].clone();
        t.items[0].events.push(stray);
    });
    assert!(matches!(
        opened(&mixed, &town()),
        Err(BundleError::InvalidItem(_))
    ));
    let twice = to_town(&[item.clone(), item], |_| {});
    assert!(matches!(
        opened(&twice, &town()),
        Err(BundleError::InvalidItem(_))
    ));
    // An empty selection is refused before anything is written.
    assert!(transfer_items(&county(), &township(), Purpose::Assign, &[], Timestamp(5)).is_err());
}

#[test]
fn the_purpose_offered_for_an_item_follows_who_recorded_it() {
    let item = county_item(7);
    assert_eq!(
        Purpose::suggested_for_item(&item, "XF01"),
        (Purpose::Assign, None)
    );
    assert_eq!(
        Purpose::suggested_for_item(&item, "CGZ01"),
        (Purpose::Report, Some("XF01".into()))
    );
}
