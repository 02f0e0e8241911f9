//! The signed envelope every file shares: one JSON object whose `payload` is plain JSON,
//! signed over the DSSE v1 pre-authentication encoding of the payload type and the RFC
//! 8785 canonical form of the payload, with one Ed25519 signature verified strictly.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::error::{BundleError, MAX_BUNDLE_BYTES};
use super::strict;

/// The `format` of every bundle.
pub const FORMAT: &str = "xinfang-bundle";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u64 = 3;
/// From this version on, the kinds that carry personal data travel encrypted to their
/// recipient ([`PayloadType::visible_fields`], `super::recipient`); older files are clear.
pub const SEALED_SINCE: u64 = 3;
/// The oldest format version still read: files of version 1 (before the steps of each
/// unit's part and the 上级单位 on unit cards) import unchanged.
pub const OLDEST_FORMAT_VERSION: u64 = 1;

/// The kinds of bundle; each is its own DSSE payload type, so one cannot pass for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadType {
    /// A unit's directory card: name, code, level, public key.
    UnitCard,
    /// Cases handed to another unit (转送, 交办, report back, copy).
    Transfer,
    /// A whole-database backup in one bundle (older backups; read, no longer written).
    Backup,
    /// One volume of a whole-database backup, in clear (backups made before volumes
    /// were encrypted; read, no longer written).
    BackupVolume,
    /// One encrypted volume of a whole-database backup: a backup file is one volume per line.
    SealedBackupVolume,
    /// A citizen's online petition.
    Submission,
    /// The office's reply to a citizen.
    Reply,
    /// A citizen's rating or 复查 request.
    Feedback,
}

impl PayloadType {
    /// Every kind.
    pub const ALL: [PayloadType; 8] = [
        PayloadType::UnitCard,
        PayloadType::Transfer,
        PayloadType::Backup,
        PayloadType::BackupVolume,
        PayloadType::SealedBackupVolume,
        PayloadType::Submission,
        PayloadType::Reply,
        PayloadType::Feedback,
    ];

    /// The media type written in `payloadType`.
    pub fn media_type(self) -> &'static str {
        match self {
            PayloadType::UnitCard => "application/vnd.xinfang.unit-card+json",
            PayloadType::Transfer => "application/vnd.xinfang.transfer+json",
            PayloadType::Backup => "application/vnd.xinfang.backup+json",
            PayloadType::BackupVolume => "application/vnd.xinfang.backup-volume+json",
            PayloadType::SealedBackupVolume => "application/vnd.xinfang.backup-volume-sealed+json",
            PayloadType::Submission => "application/vnd.xinfang.submission+json",
            PayloadType::Reply => "application/vnd.xinfang.reply+json",
            PayloadType::Feedback => "application/vnd.xinfang.feedback+json",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            PayloadType::UnitCard => "单位名片",
            PayloadType::Transfer => "案件交换文件",
            PayloadType::Backup | PayloadType::BackupVolume | PayloadType::SealedBackupVolume => {
                "数据备份"
            }
            PayloadType::Submission => "网上信访件",
            PayloadType::Reply => "受理单位答复",
            PayloadType::Feedback => "信访人评价或复查申请",
        }
    }

    /// For the kinds that travel encrypted, the payload fields left readable in the
    /// sealed payload's header (who sends to whom, and when); `None` for the others.
    pub fn visible_fields(self) -> Option<&'static [&'static str]> {
        match self {
            PayloadType::Transfer => Some(&["from", "to", "purpose", "createdAt"]),
            PayloadType::Submission | PayloadType::Feedback => Some(&["to", "createdAt"]),
            PayloadType::Reply => Some(&["from", "createdAt"]),
            PayloadType::UnitCard
            | PayloadType::Backup
            | PayloadType::BackupVolume
            | PayloadType::SealedBackupVolume => None,
        }
    }

    fn parse(s: &str) -> Option<PayloadType> {
        Self::ALL.into_iter().find(|t| t.media_type() == s)
    }
}

/// The SHA-256 of a file's bytes, hex: names the file in the provenance of what it brought.
pub fn file_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// DSSE v1 pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// RFC 8785 canonical bytes of a strict value.
pub fn canonical(v: &Value) -> Result<Vec<u8>, BundleError> {
    strict::check(v)?;
    serde_json_canonicalizer::to_vec(v).map_err(|e| BundleError::NotJson(e.to_string()))
}

