//! Reading one case for a screen, and the states of waiting, failing and not found.

use leptos::prelude::*;

use crate::domain::{CaseId, CaseState};
use crate::ui::context::ctx;
use crate::ui::widgets::loading::loaded;

/// The case `id`, read and folded; `None` when this browser does not hold it.
pub(super) fn load_case(id: CaseId) -> LocalResource<Result<Option<CaseState>, String>> {
    let ctx = ctx();
    LocalResource::new(move || {
        let (store, id) = (ctx.store(), id.clone());
        async move { store.case(&id).await.map_err(|e| e.to_string()) }
    })
}

/// Shows a case once read, or why it cannot be.
pub(super) fn with_case(
    res: LocalResource<Result<Option<CaseState>, String>>,
    show: impl Fn(CaseState) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    loaded(res, "正在读取…", move |found| {
        match found {
        None => view! {
            <section class="card"><h1>"未找到该案件"</h1><p><a href="#/cases">"返回案件列表"</a></p></section>
        }
        .into_any(),
        Some(state) => show(state),
    }
    })
}
