//! Handing cases between units: a file dropped into 交换 verified (in a worker where one
//! can start) and previewed against what is held here before anything is stored, then
//! imported whole or not at all; and the cases ticked exported as a signed file.

use std::collections::{BTreeMap, BTreeSet};

use super::env::Env;
use super::error::AppError;
use super::progress::Progress;
use crate::domain::authorship::{Arriving, Importer, Via};
use crate::domain::calendar::WorkCalendar;
use crate::domain::event::{Event, EventBody};
use crate::domain::ids::EntryId;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::registers::screening::{self, ScreeningEvent, ScreeningItem};
use crate::domain::unit::UnitProfile;
use crate::domain::workflow::Step;
use crate::exchange::authors::{
    carry, check_trusted, check_trusted_authors, unverified_count, Authorship,
};
use crate::exchange::card::{trusted_signer, TrustedUnit, UnitCard, UnitRef};
use crate::exchange::envelope::{Identity, PublicKey};
use crate::exchange::error::BundleError;
use crate::exchange::items::{named_in, plan_items, validate_items, ItemPlan};
use crate::exchange::merge::{plan, ImportPlan};
use crate::exchange::read::{read, Contents};
use crate::exchange::recipient::Decryptor;
use crate::exchange::transfer::{
    admit, check_addressee, check_sender, seal_transfer, transfer, transfer_items, Purpose,
    Transfer, VerifiedTransfer,
};
use crate::exchange::wire::EventSignature;
use crate::platform::worker::{self, Verdict};
use crate::store::Arrived;
use crate::store::Store;

/// What a file dropped into 交换 turned out to be, once verified.
#[derive(Debug, Clone)]
pub enum Found {
    /// A unit card, to check by fingerprint and trust.
    Card(UnitCard),
    /// Cases from another unit.
    Transfer(Box<VerifiedTransfer>),
}

/// Why a file was not read: refused (the reason in Chinese) or another kind of file.
pub type Refusal = String;

/// Verifies `bytes` as a unit card or a transfer, decrypting a transfer with our key
/// `me` once its signature verified. A worker does it where one can start, so the page
/// stays usable; `reading(done, total)` follows the verified parts coming back.
pub async fn verify_file(
    bytes: &[u8],
    me: &Decryptor,
    reading: impl FnMut(usize, usize),
) -> Result<Found, Refusal> {
    match worker::verify(bytes, me, reading).await {
        Some(Verdict::Transfer(v)) => Ok(Found::Transfer(v)),
        Some(Verdict::Refused(e)) => Err(e),
        Some(Verdict::Other) | None => match read(bytes, me) {
            Ok((_, Contents::UnitCard(card))) => Ok(Found::Card(card)),
            Ok((opened, Contents::Transfer { transfer, events })) => Ok(Found::Transfer(Box::new(
                VerifiedTransfer::of(opened.signer, transfer, events, bytes),
            ))),
            Err(e) => Err(e.to_string()),
        },
    }
}

/// A verified transfer for this unit, compared with what is held here.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The header: sender, addressee, purpose, time.
    pub transfer: Box<Transfer>,
    /// The events of every case, validated.
    pub events: Vec<Event>,
    /// What importing would change.
    pub plan: ImportPlan,
    /// The signing key.
    pub signer: PublicKey,
    /// The file's SHA-256.
    pub file: String,
    /// The authors' signatures the events carry.
    pub signatures: BTreeMap<EventId, EventSignature>,
    /// The screening items' events (a file brings cases or items).
    pub items: Vec<ScreeningEvent>,
    /// What importing the items would change.
    pub item_plan: ItemPlan,
}

/// Who signed a transfer, as far as this unit's directory tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// A trusted unit, and it is the sender the file names.
    Trusted(UnitCard),
    /// A trusted unit's key, but the file names another sender: refused.
    Impostor(BundleError),
    /// A key not in the directory: check the fingerprint, then trust it.
    Unknown,
}

impl Preview {
    /// Who signed it, checked against the directory.
    pub fn signer(&self, directory: &[TrustedUnit]) -> Signer {
        match trusted_signer(directory, &self.signer) {
            None => Signer::Unknown,
            Some(u) => match check_sender(&self.transfer, u) {
                Ok(()) => Signer::Trusted(u.card.clone()),
                Err(e) => Signer::Impostor(e),
            },
        }
    }

    /// How many of the events the import would add this unit cannot attribute to their
    /// author with the directory as it is (unsigned, or signed by a unit not trusted here).
    pub fn unverified(&self, directory: &[TrustedUnit]) -> usize {
        unverified_count(&self.plan.to_add, &self.signatures, directory)
            + unverified_count(&self.item_plan.to_add, &self.signatures, directory)
    }

