//! A volume's ciphertext as base64 pieces: one AEAD output, split so that no JSON string
//! passes the strict profile's longest string, however many cases (or attachments) the
//! volume holds. Volumes written before the split carry one string; both read the same.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Ciphertext bytes per piece: a multiple of 3, so every piece but the last is base64
/// without padding, and 4 MiB of text, half the strict profile's longest string.
pub const PIECE_BYTES: usize = 3 << 20;

/// The ciphertext of one volume, as written (pieces) or as older builds wrote it (one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Pieces {
    /// Base64 of consecutive slices of the ciphertext, at most [`PIECE_BYTES`] each.
    Split(Vec<String>),
    /// The whole ciphertext as one base64 string (volumes written before the split).
    One(String),
}

impl Pieces {
    /// Splits `ciphertext` into pieces.
    pub fn of(ciphertext: &[u8]) -> Pieces {
        let slices: Vec<&[u8]> = match ciphertext.is_empty() {
            true => vec![&[]],
            false => ciphertext.chunks(PIECE_BYTES).collect(),
        };
        Pieces::Split(slices.into_iter().map(|s| B64.encode(s)).collect())
    }

    /// The ciphertext again; `None` when a piece is not base64.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            Pieces::One(s) => B64.decode(s).ok(),
            Pieces::Split(pieces) => {
                let mut out = Vec::new();
                for p in pieces {
                    out.extend(B64.decode(p).ok()?);
                }
                Some(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_stay_short_and_join_back() {
        let big: Vec<u8> = (0..(2 * PIECE_BYTES + 5))
            .map(|i| (i % 251) as u8)
            .collect();
        let p = Pieces::of(&big);
        let Pieces::Split(list) = &p else {
            panic!("written as pieces")
        };
        assert_eq!(list.len(), 3);
        assert!(list
            .iter()
            .all(|s| s.len() <= crate::exchange::strict::MAX_STRING_BYTES / 2));
        assert_eq!(p.bytes(), Some(big.clone()));
        // What older builds wrote still reads.
        let one: Pieces = serde_json::from_str(&format!("\"{}\"", B64.encode(&big))).unwrap();
        assert_eq!(one.bytes(), Some(big));
        assert_eq!(Pieces::of(&[]).bytes(), Some(Vec::new()));
        assert_eq!(Pieces::Split(vec!["不是".into()]).bytes(), None);
    }
}
