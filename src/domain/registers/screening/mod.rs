//! 矛盾纠纷排查台账: matters found by screening before anyone petitions ("将问题解决在萌芽
//! 状态"). Each item is recorded, revised, followed up until 化解, or converted into a
//! case, which then links back to it; every rule of its life is here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{ordered, EntryError, EntryEvent};
use crate::domain::case::CaseState;
use crate::domain::errors::FieldErrors;
use crate::domain::event::{Actor, Event, EventBody};
use crate::domain::ids::{CaseId, EntryId, EventId};
use crate::domain::measures::{Period, Ratio};
use crate::domain::patterns::{bigrams, dice, MatchRow, SIMILAR_MATTER};
use crate::domain::petition::{PetitionDraft, PetitionerDraft};
use crate::domain::text::normalize;
use crate::domain::time::{parse_date, Timestamp};
use crate::domain::validate::{non_blank, too_long};
use crate::domain::vocab::{labelled_enum, Category};

/// The register's kind, as stored and carried in backups.
pub const KIND: &str = "screening";

labelled_enum!(
    /// How likely a matter is to grow into group or skip-level petitions.
    Risk { High => "高", Medium => "中", Low => "低" }
);

labelled_enum!(
    /// Where an item stands.
    ItemStatus {
        Unresolved => "未化解",
        Resolving => "化解中",
        Resolved => "已化解",
        Converted => "已转为信访事项",
    }
);

labelled_enum!(
    /// What a follow-up found.
    Outcome { Resolving => "化解中", Resolved => "已化解" }
);

labelled_enum!(
    /// The fields of an item: their labels, form keys and error keys, named once.
    ScreeningField {
        FoundOn => "排查日期",
        Township => "乡镇",
        Village => "村（社区）",
        Category => "问题类别",
        Parties => "当事人",
        HeadCount => "涉及人数",
        Matter => "矛盾纠纷内容",
        Risk => "风险等级",
        Responsible => "责任单位",
        Leader => "包案领导",
        Measures => "化解措施",
        Controls => "稳控措施",
        Deadline => "化解期限",
    }
);

/// Longest text of the short fields (names, units).
const MAX_SHORT: usize = 100;
/// Longest text of the long fields (the matter, the measures, a follow-up).
const MAX_TEXT: usize = 2000;
/// Most days a resolution deadline may lie after the day found.
pub const MAX_DEADLINE_DAYS: i64 = 366;

/// One item as recorded (the latest version of it is the item's record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningRecord {
    /// 排查日期.
    pub found_on: NaiveDate,
    /// 乡镇.
    pub township: String,
    /// 村（社区）.
    pub village: String,
    /// 问题类别.
    pub category: Category,
    /// 当事人, names separated by 、 or ，.
    pub parties: String,
    /// 涉及人数.
    pub head_count: u32,
    /// What the dispute is about.
    pub matter: String,
    /// 风险等级.
    pub risk: Risk,
    /// 责任单位.
    pub responsible: String,
    /// 包案领导.
    pub leader: String,
    /// 化解措施.
    pub measures: String,
    /// 稳控措施.
    pub controls: String,
    /// The day it should be resolved by.
    pub deadline: NaiveDate,
}

impl ScreeningRecord {
    /// Each field with how it reads, in form order (the page and the history show these).
    pub fn rows(&self) -> Vec<(ScreeningField, String)> {
        use ScreeningField as F;
        F::ALL
            .iter()
            .map(|f| {
                let v = match f {
                    F::FoundOn => self.found_on.to_string(),
                    F::Township => self.township.clone(),
                    F::Village => self.village.clone(),
                    F::Category => self.category.label().to_owned(),
                    F::Parties => self.parties.clone(),
                    F::HeadCount => self.head_count.to_string(),
                    F::Matter => self.matter.clone(),
                    F::Risk => self.risk.label().to_owned(),
                    F::Responsible => self.responsible.clone(),
                    F::Leader => self.leader.clone(),
                    F::Measures => self.measures.clone(),
                    F::Controls => self.controls.clone(),
                    F::Deadline => self.deadline.to_string(),
                };
                (*f, v)
            })
            .collect()
    }

