//! Encryption to a recipient's key: what travels (transfers, a citizen's submission and
//! feedback, the office's reply) is readable only by the unit or citizen it is for.
//! HPKE (RFC 9180) in base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
//! ChaCha20-Poly1305, then signed in the usual envelope: a receiver verifies who sent a
//! file before it decrypts anything, and anyone can still see who sent it to whom.
//!
//! The encryption is bound to the envelope: the HPKE `info` names the payload type, the
//! signer's Ed25519 key and the recipient's X25519 key, so a third party who strips the
//! signature and signs the ciphertext as its own gets a file that no longer decrypts.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hpke::rand_core::{CryptoRng, RngCore};
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::envelope::{canonical, seal, Identity, Opened, PayloadType, PublicKey, SEALED_SINCE};
use super::error::BundleError;
use super::strict;

type Kem = hpke::kem::X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;
type Aead = hpke::aead::ChaCha20Poly1305;

/// The one suite written, named in every sealed payload.
pub const SUITE: &str = "hpke-base-x25519-sha256-chacha20poly1305";

/// Plaintext bytes per ciphertext piece: each piece's base64 stays far below the strict
/// parser's longest string, so a county's transfer still reads.
pub const PIECE_BYTES: usize = 1 << 20;

/// A unit's or a citizen's public encryption key (X25519), carried on its signed card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptionKey([u8; 32]);

impl EncryptionKey {
    /// The encryption key of an identity (derived from its seed, see [`Decryptor::of`]).
    pub fn of(identity: &Identity) -> EncryptionKey {
        Decryptor::of(identity).key
    }

    /// Standard base64 of the 32 key bytes.
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }

    /// Reads a base64 key; refuses anything but 32 bytes.
    pub fn from_base64(s: &str) -> Option<EncryptionKey> {
        let bytes: [u8; 32] = B64.decode(s).ok()?.try_into().ok()?;
        <Kem as hpke::Kem>::PublicKey::from_bytes(&bytes).ok()?;
        Some(EncryptionKey(bytes))
    }

    /// A short fingerprint, as for signing keys: SHA-256's first 20 hex digits.
    pub fn fingerprint(&self) -> String {
        let hex: String = Sha256::digest(self.0)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        hex.as_bytes()[..20]
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The private half of an encryption key: what decrypts files sent to us.
#[derive(Clone)]
pub struct Decryptor {
    secret: <Kem as hpke::Kem>::PrivateKey,
    key: EncryptionKey,
}

// Never printed: a debug line must not carry the key.
impl std::fmt::Debug for Decryptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Decryptor({})", self.key.fingerprint())
    }
}

/// Keeps the derived encryption key apart from the signing key made of the same seed.
const KEY_LABEL: &[u8] = b"xinfang encryption key v1";

impl Decryptor {
    /// The encryption key pair of an identity: HPKE's DeriveKeyPair over SHA-256 of a
    /// label and the identity's seed. One seed keeps both keys, so a backup or a sealed
    /// key at rest carries both, and a unit made before encryption gains its key as is.
    pub fn of(identity: &Identity) -> Decryptor {
        let mut h = Sha256::new();
        h.update(KEY_LABEL);
        h.update(identity.seed());
        Self::from_ikm(&h.finalize())
    }

    fn from_ikm(ikm: &[u8]) -> Decryptor {
        let (secret, public) = Kem::derive_keypair(ikm);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&public.to_bytes());
        Decryptor {
            secret,
            key: EncryptionKey(bytes),
        }
    }

    /// Its public key.
    pub fn key(&self) -> &EncryptionKey {
        &self.key
    }

    /// The 32 secret bytes, handed to the worker that reads an import file (same page,
    /// same origin: it never leaves the browser).
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(&self.secret.to_bytes());
        out
    }

    /// Reads [`Self::to_bytes`] back.
    pub fn from_bytes(bytes: &[u8]) -> Option<Decryptor> {
        let secret = <Kem as hpke::Kem>::PrivateKey::from_bytes(bytes).ok()?;
        let mut key = [0u8; 32];
        key.copy_from_slice(&Kem::sk_to_pk(&secret).to_bytes());
        Some(Decryptor {
            secret,
            key: EncryptionKey(key),
        })
    }
}

/// The encrypted part of a payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sealed {
    /// Always [`SUITE`].
    pub suite: String,
    /// The recipient's encryption key, base64: tells a reader whether the file is its own.
    pub recipient: String,
    /// HPKE's encapsulated key, base64.
    pub enc: String,
    /// The ciphertext, base64, one string per [`PIECE_BYTES`] of plaintext.
    pub ciphertext: Vec<String>,
}

/// The payload of an encrypted bundle: what anyone may read, and the rest sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedPayload {
    /// The visible header (who sends to whom, and when); also bound to the ciphertext.
    pub header: Value,
    /// The encrypted payload.
    pub sealed: Sealed,
}

