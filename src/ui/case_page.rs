//! One case: every field, its history, and the correction form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{banner, ctx, keep_draft, show_field_errors, Msg};
use super::export::ExportBar;
use super::forms::{error_of, Field, PetitionForm};
use super::platform;
use super::route::Route;
use crate::domain::case::{correct, take_step};
use crate::domain::documents::{self, DocKind};
use crate::domain::errors::FieldErrors;
use crate::domain::petition::Petitioner;
use crate::domain::repeats::link_repeat;
use crate::domain::step_form::{build, fields, FieldSpec, Input, StepDraft};
use crate::domain::workflow::StepKind;
use crate::domain::{CaseId, CaseState, Event, EventBody, PetitionDraft};
use crate::exchange::citizen::reply::{reply_for, seal_reply};

fn load_case(id: CaseId) -> LocalResource<Result<Option<CaseState>, String>> {
    let ctx = ctx();
    LocalResource::new(move || {
        let (store, id) = (ctx.store(), id.clone());
        async move { store.case(&id).await.map_err(|e| e.to_string()) }
    })
}

fn with_case(
    res: LocalResource<Result<Option<CaseState>, String>>,
    show: impl Fn(CaseState) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        match res.get() {
        None => view! { <p class="loading">"正在读取…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="msg bad" role="alert">{e}</p> }.into_any(),
        Some(Ok(None)) => view! {
            <section class="card"><h1>"未找到该案件"</h1><p><a href="#/cases">"返回案件列表"</a></p></section>
        }
        .into_any(),
        Some(Ok(Some(state))) => show(state),
    }
    }
}