    /// The names of the parties, one each.
    pub fn party_names(&self) -> Vec<String> {
        self.parties
            .split(['、', '，', ',', '；', ';', ' ', '　'])
            .map(|s| s.trim().trim_end_matches('等').to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A short title: the matter's first line, at most 30 characters.
    pub fn title(&self) -> String {
        let line = self.matter.lines().next().unwrap_or_default().trim();
        let short: String = line.chars().take(30).collect();
        if short.chars().count() < line.chars().count() {
            format!("{short}…")
        } else {
            short
        }
    }
}

/// The item form exactly as typed (kept as a draft while it is being filled).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreeningDraft {
    /// 排查日期 (`YYYY-MM-DD`); blank means today.
    pub found_on: String,
    /// 乡镇.
    pub township: String,
    /// 村（社区）.
    pub village: String,
    /// 问题类别.
    pub category: Option<Category>,
    /// 当事人.
    pub parties: String,
    /// 涉及人数 as typed.
    pub head_count: String,
    /// 矛盾纠纷内容.
    pub matter: String,
    /// 风险等级.
    pub risk: Option<Risk>,
    /// 责任单位.
    pub responsible: String,
    /// 包案领导.
    pub leader: String,
    /// 化解措施.
    pub measures: String,
    /// 稳控措施.
    pub controls: String,
    /// 化解期限 (`YYYY-MM-DD`).
    pub deadline: String,
}

fn text(
    value: &str,
    field: ScreeningField,
    missing: Option<&str>,
    max: usize,
    e: &mut FieldErrors,
) -> String {
    match (non_blank(value), missing) {
        (None, Some(m)) => e.add(field.key(), m),
        (v, _) => {
            if let Some(m) = v.and_then(|v| too_long(v, max)) {
                e.add(field.key(), m);
            }
        }
    }
    value.trim().to_owned()
}

impl ScreeningDraft {
    /// Checks every field and, if all hold, gives the record; `today` bounds the dates.
    pub fn validate(&self, today: NaiveDate) -> Result<ScreeningRecord, FieldErrors> {
        use ScreeningField as F;
        let mut e = FieldErrors::default();
        let found_on = match non_blank(&self.found_on) {
            None => today,
            Some(t) => match parse_date(t) {
                None => {
                    e.add(
                        F::FoundOn.key(),
                        "排查日期格式应为 年-月-日，例如 2026-11-26",
                    );
                    today
                }
                Some(d) if d > today => {
                    e.add(F::FoundOn.key(), "排查日期不能晚于今天");
                    today
                }
                Some(d) => d,
            },
        };
        let township = text(
            &self.township,
            F::Township,
            Some("请选择或填写乡镇"),
            MAX_SHORT,
            &mut e,
        );
        let village = text(&self.village, F::Village, None, MAX_SHORT, &mut e);
        if self.category.is_none() {
            e.add(F::Category.key(), "请选择问题类别");
        }
        let parties = text(
            &self.parties,
            F::Parties,
            Some("请填写当事人（多人用顿号分隔）"),
            MAX_TEXT,
            &mut e,
        );
        let head_count = match non_blank(&self.head_count) {
            None => 1,
            Some(t) => match t.parse::<u32>() {
                Ok(n) if (1..=100_000).contains(&n) => n,
                _ => {
                    e.add(F::HeadCount.key(), "人数应为 1 到 100000 之间的整数");
                    1
                }
            },
        };
        let matter = text(
            &self.matter,
            F::Matter,
            Some("请填写矛盾纠纷的基本情况"),
            MAX_TEXT,
            &mut e,
        );
        if self.risk.is_none() {
            e.add(F::Risk.key(), "请选择风险等级");
        }
        let responsible = text(
            &self.responsible,
            F::Responsible,
            Some("请填写责任单位"),
            MAX_SHORT,
            &mut e,
        );
        let leader = text(
            &self.leader,
            F::Leader,
            Some("请填写包案领导"),
            MAX_SHORT,
            &mut e,
        );
        let measures = text(
            &self.measures,
            F::Measures,
            Some("请填写化解措施"),
            MAX_TEXT,
            &mut e,
        );
        let controls = text(&self.controls, F::Controls, None, MAX_TEXT, &mut e);
        let deadline = match non_blank(&self.deadline).map(parse_date) {
            None => {
                e.add(F::Deadline.key(), "请填写化解期限");
                found_on
            }
            Some(None) => {
                e.add(
                    F::Deadline.key(),
                    "化解期限格式应为 年-月-日，例如 2026-12-31",
                );
                found_on
            }
            Some(Some(d)) if d < found_on => {
                e.add(F::Deadline.key(), "化解期限不能早于排查日期");
                found_on
            }
            Some(Some(d)) if (d - found_on).num_days() > MAX_DEADLINE_DAYS => {
                e.add(
                    F::Deadline.key(),
                    format!("化解期限最长为排查日期后 {MAX_DEADLINE_DAYS} 天"),
                );
                found_on
            }
            Some(Some(d)) => d,
        };
        let (Some(category), Some(risk)) = (self.category, self.risk) else {
            return Err(e);
        };
        e.into_result(|| ScreeningRecord {
            found_on,
            township,
            village,
            category,
            parties,
            head_count,
            matter,
            risk,
            responsible,
            leader,
            measures,
            controls,
            deadline,
        })
    }

