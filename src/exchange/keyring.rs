//! The unit's signing seed at rest. It is never stored in clear: the browser keeps it
//! sealed under the operator's passphrase (the backup's construction, `super::secret`:
//! PBKDF2-HMAC-SHA256 with a fresh salt, ChaCha20-Poly1305 with a fresh nonce), asked
//! once each time the app opens. Without the passphrase no one at the PC can sign a
//! file, decrypt one, or write a backup, which seals the same seed.

use super::backup::{check_passphrase, long_enough, BackupError, KDF_ITERATIONS};
use super::envelope::Identity;
use super::secret::{open_key, seal_key, SealedKey};

/// Why a passphrase was not accepted, or the stored key not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Too short to protect the key.
    #[error("操作口令至少 12 个字符，或至少 4 个以空格分开的词（如“春风 杨柳 万千 条”）：本单位的签名密钥靠它加密保存")]
    Short,
    /// The two entries differ.
    #[error("两次输入的操作口令不一致")]
    Mismatch,
    /// Not the passphrase the key was sealed with.
    #[error("操作口令不正确，请重新输入。口令遗忘时，只能在新的浏览器中从备份恢复")]
    Wrong,
    /// The stored key is not a sealed key this version reads.
    #[error("本机保存的签名密钥已损坏，无法读取：请在新的浏览器中从备份恢复")]
    Unreadable,
}

/// Checks a new operator passphrase and its confirmation: the backup's rule, in the
/// operator's words.
pub fn check_new(passphrase: &str, again: &str) -> Result<(), KeyError> {
    check_passphrase(passphrase, again).map_err(|e| match e {
        BackupError::ShortPassphrase => KeyError::Short,
        _ => KeyError::Mismatch,
    })
}

/// The unit's key as the database holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredKey {
    /// Sealed under the operator's passphrase: the only form written.
    Sealed(SealedKey),
    /// The seed in clear, as versions before 2026-12 stored it: to be sealed at once.
    Clear(Identity),
}

impl StoredKey {
    /// Reads the stored text: a sealed key (JSON), or an older clear seed (base64).
    pub fn parse(text: &str) -> Result<StoredKey, KeyError> {
        if let Ok(sealed) = serde_json::from_str::<SealedKey>(text) {
            return Ok(StoredKey::Sealed(sealed));
        }
        Identity::from_seed_base64(text)
            .map(StoredKey::Clear)
            .ok_or(KeyError::Unreadable)
    }
}

/// Seals the seed under the operator's passphrase; `salt` and `nonce` are fresh random
/// bytes. The stored form is its JSON.
pub fn seal(
    identity: &Identity,
    passphrase: &str,
    salt: [u8; 16],
    nonce: [u8; 12],
) -> Result<SealedKey, KeyError> {
    if !long_enough(passphrase) {
        return Err(KeyError::Short);
    }
    Ok(seal_key(identity, passphrase, salt, nonce, KDF_ITERATIONS))
}

/// Opens the sealed seed with the operator's passphrase.
pub fn unlock(sealed: &SealedKey, passphrase: &str) -> Result<Identity, KeyError> {
    open_key(sealed, passphrase).map_err(|_| KeyError::Wrong)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "县信访局操作口令2026";

    #[test]
    fn the_stored_key_holds_no_seed_and_opens_only_with_its_passphrase() {
        let id = Identity::from_seed([9; 32]);
        let text = serde_json::to_string(&seal(&id, PASS, [1; 16], [2; 12]).unwrap()).unwrap();
        assert!(!text.contains(&id.seed_base64()));
        let StoredKey::Sealed(sealed) = StoredKey::parse(&text).unwrap() else {
            panic!("sealed")
        };
        assert_eq!(unlock(&sealed, PASS).unwrap(), id);
        assert_eq!(
            unlock(&sealed, "县信访局操作口令2025"),
            Err(KeyError::Wrong)
        );
        // A changed byte of the ciphertext does not open either.
        let mut changed = sealed.clone();
        changed.ciphertext = changed.ciphertext.replacen('A', "B", 1);
        if changed.ciphertext != sealed.ciphertext {
            assert_eq!(unlock(&changed, PASS), Err(KeyError::Wrong));
        }
    }

    #[test]
    fn an_older_clear_seed_is_recognised_and_anything_else_refused() {
        let id = Identity::from_seed([9; 32]);
        assert_eq!(
            StoredKey::parse(&id.seed_base64()),
            Ok(StoredKey::Clear(id))
        );
        assert_eq!(StoredKey::parse("{}"), Err(KeyError::Unreadable));
        assert_eq!(StoredKey::parse("不是密钥"), Err(KeyError::Unreadable));
    }

    #[test]
    fn a_new_passphrase_must_be_long_and_confirmed() {
        assert_eq!(check_new("短口令", "短口令"), Err(KeyError::Short));
        assert_eq!(
            check_new(PASS, "县信访局操作口令2025"),
            Err(KeyError::Mismatch)
        );
        assert!(check_new("春风 杨柳 万千 条", "春风 杨柳 万千 条").is_ok());
        assert!(check_new(PASS, PASS).is_ok());
        let id = Identity::from_seed([9; 32]);
        assert_eq!(seal(&id, "短", [1; 16], [2; 12]), Err(KeyError::Short));
    }
}