/// HPKE `info`: binds the ciphertext to the kind of file, its signer and its recipient.
fn info(kind: PayloadType, signer: &PublicKey, recipient: &EncryptionKey) -> Vec<u8> {
    let mut out = b"xinfang-bundle 3\0".to_vec();
    out.extend_from_slice(kind.media_type().as_bytes());
    out.push(0);
    out.extend_from_slice(&signer.to_bytes());
    out.extend_from_slice(&recipient.0);
    out
}

/// The associated data of piece `i` of `n`: the canonical header, then both numbers, so a
/// piece cannot move, and the header cannot change, without the piece failing to open.
fn piece_ad(header: &[u8], i: usize, n: usize) -> Vec<u8> {
    let mut out = header.to_vec();
    out.extend_from_slice(&(i as u64).to_be_bytes());
    out.extend_from_slice(&(n as u64).to_be_bytes());
    out
}

/// The randomness HPKE draws for its ephemeral key: the 32 bytes the caller took from
/// `crypto.getRandomValues`, stretched with SHA-256 should more ever be asked for.
struct Injected {
    seed: [u8; 32],
    block: u64,
}

impl RngCore for Injected {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(32) {
            let block = if self.block == 0 {
                self.seed
            } else {
                let mut h = Sha256::new();
                h.update(self.seed);
                h.update(self.block.to_be_bytes());
                h.finalize().into()
            };
            self.block += 1;
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), hpke::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for Injected {}

/// Encrypts `inner` (a payload in its clear form) to `to`, for a bundle of `kind` that
/// `signer` will sign, with `header` left readable. `random`: 32 fresh bytes from
/// `crypto.getRandomValues` (fixed bytes in tests and vectors).
pub fn seal_payload(
    kind: PayloadType,
    header: Value,
    inner: &Value,
    to: &EncryptionKey,
    signer: &PublicKey,
    random: [u8; 32],
) -> Result<Value, BundleError> {
    let plain = canonical(inner)?;
    let header_bytes = canonical(&header)?;
    let recipient =
        <Kem as hpke::Kem>::PublicKey::from_bytes(&to.0).map_err(|_| BundleError::Undecryptable)?;
    let mut rng = Injected {
        seed: random,
        block: 0,
    };
    let (enc, mut ctx) = hpke::setup_sender::<Aead, Kdf, Kem, _>(
        &OpModeS::Base,
        &recipient,
        &info(kind, signer, to),
        &mut rng,
    )
    .map_err(|_| BundleError::Undecryptable)?;
    let pieces: Vec<&[u8]> = if plain.is_empty() {
        vec![&[]]
    } else {
        plain.chunks(PIECE_BYTES).collect()
    };
    let n = pieces.len();
    let mut ciphertext = Vec::with_capacity(n);
    for (i, p) in pieces.into_iter().enumerate() {
        let c = ctx
            .seal(p, &piece_ad(&header_bytes, i, n))
            .map_err(|_| BundleError::Undecryptable)?;
        ciphertext.push(B64.encode(c));
    }
    serde_json::to_value(SealedPayload {
        header,
        sealed: Sealed {
            suite: SUITE.into(),
            recipient: to.to_base64(),
            enc: B64.encode(enc.to_bytes()),
            ciphertext,
        },
    })
    .map_err(|e| BundleError::Malformed(e.to_string()))
}

/// The readable header of a sealed payload, without decrypting (for the page that shows
/// a file's sender before anything else).
pub fn header_of(payload: &Value) -> Result<SealedPayload, BundleError> {
    if payload.get("sealed").is_none() {
        return Err(BundleError::SealMismatch);
    }
    let p: SealedPayload = serde_json::from_value(payload.clone())
        .map_err(|_| BundleError::Malformed("sealed".into()))?;
    if p.sealed.suite != SUITE {
        return Err(BundleError::Malformed("sealed.suite".into()));
    }
    if !p.header.is_object() {
        return Err(BundleError::Malformed("header".into()));
    }
    Ok(p)
}

/// Decrypts a verified sealed payload of `kind` signed by `signer`, with our key `me`:
/// the header as written, and the clear payload, parsed strictly.
pub fn open_payload(
    kind: PayloadType,
    payload: &Value,
    signer: &PublicKey,
    me: &Decryptor,
) -> Result<(Value, Value), BundleError> {
    let p = header_of(payload)?;
    let recipient = EncryptionKey::from_base64(&p.sealed.recipient)
        .ok_or_else(|| BundleError::Malformed("sealed.recipient".into()))?;
    if recipient != me.key {
        // Named as the visible header names the addressee, with the key's fingerprint.
        let to = &p.header["to"];
        let named = match (to["name"].as_str(), to["code"].as_str()) {
            (Some(name), Some(code)) => format!("“{name}（{code}）”"),
            _ => String::new(),
        };
        return Err(BundleError::NotOurKey(format!(
            "{named}（密钥指纹 {}）",
            recipient.fingerprint()
        )));
    }
    let enc = B64
        .decode(&p.sealed.enc)
        .ok()
        .and_then(|b| <Kem as hpke::Kem>::EncappedKey::from_bytes(&b).ok())
        .ok_or_else(|| BundleError::Malformed("sealed.enc".into()))?;
    let mut ctx = hpke::setup_receiver::<Aead, Kdf, Kem>(
        &OpModeR::Base,
        &me.secret,
        &enc,
        &info(kind, signer, &recipient),
    )
    .map_err(|_| BundleError::Undecryptable)?;
    let header_bytes = canonical(&p.header)?;
    let n = p.sealed.ciphertext.len();
    let mut plain = Vec::new();
    for (i, piece) in p.sealed.ciphertext.iter().enumerate() {
        let c = B64
            .decode(piece)
            .map_err(|_| BundleError::Malformed("sealed.ciphertext".into()))?;
        let opened = ctx
            .open(&c, &piece_ad(&header_bytes, i, n))
            .map_err(|_| BundleError::Undecryptable)?;
        plain.extend_from_slice(&opened);
    }
    let inner = strict::parse(&plain)?;
    if !inner.is_object() {
        return Err(BundleError::Malformed("payload".into()));
    }
    Ok((p.header, inner))
}

/// The visible header of a clear payload of `kind`: its [`PayloadType::visible_fields`].
fn project(inner: &Value, fields: &[&str]) -> Value {
    let o = inner.as_object();
    Value::Object(
        fields
            .iter()
            .filter_map(|k| Some(((*k).to_owned(), o?.get(*k)?.clone())))
            .collect(),
    )
}

/// The sealed payload of a clear payload `inner` of `kind`, encrypted to `to` for a
/// bundle `signer` will sign: its header is the payload's
/// [`PayloadType::visible_fields`]. `random`: 32 fresh bytes from `crypto.getRandomValues`.
pub fn sealed_payload<T: Serialize>(
    kind: PayloadType,
    inner: &T,
    to: &EncryptionKey,
    signer: &PublicKey,
    random: [u8; 32],
) -> Result<Value, BundleError> {
    let inner = serde_json::to_value(inner).map_err(|e| BundleError::Malformed(e.to_string()))?;
    let fields = kind.visible_fields().ok_or(BundleError::SealMismatch)?;
    seal_payload(kind, project(&inner, fields), &inner, to, signer, random)
}

/// Encrypts a clear payload of `kind` to `to` and signs it: the file's text (see
/// [`sealed_payload`]).
pub fn seal_to<T: Serialize>(
    kind: PayloadType,
    inner: &T,
    to: &EncryptionKey,
    signer: &Identity,
    random: [u8; 32],
) -> Result<String, BundleError> {
    let outer = sealed_payload(kind, inner, to, &signer.public_key(), random)?;
    seal(kind, outer, signer)
}

/// The clear payload of a verified bundle: for the kinds that travel encrypted, from
/// version [`SEALED_SINCE`] on, decrypted with our key `me`, and its visible header
/// checked to say exactly what the clear payload says (what the page showed before
/// decrypting is the truth); any other bundle's payload as it is.
pub fn clear_payload(opened: &Opened, me: &Decryptor) -> Result<Value, BundleError> {
    match opened.kind.visible_fields() {
        Some(fields) if opened.version >= SEALED_SINCE => {
            let (header, inner) = open_payload(opened.kind, &opened.payload, &opened.signer, me)?;
            if header != project(&inner, fields) {
                return Err(BundleError::SealMismatch);
            }
            Ok(inner)
        }
        _ => Ok(opened.payload.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id(n: u8) -> Identity {
        Identity::from_seed([n; 32])
    }

    fn sealed(inner: &Value, to: u8, signer: u8) -> Value {
        seal_payload(
            PayloadType::Transfer,
            json!({ "to": "B" }),
            inner,
            &EncryptionKey::of(&id(to)),
            &id(signer).public_key(),
            [9; 32],
        )
        .unwrap()
    }

    #[test]
    fn only_the_recipient_reads_it() {
        let inner = json!({ "to": "B", "secret": "110101199003077777 张三" });
        let p = sealed(&inner, 2, 1);
        let text = p.to_string();
        assert!(!text.contains("110101199003077777") && !text.contains("张三"));
        let (header, back) = open_payload(
            PayloadType::Transfer,
            &p,
            &id(1).public_key(),
            &Decryptor::of(&id(2)),
        )
        .unwrap();
        assert_eq!(back, inner);
        assert_eq!(header, json!({ "to": "B" }));
        // Anyone else: refused, and told why.
        assert!(matches!(
            open_payload(
                PayloadType::Transfer,
                &p,
                &id(1).public_key(),
                &Decryptor::of(&id(3))
            ),
            Err(BundleError::NotOurKey(_))
        ));
    }

    #[test]
    fn a_ciphertext_signed_again_by_someone_else_does_not_open() {
        let p = sealed(&json!({ "to": "B" }), 2, 1);
        let me = Decryptor::of(&id(2));
        for (kind, signer) in [
            (PayloadType::Transfer, id(3).public_key()),
            (PayloadType::Submission, id(1).public_key()),
        ] {
            assert_eq!(
                open_payload(kind, &p, &signer, &me),
                Err(BundleError::Undecryptable)
            );
        }
    }

    #[test]
    fn changed_moved_or_missing_pieces_are_refused() {
        let big = json!({ "to": "B", "text": "字".repeat(PIECE_BYTES / 2) });
        let p = sealed(&big, 2, 1);
        let me = Decryptor::of(&id(2));
        let signer = id(1).public_key();
        let pieces = p["sealed"]["ciphertext"].as_array().unwrap().clone();
        assert!(pieces.len() >= 2);
        let with = |f: &dyn Fn(&mut Vec<Value>)| {
            let mut q = p.clone();
            let mut c = pieces.clone();
            f(&mut c);
            q["sealed"]["ciphertext"] = Value::Array(c);
            open_payload(PayloadType::Transfer, &q, &signer, &me)
        };
        assert!(with(&|_| {}).is_ok());
        assert_eq!(with(&|c| c.swap(0, 1)), Err(BundleError::Undecryptable));
        assert_eq!(with(&|c| drop(c.pop())), Err(BundleError::Undecryptable));
        assert_eq!(
            with(&|c| {
                let mut s = c[0].as_str().unwrap().to_owned().into_bytes();
                s[10] = if s[10] == b'A' { b'B' } else { b'A' };
                c[0] = Value::String(String::from_utf8(s).unwrap());
            }),
            Err(BundleError::Undecryptable)
        );
        // The header is bound too.
        let mut q = p.clone();
        q["header"]["to"] = json!("C");
        assert_eq!(
            open_payload(PayloadType::Transfer, &q, &signer, &me),
            Err(BundleError::Undecryptable)
        );
    }

    #[test]
    fn a_whole_bundle_round_trips_and_its_header_cannot_lie() {
        let inner = json!({ "from": "A", "to": "B", "purpose": "assign", "createdAt": 1, "cases": ["张三"] });
        let file = seal_to(
            PayloadType::Transfer,
            &inner,
            &EncryptionKey::of(&id(2)),
            &id(1),
            [7; 32],
        )
        .unwrap();
        assert!(!file.contains("张三"));
        let opened = crate::exchange::envelope::open(file.as_bytes()).unwrap();
        assert_eq!(opened.payload["header"]["to"], json!("B"));
        assert_eq!(clear_payload(&opened, &Decryptor::of(&id(2))), Ok(inner));
        // A sender whose header names someone else than its content: refused.
        let lying = seal_payload(
            PayloadType::Transfer,
            json!({ "from": "A", "to": "C", "purpose": "assign", "createdAt": 1 }),
            &json!({ "from": "A", "to": "B", "purpose": "assign", "createdAt": 1 }),
            &EncryptionKey::of(&id(2)),
            &id(1).public_key(),
            [7; 32],
        )
        .unwrap();
        let file = seal(PayloadType::Transfer, lying, &id(1)).unwrap();
        let opened = crate::exchange::envelope::open(file.as_bytes()).unwrap();
        assert_eq!(
            clear_payload(&opened, &Decryptor::of(&id(2))),
            Err(BundleError::SealMismatch)
        );
        // A version-3 transfer in clear: refused.
        let clear = seal(PayloadType::Transfer, json!({ "to": "B" }), &id(1)).unwrap();
        let opened = crate::exchange::envelope::open(clear.as_bytes()).unwrap();
        assert_eq!(
            clear_payload(&opened, &Decryptor::of(&id(2))),
            Err(BundleError::SealMismatch)
        );
    }

    #[test]
    fn keys_are_stable_and_round_trip() {
        let d = Decryptor::of(&id(4));
        assert_eq!(d.key(), &EncryptionKey::of(&id(4)));
        assert_ne!(d.key(), &EncryptionKey::of(&id(5)));
        let back = Decryptor::from_bytes(&d.to_bytes()).unwrap();
        assert_eq!(back.key(), d.key());
        assert_eq!(
            EncryptionKey::from_base64(&d.key().to_base64()).as_ref(),
            Some(d.key())
        );
        assert_eq!(EncryptionKey::from_base64("AAAA"), None);
        // The encryption key is not the signing key.
        assert_ne!(d.key().to_base64(), id(4).public_key().to_base64());
    }
}
