//! The few browser services the UI injects into the domain: the clock, random ids,
//! and the storage-persistence API.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::domain::{CaseId, EventId, Timestamp};

/// Now, from the browser clock.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

fn random16() -> [u8; 16] {
    let mut buf = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut buf).is_ok());
    if !filled {
        // Every browser this app supports has crypto.getRandomValues; this only keeps
        // ids unique if some embedding lacks it.
        for b in &mut buf {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    buf
}

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
        .get_element_by_id(crate::exchange::citizen::page::EMBEDDED_CONFIG_ID)?
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
    let missing = |_| {
        "找不到单文件版（xinfang.html）：请用 cargo xtask build 构建并与本程序一同发布".to_owned()
    };
    let window = web_sys::window().ok_or("无法访问页面")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str("xinfang.html"))
        .await
        .map_err(missing)?
        .unchecked_into();
    if !response.ok() {
        return Err(missing(JsValue::NULL));
    }
    JsFuture::from(response.text().map_err(missing)?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| missing(JsValue::NULL))
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

/// Lets the browser paint and handle input before a long job goes on.
pub async fn yield_now() {
    sleep_ms(0).await;
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A fresh case id.
pub fn new_case_id() -> CaseId {
    CaseId::from_random(random16())
}

/// A fresh event id.
pub fn new_event_id() -> EventId {
    EventId::from_random(random16())
}

fn storage() -> Option<web_sys::StorageManager> {
    web_sys::window().map(|w| w.navigator().storage())
}

async fn bool_promise(p: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Option<bool> {
    JsFuture::from(p.ok()?).await.ok()?.as_bool()
}

/// Whether the browser has marked this site's storage persistent (not evicted under pressure).
pub async fn persisted() -> Option<bool> {
    bool_promise(storage()?.persisted()).await
}

/// Asks the browser to make storage persistent; must follow a user action.
pub async fn request_persist() -> Option<bool> {
    bool_promise(storage()?.persist()).await
}

/// Bytes used and available, as the browser estimates them.
pub async fn estimate() -> Option<(f64, f64)> {
    let v = JsFuture::from(storage()?.estimate().ok()?).await.ok()?;
    let e: web_sys::StorageEstimate = v.unchecked_into();
    Some((e.get_usage()?, e.get_quota()?))
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// 32 fresh random bytes (a new signing identity's seed).
pub fn random_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[..16].copy_from_slice(&random16());
    seed[16..].copy_from_slice(&random16());
    seed
}

/// Offers `text` to the user as a file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    download_bytes(name, "application/json", text.as_bytes())
}

/// Offers bytes to the user as a file download named `name`.
pub fn download_bytes(name: &str, media_type: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    download_parts(name, media_type, &parts)
}

/// Copies text out of wasm memory into a browser blob, which the browser may keep on
/// disk: how a file of hundreds of megabytes is assembled piece by piece.
pub fn text_blob(text: &str) -> Result<web_sys::Blob, String> {
    web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&JsValue::from_str(text)))
        .map_err(|_| "浏览器未能保存生成的内容（可能是磁盘或内存已满）".to_owned())
}

/// Offers the concatenation of `parts` (blobs or byte arrays) as a file download.
pub fn download_parts(name: &str, media_type: &str, parts: &js_sys::Array) -> Result<(), String> {
    let fail = |_| "浏览器未能生成下载文件".to_owned();
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(media_type);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("无法访问页面")?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads the first file chosen in a file input, refusing files over `max` bytes.
pub async fn read_chosen_file(
    input: &web_sys::HtmlInputElement,
    max: usize,
) -> Result<Option<(String, Vec<u8>)>, String> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    if file.size() > max as f64 {
        return Err(format!(
            "文件过大（{:.0} MB），超过 {} MB 上限，未导入",
            file.size() / 1_048_576.0,
            max / 1_048_576
        ));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "无法读取所选文件".to_owned())?;
    Ok(Some((
        file.name(),
        js_sys::Uint8Array::new(&buffer).to_vec(),
    )))
}

/// Reads bytes `from..to` of a file, so a large file is read a slice at a time.
pub async fn read_slice(file: &web_sys::File, from: f64, to: f64) -> Result<Vec<u8>, String> {
    let fail = |_| "无法读取所选文件（文件可能已被移动或删除）".to_owned();
    let slice = file.slice_with_f64_and_f64(from, to).map_err(fail)?;
    let buffer = JsFuture::from(slice.array_buffer()).await.map_err(fail)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A file chosen by the user: its name, media type, and bytes (or why they were not read).
pub type ChosenFile = (String, String, Result<Vec<u8>, String>);

/// Reads every file chosen in a file input; a file over `max` bytes is reported, not read.
pub async fn read_all_files(input: &web_sys::HtmlInputElement, max: usize) -> Vec<ChosenFile> {
    let mut out = Vec::new();
    let Some(files) = input.files() else {
        return out;
    };
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        let read = if file.size() > max as f64 {
            Err(format!(
                "文件过大（{:.1} MB），未导入",
                file.size() / 1_048_576.0
            ))
        } else {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => Ok(js_sys::Uint8Array::new(&buffer).to_vec()),
                Err(_) => Err("无法读取此文件".to_owned()),
            }
        };
        out.push((file.name(), file.type_(), read));
    }
    out
}

/// The file input an event came from.
pub fn input_of(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()
}
