//! Handing a verified transfer from the worker that checked it to the page: JSON parts
//! the page reads back one per task, so a county's file never holds the page.

use serde::{Deserialize, Serialize};

use super::authors::signatures_of;
use super::envelope::PublicKey;
use super::error::BundleError;
use super::transfer::{Transfer, VerifiedTransfer};
use super::wire::EventSignature;
use crate::domain::event::Event;

/// Events per part when a verified transfer is handed from a worker to the page: each
/// part is read back in well under a frame budget's multiple, so the page stays usable.
pub const HANDOVER_EVENTS: usize = 2_000;

/// The header part of a handover.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct HandoverHeader {
    signer: String,
    /// The transfer without its cases (they follow as events); its items stay.
    transfer: Transfer,
    file: String,
    parts: usize,
}

/// An event in a part, with its author's signature when it carries one.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Carried {
    event: Event,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<EventSignature>,
}

/// A verified transfer as JSON parts: the header, then its events `per_part` at a time
/// (the page uses [`HANDOVER_EVENTS`]). A worker verifies a file and hands these to
/// the page, which reads them back part by part ([`HandoverReader`]) between frames.
pub fn hand_over(v: &VerifiedTransfer, per_part: usize) -> Result<Vec<String>, BundleError> {
    let json = |r: serde_json::Result<String>| r.map_err(|e| BundleError::Malformed(e.to_string()));
    let chunks: Vec<&[Event]> = v.events.chunks(per_part.max(1)).collect();
    let header = HandoverHeader {
        signer: v.signer.to_base64(),
        transfer: Transfer {
            cases: Vec::new(),
            ..v.transfer.clone()
        },
        file: v.file.clone(),
        parts: chunks.len(),
    };
    let mut out = vec![json(serde_json::to_string(&header))?];
    for c in chunks {
        let part: Vec<Carried> = c
            .iter()
            .map(|e| Carried {
                event: e.clone(),
                signature: v.signatures.get(&e.id).cloned(),
            })
            .collect();
        out.push(json(serde_json::to_string(&part))?);
    }
    Ok(out)
}

/// Reads a handover back: the header first, then each part of events in turn.
pub struct HandoverReader {
    verified: VerifiedTransfer,
    parts: usize,
}

impl HandoverReader {
    /// Reads the header part.
    pub fn start(header: &str) -> Result<HandoverReader, BundleError> {
        let malformed = |e: String| BundleError::Malformed(format!("handover: {e}"));
        let h: HandoverHeader =
            serde_json::from_str(header).map_err(|e| malformed(e.to_string()))?;
        let signer = PublicKey::from_base64(&h.signer).ok_or_else(|| malformed("signer".into()))?;
        // The items travel in the header, with their signatures.
        let signatures = signatures_of(&h.transfer.items);
        Ok(HandoverReader {
            verified: VerifiedTransfer {
                signer,
                transfer: h.transfer,
                events: Vec::new(),
                file: h.file,
                signatures,
            },
            parts: h.parts,
        })
    }

    /// How many parts of events follow the header.
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// Reads one part of events.
    pub fn read(&mut self, part: &str) -> Result<(), BundleError> {
        let part: Vec<Carried> = serde_json::from_str(part)
            .map_err(|e| BundleError::Malformed(format!("handover: {e}")))?;
        for c in part {
            if let Some(s) = c.signature {
                self.verified.signatures.insert(c.event.id.clone(), s);
            }
            self.verified.events.push(c.event);
        }
        Ok(())
    }

    /// The transfer, once every part has been read.
    pub fn finish(self, read: usize) -> Result<VerifiedTransfer, BundleError> {
        if read != self.parts {
            return Err(BundleError::Malformed(format!(
                "handover: {read} of {} parts",
                self.parts
            )));
        }
        Ok(self.verified)
    }
}
