//! A backup file's records: the lines of a file read slice by slice, so a county's
//! hundreds of megabytes are checked a volume at a time.

use super::error::{BundleError, MAX_BUNDLE_BYTES};

/// Splits a backup file, read slice by slice, into its records: one volume per line;
/// a file whose first line is a lone `{` is an older backup, one pretty-printed bundle,
/// and is one record. No record may pass [`MAX_BUNDLE_BYTES`].
#[derive(Debug, Default)]
pub struct Records {
    buf: Vec<u8>,
    /// Bytes of `buf` already searched for a line feed.
    scanned: usize,
    /// Whether the file is one pretty-printed bundle; unknown until the first line ends.
    whole: Option<bool>,
}

impl Records {
    /// Takes the next slice of the file; returns the records it completes.
    pub fn push(&mut self, slice: &[u8]) -> Result<Vec<Vec<u8>>, BundleError> {
        self.buf.extend_from_slice(slice);
        if self.whole.is_none() {
            if let Some(end) = memchr::memchr(b'\n', &self.buf) {
                self.whole = Some(self.buf[..end].trim_ascii() == b"{");
            }
        }
        let mut out = Vec::new();
        if self.whole == Some(false) {
            let mut from = 0;
            while let Some(i) = memchr::memchr(b'\n', &self.buf[self.scanned..]) {
                let end = self.scanned + i;
                let line = self.buf[from..end].trim_ascii();
                if !line.is_empty() {
                    out.push(line.to_vec());
                }
                from = end + 1;
                self.scanned = from;
            }
            self.buf.drain(..from);
            self.scanned = self.buf.len();
        }
        if self.buf.len() > MAX_BUNDLE_BYTES {
            return Err(BundleError::TooLarge(self.buf.len() / (1024 * 1024)));
        }
        Ok(out)
    }

    /// The last record, at the end of the file.
    pub fn finish(self) -> Option<Vec<u8>> {
        let rest = self.buf.trim_ascii();
        (!rest.is_empty()).then(|| rest.to_vec())
    }

    /// Every record of a whole file held in memory.
    pub fn all(bytes: &[u8]) -> Result<Vec<Vec<u8>>, BundleError> {
        let mut r = Records::default();
        let mut out = r.push(bytes)?;
        out.extend(r.finish());
        Ok(out)
    }
}
