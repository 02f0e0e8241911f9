//! The citizen's bundles: a petition submitted online (signed by the citizen's own key,
//! addressed to one office), the office's reply, and the citizen's feedback (rating or
//! 复查 request). The 查询码 is derived from the submission, so it needs no server.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::payload::UnitRef;
use super::{canonical, open, seal, BundleError, Identity, PayloadType, PublicKey};
use chrono::NaiveDate;

use crate::domain::attachment::{attach, Attachment};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::documents::{self, Document};
use crate::domain::event::{Event, EventBody};
use crate::domain::ids::EventId;
use crate::domain::petition::Petition;
use crate::domain::petition::PetitionDraft;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::Channel;
use crate::domain::workflow::Rating;
use crate::domain::workflow::{Stage, Step};

/// The payload of a submission bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Submission {
    /// The office it is addressed to.
    pub to: UnitRef,
    /// When it was made (UTC ms).
    pub created_at: i64,
    /// The petition, as validated on the citizen's page.
    pub petition: Petition,
    /// Earlier petitions on the same matter, in the citizen's words.
    #[serde(default)]
    pub earlier: String,
    /// Photos and PDFs.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The 查询码 of a submission: the first 60 bits of SHA-256 over the bundle's signed
/// bytes (payload type and canonical payload), in Crockford base32, as `XXXX-XXXX-XXXX`.
/// Letters I, L, O and U are never used, so it reads aloud without confusion.
pub fn query_code(payload: &serde_json::Value) -> Result<String, BundleError> {
    let digest = Sha256::digest(super::pae(
        PayloadType::Submission.media_type(),
        &canonical(payload)?,
    ));
    let bits = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default()) >> 4;
    let chars: Vec<u8> = (0..12)
        .rev()
        .map(|i| CROCKFORD[((bits >> (i * 5)) & 31) as usize])
        .collect();
    let s = String::from_utf8_lossy(&chars).into_owned();
    Ok(format!("{}-{}-{}", &s[..4], &s[4..8], &s[8..]))
}

/// Normalises a typed 查询码: upper case, I/L→1, O→0, blanks and dashes ignored.
pub fn normalize_query_code(input: &str) -> String {
    let raw: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        })
        .collect();
    if raw.len() == 12 {
        format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..])
    } else {
        raw
    }
}

/// A sealed submission: the file to save and its 查询码.
pub fn seal_submission(
    s: &Submission,
    citizen: &Identity,
) -> Result<(String, String), BundleError> {
    let v = serde_json::to_value(s).map_err(|e| BundleError::Malformed(e.to_string()))?;
    let code = query_code(&v)?;
    Ok((seal(PayloadType::Submission, v, citizen)?, code))
}

/// A verified submission, as the office reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedSubmission {
    /// The payload.
    pub submission: Submission,
    /// Its 查询码.
    pub query_code: String,
    /// The citizen's key: later feedback must be signed by it.
    pub submitter: PublicKey,
}

/// Reads a submission file for the office `us` (by unit code): verified, addressed to
/// us, attachments within limits.
pub fn read_submission(bytes: &[u8], our_code: &str) -> Result<ReceivedSubmission, BundleError> {
    let opened = open(bytes)?;
    if opened.kind != PayloadType::Submission {
        return Err(BundleError::WrongType(format!(
            "这是{}，不是网上信访件",
            opened.kind.label()
        )));
    }
    let code = query_code(&opened.payload)?;
    let submission: Submission = serde_json::from_value(opened.payload)
        .map_err(|e| BundleError::Malformed(e.to_string()))?;
    if submission.to.code != our_code {
        return Err(BundleError::WrongAddressee(format!(
            "{}（{}）",
            submission.to.name, submission.to.code
        )));
    }
    let mut checked = Vec::new();
    for a in &submission.attachments {
        let data = B64
            .decode(&a.data)
            .map_err(|_| BundleError::Malformed("attachments.data".into()))?;
        attach(&mut checked, &a.name, &a.media_type, &data)
            .map_err(|e| BundleError::Malformed(e.to_string()))?;
    }
    Ok(ReceivedSubmission {
        submission,
        query_code: code,
        submitter: opened.signer,
    })
}

/// The payload of the office's reply to a citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reply {
    /// The submission's 查询码.
    pub query_code: String,
    /// The case number at the office.
    pub case_no: String,
    /// The office.
    pub from: UnitRef,
    /// When it was made (UTC ms).
    pub created_at: i64,
    /// The case's stage, in words.
    pub stage: String,
    /// What is due next and by when, in words, if anything.
    #[serde(default)]
    pub next: String,
    /// The last day the citizen may request a 复查 of the answer, if that window is open.
    #[serde(default)]
    pub review_until: Option<NaiveDate>,
    /// The documents issued so far.
    pub documents: Vec<ReplyDocument>,
}

