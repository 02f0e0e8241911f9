//! The citizen's page (`#/petition`): the guide, the petition form with attachments,
//! the signed submission and its receipt (查询码, QR code, what happens next), and the
//! replies. It keeps its own database and never opens office data.

mod mine;
mod petition;
mod session;

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::guide;
use crate::platform::random;
use crate::store::citizen::{CitizenStore, CITIZEN_DB};
use petition::PetitionPage;
use session::{load_config, Citizen};

/// The citizen's page.
#[component]
pub fn CitizenApp() -> impl IntoView {
    let opened = LocalResource::new(|| async {
        let store = CitizenStore::open(CITIZEN_DB)
            .await
            .map_err(|e| e.to_string())?;
        let seed = random::random_bytes().map_err(|e| e.to_string())?;
        let identity = store
            .identity_or_create(seed)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(StoredValue::new_local(Citizen {
            store: Rc::new(store),
            identity,
        }))
    });
    let config = LocalResource::new(load_config);
    let guide = guide::sections()
        .into_iter()
        .map(|s| view! { <h3>{s.title}</h3> {s.paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()} })
        .collect_view();
    view! {
        <header class="topbar citizen">
            <span class="brand">"网上信访"</span>
            <span class="who">{move || config.get().and_then(Result::ok).map(|c| format!("受理单位：{}", c.office.name))}</span>
        </header>
        <main class="page narrow">
            <details class="card guide" open>
                <summary><h1>"信访须知：三个明白"</h1></summary>
                {guide}
            </details>
            {move || match (opened.get(), config.get()) {
                (None, _) | (_, None) => view! { <p class="loading">"正在打开…"</p> }.into_any(),
                (Some(Err(e)), _) => view! { <p class="msg bad" role="alert">{format!("无法打开本页面的本地数据库：{e}")}</p> }.into_any(),
                (_, Some(Err(e))) => view! { <p class="msg bad" role="alert" data-testid="config-missing">{e}</p> }.into_any(),
                (Some(Ok(citizen)), Some(Ok(config))) => view! { <PetitionPage citizen=citizen config=config /> }.into_any(),
            }}
        </main>
    }
}
