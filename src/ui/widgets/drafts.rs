//! Form drafts that survive closing the tab: loaded when the form opens, saved on every
//! change.

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;
use serde::{de::DeserializeOwned, Serialize};

use crate::ui::context::ctx;

/// Keeps a form's draft in the store: loads a saved one, then saves on every change
/// (or deletes it when `is_blank`). Returns a signal with the last save error, if any.
pub fn keep_draft<T>(
    key: String,
    draft: RwSignal<T>,
    is_blank: impl Fn(&T) -> bool + 'static,
) -> RwSignal<Option<String>>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    let store = ctx().store();
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    {
        let (store, key) = (store.clone(), key.clone());
        spawn_local(async move {
            // A draft that no longer parses (from an older version) is dropped, not fatal.
            if let Ok(Some(json)) = store.draft(&key).await {
                if let Ok(saved) = serde_json::from_str::<T>(&json) {
                    draft.set_if_alive(saved);
                }
            }
            loaded.set_if_alive(true);
        });
    }
    Effect::new(move |_| {
        let d = draft.get();
        if !loaded.get() {
            return;
        }
        let json = if is_blank(&d) {
            None
        } else {
            serde_json::to_string(&d).ok()
        };
        let (store, key) = (store.clone(), key.clone());
        spawn_local(async move {
            error.set_if_alive(
                store
                    .save_draft(&key, json.as_deref())
                    .await
                    .err()
                    .map(|e| format!("草稿未能保存：{e}")),
            );
        });
    });
    error
}
