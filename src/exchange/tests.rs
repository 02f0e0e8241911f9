//! Cards, transfers, merge and handover, end to end through sealed files.

use super::card::*;
use super::envelope::*;
use super::error::BundleError;
use super::handover::*;
use super::merge::*;
use super::read::*;
use super::recipient::Decryptor;
use super::transfer::*;
use std::collections::BTreeMap;

use crate::domain::authorship::Importer;

use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, CaseState};
use crate::domain::case::{register, take_step, CaseNumber};
use crate::domain::event::{Event, EventBody};
use crate::domain::ids::{CaseId, EventId};
use crate::domain::petition::tests::{today, valid_draft};
use crate::domain::time::Timestamp;
use crate::domain::unit::tests::county;
use crate::domain::vocab::PetitionType;
use crate::domain::workflow::{Routing, Step};
use proptest::prelude::*;

/// The township importing the county's files, a day after the cases were written.
pub(super) const TOWNSHIP: Importer = Importer {
    unit_code: "CGZ01",
    unit_name: "城关镇人民政府",
    now: Timestamp(1_795_658_400_000 + 86_400_000),
};

pub(super) fn township() -> UnitRef {
    UnitRef {
        code: "CGZ01".into(),
        name: "城关镇人民政府".into(),
    }
}

/// A case with `n` extra note steps, ids derived from `seed`.
pub(super) fn case(seed: u8, notes: u8) -> CaseState {
    let p = valid_draft().validate(today()).unwrap();
    let at = Timestamp(1_795_658_400_000);
    let mut events = vec![register(
        EventId::from_random([seed; 16]),
        CaseId::from_random([seed; 16]),
        county().actor(),
        at,
        &CaseNumber::next("XF01", 2026, Some(seed.into())),
        p,
    )];
    let cal = WorkCalendar::official();
    let st = fold(&events).unwrap();
    events.push(
        take_step(
            &st,
            Step::Route {
                routing: Routing::Accept,
                on: today(),
            },
            today(),
            &cal,
            EventId::from_random([seed, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            county().actor(),
            Timestamp(at.0 + 1),
        )
        .unwrap(),
    );
    for i in 0..notes {
        let st = fold(&events).unwrap();
        let note = Step::Note {
            text: format!("第{i}次走访，群众情绪稳定"),
            on: today(),
        };
        events.push(
            take_step(
                &st,
                note,
                today(),
                &cal,
                EventId::from_random([seed, 2, i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                county().actor(),
                Timestamp(at.0 + 2 + i64::from(i)),
            )
            .unwrap(),
        );
    }
    fold(&events).unwrap()
}

pub(super) fn signer() -> Identity {
    Identity::from_seed([1; 32])
}

/// The township's key, which the county's transfers are encrypted to.
pub(super) fn town() -> Decryptor {
    Decryptor::of(&Identity::from_seed([2; 32]))
}

/// A transfer signed by the county and encrypted to the township (fixed randomness).
pub(super) fn seal_to_town(t: &Transfer) -> String {
    seal_transfer(t, &signer(), town().key(), [6; 32]).unwrap()
}

/// A 交办 of `cases` from the county to the township, and its signed file.
pub(super) fn sealed(cases: &[CaseState]) -> (Transfer, String) {
    let t = transfer(&county(), &township(), Purpose::Assign, cases, Timestamp(5)).unwrap();
    let file = seal_to_town(&t);
    (t, file)
}

fn verified(n: u8) -> VerifiedTransfer {
    let cases: Vec<CaseState> = (1..=n).map(|i| case(i, i % 4)).collect();
    let (_, file) = sealed(&cases);
    let (opened, contents) = read(file.as_bytes(), &town()).unwrap();
    let Contents::Transfer { transfer, events } = contents else {
        panic!("a transfer")
    };
    VerifiedTransfer::of(opened.signer, transfer, events, file.as_bytes())
}

fn take_back(parts: &[String]) -> Result<VerifiedTransfer, BundleError> {
    let mut r = HandoverReader::start(&parts[0])?;
    for p in &parts[1..] {
        r.read(p)?;
    }
    r.finish(parts.len() - 1)
}

#[test]
fn a_handover_gives_back_the_verified_transfer() {
    let v = verified(9);
    assert!(v.transfer.cases.is_empty());
    assert_eq!(v.case_ids().len(), 9);
    let parts = hand_over(&v, HANDOVER_EVENTS).unwrap();
    assert_eq!(parts.len(), 1 + v.events.len().div_ceil(HANDOVER_EVENTS));
    assert_eq!(take_back(&parts).unwrap(), v);
}

#[test]
fn a_handover_cut_short_or_broken_is_refused() {
    let v = verified(3);
    let mut parts = hand_over(&v, HANDOVER_EVENTS).unwrap();
    let r = HandoverReader::start(&parts[0]).unwrap();
    assert_eq!(r.parts(), 1);
    assert!(matches!(r.finish(0), Err(BundleError::Malformed(_))));
    let half = parts[1].len() / 2;
    parts[1].truncate(half);
    assert!(matches!(take_back(&parts), Err(BundleError::Malformed(_))));
    assert!(HandoverReader::start("{}").is_err());
}

proptest! {
    // Each case signs and verifies a whole transfer: fewer cases keep the suite quick.
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// However many events, the parts put them back in order and complete.
    #[test]
    fn handover_parts_cover_every_event(n in 1u8..30, per_part in 1usize..12) {
        let v = verified(n);
        let parts = hand_over(&v, per_part).unwrap();
        prop_assert_eq!(parts.len(), 1 + v.events.len().div_ceil(per_part));
        prop_assert!(parts[1..].iter().all(|p| serde_json::from_str::<Vec<serde_json::Value>>(p).unwrap().len() <= per_part));
        prop_assert_eq!(v.signatures.len(), v.events.len(), "every event the county wrote is signed");
        prop_assert_eq!(take_back(&parts).unwrap(), v);
    }
}

#[test]
fn export_then_import_reproduces_the_cases() {
    let cases = [case(1, 2), case(2, 0)];
    let (t, file) = sealed(&cases);
    let (opened, contents) = read(file.as_bytes(), &town()).unwrap();
    assert_eq!(opened.signer, signer().public_key());
    let Contents::Transfer {
        transfer: back,
        events,
    } = contents
    else {
        panic!()
    };
    // What was sent, with the sender's own encryption key for the answer, and each
    // event the sender wrote signed by it.
    let reply_key = crate::exchange::recipient::EncryptionKey::of(&signer()).to_base64();
    let mut unsigned = back.clone();
    for e in unsigned.cases.iter_mut().flat_map(|c| &mut c.events) {
        let s = e.signature.take().expect("signed by its author");
        assert_eq!(s.public_key, signer().public_key().to_base64());
    }
    assert_eq!(unsigned, Transfer { reply_key, ..t });
    assert!(
        !file.contains("张三")
            && !file.contains("11010519491231002X")
            && !file.contains("13800138000")
    );
    let p = plan(&events, &BTreeMap::new(), &TOWNSHIP).unwrap();
    assert_eq!(p.new_cases.len(), 2);
    assert_eq!(p.to_add.len(), 6);
    for c in &cases {
        let mine: Vec<Event> = p
            .to_add
            .iter()
            .filter(|e| e.case_id == c.id)
            .cloned()
            .collect();
        assert_eq!(&fold(&mine).unwrap(), c);
    }
    // Importing again adds nothing.
    let mut local = BTreeMap::new();
    for e in &p.to_add {
        local
            .entry(e.case_id.clone())
            .or_insert_with(Vec::new)
            .push(e.clone());
    }
    let again = plan(&events, &local, &TOWNSHIP).unwrap();
    assert!(again.is_noop());
    assert_eq!(again.already_held, 6);
}

#[test]
fn new_events_on_a_held_case_are_planned_as_an_update() {
    let before = case(3, 0);
    let after = case(3, 2);
    let mut local = BTreeMap::new();
    local.insert(before.id.clone(), before.events.clone());
    let p = plan(&after.events, &local, &TOWNSHIP).unwrap();
    assert_eq!(p.updated_cases, [(after.case_no.clone(), 2)]);
    assert!(p.new_cases.is_empty());
    // The preview says what each new event is and who wrote it.
    assert_eq!(p.on_held.len(), 2);
    assert_eq!(p.on_held[0].case_no, after.case_no);
    assert_eq!(p.on_held[0].what, "办理记录");
    assert_eq!(p.on_held[0].author, "某某县信访局");
    assert_eq!(p.by_author, [("某某县信访局".to_owned(), 2)]);
}

#[test]
fn same_id_different_content_is_tampering() {
    let c = case(4, 1);
    let mut forged = c.events.clone();
    if let EventBody::Step {
        step: Step::Note { text, .. },
    } = &mut forged[2].body
    {
        *text = "改过的内容".into();
    }
    let mut local = BTreeMap::new();
    local.insert(c.id.clone(), c.events.clone());
    assert!(matches!(
        plan(&forged, &local, &TOWNSHIP),
        Err(BundleError::Tampered(_))
    ));
}

#[test]
fn accusations_never_go_to_the_unit_complained_about() {
    let mut c = case(5, 0);
    c.petition.petition_type = PetitionType::Accusation;
    c.petition.complained_about = "城关镇人民政府".into();
    let e = transfer(
        &county(),
        &township(),
        Purpose::Forward,
        &[c.clone()],
        Timestamp(1),
    )
    .unwrap_err();
    assert!(e.to_string().contains("第三十条"), "{e}");
    let other = UnitRef {
        code: "RSJ".into(),
        name: "县人社局".into(),
    };
    assert!(transfer(&county(), &other, Purpose::Forward, &[c], Timestamp(1)).is_ok());
    assert_eq!(
        transfer(&county(), &township(), Purpose::Copy, &[], Timestamp(1)),
        Err(ExportError::Empty)
    );
}

#[test]
fn addressee_and_unit_cards() {
    let t = transfer(
        &county(),
        &township(),
        Purpose::Assign,
        &[case(6, 0)],
        Timestamp(1),
    )
    .unwrap();
    assert!(matches!(
        check_addressee(&t, &county()),
        Err(BundleError::WrongAddressee(_))
    ));
    let card = UnitCard::of(&county(), &signer());
    let file = seal_unit_card(&card, &signer()).unwrap();
    assert_eq!(read_unit_card(file.as_bytes()).unwrap(), card);
    // A card signed by another key than the one it announces is refused.
    let other = seal_unit_card(&card, &Identity::from_seed([2; 32])).unwrap();
    assert_eq!(
        read_unit_card(other.as_bytes()),
        Err(BundleError::KeyIdMismatch)
    );
}

#[test]
fn trust_compares_the_full_key_and_honours_revocation() {
    let card = UnitCard::of(&county(), &signer());
    let mut dir = Vec::new();
    trust(&mut dir, card.clone(), Timestamp(1), None).unwrap();
    assert!(trusted_signer(&dir, &signer().public_key()).is_some());
    assert!(trusted_signer(&dir, &Identity::from_seed([2; 32]).public_key()).is_none());
    // The same card again renews it.
    trust(&mut dir, card.clone(), Timestamp(2), None).unwrap();
    assert_eq!(dir.len(), 1);
    // A new key for the same unit is a key change: refused until its fingerprint is
    // retyped, then the old key is kept as revoked.
    let new_key = Identity::from_seed([3; 32]);
    let renewed = UnitCard::of(&county(), &new_key);
    let Err(TrustError::KeyChange { old, new, .. }) =
        trust(&mut dir, renewed.clone(), Timestamp(3), None)
    else {
        panic!("a key change must be confirmed");
    };
    assert_eq!(
        (old, new.clone()),
        (
            signer().public_key().fingerprint(),
            new_key.public_key().fingerprint()
        )
    );
    assert_eq!(
        trust(&mut dir, renewed.clone(), Timestamp(3), Some("0000 1111")),
        Err(TrustError::Mismatch)
    );
    assert_eq!(dir.len(), 1, "nothing changed");
    let retyped = new.to_lowercase().replace(' ', "");
    trust(&mut dir, renewed, Timestamp(3), Some(&retyped)).unwrap();
    assert_eq!(dir.len(), 2);
    assert!(trusted_signer(&dir, &signer().public_key()).is_none());
    assert!(trusted_signer(&dir, &new_key.public_key()).is_some());
    let t = transfer(
        &county(),
        &township(),
        Purpose::Report,
        &[case(8, 0)],
        Timestamp(1),
    )
    .unwrap();
    let active = dir.iter().position(|u| u.revoked_at.is_none()).unwrap();
    assert!(check_sender(&t, &dir[active]).is_ok());
    let mut impostor = dir[active].clone();
    impostor.card.code = "OTHER".into();
    assert!(matches!(
        check_sender(&t, &impostor),
        Err(BundleError::SenderMismatch { .. })
    ));
    dir[active].revoked_at = Some(Timestamp(3));
    assert!(trusted_signer(&dir, &Identity::from_seed([3; 32]).public_key()).is_none());
}

#[test]
fn every_single_byte_change_of_the_payload_fails() {
    let t = transfer(
        &county(),
        &township(),
        Purpose::Assign,
        &[case(7, 0)],
        Timestamp(1),
    )
    .unwrap();
    let file = seal_to_town(&t);
    let start = file.find("\"payload\"").unwrap();
    let end = file.find("\"signatures\"").unwrap();
    let bytes = file.as_bytes();
    for i in start + 11..end {
        for delta in [1u8, 0x20] {
            let mut m = bytes.to_vec();
            m[i] ^= delta;
            // A change in insignificant whitespace is no change to the payload.
            if bytes[i].is_ascii_whitespace() && (m[i].is_ascii_whitespace()) {
                continue;
            }
            assert!(
                read(&m, &town()).is_err(),
                "byte {i} ({:?}) ^ {delta:#x} passed",
                bytes[i] as char
            );
        }
    }
}

fn events_strategy() -> impl Strategy<Value = Vec<Event>> {
    let pool: Vec<Event> = [case(10, 3), case(11, 2)]
        .iter()
        .flat_map(|c| c.events.clone())
        .collect();
    proptest::sample::subsequence(pool.clone(), 0..=pool.len())
}

proptest! {
    #[test]
    fn merge_is_idempotent_commutative_and_associative(a in events_strategy(), b in events_strategy(), c in events_strategy()) {
        prop_assert_eq!(merge(&a, &a).unwrap(), merge(&a, &[]).unwrap());
        prop_assert_eq!(merge(&a, &b).unwrap(), merge(&b, &a).unwrap());
        let ab_c = merge(&merge(&a, &b).unwrap(), &c).unwrap();
        let a_bc = merge(&a, &merge(&b, &c).unwrap()).unwrap();
        prop_assert_eq!(ab_c, a_bc);
    }
}

#[test]
fn the_purpose_offered_follows_each_units_part() {
    use crate::domain::event::Actor;
    use crate::domain::ids::EventId;
    use crate::domain::workflow::{Flow, Party, Routing, Step, Viewer};
    let county = Actor {
        unit_code: "XF01".into(),
        unit_name: "某某县信访局".into(),
        operator: "王五".into(),
    };
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let mut f = Flow::new(on, Party::of(&county));
    let me = Viewer::of(&county);
    let town = Viewer {
        code: "CGZ01",
        name: "城关镇人民政府",
    };
    assert_eq!(Purpose::suggested(&f, me), (Purpose::Copy, None));
    f.apply(
        &EventId::from_random([1; 16]),
        &county,
        &Step::Route {
            routing: Routing::Forward {
                to: "城关镇人民政府".into(),
                to_code: Some("CGZ01".into()),
            },
            on,
        },
    );
    assert_eq!(
        Purpose::suggested(&f, me),
        (Purpose::Forward, Some("CGZ01".into()))
    );
    assert_eq!(
        Purpose::suggested(&f, town),
        (Purpose::Report, Some("XF01".into()))
    );
}

#[test]
fn a_mislabelled_attachment_inside_a_transfer_refuses_the_file() {
    use crate::domain::attachment::Attachment;
    use base64::Engine;
    let with = |bytes: &[u8]| {
        let mut c = case(9, 0);
        c.events.push(crate::domain::event::Event {
            id: EventId::from_random([9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            case_id: c.id.clone(),
            actor: county().actor(),
            at: Timestamp(1_795_658_400_000),
            body: crate::domain::event::EventBody::Submitted {
                query_code: "ABCD-EFGH-JKMN".into(),
                submitter_key: String::new(),
                earlier: String::new(),
                reply_key: String::new(),
                attachments: vec![Attachment {
                    name: "照片.png".into(),
                    media_type: "image/png".into(),
                    data: base64::engine::general_purpose::STANDARD.encode(bytes),
                }],
            },
        });
        let t = transfer(&county(), &township(), Purpose::Assign, &[c], Timestamp(1)).unwrap();
        seal_to_town(&t)
    };
    assert!(read(with(b"\x89PNG\r\n\x1A\n....").as_bytes(), &town()).is_ok());
    let refused = read(with(b"<html><script></script></html>").as_bytes(), &town()).unwrap_err();
    assert!(
        matches!(&refused, BundleError::InvalidCase(m) if m.contains("内容与其文件类型不符")),
        "{refused}"
    );
}

/// A bundle on one line (a backup volume) is the same signed payload as the same bundle
/// written as a file, whatever the payload's text holds.
#[test]
fn a_line_holds_the_same_signed_payload_as_a_file() {
    let payload = serde_json::json!({
        "zeta": [1, "二\n\"引号\"\t", {"z": true, "a": null, "é": -7}],
        "alpha": "x\u{1}\u{7f}\u{2028}😀",
    });
    let line = seal_line(PayloadType::BackupVolume, payload.clone(), &signer()).unwrap();
    assert!(!line.contains('\n'));
    // The same bytes as the whole envelope written out: its keys in order, the kind
    // among the first bytes.
    let whole: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(line, serde_json::to_string(&whole).unwrap());
    let from_line = open(line.as_bytes()).unwrap();
    let file = seal(PayloadType::BackupVolume, payload.clone(), &signer()).unwrap();
    assert_eq!(from_line, open(file.as_bytes()).unwrap());
    assert_eq!(from_line.payload, payload);
}
