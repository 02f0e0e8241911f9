//! Submissions, replies, feedback and the citizen's page, through sealed files.

use super::feedback::*;
use super::page::*;
use super::reply::*;
use super::submission::*;
use chrono::NaiveDate;

use crate::domain::attachment::attach;
use crate::domain::calendar::WorkCalendar;
use crate::domain::ids::EventId;
use crate::domain::petition::tests::{today, valid_draft};
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::Channel;
use crate::domain::workflow::{Rating, Step};
use crate::exchange::card::UnitRef;
use crate::exchange::envelope::*;
use crate::exchange::error::BundleError;
use crate::exchange::recipient::{Decryptor, EncryptionKey};

#[test]
fn a_citizen_page_carries_its_config_inertly() {
    let page = "<html><head><meta name=\"xinfang-build\" content=\"single-file\"></head><body>\n</body></html>";
    let config =
        serde_json::json!({ "townships": ["</script><script>alert(1)</script>"] }).to_string();
    let out = citizen_page(page, &config).unwrap();
    assert_eq!(
        out.matches("</script>").count(),
        1,
        "only the block's own end tag"
    );
    let inner = out
        .split("id=\"xinfang-config\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let back: serde_json::Value = serde_json::from_str(inner).unwrap();
    assert_eq!(back["townships"][0], "</script><script>alert(1)</script>");
    assert_eq!(
        citizen_page(&out, &config),
        Err(PageError::AlreadyConfigured)
    );
    assert_eq!(
        citizen_page("<html><body></body></html>", &config),
        Err(PageError::NotSingleFile)
    );
}

/// The office's identity in these tests.
fn office_id() -> Identity {
    Identity::from_seed([7; 32])
}

fn office_decryptor() -> Decryptor {
    Decryptor::of(&office_id())
}

/// A submission sealed to the office, with fixed randomness.
fn seal_sub(s: &Submission, citizen: &Identity) -> (String, String) {
    seal_sub_r(s, citizen).unwrap()
}

fn seal_sub_r(s: &Submission, citizen: &Identity) -> Result<(String, String), BundleError> {
    seal_submission(s, citizen, &EncryptionKey::of(&office_id()), [5; 32])
}

fn office() -> UnitRef {
    UnitRef {
        code: "XF01".into(),
        name: "某某县信访局".into(),
    }
}

fn submission() -> Submission {
    let mut s = Submission {
        to: office(),
        created_at: 1_795_658_400_000,
        petition: valid_draft().validate(today()).unwrap(),
        earlier: String::new(),
        attachments: vec![],
        reply_key: String::new(),
    };
    attach(
        &mut s.attachments,
        "欠条.png",
        "image/png",
        b"\x89PNG\r\n\x1A\nfake image bytes",
    )
    .unwrap();
    s
}

#[test]
fn query_codes_are_stable_readable_and_differ() {
    let (file, code) = seal_sub_r(&submission(), &Identity::from_seed([1; 32])).unwrap();
    assert_eq!(code.len(), 14);
    assert!(
        code.chars()
            .all(|c| c == '-' || CROCKFORD.contains(&(c as u8))),
        "{code}"
    );
    // Stable: derived from the signed content, whoever reads it.
    let received = read_submission(file.as_bytes(), "XF01", &office_decryptor()).unwrap();
    assert_eq!(received.query_code, code);
    assert_eq!(
        seal_sub_r(&submission(), &Identity::from_seed([1; 32]))
            .unwrap()
            .1,
        code
    );
    let mut other = submission();
    other.created_at += 1;
    assert_ne!(
        seal_sub_r(&other, &Identity::from_seed([1; 32])).unwrap().1,
        code
    );
    assert_eq!(
        normalize_query_code(&code.to_lowercase().replace('-', " ")),
        code
    );
    assert_eq!(normalize_query_code("abcd-efgh-ijkl"), "ABCD-EFGH-1JK1");
}

#[test]
fn query_codes_do_not_collide_in_practice() {
    let mut seen = std::collections::BTreeSet::new();
    for n in 0..2000 {
        let mut s = submission();
        s.created_at = n;
        assert!(
            seen.insert(query_code(&serde_json::to_value(&s).unwrap()).unwrap()),
            "collision at {n}"
        );
    }
}

#[test]
fn submissions_are_checked_at_the_office() {
    let citizen = Identity::from_seed([1; 32]);
    let (file, _) = seal_sub(&submission(), &citizen);
    let r = read_submission(file.as_bytes(), "XF01", &office_decryptor()).unwrap();
    assert_eq!(r.submitter, citizen.public_key());
    assert_eq!(r.submission.attachments[0].size(), 24);
    assert!(matches!(
        read_submission(file.as_bytes(), "CGZ01", &office_decryptor()),
        Err(BundleError::WrongAddressee(_))
    ));
    // Nothing of the petition is readable in the file; only the office opens it.
    let petitioner = &submission().petition.petitioners[0];
    for clear in [
        "拖欠工资",
        petitioner.name.as_str(),
        petitioner.id_number.as_str(),
    ] {
        assert!(!file.contains(clear), "{clear} in the file");
    }
    assert!(matches!(
        read_submission(
            file.as_bytes(),
            "XF01",
            &Decryptor::of(&Identity::from_seed([8; 32]))
        ),
        Err(BundleError::NotOurKey(_))
    ));
    assert_eq!(
        r.submission.reply_key,
        EncryptionKey::of(&citizen).to_base64()
    );
}

#[test]
fn the_office_registers_online_and_revalidates() {
    let (file, _) = seal_sub_r(&submission(), &Identity::from_seed([1; 32])).unwrap();
    let r = read_submission(file.as_bytes(), "XF01", &office_decryptor()).unwrap();
    assert_eq!(
        office_petition(&r, today()).unwrap().channel,
        Channel::Online
    );
    let mut bad = submission();
    bad.petition.petitioners[0].id_number = "110105194912310021".into();
    let (file, _) = seal_sub_r(&bad, &Identity::from_seed([1; 32])).unwrap();
    let r = read_submission(file.as_bytes(), "XF01", &office_decryptor()).unwrap();
    assert!(
        matches!(office_petition(&r, today()), Err(BundleError::InvalidCase(m)) if m.contains("校验位"))
    );
}

#[test]
fn replies_carry_documents_and_the_review_window() {
    use crate::domain::case::{fold, register, take_step, CaseNumber};
    use crate::domain::ids::CaseId;
    use crate::domain::time::Timestamp;
    use crate::domain::vocab::UnitLevel;
    use crate::domain::workflow::{OpinionKind, Routing};
    let unit = UnitProfile {
        name: "某某县信访局".into(),
        level: UnitLevel::County,
        code: "XF01".into(),
        townships: vec![],
        departments: vec![],
        operator: "王".into(),
        parent: String::new(),
    };
    let cal = WorkCalendar::official();
    let (file, code) = seal_sub_r(&submission(), &Identity::from_seed([1; 32])).unwrap();
    let r = read_submission(file.as_bytes(), "XF01", &office_decryptor()).unwrap();
    let reg = register(
        EventId::from_random([1; 16]),
        CaseId::from_random([1; 16]),
        unit.actor(),
        Timestamp(1_795_658_400_000),
        &CaseNumber::next("XF01", 2026, None),
        office_petition(&r, today()).unwrap(),
    );
    let mut events = submission_events(&r, reg, EventId::from_random([2; 16])).to_vec();
    let steps = [
        Step::Route {
            routing: Routing::Accept,
            on: today(),
        },
        Step::NotifyAcceptance { on: today() },
        Step::Opinion {
            kind: OpinionKind::Support,
            facts: "属实".into(),
            basis: "条例".into(),
            delivered_on: today(),
        },
    ];
    for (i, step) in steps.into_iter().enumerate() {
        let st = fold(&events).unwrap();
        events.push(
            take_step(
                &st,
                step,
                today(),
                &cal,
                EventId::from_random([3 + i as u8; 16]),
                unit.actor(),
                Timestamp(1_795_658_400_001 + i as i64),
            )
            .unwrap(),
        );
    }
    let state = fold(&events).unwrap();
    let reply = reply_for(&state, &unit, &cal, today(), 5).unwrap();
    assert_eq!(reply.query_code, code);
    assert_eq!(reply.stage, "已答复");
    assert_eq!(
        reply.review_until,
        NaiveDate::from_ymd_opt(2026, 12, 28),
        "11-26 + 30 = 12-26, a Saturday"
    );
    assert_eq!(
        reply
            .documents
            .iter()
            .map(|d| d.title.as_str())
            .collect::<Vec<_>>(),
        ["受理告知书", "处理意见书"]
    );
    assert!(
        reply_for(&fold(&events[..1]).unwrap(), &unit, &cal, today(), 5).is_none(),
        "not an online case"
    );
}

#[test]
fn feedback_becomes_a_step_once() {
    let f = Feedback {
        query_code: "ABCD-EFGH-JKMN".into(),
        to: office(),
        created_at: 2,
        feedback: FeedbackKind::Rating {
            rating: Rating::Satisfied,
            comment: "好".into(),
        },
    };
    assert_eq!(
        feedback_event_id(&f).unwrap(),
        feedback_event_id(&f.clone()).unwrap()
    );
    let mut g = f.clone();
    g.created_at = 3;
    assert_ne!(
        feedback_event_id(&f).unwrap(),
        feedback_event_id(&g).unwrap()
    );
    assert!(matches!(
        feedback_step(&f.feedback, today(), ""),
        Step::Evaluate {
            rating: Rating::Satisfied,
            ..
        }
    ));
}

#[test]
fn replies_only_from_the_office_key_and_for_a_known_code() {
    let office_key = Identity::from_seed([7; 32]);
    let reply = Reply {
        query_code: "ABCD-EFGH-JKMN".into(),
        case_no: "XF01-2026-00001".into(),
        from: office(),
        created_at: 1,
        stage: "办理中".into(),
        next: String::new(),
        review_until: None,
        documents: vec![],
    };
    let citizen = Identity::from_seed([1; 32]);
    let me = Decryptor::of(&citizen);
    let seal = |by: &Identity| seal_reply(&reply, by, me.key(), [4; 32]).unwrap();
    let file = seal(&office_key);
    assert!(
        !file.contains("XF01-2026-00001"),
        "the case is not readable"
    );
    let codes = vec!["ABCD-EFGH-JKMN".to_owned()];
    assert_eq!(
        read_reply(file.as_bytes(), &office_key.public_key(), &codes, &me).unwrap(),
        reply
    );
    assert!(matches!(
        read_reply(
            file.as_bytes(),
            &office_key.public_key(),
            &codes,
            &Decryptor::of(&Identity::from_seed([2; 32]))
        ),
        Err(BundleError::NotOurKey(_))
    ));
    let forged = seal(&Identity::from_seed([8; 32]));
    assert!(matches!(
        read_reply(forged.as_bytes(), &office_key.public_key(), &codes, &me),
        Err(BundleError::NotFromOffice(_))
    ));
    assert!(matches!(
        read_reply(file.as_bytes(), &office_key.public_key(), &[], &me),
        Err(BundleError::UnknownQueryCode(_))
    ));
}

#[test]
fn feedback_counts_only_from_the_submitter() {
    let citizen = Identity::from_seed([1; 32]);
    let f = Feedback {
        query_code: "ABCD-EFGH-JKMN".into(),
        to: office(),
        created_at: 2,
        feedback: FeedbackKind::Rating {
            rating: Rating::Basic,
            comment: "还行".into(),
        },
    };
    let to = EncryptionKey::of(&office_id());
    let file = seal_feedback(&f, &citizen, &to, [3; 32]).unwrap();
    assert!(!file.contains("还行"));
    let (back, signer) = read_feedback(file.as_bytes(), "XF01", &office_decryptor()).unwrap();
    assert_eq!(back, f);
    assert!(check_same_submitter(&citizen.public_key().to_base64(), &signer).is_ok());
    let (_, stranger) = read_feedback(
        seal_feedback(&f, &Identity::from_seed([2; 32]), &to, [3; 32])
            .unwrap()
            .as_bytes(),
        "XF01",
        &office_decryptor(),
    )
    .unwrap();
    assert_eq!(
        check_same_submitter(&citizen.public_key().to_base64(), &stranger),
        Err(BundleError::NotSubmitter)
    );
}

#[test]
fn a_page_config_reads_back_only_with_a_card_that_verifies() {
    let key = Identity::from_seed([7; 32]);
    let card = crate::exchange::card::UnitCard {
        code: "XF01".into(),
        name: "某某县信访局".into(),
        level: "County".into(),
        public_key: key.public_key().to_base64(),
        parent: String::new(),
        encryption_key: EncryptionKey::of(&key).to_base64(),
    };
    let towns = vec!["城关镇".to_owned()];
    let text = write_config(&card, &key, &towns).unwrap();
    let read = read_config(&text).unwrap();
    assert_eq!((read.office, read.townships), (card.clone(), towns.clone()));
    assert_eq!(read_config("{}"), Err(ConfigError::NotSet));
    assert_eq!(read_config("not json"), Err(ConfigError::NotSet));
    let forged = text.replacen("某某县信访局", "冒名信访局", 1);
    assert!(matches!(read_config(&forged), Err(ConfigError::BadCard(_))));
    // An office card made before encryption: the page says so rather than send in clear.
    let old = crate::exchange::card::UnitCard {
        encryption_key: String::new(),
        ..card
    };
    let text = write_config(&old, &key, &towns).unwrap();
    assert_eq!(read_config(&text), Err(ConfigError::Outdated));
}
