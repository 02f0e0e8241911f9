//! A new passphrase and its confirmation, with a strength hint as it is typed: the
//! backup's passphrase and the operator's share it (and the one length rule).

use leptos::prelude::*;

use crate::exchange::backup::passphrase_hint;

/// Two password fields named `name` and `<name>_again`; the hint carries `hint_id` as
/// its test id.
#[component]
pub fn NewPassphrase(
    /// The passphrase typed.
    pass: RwSignal<String>,
    /// Its confirmation.
    again: RwSignal<String>,
    /// The first field's name.
    name: &'static str,
    /// The first field's label.
    label: &'static str,
    /// The hint's test id.
    hint_id: &'static str,
) -> impl IntoView {
    let again_name = format!("{name}_again");
    view! {
        <label class="field"><span class="label">{label}</span>
            <input type="password" name=name autocomplete="new-password" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev)) />
            <span class="hint" data-testid=hint_id>{move || {
                let p = pass.get();
                if p.is_empty() { String::new() } else { format!("口令强度：{}", passphrase_hint(&p)) }
            }}</span>
        </label>
        <label class="field"><span class="label">"再次输入口令"</span>
            <input type="password" name=again_name autocomplete="new-password" prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev)) />
        </label>
    }
}
