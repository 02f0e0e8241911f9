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
mod verify_worker;
mod workbench_page;

/// Mounts the app on the page's body. In a worker (which loads the same module to
/// verify an import file) there is no page: nothing is mounted.
pub fn mount() {
    if web_sys::window().is_some() {
        leptos::mount::mount_to_body(app::App);
    }
}
