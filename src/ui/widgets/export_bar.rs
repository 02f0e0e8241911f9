//! Exporting cases as a signed transfer file for a trusted unit: from a case, or from
//! the cases selected in the list.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::CaseId;
use crate::exchange::card::{UnitCard, UnitRef};
use crate::exchange::transfer::{seal_transfer, transfer, Purpose};
use crate::platform::{clock, files};
use crate::ui::context::ctx;
use crate::ui::widgets::message::{banner, Msg};

/// Target unit, purpose and the export button for the cases `ids`.
#[component]
pub fn ExportBar(
    /// The cases to export.
    #[prop(into)]
    ids: Signal<Vec<CaseId>>,
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
            units.set(
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
        let wanted = ids.get_untracked();
        let store = ctx.store();
        spawn_local(async move {
            let mut cases = Vec::new();
            for id in &wanted {
                match store.case(id).await {
                    Ok(Some(c)) => cases.push(c),
                    Ok(None) => {}
                    Err(e) => return msg.set(Some(Msg::Failed(e.to_string()))),
                }
            }
            let to = UnitRef {
                code: card.code.clone(),
                name: card.name.clone(),
            };
            let t = match transfer(&profile, &to, purpose, &cases, clock::now()) {
                Ok(t) => t,
                Err(e) => return msg.set(Some(Msg::Failed(e.to_string()))),
            };
            let sealed = ctx
                .identity
                .with_value(|i| seal_transfer(&t, i))
                .map_err(|e| e.to_string());
            let what = match cases.as_slice() {
                [one] => one.case_no.clone(),
                many => format!("{}件案件", many.len()),
            };
            let name = format!("{what}-{}-{}.json", purpose.label(), card.code);
            match sealed.and_then(|text| files::download(&name, &text)) {
                Ok(()) => msg.set(Some(Msg::Done(format!(
                    "已导出“{name}”，请交给 {}。",
                    card.name
                )))),
                Err(e) => msg.set(Some(Msg::Failed(e))),
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
