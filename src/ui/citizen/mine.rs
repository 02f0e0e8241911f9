//! The submissions made on this page: the office's replies, read and verified, and the
//! rating or 复查 request sent back.

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use super::session::Citizen;
use crate::domain::time::Timestamp;
use crate::domain::workflow::Rating;
use crate::exchange::card::UnitCard;
use crate::exchange::citizen::feedback::{seal_feedback, Feedback, FeedbackKind};
use crate::exchange::citizen::reply::{read_reply, SavedSubmission};
use crate::exchange::envelope::{looks_like_bundle, HEAD_BYTES};
use crate::exchange::recipient::Decryptor;
use crate::exchange::MAX_BUNDLE_BYTES;
use crate::platform::{clock, files, random};
use crate::ui::widgets::message::{banner, Msg};

/// The submissions made on this page, the office's replies, and rating / 复查 requests.
#[component]
pub(super) fn MySubmissions(
    citizen: StoredValue<Citizen, LocalStorage>,
    office: UnitCard,
    mine: RwSignal<Vec<SavedSubmission>>,
) -> impl IntoView {
    let msg = RwSignal::new(None::<Msg>);
    let office_key = office.key();
    let office_card = StoredValue::new(office);
    let on_reply = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        let store = citizen.with_value(|c| c.store.clone());
        let office_key = office_key.clone();
        spawn_local(async move {
            let bytes = match files::read_chosen_file(&input, MAX_BUNDLE_BYTES, HEAD_BYTES, |h| {
                looks_like_bundle(h).map_err(|e| format!("未导入：{e}"))
            })
            .await
            {
                Ok(Some((_, b))) => b,
                Ok(None) => return,
                Err(e) => return msg.set_if_alive(Some(Msg::Failed(e))),
            };
            input.set_value("");
            let Some(key) = office_key else {
                return msg.set_if_alive(Some(Msg::Failed("受理单位的名片无效".into())));
            };
            let codes: Vec<String> =
                mine.with_untracked(|m| m.iter().map(|s| s.query_code.clone()).collect());
            let me = citizen.with_value(|c| Decryptor::of(&c.identity));
            let reply = match read_reply(&bytes, &key, &codes, &me) {
                Ok(r) => r,
                Err(e) => return msg.set_if_alive(Some(Msg::Failed(format!("未导入：{e}")))),
            };
            let Some(mut saved) = mine
                .with_untracked(|m| m.iter().find(|s| s.query_code == reply.query_code).cloned())
            else {
                return;
            };
            if !saved.replies.contains(&reply) {
                saved.replies.push(reply.clone());
            }
            match store.save_submission(&saved, false).await {
                Ok(()) => {
                    mine.update_if_alive(|m| {
                        if let Some(s) = m.iter_mut().find(|s| s.query_code == saved.query_code) {
                            *s = saved.clone();
                        }
                    });
                    msg.set_if_alive(Some(Msg::Done(format!(
                        "已导入 {} 的答复（案件 {}）。",
                        reply.query_code, reply.case_no
                    ))));
                }
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    view! {
        <section class="card">
            <h2>"我的信访件"</h2>
            {banner(msg)}
            <p class="hint">"收到受理单位的答复文件后，在此导入：本页面会核对它确由受理单位签发、并对应您的查询码。"</p>
            <input type="file" name="reply" accept=".json,application/json" on:change=on_reply />
            <div data-testid="my-submissions">
                {move || mine.get().into_iter().map(|s| view! { <SubmissionItem citizen=citizen office=office_card.get_value() saved=s /> }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn SubmissionItem(
    citizen: StoredValue<Citizen, LocalStorage>,
    office: UnitCard,
    saved: SavedSubmission,
) -> impl IntoView {
    let today = clock::now().china_date();
    let latest = saved.replies.last().cloned();
    let rating = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let code = saved.query_code.clone();
    let to = saved.office.clone();
    // Encrypted to the key of the office this page submits to, if it is the same office.
    let office_key = if office.code == to.code {
        office.encryption().map_err(|e| e.to_string())
    } else {
        Err(format!(
            "本页面现在的受理单位是“{}”，不是受理此件的“{}”，请在“{}”的网上信访页面提交",
            office.name, to.name, to.name
        ))
    };
    let send = move |kind: FeedbackKind, what: &'static str| {
        let f = Feedback {
            query_code: code.clone(),
            to: to.clone(),
            created_at: clock::now().0,
            feedback: kind,
        };
        let sealed = office_key.clone().and_then(|key| {
            let random = random::random_bytes().map_err(|e| e.to_string())?;
            citizen
                .with_value(|c| seal_feedback(&f, &c.identity, &key, random))
                .map_err(|e| e.to_string())
        });
        let name = format!("{what}-{}.json", f.query_code);
        match sealed.and_then(|t| files::download(&name, &t)) {
            Ok(()) => msg.set(Some(Msg::Done(format!("已生成“{name}”，请交给受理单位。")))),
            Err(e) => msg.set(Some(Msg::Failed(e))),
        }
    };
    let send2 = send.clone();
    let rate = move |_| match Rating::from_key(&rating.get_untracked()) {
        None => msg.set(Some(Msg::Failed("请选择评价".into()))),
        Some(r) => send(
            FeedbackKind::Rating {
                rating: r,
                comment: comment.get_untracked(),
            },
            "评价",
        ),
    };
    let review = move |_| {
        if reason.get_untracked().trim().is_empty() {
            return msg.set(Some(Msg::Failed("请填写复查请求和理由".into())));
        }
        send2(
            FeedbackKind::Review {
                reason: reason.get_untracked(),
            },
            "复查申请",
        )
    };
    let reply_view = match latest {
        None => view! { <p class="hint">"尚未导入答复"</p> }.into_any(),
        Some(r) => {
            let can_review = r.review_open(today);
            view! {
            <div class="reply" data-testid="reply">
                <p>{format!("案件 {} · {} · 当前：{}", r.case_no, r.from.name, r.stage)}</p>
                <p class="hint">{r.next.clone()}</p>
                {r.documents.into_iter().map(|d| view! {
                    <details class="doc-text">
                        <summary>{format!("{}（{}）", d.title, d.date)}</summary>
                        <p>{d.recipient}</p>
                        {d.paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        <p class="right">{d.issuer}</p>
                    </details>
                }).collect_view()}
                <div class="feedback">
                    <select name="rating" on:change=move |ev| rating.set(event_target_value(&ev))>
                        <option value="">"评价答复"</option>
                        {Rating::ALL.iter().map(|r| view! { <option value=r.key()>{r.label()}</option> }).collect_view()}
                    </select>
                    <input type="text" name="comment" placeholder="意见（可不填）" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev)) />
                    <button type="button" class="secondary" on:click=rate>"生成评价文件"</button>
                </div>
                {can_review.then(|| view! {
                    <div class="feedback">
                        <input type="text" name="review_reason" placeholder=format!("复查请求和理由（{} 前可申请）", r.review_until.map(|d| d.to_string()).unwrap_or_default()) prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                        <button type="button" class="secondary" on:click=review>"生成复查申请文件"</button>
                    </div>
                })}
            </div>
        }
        .into_any()
        }
    };
    view! {
        <div class="submission">
            <p><strong class="mono">{saved.query_code.clone()}</strong> " " {saved.title.clone()} <span class="hint">{format!(" · {} 提交", Timestamp(saved.created_at).display())}</span></p>
            {reply_view}
            {banner(msg)}
        </div>
    }
}
