//! The entries of a zip archive (an .xlsx is one), read from its central directory
//! with strict bounds: every offset checked against the file, only stored and deflated
//! entries, no ZIP64, and each entry inflated with a limit so a small hostile file
//! cannot expand into gigabytes.

use thiserror::Error;

/// Why an archive could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ZipError {
    /// Not a zip archive, or a damaged one.
    #[error("文件已损坏或不是 .xlsx 文件（{0}）")]
    Damaged(&'static str),
    /// An entry compressed in a way Excel does not write.
    #[error("文件中有无法读取的压缩方式，请在 Excel 中另存为 .xlsx 后再试")]
    Method,
    /// An entry would expand past the limit.
    #[error("文件解压后过大（超过 {0} MB），请拆分台账后分批导入")]
    TooLarge(usize),
}

/// One entry as the central directory lists it.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    method: u16,
    compressed: usize,
    size: usize,
    local: usize,
}

/// A zip archive opened for reading.
#[derive(Debug)]
pub struct Archive<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
}

// Offsets come from the file: added with a check, as `usize` is 32 bits in wasm.
fn u16_at(b: &[u8], at: usize) -> Result<u16, ZipError> {
    at.checked_add(2)
        .and_then(|end| b.get(at..end))
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or(ZipError::Damaged("越界"))
}

fn u32_at(b: &[u8], at: usize) -> Result<usize, ZipError> {
    at.checked_add(4)
        .and_then(|end| b.get(at..end))
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or(ZipError::Damaged("越界"))
}

const END: usize = 0x0605_4b50;
const CENTRAL: usize = 0x0201_4b50;
const LOCAL: usize = 0x0403_4b50;
/// The end record is 22 bytes followed by a comment of at most 65,535.
const END_SEARCH: usize = 22 + 65_535;
/// Entries an .xlsx has (a workbook of a few sheets has a dozen or two).
const MAX_ENTRIES: usize = 10_000;

impl<'a> Archive<'a> {
    /// Reads the central directory of `bytes`.
    pub fn open(bytes: &'a [u8]) -> Result<Archive<'a>, ZipError> {
        if bytes.len() < 22 {
            return Err(ZipError::Damaged("太短"));
        }
        let from = bytes.len().saturating_sub(END_SEARCH);
        let end = (from..=bytes.len() - 22)
            .rev()
            .find(|&i| u32_at(bytes, i).ok() == Some(END))
            .ok_or(ZipError::Damaged("没有目录"))?;
        let count = usize::from(u16_at(bytes, end + 10)?);
        let mut at = u32_at(bytes, end + 16)?;
        if count == 0xFFFF || at == 0xFFFF_FFFF {
            return Err(ZipError::Damaged("ZIP64"));
        }
        if count > MAX_ENTRIES {
            return Err(ZipError::Damaged("条目过多"));
        }
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            if u32_at(bytes, at)? != CENTRAL {
                return Err(ZipError::Damaged("目录损坏"));
            }
            // `at` is inside the file here (its signature was read), so these cannot overflow.
            let name_len = usize::from(u16_at(bytes, at + 28)?);
            let skip = usize::from(u16_at(bytes, at + 30)?) + usize::from(u16_at(bytes, at + 32)?);
            let name = bytes
                .get(at + 46..at + 46 + name_len)
                .ok_or(ZipError::Damaged("越界"))?;
            entries.push(Entry {
                name: String::from_utf8_lossy(name).into_owned(),
                method: u16_at(bytes, at + 10)?,
                compressed: u32_at(bytes, at + 20)?,
                size: u32_at(bytes, at + 24)?,
                local: u32_at(bytes, at + 42)?,
            });
            at += 46 + name_len + skip;
        }
        Ok(Archive { bytes, entries })
    }

    /// Whether the archive holds an entry of this name.
    pub fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.name == name)
    }

    /// The names of the entries, in the directory's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.name.as_str())
    }

    /// The bytes of entry `name` (`None` when absent), at most `limit` once expanded.
    pub fn read(&self, name: &str, limit: usize) -> Result<Option<Vec<u8>>, ZipError> {
        let Some(e) = self.entries.iter().find(|e| e.name == name) else {
            return Ok(None);
        };
        let too_large = ZipError::TooLarge(limit / 1_000_000);
        if e.size > limit {
            return Err(too_large);
        }
        if u32_at(self.bytes, e.local)? != LOCAL {
            return Err(ZipError::Damaged("条目损坏"));
        }
        let data = e.local
            + 30
            + usize::from(u16_at(self.bytes, e.local + 26)?)
            + usize::from(u16_at(self.bytes, e.local + 28)?);
        let raw = self
            .bytes
            .get(data..data.saturating_add(e.compressed))
            .ok_or(ZipError::Damaged("越界"))?;
        match e.method {
            0 => Ok(Some(raw.to_vec())),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(raw, limit)
                .map(Some)
                .map_err(|err| match err.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => too_large,
                    _ => ZipError::Damaged("解压失败"),
                }),
            _ => Err(ZipError::Method),
        }
    }
}
