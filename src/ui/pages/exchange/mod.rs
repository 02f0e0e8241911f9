//! 交换: this unit's signing identity and card, the directory of trusted units, and
//! importing bundles — verified and previewed before anything is stored.

pub mod online;

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::env::Browser;
use crate::app::error::AppError;
use crate::app::transfer::{self, Found, Preview, Signer};
use crate::app::trust;
use crate::exchange::card::{replaced_by, seal_unit_card, TrustedUnit, UnitCard};
use crate::exchange::envelope::{looks_like_bundle, HEAD_BYTES};
use crate::exchange::recipient::Decryptor;
use crate::exchange::MAX_BUNDLE_BYTES;
use crate::platform::{clock, files};
use crate::store::ImportError;
use crate::ui::context::ctx;
use crate::ui::pages::exchange::online::OnlineSection;
use crate::ui::widgets::message::{banner, Msg};
use crate::ui::widgets::progress::Progress;

/// How many new or updated cases the preview names one by one (the rest are counted).
const PREVIEW_NAMED: usize = 20;

/// A verified file waiting for the user's decision.
#[derive(Clone)]
enum Pending {
    Card(UnitCard),
    Transfer(Box<Preview>),
}

/// The exchange page.
#[component]
pub fn ExchangePage() -> impl IntoView {
    let ctx = ctx();
    let directory = RwSignal::new(Vec::<TrustedUnit>::new());
    let msg = RwSignal::new(None::<Msg>);
    let pending = RwSignal::new_local(None::<Pending>);
    let progress = Progress::new("条");
    let load_directory = move || {
        let store = ctx.store();
        spawn_local(async move {
            match store.directory().await {
                Ok(d) => directory.set_if_alive(d),
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    load_directory();
    let me = ctx.identity.with_value(|i| i.public_key());
    let fingerprint = me.fingerprint();

    let export_card = move |_| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let sealed = ctx
            .identity
            .with_value(|i| seal_unit_card(&UnitCard::of(&profile, i), i));
        match sealed
            .map_err(|e| e.to_string())
            .and_then(|text| files::download(&format!("单位名片-{}.json", profile.code), &text))
        {
            Ok(()) => msg.set(Some(Msg::Done(
                "单位名片已导出。请把文件交给对方，并电话告知本单位的密钥指纹。".into(),
            ))),
            Err(e) => msg.set(Some(Msg::Failed(e))),
        }
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        pending.set(None);
        msg.set(None);
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        spawn_local(async move {
            let (_, bytes) =
                match files::read_chosen_file(&input, MAX_BUNDLE_BYTES, HEAD_BYTES, |h| {
                    looks_like_bundle(h).map_err(|e| format!("未导入：{e}"))
                })
                .await
                {
                    Ok(Some(f)) => f,
                    Ok(None) => return,
                    Err(e) => return msg.set_if_alive(Some(Msg::Failed(e))),
                };
            input.set_value("");
            // Verifying a large file takes seconds: show why before it starts. A worker
            // does it where one can start, so the page stays usable meanwhile.
            msg.set_if_alive(Some(Msg::Done("正在验证文件的签名和内容…".into())));
            clock::yield_now().await;
            let reading = |done, total| {
                msg.set_if_alive(Some(Msg::Done(format!(
                    "签名和内容已验证，正在读取（{done}/{total}）…"
                ))));
            };
            let me = ctx.identity.with_value(Decryptor::of);
            let found = transfer::verify_file(&bytes, &me, reading).await;
            msg.set_if_alive(None);
            match found {
                Err(e) => msg.set_if_alive(Some(Msg::Failed(format!("未导入：{e}")))),
                Ok(Found::Card(card)) if card.code == profile.code => {
                    msg.set_if_alive(Some(Msg::Failed("这是本单位自己的名片，无需导入".into())));
                }
                Ok(Found::Card(card)) => pending.set_if_alive(Some(Pending::Card(card))),
                Ok(Found::Transfer(v)) => {
                    match transfer::preview(&store, &Browser, &profile, *v).await {
                        Ok(p) => pending.set_if_alive(Some(Pending::Transfer(Box::new(p)))),
                        Err(e) => msg.set_if_alive(Some(Msg::Failed(format!("未导入：{e}")))),
                    }
                }
            }
        });
    };

    // A card's preview closes once it is trusted; a refused key change stays open to retype.
    let add_trust = move |card: UnitCard, retyped: Option<String>| {
        let store = ctx.store();
        spawn_local(async move {
            match trust::trust_card(&store, &Browser, card.clone(), retyped.as_deref()).await {
                Ok(d) => {
                    directory.set_if_alive(d);
                    if pending.try_with_untracked(|p| matches!(p, Some(Pending::Card(_))))
                        == Some(true)
                    {
                        pending.set_if_alive(None);
                    }
                    msg.set_if_alive(Some(Msg::Done(format!(
                        "已信任 {}（{}）",
                        card.name, card.code
                    ))));
                }
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };

    let confirm_import = move |preview: Box<Preview>| {
        if !progress.start(preview.events.len()) {
            return;
        }
        let store = ctx.store();
        let calendar = ctx.calendar.get_untracked();
        let Some(profile) = ctx.profile.get_untracked() else {
            return progress.stop();
        };
        spawn_local(async move {
            let imported =
                transfer::import(&store, &Browser, &calendar, &profile, &preview, &progress).await;
            let outcome = match imported {
                Ok(0) => Msg::Done("本机已有此文件的全部内容，未做任何改动。".into()),
                Ok(n) => Msg::Done(format!("已导入 {n} 条记录。")),
                Err(e @ AppError::Import(ImportError::Cancelled)) => Msg::Done(e.to_string()),
                Err(e) => Msg::Failed(format!("未导入：{e}")),
            };
            msg.set_if_alive(Some(outcome));
            pending.set_if_alive(None);
            progress.stop();
        });
    };

    let preview = move || {
        pending.get().map(|p| match p {
            Pending::Card(card) => {
                let key = card.key().map(|k| k.fingerprint()).unwrap_or_default();
                let c = card.clone();
                let replaced = directory.with(|d| {
                    replaced_by(d, &card).and_then(|u| u.card.key()).map(|k| k.fingerprint())
                });
                if let Some(old) = replaced {
                    let retyped = RwSignal::new(String::new());
                    return view! {
                        <section class="card preview key-change" data-testid="key-change">
                            <h2>"单位密钥更换"</h2>
                            <p class="msg bad">{format!(
                                "{}（{}）已在信任名单中，但这张名片的密钥不同。密钥可能已被对方更换，也可能是他人冒充。",
                                card.name, card.code
                            )}</p>
                            <p>"原密钥指纹：" <strong class="mono" data-testid="old-fingerprint">{old}</strong></p>
                            <p>"新密钥指纹：" <strong class="mono" data-testid="preview-fingerprint">{key}</strong></p>
                            <p class="hint">"请电话向对方核对新指纹。核对无误后，在下面完整输入新指纹（空格可省略），再确认更换；原密钥将被撤销，其签名的旧文件仍可识别。"</p>
                            <label>"输入新密钥指纹："
                                <input type="text" name="retype_fingerprint" autocomplete="off" prop:value=move || retyped.get() on:input=move |ev| retyped.set(event_target_value(&ev)) />
                            </label>
                            <div class="actions">
                                <button type="button" class="primary" on:click=move |_| add_trust(c.clone(), Some(retyped.get_untracked()))>"确认更换密钥"</button>
                                <button type="button" class="secondary" on:click=move |_| pending.set(None)>"取消"</button>
                            </div>
                        </section>
                    }
                    .into_any();
                }
                view! {
                    <section class="card preview" data-testid="preview">
                        <h2>"单位名片"</h2>
                        <p>{format!("{}（{}，{}）", card.name, card.code, card.level_label())}</p>
                        {(!card.parent.is_empty()).then(|| view! { <p>{format!("上级单位：{}", card.parent)}</p> })}
                        <p>"密钥指纹：" <strong class="mono" data-testid="preview-fingerprint">{key}</strong></p>
                        <p class="hint">"请与对方电话核对指纹，一致后再信任。"</p>
                        <div class="actions">
                            <button type="button" class="primary" on:click=move |_| add_trust(c.clone(), None)>"核对无误，信任此单位"</button>
                            <button type="button" class="secondary" on:click=move |_| pending.set(None)>"取消"</button>
                        </div>
                    </section>
                }
                .into_any()
            }
            Pending::Transfer(p) => {
                let Preview { transfer, plan, signer, .. } = (*p).clone();
                let (trusted, mismatch) = match directory.with(|d| p.signer(d)) {
                    Signer::Trusted(card) => (Some(card.name), None),
                    Signer::Impostor(e) => (None, Some(e)),
                    Signer::Unknown => (None, None),
                };
                let is_trusted = trusted.is_some();
                let sender_card = p.claimed_card();
                let noop = p.is_noop();
                let items = (!p.items.is_empty()).then(|| p.item_plan.clone());
                let unnamed = plan.new_cases.len().max(plan.updated_cases.len()) > PREVIEW_NAMED;
                let to_import = p.clone();
                let unverified = directory.with(|d| p.unverified(d));
                view! {
                    <section class="card preview" data-testid="preview">
                        <h2>{format!("{}交换文件：{}", if items.is_some() { "排查事项" } else { "案件" }, transfer.purpose.label())}</h2>
                        {mismatch.map(|e| view! { <p class="msg bad">{e.to_string()}</p> })}
                        {match trusted {
                            Some(name) => view! { <p class="msg ok" data-testid="signer">{format!("签名单位：{name}（已信任），文件未被改动")}</p> }.into_any(),
                            None => view! {
                                <p class="msg bad" data-testid="signer">{format!(
                                    "签名者不在信任名单中：文件自称来自 {}（{}），密钥指纹 {}。请与对方电话核对指纹。",
                                    transfer.from.name, transfer.from.code, signer.fingerprint()
                                )}</p>
                                <button type="button" class="secondary" on:click=move |_| add_trust(sender_card.clone(), None)>"核对无误，信任此单位"</button>
                            }
                            .into_any(),
                        }}
                        {match items {
                            Some(ip) => view! {
                                <p data-testid="plan">{format!(
                                    "新排查事项 {} 条；已有事项新增记录 {} 条；本机已有的记录 {} 条（将忽略）。",
                                    ip.new_items.len(), ip.updated_items.len(), ip.already_held
                                )}</p>
                                <ul data-testid="plan-items">
                                    {ip.new_items.iter().take(PREVIEW_NAMED).map(|t| view! { <li>{format!("新排查事项：{t}")}</li> }).collect_view()}
                                    {ip.updated_items.iter().take(PREVIEW_NAMED).map(|(t, n)| view! { <li>{format!("{t}：新增 {n} 条记录")}</li> }).collect_view()}
                                </ul>
                            }.into_any(),
                            None => view! { <p data-testid="plan">{format!(
                                "新案件 {} 件；已有案件新增记录 {} 件；本机已有的记录 {} 条（将忽略）。",
                                plan.new_cases.len(), plan.updated_cases.len(), plan.already_held
                            )}</p> }.into_any(),
                        }}
                        {(!plan.receipts.is_empty()).then(|| view! { <p class="msg ok" data-testid="plan-receipts">{format!(
                            "其中 {} 件转送、交办本单位办理：导入时登记签收（{}），受理、告知期限从签收日起算。",
                            plan.receipts.len(), clock::now().china_date()
                        )}</p> })}
                        {(!plan.by_author.is_empty()).then(|| view! { <p data-testid="plan-authors">{format!(
                            "新增记录的写入单位：{}",
                            plan.by_author.iter().map(|(a, n)| format!("{a} {n} 条")).collect::<Vec<_>>().join("；")
                        )}</p> })}
                        {(unverified > 0).then(|| view! { <p class="msg warn" data-testid="plan-unverified">{format!(
                            "其中 {unverified} 条记录的作者签名未能核验：写入单位不在本单位的信任名单中，或记录由旧版本文件转来。导入后，这些记录在案件记录中标为“作者签名未核验”；信任该单位后即显示为已核验。"
                        )}</p> })}
                        <ul>
                            {plan.new_cases.iter().take(PREVIEW_NAMED).map(|(no, title)| view! { <li>{format!("新案件 {no}：{title}")}</li> }).collect_view()}
                            {plan.updated_cases.iter().take(PREVIEW_NAMED).map(|(no, n)| view! { <li>{format!("{no}：新增 {n} 条记录")}</li> }).collect_view()}
                            {plan.on_held.iter().take(PREVIEW_NAMED).map(|e| view! { <li class="muted" data-testid="plan-event">{format!("{}：{}（{}，{}）", e.case_no, e.what, e.author, e.at.display())}</li> }).collect_view()}
                            {unnamed.then(|| view! { <li data-testid="plan-more">{format!(
                                "……以上列出前 {PREVIEW_NAMED} 件新案件和前 {PREVIEW_NAMED} 件有新增记录的案件"
                            )}</li> })}
                        </ul>
                        {noop.then(|| view! { <p class="msg ok">"本机已有此文件的全部内容，无需导入。"</p> })}
                        <div class="actions">
                            <button type="button" class="primary" prop:disabled=move || !is_trusted || noop || progress.running() on:click=move |_| confirm_import(to_import.clone())>"确认导入"</button>
                            <button type="button" class="secondary" prop:disabled=move || progress.running() on:click=move |_| pending.set(None)>"取消"</button>
                        </div>
                        {progress.view()}
                    </section>
                }
                .into_any()
            }
        })
    };

    let revoke = move |code: String| {
        let store = ctx.store();
        spawn_local(async move {
            match trust::revoke_unit(&store, &Browser, &code).await {
                Ok(d) => directory.set_if_alive(d),
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    let rows = move || {
        directory
            .get()
            .into_iter()
            .map(|u| {
                let fp = u.card.key().map(|k| k.fingerprint()).unwrap_or_default();
                let code = u.card.code.clone();
                let revoked = u.revoked_at.is_some();
                view! {
                    <tr class:revoked=revoked>
                        <td>{u.card.name.clone()}</td>
                        <td class="mono">{u.card.code.clone()}</td>
                        <td>{u.card.parent.clone()}</td>
                        <td class="mono">{fp}</td>
                        <td>{u.trusted_at.display()}</td>
                        <td>{if revoked {
                            view! { <span>"已撤销"</span> }.into_any()
                        } else {
                            view! { <button type="button" class="link" on:click=move |_| revoke(code.clone())>"撤销信任"</button> }.into_any()
                        }}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card">
            <h1>"交换"</h1>
            {banner(msg)}
            <h2>"本单位签名密钥"</h2>
            <p>"密钥指纹：" <strong class="mono" data-testid="own-fingerprint">{fingerprint}</strong></p>
            <p class="hint">"本单位导出的每个文件都用此密钥签名。对方首次导入前，请电话核对此指纹。"</p>
            <button type="button" class="secondary" on:click=export_card>"导出单位名片"</button>
            <h2>"导入文件"</h2>
            <p class="hint">"导入其他单位的名片、案件或排查事项交换文件。文件先验证签名并显示将要导入的内容，确认后才保存。"</p>
            <input type="file" name="bundle" accept=".json,application/json" on:change=on_file />
        </section>
        {preview}
        <OnlineSection />
        <section class="card">
            <h2>"信任的单位"</h2>
            <table class="table compact" data-testid="directory">
                <thead><tr><th>"单位"</th><th>"代码"</th><th>"上级单位"</th><th>"密钥指纹"</th><th>"信任时间"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
