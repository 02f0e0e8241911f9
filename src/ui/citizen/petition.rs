//! The petition form, its signed submission, and the receipt.

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use super::mine::MySubmissions;
use super::session::Citizen;
use crate::domain::attachment::{
    attach, Attachment, MAX_ATTACHMENTS, MAX_ATTACHMENTS_BYTES, MAX_ATTACHMENT_BYTES,
};
use crate::domain::calendar::WorkCalendar;
use crate::domain::errors::FieldErrors;
use crate::domain::guide::InAppBrowser;
use crate::domain::time::Timestamp;
use crate::domain::vocab::Channel;
use crate::domain::workflow::{notice_due, NOTICE_DAYS};
use crate::domain::PetitionDraft;
use crate::exchange::card::UnitRef;
use crate::exchange::citizen::page::PageConfig;
use crate::exchange::citizen::reply::SavedSubmission;
use crate::exchange::citizen::submission::{seal_submission, Submission};
use crate::platform::{clock, files, page, random};
use crate::report::qr::qr_svg_path;
use crate::ui::widgets::forms::PetitionForm;
use crate::ui::widgets::message::{banner, show_field_errors, Msg};

#[component]
pub(super) fn PetitionPage(
    citizen: StoredValue<Citizen, LocalStorage>,
    config: PageConfig,
) -> impl IntoView {
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
                    draft.set_if_alive(d);
                    earlier.set_if_alive(e);
                }
            }
            if let Ok(Some(json)) = store.draft_attachments().await {
                if let Ok(files) = serde_json::from_str::<Vec<Attachment>>(&json) {
                    attachments.set_if_alive(files);
                }
            }
            if let Ok(list) = store.submissions().await {
                mine.set_if_alive(list);
            }
            loaded.set_if_alive(true);
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
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        spawn_local(async move {
            let chosen = files::read_all_files(&input, MAX_ATTACHMENT_BYTES).await;
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
            msg.set_if_alive((!problems.is_empty()).then(|| Msg::Failed(problems.join("；"))));
        });
    };
    let office = config.office.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let now = clock::now();
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
            reply_key: String::new(),
        };
        // Encrypted to the office's key from the page's config; the citizen's own key
        // for the replies goes inside.
        let sealed = office
            .encryption()
            .map_err(|e| e.to_string())
            .and_then(|key| {
                let random = random::random_bytes().map_err(|e| e.to_string())?;
                citizen
                    .with_value(|c| seal_submission(&submission, &c.identity, &key, random))
                    .map_err(|e| e.to_string())
            });
        let (file, code) = match sealed {
            Ok(s) => s,
            Err(e) => return msg.set(Some(Msg::Failed(e))),
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
                    draft.set_if_alive(PetitionDraft {
                        channel: Some(Channel::Online),
                        ..PetitionDraft::default()
                    });
                    earlier.set_if_alive(String::new());
                    attachments.set_if_alive(Vec::new());
                    mine.update_if_alive(|m| m.insert(0, saved.clone()));
                    msg.set_if_alive(None);
                    receipt.set_if_alive(Some(saved));
                }
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    let townships = config.townships.clone();
    let form = view! {
        <section class="card">
            <h2>"填写信访事项"</h2>
            {InAppBrowser::of(&page::user_agent()).map(|b| view! {
                <p class="msg bad" role="alert" data-testid="in-app-form">{b.advice()}</p>
            })}
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
    let name = format!("信访件-{code}.json");
    let in_app = InAppBrowser::of(&page::user_agent());
    let shareable = page::can_share_file("application/json");
    let share_msg = RwSignal::new(None::<Msg>);
    let save = {
        let (name, file) = (name.clone(), file.clone());
        move |_| {
            let _ = files::download(&name, &file);
        }
    };
    let share = move |_| {
        let (name, file) = (name.clone(), file.clone());
        spawn_local(async move {
            if let Err(e) = page::share_file(&name, "application/json", &file).await {
                share_msg.set_if_alive(Some(Msg::Failed(e)));
            }
        });
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
                "接下来：请保存信访件文件并交给（或按受理单位公布的方式发送给）{}。文件已加密，只有受理单位能打开，他人拿到也看不到您的姓名、证件号码和反映的内容。受理单位应自收到之日起 {NOTICE_DAYS} 日内书面告知您是否受理，即最迟于 {due} 前（按今天收到计算）。之后可凭查询码导入受理单位的答复。",
                r.office.name
            )}</p>
            {in_app.map(|b| view! { <p class="msg bad" role="alert" data-testid="in-app">{b.advice()}</p> })}
            {banner(share_msg)}
            <div class="actions">
                <button type="button" class="primary" on:click=save>"保存信访件文件"</button>
                {shareable.then(|| view! {
                    <button type="button" class="secondary" data-testid="share-file" on:click=share>"分享信访件文件"</button>
                })}
                <button type="button" class="secondary" on:click=|_| page::print()>"打印回执"</button>
                <button type="button" class="secondary" on:click=move |_| receipt.set(None)>"再写一件"</button>
            </div>
        </section>
    }
}
