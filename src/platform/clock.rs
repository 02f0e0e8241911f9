//! The clock and timers.

use gloo_timers::future::TimeoutFuture;

use crate::domain::Timestamp;

/// Now, from the browser clock.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Lets the browser paint and handle input before a long job goes on (a macrotask, so
/// it works in the page and in a worker alike).
pub async fn yield_now() {
    TimeoutFuture::new(0).await;
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: u32) {
    TimeoutFuture::new(ms).await;
}
