//! The citizens' page as its own small build (`citizen.html`): the guide, the petition
//! form and its signed file, the receipt and the replies, without the office's screens,
//! dashboard or demo generator, so a phone on a slow network starts it quickly. The
//! native build does nothing.

fn main() {
    #[cfg(target_arch = "wasm32")]
    xinfang::ui::mount_citizen();
}