/// A document inside a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplyDocument {
    /// Title.
    pub title: String,
    /// Reference (case number).
    pub reference: String,
    /// Addressee line.
    pub recipient: String,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// Issuing unit.
    pub issuer: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
}

impl From<&Document> for ReplyDocument {
    fn from(d: &Document) -> Self {
        ReplyDocument {
            title: d.title.to_owned(),
            reference: d.reference.clone(),
            recipient: d.recipient.clone(),
            paragraphs: d.paragraphs.clone(),
            issuer: d.issuer.clone(),
            date: d.date.to_string(),
        }
    }
}

/// The reply an office sends for an online case: its stage, what is next, the review
/// window, and every document issued so far.
pub fn reply_for(
    state: &CaseState,
    unit: &UnitProfile,
    calendar: &WorkCalendar,
    today: NaiveDate,
    at: i64,
) -> Option<Reply> {
    let (code, _) = state.submission.as_ref()?;
    let flow = &state.flow;
    let due = flow.due(calendar);
    let review_until = match (flow.stage, &due) {
        (Stage::Answered, Some(d)) if d.date >= today => Some(d.date),
        _ => None,
    };
    let documents = documents::available(state)
        .into_iter()
        .filter_map(|k| documents::render(k, state, unit, calendar))
        .map(|d| ReplyDocument::from(&d))
        .collect();
    Some(Reply {
        query_code: code.clone(),
        case_no: state.case_no.clone(),
        from: UnitRef {
            code: unit.code.clone(),
            name: unit.name.clone(),
        },
        created_at: at,
        stage: flow.stage.label().to_owned(),
        next: match &due {
            Some(d) => format!(
                "{}：{}（{}）",
                flow.next_action(),
                d.date,
                d.describe(today)
            ),
            None => flow.next_action().to_owned(),
        },
        review_until,
        documents,
    })
}

/// The step an office records for a citizen's feedback, dated the day it is imported.
pub fn feedback_step(f: &FeedbackKind, today: NaiveDate) -> Step {
    match f {
        FeedbackKind::Rating { rating, comment } => Step::Evaluate {
            rating: *rating,
            comment: format!("网上评价：{comment}"),
            on: today,
        },
        FeedbackKind::Review { reason } => Step::RequestReview {
            reason: format!("网上申请：{reason}"),
            on: today,
        },
    }
}

/// The event id of a feedback's step, derived from the signed feedback, so importing the
/// same file twice records it once.
pub fn feedback_event_id(f: &Feedback) -> Result<EventId, BundleError> {
    let v = serde_json::to_value(f).map_err(|e| BundleError::Malformed(e.to_string()))?;
    let digest = Sha256::digest(super::pae(
        PayloadType::Feedback.media_type(),
        &canonical(&v)?,
    ));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Ok(EventId::from_random(bytes))
}

/// Signs a reply.
pub fn seal_reply(r: &Reply, office: &Identity) -> Result<String, BundleError> {
    seal(
        PayloadType::Reply,
        serde_json::to_value(r).map_err(|e| BundleError::Malformed(e.to_string()))?,
        office,
    )
}

/// Reads a reply on the citizen's page: it must be signed by the office's key (as
/// configured for the page) and answer one of the citizen's 查询码.
pub fn read_reply(
    bytes: &[u8],
    office: &PublicKey,
    known_codes: &[String],
) -> Result<Reply, BundleError> {
    let opened = open(bytes)?;
    if opened.kind != PayloadType::Reply {
        return Err(BundleError::WrongType(format!(
            "这是{}，不是受理单位的答复",
            opened.kind.label()
        )));
    }
    if &opened.signer != office {
        return Err(BundleError::NotFromOffice(opened.signer.fingerprint()));
    }
    let reply: Reply = serde_json::from_value(opened.payload)
        .map_err(|e| BundleError::Malformed(e.to_string()))?;
    if !known_codes.contains(&reply.query_code) {
        return Err(BundleError::UnknownQueryCode(reply.query_code));
    }
    Ok(reply)
}

/// What the citizen sends back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FeedbackKind {
    /// 评价.
    Rating {
        /// The rating.
        rating: Rating,
        /// Comment.
        comment: String,
    },
    /// 复查 request.
    Review {
        /// Why.
        reason: String,
    },
}

/// The payload of a feedback bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Feedback {
    /// The submission's 查询码.
    pub query_code: String,
    /// The office.
    pub to: UnitRef,
    /// When (UTC ms).
    pub created_at: i64,
    /// Rating or review request.
    pub feedback: FeedbackKind,
}

/// Signs feedback with the citizen's key (the one that signed the submission).
pub fn seal_feedback(f: &Feedback, citizen: &Identity) -> Result<String, BundleError> {
    seal(
        PayloadType::Feedback,
        serde_json::to_value(f).map_err(|e| BundleError::Malformed(e.to_string()))?,
        citizen,
    )
}

