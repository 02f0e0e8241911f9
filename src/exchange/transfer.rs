//! A transfer: cases handed to another unit (转送, 交办, a report back, a copy), built
//! from the cases held here and checked on arrival against who signed it and for whom.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::authors::{sign_own, signatures_of};
use super::card::{trusted_signer, TrustedUnit, UnitRef};
use super::envelope::{file_digest, Identity, PayloadType, PublicKey};
use super::error::BundleError;
use super::items::{wire_items, WireItem};
use super::recipient::{seal_to, EncryptionKey};
use super::wire::{EventSignature, WireCase, WireEvent};
use crate::domain::case::CaseState;
use crate::domain::event::Event;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::registers::screening::ScreeningItem;
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::PetitionType;
use crate::domain::workflow::{Flow, Routing, Viewer};

/// Why cases are handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// 转送.
    Forward,
    /// 交办.
    Assign,
    /// 报告办理结果.
    Report,
    /// 抄送 (a copy for information).
    Copy,
}

impl Purpose {
    /// What `me` most likely sends a case for next, and to whom (a unit code): its report
    /// back to the sender when it handles a case sent to it, the 转送 or 交办 itself when it
    /// sent it, else a copy to no one in particular.
    pub fn suggested(flow: &Flow, me: Viewer) -> (Purpose, Option<String>) {
        match (&flow.routing, &flow.router) {
            (Some(_), Some(router)) if flow.handler.is(me) => {
                (Purpose::Report, router.code.clone())
            }
            (Some((Routing::Forward { .. }, _)), _) => {
                (Purpose::Forward, flow.handler.code.clone())
            }
            (Some((Routing::Assign { .. }, _)), _) => (Purpose::Assign, flow.handler.code.clone()),
            _ => (Purpose::Copy, None),
        }
    }

    /// What the unit `me` most likely sends a screening item for, and to whom: its
    /// follow-ups reported back to the unit that recorded it, when it was handed here;
    /// else 交办 to the unit that is to resolve it.
    pub fn suggested_for_item(item: &ScreeningItem, me: &str) -> (Purpose, Option<String>) {
        if item.recorded_by.unit_code == me {
            (Purpose::Assign, None)
        } else {
            (Purpose::Report, Some(item.recorded_by.unit_code.clone()))
        }
    }

    /// Every purpose.
    pub const ALL: [Purpose; 4] = [
        Purpose::Forward,
        Purpose::Assign,
        Purpose::Report,
        Purpose::Copy,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Purpose::Forward => "转送",
            Purpose::Assign => "交办",
            Purpose::Report => "报告办理结果",
            Purpose::Copy => "抄送",
        }
    }

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Purpose::Forward => "forward",
            Purpose::Assign => "assign",
            Purpose::Report => "report",
            Purpose::Copy => "copy",
        }
    }

    /// Inverse of [`Self::key`].
    pub fn from_key(k: &str) -> Option<Purpose> {
        Self::ALL.into_iter().find(|p| p.key() == k)
    }
}

/// The payload of a transfer bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Transfer {
    /// The sending unit.
    pub from: UnitRef,
    /// The receiving unit.
    pub to: UnitRef,
    /// Why.
    pub purpose: Purpose,
    /// When the file was made (UTC ms).
    pub created_at: i64,
    /// The cases.
    pub cases: Vec<WireCase>,
    /// The screening items (a file carries cases or items, not both); absent in files
    /// made before items were handed over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<WireItem>,
    /// The sender's encryption key (base64), so a receiver that trusts the sender from
    /// this file can answer it encrypted; absent in files made before encryption.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reply_key: String,
}

/// Why cases may not be exported to a unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// 检举控告 material must not reach the unit it complains about (Art. 30).
    #[error("案件 {0} 是检举控告，被反映对象为“{1}”，依《信访工作条例》第三十条不得转交被检举、控告的单位")]
    ComplainedUnit(String, String),
    /// Nothing selected.
    #[error("请至少选择一件案件")]
    Empty,
    /// No item selected.
    #[error("请至少选择一条排查事项")]
    NoItems,
    /// An item that could not be written.
    #[error("排查事项无法写入交换文件：{0}")]
    Unwritable(String),
}

/// Builds a transfer of `cases` to `to`, refusing 检举控告 cases that complain about it.
pub fn transfer(
    from: &UnitProfile,
    to: &UnitRef,
    purpose: Purpose,
    cases: &[CaseState],
    at: Timestamp,
) -> Result<Transfer, ExportError> {
    if cases.is_empty() {
        return Err(ExportError::Empty);
    }
    for c in cases {
        let target = c.petition.complained_about.trim();
        let names_receiver = !target.is_empty()
            && (target.contains(&to.name) || to.name.contains(target) || target == to.code);
        if c.petition.petition_type == PetitionType::Accusation && names_receiver {
            return Err(ExportError::ComplainedUnit(
                c.case_no.clone(),
                target.to_owned(),
            ));
        }
    }
    let wire_cases = cases
        .iter()
        .map(|c| WireCase {
            case_id: c.id.to_string(),
            case_no: c.case_no.clone(),
            events: c
                .events
                .iter()
                .filter_map(|e| WireEvent::from_event(e).ok())
                .collect(),
        })
        .collect();
    Ok(Transfer {
        from: UnitRef {
            code: from.code.clone(),
            name: from.name.clone(),
        },
        to: to.clone(),
        purpose,
        created_at: at.0,
        cases: wire_cases,
        items: Vec::new(),
        reply_key: String::new(),
    })
}

