//! Verifying an import file off the page's thread. A module worker
//! (`public/verify-worker.js`) starts this same wasm module, runs [`verify_transfer`],
//! and hands back the parts of [`hand_over`]; the page reads them back between frames,
//! so a county-size file never holds the page for seconds. Where no worker can start (a
//! page opened from a file on disk) the page verifies in place, as before.

use gloo_events::EventListener;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::clock::yield_now;
use super::page::single_file;
use crate::exchange::authors::Share;
use crate::exchange::handover::{hand_over, HandoverReader, HANDOVER_EVENTS};
use crate::exchange::read::{read_share, Contents};
use crate::exchange::recipient::Decryptor;
use crate::exchange::transfer::VerifiedTransfer;

/// Worker side: verifies `bytes` as a bundle and decrypts a transfer with the unit's
/// decryption key `secret` (handed over by the page that opened it), checking share
/// `index` of `of` of the events' own signatures (`exchange::authors::Share`). Share 0
/// answers `["transfer", header, parts…]`; the others `["verified"]`; any share
/// `["refused", message]`, or `["other"]` for any other kind of file (the page reads
/// those itself: they are small). The office build exports it to the worker
/// (`main.rs`); the citizens' build leaves it, and the reader behind it, out.
pub fn verify_transfer(bytes: &[u8], secret: &[u8], index: u32, of: u32) -> Array {
    let answer = |items: &[&str]| items.iter().map(|s| JsValue::from_str(s)).collect();
    let Some(me) = Decryptor::from_bytes(secret) else {
        return answer(&["failed", "no key"]);
    };
    let Some(share) = Share::new(index as usize, of as usize) else {
        return answer(&["failed", "no such share"]);
    };
    match read_share(bytes, &me, share) {
        Ok((_, Contents::Transfer { .. })) if share.index() > 0 => answer(&["verified"]),
        Ok((opened, Contents::Transfer { transfer, events })) => {
            let v = VerifiedTransfer::of(opened.signer, transfer, events, bytes);
            match hand_over(&v, HANDOVER_EVENTS) {
                Ok(parts) => std::iter::once(JsValue::from_str("transfer"))
                    .chain(parts.iter().map(|p| JsValue::from_str(p)))
                    .collect(),
                Err(e) => answer(&["refused", &e.to_string()]),
            }
        }
        Ok(_) => answer(&["other"]),
        Err(e) => answer(&["refused", &e.to_string()]),
    }
}

/// What the worker found.
pub enum Verdict {
    /// A verified transfer.
    Transfer(Box<VerifiedTransfer>),
    /// Refused, with the reason in Chinese.
    Refused(String),
    /// Another kind of file: read it in the page.
    Other,
}

/// Verifies `bytes` in workers; `None` when no worker could do it (then verify in the
/// page). `progress(done, total)` follows the parts read back.
pub async fn verify(
    bytes: &[u8],
    me: &Decryptor,
    mut progress: impl FnMut(usize, usize),
) -> Option<Verdict> {
    // One worker per core, up to two: each reads the whole file (the same wall time as
    // one) and verifies its share of the events' signatures, most of a county's file.
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    let of = if cores >= 2.0 { 2 } else { 1 };
    // Every worker is sent its message before any answer is awaited.
    let started: Vec<Started> = Share::split(of)
        .map(|share| Started::new(bytes, me, share))
        .collect::<Option<_>>()?;
    let mut answers = Vec::with_capacity(started.len());
    for s in started {
        answers.push(s.answer().await?);
    }
    let kind = |a: &Array| a.get(0).as_string().unwrap_or_default();
    let answer = &answers[0];
    match kind(answer).as_str() {
        "transfer" => {
            // Every other share must have verified its signatures too.
            for other in &answers[1..] {
                match kind(other).as_str() {
                    "verified" => {}
                    "refused" => return Some(Verdict::Refused(other.get(1).as_string()?)),
                    _ => return None,
                }
            }
            let text = |i: u32| answer.get(i).as_string().unwrap_or_default();
            let mut reader = match HandoverReader::start(&text(1)) {
                Ok(r) => r,
                Err(e) => return Some(Verdict::Refused(e.to_string())),
            };
            let total = reader.parts();
            for i in 0..total {
                // One part per task: the page paints and answers clicks in between.
                yield_now().await;
                if let Err(e) = reader.read(&text(2 + i as u32)) {
                    return Some(Verdict::Refused(e.to_string()));
                }
                progress(i + 1, total);
            }
            Some(match reader.finish(answer.length() as usize - 2) {
                Ok(v) => Verdict::Transfer(Box::new(v)),
                Err(e) => Verdict::Refused(e.to_string()),
            })
        }
        "refused" => Some(Verdict::Refused(answer.get(1).as_string()?)),
        "other" => Some(Verdict::Other),
        // "failed": the worker could not load the app (then the page verifies).
        _ => None,
    }
}

/// A worker sent a file to verify, until it answers; dropped, it is stopped.
struct Started {
    worker: Worker,
    answer: Promise,
    // Removed when dropped, whichever way the worker answers.
    _listeners: Vec<EventListener>,
}

impl Started {
    /// Starts a worker, hands it the app's own compiled module, a copy of `bytes`, our
    /// decryption key (a structured clone to a worker of this same page) and its
    /// `share`; `None` if it cannot start.
    fn new(bytes: &[u8], me: &Decryptor, share: Share) -> Option<Started> {
        if single_file() {
            // No separate files to load a worker from.
            return None;
        }
        let doc = web_sys::window()?.document()?;
        let base = doc.base_uri().ok()??;
        let glue = doc
            .query_selector("script[data-js]")
            .ok()??
            .get_attribute("data-js")?;
        let glue = web_sys::Url::new_with_base(&glue, &base).ok()?.href();
        let script = web_sys::Url::new_with_base("verify-worker.js", &base)
            .ok()?
            .href();
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&script, &options).ok()?;
        let mut listeners = Vec::new();
        let answer = Promise::new(&mut |resolve, reject| {
            listeners.push(EventListener::once(&worker, "message", move |e| {
                let data = e
                    .dyn_ref::<MessageEvent>()
                    .map_or(JsValue::NULL, MessageEvent::data);
                let _ = resolve.call1(&JsValue::NULL, &data);
            }));
            listeners.push(EventListener::once(&worker, "error", move |e| {
                let _ = reject.call1(&JsValue::NULL, e);
            }));
        });
        let started = Started {
            worker,
            answer,
            _listeners: listeners,
        };
        let data = Uint8Array::from(bytes);
        let message = Object::new();
        for (k, v) in [
            ("js", JsValue::from_str(&glue)),
            ("module", wasm_bindgen::module()),
            ("bytes", data.buffer().into()),
            ("secret", Uint8Array::from(&me.to_bytes()[..]).into()),
            ("share", JsValue::from(share.index() as u32)),
            ("of", JsValue::from(share.of() as u32)),
        ] {
            Reflect::set(&message, &JsValue::from_str(k), &v).ok()?;
        }
        // Each worker's copy of the file moves to it rather than being copied again.
        started
            .worker
            .post_message_with_transfer(&message, &Array::of1(&data.buffer()))
            .ok()?;
        Some(started)
    }

    /// Its answer; `None` if it failed.
    async fn answer(self) -> Option<Array> {
        let v = JsFuture::from(self.answer.clone()).await.ok()?;
        Some(Array::from(&v))
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
