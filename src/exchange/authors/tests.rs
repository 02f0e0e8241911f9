//! Events signed by their authors, relayed unchanged, and checked on arrival.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::domain::case::fold;
use crate::domain::time::Timestamp;
use crate::domain::unit::tests::county;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::UnitLevel;
use crate::exchange::card::{UnitCard, UnitRef};
use crate::exchange::envelope::PayloadType;
use crate::exchange::read::{read, Contents};
use crate::exchange::recipient::{seal_to, Decryptor, EncryptionKey};
use crate::exchange::tests::{case, sealed, signer, town};
use crate::exchange::transfer::{seal_transfer, transfer, Purpose, Transfer, VerifiedTransfer};

fn town_identity() -> Identity {
    Identity::from_seed([2; 32])
}

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

fn bureau_identity() -> Identity {
    Identity::from_seed([3; 32])
}

fn bureau() -> UnitRef {
    UnitRef {
        code: "GA01".into(),
        name: "某某县公安局".into(),
    }
}

fn trusted(card: UnitCard) -> TrustedUnit {
    TrustedUnit {
        card,
        trusted_at: Timestamp(1),
        revoked_at: None,
    }
}

/// The county's trusted card, as a unit that checked its fingerprint holds it.
fn county_trusted() -> TrustedUnit {
    trusted(UnitCard::of(&county(), &signer()))
}

/// What the township read of the county's 交办 of two cases.
fn received() -> VerifiedTransfer {
    let (_, file) = sealed(&[case(1, 2), case(2, 0)]);
    let (opened, contents) = read(file.as_bytes(), &town()).unwrap();
    let Contents::Transfer { transfer, events } = contents else {
        panic!("a transfer")
    };
    VerifiedTransfer::of(opened.signer, transfer, events, file.as_bytes())
}

/// The township's copy of what it received to the bureau, relaying the county's events
/// with their signatures; `edit` changes the transfer before it is sealed.
fn relay(v: &VerifiedTransfer, edit: impl FnOnce(&mut Transfer)) -> String {
    let cases: Vec<_> = v
        .case_ids()
        .iter()
        .map(|id| {
            let log: Vec<_> = v
                .events
                .iter()
                .filter(|e| &e.case_id == id)
                .cloned()
                .collect();
            fold(&log).unwrap()
        })
        .collect();
    let mut t = transfer(
        &town_profile(),
        &bureau(),
        Purpose::Copy,
        &cases,
        Timestamp(9),
    )
    .unwrap();
    carry(&mut t.cases, &v.signatures);
    edit(&mut t);
    let to = EncryptionKey::of(&bureau_identity());
    seal_transfer(&t, &town_identity(), &to, [7; 32]).unwrap()
}