/// A unit's public signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// The key id: lowercase hex SHA-256 of the 32 key bytes.
    pub fn keyid(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A short fingerprint to read over the phone: the key id's first 20 hex digits,
    /// upper case, in groups of four.
    pub fn fingerprint(&self) -> String {
        let id = self.keyid().to_uppercase();
        id.as_bytes()[..20]
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Standard base64 of the 32 key bytes.
    pub fn to_base64(&self) -> String {
        B64.encode(self.0.as_bytes())
    }

    /// The 32 key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Reads a base64 key; refuses anything but a valid 32-byte Ed25519 point.
    pub fn from_base64(s: &str) -> Option<PublicKey> {
        let bytes: [u8; 32] = B64.decode(s).ok()?.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(PublicKey)
    }

    /// Whether `sig` (base64 of 64 bytes) is this key's strict Ed25519 signature over the
    /// DSSE encoding of `body` as `payload_type`.
    pub(crate) fn verifies(&self, payload_type: &str, body: &[u8], sig: &str) -> bool {
        let Some(bytes) = B64
            .decode(sig)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
        else {
            return false;
        };
        self.0
            .verify_strict(&pae(payload_type, body), &Signature::from_bytes(&bytes))
            .is_ok()
    }
}

/// A unit's (or a citizen's) signing identity, made from 32 random bytes.
#[derive(Clone)]
pub struct Identity(SigningKey);

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity({})", self.public_key().fingerprint())
    }
}

// Two identities are the same when their public keys are: the seed is never compared.
impl PartialEq for Identity {
    fn eq(&self, other: &Identity) -> bool {
        self.public_key() == other.public_key()
    }
}

impl Eq for Identity {}

impl Identity {
    /// The identity of a 32-byte seed (from `crypto.getRandomValues`, or a test seed).
    pub fn from_seed(seed: [u8; 32]) -> Identity {
        Identity(SigningKey::from_bytes(&seed))
    }

    /// The seed, base64, for storing the identity.
    pub fn seed_base64(&self) -> String {
        B64.encode(self.0.to_bytes())
    }

    /// Reads a stored seed.
    pub fn from_seed_base64(s: &str) -> Option<Identity> {
        let bytes: [u8; 32] = B64.decode(s).ok()?.try_into().ok()?;
        Some(Identity::from_seed(bytes))
    }

    /// The 32-byte seed, from which the unit's encryption key is also derived.
    pub(crate) fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The Ed25519 signature (base64) over the DSSE encoding of `body` as `payload_type`;
    /// deterministic, so the same event signed twice gives the same signature.
    pub(crate) fn sign_base64(&self, payload_type: &str, body: &[u8]) -> String {
        let sig: Signature = self.0.sign(&pae(payload_type, body));
        B64.encode(sig.to_bytes())
    }
}

/// Signs a payload and returns the bundle file's text (pretty-printed JSON).
pub fn seal(kind: PayloadType, payload: Value, signer: &Identity) -> Result<String, BundleError> {
    serde_json::to_string_pretty(&envelope(kind, payload, signer)?)
        .map_err(|e| BundleError::NotJson(e.to_string()))
}

/// Signs a payload and returns the bundle on one line (compact JSON), for files that hold
/// one bundle per line (backup volumes).
pub fn seal_line(
    kind: PayloadType,
    payload: Value,
    signer: &Identity,
) -> Result<String, BundleError> {
    let body = canonical(&payload)?;
    let head = serde_json::to_string(&signed_head(kind, &body, signer))
        .map_err(|e| BundleError::NotJson(e.to_string()))?;
    // The payload goes in as the canonical bytes just signed, which are JSON already,
    // rather than written out a second time (a backup volume is megabytes of base64), in
    // its place among the keys in order: the line is the one a whole envelope gave.
    let body = std::str::from_utf8(&body).map_err(|e| BundleError::NotJson(e.to_string()))?;
    let at = head
        .find("\"payloadType\":")
        .ok_or_else(|| BundleError::NotJson("payloadType".into()))?;
    Ok([&head[..at], "\"payload\":", body, ",", &head[at..]].concat())
}

/// The signed envelope of a payload.
fn envelope(kind: PayloadType, payload: Value, signer: &Identity) -> Result<Value, BundleError> {
    let body = canonical(&payload)?;
    let mut envelope = signed_head(kind, &body, signer);
    if let Some(o) = envelope.as_object_mut() {
        o.insert("payload".into(), payload);
    }
    Ok(envelope)
}