    /// The form filled with a record, to revise it.
    pub fn from_record(r: &ScreeningRecord) -> ScreeningDraft {
        ScreeningDraft {
            found_on: r.found_on.to_string(),
            township: r.township.clone(),
            village: r.village.clone(),
            category: Some(r.category),
            parties: r.parties.clone(),
            head_count: r.head_count.to_string(),
            matter: r.matter.clone(),
            risk: Some(r.risk),
            responsible: r.responsible.clone(),
            leader: r.leader.clone(),
            measures: r.measures.clone(),
            controls: r.controls.clone(),
            deadline: r.deadline.to_string(),
        }
    }

    /// True when nothing was typed (no draft worth keeping).
    pub fn is_untouched(&self) -> bool {
        *self == ScreeningDraft::default()
    }
}

/// What an event of an item records. New kinds are added as new variants; old ones never
/// change (backups carry this form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScreeningBody {
    /// 登记: the item found.
    Recorded {
        /// As recorded.
        record: ScreeningRecord,
    },
    /// 修改: the record changed.
    Revised {
        /// The whole record after the change.
        record: ScreeningRecord,
        /// Why.
        reason: String,
    },
    /// 跟进: what was done on a day, and where that leaves the item.
    FollowedUp {
        /// The day of the work.
        on: NaiveDate,
        /// What was done.
        text: String,
        /// Where it stands after.
        outcome: Outcome,
    },
    /// 转为信访事项: the item became (or was joined by) a registered case.
    Converted {
        /// The case.
        case_id: CaseId,
        /// Its number.
        case_no: String,
    },
}

impl ScreeningBody {
    /// Chinese name of the action, for the history.
    pub fn label(&self) -> &'static str {
        match self {
            ScreeningBody::Recorded { .. } => "排查登记",
            ScreeningBody::Revised { .. } => "修改",
            ScreeningBody::FollowedUp { .. } => "跟进化解",
            ScreeningBody::Converted { .. } => "转为信访事项",
        }
    }
}

/// One event of a screening item.
pub type ScreeningEvent = EntryEvent<ScreeningBody>;

/// A follow-up record as the item shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The day of the work.
    pub on: NaiveDate,
    /// What was done.
    pub text: String,
    /// Where it left the item.
    pub outcome: Outcome,
    /// Who recorded it.
    pub by: Actor,
}

/// An item as it stands: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningItem {
    /// Its id.
    pub id: EntryId,
    /// The latest version of the record.
    pub record: ScreeningRecord,
    /// Who found it.
    pub recorded_by: Actor,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Where it stands.
    pub status: ItemStatus,
    /// Follow-ups in order.
    pub follow_ups: Vec<FollowUp>,
    /// The case it became, by id and number.
    pub case: Option<(CaseId, String)>,
    /// Every event, in fold order.
    pub events: Vec<ScreeningEvent>,
}