fn people_table(people: &[Petitioner]) -> AnyView {
    if people.is_empty() {
        return view! { <p class="muted">"（无）"</p> }.into_any();
    }
    let rows = people
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{p.name.clone()}</td>
                    <td>{p.kind.label()}</td>
                    <td class="mono">{p.id_number.clone()}</td>
                    <td class="mono">{p.phone.clone()}</td>
                    <td>{p.address.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table compact">
            <thead><tr><th>"姓名或名称"</th><th>"类型"</th><th>"身份证号"</th><th>"电话"</th><th>"住址"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn history_item(e: &Event) -> impl IntoView {
    let detail = match &e.body {
        EventBody::Registered { case_no, .. } => {
            view! { <p>"登记，编号 " <span class="mono">{case_no.clone()}</span></p> }.into_any()
        }
        EventBody::Corrected { changes, reason } => {
            let rows = changes
                .iter()
                .map(|c| view! { <tr><th>{c.field.label()}</th><td class="old">{c.old.display()}</td><td class="new">{c.new.display()}</td></tr> })
                .collect_view();
            view! {
                <p>"更正原因：" {reason.clone()}</p>
                <table class="table compact changes">
                    <thead><tr><th>"项目"</th><th>"原值"</th><th>"新值"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        EventBody::Step { step } => view! { <p>{step.describe()}</p> }.into_any(),
        EventBody::RepeatOf { other, other_no } => view! {
            <p>"标记为 " <a class="mono" href=Route::Case(other.clone()).href()>{other_no.clone()}</a> " 的重复访"</p>
        }
        .into_any(),
        EventBody::Submitted { query_code, earlier, attachments, .. } => {
            let files = attachments
                .iter()
                .map(|a| {
                    let a = a.clone();
                    let label = format!("{}（{} KB）", a.name, a.size().div_ceil(1024));
                    view! {
                        <button type="button" class="link file" on:click=move |_| {
                            let _ = platform::download_bytes(&a.name, &a.media_type, &a.bytes());
                        }>{label}</button>
                    }
                })
                .collect_view();
            view! {
                <p>"网上提交，查询码 " <span class="mono" data-testid="query-code">{query_code.clone()}</span></p>
                {(!earlier.is_empty()).then(|| view! { <p>"此前信访情况：" {earlier.clone()}</p> })}
                {(!attachments.is_empty()).then(|| view! { <p class="attachments">"附件：" {files}</p> })}
            }
            .into_any()
        }
        EventBody::RepeatedBy { other, other_no } => view! {
            <p>"被 " <a class="mono" href=Route::Case(other.clone()).href()>{other_no.clone()}</a> " 重复反映"</p>
        }
        .into_any(),
    };
    view! {
        <li class="event">
            <div class="event-head">
                <strong>{e.body.label()}</strong>
                <span>{e.at.display()}</span>
                <span>{format!("{}（{}）", e.actor.unit_name, e.actor.unit_code)}</span>
                <span>"经办人：" {e.actor.operator.clone()}</span>
            </div>
            {detail}
        </li>
    }
}

fn flow_panel(s: &CaseState, on_done: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let today = platform::now().china_date();
    let flow = &s.flow;
    let due = ctx.calendar.with_untracked(|cal| flow.due(cal));
    let supervisions = flow
        .open_supervisions()
        .map(|o| {
            let late = o.feedback_due < today;
            view! {
                <li class:overdue=late>{format!("{} 督办：{}；{} 前反馈{}", o.on, o.reason, o.feedback_due, if late { "（已超期）" } else { "" })}</li>
            }
        })
        .collect_view();
    let link = |(id, no): &(CaseId, String)| view! { <a class="mono" href=Route::Case(id.clone()).href()>{no.clone()}</a> " " };
    let links = view! {
        {(!s.repeat_of.is_empty()).then(|| view! { <p>"重复访，在先案件：" {s.repeat_of.iter().map(link).collect_view()}</p> })}
        {(!s.repeated_by.is_empty()).then(|| view! { <p>"被重复反映：" {s.repeated_by.iter().map(link).collect_view()}</p> })}
    };
    let docs = documents::available(s)
        .into_iter()
        .map(|k| view! { <a class="button secondary" href=Route::Document(s.id.clone(), k).href()>{k.label()}</a> })
        .collect_view();
    view! {
        <section class="card flow" data-testid="flow">
            <div class="flow-head">
                <p>"当前阶段 " <strong class="stage" data-testid="stage">{flow.stage.label()}</strong></p>
                {due.map(|d| {
                    let overdue = d.is_overdue(today);
                    view! {
                        <p class="due" class:overdue=overdue data-testid="due">
                            {format!("{}期限 {}（{}）", d.kind.label(), d.date, d.describe(today))}
                        </p>
                    }
                })}
            </div>
            <p class="next" data-testid="next">"下一步：" {flow.next_action()}</p>
            <ul class="supervisions" data-testid="supervisions">{supervisions}</ul>
            <div class="links" data-testid="links">{links}</div>
            <div class="docs" data-testid="documents">{docs}</div>
            <StepPanel state=s.clone() on_done=on_done />
            <RepeatLink state=s.clone() on_done=on_done />
            <ExportBar ids=Signal::stored(vec![s.id.clone()]) />
            {s.submission.is_some().then(|| view! { <ReplyExport state=s.clone() /> })}
        </section>
    }
}

fn case_view(s: CaseState, on_done: Callback<()>) -> AnyView {
    let p = &s.petition;
    let text = |t: &str| {
        if t.is_empty() {
            "—".to_owned()
        } else {
            t.to_owned()
        }
    };
    let badges: Vec<&'static str> = [
        (p.is_group(), "集体访"),
        (!s.repeat_of.is_empty(), "重复访"),
        (p.flags.skip_level, "越级"),
        (p.flags.major_urgent, "重大紧急"),
        (p.flags.law_litigation, "涉法涉诉"),
        (p.anonymous, "匿名"),
    ]
    .into_iter()
    .filter_map(|(on, l)| on.then_some(l))
    .collect();
    let history = s.events.iter().map(history_item).collect_view();
    view! {
        <section class="card">
            <div class="case-head">
                <div>
                    <p class="mono case-no" data-testid="case-no">{s.case_no.clone()}</p>
                    <h1 data-testid="case-title">{p.title.clone()}</h1>
                    <p class="badges">{badges.into_iter().map(|b| view! { <span class="badge">{b}</span> }).collect_view()}</p>
                </div>
                <a class="button secondary" href=Route::Correct(s.id.clone()).href()>"更正"</a>
            </div>
            <dl class="facts">
                <dt>"登记时间"</dt><dd>{s.registered_at.display()}</dd>
                <dt>"收件日期"</dt><dd>{s.received_on().to_string()}</dd>
                <dt>"登记单位"</dt><dd>{format!("{}（{}）· {}", s.registered_by.unit_name, s.registered_by.unit_code, s.registered_by.operator)}</dd>
                <dt>"信访渠道"</dt><dd>{p.channel.label()}</dd>
                <dt>"问题类别"</dt><dd>{p.category.label()}</dd>
                <dt>"信访形式"</dt><dd>{p.petition_type.label()}</dd>
                <dt>"发生地"</dt><dd>{format!("{} {}", p.township, p.village)}</dd>
                <dt>"人数"</dt><dd>{p.head_count}</dd>
                <dt>"被反映单位或人员"</dt><dd>{text(&p.complained_about)}</dd>
                <dt>"全局编号"</dt>
                <dd class="mono small">{s.id.to_string()}</dd>
            </dl>
        </section>
        {flow_panel(&s, on_done)}
        <section class="card">
            <h2>"信访人"</h2>
            {people_table(&p.petitioners)}
            {(!p.representatives.is_empty()).then(|| view! { <h2>"代表"</h2> {people_table(&p.representatives)} })}
            <h2>"信访请求"</h2><p class="prose" data-testid="case-request">{p.request.clone()}</p>
            <h2>"事实"</h2><p class="prose">{text(&p.facts)}</p>
            <h2>"理由"</h2><p class="prose">{text(&p.reasons)}</p>
        </section>
        <section class="card">
            <h2>"办理记录"</h2>
            <ol class="history" data-testid="history">{history}</ol>
        </section>
    }
    .into_any()
}

/// A case with its workflow and history.
#[component]
pub fn CasePage(id: CaseId) -> impl IntoView {
    let res = load_case(id);
    let on_done = Callback::new(move |_| res.refetch());
    with_case(res, move |s| case_view(s, on_done))
}

/// The form of the next workflow step: the kinds the domain allows, then the chosen
/// kind's fields as the domain describes them.
#[component]
fn StepPanel(state: CaseState, on_done: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let kind = RwSignal::new(None::<StepKind>);
    let draft = RwSignal::new(StepDraft::new());
    let errors = RwSignal::new(FieldErrors::default());
    let msg = RwSignal::new(None::<Msg>);
    let allowed = state.flow.allowed();
    let state = StoredValue::new(state);
    let choose = move |k: StepKind| {
        kind.set(Some(k));
        draft.set(StepDraft::new());
        errors.set(FieldErrors::default());
        msg.set(None);
    };
    let buttons = allowed
        .into_iter()
        .map(|k| view! { <button type="button" class="secondary" class:chosen=move || kind.get() == Some(k) on:click=move |_| choose(k)>{k.label()}</button> })
        .collect_view();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(k) = kind.get_untracked() else {
            return;
        };
        let now = platform::now();
        let today = now.china_date();
        let step = match build(k, &draft.get_untracked(), today) {
            Ok(step) => step,
            Err(e) => {
                show_field_errors(msg, errors, e);
                return;
            }
        };
        errors.set(FieldErrors::default());
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let calendar = ctx.calendar.get_untracked();
        let event = state.with_value(|s| {
            take_step(
                s,
                step,
                today,
                &calendar,
                platform::new_event_id(),
                profile.actor(),
                now,
            )
        });
        match event {
            Err(rule) => msg.set(Some(Msg::Failed(format!("不能办理：{rule}")))),
            Ok(event) => {
                let store = ctx.store();
                spawn_local(async move {
                    match store.append(&calendar, event, None).await {
                        Ok(_) => on_done.run(()),
                        Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
                    }
                });
            }
        }
    };
    let form = move || {
        kind.get().map(|k| {
            let specs = state.with_value(|s| fields(k, &s.flow));
            view! {
                <form class="step-form" on:submit=on_submit novalidate>
                    <h3>{k.label()}</h3>
                    <div class="grid">{specs.into_iter().map(|f| step_field(f, draft, errors)).collect_view()}</div>
                    <div class="actions">
                        <button type="submit" class="primary">{format!("保存{}", k.label())}</button>
                        <button type="button" class="secondary" on:click=move |_| kind.set(None)>"取消"</button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <div class="steps" data-testid="steps">
            <p class="step-buttons">{buttons}</p>
            {banner(msg)}
            {form}
        </div>
    }
}

/// Marks this case as a repeat (重复访) of an earlier one, found by its case number.
#[component]
fn RepeatLink(state: CaseState, on_done: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let number = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let state = StoredValue::new(state);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let wanted = number.get_untracked().trim().to_uppercase();
        if wanted.is_empty() {
            msg.set(Some(Msg::Failed("请填写在先案件的编号".into())));
            return;
        }
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let store = ctx.store();
        spawn_local(async move {
            let found = match store.rows_where(|r| r.case_no == wanted).await {
                Ok(rows) => rows.into_iter().next(),
                Err(e) => return msg.set(Some(Msg::Failed(e.to_string()))),
            };
            let earlier = match found {
                None => {
                    return msg.set(Some(Msg::Failed(format!(
                        "本机没有编号为 {wanted} 的案件，请核对编号"
                    ))))
                }
                Some(row) => match store.case(&row.id).await {
                    Ok(Some(c)) => c,
                    Ok(None) => {
                        return msg
                            .set(Some(Msg::Failed(format!("本机没有编号为 {wanted} 的案件"))))
                    }
                    Err(e) => return msg.set(Some(Msg::Failed(e.to_string()))),
                },
            };
            let ids = (platform::new_event_id(), platform::new_event_id());
            let linked = state.with_value(|later| {
                link_repeat(later, &earlier, ids, profile.actor(), platform::now())
            });
            match linked {
                Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
                Ok(events) => match store
                    .append_all(&ctx.calendar.get_untracked(), events.into(), None)
                    .await
                {
                    Ok(_) => on_done.run(()),
                    Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
                },
            }
        });
    };
    view! {
        <form class="repeat-link" on:submit=on_submit novalidate>
            <label>"标记为重复访：在先案件编号 "
                <input type="text" name="repeat_of" placeholder="如 XF01-2026-00001" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="secondary">"标记"</button>
            {banner(msg)}
        </form>
    }
}

/// For an online case: the reply file for the citizen (stage, next step, documents).
#[component]
fn ReplyExport(state: CaseState) -> impl IntoView {
    let ctx = ctx();
    let msg = RwSignal::new(None::<Msg>);
    let state = StoredValue::new(state);
    let export = move |_| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let now = platform::now();
        let reply = state.with_value(|s| {
            ctx.calendar
                .with_untracked(|cal| reply_for(s, &profile, cal, now.china_date(), now.0))
        });
        let Some(reply) = reply else { return };
        let sealed = ctx
            .identity
            .with_value(|i| seal_reply(&reply, i))
            .map_err(|e| e.to_string());
        let name = format!("答复-{}-{}.json", reply.case_no, reply.query_code);
        match sealed.and_then(|text| platform::download(&name, &text)) {
            Ok(()) => msg.set(Some(Msg::Done(format!(
                "已导出“{name}”，请交给信访人，信访人在网上信访页面导入。"
            )))),
            Err(e) => msg.set(Some(Msg::Failed(e))),
        }
    };
    view! {
        <div class="export-case">
            <span>"网上信访件："</span>
            <button type="button" class="secondary" on:click=export>"导出答复文件"</button>
            {banner(msg)}
        </div>
    }
}

fn step_field(
    f: FieldSpec,
    draft: RwSignal<StepDraft>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let key = f.key;
    let value = move || draft.with(|d| d.get(key).cloned().unwrap_or_default());
    let set = move |ev: leptos::ev::Event| {
        draft.update(|d| {
            d.insert(key.to_owned(), event_target_value(&ev));
        })
    };
    let wide = matches!(f.input, Input::Long);
    let input = match f.input {
        Input::Text => view! { <input type="text" name=key prop:value=value on:input=set /> }.into_any(),
        Input::Long => view! { <textarea name=key rows="3" prop:value=value on:input=set></textarea> }.into_any(),
        Input::Date => view! { <input type="date" name=key prop:value=value on:input=set /> }.into_any(),
        Input::Days => view! { <input type="number" name=key min="1" max="30" prop:value=value on:input=set /> }.into_any(),
        Input::Choice(options) => view! {
            <select name=key on:change=set>
                <option value="">"请选择"</option>
                {options.into_iter().map(|(k, l)| {
                    let sel = k.clone();
                    view! { <option value=k selected=move || draft.with(|d| d.get(key) == Some(&sel))>{l}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
    };
    view! { <Field label=f.label wide=wide error=error_of(errors, key)>{input}</Field> }
}

/// The correction page of a case.
#[component]
pub fn CorrectPage(id: CaseId) -> impl IntoView {
    with_case(load_case(id), |state| {
        view! { <CorrectForm state=state /> }.into_any()
    })
}

#[component]
fn CorrectForm(state: CaseState) -> impl IntoView {
    let ctx = ctx();
    let original = PetitionDraft::from_petition(&state.petition);
    let draft = RwSignal::new(original.clone());
    let errors = RwSignal::new(FieldErrors::default());
    let reason = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let draft_error = keep_draft(format!("correct:{}", state.id), draft, move |d| {
        *d == original
    });
    let townships = ctx
        .profile
        .with_untracked(|p| p.as_ref().map(|p| p.townships.clone()).unwrap_or_default());
    let id = state.id.clone();
    let case_no = state.case_no.clone();
    let state = StoredValue::new(state);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let now = platform::now();
        let petition = match draft.get_untracked().validate(now.china_date()) {
            Ok(p) => p,
            Err(e) => {
                show_field_errors(msg, errors, e);
                return;
            }
        };
        errors.set(FieldErrors::default());
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let event = state.with_value(|s| {
            correct(
                s,
                &petition,
                &reason.get_untracked(),
                platform::new_event_id(),
                profile.actor(),
                now,
            )
        });
        match event {
            Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
            Ok(event) => {
                let store = ctx.store();
                let key = format!("correct:{}", event.case_id);
                spawn_local(async move {
                    let calendar = ctx.calendar.get_untracked();
                    match store.append(&calendar, event.clone(), Some(&key)).await {
                        Ok(s) => Route::Case(s.id).go(),
                        Err(e) => msg.set(Some(Msg::Failed(e.to_string()))),
                    }
                });
            }
        }
    };
    view! {
        <section class="card">
            <h1>"更正案件 " <span class="mono">{case_no}</span></h1>
            <p class="hint">"更正作为一条新记录写入办理记录，原登记内容保留可查。"</p>
            {banner(msg)}
            {move || draft_error.get().map(|m| view! { <p class="msg bad" role="alert">{m}</p> })}
            <form on:submit=on_submit novalidate>
                <PetitionForm draft=draft errors=errors townships=townships />
                <fieldset>
                    <legend>"更正原因"</legend>
                    <textarea name="reason" rows="2" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary">"保存更正"</button>
                    <a class="button secondary" href=Route::Case(id).href()>"取消"</a>
                </div>
            </form>
        </section>
    }
}

/// A document of a case, laid out as an A4 page for printing.
#[component]
pub fn DocumentPage(id: CaseId, kind: DocKind) -> impl IntoView {
    let ctx = ctx();
    let back = Route::Case(id.clone()).href();
    with_case(load_case(id), move |state| {
        let doc = ctx.profile.with_untracked(|unit| {
            let unit = unit.as_ref()?;
            ctx.calendar
                .with_untracked(|cal| documents::render(kind, &state, unit, cal))
        });
        let back = back.clone();
        match doc {
            None => view! {
                <section class="card"><p>"本案件尚未办理到可出具" {kind.label()} "的环节。"</p><a href=back>"返回案件"</a></section>
            }
            .into_any(),
            Some(doc) => view! {
                <div class="doc-actions">
                    <a class="button secondary" href=back>"返回案件"</a>
                    <button type="button" class="primary" on:click=|_| platform::print()>"打印"</button>
                </div>
                <article class="document" data-testid="document">
                    <h1 class="doc-issuer">{doc.issuer.clone()}</h1>
                    <h2 class="doc-title">{doc.title}</h2>
                    <p class="doc-ref">"案件编号：" {doc.reference}</p>
                    <p class="doc-recipient">{doc.recipient}</p>
                    {doc.paragraphs.into_iter().map(|t| view! { <p class="doc-para">{t}</p> }).collect_view()}
                    <p class="doc-sign">{doc.issuer}</p>
                    <p class="doc-date">{doc.date.format("%Y 年 %m 月 %d 日").to_string()}</p>
                </article>
            }
            .into_any(),
        }
    })
}