/// An envelope without its payload: the format, the kind, and the signature over `body`
/// (the payload's canonical bytes).
fn signed_head(kind: PayloadType, body: &[u8], signer: &Identity) -> Value {
    let sig = signer.sign_base64(kind.media_type(), body);
    let key = signer.public_key();
    serde_json::json!({
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "payloadType": kind.media_type(),
        "signatures": [{ "keyid": key.keyid(), "publicKey": key.to_base64(), "sig": sig }],
    })
}

/// A bundle whose signature verified: its kind, its payload exactly as signed, and the
/// key that signed it (trusted or not: see [`super::card::UnitCard`] and the directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The kind.
    pub kind: PayloadType,
    /// The payload, as parsed from the file (typed data is read from this value).
    pub payload: Value,
    /// The signing key.
    pub signer: PublicKey,
    /// The file's `formatVersion`.
    pub version: u64,
}

fn field<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a Value, BundleError> {
    o.get(k).ok_or_else(|| BundleError::Malformed(k.to_owned()))
}

fn text<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a str, BundleError> {
    field(o, k)?
        .as_str()
        .ok_or_else(|| BundleError::Malformed(k.to_owned()))
}

/// How many first bytes [`looks_like_bundle`] reads.
pub const HEAD_BYTES: usize = 4096;

/// A first look at a file's opening bytes, before the whole file is read into memory: a
/// bundle is a JSON object, so after an optional BOM and white space comes `{`. Anything
/// else (a photo, a spreadsheet, 200 MB of zeros) is refused at once.
pub fn looks_like_bundle(head: &[u8]) -> Result<(), BundleError> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        Some(b'{') => Ok(()),
        _ => Err(BundleError::UnknownFormat),
    }
}

