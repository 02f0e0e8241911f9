//! The event log. A case is the append-only set of its events; nothing is edited or
//! deleted, so two units' copies of a case merge by set union of event ids.

use serde::{Deserialize, Serialize};

use super::attachment::Attachment;
use super::field::PetitionField;
use super::ids::{CaseId, EntryId, EventId};
use super::petition::{Flags, Petition, Petitioner};
use super::time::Timestamp;
use super::vocab::{Category, Channel, PetitionType};
use super::workflow::Step;
use chrono::NaiveDate;

/// Who performs an action: the unit (by code and name) and the operator's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The acting unit's code.
    pub unit_code: String,
    /// The acting unit's name at the time.
    pub unit_name: String,
    /// The operator's name.
    pub operator: String,
}

/// One immutable fact in a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Globally unique id of this event.
    pub id: EventId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// Who recorded it.
    pub actor: Actor,
    /// When it was recorded (UTC).
    pub at: Timestamp,
    /// What happened.
    pub body: EventBody,
}

/// What an event records. New kinds are added as new variants; old ones never change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
// A case has a handful of events, read once per fold: boxing the registration buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum EventBody {
    /// 登记: the case is created with its number and content.
    Registered {
        /// Human case number, unit-year-sequence.
        case_no: String,
        /// The petition as registered.
        petition: Petition,
    },
    /// 更正: some fields of the registration were corrected.
    Corrected {
        /// Each field changed, with its value before and after.
        changes: Vec<FieldChange>,
        /// Why the correction was made.
        reason: String,
    },
    /// A step of the statutory workflow.
    Step {
        /// The step.
        step: Step,
    },
    /// 重复访: this case repeats an earlier one (recorded on the later case).
    RepeatOf {
        /// The earlier case.
        other: CaseId,
        /// Its case number.
        other_no: String,
    },
    /// The mirror of `RepeatOf`, recorded on the earlier case.
    RepeatedBy {
        /// The later case.
        other: CaseId,
        /// Its case number.
        other_no: String,
    },
    /// The case came from a citizen's online submission (recorded with its registration).
    Submitted {
        /// The submission's 查询码.
        query_code: String,
        /// The citizen's public key (base64): feedback must be signed by it.
        submitter_key: String,
        /// Earlier petitions on the same matter, in the citizen's words.
        earlier: String,
        /// The attached photos and PDFs.
        attachments: Vec<Attachment>,
        /// The citizen's encryption key (base64), which replies are encrypted to; empty
        /// for submissions made before encryption.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reply_key: String,
    },
    /// The case was registered from (or linked to) an item of the screening register.
    FromScreening {
        /// The item.
        item: EntryId,
        /// Its short title when linked.
        title: String,
    },
    /// 启动应急预案: a plan of the register started for this case.
    PlanStarted {
        /// The plan.
        plan: EntryId,
        /// Its name when started.
        name: String,
    },
    /// 预案处置记录: what was done under a started plan.
    PlanNoted {
        /// The plan.
        plan: EntryId,
        /// What was done.
        text: String,
    },
    /// 包案: the leader who owns the case until it is resolved (the latest one counts).
    LeaderAssigned {
        /// The leader's name and post, e.g. “李明（副县长）”.
        leader: String,
    },
    /// 领导接访: the visit was received by the leader on a reception day.
    ReceivedByLeader {
        /// The leader.
        leader: String,
        /// The reception day.
        reception: EntryId,
    },
    /// 领导批示 on the case.
    Instructed {
        /// The leader.
        leader: String,
        /// What was instructed.
        text: String,
    },
    /// 事后总结 of a started plan.
    PlanSummarized {
        /// The plan.
        plan: EntryId,
        /// 事件经过.
        happened: String,
        /// 有效做法.
        worked: String,
        /// 经验教训.
        lessons: String,
    },
    /// 台账导入: the case came from the unit's earlier ledger (recorded with its
    /// registration, by the registering unit).
    LedgerImported {
        /// The ledger file's name.
        source: String,
        /// The number the case had in that ledger ("" when it gave none).
        original_no: String,
        /// What the ledger says of its handling.
        handling: String,
        /// The ledger says it was settled there: nothing more is expected here.
        settled: bool,
    },
}

impl EventBody {
    /// Chinese name of the action, for the history.
    pub fn label(&self) -> &'static str {
        match self {
            EventBody::Registered { .. } => "登记",
            EventBody::Corrected { .. } => "更正",
            EventBody::Step { step } => step.kind().label(),
            EventBody::RepeatOf { .. } => "标记重复访",
            EventBody::RepeatedBy { .. } => "被重复反映",
            EventBody::Submitted { .. } => "网上提交",
            EventBody::FromScreening { .. } => "关联排查事项",
            EventBody::PlanStarted { .. } => "启动应急预案",
            EventBody::PlanNoted { .. } => "预案处置记录",
            EventBody::PlanSummarized { .. } => "事后总结",
            EventBody::LeaderAssigned { .. } => "领导包案",
            EventBody::Instructed { .. } => "领导批示",
            EventBody::ReceivedByLeader { .. } => "领导接访",
            EventBody::LedgerImported { .. } => "台账导入",
        }
    }
}

/// A field's value, typed, as recorded in a correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Free text.
    Text(String),
    /// Yes or no.
    Bool(bool),
    /// A count.
    Count(u32),
    /// A channel.
    Channel(Channel),
    /// A category.
    Category(Category),
    /// A petition type.
    PetitionType(PetitionType),
    /// People or organisations.
    People(Vec<Petitioner>),
    /// Registration flags.
    Flags(Flags),
    /// A date, or none.
    Date(Option<NaiveDate>),
}

