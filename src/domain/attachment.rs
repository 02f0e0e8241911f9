//! Photos and PDFs a petitioner attaches: what is accepted and how much, so the
//! citizen's page, the office and the signed file apply the same limits.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Largest single attachment, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// Largest total of a submission's attachments, in bytes.
pub const MAX_ATTACHMENTS_BYTES: usize = 20 * 1024 * 1024;
/// Most attachments per submission.
pub const MAX_ATTACHMENTS: usize = 10;
/// Media types accepted as attachments: photos and PDF.
pub const ATTACHMENT_TYPES: [&str; 3] = ["image/jpeg", "image/png", "application/pdf"];

/// A file attached to a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attachment {
    /// File name as the citizen chose it.
    pub name: String,
    /// One of [`ATTACHMENT_TYPES`].
    pub media_type: String,
    /// Standard base64 of the bytes.
    pub data: String,
}

/// Why an attachment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// Not a photo or PDF.
    #[error("“{0}”不是照片（JPEG、PNG）或 PDF 文件，不能作为附件")]
    Type(String),
    /// Over the per-file limit.
    #[error("“{0}”超过单个附件 {mb} MB 的上限", mb = MAX_ATTACHMENT_BYTES >> 20)]
    TooLarge(String),
    /// Over the total or count limit.
    #[error(
        "附件总量超过上限（最多 {} 个，合计 {} MB）",
        MAX_ATTACHMENTS,
        MAX_ATTACHMENTS_BYTES >> 20
    )]
    TooMany,
}

/// Adds a file to the attachments, checking type, size and totals.
pub fn attach(
    list: &mut Vec<Attachment>,
    name: &str,
    media_type: &str,
    bytes: &[u8],
) -> Result<(), AttachmentError> {
    if !ATTACHMENT_TYPES.contains(&media_type) {
        return Err(AttachmentError::Type(name.to_owned()));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooLarge(name.to_owned()));
    }
    let total: usize = list.iter().map(Attachment::size).sum::<usize>() + bytes.len();
    if list.len() >= MAX_ATTACHMENTS || total > MAX_ATTACHMENTS_BYTES {
        return Err(AttachmentError::TooMany);
    }
    list.push(Attachment {
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        data: B64.encode(bytes),
    });
    Ok(())
}

impl Attachment {
    /// The file's bytes (empty if the data is damaged; a received submission is checked on reading).
    pub fn bytes(&self) -> Vec<u8> {
        B64.decode(&self.data).unwrap_or_default()
    }

    /// Size of the file in bytes.
    pub fn size(&self) -> usize {
        self.data.len() / 4 * 3 - self.data.bytes().rev().take_while(|b| *b == b'=').count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_limits() {
        let mut list = Vec::new();
        assert!(matches!(
            attach(&mut list, "a.exe", "application/x-msdownload", b"MZ"),
            Err(AttachmentError::Type(_))
        ));
        assert!(matches!(
            attach(
                &mut list,
                "big.jpg",
                "image/jpeg",
                &vec![0; MAX_ATTACHMENT_BYTES + 1]
            ),
            Err(AttachmentError::TooLarge(_))
        ));
        for i in 0..MAX_ATTACHMENTS {
            attach(&mut list, &format!("{i}.pdf"), "application/pdf", b"%PDF").unwrap();
        }
        assert_eq!(
            attach(&mut list, "one-more.pdf", "application/pdf", b"%PDF"),
            Err(AttachmentError::TooMany)
        );
    }
}
