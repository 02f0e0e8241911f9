//! Form building blocks bound to a draft signal, and the two forms of this app: the
//! petition form (register and correct) and the unit form (setup and settings).

use leptos::prelude::*;

use crate::domain::errors::FieldErrors;
use crate::domain::field::PetitionField as F;
use crate::domain::petition::PetitionerDraft;
use crate::domain::unit::UnitDraft;
use crate::domain::vocab::{
    Category, Channel, PetitionType, PetitionerKind, UnitLevel, MAX_REPRESENTATIVES,
};
use crate::domain::PetitionDraft;

/// A labelled field with its error message underneath.
#[component]
pub fn Field(
    /// What the field is.
    label: &'static str,
    /// Marked with * when it must be filled.
    #[prop(optional)]
    required: bool,
    /// The error shown under it, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Spans the form's width.
    #[prop(optional)]
    wide: bool,
    /// The input.
    children: Children,
) -> impl IntoView {
    view! {
        <label class="field" class:wide=wide class:invalid=move || error.with(Option::is_some)>
            <span class="label">{label}{required.then_some(view! { <span class="req" aria-hidden="true">"*"</span> })}</span>
            {children()}
            {move || error.get().map(|m| view! { <span class="error" role="alert">{m}</span> })}
        </label>
    }
}

/// The error signal for one field path.
pub fn error_of(errors: RwSignal<FieldErrors>, key: impl Into<String>) -> Signal<Option<String>> {
    let key = key.into();
    Signal::derive(move || errors.with(|e| e.get(&key).map(str::to_owned)))
}

/// A text input bound to one string of a draft.
pub fn text_input<T: Send + Sync + 'static>(
    draft: RwSignal<T>,
    name: String,
    get: impl Fn(&T) -> String + Send + Sync + 'static,
    set: impl Fn(&mut T, String) + Send + Sync + 'static,
    multiline: bool,
) -> AnyView {
    if multiline {
        view! { <textarea name=name rows="4" prop:value=move || draft.with(&get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))></textarea> }.into_any()
    } else {
        view! { <input type="text" name=name prop:value=move || draft.with(&get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev))) /> }.into_any()
    }
}

/// A text input bound to one `String` field of a draft, named by accessor functions.
pub fn string_input<T: Send + Sync + 'static>(
    draft: RwSignal<T>,
    name: &'static str,
    get: fn(&T) -> &String,
    set: fn(&mut T) -> &mut String,
    multiline: bool,
) -> AnyView {
    text_input(
        draft,
        name.to_owned(),
        move |d| get(d).clone(),
        move |d, v| *set(d) = v,
        multiline,
    )
}

/// A checkbox bound to one flag of a draft.
pub fn check_input<T: Send + Sync + 'static>(
    draft: RwSignal<T>,
    name: &'static str,
    label: &'static str,
    get: impl Fn(&T) -> bool + Send + Sync + 'static,
    set: impl Fn(&mut T, bool) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name=name prop:checked=move || draft.with(&get) on:change=move |ev| draft.update(|d| set(d, event_target_checked(&ev))) />
            {label}
        </label>
    }
}

/// A select over `(key, label)` options bound to one optional value of a draft.
pub fn select_input<T: Send + Sync + 'static>(
    draft: RwSignal<T>,
    name: &'static str,
    options: Vec<(String, String)>,
    get: impl Fn(&T) -> String + Send + Sync + Clone + 'static,
    set: impl Fn(&mut T, String) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <select name=name on:change=move |ev| draft.update(|d| set(d, event_target_value(&ev)))>
            <option value="">"请选择"</option>
            {options
                .into_iter()
                .map(|(key, label)| {
                    let get = get.clone();
                    let k = key.clone();
                    view! { <option value=key selected=move || draft.with(|d| get(d) == k)>{label}</option> }
                })
                .collect_view()}
        </select>
    }
}

/// `(key, label)` pairs of a labelled enum.
macro_rules! options_of {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| (v.key().to_owned(), v.label().to_owned()))
            .collect::<Vec<_>>()
    };
}

/// Which list of people a row belongs to.
#[derive(Clone, Copy)]
enum People {
    Petitioners,
    Representatives,
}

impl People {
    fn key(self) -> &'static str {
        match self {
            People::Petitioners => F::Petitioners.key(),
            People::Representatives => F::Representatives.key(),
        }
    }
    fn list(self, d: &PetitionDraft) -> &Vec<PetitionerDraft> {
        match self {
            People::Petitioners => &d.petitioners,
            People::Representatives => &d.representatives,
        }
    }
    fn list_mut(self, d: &mut PetitionDraft) -> &mut Vec<PetitionerDraft> {
        match self {
            People::Petitioners => &mut d.petitioners,
            People::Representatives => &mut d.representatives,
        }
    }
}

