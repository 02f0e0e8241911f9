//! The one way a screen waits for data: a line saying what it is doing, then the data,
//! or the error (read aloud as an alert) with what to do next. Built on Leptos's
//! `Transition`, so a screen that reloads keeps showing what it had until the new data is in.

use leptos::prelude::*;

/// Shows `resource` once loaded through `show`; `waiting` says what is being read.
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, String>>,
    waiting: &'static str,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || view! { <p class="loading">{waiting}</p> }>
            {move || resource.get().map(|r| match r {
                Ok(v) => show(v).into_any(),
                Err(e) => failure(e).into_any(),
            })}
        </Transition>
    }
}

/// An error where the screen's content would be.
pub fn failure(message: String) -> impl IntoView {
    view! { <p class="msg bad" role="alert">{message}</p> }
}
