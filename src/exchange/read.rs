//! Reading a file dropped into 交换: verified first, then typed by what it holds; a file
//! meant for another screen (a backup, a citizen's file) is named for what it is.

use super::authors::{check_signatures, Share};
use super::card::{CardPayload, UnitCard};
use super::envelope::{open, Opened, PayloadType};
use super::error::BundleError;
use super::items::validate_items;
use super::recipient::{clear_payload, Decryptor};
use super::transfer::Transfer;
use super::wire::validate_cases;
use crate::domain::attachment;
use crate::domain::event::{Event, EventBody};

/// What a verified bundle holds, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// A unit card (self-signed: its key is the signer's).
    UnitCard(UnitCard),
    /// Cases (as domain events grouped by case) or screening items.
    Transfer {
        /// The payload header, with the items (validated, their signatures verified).
        transfer: Transfer,
        /// The events of every case, validated.
        events: Vec<Event>,
    },
}

/// What importing a backup says: backups are restored, not imported.
const RESTORE_BACKUPS: &str = "数据备份请在“备份与恢复”中恢复";

/// Opens a bundle and reads its contents from the verified value, decrypting what was
/// encrypted to us with `me` (only once the signature has verified).
pub fn read(bytes: &[u8], me: &Decryptor) -> Result<(Opened, Contents), BundleError> {
    read_share(bytes, me, Share::ALL)
}

/// [`read`], verifying only `share` of the events' own signatures: a file is accepted
/// once every share of it has been read without a refusal (each by its own worker).
pub fn read_share(
    bytes: &[u8],
    me: &Decryptor,
    share: Share,
) -> Result<(Opened, Contents), BundleError> {
    let opened = open(bytes).map_err(|e| match e {
        // A backup of several volumes is JSON Lines, not one JSON value: name it for
        // what it is rather than call it broken (only the message depends on this).
        BundleError::NotJson(_) if first_line_is_backup_volume(bytes) => {
            BundleError::WrongType(RESTORE_BACKUPS.into())
        }
        e => e,
    })?;
    let contents = match opened.kind {
        PayloadType::UnitCard => Contents::UnitCard(card_of(&opened)?),
        PayloadType::Transfer => {
            let t: Transfer = serde_json::from_value(clear_payload(&opened, me)?)
                .map_err(|e| BundleError::Malformed(e.to_string()))?;
            if !t.cases.is_empty() && !t.items.is_empty() {
                return Err(BundleError::Malformed(
                    "一个交换文件只能含案件或排查事项之一".into(),
                ));
            }
            let events = validate_cases(&t.cases)?;
            check_signatures(
                &t.cases,
                &t.from.code,
                &opened.signer,
                opened.version,
                share,
            )?;
            check_attachments(&events)?;
            validate_items(&t.items)?;
            // Items travel only in files newer than signed events: the sender's own are
            // always signed, whatever version a file claims.
            check_signatures(&t.items, &t.from.code, &opened.signer, u64::MAX, share)?;
            Contents::Transfer {
                transfer: t,
                events,
            }
        }
        PayloadType::Backup | PayloadType::BackupVolume | PayloadType::SealedBackupVolume => {
            return Err(BundleError::WrongType(RESTORE_BACKUPS.into()))
        }
        PayloadType::Submission | PayloadType::Feedback => {
            return Err(BundleError::WrongType(
                "网上信访件、评价和复查申请请在“网上信访”中导入".into(),
            ))
        }
        PayloadType::Reply => {
            return Err(BundleError::WrongType(
                "受理单位的答复由信访人在信访页面导入".into(),
            ))
        }
    };
    Ok((opened, contents))
}

/// Every attachment a transfer carries is checked again as it arrives: a relaying unit's
/// file is no more trusted with a mislabelled file than a citizen's.
fn check_attachments(events: &[Event]) -> Result<(), BundleError> {
    for e in events {
        if let EventBody::Submitted { attachments, .. } = &e.body {
            for a in attachments {
                attachment::check(a).map_err(|err| {
                    BundleError::InvalidCase(format!("案件 {} 的附件：{err}", e.case_id))
                })?;
            }
        }
    }
    Ok(())
}

fn first_line_is_backup_volume(bytes: &[u8]) -> bool {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    [PayloadType::BackupVolume, PayloadType::SealedBackupVolume]
        .iter()
        .any(|t| {
            let marker = format!("\"payloadType\":\"{}\"", t.media_type());
            memchr::memmem::find(first, marker.as_bytes()).is_some()
        })
}

/// The card of a verified unit-card bundle: it must be signed by the key it announces,
/// and any encryption key it carries must be one.
fn card_of(opened: &Opened) -> Result<UnitCard, BundleError> {
    let card: CardPayload = serde_json::from_value(opened.payload.clone())
        .map_err(|e| BundleError::Malformed(e.to_string()))?;
    if card.unit.key().as_ref() != Some(&opened.signer) {
        return Err(BundleError::KeyIdMismatch);
    }
    if !card.unit.encryption_key.is_empty() && card.unit.encryption().is_err() {
        return Err(BundleError::Malformed("encryptionKey".into()));
    }
    Ok(card.unit)
}

/// Opens a file expecting a unit card (a card is never encrypted: no key is needed).
pub fn read_unit_card(bytes: &[u8]) -> Result<UnitCard, BundleError> {
    let opened = open(bytes)?;
    match opened.kind {
        PayloadType::UnitCard => card_of(&opened),
        _ => Err(BundleError::WrongType("这不是单位名片".into())),
    }
}
