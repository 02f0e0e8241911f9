//! When the app stops on an internal error (a panic), the clerk reads that the data is
//! safe and how to reload, instead of a page that no longer answers. The notice is drawn
//! by `public/fallback.js`, plain JavaScript that still runs once the module has stopped.

use wasm_bindgen::prelude::*;

/// Sends every panic to the console and to the page's crash notice.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let detail = info.to_string();
        web_sys::console::error_1(&format!("程序内部错误：{detail}").into());
        notify(&detail);
    }));
}

/// Calls `window.xinfangFailed("panic", detail)` where the page has it (not in a worker).
fn notify(detail: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(failed) = js_sys::Reflect::get(&window, &JsValue::from_str("xinfangFailed")) else {
        return;
    };
    if let Some(failed) = failed.dyn_ref::<js_sys::Function>() {
        // Nothing more can be done if the notice itself fails: the console has the message.
        let _ = failed.call2(&JsValue::NULL, &"panic".into(), &detail.into());
    }
}

/// Panics on purpose, so the end-to-end test sees the crash notice a clerk would see
/// (no screen calls it; the office build exports it, `main.rs`: from the console it
/// only stops the page, the data stays).
pub fn panic_drill() {
    panic!("panic_drill：按要求停止，用于检查出错提示");
}
