//! Why an operation did not complete, in the words of the layer that refused it; each
//! message already says what to do next.

use thiserror::Error;

use crate::domain::leaders::LeaderError;
use crate::domain::ledger::LedgerError;
use crate::domain::registers::plans::PlanError;
use crate::domain::registers::screening::ItemError;
use crate::domain::registers::versioned::RevisionError;
use crate::domain::repeats::LinkError;
use crate::domain::workflow::RuleError;
use crate::exchange::backup::BackupError;
use crate::exchange::card::TrustError;
use crate::exchange::error::BundleError;
use crate::exchange::keyring::KeyError;
use crate::exchange::transfer::ExportError;
use crate::platform::random::NoRandomness;
use crate::store::{ImportError, StoreError};

/// Why an operation failed. Whatever it had written is undone or was never committed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AppError {
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No secure randomness for ids or keys.
    #[error(transparent)]
    Random(#[from] NoRandomness),
    /// A file refused.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// A backup refused.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// An import refused or cancelled.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The operator passphrase refused, or the stored key unreadable.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A card not trusted (a key change not confirmed).
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// Cases that may not go to that unit.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A step the workflow refuses.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A repeat link refused.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// A screening item change refused.
    #[error(transparent)]
    Item(#[from] ItemError),
    /// An emergency plan change, or a plan's work on a case, refused.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A 包案 or 批示 refused.
    #[error(transparent)]
    Leader(#[from] LeaderError),
    /// A revision of a reception day or an agreement refused.
    #[error(transparent)]
    Revision(#[from] RevisionError),
    /// No reception day of this id here.
    #[error("本机没有这个领导接待日（可能已在其他窗口中清除了数据），请返回领导包案")]
    UnknownReception,
    /// No emergency plan of this id here.
    #[error("本机没有这份应急预案（可能已在其他窗口中清除了数据），请返回应急预案")]
    UnknownPlan,
    /// No agreement of this id here.
    #[error("本机没有这份责任状（可能已在其他窗口中清除了数据），请返回责任状")]
    UnknownAgreement,
    /// A second agreement of the same party and year.
    #[error("已有{0}，请打开它修改，不要重复签订")]
    DuplicateAgreement(String),
    /// No screening item of this id here.
    #[error("本机没有这条排查记录（可能已在其他窗口中清除了数据），请返回排查台账")]
    UnknownItem,
    /// No case with this number here.
    #[error("本机没有编号为 {0} 的案件，请核对编号")]
    UnknownCase(String),
    /// A ledger that cannot be read.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A browser service failed (reading a file, making a download).
    #[error("{0}")]
    Browser(String),
}
