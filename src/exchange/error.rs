//! Why a file was refused, in words the person at the desk can act on. Nothing from a
//! refused file is ever stored.

use thiserror::Error;

use crate::domain::authorship::AuthorshipError;

/// Largest file accepted, in bytes: a bigger one is refused unread.
pub const MAX_BUNDLE_BYTES: usize = 200 * 1024 * 1024;

/// Why a bundle was refused. Nothing from a refused bundle is ever stored.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BundleError {
    /// Bigger than [`MAX_BUNDLE_BYTES`].
    #[error("文件过大（{0} MB），超过 {max} MB 上限，未导入", max = MAX_BUNDLE_BYTES >> 20)]
    TooLarge(usize),
    /// Not UTF-8 text.
    #[error("文件不是 UTF-8 文本，不是本程序导出的文件")]
    NotUtf8,
    /// Not well-formed JSON (or truncated).
    #[error("文件内容不完整或不是 JSON（{0}），可能在传输中损坏，请向发送方重新索取")]
    NotJson(String),
    /// A key repeated within one object.
    #[error("文件中出现重复的字段“{0}”，可能被篡改，未导入")]
    DuplicateKey(String),
    /// A fraction or exponent.
    #[error("文件中含有小数，本格式不允许，可能被篡改，未导入")]
    Float,
    /// An integer beyond ±2^53.
    #[error("文件中含有超出范围的整数，可能被篡改，未导入")]
    BigInteger,
    /// A string over the limit.
    #[error("文件中含有过长的文本，未导入")]
    StringTooLong,
    /// More values than any real bundle holds.
    #[error("文件中的数据项数量超出上限，不是正常的交换文件，未导入")]
    TooManyValues,
    /// Not a bundle of this app.
    #[error("不是本程序的交换文件（格式标识不符）")]
    UnknownFormat,
    /// Made by a newer version of the app.
    #[error("此文件由更新版本的程序生成（格式版本 {0}），请升级本程序后再导入")]
    NewerVersion(u64),
    /// A kind of bundle this build does not know, or not the kind expected here.
    #[error("文件类型不符：{0}")]
    WrongType(String),
    /// A required field is missing or malformed.
    #[error("文件缺少或写错了字段“{0}”，未导入")]
    Malformed(String),
    /// A top-level field outside the format: it would not be covered by the signature.
    #[error("文件含有格式之外的字段“{0}”，未导入")]
    UnknownField(String),
    /// No signature, or more than one.
    #[error("文件没有有效的签名，无法确认发送方，未导入")]
    Unsigned,
    /// The key id does not belong to the key.
    #[error("签名的密钥标识与公钥不符，可能被篡改，未导入")]
    KeyIdMismatch,
    /// The signature does not verify.
    #[error(
        "签名验证失败：文件内容在签名后被改动过，或签名不属于此文件，未导入。请向发送方重新索取"
    )]
    BadSignature,
    /// An event id seen before with different content.
    #[error("文件中的记录与本机已有的同一记录内容不同（{0}），可能被篡改，整个文件未导入")]
    Tampered(String),
    /// Events that do not make a case.
    #[error("文件中的案件记录不完整：{0}")]
    InvalidCase(String),
    /// Events that do not make a register entry.
    #[error("文件中的排查事项记录不完整：{0}")]
    InvalidItem(String),
    /// A file whose signing key is not trusted here.
    #[error(
        "签名者（密钥指纹 {0}）不在本单位的信任名单中：请先与对方电话核对指纹并信任其名片，再导入"
    )]
    Untrusted(String),
    /// The sender named in the file is not the unit whose key signed it.
    #[error("文件自称来自“{claimed}”，但签名属于已信任的“{signer}”，可能被冒用，未导入")]
    SenderMismatch {
        /// The sender the payload names.
        claimed: String,
        /// The trusted unit the key belongs to.
        signer: String,
    },
    /// A reply not signed by the office the citizen's page is configured for.
    #[error("此答复不是受理单位签发的（签名指纹 {0}），可能是伪造的，未导入")]
    NotFromOffice(String),
    /// A reply for a 查询码 this page never submitted.
    #[error("此答复对应的查询码 {0} 不是在本页面提交的信访件")]
    UnknownQueryCode(String),
    /// Feedback not signed by the key that submitted the petition.
    #[error("此文件不是由提交该信访件的信访人签名的，未导入")]
    NotSubmitter,
    /// New events a file may not bring (a second registration, the importer's own name,
    /// a date in the future or before the case, a correction by another unit).
    #[error(transparent)]
    Authorship(#[from] AuthorshipError),
    /// The transfer is addressed to another unit.
    #[error("此文件是发给“{0}”的，不是本单位，未导入")]
    WrongAddressee(String),
    /// Encrypted to a key other than ours: only its recipient can read it.
    #[error("此文件是加密发给{0}的，本单位的密钥无法解密，未导入。请确认文件是发给本单位的；若本单位更换过密钥，请让对方用新名片重新发送")]
    NotOurKey(String),
    /// The ciphertext does not open: changed after it was made, or made for another
    /// sender than the one who signed it.
    #[error("文件的加密内容无法解开：可能在传输中损坏或被改动，未导入。请向发送方重新索取")]
    Undecryptable,
    /// A file of the encrypted format version whose content is in clear, or the other
    /// way round.
    #[error("文件的加密方式与其格式版本不符，可能被篡改，未导入")]
    SealMismatch,
    /// An online case whose submission carried no key to encrypt the reply to.
    #[error("该网上信访件由旧版本的信访页面提交，没有信访人的加密公钥，不能生成加密答复文件。请以书面方式送达答复")]
    CitizenWithoutKey,
    /// An event whose author's signature does not verify: changed after its author
    /// signed it (by a relay, or on the way).
    #[error("文件中{case_no}有一条“{author}”写入的记录与其作者的签名不符：该记录在作者签名后被改动过，整个文件未导入。请向发送方和该单位核实")]
    EventSignature {
        /// The case or entry, as the message names it (“案件 …”, “排查事项“…””).
        case_no: String,
        /// The unit the event names as its author.
        author: String,
    },
    /// An event the sender wrote that the sender did not sign with the file's key.
    #[error("文件中{case_no}有发送方“{sender}”自己写入的记录，却没有发送方的签名，可能被篡改，整个文件未导入")]
    SenderUnsigned {
        /// The case or entry, as the message names it (“案件 …”, “排查事项“…””).
        case_no: String,
        /// The sender.
        sender: String,
    },
    /// An event signed by a key trusted here for another unit than the one it names.
    #[error("文件中{case_no}有一条记录署名“{author}”，签名却属于已信任的“{signer}”，可能被冒用，整个文件未导入")]
    AuthorMismatch {
        /// The case or entry, as the message names it (“案件 …”, “排查事项“…””).
        case_no: String,
        /// The unit the event names.
        author: String,
        /// The trusted unit the signing key belongs to.
        signer: String,
    },
    /// The recipient's card carries no encryption key (made before files were encrypted).
    #[error("“{0}”的名片是旧版本，没有加密公钥，不能向其发送加密文件。请对方升级程序后重新发送单位名片，在“交换”中导入后再发送")]
    NoEncryptionKey(String),
}

impl BundleError {
    pub(crate) fn from_json(e: &serde_json::Error) -> BundleError {
        // Our visitor's own refusals travel through serde_json as custom messages.
        let msg = e.to_string();
        for known in [
            BundleError::Float,
            BundleError::BigInteger,
            BundleError::StringTooLong,
            BundleError::TooManyValues,
        ] {
            if msg.starts_with(&known.to_string()) {
                return known;
            }
        }
        if let Some(rest) = msg.strip_prefix("文件中出现重复的字段“") {
            if let Some(key) = rest.split('”').next() {
                return BundleError::DuplicateKey(key.to_owned());
            }
        }
        BundleError::NotJson(format!("第 {} 行第 {} 列", e.line(), e.column()))
    }
}
