//! Every event signed by its author. A unit signs the events it wrote as they leave it
//! (Ed25519 is deterministic, so an event signed twice carries the same signature); a
//! relay carries other units' events with their signatures unchanged; a receiver checks
//! every signature before anything is stored, so a township relaying a county's events
//! cannot alter them and pass the result off as the county's. A signature that fails
//! refuses the file whole; an author whose key is not trusted here is shown as
//! unverified, never silently trusted.

use std::collections::{BTreeMap, HashMap};

use super::card::TrustedUnit;
use super::envelope::{canonical, Identity, PublicKey};
use super::error::BundleError;
use super::wire::{EventSignature, WireCase, WireEvent};
use serde::Serialize;

use crate::domain::authorship::Arriving;
use crate::domain::event::{Event, EventBody};
use crate::domain::ids::{CaseId, EventId};

/// The DSSE payload type a case event's signature is made over, so an event's signature
/// can never pass for a file's.
pub const EVENT_PAYLOAD_TYPE: &str = "application/vnd.xinfang.event+json";

/// The DSSE payload type a register entry's event's signature is made over, so it can
/// pass neither for a file's nor for a case event's.
pub const ENTRY_EVENT_PAYLOAD_TYPE: &str = "application/vnd.xinfang.entry-event+json";

/// The first format version whose files carry the sender's signature on every event the
/// sender wrote; in older files every event counts as an unverified relay.
pub const SIGNED_EVENTS_SINCE: u64 = 3;

/// An event on the wire its author signs: a case's or a register entry's.
pub trait WireSigned: Serialize {
    /// The DSSE payload type its signature is made over.
    const PAYLOAD_TYPE: &'static str;
    /// Its id as written.
    fn id(&self) -> &str;
    /// The author unit's code and name, as the event names them.
    fn author(&self) -> (&str, &str);
    /// Its author's signature.
    fn signature(&self) -> Option<&EventSignature>;
    /// Where its signature goes.
    fn signature_mut(&mut self) -> &mut Option<EventSignature>;
}

/// What carries signed events in a file: a case, a register entry.
pub trait SignedGroup {
    /// Its events.
    type Event: WireSigned;
    /// How a refusal names it (e.g. “案件 XF01-2026-00001”).
    fn label(&self) -> String;
    /// Its events.
    fn events(&self) -> &[Self::Event];
    /// Its events, to sign.
    fn events_mut(&mut self) -> &mut [Self::Event];
}

impl WireSigned for WireEvent {
    const PAYLOAD_TYPE: &'static str = EVENT_PAYLOAD_TYPE;
    fn id(&self) -> &str {
        &self.id
    }
    fn author(&self) -> (&str, &str) {
        (&self.unit_code, &self.unit_name)
    }
    fn signature(&self) -> Option<&EventSignature> {
        self.signature.as_ref()
    }
    fn signature_mut(&mut self) -> &mut Option<EventSignature> {
        &mut self.signature
    }
}

impl SignedGroup for WireCase {
    type Event = WireEvent;
    fn label(&self) -> String {
        format!("案件 {}", self.case_no)
    }
    fn events(&self) -> &[WireEvent] {
        &self.events
    }
    fn events_mut(&mut self) -> &mut [WireEvent] {
        &mut self.events
    }
}

/// The bytes an event's signature covers: the RFC 8785 form of the wire event without
/// its `signature`.
fn signed_bytes<E: WireSigned>(e: &E) -> Result<Vec<u8>, BundleError> {
    let mut v = serde_json::to_value(e).map_err(|err| BundleError::Malformed(err.to_string()))?;
    if let Some(o) = v.as_object_mut() {
        o.remove("signature");
    }
    canonical(&v)
}

/// Signs one wire event as its author.
pub fn sign_event<E: WireSigned>(e: &E, author: &Identity) -> Result<EventSignature, BundleError> {
    Ok(EventSignature {
        public_key: author.public_key().to_base64(),
        sig: author.sign_base64(E::PAYLOAD_TYPE, &signed_bytes(e)?),
    })
}

/// The key that signed `e`, if its signature verifies.
fn signer_of<E: WireSigned>(e: &E, s: &EventSignature) -> Option<PublicKey> {
    let key = PublicKey::from_base64(&s.public_key)?;
    let bytes = signed_bytes(e).ok()?;
    key.verifies(E::PAYLOAD_TYPE, &bytes, &s.sig).then_some(key)
}

