//! The citizen's page (`#/petition`): the guide, the petition form with attachments,
//! the signed submission and its receipt (查询码, QR code, what happens next). It keeps
//! its own database and never opens office data.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::app::{banner, show_field_errors, Msg};
use super::forms::PetitionForm;
use super::online_section::CONFIG_FILE;
use super::platform;
use crate::domain::attachment::{
    attach, Attachment, MAX_ATTACHMENTS, MAX_ATTACHMENTS_BYTES, MAX_ATTACHMENT_BYTES,
};
use crate::domain::calendar::WorkCalendar;
use crate::domain::errors::FieldErrors;
use crate::domain::guide;
use crate::domain::time::Timestamp;
use crate::domain::vocab::Channel;
use crate::domain::workflow::{notice_due, Rating, NOTICE_DAYS};
use crate::domain::PetitionDraft;
use crate::exchange::card::{UnitCard, UnitRef};
use crate::exchange::citizen::feedback::{seal_feedback, Feedback, FeedbackKind};
use crate::exchange::citizen::reply::{read_reply, SavedSubmission};
use crate::exchange::citizen::submission::{seal_submission, Submission};
use crate::exchange::read::read_unit_card;
use crate::exchange::{Identity, MAX_BUNDLE_BYTES};
use crate::report::qr::qr_svg_path;
use crate::store::citizen::{CitizenStore, CITIZEN_DB};

/// The office this page submits to, from the config file next to the static files.
#[derive(Clone)]
struct Config {
    office: UnitCard,
    townships: Vec<String>,
}

async fn load_config() -> Result<Config, String> {
    let not_set = || {
        format!("本页面尚未配置受理单位（缺少或无法读取 {CONFIG_FILE}），暂时不能提交。请联系当地信访部门。")
    };
    let text = match platform::embedded_config() {
        Some(text) => text,
        // A single file opened from disk has nothing beside it to read.
        None if platform::single_file() => return Err(not_set()),
        None => {
            let window = web_sys::window().ok_or_else(not_set)?;
            let response: web_sys::Response = JsFuture::from(window.fetch_with_str(CONFIG_FILE))
                .await
                .map_err(|_| not_set())?
                .unchecked_into();
            if !response.ok() {
                return Err(not_set());
            }
            JsFuture::from(response.text().map_err(|_| not_set())?)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .ok_or_else(not_set)?
        }
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|_| not_set())?;
    let office_file =
        serde_json::to_vec(value.get("office").ok_or_else(not_set)?).map_err(|_| not_set())?;
    let office =
        read_unit_card(&office_file).map_err(|e| format!("配置文件中的受理单位名片无效：{e}"))?;
    let townships = value
        .get("townships")
        .and_then(|t| serde_json::from_value(t.clone()).ok())
        .unwrap_or_default();
    Ok(Config { office, townships })
}

struct Citizen {
    store: Rc<CitizenStore>,
    identity: Identity,
}

