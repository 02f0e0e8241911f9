//! Leptos components and pages. Screens call the application's operations for every
//! multi-step piece of work and the domain for every rule; they decide nothing
//! themselves. `shell` routes, `pages` are the office's screens, `widgets` the pieces
//! several screens share, `citizen` the citizen's page.

pub mod citizen;
pub mod context;
pub mod crash;
pub mod late;
pub mod lock;
pub mod pages;
pub mod route;
pub mod shell;
pub mod widgets;

/// Mounts the app on the page's body. In a worker (which loads the same module to
/// verify an import file) there is no page: nothing is mounted.
pub fn mount() {
    crash::install();
    if web_sys::window().is_some() {
        leptos::mount::mount_to_body(shell::App);
    }
}

/// Mounts only the citizen's page: the entry point of the citizens' own small build
/// (`citizen.html`), which holds no office screen.
pub fn mount_citizen() {
    crash::install();
    if web_sys::window().is_some() {
        leptos::mount::mount_to_body(citizen::CitizenApp);
    }
}
