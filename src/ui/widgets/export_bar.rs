//! Exporting cases or screening items as a signed file encrypted to a trusted unit: from
//! a case or an item, or from those selected or shown in a list.

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::env::Browser;
use crate::app::transfer;
use crate::domain::ids::EntryId;
use crate::domain::CaseId;
use crate::exchange::card::UnitCard;
use crate::exchange::transfer::Purpose;
use crate::platform::files;
use crate::ui::context::ctx;
use crate::ui::widgets::message::{banner, Msg};

/// What a file hands over: cases, or screening items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handed {
    /// Cases, by id.
    Cases(Vec<CaseId>),
    /// Screening items, by id.
    Items(Vec<EntryId>),
}

/// Target unit, purpose and the export button for the cases or items `what`.
#[component]
pub fn ExportBar(
    /// What to export.
    #[prop(into)]
    what: Signal<Handed>,
    /// The purpose and receiving unit to offer first (from the case's flow).
    #[prop(optional)]
    suggested: Option<(Purpose, Option<String>)>,
) -> impl IntoView {
    let ctx = ctx();
    let units = RwSignal::new(Vec::<UnitCard>::new());
    let (first, to) = suggested.unwrap_or((Purpose::Assign, None));
    let target = RwSignal::new(to.unwrap_or_default());
    let purpose = RwSignal::new(first.key().to_owned());
    let msg = RwSignal::new(None::<Msg>);
    let store = ctx.store();
    spawn_local(async move {
        if let Ok(d) = store.directory().await {
            units.set_if_alive(
                d.into_iter()
                    .filter(|u| u.revoked_at.is_none())
                    .map(|u| u.card)
                    .collect(),
            );
        }
    });
    let export = move |_| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let Some(card) =
            units.with_untracked(|u| u.iter().find(|c| c.code == target.get_untracked()).cloned())
        else {
            return msg.set(Some(Msg::Failed(
                "请选择接收单位（先在“交换”页导入并信任对方的单位名片）".into(),
            )));
        };
        let Some(purpose) = Purpose::from_key(&purpose.get_untracked()) else {
            return;
        };
        let wanted = what.get_untracked();
        let store = ctx.store();
        let identity = ctx.identity.get_value();
        spawn_local(async move {
            let file = match &wanted {
                Handed::Cases(ids) => {
                    transfer::export(&store, &Browser, &profile, &identity, &card, purpose, ids)
                        .await
                }
                Handed::Items(ids) => {
                    transfer::export_items(
                        &store, &Browser, &profile, &identity, &card, purpose, ids,
                    )
                    .await
                }
            }
            .map_err(|e| e.to_string());
            match file.and_then(|f| files::download(&f.name, &f.text).map(|()| f.name)) {
                Ok(name) => msg.set_if_alive(Some(Msg::Done(format!(
                    "已导出“{name}”（已加密，只有 {} 能打开），请交给对方。",
                    card.name
                )))),
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e))),
            }
        });
    };
    view! {
        <div class="export-case">
            <label>"交给其他单位："
                <select name="export_to" on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"选择接收单位"</option>
                    {move || units.get().into_iter().map(|c| {
                        let chosen = target.get_untracked() == c.code;
                        view! { <option value=c.code.clone() selected=chosen>{format!("{}（{}）", c.name, c.code)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <select name="export_purpose" on:change=move |ev| purpose.set(event_target_value(&ev))>
                {Purpose::ALL.iter().map(|p| view! { <option value=p.key() selected=*p == first>{p.label()}</option> }).collect_view()}
            </select>
            <button type="button" class="secondary" on:click=export>"导出交换文件"</button>
            {banner(msg)}
        </div>
    }
}
