//! Leptos components and pages. Pages ask the domain for every rule (validation,
//! numbering, state) and the store for every record; they decide nothing themselves.

mod app;
mod backup_section;
mod case_page;
mod citizen_page;
mod dashboard_page;
mod demo_section;
mod exchange_page;
mod export;
mod forms;
mod list_page;
mod online_section;
mod platform;
mod progress;
mod register_page;
mod report_page;
mod route;
mod setup_page;
mod workbench_page;

/// Mounts the app on the page's body.
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
}