/// The citizen's page.
#[component]
pub fn CitizenApp() -> impl IntoView {
    let opened = LocalResource::new(|| async {
        let store = CitizenStore::open(CITIZEN_DB)
            .await
            .map_err(|e| e.to_string())?;
        let identity = store
            .identity_or_create(platform::random_seed())
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

#[component]
fn PetitionPage(citizen: StoredValue<Citizen, LocalStorage>, config: Config) -> impl IntoView {
    let store = citizen.with_value(|c| c.store.clone());
    let draft = RwSignal::new(PetitionDraft {
        channel: Some(Channel::Online),
        ..PetitionDraft::default()
    });
    let earlier = RwSignal::new(String::new());
    let attachments = RwSignal::new(Vec::<Attachment>::new());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let receipt = RwSignal::new(None::<SavedSubmission>);
    let mine = RwSignal::new(Vec::<SavedSubmission>::new());
    let loaded = RwSignal::new(false);
    {
        let store = store.clone();
        spawn_local(async move {
            if let Ok(Some(json)) = store.draft().await {
                if let Ok((d, e)) = serde_json::from_str::<(PetitionDraft, String)>(&json) {
                    draft.set(d);
                    earlier.set(e);
                }
            }
            if let Ok(Some(json)) = store.draft_attachments().await {
                if let Ok(files) = serde_json::from_str::<Vec<Attachment>>(&json) {
                    attachments.set(files);
                }
            }
            if let Ok(list) = store.submissions().await {
                mine.set(list);
            }
            loaded.set(true);
        });
    }
    {
        let store = store.clone();
        Effect::new(move |_| {
            let state = (draft.get(), earlier.get());
            if !loaded.get() {
                return;
            }
            let json = serde_json::to_string(&state).ok();
            let store = store.clone();
            spawn_local(async move {
                let _ = store.save_draft(json.as_deref()).await;
            });
        });
    }
    {
        let store = store.clone();
        Effect::new(move |_| {
            let files = attachments.get();
            if !loaded.get() {
                return;
            }
            let json = (!files.is_empty())
                .then(|| serde_json::to_string(&files).ok())
                .flatten();
            let store = store.clone();
            spawn_local(async move {
                let _ = store.save_draft_attachments(json.as_deref()).await;
            });
        });
    }
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = platform::input_of(&ev) else {
            return;
        };
        spawn_local(async move {
            let chosen = platform::read_all_files(&input, MAX_ATTACHMENT_BYTES).await;
            input.set_value("");
            let mut problems = Vec::new();
            for (name, media, bytes) in chosen {
                let added = bytes.and_then(|b| {
                    attachments
                        .try_update(|list| {
                            attach(list, &name, &media, &b).map_err(|e| e.to_string())
                        })
                        .unwrap_or(Ok(()))
                });
                if let Err(e) = added {
                    problems.push(format!("{name}：{e}"));
                }
            }
            msg.set((!problems.is_empty()).then(|| Msg::Failed(problems.join("；"))));
        });
    };
    let office = config.office.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let now = platform::now();
        let petition = match draft.get_untracked().validate(now.china_date()) {
            Ok(p) => p,
            Err(e) => return show_field_errors(msg, errors, e),
        };
        errors.set(FieldErrors::default());
        let submission = Submission {
            to: UnitRef {
                code: office.code.clone(),
                name: office.name.clone(),
            },
            created_at: now.0,
            petition,
            earlier: earlier.get_untracked().trim().to_owned(),
            attachments: attachments.get_untracked(),
        };
        let sealed = citizen.with_value(|c| seal_submission(&submission, &c.identity));
        let (file, code) = match sealed {
            Ok(s) => s,
            Err(e) => return msg.set(Some(Msg::Failed(e.to_string()))),
        };
        let saved = SavedSubmission {
            query_code: code,
            created_at: now.0,
            title: submission.petition.title.clone(),
            office: submission.to.clone(),
            file,
            replies: Vec::new(),
        };
        let store = citizen.with_value(|c| c.store.clone());
        spawn_local(async move {
            match store.save_submission(&saved, true).await {
                Ok(()) => {
                    draft.set(PetitionDraft {
                        channel: Some(Channel::Online),
                        ..PetitionDraft::default()
                    });
                    earlier.set(String::new());
                    attachments.set(Vec::new());
                    mine.update(|m| m.insert(0, saved.clone()));
                    msg.set(None);
                    receipt.set(Some(saved));
                }
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    let townships = config.townships.clone();
    let form = view! {
        <section class="card">
            <h2>"填写信访事项"</h2>
            <p class="hint">{format!(
                "填写内容会自动保存在本浏览器中。可附照片（JPEG、PNG）或 PDF：每个不超过 {} MB，最多 {MAX_ATTACHMENTS} 个，合计不超过 {} MB。",
                MAX_ATTACHMENT_BYTES >> 20, MAX_ATTACHMENTS_BYTES >> 20
            )}</p>
            {banner(msg)}
            <form on:submit=on_submit novalidate>
                <PetitionForm draft=draft errors=errors townships=townships />
                <fieldset>
                    <legend>"此前信访情况"</legend>
                    <textarea name="earlier" rows="2" placeholder="曾于何时向何单位反映过同一事项（没有可不填）" prop:value=move || earlier.get() on:input=move |ev| earlier.set(event_target_value(&ev))></textarea>
                </fieldset>
                <fieldset>
                    <legend>"附件"</legend>
                    <input type="file" name="attachments" multiple accept="image/jpeg,image/png,application/pdf" on:change=on_files />
                    <ul class="attachment-list" data-testid="attachments">
                        {move || attachments.get().into_iter().enumerate().map(|(i, a)| view! {
                            <li>{format!("{}（{} KB）", a.name, a.size().div_ceil(1024))}
                                <button type="button" class="link" on:click=move |_| attachments.update(|l| { l.remove(i); })>"删除"</button>
                            </li>
                        }).collect_view()}
                    </ul>
                </fieldset>
                <div class="actions"><button type="submit" class="primary">"提交并生成信访件"</button></div>
            </form>
        </section>
    };
    view! {
        {move || receipt.get().map(|r| receipt_view(r, receipt))}
        <div class:hidden=move || receipt.with(Option::is_some)>{form}</div>
        <MySubmissions citizen=citizen office=config.office.clone() mine=mine />
    }
}

fn receipt_view(r: SavedSubmission, receipt: RwSignal<Option<SavedSubmission>>) -> impl IntoView {
    let submitted = Timestamp(r.created_at);
    let due = notice_due(submitted.china_date(), &WorkCalendar::official());
    let qr = qr_svg_path(&r.query_code);
    let file = r.file.clone();
    let code = r.query_code.clone();
    let save = move |_| {
        let _ = platform::download(&format!("信访件-{code}.json"), &file);
    };
    view! {
        <section class="card receipt" data-testid="receipt">
            <h2>"信访件回执"</h2>
            <p>"查询码"</p>
            <p class="query-code mono" data-testid="receipt-code">{r.query_code.clone()}</p>
            {qr.map(|(size, path)| view! {
                <svg class="qr" viewBox=format!("0 0 {size} {size}") role="img" aria-label=format!("查询码 {} 的二维码", r.query_code)>
                    <rect width="100%" height="100%" fill="#fff"></rect>
                    <path d=path fill="#000"></path>
                </svg>
            })}
            <p>{format!("提交时间：{}；受理单位：{}", submitted.display(), r.office.name)}</p>
            <p data-testid="receipt-next">{format!(
                "接下来：请保存信访件文件并交给（或按受理单位公布的方式发送给）{}。受理单位应自收到之日起 {NOTICE_DAYS} 日内书面告知您是否受理，即最迟于 {due} 前（按今天收到计算）。之后可凭查询码导入受理单位的答复。",
                r.office.name
            )}</p>
            <div class="actions">
                <button type="button" class="primary" on:click=save>"保存信访件文件"</button>
                <button type="button" class="secondary" on:click=|_| platform::print()>"打印回执"</button>
                <button type="button" class="secondary" on:click=move |_| receipt.set(None)>"再写一件"</button>
            </div>
        </section>
    }
}

/// The submissions made on this page, the office's replies, and rating / 复查 requests.
#[component]
fn MySubmissions(
    citizen: StoredValue<Citizen, LocalStorage>,
    office: UnitCard,
    mine: RwSignal<Vec<SavedSubmission>>,
) -> impl IntoView {
    let msg = RwSignal::new(None::<Msg>);
    let office_key = office.key();
    let on_reply = move |ev: leptos::ev::Event| {
        let Some(input) = platform::input_of(&ev) else {
            return;
        };
        let store = citizen.with_value(|c| c.store.clone());
        let office_key = office_key.clone();
        spawn_local(async move {
            let bytes = match platform::read_chosen_file(&input, MAX_BUNDLE_BYTES).await {
                Ok(Some((_, b))) => b,
                Ok(None) => return,
                Err(e) => return msg.set(Some(Msg::Failed(e))),
            };
            input.set_value("");
            let Some(key) = office_key else {
                return msg.set(Some(Msg::Failed("受理单位的名片无效".into())));
            };
            let codes: Vec<String> =
                mine.with_untracked(|m| m.iter().map(|s| s.query_code.clone()).collect());
            let reply = match read_reply(&bytes, &key, &codes) {
                Ok(r) => r,
                Err(e) => return msg.set(Some(Msg::Failed(format!("未导入：{e}")))),
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
                    mine.update(|m| {
                        if let Some(s) = m.iter_mut().find(|s| s.query_code == saved.query_code) {
                            *s = saved.clone();
                        }
                    });
                    msg.set(Some(Msg::Done(format!(
                        "已导入 {} 的答复（案件 {}）。",
                        reply.query_code, reply.case_no
                    ))));
                }
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
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
                {move || mine.get().into_iter().map(|s| view! { <SubmissionItem citizen=citizen saved=s /> }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn SubmissionItem(
    citizen: StoredValue<Citizen, LocalStorage>,
    saved: SavedSubmission,
) -> impl IntoView {
    let today = platform::now().china_date();
    let latest = saved.replies.last().cloned();
    let rating = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let code = saved.query_code.clone();
    let office = saved.office.clone();
    let send = move |kind: FeedbackKind, what: &'static str| {
        let f = Feedback {
            query_code: code.clone(),
            to: office.clone(),
            created_at: platform::now().0,
            feedback: kind,
        };
        let sealed = citizen
            .with_value(|c| seal_feedback(&f, &c.identity))
            .map_err(|e| e.to_string());
        let name = format!("{what}-{}.json", f.query_code);
        match sealed.and_then(|t| platform::download(&name, &t)) {
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
            let can_review = r.review_until.is_some_and(|d| d >= today);
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