/// Reads feedback at the office: verified and addressed to us. The caller then checks
/// [`check_same_submitter`] against the case the 查询码 names.
pub fn read_feedback(bytes: &[u8], our_code: &str) -> Result<(Feedback, PublicKey), BundleError> {
    let opened = open(bytes)?;
    if opened.kind != PayloadType::Feedback {
        return Err(BundleError::WrongType(format!(
            "这是{}，不是信访人的评价或复查申请",
            opened.kind.label()
        )));
    }
    let f: Feedback = serde_json::from_value(opened.payload)
        .map_err(|e| BundleError::Malformed(e.to_string()))?;
    if f.to.code != our_code {
        return Err(BundleError::WrongAddressee(format!(
            "{}（{}）",
            f.to.name, f.to.code
        )));
    }
    Ok((f, opened.signer))
}

/// Feedback counts only when signed by the key that submitted the petition.
pub fn check_same_submitter(submitter_base64: &str, signer: &PublicKey) -> Result<(), BundleError> {
    if PublicKey::from_base64(submitter_base64).as_ref() != Some(signer) {
        return Err(BundleError::NotSubmitter);
    }
    Ok(())
}

/// The id of the element that carries a citizen page's config inside a single-file page.
pub const EMBEDDED_CONFIG_ID: &str = "xinfang-config";

/// Why a citizen's single-file page could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The template is not the single-file build.
    #[error("不是本程序的单文件版页面，无法生成网上信访页面")]
    NotSingleFile,
    /// The template already belongs to an office.
    #[error("此页面已经是某个受理单位的网上信访页面，不能再次配置")]
    AlreadyConfigured,
}

