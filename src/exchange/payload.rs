//! The payloads of bundles, as wire types kept apart from the domain types: a unit card,
//! and a transfer of cases. Events travel with their own ids, authors and times, so
//! provenance survives when a case passes from unit to unit; merging is a set union of
//! events, and the same id with different content is tampering.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{open, seal, BundleError, Identity, Opened, PayloadType, PublicKey};
use crate::domain::case::{fold, CaseState};
use crate::domain::event::{Actor, Event, EventBody};
use crate::domain::ids::{CaseId, EventId};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::{PetitionType, UnitLevel};

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
}

impl UnitCard {
    /// The card of our own unit.
    pub fn of(profile: &UnitProfile, key: &PublicKey) -> UnitCard {
        UnitCard {
            code: profile.code.clone(),
            name: profile.name.clone(),
            level: profile.level.key().to_owned(),
            public_key: key.to_base64(),
        }
    }

    /// The card's key, if well-formed.
    pub fn key(&self) -> Option<PublicKey> {
        PublicKey::from_base64(&self.public_key)
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

/// Adds (or renews) trust in a card; a card for the same unit code replaces the old one.
pub fn trust(directory: &mut Vec<TrustedUnit>, card: UnitCard, at: Timestamp) {
    directory.retain(|u| u.card.code != card.code);
    directory.push(TrustedUnit {
        card,
        trusted_at: at,
        revoked_at: None,
    });
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

/// An event on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireEvent {
    /// Event id.
    pub id: String,
    /// Case id.
    pub case_id: String,
    /// Author unit's code.
    pub unit_code: String,
    /// Author unit's name.
    pub unit_name: String,
    /// Operator.
    pub operator: String,
    /// UTC milliseconds.
    pub at: i64,
    /// The event body, in the schema of `docs/bundle-format.md`.
    pub body: Value,
}

impl WireEvent {
    /// The wire form of an event.
    pub fn from_event(e: &Event) -> Result<WireEvent, BundleError> {
        Ok(WireEvent {
            id: e.id.to_string(),
            case_id: e.case_id.to_string(),
            unit_code: e.actor.unit_code.clone(),
            unit_name: e.actor.unit_name.clone(),
            operator: e.actor.operator.clone(),
            at: e.at.0,
            body: serde_json::to_value(&e.body)
                .map_err(|err| BundleError::InvalidCase(err.to_string()))?,
        })
    }

    /// The domain event, if every part is valid.
    pub fn to_event(&self) -> Result<Event, BundleError> {
        let bad = |what: &str| BundleError::InvalidCase(format!("记录 {} 的{what}无效", self.id));
        Ok(Event {
            id: EventId::parse(&self.id).ok_or_else(|| bad("编号"))?,
            case_id: CaseId::parse(&self.case_id).ok_or_else(|| bad("案件编号"))?,
            actor: Actor {
                unit_code: self.unit_code.clone(),
                unit_name: self.unit_name.clone(),
                operator: self.operator.clone(),
            },
            at: Timestamp(self.at),
            body: serde_json::from_value::<EventBody>(self.body.clone())
                .map_err(|_| bad("内容"))?,
        })
    }
}

/// One case in a transfer: all its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireCase {
    /// Case id.
    pub case_id: String,
    /// Human case number (for people reading the file).
    pub case_no: String,
    /// Every event of the case known to the sender.
    pub events: Vec<WireEvent>,
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
    })
}

/// Signs a transfer into a bundle file.
pub fn seal_transfer(t: &Transfer, signer: &Identity) -> Result<String, BundleError> {
    let v = serde_json::to_value(t).map_err(|e| BundleError::Malformed(e.to_string()))?;
    seal(PayloadType::Transfer, v, signer)
}

/// Signs our unit card.
pub fn seal_unit_card(card: &UnitCard, signer: &Identity) -> Result<String, BundleError> {
    let v = serde_json::json!({ "unit": serde_json::to_value(card).map_err(|e| BundleError::Malformed(e.to_string()))? });
    seal(PayloadType::UnitCard, v, signer)
}

/// What a verified bundle holds, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// A unit card (self-signed: its key is the signer's).
    UnitCard(UnitCard),
    /// Cases, as domain events grouped by case.
    Transfer {
        /// The payload header.
        transfer: Transfer,
        /// The events of every case, validated.
        events: Vec<Event>,
    },
}

