//! The single-file build: the release build's HTML, JS glue, wasm, CSS and icon inlined
//! into one `.html` that works when double-clicked (`file://`), where no fetch of a
//! sibling file is allowed. Its only inline script and style are allowed by hash in its
//! own Content-Security-Policy, so the policy stays as strict as the hosted one.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The files of a release build that the single file is made from.
pub struct Build<'a> {
    /// `index.html` as trunk wrote it.
    pub index: &'a str,
    /// The wasm-bindgen JS glue (an ES module).
    pub glue: &'a str,
    /// The optimised wasm.
    pub wasm: &'a [u8],
    /// The stylesheet.
    pub css: &'a str,
    /// The SVG icon.
    pub icon: &'a [u8],
    /// `fallback.js`, the plain script that says why the app could not start.
    pub fallback: &'a str,
}

/// The value of attribute `name` in the first tag of `html` that has it.
pub fn attribute<'h>(html: &'h str, name: &str) -> Option<&'h str> {
    let key = format!(" {name}=\"");
    let start = html.find(&key)? + key.len();
    let end = html[start..].find('"')? + start;
    Some(&html[start..end])
}

/// `'sha256-…'` of a script or style element's text, as a CSP source.
pub fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", B64.encode(Sha256::digest(text.as_bytes())))
}

/// A short version string that changes with `bytes` (16 hex digits of SHA-256).
pub fn version(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The one self-contained HTML page.
pub fn assemble(b: &Build) -> Result<String, String> {
    // The glue's own loader is called with the wasm bytes, so no file is fetched.
    if !b.glue.contains("async function __wbg_init(") {
        return Err("the wasm-bindgen glue has no __wbg_init: update xtask/src/single.rs".into());
    }
    if b.glue.contains("</script") || b.fallback.contains("</script") || b.css.contains("</style") {
        return Err("the glue or the stylesheet contains a closing tag; cannot inline".into());
    }
    let title = b
        .index
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(t, _)| t)
        .ok_or("index.html has no <title>")?;
    // The same "starting…" notice as the hosted page, taken from its body.
    let status = b
        .index
        .find("<div id=\"boot-status\"")
        .and_then(|i| Some(&b.index[i..i + b.index[i..].find("</div>")? + "</div>".len()]))
        .ok_or("index.html has no boot-status notice")?;
    // The dual-core browser hints, as the hosted page has them.
    let renderer: String = b
        .index
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.contains("name=\"renderer\"")
                || l.contains("name=\"force-rendering\"")
                || l.contains("X-UA-Compatible")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let script = format!(
        "{glue}\n// Single-file boot: the wasm travels in this page as base64 (in a block: the glue's\n// own top-level names stay untouched).\n{{\n  const b64 = \"{wasm}\";\n  const bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(b64) : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));\n  try {{\n    await __wbg_init({{ module_or_path: bytes }});\n    window.xinfangStarted?.();\n  }} catch (e) {{\n    console.warn('信访案件管理未能启动', e);\n    window.xinfangFailed?.('start', String(e?.message ?? e));\n  }}\n}}\n",
        glue = b.glue,
        wasm = B64.encode(b.wasm),
    );
    let csp = format!(
        "default-src 'none'; script-src {} {} 'wasm-unsafe-eval'; style-src {}; img-src 'self' data:; connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(b.fallback),
        csp_hash(&script),
        csp_hash(b.css),
    );
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n{renderer}<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"xinfang-build\" content=\"single-file\">\n<title>{title}</title>\n<link rel=\"icon\" href=\"data:image/svg+xml;base64,{icon}\" type=\"image/svg+xml\">\n<style>{css}</style>\n<script>{fallback}</script>\n<script type=\"module\">{script}</script>\n</head>\n<body>\n<noscript>本程序需要启用 JavaScript 才能运行。</noscript>\n{status}\n</body>\n</html>\n",
        icon = B64.encode(b.icon),
        css = b.css,
        fallback = b.fallback,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<html><head>\n<meta name=\"renderer\" content=\"webkit\">\n<title>信访案件管理</title><link rel=\"stylesheet\" href=\"./main-1.css\" integrity=\"x\"/><script src=\"fallback.js\"></script><script type=\"module\" src=\"./boot.js\" data-js=\"./x-1.js\" data-wasm=\"./x-1_bg.wasm\"></script></head><body><div id=\"boot-status\" role=\"status\"><p>正在启动</p></div></body></html>";

    fn build<'a>(glue: &'a str, css: &'a str) -> Build<'a> {
        Build {
            index: INDEX,
            glue,
            wasm: b"\0asm",
            css,
            icon: b"<svg/>",
            fallback: "window.xinfangFailed = function () {};",
        }
    }

    #[test]
    fn inlines_everything_and_allows_only_its_own_script_and_style() {
        assert_eq!(attribute(INDEX, "data-js"), Some("./x-1.js"));
        assert_eq!(attribute(INDEX, "href"), Some("./main-1.css"));
        let glue = "async function __wbg_init(m) {}\nexport default __wbg_init;";
        let page = assemble(&build(glue, "body{color:red}")).unwrap();
        let script = page
            .split("<script type=\"module\">")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap();
        let style = page
            .split("<style>")
            .nth(1)
            .unwrap()
            .split("</style>")
            .next()
            .unwrap();
        assert!(script.contains("AGFzbQ=="), "the wasm, base64");
        assert!(page.contains(&format!(
            "script-src {} {} 'wasm-unsafe-eval'",
            csp_hash("window.xinfangFailed = function () {};"),
            csp_hash(script)
        )));
        assert!(page.contains("<div id=\"boot-status\" role=\"status\"><p>正在启动</p></div>"));
        assert!(page.contains("<meta name=\"renderer\" content=\"webkit\">"));
        assert!(page.contains(&format!("style-src {};", csp_hash(style))));
        assert!(page.contains("connect-src 'none'"));
        assert!(page.contains("<title>信访案件管理</title>"));
        assert!(
            !page.contains(" src=") && !page.contains("stylesheet"),
            "nothing is fetched"
        );
    }

    #[test]
    fn refuses_what_it_cannot_inline_safely() {
        assert!(assemble(&build("function other() {}", "")).is_err());
        assert!(assemble(&build("async function __wbg_init(m) {} '</script>'", "")).is_err());
        assert!(assemble(&build(
            "async function __wbg_init(m) {}",
            "a::after{content:'</style>'}"
        ))
        .is_err());
    }

    #[test]
    fn a_known_hash() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
