//! Passphrase cryptography: a key derived from the operator's passphrase (PBKDF2-HMAC-
//! SHA256, slow on purpose) and authenticated encryption under it (ChaCha20-Poly1305,
//! a fresh random nonce each time, associated data binding the ciphertext to its place).
//! Both crates are RustCrypto's, already used for the signing key: no new dependency.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde::{Deserialize, Serialize};

use super::envelope::Identity;

/// Why a sealed secret did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// A wrong passphrase, or a changed byte.
    #[error("口令不正确，或文件已被改动")]
    WrongPassphrase,
    /// A field that is not what the format says; names it.
    #[error("文件格式错误：{0}")]
    Malformed(&'static str),
}

/// The one key derivation written: PBKDF2-HMAC-SHA256.
pub const KDF_NAME: &str = "pbkdf2-hmac-sha256";
/// Most PBKDF2 rounds a file may ask for: a bound on a hostile file's cost.
pub const MAX_ITERATIONS: u32 = 10_000_000;

/// How a key is derived from the passphrase, stated in the file so a reader can repeat it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kdf {
    /// Always [`KDF_NAME`].
    pub name: String,
    /// PBKDF2 rounds.
    pub iterations: u32,
    /// Base64 salt (16 random bytes).
    pub salt: String,
}

/// A key derived from a passphrase.
#[derive(Clone, PartialEq, Eq)]
pub struct PassKey([u8; 32]);

// Never printed: a debug line must not carry the key.
impl std::fmt::Debug for PassKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassKey(..)")
    }
}

impl Kdf {
    /// A new derivation with a fresh random `salt`.
    pub fn new(salt: [u8; 16], iterations: u32) -> Kdf {
        Kdf {
            name: KDF_NAME.into(),
            iterations,
            salt: B64.encode(salt),
        }
    }

    /// The key for `passphrase`; `None` for a derivation this reader does not make (an
    /// unknown name, no rounds or too many, a salt that is not base64).
    pub fn key(&self, passphrase: &str) -> Option<PassKey> {
        if self.name != KDF_NAME || self.iterations == 0 || self.iterations > MAX_ITERATIONS {
            return None;
        }
        let salt = B64.decode(&self.salt).ok()?;
        Some(derive(passphrase, &salt, self.iterations))
    }
}

/// PBKDF2-HMAC-SHA256 of the passphrase.
pub fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> PassKey {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(passphrase.as_bytes(), salt, iterations, &mut key);
    PassKey(key)
}

/// Encrypts `plain` under `key` with `nonce` (fresh random bytes), binding `ad`.
pub fn seal(key: &PassKey, nonce: [u8; 12], ad: &[u8], plain: &[u8]) -> Vec<u8> {
    ChaCha20Poly1305::new(Key::from_slice(&key.0))
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: ad,
            },
        )
        // Encryption fails only for messages beyond 256 GiB.
        .unwrap_or_default()
}

/// Decrypts and authenticates; `None` for a wrong key, a changed byte or another `ad`.
pub fn unseal(key: &PassKey, nonce: &[u8], ad: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>> {
    let nonce: [u8; 12] = nonce.try_into().ok()?;
    ChaCha20Poly1305::new(Key::from_slice(&key.0))
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: ciphertext,
                aad: ad,
            },
        )
        .ok()
}

/// A unit's signing key sealed with a passphrase (inside a backup's first volume).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SealedKey {
    /// Always [`KDF_NAME`].
    pub kdf: String,
    /// PBKDF2 rounds.
    pub iterations: u32,
    /// Base64 16-byte salt.
    pub salt: String,
    /// Base64 12-byte ChaCha20-Poly1305 nonce.
    pub nonce: String,
    /// Base64 ciphertext of the 32-byte seed, with its tag.
    pub ciphertext: String,
}