/// Builds an item from its events, in any order, ignoring duplicates.
pub fn fold(events: &[ScreeningEvent]) -> Result<ScreeningItem, EntryError> {
    let sorted = ordered(events)?;
    let first = sorted
        .iter()
        .position(|e| matches!(e.body, ScreeningBody::Recorded { .. }))
        .ok_or(EntryError::NoRecord)?;
    let head = sorted[first];
    let ScreeningBody::Recorded { record } = &head.body else {
        return Err(EntryError::NoRecord);
    };
    let mut item = ScreeningItem {
        id: head.entry.clone(),
        record: record.clone(),
        recorded_by: head.actor.clone(),
        recorded_at: head.at,
        status: ItemStatus::Unresolved,
        follow_ups: Vec::new(),
        case: None,
        events: Vec::with_capacity(sorted.len()),
    };
    item.events.push(head.clone());
    for (i, e) in sorted.iter().enumerate() {
        if i == first {
            continue;
        }
        match &e.body {
            ScreeningBody::Recorded { .. } => {}
            ScreeningBody::Revised { record, .. } => item.record = record.clone(),
            ScreeningBody::FollowedUp { on, text, outcome } => {
                item.follow_ups.push(FollowUp {
                    on: *on,
                    text: text.clone(),
                    outcome: *outcome,
                    by: e.actor.clone(),
                });
                // Once it is a petition, the case's workflow says where it stands.
                if item.case.is_none() {
                    item.status = match outcome {
                        Outcome::Resolving => ItemStatus::Resolving,
                        Outcome::Resolved => ItemStatus::Resolved,
                    };
                }
            }
            ScreeningBody::Converted { case_id, case_no } => {
                if item.case.is_none() {
                    item.case = Some((case_id.clone(), case_no.clone()));
                    item.status = ItemStatus::Converted;
                }
            }
        }
        item.events.push((*e).clone());
    }
    Ok(item)
}

/// Why a change to an item was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ItemError {
    /// A revision that changes nothing.
    #[error("没有修改任何内容，无需保存")]
    NoChanges,
    /// A revision without its reason.
    #[error("请填写修改原因")]
    NoReason,
    /// A follow-up without what was done.
    #[error("请填写跟进情况")]
    NoText,
    /// A follow-up too long.
    #[error("跟进情况过长：最多 {MAX_TEXT} 字")]
    TooLong,
    /// A follow-up dated in the future or before the item was found.
    #[error("跟进日期应在排查日期（{found}）与今天之间")]
    BadDate {
        /// The day found.
        found: NaiveDate,
    },
    /// A follow-up or conversion of an item that already became a case.
    #[error("该事项已转为信访事项（{0}），请在案件中继续办理")]
    Converted(String),
    /// A case already linked to an item.
    #[error("该案件已关联排查事项“{0}”")]
    CaseLinked(String),
    /// A follow-up of an item already resolved, claiming it resolved again.
    #[error("该事项已化解；如矛盾反复，请将跟进结果选为“化解中”")]
    AlreadyResolved,
}

/// The first event of a new item.
pub fn record(
    id: EventId,
    entry: EntryId,
    actor: Actor,
    at: Timestamp,
    record: ScreeningRecord,
) -> ScreeningEvent {
    ScreeningEvent {
        id,
        entry,
        actor,
        at,
        body: ScreeningBody::Recorded { record },
    }
}

/// A revision of `item` to `new`, with its reason.
pub fn revise(
    item: &ScreeningItem,
    new: ScreeningRecord,
    reason: &str,
    (id, actor, at): (EventId, Actor, Timestamp),
) -> Result<ScreeningEvent, ItemError> {
    if new == item.record {
        return Err(ItemError::NoChanges);
    }
    let reason = non_blank(reason).ok_or(ItemError::NoReason)?.to_owned();
    Ok(ScreeningEvent {
        id,
        entry: item.id.clone(),
        actor,
        at,
        body: ScreeningBody::Revised {
            record: new,
            reason,
        },
    })
}

/// A follow-up of `item` on `on` (between the day found and `today`).
pub fn follow_up(
    item: &ScreeningItem,
    on: NaiveDate,
    text: &str,
    outcome: Outcome,
    today: NaiveDate,
    (id, actor, at): (EventId, Actor, Timestamp),
) -> Result<ScreeningEvent, ItemError> {
    if let Some((_, no)) = &item.case {
        return Err(ItemError::Converted(no.clone()));
    }
    let text = non_blank(text).ok_or(ItemError::NoText)?.to_owned();
    if too_long(&text, MAX_TEXT).is_some() {
        return Err(ItemError::TooLong);
    }
    if on > today || on < item.record.found_on {
        return Err(ItemError::BadDate {
            found: item.record.found_on,
        });
    }
    if item.status == ItemStatus::Resolved && outcome == Outcome::Resolved {
        return Err(ItemError::AlreadyResolved);
    }
    Ok(ScreeningEvent {
        id,
        entry: item.id.clone(),
        actor,
        at,
        body: ScreeningBody::FollowedUp { on, text, outcome },
    })
}

