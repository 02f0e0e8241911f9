//! 信访案件管理: an offline petition case-management app that runs in the browser.
//!
//! Layers, each depending only on the ones before it:
//! - [`domain`]: every rule, pure Rust, tested natively;
//! - `store`: IndexedDB persistence (wasm only);
//! - `ui`: Leptos components and pages (wasm only).

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
