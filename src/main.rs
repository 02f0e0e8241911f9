//! Entry point: mounts the app in the browser; the native build does nothing.

fn main() {
    #[cfg(target_arch = "wasm32")]
    xinfang::ui::mount();
}
