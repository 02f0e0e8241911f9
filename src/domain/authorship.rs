//! Who may write what, for events that arrive in another unit's file: a file may relay
//! any unit's events unchanged, but it may not register a case a second time, speak in
//! the importing unit's name, date an event in the future or before its case, or
//! correct a registration it did not make. A file breaking any rule is refused whole.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use std::collections::BTreeSet;

use super::case::{fold_with, CaseState, FoldError};
use super::event::{Actor, Event, EventBody};
use super::ids::EventId;
use super::time::Timestamp;
use super::workflow::Viewer;

/// How far an event may be dated after the importing browser's clock: offices' clocks
/// differ by minutes, not by half an hour.
pub const CLOCK_TOLERANCE_MS: i64 = 30 * 60_000;

/// The unit importing a file, and its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Importer<'a> {
    /// The importing unit's code.
    pub unit_code: &'a str,
    /// Its name (a case routed to it by name, before it had a code here, is its too).
    pub unit_name: &'a str,
    /// Now, at the importing browser.
    pub now: Timestamp,
}

/// How events written elsewhere arrived here: the file that brought them (its SHA-256)
/// and the key that signed it, kept beside each event so a history can say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Via {
    /// SHA-256 of the file's bytes, hex.
    pub file: String,
    /// The signing key's fingerprint.
    pub signer: String,
    /// The unit the key belongs to, as trusted here.
    pub unit: String,
    /// When it was imported.
    pub at: Timestamp,
}

/// Why a file's events were refused. Nothing of the file is stored.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthorshipError {
    /// A case (or register entry) registered twice.
    #[error("文件中{case_no}含有另一条登记记录（由“{author}”写入）：一件案件、一条台账事项都只能登记一次，可能被篡改，整个文件未导入")]
    SecondRegistration {
        /// The case or entry, as the message names it (e.g. “案件 XF01-2026-00001”).
        case_no: String,
        /// Who the second registration names.
        author: String,
    },
    /// An event in the importer's own name that it never wrote.
    #[error("文件中有以本单位（{unit}）名义写入的记录，但本机没有这条记录：本单位的记录只能在本机产生，可能被冒用，整个文件未导入")]
    OwnName {
        /// The importing unit's code.
        unit: String,
    },
    /// An event dated after now.
    #[error("文件中{case_no}的一条记录时间为 {at}，晚于现在：请发送方核对电脑时间后重新导出。整个文件未导入")]
    Future {
        /// The case or entry, as the message names it.
        case_no: String,
        /// The event's time, as it reads in China.
        at: String,
    },
    /// An event dated before its case (or entry) was registered.
    #[error("文件中{case_no}的一条记录时间 {at} 早于其登记时间 {registered}，可能被篡改，整个文件未导入")]
    BeforeCase {
        /// The case or entry, as the message names it.
        case_no: String,
        /// The event's time.
        at: String,
        /// The registration's time.
        registered: String,
    },
    /// A correction by a unit other than the registering one.
    #[error("文件中{case_no}的登记内容由“{author}”更正，但只有登记单位（{registrar}）可以更正登记内容，整个文件未导入")]
    CorrectionByOther {
        /// The case or entry, as the message names it.
        case_no: String,
        /// Who the correction names.
        author: String,
        /// The registering unit.
        registrar: String,
    },
    /// Events of a case whose registration is neither held nor in the file.
    #[error("文件中有案件缺少登记记录，无法确认其来源，整个文件未导入")]
    NoRegistration,
    /// A step recorded by a unit whose part it was not.
    #[error("文件中案件 {case_no} 的“{what}”由“{author}”写入，但这一环节是{unit}的职责（例如承办单位不能审核通过自己的办结报告），可能被篡改，整个文件未导入")]
    NotTheirPart {
        /// The case.
        case_no: String,
        /// The step.
        what: &'static str,
        /// Who the event names.
        author: String,
        /// Whose part it was.
        unit: String,
    },
    /// The case's events do not make a case.
    #[error("文件中的案件记录不完整（{0}），整个文件未导入")]
    Unreadable(#[from] FoldError),
}

