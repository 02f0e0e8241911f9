//! The message above a form or page: what worked, or what failed and what to do next.

use leptos::prelude::*;

use crate::domain::errors::FieldErrors;

/// A message shown above a form or page.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Something worked.
    Done(String),
    /// Something failed; the text says what to do.
    Failed(String),
}

/// Renders an optional message banner.
pub fn banner(msg: RwSignal<Option<Msg>>) -> impl IntoView {
    move || {
        msg.get().map(|m| match m {
            Msg::Done(t) => view! { <p class="msg ok" role="status">{t}</p> }.into_any(),
            Msg::Failed(t) => view! { <p class="msg bad" role="alert">{t}</p> }.into_any(),
        })
    }
}

/// Shows a form's field errors, with the count in the banner; nothing was saved.
pub fn show_field_errors(
    msg: RwSignal<Option<Msg>>,
    errors: RwSignal<FieldErrors>,
    e: FieldErrors,
) {
    msg.set(Some(Msg::Failed(format!(
        "有 {} 项需要更正，请查看标红的项目；未保存任何内容。",
        e.len()
    ))));
    errors.set(e);
}
