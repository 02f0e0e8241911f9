//! The office's reply to a citizen: the case's stage, what is next, the review window and
//! every document issued so far, signed by the office; and what the citizen's page keeps.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::documents::{self, Document};
use crate::domain::unit::UnitProfile;
use crate::domain::workflow::Stage;
use crate::exchange::card::UnitRef;
use crate::exchange::envelope::{open, Identity, PayloadType, PublicKey};
use crate::exchange::error::BundleError;
use crate::exchange::recipient::{clear_payload, seal_to, Decryptor, EncryptionKey};

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

impl Reply {
    /// Whether the citizen may still request a 复查 of this answer on `today`.
    pub fn review_open(&self, today: NaiveDate) -> bool {
        self.review_until.is_some_and(|last| today <= last)
    }
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
    let code = &state.submission.as_ref()?.query_code;
    let flow = &state.flow;
    let due = flow.due(calendar);
    let review_until = match (flow.stage, &due) {
        (Stage::Answered, Some(d)) if today <= d.date => Some(d.date),
        _ => None,
    };
    // Only what is addressed to the petitioner: 转送单, 交办单 and 督办单 stay between units.
    let documents = documents::available(state)
        .into_iter()
        .filter(|k| k.to_petitioner())
        .filter_map(|k| documents::render(k, state, calendar))
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

/// The key a reply on this online case is encrypted to: the one its submission carried.
pub fn citizen_key(state: &CaseState) -> Result<EncryptionKey, BundleError> {
    state
        .submission
        .as_ref()
        .and_then(|s| EncryptionKey::from_base64(&s.reply_key))
        .ok_or(BundleError::CitizenWithoutKey)
}

/// Encrypts a reply to the citizen's key `to` and signs it with the office's key.
/// `random`: 32 fresh bytes from `crypto.getRandomValues`.
pub fn seal_reply(
    r: &Reply,
    office: &Identity,
    to: &EncryptionKey,
    random: [u8; 32],
) -> Result<String, BundleError> {
    seal_to(PayloadType::Reply, r, to, office, random)
}

/// Reads a reply on the citizen's page: it must be signed by the office's key (as
/// configured for the page), be encrypted to the citizen's key `me`, and answer one of
/// the citizen's 查询码.
pub fn read_reply(
    bytes: &[u8],
    office: &PublicKey,
    known_codes: &[String],
    me: &Decryptor,
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
    let reply: Reply = serde_json::from_value(clear_payload(&opened, me)?)
        .map_err(|e| BundleError::Malformed(e.to_string()))?;
    if !known_codes.contains(&reply.query_code) {
        return Err(BundleError::UnknownQueryCode(reply.query_code));
    }
    Ok(reply)
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