/// Signs, among `groups`, every event written by the unit `author_code` with its key
/// (any signature such an event carried is replaced by its author's own).
pub fn sign_own<G: SignedGroup>(
    groups: &mut [G],
    author_code: &str,
    author: &Identity,
) -> Result<(), BundleError> {
    for e in groups.iter_mut().flat_map(|c| c.events_mut()) {
        if e.author().0 == author_code {
            *e.signature_mut() = None;
            let s = sign_event(e, author)?;
            *e.signature_mut() = Some(s);
        }
    }
    Ok(())
}

/// Puts on each event of `groups` the signature it is held with here (`held`: those of
/// events that arrived in files), so a relay carries them unchanged.
pub fn carry<G: SignedGroup>(groups: &mut [G], held: &BTreeMap<EventId, EventSignature>) {
    for e in groups.iter_mut().flat_map(|c| c.events_mut()) {
        if let Some(s) = EventId::parse(e.id()).and_then(|id| held.get(&id)) {
            *e.signature_mut() = Some(s.clone());
        }
    }
}

/// Which of a file's event signatures one verifier checks: the events (counted across
/// the whole file) whose position is `index` modulo `of`. Verifiers given every share of
/// the same `of` together refuse exactly the files one verifier of [`Share::ALL`] does,
/// so two workers can split a county's signatures between two cores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    // Private: a share outside its split would verify nothing.
    index: usize,
    of: usize,
}

impl Share {
    /// One verifier checks everything.
    pub const ALL: Share = Share { index: 0, of: 1 };

    /// Share `index` of a file split `of` ways; `None` unless `index < of`.
    pub fn new(index: usize, of: usize) -> Option<Share> {
        (index < of).then_some(Share { index, of })
    }

    /// This verifier's place among the shares, from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// How many verifiers split the file.
    pub fn of(&self) -> usize {
        self.of
    }

    /// Every share of a file split `of` ways (at least one).
    pub fn split(of: usize) -> impl Iterator<Item = Share> {
        let of = of.max(1);
        (0..of).map(move |index| Share { index, of })
    }

    /// Whether the event at `position` is this verifier's to check.
    fn takes(&self, position: usize) -> bool {
        position % self.of == self.index
    }
}

/// Checks a transfer's events as it arrives: every signature an event carries must
/// verify, and from [`SIGNED_EVENTS_SINCE`] every event the sender wrote must be signed
/// with the key that signed the file. The first failure refuses the file. Only the
/// signatures of `share` are verified; of the others only the key they name is read
/// (another verifier checks that they verify).
pub fn check_signatures<G: SignedGroup>(
    groups: &[G],
    sender_code: &str,
    file_signer: &PublicKey,
    version: u64,
    share: Share,
) -> Result<(), BundleError> {
    // Keys have one accepted base64 spelling (see `by_key`), so comparing the text a
    // skipped event names is comparing keys, without decoding a point per event.
    let signer_text = file_signer.to_base64();
    let events = groups
        .iter()
        .flat_map(|c| c.events().iter().map(move |e| (c, e)));
    for (position, (c, e)) in events.enumerate() {
        let (code, name) = e.author();
        let by_file_signer = match e.signature() {
            Some(s) if share.takes(position) => {
                let by = signer_of(e, s).ok_or_else(|| BundleError::EventSignature {
                    case_no: c.label(),
                    author: name.to_owned(),
                })?;
                &by == file_signer
            }
            Some(s) => s.public_key == signer_text,
            None => false,
        };
        if code == sender_code && version >= SIGNED_EVENTS_SINCE && !by_file_signer {
            return Err(BundleError::SenderUnsigned {
                case_no: c.label(),
                sender: name.to_owned(),
            });
        }
    }
    Ok(())
}

/// The signatures a transfer's events carry, by event id, to be stored beside them.
pub fn signatures_of<G: SignedGroup>(groups: &[G]) -> BTreeMap<EventId, EventSignature> {
    groups
        .iter()
        .flat_map(|c| c.events())
        .filter_map(|e| Some((EventId::parse(e.id())?, e.signature()?.clone())))
        .collect()
}

/// Trusted, unrevoked units by their signing key as written. Comparing the base64 text
/// is comparing the keys: the decoder refuses non-canonical base64, so a 32-byte key has
/// one accepted spelling, and every event's key was decoded when it arrived.
fn by_key(directory: &[TrustedUnit]) -> HashMap<&str, &TrustedUnit> {
    directory
        .iter()
        .filter(|u| u.revoked_at.is_none())
        .map(|u| (u.card.public_key.as_str(), u))
        .collect()
}

