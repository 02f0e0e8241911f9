//! 信访案件管理: an offline petition case-management app that runs in the browser.
//!
//! Layers, each depending only on the ones before it (ARCHITECTURE.md states the rule,
//! `tests/tidy.rs` checks it):
//! - [`domain`]: every rule, pure Rust, tested natively;
//! - [`exchange`]: the signed files units and citizens hand each other (wire types);
//! - [`report`]: the dashboard's tables and the spreadsheets they export to;
//! - [`demo`]: the seeded generator of a made-up county's cases;
//! - `store`: IndexedDB persistence (wasm only);
//! - `platform`: the browser services: clock, randomness, files, timers, workers (wasm only);
//! - `app`: the operations the screens run, each a typed result (wasm only);
//! - `ui`: Leptos components and pages (wasm only).

pub mod demo;
pub mod domain;
pub mod exchange;
pub mod report;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
