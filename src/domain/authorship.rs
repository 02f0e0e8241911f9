//! Who may write what, for events that arrive in another unit's file: a file may relay
//! any unit's events unchanged, but it may not register a case a second time, speak in
//! the importing unit's name, date an event in the future or before its case, or
//! correct a registration it did not make. A file breaking any rule is refused whole.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use std::collections::BTreeSet;

use super::case::{fold_with, CaseState, FoldError};
use super::event::{Event, EventBody};
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
    /// A case registered twice.
    #[error("文件中案件 {case_no} 含有另一条登记记录（由“{author}”写入）：一件案件只能登记一次，可能被篡改，整个文件未导入")]
    SecondRegistration {
        /// The case.
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
    #[error("文件中案件 {case_no} 的一条记录时间为 {at}，晚于现在：请发送方核对电脑时间后重新导出。整个文件未导入")]
    Future {
        /// The case.
        case_no: String,
        /// The event's time, as it reads in China.
        at: String,
    },
    /// An event dated before its case was registered.
    #[error("文件中案件 {case_no} 的一条记录时间 {at} 早于该案的登记时间 {registered}，可能被篡改，整个文件未导入")]
    BeforeCase {
        /// The case.
        case_no: String,
        /// The event's time.
        at: String,
        /// The registration's time.
        registered: String,
    },
    /// A correction by a unit other than the registering one.
    #[error("文件中案件 {case_no} 的登记内容由“{author}”更正，但只有登记单位（{registrar}）可以更正登记内容，整个文件未导入")]
    CorrectionByOther {
        /// The case.
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

/// Checks the events a file would add to one case (`fresh`: not held here) against the
/// events held here for it (`held`).
pub fn check_incoming(
    held: &[Event],
    fresh: &[Event],
    importer: &Importer,
) -> Result<(), AuthorshipError> {
    // Held events come first: a registration held here is the case's, one in the file
    // beside it is the second.
    let registrations: Vec<&Event> = held
        .iter()
        .chain(fresh)
        .filter(|e| matches!(e.body, EventBody::Registered { .. }))
        .collect();
    let registered = match registrations.as_slice() {
        [] => return Err(AuthorshipError::NoRegistration),
        [one] => *one,
        [first, second, ..] => {
            return Err(AuthorshipError::SecondRegistration {
                case_no: case_no(first),
                author: second.actor.unit_name.clone(),
            })
        }
    };
    let case = case_no(registered);
    for e in fresh {
        if e.actor.unit_code == importer.unit_code {
            return Err(AuthorshipError::OwnName {
                unit: importer.unit_code.to_owned(),
            });
        }
        if e.at.0 > importer.now.0 + CLOCK_TOLERANCE_MS {
            return Err(AuthorshipError::Future {
                case_no: case.clone(),
                at: e.at.display(),
            });
        }
        if e.at < registered.at {
            return Err(AuthorshipError::BeforeCase {
                case_no: case.clone(),
                at: e.at.display(),
                registered: registered.at.display(),
            });
        }
        if matches!(e.body, EventBody::Corrected { .. })
            && e.actor.unit_code != registered.actor.unit_code
        {
            return Err(AuthorshipError::CorrectionByOther {
                case_no: case.clone(),
                author: e.actor.unit_name.clone(),
                registrar: registered.actor.unit_name.clone(),
            });
        }
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