/// Reads and verifies a bundle file. Checks, in order: size, strict JSON, format and
/// version, known payload type, no fields outside the format, exactly one signature
/// whose key id matches its key and which verifies strictly over the PAE.
pub fn open(bytes: &[u8]) -> Result<Opened, BundleError> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge(bytes.len() / (1024 * 1024)));
    }
    let value = strict::parse(bytes)?;
    let o = value.as_object().ok_or(BundleError::UnknownFormat)?;
    if o.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(BundleError::UnknownFormat);
    }
    let version = match field(o, "formatVersion")?.as_u64() {
        Some(v) if (OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&v) => v,
        Some(v) if v > FORMAT_VERSION => return Err(BundleError::NewerVersion(v)),
        _ => return Err(BundleError::Malformed("formatVersion".into())),
    };
    for k in o.keys() {
        if ![
            "format",
            "formatVersion",
            "payloadType",
            "payload",
            "signatures",
        ]
        .contains(&k.as_str())
        {
            return Err(BundleError::UnknownField(k.clone()));
        }
    }
    let type_text = text(o, "payloadType")?;
    let kind = PayloadType::parse(type_text)
        .ok_or_else(|| BundleError::WrongType(format!("未知的文件类型 {type_text}")))?;
    let payload = field(o, "payload")?;
    if !payload.is_object() {
        return Err(BundleError::Malformed("payload".into()));
    }
    let sigs = field(o, "signatures")?
        .as_array()
        .ok_or(BundleError::Unsigned)?;
    let [sig] = sigs.as_slice() else {
        return Err(BundleError::Unsigned);
    };
    let sig = sig.as_object().ok_or(BundleError::Unsigned)?;
    if let Some(k) = sig
        .keys()
        .find(|k| !["keyid", "publicKey", "sig"].contains(&k.as_str()))
    {
        return Err(BundleError::UnknownField(format!("signatures.{k}")));
    }
    let signer = PublicKey::from_base64(text(sig, "publicKey")?)
        .ok_or_else(|| BundleError::Malformed("publicKey".into()))?;
    if text(sig, "keyid")? != signer.keyid() {
        return Err(BundleError::KeyIdMismatch);
    }
    if !signer.verifies(type_text, &canonical(payload)?, text(sig, "sig")?) {
        return Err(BundleError::BadSignature);
    }
    Ok(Opened {
        kind,
        payload: payload.clone(),
        signer,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> Identity {
        Identity::from_seed([n; 32])
    }

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // The example of the DSSE v1 protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
        // Lengths count bytes, not characters.
        assert!(String::from_utf8(pae("t", "中".as_bytes()))
            .unwrap()
            .starts_with("DSSEv1 1 t 3 "));
    }

    #[test]
    fn rfc8785_examples() {
        // RFC 8785 §3.2.2 and §3.2.3: key order by UTF-16 code units, number and string forms.
        let v: Value = serde_json::from_str(r#"{"numbers":[333333333,4.5e1,0.002,1e30,-0],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#).unwrap();
        assert_eq!(
            String::from_utf8(serde_json_canonicalizer::to_vec(&v).unwrap()).unwrap(),
            r#"{"literals":[null,true,false],"numbers":[333333333,45,0.002,1e+30,0],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        let sorted: Value = serde_json::from_str(r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#).unwrap();
        let out = String::from_utf8(serde_json_canonicalizer::to_vec(&sorted).unwrap()).unwrap();
        let order: Vec<&str> = [
            "Carriage Return",
            "One",
            "Control",
            "Latin Small",
            "Euro Sign",
            "Emoji",
            "Hebrew",
        ]
        .to_vec();
        let positions: Vec<usize> = order.iter().map(|k| out.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{out}");
    }

    #[test]
    fn seal_then_open() {
        let payload = serde_json::json!({ "unit": { "name": "某某县信访局", "code": "XF01" } });
        let file = seal(PayloadType::UnitCard, payload.clone(), &id(1)).unwrap();
        let opened = open(file.as_bytes()).unwrap();
        assert_eq!(opened.kind, PayloadType::UnitCard);
        assert_eq!(opened.payload, payload);
        assert_eq!(opened.signer, id(1).public_key());
        // Pretty or compact, with a BOM: the same bundle.
        let compact =
            serde_json::to_string(&serde_json::from_str::<Value>(&file).unwrap()).unwrap();
        assert!(open(format!("\u{feff}{compact}").as_bytes()).is_ok());
    }

    #[test]
    fn refusals() {
        let payload = serde_json::json!({ "n": "中文内容" });
        let file = seal(PayloadType::Transfer, payload, &id(1)).unwrap();
        assert_eq!(
            open(file.replace("中文内容", "中文內容").as_bytes()),
            Err(BundleError::BadSignature)
        );
        assert!(matches!(
            open(file.replace("transfer+json", "backup+json").as_bytes()),
            Err(BundleError::BadSignature)
        ));
        assert_eq!(
            open(
                file.replace("\"formatVersion\": 3", "\"formatVersion\": 4")
                    .as_bytes()
            ),
            Err(BundleError::NewerVersion(4))
        );
        assert_eq!(
            open(file.replace("xinfang-bundle", "other").as_bytes()),
            Err(BundleError::UnknownFormat)
        );
        assert!(matches!(
            open(&file.as_bytes()[..file.len() / 2]),
            Err(BundleError::NotJson(_))
        ));
        assert_eq!(
            open(file.replacen('{', "{\"extra\": true,", 1).as_bytes()),
            Err(BundleError::UnknownField("extra".into()))
        );
        let other_key = id(2).public_key();
        let swapped = file.replace(&id(1).public_key().to_base64(), &other_key.to_base64());
        assert_eq!(open(swapped.as_bytes()), Err(BundleError::KeyIdMismatch));
        let swapped_both = swapped.replace(&id(1).public_key().keyid(), &other_key.keyid());
        assert_eq!(
            open(swapped_both.as_bytes()),
            Err(BundleError::BadSignature)
        );
    }

    #[test]
    fn fingerprints_are_short_and_stable() {
        let k = id(7).public_key();
        assert_eq!(k.fingerprint().len(), 24);
        assert_eq!(k.fingerprint(), id(7).public_key().fingerprint());
        assert_ne!(k.fingerprint(), id(8).public_key().fingerprint());
        assert_eq!(PublicKey::from_base64(&k.to_base64()), Some(k));
        assert_eq!(PublicKey::from_base64("AAAA"), None);
        let i = id(9);
        assert_eq!(
            Identity::from_seed_base64(&i.seed_base64())
                .unwrap()
                .public_key(),
            i.public_key()
        );
    }

    #[test]
    fn a_file_that_cannot_be_a_bundle_is_refused_by_its_first_bytes() {
        assert_eq!(looks_like_bundle(b"\xEF\xBB\xBF \n {\"format\""), Ok(()));
        for head in [&[0u8; 4096][..], b"\x89PNG\r\n", b"PK\x03\x04", b"", b"   "] {
            assert_eq!(looks_like_bundle(head), Err(BundleError::UnknownFormat));
        }
    }
}
