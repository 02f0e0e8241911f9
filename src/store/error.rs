//! Storage errors, typed, each worded for the person at the desk with what to do next.

use indexed_db_futures::error::{
    DomException, Error as IdbError, OpenDbError, UnexpectedDataError,
};
use thiserror::Error;

use crate::domain::case::FoldError;

/// Why a storage operation failed. Every failed write has left the database unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    /// The browser refuses IndexedDB (private mode, disabled storage, old browser).
    #[error("浏览器不允许本页面使用本地数据库（可能处于无痕模式或禁用了网站数据）。请用普通窗口打开，或在浏览器设置中允许本站保存数据。（{0}）")]
    Unavailable(String),
    /// The database was written by a newer version of the app.
    #[error(
        "本地数据库由更新版本的程序创建，本程序无法打开。请使用最新版本的程序，数据不会丢失。"
    )]
    TooNew,
    /// Another tab holds the database open with an older version.
    #[error("数据库正被本程序的另一个窗口占用，无法升级。请关闭其他打开本程序的窗口或标签页后刷新本页。")]
    Blocked,
    /// The disk or the browser's quota is full.
    #[error("磁盘空间不足，本次内容未保存（已有数据不受影响）。请清理磁盘空间或导出备份后重试。")]
    QuotaExceeded,
    /// An event with this id is already stored (events are never overwritten).
    #[error("该记录已存在，未重复保存。")]
    Duplicate,
    /// The browser aborted the write without naming a cause; a full disk is the usual one.
    #[error("浏览器中止了本次保存，内容未保存（已有数据不受影响）。常见原因是磁盘空间不足：请清理空间后重试。")]
    Aborted,
    /// An online submission imported before.
    #[error("此网上信访件已导入过（案件 {0}），未重复登记")]
    AlreadyImported(String),
    /// A restore into a browser that already holds data.
    #[error("本机已有数据，备份只能恢复到没有数据的浏览器中（例如新电脑或新的浏览器用户）。本次未做任何改动。")]
    NotEmpty,
    /// Stored data that does not parse or fold.
    #[error("本地数据有损坏（{0}），本次操作未执行。请导出备份并联系技术支持。")]
    Corrupt(String),
    /// The connection was closed: another tab opened a newer version of the app.
    #[error("本页与本地数据库的连接已关闭（通常是程序在另一个标签页中更新了），本次操作未执行。请重新加载本页，数据不会丢失。")]
    Closed,
    /// Anything else the browser reported.
    #[error("保存或读取失败（{0}），本次操作未执行，请重试。")]
    Failed(String),
}

impl From<IdbError> for StoreError {
    fn from(e: IdbError) -> Self {
        match &e {
            IdbError::DomException(DomException::ConstraintError(_)) => StoreError::Duplicate,
            IdbError::DomException(d) => match d.name().as_ref() {
                "QuotaExceededError" => StoreError::QuotaExceeded,
                "VersionError" => StoreError::TooNew,
                "ConstraintError" => StoreError::Duplicate,
                // A transaction asked of a connection closed by another tab's upgrade.
                "InvalidStateError" => StoreError::Closed,
                _ => StoreError::Failed(e.to_string()),
            },
            // A quota failure may surface only as an abort at commit, with no error event.
            IdbError::MissingData(UnexpectedDataError::TransactionAborted) => StoreError::Aborted,
            _ => StoreError::Failed(e.to_string()),
        }
    }
}

impl From<OpenDbError> for StoreError {
    fn from(e: OpenDbError) -> Self {
        match e {
            OpenDbError::Base(inner) => match StoreError::from(inner) {
                StoreError::Failed(m) => StoreError::Unavailable(m),
                other => other,
            },
            other => StoreError::Unavailable(other.to_string()),
        }
    }
}

impl From<FoldError> for StoreError {
    fn from(e: FoldError) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<wasm_bindgen::JsValue> for StoreError {
    fn from(e: wasm_bindgen::JsValue) -> Self {
        StoreError::from(IdbError::from(e))
    }
}