/// A citizen's single-file page: the single-file build with the office's config (its
/// signed unit card and townships, JSON) embedded as a data block that is never run.
/// `<` is escaped inside the JSON, so no text in it can close the block.
pub fn citizen_page(single_file: &str, config_json: &str) -> Result<String, PageError> {
    if !single_file.contains("<meta name=\"xinfang-build\" content=\"single-file\">") {
        return Err(PageError::NotSingleFile);
    }
    if single_file.contains(&format!("id=\"{EMBEDDED_CONFIG_ID}\"")) {
        return Err(PageError::AlreadyConfigured);
    }
    let at = single_file
        .rfind("</body>")
        .ok_or(PageError::NotSingleFile)?;
    let block = format!(
        "<script type=\"application/json\" id=\"{EMBEDDED_CONFIG_ID}\">{}</script>\n",
        config_json.replace('<', "\\u003c")
    );
    Ok(format!(
        "{}{block}{}",
        &single_file[..at],
        &single_file[at..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::petition::tests::{today, valid_draft};

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
        };
        attach(
            &mut s.attachments,
            "欠条.png",
            "image/png",
            b"\x89PNG fake image bytes",
        )
        .unwrap();
        s
    }

    #[test]
    fn query_codes_are_stable_readable_and_differ() {
        let (file, code) = seal_submission(&submission(), &Identity::from_seed([1; 32])).unwrap();
        assert_eq!(code.len(), 14);
        assert!(
            code.chars()
                .all(|c| c == '-' || CROCKFORD.contains(&(c as u8))),
            "{code}"
        );
        // Stable: derived from the signed content, whoever reads it.
        let received = read_submission(file.as_bytes(), "XF01").unwrap();
        assert_eq!(received.query_code, code);
        assert_eq!(
            seal_submission(&submission(), &Identity::from_seed([1; 32]))
                .unwrap()
                .1,
            code
        );
        let mut other = submission();
        other.created_at += 1;
        assert_ne!(
            seal_submission(&other, &Identity::from_seed([1; 32]))
                .unwrap()
                .1,
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
        let (file, _) = seal_submission(&submission(), &citizen).unwrap();
        let r = read_submission(file.as_bytes(), "XF01").unwrap();
        assert_eq!(r.submitter, citizen.public_key());
        assert_eq!(r.submission.attachments[0].size(), 21);
        assert!(matches!(
            read_submission(file.as_bytes(), "CGZ01"),
            Err(BundleError::WrongAddressee(_))
        ));
        assert!(read_submission(file.replace("拖欠工资", "拖欠工钱").as_bytes(), "XF01").is_err());
    }

    #[test]
    fn the_office_registers_online_and_revalidates() {
        let (file, _) = seal_submission(&submission(), &Identity::from_seed([1; 32])).unwrap();
        let r = read_submission(file.as_bytes(), "XF01").unwrap();
        assert_eq!(
            office_petition(&r, today()).unwrap().channel,
            Channel::Online
        );
        let mut bad = submission();
        bad.petition.petitioners[0].id_number = "110105194912310021".into();
        let (file, _) = seal_submission(&bad, &Identity::from_seed([1; 32])).unwrap();
        let r = read_submission(file.as_bytes(), "XF01").unwrap();
        assert!(
            matches!(office_petition(&r, today()), Err(BundleError::InvalidCase(m)) if m.contains("校验位"))
        );
    }

    #[test]
    fn receipt_dates_and_qr() {
        let cal = crate::domain::calendar::WorkCalendar::official();
        assert_eq!(
            notice_due(NaiveDate::from_ymd_opt(2026, 9, 20).unwrap(), &cal),
            NaiveDate::from_ymd_opt(2026, 10, 8).unwrap()
        );
        let (size, path) = qr_svg_path("ABCD-EFGH-JKMN").unwrap();
        assert_eq!(size, 21 + 8, "version 1 for a short code");
        assert!(
            path.starts_with("M4 4h1v1h-1z"),
            "the finder pattern's corner is dark"
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
        };
        let cal = WorkCalendar::official();
        let (file, code) = seal_submission(&submission(), &Identity::from_seed([1; 32])).unwrap();
        let r = read_submission(file.as_bytes(), "XF01").unwrap();
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
            feedback_step(&f.feedback, today()),
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
        let file = seal_reply(&reply, &office_key).unwrap();
        let codes = vec!["ABCD-EFGH-JKMN".to_owned()];
        assert_eq!(
            read_reply(file.as_bytes(), &office_key.public_key(), &codes).unwrap(),
            reply
        );
        let forged = seal_reply(&reply, &Identity::from_seed([8; 32])).unwrap();
        assert!(matches!(
            read_reply(forged.as_bytes(), &office_key.public_key(), &codes),
            Err(BundleError::NotFromOffice(_))
        ));
        assert!(matches!(
            read_reply(file.as_bytes(), &office_key.public_key(), &[]),
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
        let (back, signer) =
            read_feedback(seal_feedback(&f, &citizen).unwrap().as_bytes(), "XF01").unwrap();
        assert_eq!(back, f);
        assert!(check_same_submitter(&citizen.public_key().to_base64(), &signer).is_ok());
        let (_, stranger) = read_feedback(
            seal_feedback(&f, &Identity::from_seed([2; 32]))
                .unwrap()
                .as_bytes(),
            "XF01",
        )
        .unwrap();
        assert_eq!(
            check_same_submitter(&citizen.public_key().to_base64(), &stranger),
            Err(BundleError::NotSubmitter)
        );
    }
}

/// The petition an office registers from a submission: channel 网上, and every field
/// validated again (the citizen's page is not trusted to have done it).
pub fn office_petition(r: &ReceivedSubmission, today: NaiveDate) -> Result<Petition, BundleError> {
    let mut p = r.submission.petition.clone();
    p.channel = Channel::Online;
    PetitionDraft::from_petition(&p)
        .validate(today)
        .map_err(|e| {
            let fields: Vec<String> = e.iter().map(|(k, m)| format!("{k}：{m}")).collect();
            BundleError::InvalidCase(format!("网上信访件内容不符合要求（{}）", fields.join("；")))
        })
}

/// The events that register an online submission as a case of the office: the
/// registration (channel 网上) and the link to the submission, to be stored together.
pub fn submission_events(
    r: &ReceivedSubmission,
    registration: Event,
    link_id: EventId,
) -> [Event; 2] {
    let link = Event {
        id: link_id,
        case_id: registration.case_id.clone(),
        actor: registration.actor.clone(),
        at: registration.at,
        body: EventBody::Submitted {
            query_code: r.query_code.clone(),
            submitter_key: r.submitter.to_base64(),
            earlier: r.submission.earlier.clone(),
            attachments: r.submission.attachments.clone(),
        },
    };
    [registration, link]
}

/// What the citizen's page keeps of each submission it made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSubmission {
    /// Its 查询码.
    pub query_code: String,
    /// When it was made (UTC ms).
    pub created_at: i64,
    /// The petition's title.
    pub title: String,
    /// The office it went to.
    pub office: UnitRef,
    /// The bundle file, to save again.
    pub file: String,
    /// Replies imported for it, oldest first.
    #[serde(default)]
    pub replies: Vec<Reply>,
}

/// The last day for the office to say whether it accepts a petition submitted on `on`.
pub fn notice_due(on: NaiveDate, calendar: &crate::domain::calendar::WorkCalendar) -> NaiveDate {
    calendar.due_after_days(
        on,
        crate::domain::workflow::NOTICE_DAYS,
        &std::collections::BTreeSet::new(),
    )
}

/// The QR code of a text as an SVG path over a square of `width` modules (plus a quiet
/// zone of 4), drawing every dark module; `None` if the text is too long for a QR code.
pub fn qr_svg_path(text: &str) -> Option<(usize, String)> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    Some((width + 8, path))
}