fn read_at_bureau(file: &str) -> Result<VerifiedTransfer, BundleError> {
    let (opened, contents) = read(file.as_bytes(), &Decryptor::of(&bureau_identity()))?;
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

#[test]
fn a_relay_carries_the_authors_signatures_unchanged() {
    let v = received();
    assert_eq!(v.signatures.len(), v.events.len());
    let at_bureau = read_at_bureau(&relay(&v, |_| {})).unwrap();
    assert_eq!(
        at_bureau.signatures, v.signatures,
        "the county's signatures, unchanged"
    );
    assert_eq!(at_bureau.signer, town_identity().public_key());
    // The bureau trusts the county: every event is proven the county's.
    let directory = [county_trusted()];
    assert_eq!(
        unverified_count(&at_bureau.events, &at_bureau.signatures, &directory),
        0
    );
    let e = &at_bureau.events[0];
    assert_eq!(
        Authorship::of(e, at_bureau.signatures.get(&e.id), &directory),
        Authorship::Verified {
            fingerprint: signer().public_key().fingerprint()
        }
    );
    assert!(check_trusted_authors(&at_bureau.events, &at_bureau.signatures, &directory).is_ok());
}

#[test]
fn an_author_not_trusted_here_is_unverified_never_trusted() {
    let at_bureau = read_at_bureau(&relay(&received(), |_| {})).unwrap();
    let e = &at_bureau.events[0];
    // Only the township (the sender) is trusted: the county's events stay unverified.
    let directory = [trusted(UnitCard::of(&town_profile(), &town_identity()))];
    assert_eq!(
        Authorship::of(e, at_bureau.signatures.get(&e.id), &directory),
        Authorship::Unknown {
            fingerprint: signer().public_key().fingerprint()
        }
    );
    assert_eq!(
        unverified_count(&at_bureau.events, &at_bureau.signatures, &directory),
        at_bureau.events.len()
    );
    // Trusted once, then withdrawn: unverified again.
    let mut withdrawn = county_trusted();
    withdrawn.revoked_at = Some(Timestamp(2));
    assert!(!Authorship::of(e, at_bureau.signatures.get(&e.id), &[withdrawn]).is_verified());
    // Relayed without a signature (an older file's event): unverified, said so.
    assert_eq!(
        Authorship::of(e, None, &[county_trusted()]),
        Authorship::Unsigned
    );
    assert!(Authorship::Unsigned.label().contains("未核验"));
}

#[test]
fn a_relayed_event_changed_by_the_relay_refuses_the_file() {
    let v = received();
    let file = relay(&v, |t| t.cases[0].events[1].operator = "冒名".into());
    assert!(matches!(
        read_at_bureau(&file),
        Err(BundleError::EventSignature { ref case_no, ref author })
            if case_no.starts_with("案件 XF01-") && author == "某某县信访局"
    ));
    // A change inside the body too.
    let file = relay(&v, |t| {
        let body = &mut t.cases[1].events[0].body;
        let text = serde_json::to_string(body).unwrap().replace("张三", "李四");
        *body = serde_json::from_str(&text).unwrap();
    });
    assert!(matches!(
        read_at_bureau(&file),
        Err(BundleError::EventSignature { .. })
    ));
    // Another event's signature put on it.
    let file = relay(&v, |t| {
        let other = t.cases[0].events[0].signature.clone();
        t.cases[0].events[1].signature = other;
    });
    assert!(matches!(
        read_at_bureau(&file),
        Err(BundleError::EventSignature { .. })
    ));
}

#[test]
fn the_sender_must_sign_what_it_wrote() {
    let t = transfer(
        &county(),
        &crate::exchange::tests::township(),
        Purpose::Assign,
        &[case(1, 0)],
        Timestamp(5),
    )
    .unwrap();
    // Sealed without signing its events (what a file of the interim format held).
    let unsigned = seal_to(PayloadType::Transfer, &t, town().key(), &signer(), [6; 32]).unwrap();
    assert!(matches!(
        read(unsigned.as_bytes(), &town()),
        Err(BundleError::SenderUnsigned { .. })
    ));
    // Signed, but with another key than the file's.
    let mut other = t.clone();
    sign_own(&mut other.cases, "XF01", &town_identity()).unwrap();
    let file = seal_to(
        PayloadType::Transfer,
        &other,
        town().key(),
        &signer(),
        [6; 32],
    )
    .unwrap();
    assert!(matches!(
        read(file.as_bytes(), &town()),
        Err(BundleError::SenderUnsigned { .. })
    ));
    // A file of an older version signed no events: every one is an unverified relay.
    assert!(check_signatures(&t.cases, "XF01", &signer().public_key(), 2, Share::ALL).is_ok());
    assert!(check_signatures(&t.cases, "XF01", &signer().public_key(), 3, Share::ALL).is_err());
}

#[test]
fn an_event_signed_by_a_trusted_unit_in_another_units_name_is_refused() {
    let v = received();
    // The township signs the county's events as if it were their author.
    let forged: BTreeMap<_, _> = {
        let mut t = v.transfer.clone();
        t.cases = relay_cases(&v);
        sign_own(&mut t.cases, "XF01", &town_identity()).unwrap();
        signatures_of(&t.cases)
    };
    let directory = [
        county_trusted(),
        trusted(UnitCard::of(&town_profile(), &town_identity())),
    ];
    assert!(matches!(
        check_trusted_authors(&v.events, &forged, &directory),
        Err(BundleError::AuthorMismatch { ref author, ref signer, .. })
            if author == "某某县信访局" && signer.contains("CGZ01")
    ));
    // Not trusted here, the same key is only an unknown author.
    assert!(check_trusted_authors(&v.events, &forged, &[county_trusted()]).is_ok());
}

/// The wire cases of what the township received, rebuilt from its events.
fn relay_cases(v: &VerifiedTransfer) -> Vec<crate::exchange::wire::WireCase> {
    let cases: Vec<_> = v
        .case_ids()
        .iter()
        .map(|id| {
            let log: Vec<_> = v
                .events
                .iter()
                .filter(|e| &e.case_id == id)
                .cloned()
                .collect();
            fold(&log).unwrap()
        })
        .collect();
    transfer(&county(), &bureau(), Purpose::Copy, &cases, Timestamp(9))
        .unwrap()
        .cases
}

#[test]
fn a_share_is_inside_its_split() {
    assert_eq!(Share::new(2, 2), None);
    assert_eq!(Share::new(0, 0), None);
    assert_eq!(Share::split(0).collect::<Vec<_>>(), vec![Share::ALL]);
    let two: Vec<_> = Share::split(2).map(|s| (s.index(), s.of())).collect();
    assert_eq!(two, vec![(0, 2), (1, 2)]);
}

#[test]
fn signing_is_deterministic() {
    let mut a = relay_cases(&received());
    let mut b = a.clone();
    sign_own(&mut a, "XF01", &signer()).unwrap();
    sign_own(&mut b, "XF01", &signer()).unwrap();
    assert_eq!(a, b);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Split between verifiers (one worker each), a file's event signatures refuse it
    /// exactly when one verifier of them all does, whichever event is spoiled and how.
    #[test]
    fn the_shares_together_refuse_what_one_verifier_refuses(
        spoil in 0usize..5,
        which in 0usize..64,
        of in 2usize..4,
    ) {
        let mut cases = relay_cases(&received());
        sign_own(&mut cases, "XF01", &signer()).unwrap();
        let positions: Vec<(usize, usize)> = cases
            .iter()
            .enumerate()
            .flat_map(|(i, c)| (0..c.events.len()).map(move |j| (i, j)))
            .collect();
        let (i, j) = positions[which % positions.len()];
        let first = cases[0].events[0].signature.clone();
        let by_town = sign_event(&cases[i].events[j], &town_identity()).unwrap();
        let e = &mut cases[i].events[j];
        match spoil {
            // Its signature no longer verifies.
            0 => e.operator.push('某'),
            // The sender's own event unsigned.
            1 => e.signature = None,
            // Another event's signature put on it (no change on the first event itself).
            2 => e.signature = first,
            // Signed with another unit's key than the file's.
            3 => e.signature = Some(by_town),
            _ => {}
        }
        let key = signer().public_key();
        let one = check_signatures(&cases, "XF01", &key, 3, Share::ALL).is_err();
        prop_assert_eq!(one, spoil < 4 && !(spoil == 2 && (i, j) == (0, 0)));
        let split = Share::split(of).any(|s| check_signatures(&cases, "XF01", &key, 3, s).is_err());
        prop_assert_eq!(split, one);
    }

    /// Any change to a signed event's id, author, time or text fails its signature.
    #[test]
    fn every_change_to_a_signed_event_fails_its_signature(
        field in 0usize..6,
        at in 1i64..1_000_000,
    ) {
        let cases = relay_cases(&received());
        let mut e = cases[0].events[1].clone();
        let s = sign_event(&e, &signer()).unwrap();
        prop_assert!(signer_of(&e, &s).is_some());
        match field {
            0 => e.id.replace_range(0..1, if e.id.starts_with('0') { "1" } else { "0" }),
            1 => e.case_id.replace_range(0..1, if e.case_id.starts_with('0') { "1" } else { "0" }),
            2 => e.unit_code.push('X'),
            3 => e.operator.push('某'),
            4 => e.at += at,
            _ => {
                if let Some(o) = e.body.as_object_mut() {
                    o.insert("extra".into(), serde_json::json!(at));
                }
            }
        }
        prop_assert!(signer_of(&e, &s).is_none());
    }
}