/// Folds a case's events (held and new together), checking that each new step (its id in
/// `fresh`) was recorded by the unit whose part it was at that point of the case.
pub fn check_steps(
    merged: &[Event],
    fresh: &BTreeSet<&EventId>,
) -> Result<CaseState, AuthorshipError> {
    fold_with(merged, |flow, e| {
        let EventBody::Step { step } = &e.body else {
            return Ok(());
        };
        let kind = step.kind();
        match flow.part_of(kind) {
            Some(p) if fresh.contains(&e.id) && !p.acts(Viewer::of(&e.actor)) => {
                Err(AuthorshipError::NotTheirPart {
                    case_no: merged
                        .iter()
                        .find(|r| matches!(r.body, EventBody::Registered { .. }))
                        .map_or_else(|| e.case_id.to_string(), case_no),
                    what: kind.label(),
                    author: e.actor.unit_name.clone(),
                    unit: p.name.clone(),
                })
            }
            _ => Ok(()),
        }
    })
}

/// An event as the rules for arriving events see it, of a case or of a register entry.
pub trait Arriving {
    /// Its id.
    fn id(&self) -> &EventId;
    /// The unit and operator that wrote it.
    fn actor(&self) -> &Actor;
    /// When it was written.
    fn at(&self) -> Timestamp;
    /// Whether it is the first record (a case's 登记, an entry's 登记).
    fn is_first(&self) -> bool;
    /// Whether it changes what the first record says (only its author may).
    fn is_correction(&self) -> bool;
    /// How a refusal names what it belongs to, given the first record (e.g. “案件 XF…”).
    fn named(first: &Self) -> String;
}

impl Arriving for Event {
    fn id(&self) -> &EventId {
        &self.id
    }
    fn actor(&self) -> &Actor {
        &self.actor
    }
    fn at(&self) -> Timestamp {
        self.at
    }
    fn is_first(&self) -> bool {
        matches!(self.body, EventBody::Registered { .. })
    }
    fn is_correction(&self) -> bool {
        // Where a case came from is part of its registration: only its author says it.
        matches!(
            self.body,
            EventBody::Corrected { .. } | EventBody::LedgerImported { .. }
        )
    }
    fn named(first: &Event) -> String {
        format!("案件 {}", case_no(first))
    }
}

/// Checks the events a file would add to one case (`fresh`: not held here) against the
/// events held here for it (`held`).
pub fn check_incoming(
    held: &[Event],
    fresh: &[Event],
    importer: &Importer,
) -> Result<(), AuthorshipError> {
    check_arriving(held, fresh, importer).map_err(|e| match e {
        Some(e) => e,
        None => AuthorshipError::NoRegistration,
    })
}

/// The rules every arriving record obeys, for a case or a register entry: recorded once,
/// never in the importer's name, not dated in the future or before the first record, and
/// the first record changed only by its author. `Err(None)`: no first record at all.
pub fn check_arriving<E: Arriving>(
    held: &[E],
    fresh: &[E],
    importer: &Importer,
) -> Result<(), Option<AuthorshipError>> {
    // Held records come first: a first record held here is the real one, one in the
    // file beside it is the second.
    let firsts: Vec<&E> = held.iter().chain(fresh).filter(|e| e.is_first()).collect();
    let first = match firsts.as_slice() {
        [] => return Err(None),
        [one] => *one,
        [first, second, ..] => {
            return Err(Some(AuthorshipError::SecondRegistration {
                case_no: E::named(first),
                author: second.actor().unit_name.clone(),
            }))
        }
    };
    let named = E::named(first);
    for e in fresh {
        let refusal = if e.actor().unit_code == importer.unit_code {
            AuthorshipError::OwnName {
                unit: importer.unit_code.to_owned(),
            }
        } else if e.at().0 > importer.now.0 + CLOCK_TOLERANCE_MS {
            AuthorshipError::Future {
                case_no: named.clone(),
                at: e.at().display(),
            }
        } else if e.at() < first.at() {
            AuthorshipError::BeforeCase {
                case_no: named.clone(),
                at: e.at().display(),
                registered: first.at().display(),
            }
        } else if e.is_correction() && e.actor().unit_code != first.actor().unit_code {
            AuthorshipError::CorrectionByOther {
                case_no: named.clone(),
                author: e.actor().unit_name.clone(),
                registrar: first.actor().unit_name.clone(),
            }
        } else {
            continue;
        };
        return Err(Some(refusal));
    }
    Ok(())
}

fn case_no(registration: &Event) -> String {
    match &registration.body {
        EventBody::Registered { case_no, .. } => case_no.clone(),
        _ => registration.case_id.to_string(),
    }
}

#[cfg(test)]
mod tests;
