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
    /// The bytes are not what the declared type says (e.g. a web page called a photo).
    #[error("“{0}”的内容与其文件类型不符（不是真正的 JPEG、PNG 或 PDF 文件），不能作为附件")]
    Mislabelled(String),
    /// Over the total or count limit.
    #[error(
        "附件总量超过上限（最多 {} 个，合计 {} MB）",
        MAX_ATTACHMENTS,
        MAX_ATTACHMENTS_BYTES >> 20
    )]
    TooMany,
}

/// Checks one attachment as received (inside a submission or a transfer): an accepted
/// type, within the size limit, well-formed base64, bytes of the type it claims.
pub fn check(a: &Attachment) -> Result<(), AttachmentError> {
    if !ATTACHMENT_TYPES.contains(&a.media_type.as_str()) {
        return Err(AttachmentError::Type(a.name.clone()));
    }
    if a.data.len() > MAX_ATTACHMENT_BYTES / 3 * 4 + 4 {
        return Err(AttachmentError::TooLarge(a.name.clone()));
    }
    match B64.decode(&a.data) {
        Ok(bytes) if bytes_are(&a.media_type, &bytes) => Ok(()),
        _ => Err(AttachmentError::Mislabelled(a.name.clone())),
    }
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
    if !bytes_are(media_type, bytes) {
        return Err(AttachmentError::Mislabelled(name.to_owned()));
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

/// The first bytes each accepted type starts with: a file is what its bytes say, never
/// what its name or declared type claims.
const MAGIC: [(&str, &[u8], &str); 3] = [
    ("image/jpeg", b"\xFF\xD8\xFF", "jpg"),
    ("image/png", b"\x89PNG\r\n\x1A\n", "png"),
    ("application/pdf", b"%PDF-", "pdf"),
];

/// Whether `bytes` start as a file of `media_type` does.
pub fn bytes_are(media_type: &str, bytes: &[u8]) -> bool {
    MAGIC
        .iter()
        .any(|(t, magic, _)| *t == media_type && bytes.starts_with(magic))
}

impl Attachment {
    /// The name it is stored and downloaded under: `<案号>-附件<n>.<ext>` from the case
    /// number, its place (1-based) and its checked type, never the sender's file name.
    pub fn safe_name(&self, case_no: &str, n: usize) -> String {
        let ext = MAGIC
            .iter()
            .find(|(t, _, _)| *t == self.media_type)
            .map_or("bin", |(_, _, e)| e);
        let case: String = case_no
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        format!("{case}-附件{n}.{ext}")
    }

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
                &[b"\xFF\xD8\xFF".as_slice(), &vec![0; MAX_ATTACHMENT_BYTES]].concat()
            ),
            Err(AttachmentError::TooLarge(_))
        ));
        for i in 0..MAX_ATTACHMENTS {
            attach(
                &mut list,
                &format!("{i}.pdf"),
                "application/pdf",
                b"%PDF-1.7",
            )
            .unwrap();
        }
        assert_eq!(
            attach(&mut list, "one-more.pdf", "application/pdf", b"%PDF-1.7"),
            Err(AttachmentError::TooMany)
        );
    }

    #[test]
    fn the_bytes_must_be_what_the_type_says() {
        let mut list = Vec::new();
        let html = b"<html><script>alert(1)</script></html>";
        assert_eq!(
            attach(&mut list, "photo.png", "image/png", html),
            Err(AttachmentError::Mislabelled("photo.png".into()))
        );
        assert!(matches!(
            attach(&mut list, "scan.pdf", "image/jpeg", b"%PDF-1.4"),
            Err(AttachmentError::Mislabelled(_))
        ));
        assert!(list.is_empty(), "nothing refused is kept");
        let forged = Attachment {
            name: "photo.png".into(),
            media_type: "image/png".into(),
            data: B64.encode(html),
        };
        assert!(matches!(
            check(&forged),
            Err(AttachmentError::Mislabelled(_))
        ));
        attach(
            &mut list,
            "../../evil.exe.png",
            "image/png",
            b"\x89PNG\r\n\x1A\n...",
        )
        .unwrap();
        attach(&mut list, "x", "image/jpeg", b"\xFF\xD8\xFF\xE0").unwrap();
        assert_eq!(check(&list[0]), Ok(()));
        assert_eq!(
            list[0].safe_name("XF01-2026-00042", 1),
            "XF01-2026-00042-附件1.png"
        );
        assert_eq!(
            list[1].safe_name("XF01-2026-00042", 2),
            "XF01-2026-00042-附件2.jpg"
        );
        // A number with anything but letters, digits and dashes loses it.
        assert_eq!(list[0].safe_name("../XF01 2026", 3), "XF012026-附件3.png");
    }
}
