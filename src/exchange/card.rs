//! Unit cards and the directory of trusted units: who a unit is, the key it signs with,
//! and which keys this unit has checked (by fingerprint, over the phone) and trusts.

use serde::{Deserialize, Serialize};

use super::envelope::{seal, Identity, PayloadType, PublicKey};
use super::error::BundleError;
use super::recipient::EncryptionKey;
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::UnitLevel;

/// A unit as it appears in the directory: who it is and the key it signs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitCard {
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
    /// Level key (`County`, `Township`, `Department`).
    pub level: String,
    /// Base64 Ed25519 public key.
    pub public_key: String,
    /// The 上级单位, which takes 复查 of this unit's answers; absent when not set.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent: String,
    /// Base64 X25519 key that files sent to this unit are encrypted to; absent on cards
    /// made before files were encrypted (nothing can then be sent to the unit).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub encryption_key: String,
}

impl UnitCard {
    /// The card of our own unit: both its keys come from its identity.
    pub fn of(profile: &UnitProfile, identity: &Identity) -> UnitCard {
        UnitCard {
            code: profile.code.clone(),
            name: profile.name.clone(),
            level: profile.level.key().to_owned(),
            public_key: identity.public_key().to_base64(),
            parent: profile.parent.clone(),
            encryption_key: EncryptionKey::of(identity).to_base64(),
        }
    }

    /// The card's key, if well-formed.
    pub fn key(&self) -> Option<PublicKey> {
        PublicKey::from_base64(&self.public_key)
    }

    /// The key files to this unit are encrypted to; refused for a card without one.
    pub fn encryption(&self) -> Result<EncryptionKey, BundleError> {
        EncryptionKey::from_base64(&self.encryption_key)
            .ok_or_else(|| BundleError::NoEncryptionKey(format!("{}（{}）", self.name, self.code)))
    }

    /// The level's Chinese label.
    pub fn level_label(&self) -> &'static str {
        UnitLevel::from_key(&self.level).map_or("未知层级", UnitLevel::label)
    }
}

/// A unit in this unit's directory of trusted signers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedUnit {
    /// The unit's card.
    pub card: UnitCard,
    /// When it was trusted.
    pub trusted_at: Timestamp,
    /// When trust was withdrawn, if it was.
    #[serde(default)]
    pub revoked_at: Option<Timestamp>,
}

/// The trusted, unrevoked unit whose key is exactly `key` (full key comparison).
pub fn trusted_signer<'a>(
    directory: &'a [TrustedUnit],
    key: &PublicKey,
) -> Option<&'a TrustedUnit> {
    directory
        .iter()
        .find(|u| u.revoked_at.is_none() && u.card.key().as_ref() == Some(key))
}

/// Why a card was not trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    /// A card with a new key for a unit already trusted: a key change, which needs the
    /// new fingerprint retyped after a call to the unit.
    #[error("{name}（{code}）已在信任名单中，但这张名片的密钥不同：原密钥指纹 {old}，新密钥指纹 {new}。密钥被更换，也可能是他人冒充：请电话向对方核对新指纹，在“交换”中导入对方的新名片，完整输入新指纹后再确认更换")]
    KeyChange {
        /// The unit's code.
        code: String,
        /// Its name on the new card.
        name: String,
        /// The fingerprint trusted until now.
        old: String,
        /// The new card's fingerprint.
        new: String,
    },
    /// The fingerprint typed is not the new card's.
    #[error("输入的指纹与新名片的密钥指纹不一致，密钥未更换。请与对方再次核对")]
    Mismatch,
    /// A card whose key does not parse.
    #[error("名片中的公钥无效，不能信任")]
    BadKey,
}

/// The trusted entry `card` would replace with another key: a key change.
pub fn replaced_by<'a>(directory: &'a [TrustedUnit], card: &UnitCard) -> Option<&'a TrustedUnit> {
    directory.iter().find(|u| {
        u.revoked_at.is_none() && u.card.code == card.code && u.card.public_key != card.public_key
    })
}

/// A fingerprint as typed: spaces dropped, letters in capitals.
fn typed(fingerprint: &str) -> String {
    fingerprint
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Adds (or renews) trust in a card. A card with another key for a unit already trusted
/// is a key change: refused unless `retyped` is the new card's fingerprint; the old entry
/// is then kept as revoked, so files signed with it are still recognised as once trusted.
pub fn trust(
    directory: &mut Vec<TrustedUnit>,
    card: UnitCard,
    at: Timestamp,
    retyped: Option<&str>,
) -> Result<(), TrustError> {
    let new = card.key().ok_or(TrustError::BadKey)?.fingerprint();
    if let Some(old) = replaced_by(directory, &card) {
        match retyped {
            None => {
                return Err(TrustError::KeyChange {
                    code: card.code.clone(),
                    name: card.name.clone(),
                    old: old.card.key().map(|k| k.fingerprint()).unwrap_or_default(),
                    new,
                })
            }
            Some(t) if typed(t) != typed(&new) => return Err(TrustError::Mismatch),
            Some(_) => revoke(directory, &card.code, at),
        }
    }
    // The same key again renews the entry; revoked entries of the unit stay as history.
    directory.retain(|u| {
        !(u.card.code == card.code
            && u.revoked_at.is_none()
            && u.card.public_key == card.public_key)
    });
    directory.push(TrustedUnit {
        card,
        trusted_at: at,
        revoked_at: None,
    });
    Ok(())
}

/// Withdraws trust in the unit `code`: its entries stay in the directory, marked revoked
/// at `at`, so files it signed before are still recognised as once trusted.
pub fn revoke(directory: &mut [TrustedUnit], code: &str, at: Timestamp) {
    for u in directory
        .iter_mut()
        .filter(|u| u.card.code == code && u.revoked_at.is_none())
    {
        u.revoked_at = Some(at);
    }
}

/// A unit as named in a transfer (sender or receiver).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitRef {
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
}

/// Signs our unit card.
pub fn seal_unit_card(card: &UnitCard, signer: &Identity) -> Result<String, BundleError> {
    let v = serde_json::to_value(CardPayload { unit: card.clone() })
        .map_err(|e| BundleError::Malformed(e.to_string()))?;
    seal(PayloadType::UnitCard, v, signer)
}

/// The payload of a unit-card bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardPayload {
    /// The card.
    pub unit: UnitCard,
}
