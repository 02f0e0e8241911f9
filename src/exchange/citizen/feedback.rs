//! The citizen's answer to a reply: a rating or a 复查 request, signed with the key that
//! submitted the petition, and the step the office records for it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::ids::EventId;
use crate::domain::workflow::{Rating, Step};
use crate::exchange::card::UnitRef;
use crate::exchange::envelope::{canonical, open, pae, Identity, PayloadType, PublicKey};
use crate::exchange::error::BundleError;
use crate::exchange::recipient::{clear_payload, seal_to, Decryptor, EncryptionKey};

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

/// Encrypts feedback to the office's key `office` and signs it with the citizen's key
/// (the one that signed the submission). `random`: 32 fresh bytes from
/// `crypto.getRandomValues`.
pub fn seal_feedback(
    f: &Feedback,
    citizen: &Identity,
    office: &EncryptionKey,
    random: [u8; 32],
) -> Result<String, BundleError> {
    seal_to(PayloadType::Feedback, f, office, citizen, random)
}

/// Reads feedback at the office: verified, decrypted with our key `me` and addressed to
/// us. The caller then checks [`check_same_submitter`] against the case the 查询码 names.
pub fn read_feedback(
    bytes: &[u8],
    our_code: &str,
    me: &Decryptor,
) -> Result<(Feedback, PublicKey), BundleError> {
    let opened = open(bytes)?;
    if opened.kind != PayloadType::Feedback {
        return Err(BundleError::WrongType(format!(
            "这是{}，不是信访人的评价或复查申请",
            opened.kind.label()
        )));
    }
    let f: Feedback = serde_json::from_value(clear_payload(&opened, me)?)
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

/// The step an office records for a citizen's feedback, dated the day it is imported; a
/// 复查 request names `reviewer`, the unit above that takes it (blank: the office).
pub fn feedback_step(f: &FeedbackKind, today: NaiveDate, reviewer: &str) -> Step {
    match f {
        FeedbackKind::Rating { rating, comment } => Step::Evaluate {
            rating: *rating,
            comment: format!("网上评价：{comment}"),
            on: today,
        },
        FeedbackKind::Review { reason } => Step::RequestReview {
            reason: format!("网上申请：{reason}"),
            reviewer: reviewer.to_owned(),
            on: today,
        },
    }
}

/// The event id of a feedback's step, derived from the signed feedback, so importing the
/// same file twice records it once.
pub fn feedback_event_id(f: &Feedback) -> Result<EventId, BundleError> {
    let v = serde_json::to_value(f).map_err(|e| BundleError::Malformed(e.to_string()))?;
    let digest = Sha256::digest(pae(PayloadType::Feedback.media_type(), &canonical(&v)?));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Ok(EventId::from_random(bytes))
}