impl FieldValue {
    /// How the value reads in the history.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Text(t) if t.is_empty() => "（空）".to_owned(),
            FieldValue::Text(t) => t.clone(),
            FieldValue::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            FieldValue::Count(n) => n.to_string(),
            FieldValue::Channel(c) => c.label().to_owned(),
            FieldValue::Category(c) => c.label().to_owned(),
            FieldValue::PetitionType(t) => t.label().to_owned(),
            FieldValue::People(p) if p.is_empty() => "（无）".to_owned(),
            FieldValue::People(p) => p
                .iter()
                .map(|p| {
                    let extra: Vec<&str> =
                        [p.id_number.as_str(), p.phone.as_str(), p.address.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect();
                    if extra.is_empty() {
                        p.name.clone()
                    } else {
                        format!("{}（{}）", p.name, extra.join("，"))
                    }
                })
                .collect::<Vec<_>>()
                .join("；"),
            FieldValue::Date(None) => "（未填，按登记日期）".to_owned(),
            FieldValue::Date(Some(d)) => d.to_string(),
            FieldValue::Flags(f) => {
                let on: Vec<&str> = [
                    (f.skip_level, "越级"),
                    (f.major_urgent, "重大紧急"),
                    (f.law_litigation, "涉法涉诉"),
                ]
                .into_iter()
                .filter_map(|(b, l)| b.then_some(l))
                .collect();
                if on.is_empty() {
                    "（无）".to_owned()
                } else {
                    on.join("、")
                }
            }
        }
    }
}

/// One field's change in a correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Which field.
    pub field: PetitionField,
    /// Value before the correction.
    pub old: FieldValue,
    /// Value after it.
    pub new: FieldValue,
}

// Reading and writing a field are here, beside the values a correction records.
impl PetitionField {
    /// Reads the field from a petition.
    pub fn get(self, p: &Petition) -> FieldValue {
        match self {
            PetitionField::Channel => FieldValue::Channel(p.channel),
            PetitionField::Petitioners => FieldValue::People(p.petitioners.clone()),
            PetitionField::Anonymous => FieldValue::Bool(p.anonymous),
            PetitionField::HeadCount => FieldValue::Count(p.head_count),
            PetitionField::Representatives => FieldValue::People(p.representatives.clone()),
            PetitionField::Title => FieldValue::Text(p.title.clone()),
            PetitionField::Request => FieldValue::Text(p.request.clone()),
            PetitionField::Facts => FieldValue::Text(p.facts.clone()),
            PetitionField::Reasons => FieldValue::Text(p.reasons.clone()),
            PetitionField::Category => FieldValue::Category(p.category),
            PetitionField::PetitionType => FieldValue::PetitionType(p.petition_type),
            PetitionField::Township => FieldValue::Text(p.township.clone()),
            PetitionField::Village => FieldValue::Text(p.village.clone()),
            PetitionField::ComplainedAbout => FieldValue::Text(p.complained_about.clone()),
            PetitionField::Flags => FieldValue::Flags(p.flags),
            PetitionField::ReceivedOn => FieldValue::Date(p.received_on),
        }
    }

    /// Writes the field; a value of the wrong type (from a foreign or damaged log) is ignored.
    pub fn set(self, p: &mut Petition, v: &FieldValue) {
        match (self, v) {
            (PetitionField::Channel, FieldValue::Channel(c)) => p.channel = *c,
            (PetitionField::Petitioners, FieldValue::People(x)) => p.petitioners = x.clone(),
            (PetitionField::Anonymous, FieldValue::Bool(b)) => p.anonymous = *b,
            (PetitionField::HeadCount, FieldValue::Count(n)) => p.head_count = *n,
            (PetitionField::Representatives, FieldValue::People(x)) => {
                p.representatives = x.clone()
            }
            (PetitionField::Title, FieldValue::Text(t)) => p.title = t.clone(),
            (PetitionField::Request, FieldValue::Text(t)) => p.request = t.clone(),
            (PetitionField::Facts, FieldValue::Text(t)) => p.facts = t.clone(),
            (PetitionField::Reasons, FieldValue::Text(t)) => p.reasons = t.clone(),
            (PetitionField::Category, FieldValue::Category(c)) => p.category = *c,
            (PetitionField::PetitionType, FieldValue::PetitionType(t)) => p.petition_type = *t,
            (PetitionField::Township, FieldValue::Text(t)) => p.township = t.clone(),
            (PetitionField::Village, FieldValue::Text(t)) => p.village = t.clone(),
            (PetitionField::ComplainedAbout, FieldValue::Text(t)) => p.complained_about = t.clone(),
            (PetitionField::Flags, FieldValue::Flags(f)) => p.flags = *f,
            (PetitionField::ReceivedOn, FieldValue::Date(d)) => p.received_on = *d,
            _ => {}
        }
    }
}

/// The field-by-field differences from `old` to `new`, in form order.
pub fn diff(old: &Petition, new: &Petition) -> Vec<FieldChange> {
    PetitionField::ALL
        .into_iter()
        .filter_map(|field| {
            let (o, n) = (field.get(old), field.get(new));
            (o != n).then_some(FieldChange {
                field,
                old: o,
                new: n,
            })
        })
        .collect()
}