fn person_row(
    draft: RwSignal<PetitionDraft>,
    errors: RwSignal<FieldErrors>,
    people: People,
    i: usize,
) -> impl IntoView {
    let path = format!("{}.{i}", people.key());
    let field = move |f: &'static str| format!("{}.{i}.{f}", people.key());
    let text = move |f: &'static str,
                     get: fn(&PetitionerDraft) -> &String,
                     set: fn(&mut PetitionerDraft) -> &mut String| {
        text_input(
            draft,
            field(f),
            move |d| {
                people
                    .list(d)
                    .get(i)
                    .map(|p| get(p).clone())
                    .unwrap_or_default()
            },
            move |d, v| {
                if let Some(p) = people.list_mut(d).get_mut(i) {
                    *set(p) = v;
                }
            },
            false,
        )
    };
    let kind = select_input(
        draft,
        "kind",
        options_of!(PetitionerKind),
        move |d| {
            people
                .list(d)
                .get(i)
                .map(|p| p.kind.key().to_owned())
                .unwrap_or_default()
        },
        move |d, v| {
            if let (Some(p), Some(k)) =
                (people.list_mut(d).get_mut(i), PetitionerKind::from_key(&v))
            {
                p.kind = k;
            }
        },
    );
    view! {
        <div class="person-row" data-row=path>
            {matches!(people, People::Petitioners).then_some(view! { <Field label="类型" error=Signal::derive(|| None::<String>)>{kind}</Field> })}
            <Field label="姓名或名称" error=error_of(errors, field("name"))>{text("name", |p| &p.name, |p| &mut p.name)}</Field>
            <Field label="身份证号" error=error_of(errors, field("id_number"))>{text("id_number", |p| &p.id_number, |p| &mut p.id_number)}</Field>
            <Field label="联系电话" error=error_of(errors, field("phone"))>{text("phone", |p| &p.phone, |p| &mut p.phone)}</Field>
            <Field label="住址" error=error_of(errors, field("address"))>{text("address", |p| &p.address, |p| &mut p.address)}</Field>
            <button type="button" class="link remove" on:click=move |_| draft.update(|d| {
                if i < people.list(d).len() {
                    people.list_mut(d).remove(i);
                }
            })>"删除此行"</button>
        </div>
    }
}

fn people_rows(
    draft: RwSignal<PetitionDraft>,
    errors: RwSignal<FieldErrors>,
    people: People,
) -> impl IntoView {
    view! {
        <For each=move || 0..draft.with(|d| people.list(d).len()) key=|i| *i let:i>
            {person_row(draft, errors, people, i)}
        </For>
    }
}