    /// Whether importing changes nothing here.
    pub fn is_noop(&self) -> bool {
        self.plan.is_noop() && self.item_plan.is_noop()
    }

    /// The card the file's signer claims, to trust once its fingerprint is checked.
    pub fn claimed_card(&self) -> UnitCard {
        UnitCard {
            code: self.transfer.from.code.clone(),
            name: self.transfer.from.name.clone(),
            level: String::new(),
            public_key: self.signer.to_base64(),
            parent: String::new(),
            encryption_key: self.transfer.reply_key.clone(),
        }
    }
}

/// Checks a verified transfer is for this unit and plans it against the cases held.
pub async fn preview(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    v: VerifiedTransfer,
) -> Result<Preview, AppError> {
    check_addressee(&v.transfer, profile)?;
    let local = store.events_held_of(&v.case_ids()).await?;
    let importer = Importer {
        unit_code: &profile.code,
        unit_name: &profile.name,
        now: env.now(),
    };
    let plan = plan(&v.events, &local, &importer)?;
    let items = validate_items(&v.transfer.items)?;
    let held = store
        .entries_held(screening::KIND, &entry_ids(&items))
        .await?;
    let item_plan = plan_items(&items, &held, &importer)?;
    Ok(Preview {
        transfer: Box::new(v.transfer),
        events: v.events,
        plan,
        signer: v.signer,
        file: v.file,
        signatures: v.signatures,
        items,
        item_plan,
    })
}

/// The items the events belong to, each once.
fn entry_ids(events: &[ScreeningEvent]) -> Vec<EntryId> {
    let ids: BTreeSet<&EntryId> = events.iter().map(|e| &e.entry).collect();
    ids.into_iter().cloned().collect()
}

/// Imports a previewed file's screening items in one transaction, planned and checked
/// again inside it against the directory and the items as it reads them.
async fn import_items(
    store: &Store,
    importer: &Importer<'_>,
    via: &Via,
    profile: &UnitProfile,
    preview: &Preview,
) -> Result<usize, AppError> {
    let items = &preview.items;
    store
        .import_entries(
            screening::KIND,
            &entry_ids(items),
            via,
            &preview.signatures,
            |directory, held| -> Result<_, AppError> {
                admit(&preview.transfer, &preview.signer, directory, profile)?;
                check_trusted(items, &preview.signatures, directory, named_in(items))?;
                Ok(plan_items(items, held, importer)?.to_add)
            },
        )
        .await
}

/// Imports a previewed transfer's events in one transaction, planned and checked again
/// inside it, each stored with the file and key it came with; how many were new. A
/// cancel through `progress` abandons the transaction: nothing is stored.
pub async fn import(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    preview: &Preview,
    progress: &dyn Progress,
) -> Result<usize, AppError> {
    let importer = Importer {
        unit_code: &profile.code,
        unit_name: &profile.name,
        now: env.now(),
    };
    let via = Via {
        file: preview.file.clone(),
        signer: preview.signer.fingerprint(),
        unit: preview.transfer.from.name.clone(),
        at: env.now(),
    };
    if !preview.items.is_empty() {
        return import_items(store, &importer, &via, profile, preview).await;
    }
    let receipts = receipts(env, profile, &preview.plan.receipts)?;
    store
        .import(
            calendar,
            &preview.events,
            &importer,
            &via,
            &preview.signatures,
            &receipts,
            // The page disables 确认导入 for an untrusted signer; the store refuses it
            // anyway, against the directory as its own transaction reads it.
            |directory| {
                admit(&preview.transfer, &preview.signer, directory, profile)?;
                check_trusted_authors(&preview.events, &preview.signatures, directory)
            },
            |done, total| {
                progress.total(total);
                progress.set(done);
                !progress.cancelled()
            },
        )
        .await
        .map_err(AppError::from)
}

/// This unit's 签收 of each case routed to it that the file brings, dated now.
fn receipts(
    env: &dyn Env,
    profile: &UnitProfile,
    cases: &[CaseId],
) -> Result<BTreeMap<CaseId, Event>, AppError> {
    let now = env.now();
    cases
        .iter()
        .map(|case| {
            let id = env.event_id()?;
            let event = Event {
                id,
                case_id: case.clone(),
                actor: profile.actor(),
                at: now,
                body: EventBody::Step {
                    step: Step::Receive {
                        on: now.china_date(),
                    },
                },
            };
            Ok((case.clone(), event))
        })
        .collect()
}

