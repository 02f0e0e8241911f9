//! A ledger file's bytes as rows: an .xlsx by its zip signature, else text (CSV or
//! tab-separated) in UTF-8 (with or without a byte-order mark), UTF-16 with its mark
//! (Excel's "Unicode text"), or GB18030 — what Chinese Excel writes as "CSV". GB18030 is
//! decoded by the caller (the browser has the decoder; a Rust table would add a large
//! part of the download), only after UTF-8 has been ruled out strictly.

use super::csv::parse_csv;
use super::xlsx::read_xlsx;
use super::LedgerError;

/// The largest ledger file read (a county's several years are a few megabytes).
pub const MAX_FILE_BYTES: usize = 50_000_000;

/// The text encodings a ledger comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, little-endian, with its mark.
    Utf16Le,
    /// UTF-16, big-endian, with its mark.
    Utf16Be,
    /// GB18030 (and its subsets GBK and GB2312).
    Gb18030,
}

/// The encoding of a text file: its byte-order mark, else strict UTF-8, else GB18030.
pub fn encoding_of(bytes: &[u8]) -> Encoding {
    match bytes {
        [0xFF, 0xFE, ..] => Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => Encoding::Utf16Be,
        _ if std::str::from_utf8(bytes).is_ok() => Encoding::Utf8,
        _ => Encoding::Gb18030,
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| unit([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).ok()
}

/// The text of a text file; `gb18030` decodes GB18030 strictly (`None`: not valid).
pub fn decode_text(
    bytes: &[u8],
    gb18030: impl FnOnce(&[u8]) -> Option<String>,
) -> Result<String, LedgerError> {
    let text = match encoding_of(bytes) {
        Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Encoding::Utf16Le => utf16(bytes, u16::from_le_bytes),
        Encoding::Utf16Be => utf16(bytes, u16::from_be_bytes),
        Encoding::Gb18030 => gb18030(bytes),
    };
    let text = text.ok_or(LedgerError::NotText)?;
    // Binary files decode as something; a NUL never appears in a ledger's text.
    if text.contains('\0') {
        return Err(LedgerError::NotText);
    }
    Ok(text)
}

/// Text rows: tab-separated when the first line has tabs and no commas, else CSV.
fn text_rows(text: &str) -> Vec<Vec<String>> {
    let first = text.lines().next().unwrap_or("");
    if first.contains('\t') && !first.contains(',') {
        text.lines()
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .collect()
    } else {
        parse_csv(text)
    }
}

/// The rows of a ledger file of any kind the app reads.
pub fn read_rows(
    bytes: &[u8],
    gb18030: impl FnOnce(&[u8]) -> Option<String>,
) -> Result<Vec<Vec<String>>, LedgerError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LedgerError::TooLarge);
    }
    match bytes {
        [b'P', b'K', 3, 4, ..] => Ok(read_xlsx(bytes)?),
        // The compound file of Excel 97–2003 (.xls).
        [0xD0, 0xCF, 0x11, 0xE0, ..] => Err(LedgerError::OldExcel),
        _ => Ok(text_rows(
            decode_text(bytes, gb18030)?.trim_start_matches('\u{feff}'),
        )),
    }
}
