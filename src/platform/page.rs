//! The page itself: its address and build (hosted, single file, an office's citizen
//! page), the waiting update, and printing.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::exchange::citizen::page::EMBEDDED_CONFIG_ID;

/// True when the page was opened as `…?demo`: the demo mode, on its own database.
pub fn demo_mode() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| s.trim_start_matches('?').split('&').any(|p| p == "demo"))
}

/// This page's address without the query and hash: the office app outside demo mode.
pub fn page_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "./".into())
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// True in the single-file build (one HTML file, often opened from disk): there is
/// nothing beside the page to fetch.
pub fn single_file() -> bool {
    document()
        .and_then(|d| {
            d.query_selector("meta[name=xinfang-build][content=single-file]")
                .ok()
        })
        .flatten()
        .is_some()
}

/// The citizen page's config when this page is an office's single-file citizen page.
pub fn embedded_config() -> Option<String> {
    document()?
        .get_element_by_id(EMBEDDED_CONFIG_ID)?
        .text_content()
}

/// The single-file build's HTML: this page itself when it is that build (its head is
/// never changed at run time, so its script keeps the hash its policy allows), else
/// the `xinfang.html` published beside the hosted build.
pub async fn single_file_page() -> Result<String, String> {
    if single_file() {
        let head = document()
            .and_then(|d| d.query_selector("head").ok().flatten())
            .ok_or("无法读取本页面")?
            .outer_html();
        return Ok(format!("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n{head}\n<body>\n<noscript>本程序需要启用 JavaScript 才能运行。</noscript>\n</body>\n</html>\n"));
    }
    fetch_beside("xinfang.html").await.ok_or_else(|| {
        "找不到单文件版（xinfang.html）：请用 cargo xtask build 构建并与本程序一同发布".to_owned()
    })
}

/// The text of the file `name` published beside this page, if it can be read.
pub async fn fetch_beside(name: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(name))
        .await
        .ok()?
        .unchecked_into();
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// The window event `public/boot.js` sends when a new version of the app is ready.
pub const UPDATE_EVENT: &str = "xinfang-update";

/// Applies the waiting new version (through `public/boot.js`); the page then reloads.
pub fn apply_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&window, &JsValue::from_str("xinfangUpdate")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&JsValue::NULL);
        }
    }
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Reloads the page (after another tab upgraded the database).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The browser's user agent ("" when it cannot be read).
pub fn user_agent() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default()
}

/// The navigator's `share` and the share data of one file, when the browser can share
/// that file (called through Reflect: web-sys has Web Share only behind its unstable APIs).
fn file_share(
    name: &str,
    media_type: &str,
    text: &str,
) -> Option<(JsValue, js_sys::Function, js_sys::Object)> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    let get = |key: &str| js_sys::Reflect::get(&navigator, &JsValue::from_str(key)).ok();
    let share = get("share")?.dyn_into::<js_sys::Function>().ok()?;
    let can_share = get("canShare")?.dyn_into::<js_sys::Function>().ok()?;
    let options = web_sys::FilePropertyBag::new();
    options.set_type(media_type);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let file = web_sys::File::new_with_str_sequence_and_options(&parts, name, &options).ok()?;
    let data = js_sys::Object::new();
    js_sys::Reflect::set(&data, &"files".into(), &js_sys::Array::of1(&file)).ok()?;
    can_share
        .call1(&navigator, &data)
        .ok()?
        .is_truthy()
        .then_some((navigator, share, data))
}

/// Whether the system share sheet can take a file of this type (Web Share).
pub fn can_share_file(media_type: &str) -> bool {
    file_share("x", media_type, "").is_some()
}

/// Offers a file to the system share sheet (Web Share): to a chat, to the phone's files.
pub async fn share_file(name: &str, media_type: &str, text: &str) -> Result<(), String> {
    let refused = || "此浏览器不能分享文件，请在手机自带的浏览器中打开本页后保存".to_owned();
    let (navigator, share, data) = file_share(name, media_type, text).ok_or_else(refused)?;
    let promise = share
        .call1(&navigator, &data)
        .map_err(|_| refused())?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| refused())?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "未分享（已取消或被浏览器拒绝）".to_owned())
}