/// Builds a transfer of screening items to `to` (交办 to the township or department that
/// is to resolve them, or their follow-ups reported back).
pub fn transfer_items(
    from: &UnitProfile,
    to: &UnitRef,
    purpose: Purpose,
    items: &[ScreeningItem],
    at: Timestamp,
) -> Result<Transfer, ExportError> {
    if items.is_empty() {
        return Err(ExportError::NoItems);
    }
    Ok(Transfer {
        from: UnitRef {
            code: from.code.clone(),
            name: from.name.clone(),
        },
        to: to.clone(),
        purpose,
        created_at: at.0,
        cases: Vec::new(),
        items: wire_items(items).map_err(|e| ExportError::Unwritable(e.to_string()))?,
        reply_key: String::new(),
    })
}

/// Signs every event the sender wrote, encrypts the transfer to its recipient's key `to`
/// and signs it into a bundle file, with the sender's own encryption key inside for the
/// answer. `random`: 32 fresh bytes from `crypto.getRandomValues`.
pub fn seal_transfer(
    t: &Transfer,
    signer: &Identity,
    to: &EncryptionKey,
    random: [u8; 32],
) -> Result<String, BundleError> {
    let mut t = Transfer {
        reply_key: EncryptionKey::of(signer).to_base64(),
        ..t.clone()
    };
    sign_own(&mut t.cases, &t.from.code, signer)?;
    sign_own(&mut t.items, &t.from.code, signer)?;
    seal_to(PayloadType::Transfer, &t, to, signer, random)
}

/// Checks that a transfer is addressed to us.
pub fn check_addressee(t: &Transfer, us: &UnitProfile) -> Result<(), BundleError> {
    if t.to.code != us.code {
        return Err(BundleError::WrongAddressee(format!(
            "{}（{}）",
            t.to.name, t.to.code
        )));
    }
    Ok(())
}

/// Checks that the trusted unit whose key signed a transfer is the sender it names.
pub fn check_sender(t: &Transfer, signer: &TrustedUnit) -> Result<(), BundleError> {
    if t.from.code != signer.card.code {
        return Err(BundleError::SenderMismatch {
            claimed: format!("{}（{}）", t.from.name, t.from.code),
            signer: format!("{}（{}）", signer.card.name, signer.card.code),
        });
    }
    Ok(())
}

/// Admits a verified transfer for import here: addressed to us, signed by a trusted key,
/// by the unit it names as sender. Checked by the operation that stores it, whatever the
/// page showed.
pub fn admit<'a>(
    t: &Transfer,
    signer: &PublicKey,
    directory: &'a [TrustedUnit],
    us: &UnitProfile,
) -> Result<&'a TrustedUnit, BundleError> {
    check_addressee(t, us)?;
    let unit = trusted_signer(directory, signer)
        .ok_or_else(|| BundleError::Untrusted(signer.fingerprint()))?;
    check_sender(t, unit)?;
    Ok(unit)
}

/// What the page needs of a verified transfer: who signed it, the transfer without its
/// cases (their wire form is not needed once they are events; its few items stay in
/// theirs), and the cases' events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTransfer {
    /// The signing key.
    pub signer: PublicKey,
    /// The header: sender, addressee, purpose, time, the items; `cases` is left empty.
    pub transfer: Transfer,
    /// The events of every case, validated.
    pub events: Vec<Event>,
    /// The file's SHA-256, hex: names it in the provenance of the events it brings.
    pub file: String,
    /// The authors' signatures the events carry, the items' too (verified on reading),
    /// kept beside them.
    pub signatures: BTreeMap<EventId, EventSignature>,
}

impl VerifiedTransfer {
    /// Keeps what the page needs of what [`read`](crate::exchange::read::read) found in the transfer file `bytes`.
    pub fn of(
        signer: PublicKey,
        transfer: Transfer,
        events: Vec<Event>,
        bytes: &[u8],
    ) -> VerifiedTransfer {
        VerifiedTransfer {
            file: file_digest(bytes),
            signatures: signatures_of(&transfer.cases)
                .into_iter()
                .chain(signatures_of(&transfer.items))
                .collect(),
            signer,
            transfer: Transfer {
                cases: Vec::new(),
                ..transfer
            },
            events,
        }
    }

    /// The cases the events belong to, each once.
    pub fn case_ids(&self) -> Vec<CaseId> {
        let ids: BTreeSet<&CaseId> = self.events.iter().map(|e| &e.case_id).collect();
        ids.into_iter().cloned().collect()
    }
}