/// The conversion of `item` into the case `case_no`: refused once it is a case already.
pub fn convert(
    item: &ScreeningItem,
    case_id: CaseId,
    case_no: &str,
    (id, actor, at): (EventId, Actor, Timestamp),
) -> Result<ScreeningEvent, ItemError> {
    if let Some((_, no)) = &item.case {
        return Err(ItemError::Converted(no.clone()));
    }
    Ok(ScreeningEvent {
        id,
        entry: item.id.clone(),
        actor,
        at,
        body: ScreeningBody::Converted {
            case_id,
            case_no: case_no.to_owned(),
        },
    })
}

/// The two events linking `item` and the case `case`, one on each, to be stored together:
/// the item becomes 已转为信访事项, the case names the item it came from.
pub fn link_case(
    item: &ScreeningItem,
    case: &CaseState,
    (item_event, case_event): (EventId, EventId),
    actor: Actor,
    at: Timestamp,
) -> Result<(ScreeningEvent, Event), ItemError> {
    if let Some((_, title)) = &case.screening {
        return Err(ItemError::CaseLinked(title.clone()));
    }
    let on_item = convert(
        item,
        case.id.clone(),
        &case.case_no,
        (item_event, actor.clone(), at),
    )?;
    let on_case = Event {
        id: case_event,
        case_id: case.id.clone(),
        actor,
        at,
        body: EventBody::FromScreening {
            item: item.id.clone(),
            title: item.record.title(),
        },
    };
    Ok((on_item, on_case))
}

impl ScreeningItem {
    /// Still to be resolved here (not 已化解, not a case).
    pub fn is_open(&self) -> bool {
        matches!(self.status, ItemStatus::Unresolved | ItemStatus::Resolving)
    }

    /// Open past its deadline on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.record.deadline < today
    }

    /// Open and of high risk.
    pub fn is_high_risk(&self) -> bool {
        self.is_open() && self.record.risk == Risk::High
    }

    /// The day it was resolved (the follow-up that found it so), if it is.
    pub fn resolved_on(&self) -> Option<NaiveDate> {
        (self.status == ItemStatus::Resolved)
            .then(|| self.follow_ups.last().map(|f| f.on))
            .flatten()
    }

    /// The registration form filled from the item, for 转为信访事项: the clerk adds the
    /// channel, the type and the petitioners' details.
    pub fn petition_draft(&self) -> PetitionDraft {
        let r = &self.record;
        let mut petitioners: Vec<PetitionerDraft> = r
            .party_names()
            .into_iter()
            .map(|name| PetitionerDraft {
                name,
                ..PetitionerDraft::default()
            })
            .collect();
        if petitioners.is_empty() {
            petitioners.push(PetitionerDraft::default());
        }
        PetitionDraft {
            petitioners,
            head_count: r.head_count.to_string(),
            title: r.title().trim_end_matches('…').to_owned(),
            request: r.matter.clone(),
            facts: format!(
                "排查发现（{}）：{}\n化解措施：{}",
                r.found_on, r.matter, r.measures
            ),
            category: Some(r.category),
            township: r.township.clone(),
            village: r.village.clone(),
            ..PetitionDraft::default()
        }
    }

    /// Whether every term of `query` occurs in one of the item's fields (search).
    pub fn matches(&self, query: &str) -> bool {
        let r = &self.record;
        let case_no = self.case.as_ref().map(|c| c.1.as_str()).unwrap_or_default();
        let fields = [
            r.township.as_str(),
            &r.village,
            &r.parties,
            &r.matter,
            &r.responsible,
            &r.leader,
            r.category.label(),
            case_no,
        ]
        .map(normalize);
        query
            .split_whitespace()
            .map(normalize)
            .all(|t| fields.iter().any(|f| f.contains(&t)))
    }
}

/// What the register's list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    /// Words that must all occur (see [`ScreeningItem::matches`]).
    pub query: String,
    /// Only this status.
    pub status: Option<ItemStatus>,
    /// Only this risk.
    pub risk: Option<Risk>,
    /// Only this township.
    pub township: String,
    /// Only items open past their deadline.
    pub overdue: bool,
}