/// Refuses case events signed by a key trusted here for another unit than the one the
/// event names: a unit writing in another's name. Checked where the import is stored,
/// against the directory its transaction reads.
pub fn check_trusted_authors(
    events: &[Event],
    signatures: &BTreeMap<EventId, EventSignature>,
    directory: &[TrustedUnit],
) -> Result<(), BundleError> {
    check_trusted(events, signatures, directory, |e| {
        format!("案件 {}", case_no_of(events, &e.case_id))
    })
}

/// [`check_trusted_authors`] for any events; `named` names what a refused one belongs to.
pub fn check_trusted<E: Arriving>(
    events: &[E],
    signatures: &BTreeMap<EventId, EventSignature>,
    directory: &[TrustedUnit],
    named: impl Fn(&E) -> String,
) -> Result<(), BundleError> {
    let trusted = by_key(directory);
    for e in events {
        let Some(unit) = signatures
            .get(e.id())
            .and_then(|s| trusted.get(s.public_key.as_str()))
        else {
            continue;
        };
        if unit.card.code != e.actor().unit_code {
            return Err(BundleError::AuthorMismatch {
                case_no: named(e),
                author: e.actor().unit_name.clone(),
                signer: format!("{}（{}）", unit.card.name, unit.card.code),
            });
        }
    }
    Ok(())
}

/// A case's number as its registration among `events` gives it, else its id.
fn case_no_of(events: &[Event], case: &CaseId) -> String {
    events
        .iter()
        .find_map(|e| match &e.body {
            EventBody::Registered { case_no, .. } if &e.case_id == case => Some(case_no.clone()),
            _ => None,
        })
        .unwrap_or_else(|| case.to_string())
}

/// What this unit can tell of who wrote an event that arrived in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorship {
    /// Signed with the key this unit trusts for the unit the event names.
    Verified {
        /// The key's fingerprint.
        fingerprint: String,
    },
    /// Signed, but with a key not trusted here for that unit (not yet trusted, changed,
    /// or withdrawn): unverified until its card is checked and trusted.
    Unknown {
        /// The key's fingerprint.
        fingerprint: String,
    },
    /// Unsigned: written before events were signed, relayed in a file of an older version.
    Unsigned,
}

impl Authorship {
    /// Judges an event's signature (already verified when it arrived) against the
    /// trust directory as it is now.
    pub fn of<E: Arriving>(
        event: &E,
        signature: Option<&EventSignature>,
        directory: &[TrustedUnit],
    ) -> Authorship {
        let Some((signature, key)) =
            signature.and_then(|s| Some((s, PublicKey::from_base64(&s.public_key)?)))
        else {
            return Authorship::Unsigned;
        };
        let fingerprint = key.fingerprint();
        if signed_by_trusted_author(event, signature, directory) {
            Authorship::Verified { fingerprint }
        } else {
            Authorship::Unknown { fingerprint }
        }
    }

    /// Whether the author is proven.
    pub fn is_verified(&self) -> bool {
        matches!(self, Authorship::Verified { .. })
    }

    /// The line a case's history shows.
    pub fn label(&self) -> String {
        match self {
            Authorship::Verified { fingerprint } => {
                format!("作者签名已核验（密钥指纹 {fingerprint}）")
            }
            Authorship::Unknown { fingerprint } => format!(
                "作者签名未核验：签名密钥（指纹 {fingerprint}）不在本单位对该单位的信任名单中"
            ),
            Authorship::Unsigned => "作者签名未核验：该记录由旧版本文件转来，没有作者签名".into(),
        }
    }
}

/// Whether `signature` is by the key trusted here for the unit `event` names (the key's
/// text compared, as in `by_key`).
fn signed_by_trusted_author<E: Arriving>(
    event: &E,
    signature: &EventSignature,
    directory: &[TrustedUnit],
) -> bool {
    directory.iter().any(|u| {
        u.revoked_at.is_none()
            && u.card.code == event.actor().unit_code
            && u.card.public_key == signature.public_key
    })
}

/// How many of `events` this unit cannot yet attribute to their author.
pub fn unverified_count<E: Arriving>(
    events: &[E],
    signatures: &BTreeMap<EventId, EventSignature>,
    directory: &[TrustedUnit],
) -> usize {
    events
        .iter()
        .filter(|e| {
            !signatures
                .get(e.id())
                .is_some_and(|s| signed_by_trusted_author(*e, s, directory))
        })
        .count()
}

#[cfg(test)]
mod tests;