/// A signed transfer file: its suggested name and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferFile {
    /// e.g. `XF01-2026-00001-交办-CGZ01.json`.
    pub name: String,
    /// The signed bundle.
    pub text: String,
}

/// Seals the cases `ids` (those held here) into a transfer for the trusted unit `to`,
/// encrypted to the key on its card (refused for a card without one).
pub async fn export(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    identity: &Identity,
    to: &UnitCard,
    purpose: Purpose,
    ids: &[CaseId],
) -> Result<TransferFile, AppError> {
    let mut cases = Vec::new();
    let mut relayed = BTreeMap::new();
    for id in ids {
        if let Some((c, arrived)) = store.case_held(id).await? {
            cases.push(c);
            relayed.extend(
                arrived
                    .into_iter()
                    .filter_map(|(event, a)| Some((event, a.signature?))),
            );
        }
    }
    let mut t = transfer(profile, &addressee(to), purpose, &cases, env.now())?;
    carry(&mut t.cases, &relayed);
    let what = match cases.as_slice() {
        [one] => one.case_no.clone(),
        many => format!("{}件案件", many.len()),
    };
    seal_for(env, identity, to, &t, &what)
}

/// Seals the screening items `ids` (those held here) for the trusted unit `to`, like
/// [`export`]: the sender's events signed, others' carried with the signatures they came with.
pub async fn export_items(
    store: &Store,
    env: &dyn Env,
    profile: &UnitProfile,
    identity: &Identity,
    to: &UnitCard,
    purpose: Purpose,
    ids: &[EntryId],
) -> Result<TransferFile, AppError> {
    let mut items = Vec::new();
    let mut relayed = BTreeMap::new();
    for id in ids {
        if let Some(i) = super::screening::item(store, id).await? {
            items.push(i);
            relayed.extend(
                store
                    .entry_arrivals(id)
                    .await?
                    .into_iter()
                    .filter_map(|(event, a)| Some((event, a.signature?))),
            );
        }
    }
    let mut t = transfer_items(profile, &addressee(to), purpose, &items, env.now())?;
    carry(&mut t.items, &relayed);
    let what = match items.as_slice() {
        [one] => format!("排查事项-{}", one.record.township),
        many => format!("排查事项{}条", many.len()),
    };
    seal_for(env, identity, to, &t, &what)
}

fn addressee(to: &UnitCard) -> UnitRef {
    UnitRef {
        code: to.code.clone(),
        name: to.name.clone(),
    }
}

/// Seals `t` for `to`, encrypted to the key on its card (refused for a card without one),
/// named after `what` it carries.
fn seal_for(
    env: &dyn Env,
    identity: &Identity,
    to: &UnitCard,
    t: &Transfer,
    what: &str,
) -> Result<TransferFile, AppError> {
    let key = to.encryption()?;
    let text = seal_transfer(t, identity, &key, env.random32()?)?;
    Ok(TransferFile {
        name: format!("{what}-{}-{}.json", t.purpose.label(), to.code),
        text,
    })
}

/// How an event that came in a file arrived, and what this unit can tell of its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The file and the key that signed it.
    pub via: Via,
    /// The author's signature, judged against the directory as it is now.
    pub author: Authorship,
}

/// The provenance of each of a case's events that came in a file (none for local ones).
pub async fn provenance(
    store: &Store,
    id: &CaseId,
) -> Result<BTreeMap<EventId, Provenance>, AppError> {
    let directory = store.directory().await?;
    let Some((case, arrived)) = store.case_held(id).await? else {
        return Ok(BTreeMap::new());
    };
    let events: Vec<&Event> = case.events.iter().collect();
    Ok(judged(&events, &arrived, &directory))
}

/// The provenance of each of a screening item's events that came in a file.
pub async fn item_provenance(
    store: &Store,
    item: &ScreeningItem,
) -> Result<BTreeMap<EventId, Provenance>, AppError> {
    let directory = store.directory().await?;
    let arrived = store.entry_arrivals(&item.id).await?;
    let events: Vec<&ScreeningEvent> = item.events.iter().collect();
    Ok(judged(&events, &arrived, &directory))
}

/// How each of `events` that arrived came, its author judged against `directory`.
fn judged<E: Arriving>(
    events: &[&E],
    arrived: &BTreeMap<EventId, Arrived>,
    directory: &[TrustedUnit],
) -> BTreeMap<EventId, Provenance> {
    events
        .iter()
        .filter_map(|e| {
            let a = arrived.get(e.id())?;
            let author = Authorship::of(*e, a.signature.as_ref(), directory);
            Some((
                e.id().clone(),
                Provenance {
                    via: a.via.clone(),
                    author,
                },
            ))
        })
        .collect()
}