/// The petition form: shared by registration and correction.
#[component]
pub fn PetitionForm(
    /// The form's content, kept as typed.
    draft: RwSignal<PetitionDraft>,
    /// Each field's error, from the domain's validation.
    errors: RwSignal<FieldErrors>,
    /// The unit's townships, offered for 发生地乡镇.
    townships: Vec<String>,
) -> impl IntoView {
    let err = move |f: F| error_of(errors, f);
    let text = move |name: &'static str,
                     get: fn(&PetitionDraft) -> &String,
                     set: fn(&mut PetitionDraft) -> &mut String,
                     multi: bool| { string_input(draft, name, get, set, multi) };
    let township_options = townships
        .into_iter()
        .map(|t| (t.clone(), t))
        .collect::<Vec<_>>();
    view! {
        <fieldset>
            <legend>"来源"</legend>
            <div class="grid">
                <Field label=F::ReceivedOn.label() error=err(F::ReceivedOn)>
                    <input type="date" name=F::ReceivedOn.key() prop:value=move || draft.with(|d| d.received_on.clone()) on:input=move |ev| draft.update(|d| d.received_on = event_target_value(&ev)) />
                    <span class="hint">"不填则为登记当天；期限从收件次日起算"</span>
                </Field>
                <Field label=F::Channel.label() required=true error=err(F::Channel)>
                    {select_input(draft, F::Channel.key(), options_of!(Channel), |d| d.channel.map(|c| c.key().to_owned()).unwrap_or_default(), |d, v| d.channel = Channel::from_key(&v))}
                </Field>
            </div>
        </fieldset>
        <fieldset>
            <legend>"信访人"</legend>
            {move || err(F::Petitioners).get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {people_rows(draft, errors, People::Petitioners)}
            <div class="row-actions">
                <button type="button" class="secondary" on:click=move |_| draft.update(|d| d.petitioners.push(PetitionerDraft::default()))>"＋ 添加信访人"</button>
                {check_input(draft, F::Anonymous.key(), "匿名信访", |d| d.anonymous, |d, v| d.anonymous = v)}
            </div>
            <div class="grid">
                <Field label=F::HeadCount.label() error=err(F::HeadCount)>
                    {text(F::HeadCount.key(), |d| &d.head_count, |d| &mut d.head_count, false)}
                    <span class="hint">"不填则按信访人数计；5 人及以上为集体访"</span>
                </Field>
            </div>
            <h4>"代表（集体访，最多 " {MAX_REPRESENTATIVES} " 人）"</h4>
            {move || err(F::Representatives).get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {people_rows(draft, errors, People::Representatives)}
            <button type="button" class="secondary" on:click=move |_| draft.update(|d| d.representatives.push(PetitionerDraft::default()))>"＋ 添加代表"</button>
        </fieldset>
        <fieldset>
            <legend>"信访事项"</legend>
            <div class="grid">
                <Field label=F::Title.label() required=true wide=true error=err(F::Title)>{text(F::Title.key(), |d| &d.title, |d| &mut d.title, false)}</Field>
                <Field label=F::Request.label() required=true wide=true error=err(F::Request)>{text(F::Request.key(), |d| &d.request, |d| &mut d.request, true)}</Field>
                <Field label=F::Facts.label() wide=true error=err(F::Facts)>{text(F::Facts.key(), |d| &d.facts, |d| &mut d.facts, true)}</Field>
                <Field label=F::Reasons.label() wide=true error=err(F::Reasons)>{text(F::Reasons.key(), |d| &d.reasons, |d| &mut d.reasons, true)}</Field>
                <Field label=F::Category.label() required=true error=err(F::Category)>
                    {select_input(draft, F::Category.key(), options_of!(Category), |d| d.category.map(|c| c.key().to_owned()).unwrap_or_default(), |d, v| d.category = Category::from_key(&v))}
                </Field>
                <Field label=F::PetitionType.label() required=true error=err(F::PetitionType)>
                    {select_input(draft, F::PetitionType.key(), options_of!(PetitionType), |d| d.petition_type.map(|c| c.key().to_owned()).unwrap_or_default(), |d, v| d.petition_type = PetitionType::from_key(&v))}
                </Field>
                <Field label=F::Township.label() required=true error=err(F::Township)>
                    {select_input(draft, F::Township.key(), township_options, |d| d.township.clone(), |d, v| d.township = v)}
                </Field>
                <Field label=F::Village.label() error=err(F::Village)>{text(F::Village.key(), |d| &d.village, |d| &mut d.village, false)}</Field>
                <Field label=F::ComplainedAbout.label() wide=true error=err(F::ComplainedAbout)>{text(F::ComplainedAbout.key(), |d| &d.complained_about, |d| &mut d.complained_about, false)}</Field>
            </div>
            <div class="checks">
                {check_input(draft, "skip_level", "越级", |d| d.flags.skip_level, |d, v| d.flags.skip_level = v)}
                {check_input(draft, "major_urgent", "重大紧急", |d| d.flags.major_urgent, |d, v| d.flags.major_urgent = v)}
                {check_input(draft, "law_litigation", "涉法涉诉", |d| d.flags.law_litigation, |d, v| d.flags.law_litigation = v)}
            </div>
        </fieldset>
    }
}

/// The unit form: used at first run and in settings.
#[component]
pub fn UnitForm(
    /// The form's content.
    draft: RwSignal<UnitDraft>,
    /// Each field's error.
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let err = move |k: &'static str| error_of(errors, k);
    let text = move |name: &'static str,
                     get: fn(&UnitDraft) -> &String,
                     set: fn(&mut UnitDraft) -> &mut String,
                     multi: bool| { string_input(draft, name, get, set, multi) };
    view! {
        <div class="grid">
            <Field label="单位名称" required=true wide=true error=err("name")>{text("name", |d| &d.name, |d| &mut d.name, false)}</Field>
            <Field label="单位层级" required=true error=err("level")>
                {select_input(draft, "level", options_of!(UnitLevel), |d| d.level.map(|l| l.key().to_owned()).unwrap_or_default(), |d, v| d.level = UnitLevel::from_key(&v))}
            </Field>
            <Field label="单位代码" required=true error=err("code")>
                {text("code", |d| &d.code, |d| &mut d.code, false)}
                <span class="hint">"用于案件编号，如 XF330100-2026-00001"</span>
            </Field>
            <Field label="经办人" required=true error=err("operator")>{text("operator", |d| &d.operator, |d| &mut d.operator, false)}</Field>
            <Field label="上级单位" wide=true error=err("parent")>
                {text("parent", |d| &d.parent, |d| &mut d.parent, false)}
                <span class="hint">"对本单位处理意见的复查由上级单位受理，如 某某市信访局；本单位卡片会写明"</span>
            </Field>
            <Field label="所辖乡镇（每行一个）" required=true wide=true error=err("townships")>{text("townships", |d| &d.townships, |d| &mut d.townships, true)}</Field>
            <Field label="联系部门（每行一个）" wide=true error=err("departments")>{text("departments", |d| &d.departments, |d| &mut d.departments, true)}</Field>
        </div>
    }
}