impl SealedKey {
    /// Its derivation.
    pub fn kdf(&self) -> Kdf {
        Kdf {
            name: self.kdf.clone(),
            iterations: self.iterations,
            salt: self.salt.clone(),
        }
    }
}

/// Seals the identity's seed with a passphrase; salt and nonce are fresh random bytes.
pub fn seal_key(
    identity: &Identity,
    passphrase: &str,
    salt: [u8; 16],
    nonce: [u8; 12],
    iterations: u32,
) -> SealedKey {
    let kdf = Kdf::new(salt, iterations);
    seal_key_with(
        identity,
        &derive(passphrase, &salt, iterations),
        &kdf,
        nonce,
    )
}

/// Seals the seed with a key already derived by `kdf` (one slow derivation per backup).
pub fn seal_key_with(identity: &Identity, key: &PassKey, kdf: &Kdf, nonce: [u8; 12]) -> SealedKey {
    let seed = B64.decode(identity.seed_base64()).unwrap_or_default();
    SealedKey {
        kdf: kdf.name.clone(),
        iterations: kdf.iterations,
        salt: kdf.salt.clone(),
        nonce: B64.encode(nonce),
        ciphertext: B64.encode(seal(key, nonce, b"", &seed)),
    }
}

/// Opens a sealed key with the passphrase.
pub fn open_key(sealed: &SealedKey, passphrase: &str) -> Result<Identity, SecretError> {
    let key = sealed
        .kdf()
        .key(passphrase)
        .ok_or(SecretError::Malformed("key"))?;
    open_key_with(sealed, &key)
}

/// Opens a sealed key with a key derived by its own derivation.
pub fn open_key_with(sealed: &SealedKey, key: &PassKey) -> Result<Identity, SecretError> {
    let bad = |_| SecretError::Malformed("key");
    let nonce = B64.decode(&sealed.nonce).map_err(bad)?;
    let ciphertext = B64.decode(&sealed.ciphertext).map_err(bad)?;
    let seed = unseal(key, &nonce, b"", &ciphertext).ok_or(SecretError::WrongPassphrase)?;
    let seed: [u8; 32] = seed.try_into().map_err(|_| SecretError::WrongPassphrase)?;
    Ok(Identity::from_seed(seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_text_opens_only_with_its_key_nonce_and_place() {
        let kdf = Kdf::new([7; 16], 1_000);
        let key = kdf.key("县信访局备份口令2026").unwrap();
        let sealed = seal(&key, [1; 12], b"volume 1", "张三 13800138000".as_bytes());
        assert!(!String::from_utf8_lossy(&sealed).contains("张三"));
        assert_eq!(
            unseal(&key, &[1; 12], b"volume 1", &sealed).as_deref(),
            Some("张三 13800138000".as_bytes())
        );
        let other = kdf.key("另一个口令1234567").unwrap();
        assert_eq!(unseal(&other, &[1; 12], b"volume 1", &sealed), None);
        assert_eq!(unseal(&key, &[2; 12], b"volume 1", &sealed), None);
        assert_eq!(unseal(&key, &[1; 12], b"volume 2", &sealed), None);
        for i in 0..sealed.len() {
            let mut changed = sealed.clone();
            changed[i] ^= 1;
            assert_eq!(
                unseal(&key, &[1; 12], b"volume 1", &changed),
                None,
                "byte {i}"
            );
        }
        assert_eq!(unseal(&key, &[1; 11], b"volume 1", &sealed), None);
    }

    #[test]
    fn a_derivation_the_reader_does_not_make_is_refused() {
        let mut k = Kdf::new([7; 16], 1_000);
        k.iterations = MAX_ITERATIONS + 1;
        assert!(k.key("x").is_none());
        let mut k = Kdf::new([7; 16], 1_000);
        k.name = "scrypt".into();
        assert!(k.key("x").is_none());
        let mut k = Kdf::new([7; 16], 1_000);
        k.salt = "***".into();
        assert!(k.key("x").is_none());
    }
}