impl ItemFilter {
    /// Whether `item` is listed, on `today`.
    pub fn holds(&self, item: &ScreeningItem, today: NaiveDate) -> bool {
        self.status.is_none_or(|s| item.status == s)
            && self.risk.is_none_or(|r| item.record.risk == r)
            && (self.township.is_empty() || item.record.township == self.township)
            && (!self.overdue || item.is_overdue(today))
            && item.matches(&self.query)
    }
}

/// Items needing attention on the workbench: open past their deadline, and open of high
/// risk (an item may be in both), each soonest deadline first.
pub fn attention(
    items: &[ScreeningItem],
    today: NaiveDate,
) -> (Vec<&ScreeningItem>, Vec<&ScreeningItem>) {
    let mut overdue: Vec<&ScreeningItem> = items.iter().filter(|i| i.is_overdue(today)).collect();
    let mut high: Vec<&ScreeningItem> = items.iter().filter(|i| i.is_high_risk()).collect();
    overdue.sort_by_key(|i| (i.record.deadline, i.record.found_on));
    high.sort_by_key(|i| (i.record.deadline, i.record.found_on));
    (overdue, high)
}

/// An open item a case being registered may be about, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSuggestion {
    /// The item.
    pub id: EntryId,
    /// Its short title.
    pub title: String,
    /// Why it matches, in words.
    pub reason: String,
}

/// Open items of the same people (a party named among the petition's, in the same
/// township) or of a near-identical matter in the same category, strongest first — the
/// same bigram similarity that suggests repeats.
pub fn suggest_items(new: &MatchRow, items: &[ScreeningItem]) -> Vec<ItemSuggestion> {
    let mine = bigrams(&new.matter);
    let mut scored: Vec<(u8, f64, ItemSuggestion)> = items
        .iter()
        .filter(|i| i.is_open())
        .filter_map(|i| {
            let r = &i.record;
            let names = r.party_names();
            let person = (r.township == new.township)
                .then(|| new.names.iter().find(|n| names.contains(n)))
                .flatten();
            let sim = dice(&mine, &bigrams(&r.matter));
            let near = r.category == new.category && sim >= SIMILAR_MATTER;
            let (rank, reason) = match (person, near) {
                (Some(n), true) => (
                    0,
                    format!("同一当事人（{n}），事项相近（{:.0}%）", sim * 100.0),
                ),
                (Some(n), false) => (1, format!("同一当事人（{n}）")),
                (None, true) => (2, format!("事项相近（{:.0}%）", sim * 100.0)),
                (None, false) => return None,
            };
            Some((
                rank,
                sim,
                ItemSuggestion {
                    id: i.id.clone(),
                    title: r.title(),
                    reason,
                },
            ))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    scored.into_iter().map(|(_, _, s)| s).collect()
}

/// The screening figures of a period (formulas in `docs/measures.md`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScreeningFigures {
    /// 排查发现: items found in the period.
    pub found: usize,
    /// 排查化解率: of those, 已化解 as of `today`.
    pub resolved: Ratio,
    /// Of those, converted into cases.
    pub converted: usize,
    /// Found and resolved, by township.
    pub by_township: BTreeMap<String, Ratio>,
    /// Found, by risk.
    pub by_risk: BTreeMap<Risk, usize>,
    /// Open items of high risk as of `today`, whenever found (the early warning).
    pub open_high: usize,
    /// Open items past their deadline as of `today`, whenever found.
    pub overdue: usize,
}

/// The screening figures of `period`, as of `today`.
pub fn figures(items: &[ScreeningItem], period: Period, today: NaiveDate) -> ScreeningFigures {
    let mut f = ScreeningFigures::default();
    for i in items {
        if i.is_high_risk() {
            f.open_high += 1;
        }
        if i.is_overdue(today) {
            f.overdue += 1;
        }
        if !period.contains(i.record.found_on) {
            continue;
        }
        let resolved = i.status == ItemStatus::Resolved;
        f.found += 1;
        f.resolved.den += 1;
        f.resolved.num += usize::from(resolved);
        f.converted += usize::from(i.status == ItemStatus::Converted);
        let t = f.by_township.entry(i.record.township.clone()).or_default();
        t.den += 1;
        t.num += usize::from(resolved);
        *f.by_risk.entry(i.record.risk).or_default() += 1;
    }
    f
}

#[cfg(test)]
mod tests;
