//! Randomness for keys, salts, nonces and ids: only from `crypto.getRandomValues`, and
//! refused where the browser lacks it (no weaker source ever stands in).

use wasm_bindgen::JsCast;

use crate::domain::{CaseId, EventId};

/// The browser offers no secure randomness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("此浏览器不提供安全随机数（crypto.getRandomValues），无法生成密钥和编号，本次未做任何改动。请用新版 Chrome、Edge、Firefox 或 360、QQ 浏览器的极速模式打开本程序。")]
pub struct NoRandomness;

/// `N` fresh random bytes from `crypto.getRandomValues`.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], NoRandomness> {
    let mut buf = [0u8; N];
    let crypto = js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|w| w.crypto().ok())
        .or_else(|| web_sys::window().and_then(|w| w.crypto().ok()))
        .ok_or(NoRandomness)?;
    crypto
        .get_random_values_with_u8_array(&mut buf)
        .map_err(|_| NoRandomness)?;
    Ok(buf)
}

/// A fresh case id.
pub fn new_case_id() -> Result<CaseId, NoRandomness> {
    random_bytes().map(CaseId::from_random)
}

/// A fresh event id.
pub fn new_event_id() -> Result<EventId, NoRandomness> {
    random_bytes().map(EventId::from_random)
}
