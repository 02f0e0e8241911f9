//! Files: offered to the user as downloads (object URLs revoked once used) and read from
//! the files the user chose, whole or a slice at a time.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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
    // Revoked when dropped, once the click has started the download.
    let url = gloo_file::ObjectUrl::from(gloo_file::Blob::from(blob));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("无法访问页面")?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Reads the first file chosen in a file input, refusing files over `max` bytes and, by
/// their first `head` bytes, files `looks_right` refuses: neither is read whole.
pub async fn read_chosen_file(
    input: &web_sys::HtmlInputElement,
    max: usize,
    head: usize,
    looks_right: impl Fn(&[u8]) -> Result<(), String>,
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
    let first = read_slice(&file, 0.0, file.size().min(head as f64)).await?;
    looks_right(&first)?;
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "无法读取所选文件".to_owned())?;
    Ok(Some((
        file.name(),
        js_sys::Uint8Array::new(&buffer).to_vec(),
    )))
}

/// Reads bytes `from..to` of a file, so a large file is read a slice at a time.
pub async fn read_slice(file: &web_sys::Blob, from: f64, to: f64) -> Result<Vec<u8>, String> {
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
pub fn input_of(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()
}

/// Decodes GB18030 (what Chinese Excel writes as CSV) with the browser's own decoder,
/// strictly: `None` when the bytes are not valid GB18030 or the browser has none.
pub fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    let options = web_sys::TextDecoderOptions::new();
    options.set_fatal(true);
    let decoder = web_sys::TextDecoder::new_with_label_and_options("gb18030", &options).ok()?;
    decoder.decode_with_u8_array(bytes).ok()
}
