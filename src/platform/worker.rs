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
use crate::exchange::handover::{hand_over, HandoverReader, HANDOVER_EVENTS};
use crate::exchange::read::{read, Contents};
use crate::exchange::recipient::Decryptor;
use crate::exchange::transfer::VerifiedTransfer;

/// Worker side: verifies `bytes` as a bundle and decrypts a transfer with the unit's
/// decryption key `secret` (handed over by the page that opened it). Answers
/// `["transfer", header, parts…]`, `["refused", message]`, or `["other"]` for any other
/// kind of file (the page reads those itself: they are small). The office build exports
/// it to the worker (`main.rs`); the citizens' build leaves it, and the reader behind
/// it, out.
pub fn verify_transfer(bytes: &[u8], secret: &[u8]) -> Array {
    let answer = |items: &[&str]| items.iter().map(|s| JsValue::from_str(s)).collect();
    let Some(me) = Decryptor::from_bytes(secret) else {
        return answer(&["failed", "no key"]);
    };
    match read(bytes, &me) {
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

/// Verifies `bytes` in a worker; `None` when no worker could do it (then verify in the
/// page). `progress(done, total)` follows the parts read back.
pub async fn verify(
    bytes: &[u8],
    me: &Decryptor,
    mut progress: impl FnMut(usize, usize),
) -> Option<Verdict> {
    let answer = ask_worker(bytes, me).await?;
    let kind = answer.get(0).as_string()?;
    match kind.as_str() {
        "transfer" => {
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

/// Starts the worker, hands it the app's own compiled module, a copy of `bytes` and our
/// decryption key (a structured clone to a worker of this same page),
/// and waits for its answer; `None` if it cannot start or fails.
async fn ask_worker(bytes: &[u8], me: &Decryptor) -> Option<Array> {
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
    // The listeners are removed when dropped, whichever way the worker answers.
    let (answer, listeners) = {
        let mut listeners = Vec::new();
        let promise = Promise::new(&mut |resolve, reject| {
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
        (promise, listeners)
    };
    let data = Uint8Array::from(bytes);
    let message = Object::new();
    for (k, v) in [
        ("js", JsValue::from_str(&glue)),
        ("module", wasm_bindgen::module()),
        ("bytes", data.buffer().into()),
        ("secret", Uint8Array::from(&me.to_bytes()[..]).into()),
    ] {
        Reflect::set(&message, &JsValue::from_str(k), &v).ok()?;
    }
    // The file's bytes move to the worker rather than being copied a second time.
    let sent = worker.post_message_with_transfer(&message, &Array::of1(&data.buffer()));
    let result = match sent {
        Ok(()) => JsFuture::from(answer).await.ok(),
        Err(_) => None,
    };
    drop(listeners);
    worker.terminate();
    result.map(|v| Array::from(&v))
}