/// What importing a backup says: backups are restored, not imported.
const RESTORE_BACKUPS: &str = "数据备份请在“备份与恢复”中恢复";

/// Opens a bundle and reads its contents from the verified value.
pub fn read(bytes: &[u8]) -> Result<(Opened, Contents), BundleError> {
    let opened = open(bytes).map_err(|e| match e {
        // A backup of several volumes is JSON Lines, not one JSON value: name it for
        // what it is rather than call it broken (only the message depends on this).
        BundleError::NotJson(_) if first_line_is_backup_volume(bytes) => {
            BundleError::WrongType(RESTORE_BACKUPS.into())
        }
        e => e,
    })?;
    let contents = match opened.kind {
        PayloadType::UnitCard => {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Card {
                unit: UnitCard,
            }
            let card: Card = serde_json::from_value(opened.payload.clone())
                .map_err(|e| BundleError::Malformed(e.to_string()))?;
            // A card must be signed by the key it announces.
            if card.unit.key().as_ref() != Some(&opened.signer) {
                return Err(BundleError::KeyIdMismatch);
            }
            Contents::UnitCard(card.unit)
        }
        PayloadType::Transfer => {
            let t: Transfer = serde_json::from_value(opened.payload.clone())
                .map_err(|e| BundleError::Malformed(e.to_string()))?;
            let events = validate_cases(&t.cases)?;
            Contents::Transfer {
                transfer: t,
                events,
            }
        }
        PayloadType::Backup | PayloadType::BackupVolume => {
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

/// What the page needs of a verified transfer: who signed it, the transfer without its
/// cases (their wire form is not needed once they are events), and the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTransfer {
    /// The signing key.
    pub signer: PublicKey,
    /// The header: sender, addressee, purpose, time; `cases` is left empty.
    pub transfer: Transfer,
    /// The events of every case, validated.
    pub events: Vec<Event>,
}

impl VerifiedTransfer {
    /// Keeps what the page needs of what [`read`] found in a transfer.
    pub fn of(signer: PublicKey, transfer: Transfer, events: Vec<Event>) -> VerifiedTransfer {
        VerifiedTransfer {
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

/// Events per part when a verified transfer is handed from a worker to the page: each
/// part is read back in well under a frame budget's multiple, so the page stays usable.
pub const HANDOVER_EVENTS: usize = 2_000;

/// The header part of a handover.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct HandoverHeader {
    signer: String,
    from: UnitRef,
    to: UnitRef,
    purpose: Purpose,
    created_at: i64,
    parts: usize,
}

/// A verified transfer as JSON parts: the header, then its events `per_part` at a time
/// (the page uses [`HANDOVER_EVENTS`]). A worker verifies a file and hands these to the page, which reads them
/// back part by part ([`HandoverReader`]) between frames.
pub fn hand_over(v: &VerifiedTransfer, per_part: usize) -> Result<Vec<String>, BundleError> {
    let json = |r: serde_json::Result<String>| r.map_err(|e| BundleError::Malformed(e.to_string()));
    let chunks: Vec<&[Event]> = v.events.chunks(per_part.max(1)).collect();
    let header = HandoverHeader {
        signer: v.signer.to_base64(),
        from: v.transfer.from.clone(),
        to: v.transfer.to.clone(),
        purpose: v.transfer.purpose,
        created_at: v.transfer.created_at,
        parts: chunks.len(),
    };
    let mut out = vec![json(serde_json::to_string(&header))?];
    for c in chunks {
        out.push(json(serde_json::to_string(c))?);
    }
    Ok(out)
}

/// Reads a handover back: the header first, then each part of events in turn.
pub struct HandoverReader {
    verified: VerifiedTransfer,
    parts: usize,
}

impl HandoverReader {
    /// Reads the header part.
    pub fn start(header: &str) -> Result<HandoverReader, BundleError> {
        let malformed = |e: String| BundleError::Malformed(format!("handover: {e}"));
        let h: HandoverHeader =
            serde_json::from_str(header).map_err(|e| malformed(e.to_string()))?;
        let signer = PublicKey::from_base64(&h.signer).ok_or_else(|| malformed("signer".into()))?;
        Ok(HandoverReader {
            verified: VerifiedTransfer {
                signer,
                transfer: Transfer {
                    from: h.from,
                    to: h.to,
                    purpose: h.purpose,
                    created_at: h.created_at,
                    cases: Vec::new(),
                },
                events: Vec::new(),
            },
            parts: h.parts,
        })
    }

    /// How many parts of events follow the header.
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// Reads one part of events.
    pub fn read(&mut self, part: &str) -> Result<(), BundleError> {
        let events: Vec<Event> = serde_json::from_str(part)
            .map_err(|e| BundleError::Malformed(format!("handover: {e}")))?;
        self.verified.events.extend(events);
        Ok(())
    }

    /// The transfer, once every part has been read.
    pub fn finish(self, read: usize) -> Result<VerifiedTransfer, BundleError> {
        if read != self.parts {
            return Err(BundleError::Malformed(format!(
                "handover: {read} of {} parts",
                self.parts
            )));
        }
        Ok(self.verified)
    }
}

fn first_line_is_backup_volume(bytes: &[u8]) -> bool {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let marker = format!(
        "\"payloadType\":\"{}\"",
        PayloadType::BackupVolume.media_type()
    );
    memchr::memmem::find(first, marker.as_bytes()).is_some()
}

/// Checks every case of a transfer folds, events belong to their case, ids are unique.
pub(crate) fn validate_cases(cases: &[WireCase]) -> Result<Vec<Event>, BundleError> {
    let mut all: Vec<Event> = Vec::new();
    for c in cases {
        all.extend(validate_case(c)?);
    }
    merge(&[], &all)
}

/// One case's events, checked: each belongs to the case and together they fold.
pub(crate) fn validate_case(c: &WireCase) -> Result<Vec<Event>, BundleError> {
    let events: Vec<Event> = c
        .events
        .iter()
        .map(WireEvent::to_event)
        .collect::<Result<_, _>>()?;
    if events.iter().any(|e| e.case_id.as_str() != c.case_id) {
        return Err(BundleError::InvalidCase(format!(
            "案件 {} 中混有其他案件的记录",
            c.case_no
        )));
    }
    fold(&events).map_err(|e| BundleError::InvalidCase(format!("{}：{e}", c.case_no)))?;
    Ok(events)
}

/// Set union of two event sets; the same id with different content is tampering.
pub fn merge(a: &[Event], b: &[Event]) -> Result<Vec<Event>, BundleError> {
    let mut by_id: BTreeMap<&EventId, &Event> = BTreeMap::new();
    for e in a.iter().chain(b) {
        match by_id.get(&e.id) {
            Some(seen) if *seen != e => return Err(BundleError::Tampered(e.id.to_string())),
            _ => {
                by_id.insert(&e.id, e);
            }
        }
    }
    let mut out: Vec<Event> = by_id.into_values().cloned().collect();
    out.sort_by(|x, y| (&x.case_id, x.at, &x.id).cmp(&(&y.case_id, y.at, &y.id)));
    Ok(out)
}

/// What importing would change, shown before anything is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// Cases not yet held here: (case number, title).
    pub new_cases: Vec<(String, String)>,
    /// Existing cases that gain events: (case number, how many).
    pub updated_cases: Vec<(String, usize)>,
    /// Events already held (ignored).
    pub already_held: usize,
    /// The events to store.
    pub to_add: Vec<Event>,
}

impl ImportPlan {
    /// True when importing changes nothing.
    pub fn is_noop(&self) -> bool {
        self.to_add.is_empty()
    }
}

/// Compares incoming events with the events held locally for the same cases.
pub fn plan(
    incoming: &[Event],
    local: &BTreeMap<CaseId, Vec<Event>>,
) -> Result<ImportPlan, BundleError> {
    let mut plan = ImportPlan::default();
    // One pass groups the incoming events by case (a 10,000-case file has 40,000).
    let mut cases: BTreeMap<&CaseId, Vec<Event>> = BTreeMap::new();
    for e in incoming {
        cases.entry(&e.case_id).or_default().push(e.clone());
    }
    for (case, theirs) in cases {
        let held = local.get(case).map(Vec::as_slice).unwrap_or(&[]);
        let merged = merge(held, &theirs)?;
        let held_ids: BTreeSet<&EventId> = held.iter().map(|h| &h.id).collect();
        let fresh: Vec<Event> = theirs
            .into_iter()
            .filter(|e| !held_ids.contains(&e.id))
            .collect();
        let state = fold(&merged).map_err(|e| BundleError::InvalidCase(e.to_string()))?;
        if held.is_empty() {
            plan.new_cases
                .push((state.case_no.clone(), state.petition.title.clone()));
        } else if !fresh.is_empty() {
            plan.updated_cases
                .push((state.case_no.clone(), fresh.len()));
        }
        plan.to_add.extend(fresh);
    }
    plan.already_held = incoming.len() - plan.to_add.len();
    Ok(plan)
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

/// Convenience for tests and tools: opens a file expecting a unit card.
pub fn read_unit_card(bytes: &[u8]) -> Result<UnitCard, BundleError> {
    match read(bytes)?.1 {
        Contents::UnitCard(c) => Ok(c),
        _ => Err(BundleError::WrongType("这不是单位名片".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::WorkCalendar;
    use crate::domain::case::{register, take_step, CaseNumber};
    use crate::domain::petition::tests::{today, valid_draft};
    use crate::domain::unit::tests::county;
    use crate::domain::workflow::{Routing, Step};
    use proptest::prelude::*;

    fn township() -> UnitRef {
        UnitRef {
            code: "CGZ01".into(),
            name: "城关镇人民政府".into(),
        }
    }

    /// A case with `n` extra note steps, ids derived from `seed`.
    fn case(seed: u8, notes: u8) -> CaseState {
        let p = valid_draft().validate(today()).unwrap();
        let at = Timestamp(1_795_658_400_000);
        let mut events = vec![register(
            EventId::from_random([seed; 16]),
            CaseId::from_random([seed; 16]),
            county().actor(),
            at,
            &CaseNumber::next("XF01", 2026, Some(seed.into())),
            p,
        )];
        let cal = WorkCalendar::official();
        let st = fold(&events).unwrap();
        events.push(
            take_step(
                &st,
                Step::Route {
                    routing: Routing::Accept,
                    on: today(),
                },
                today(),
                &cal,
                EventId::from_random([seed, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                county().actor(),
                Timestamp(at.0 + 1),
            )
            .unwrap(),
        );
        for i in 0..notes {
            let st = fold(&events).unwrap();
            let note = Step::Note {
                text: format!("第{i}次走访，群众情绪稳定"),
                on: today(),
            };
            events.push(
                take_step(
                    &st,
                    note,
                    today(),
                    &cal,
                    EventId::from_random([seed, 2, i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                    county().actor(),
                    Timestamp(at.0 + 2 + i64::from(i)),
                )
                .unwrap(),
            );
        }
        fold(&events).unwrap()
    }

    fn signer() -> Identity {
        Identity::from_seed([1; 32])
    }

    /// A 交办 of `cases` from the county to the township, and its signed file.
    fn sealed(cases: &[CaseState]) -> (Transfer, String) {
        let t = transfer(&county(), &township(), Purpose::Assign, cases, Timestamp(5)).unwrap();
        let file = seal_transfer(&t, &signer()).unwrap();
        (t, file)
    }

    fn verified(n: u8) -> VerifiedTransfer {
        let cases: Vec<CaseState> = (1..=n).map(|i| case(i, i % 4)).collect();
        let (_, file) = sealed(&cases);
        let (opened, contents) = read(file.as_bytes()).unwrap();
        let Contents::Transfer { transfer, events } = contents else {
            panic!("a transfer")
        };
        VerifiedTransfer::of(opened.signer, transfer, events)
    }

    fn take_back(parts: &[String]) -> Result<VerifiedTransfer, BundleError> {
        let mut r = HandoverReader::start(&parts[0])?;
        for p in &parts[1..] {
            r.read(p)?;
        }
        r.finish(parts.len() - 1)
    }

    #[test]
    fn a_handover_gives_back_the_verified_transfer() {
        let v = verified(9);
        assert!(v.transfer.cases.is_empty());
        assert_eq!(v.case_ids().len(), 9);
        let parts = hand_over(&v, HANDOVER_EVENTS).unwrap();
        assert_eq!(parts.len(), 1 + v.events.len().div_ceil(HANDOVER_EVENTS));
        assert_eq!(take_back(&parts).unwrap(), v);
    }

    #[test]
    fn a_handover_cut_short_or_broken_is_refused() {
        let v = verified(3);
        let mut parts = hand_over(&v, HANDOVER_EVENTS).unwrap();
        let r = HandoverReader::start(&parts[0]).unwrap();
        assert_eq!(r.parts(), 1);
        assert!(matches!(r.finish(0), Err(BundleError::Malformed(_))));
        let half = parts[1].len() / 2;
        parts[1].truncate(half);
        assert!(matches!(take_back(&parts), Err(BundleError::Malformed(_))));
        assert!(HandoverReader::start("{}").is_err());
    }

    proptest! {
        // Each case signs and verifies a whole transfer: fewer cases keep the suite quick.
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// However many events, the parts put them back in order and complete.
        #[test]
        fn handover_parts_cover_every_event(n in 1u8..30, per_part in 1usize..12) {
            let v = verified(n);
            let parts = hand_over(&v, per_part).unwrap();
            prop_assert_eq!(parts.len(), 1 + v.events.len().div_ceil(per_part));
            prop_assert!(parts[1..].iter().all(|p| serde_json::from_str::<Vec<Event>>(p).unwrap().len() <= per_part));
            prop_assert_eq!(take_back(&parts).unwrap(), v);
        }
    }

    #[test]
    fn export_then_import_reproduces_the_cases() {
        let cases = [case(1, 2), case(2, 0)];
        let (t, file) = sealed(&cases);
        let (opened, contents) = read(file.as_bytes()).unwrap();
        assert_eq!(opened.signer, signer().public_key());
        let Contents::Transfer {
            transfer: back,
            events,
        } = contents
        else {
            panic!()
        };
        assert_eq!(back, t);
        let p = plan(&events, &BTreeMap::new()).unwrap();
        assert_eq!(p.new_cases.len(), 2);
        assert_eq!(p.to_add.len(), 6);
        for c in &cases {
            let mine: Vec<Event> = p
                .to_add
                .iter()
                .filter(|e| e.case_id == c.id)
                .cloned()
                .collect();
            assert_eq!(&fold(&mine).unwrap(), c);
        }
        // Importing again adds nothing.
        let mut local = BTreeMap::new();
        for e in &p.to_add {
            local
                .entry(e.case_id.clone())
                .or_insert_with(Vec::new)
                .push(e.clone());
        }
        let again = plan(&events, &local).unwrap();
        assert!(again.is_noop());
        assert_eq!(again.already_held, 6);
    }

    #[test]
    fn new_events_on_a_held_case_are_planned_as_an_update() {
        let before = case(3, 0);
        let after = case(3, 2);
        let mut local = BTreeMap::new();
        local.insert(before.id.clone(), before.events.clone());
        let p = plan(&after.events, &local).unwrap();
        assert_eq!(p.updated_cases, [(after.case_no.clone(), 2)]);
        assert!(p.new_cases.is_empty());
    }

    #[test]
    fn same_id_different_content_is_tampering() {
        let c = case(4, 1);
        let mut forged = c.events.clone();
        if let EventBody::Step {
            step: Step::Note { text, .. },
        } = &mut forged[2].body
        {
            *text = "改过的内容".into();
        }
        let mut local = BTreeMap::new();
        local.insert(c.id.clone(), c.events.clone());
        assert!(matches!(
            plan(&forged, &local),
            Err(BundleError::Tampered(_))
        ));
    }

    #[test]
    fn accusations_never_go_to_the_unit_complained_about() {
        let mut c = case(5, 0);
        c.petition.petition_type = PetitionType::Accusation;
        c.petition.complained_about = "城关镇人民政府".into();
        let e = transfer(
            &county(),
            &township(),
            Purpose::Forward,
            &[c.clone()],
            Timestamp(1),
        )
        .unwrap_err();
        assert!(e.to_string().contains("第三十条"), "{e}");
        let other = UnitRef {
            code: "RSJ".into(),
            name: "县人社局".into(),
        };
        assert!(transfer(&county(), &other, Purpose::Forward, &[c], Timestamp(1)).is_ok());
        assert_eq!(
            transfer(&county(), &township(), Purpose::Copy, &[], Timestamp(1)),
            Err(ExportError::Empty)
        );
    }

    #[test]
    fn addressee_and_unit_cards() {
        let t = transfer(
            &county(),
            &township(),
            Purpose::Assign,
            &[case(6, 0)],
            Timestamp(1),
        )
        .unwrap();
        assert!(matches!(
            check_addressee(&t, &county()),
            Err(BundleError::WrongAddressee(_))
        ));
        let card = UnitCard::of(&county(), &signer().public_key());
        let file = seal_unit_card(&card, &signer()).unwrap();
        assert_eq!(read_unit_card(file.as_bytes()).unwrap(), card);
        // A card signed by another key than the one it announces is refused.
        let other = seal_unit_card(&card, &Identity::from_seed([2; 32])).unwrap();
        assert_eq!(
            read_unit_card(other.as_bytes()),
            Err(BundleError::KeyIdMismatch)
        );
    }

    #[test]
    fn trust_compares_the_full_key_and_honours_revocation() {
        let card = UnitCard::of(&county(), &signer().public_key());
        let mut dir = Vec::new();
        trust(&mut dir, card.clone(), Timestamp(1));
        assert!(trusted_signer(&dir, &signer().public_key()).is_some());
        assert!(trusted_signer(&dir, &Identity::from_seed([2; 32]).public_key()).is_none());
        // A new card for the same unit replaces the old key.
        let renewed = UnitCard::of(&county(), &Identity::from_seed([3; 32]).public_key());
        trust(&mut dir, renewed, Timestamp(2));
        assert_eq!(dir.len(), 1);
        assert!(trusted_signer(&dir, &signer().public_key()).is_none());
        let t = transfer(
            &county(),
            &township(),
            Purpose::Report,
            &[case(8, 0)],
            Timestamp(1),
        )
        .unwrap();
        assert!(check_sender(&t, &dir[0]).is_ok());
        let mut impostor = dir[0].clone();
        impostor.card.code = "OTHER".into();
        assert!(matches!(
            check_sender(&t, &impostor),
            Err(BundleError::SenderMismatch { .. })
        ));
        dir[0].revoked_at = Some(Timestamp(3));
        assert!(trusted_signer(&dir, &Identity::from_seed([3; 32]).public_key()).is_none());
    }

    #[test]
    fn every_single_byte_change_of_the_payload_fails() {
        let t = transfer(
            &county(),
            &township(),
            Purpose::Assign,
            &[case(7, 0)],
            Timestamp(1),
        )
        .unwrap();
        let file = seal_transfer(&t, &signer()).unwrap();
        let start = file.find("\"payload\"").unwrap();
        let end = file.find("\"signatures\"").unwrap();
        let bytes = file.as_bytes();
        for i in start + 11..end {
            for delta in [1u8, 0x20] {
                let mut m = bytes.to_vec();
                m[i] ^= delta;
                // A change in insignificant whitespace is no change to the payload.
                if bytes[i].is_ascii_whitespace() && (m[i].is_ascii_whitespace()) {
                    continue;
                }
                assert!(
                    read(&m).is_err(),
                    "byte {i} ({:?}) ^ {delta:#x} passed",
                    bytes[i] as char
                );
            }
        }
    }

    fn events_strategy() -> impl Strategy<Value = Vec<Event>> {
        let pool: Vec<Event> = [case(10, 3), case(11, 2)]
            .iter()
            .flat_map(|c| c.events.clone())
            .collect();
        proptest::sample::subsequence(pool.clone(), 0..=pool.len())
    }

    proptest! {
        #[test]
        fn merge_is_idempotent_commutative_and_associative(a in events_strategy(), b in events_strategy(), c in events_strategy()) {
            prop_assert_eq!(merge(&a, &a).unwrap(), merge(&a, &[]).unwrap());
            prop_assert_eq!(merge(&a, &b).unwrap(), merge(&b, &a).unwrap());
            let ab_c = merge(&merge(&a, &b).unwrap(), &c).unwrap();
            let a_bc = merge(&a, &merge(&b, &c).unwrap()).unwrap();
            prop_assert_eq!(ab_c, a_bc);
        }
    }
}
