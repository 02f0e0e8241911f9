//! A petition submitted online: sealed on the citizen's page with its own key, read and
//! checked at the office, and registered there as a 网上 case.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::attachment::{attach, Attachment};
use crate::domain::event::{Event, EventBody};
use crate::domain::ids::EventId;
use crate::domain::petition::{Petition, PetitionDraft};
use crate::domain::vocab::Channel;
use crate::exchange::card::UnitRef;
use crate::exchange::envelope::{canonical, open, pae, seal, Identity, PayloadType, PublicKey};
use crate::exchange::error::BundleError;
use crate::exchange::recipient::{clear_payload, sealed_payload, Decryptor, EncryptionKey};

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
    /// The citizen's encryption key (base64), which the office's replies are encrypted
    /// to; absent in submissions made before encryption.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reply_key: String,
}

pub(crate) const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The 查询码 of a submission: the first 60 bits of SHA-256 over the bundle's signed
/// bytes (payload type and canonical payload), in Crockford base32, as `XXXX-XXXX-XXXX`.
/// Letters I, L, O and U are never used, so it reads aloud without confusion.
pub fn query_code(payload: &serde_json::Value) -> Result<String, BundleError> {
    let digest = Sha256::digest(pae(
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

/// A submission encrypted to the office's key `office` and signed with the citizen's
/// key, with the citizen's own encryption key inside for the replies: the file to save
/// and its 查询码. `random`: 32 fresh bytes from `crypto.getRandomValues`.
pub fn seal_submission(
    s: &Submission,
    citizen: &Identity,
    office: &EncryptionKey,
    random: [u8; 32],
) -> Result<(String, String), BundleError> {
    let s = Submission {
        reply_key: EncryptionKey::of(citizen).to_base64(),
        ..s.clone()
    };
    // The 查询码 is of the payload as signed: computed here, not read back from the file.
    let payload = sealed_payload(
        PayloadType::Submission,
        &s,
        office,
        &citizen.public_key(),
        random,
    )?;
    let code = query_code(&payload)?;
    Ok((seal(PayloadType::Submission, payload, citizen)?, code))
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

/// Reads a submission file for the office `us` (by unit code): verified, decrypted with
/// our key `me`, addressed to us, attachments within limits.
pub fn read_submission(
    bytes: &[u8],
    our_code: &str,
    me: &Decryptor,
) -> Result<ReceivedSubmission, BundleError> {
    let opened = open(bytes)?;
    if opened.kind != PayloadType::Submission {
        return Err(BundleError::WrongType(format!(
            "这是{}，不是网上信访件",
            opened.kind.label()
        )));
    }
    let code = query_code(&opened.payload)?;
    let submission: Submission = serde_json::from_value(clear_payload(&opened, me)?)
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
            reply_key: r.submission.reply_key.clone(),
        },
    };
    [registration, link]
}
