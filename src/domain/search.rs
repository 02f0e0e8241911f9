//! List rows (case summaries), the list's filters and its search box.
//!
//! Search is substring matching on normalised text: Chinese has no spaces between
//! words, so "any words of its text" means any run of characters. Blank-separated terms
//! must all match (AND). Each summary carries its own normalised haystack so a list page
//! is filtered without reading the event log.

use std::collections::BTreeSet;
use std::rc::Rc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::{WorkCalendar, PROVISIONAL_MARK};
use super::case::CaseState;
use super::ids::CaseId;
use super::measures::{Facts, Period};
use super::patterns::MatchRow;
use super::response::PlanRow;
use super::text::{normalize, FIELD_SEP};
use super::time::Timestamp;
use super::vocab::{Category, Channel, PetitionType};
use super::workflow::{describe_due, DueKind, Party, Rating, Stage, StepKind, Viewer};

/// What a list row needs, derived from the case state and stored beside the events. Its
/// stored form is compact — a county reads 100,000 of them at each start: short keys,
/// nothing at its default, the search text kept apart by the store, and nothing the
/// facts or match keys repeat of the row ([`CaseSummary::fill_shared`] puts it back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// Case id.
    #[serde(rename = "i")]
    pub id: CaseId,
    /// Human case number.
    #[serde(rename = "n")]
    pub case_no: String,
    /// Registration instant.
    #[serde(rename = "r")]
    pub registered_at: Timestamp,
    /// Registering unit's name.
    #[serde(rename = "u")]
    pub unit_name: String,
    /// Channel.
    #[serde(rename = "c")]
    pub channel: Channel,
    /// Category.
    #[serde(rename = "k")]
    pub category: Category,
    /// Petition type.
    #[serde(rename = "p")]
    pub petition_type: PetitionType,
    /// Township.
    #[serde(rename = "t")]
    pub township: String,
    /// Title.
    #[serde(rename = "ti")]
    pub title: String,
    /// Petitioner names for the row.
    #[serde(rename = "pe")]
    pub petitioners: String,
    /// Head count.
    #[serde(rename = "h")]
    pub head_count: u32,
    /// 集体访.
    #[serde(rename = "g", default, skip_serializing_if = "std::ops::Not::not")]
    pub is_group: bool,
    /// Number of events in the log.
    #[serde(rename = "e")]
    pub event_count: u32,
    /// Most recent event time.
    #[serde(rename = "up")]
    pub updated_at: Timestamp,
    /// Normalised searchable text of every searchable field, fields separated by U+001F
    /// (empty in the rows the in-memory index lends: it holds the text packed apart).
    #[serde(skip)]
    pub haystack: String,
    /// Workflow stage.
    #[serde(rename = "s", default)]
    pub stage: Stage,
    /// The 承办单位.
    #[serde(rename = "ha", default)]
    pub handler: Party,
    /// The unit that must act for what is due now, if one must.
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub acting: Option<Party>,
    /// The 办结报告 was sent back (退回重办) and is being redone.
    #[serde(rename = "re", default, skip_serializing_if = "std::ops::Not::not")]
    pub returned: bool,
    /// The receiving unit's objection waits for the sender.
    #[serde(rename = "o", default, skip_serializing_if = "std::ops::Not::not")]
    pub objection: bool,
    /// The last day the answer may be contested; after it, uncontested, the case is
    /// closed (办结) on its own.
    #[serde(rename = "ca", default, skip_serializing_if = "Option::is_none")]
    pub closes_after: Option<NaiveDate>,
    /// What is due next, if anything.
    #[serde(rename = "dk", default, skip_serializing_if = "Option::is_none")]
    pub due_kind: Option<DueKind>,
    /// Its last day.
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The last day falls in a year without its holiday schedule (see the calendar).
    #[serde(rename = "dp", default, skip_serializing_if = "std::ops::Not::not")]
    pub due_provisional: bool,
    /// Earliest feedback date of the open 督办 orders, if any.
    #[serde(rename = "sd", default, skip_serializing_if = "Option::is_none")]
    pub supervision_due: Option<NaiveDate>,
    /// The latest answer awaits the petitioner's evaluation.
    #[serde(rename = "ar", default, skip_serializing_if = "std::ops::Not::not")]
    pub awaiting_rating: bool,
    /// The latest evaluation.
    #[serde(rename = "ra", default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// 重复访: linked to an earlier case.
    #[serde(rename = "rp", default, skip_serializing_if = "std::ops::Not::not")]
    pub is_repeat: bool,
    /// 身份证号 of the petitioners and representatives, for finding the same person.
    #[serde(rename = "ids", default, skip_serializing_if = "Vec::is_empty")]
    pub id_numbers: Vec<String>,
    /// The 查询码 of an online submission.
    #[serde(rename = "q", default, skip_serializing_if = "Option::is_none")]
    pub query_code: Option<String>,
    /// Emergency plans started for it.
    #[serde(rename = "pl", default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<PlanRow>,
    /// Its 接访领导.
    #[serde(rename = "rb", default, skip_serializing_if = "Option::is_none")]
    pub received_by: Option<String>,
    /// Its 包案领导.
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub leader: Option<String>,
    /// The leaders who gave it a 批示, each once.
    #[serde(rename = "ib", default, skip_serializing_if = "Vec::is_empty")]
    pub instructed_by: Vec<String>,
    /// What the measures need of the case.
    #[serde(rename = "f")]
    pub facts: Facts,
    /// What finding the same person or matter needs.
    #[serde(rename = "m")]
    pub matcher: Rc<MatchRow>,
}

impl CaseSummary {
    /// Copies into the facts and the match keys what they share with the row (the
    /// stored form keeps it once): case number, township, category, channel, head count,
    /// 集体访 and 重复访 marks, id numbers, rating and day received. Both derive these
    /// from the same fields of the case ([`CaseSummary::of`]), so this restores exactly.
    pub fn fill_shared(&mut self) {
        let f = &mut self.facts;
        f.case_no.clone_from(&self.case_no);
        f.township.clone_from(&self.township);
        f.category = self.category;
        f.channel = self.channel;
        f.head_count = self.head_count;
        f.is_group = self.is_group;
        f.linked_repeat = self.is_repeat;
        f.id_numbers.clone_from(&self.id_numbers);
        f.rating = self.rating;
        let m = Rc::make_mut(&mut self.matcher);
        m.case_no.clone_from(&self.case_no);
        m.received_on = self.facts.received_on;
        m.township.clone_from(&self.township);
        m.category = self.category;
        m.id_numbers.clone_from(&self.id_numbers);
    }

    /// The list row of a case; deadlines are computed with `calendar`. Rows are derived
    /// data: when this derivation changes, [`ROWS_VERSION`] goes up and the store
    /// rebuilds every row from the events.
    pub fn of(state: &CaseState, calendar: &WorkCalendar) -> CaseSummary {
        let p = &state.petition;
        let code = state
            .submission
            .as_ref()
            .map_or("", |s| s.query_code.as_str());
        // An imported case is also found by the number it had in the old ledger.
        let original = state.ledger.as_ref().map_or("", |l| l.original_no.as_str());
        let mut parts: Vec<&str> = vec![
            code,
            &state.case_no,
            original,
            &p.title,
            &p.request,
            &p.facts,
            &p.reasons,
            &p.township,
            &p.village,
            &p.complained_about,
        ];
        for person in p.petitioners.iter().chain(&p.representatives) {
            parts.extend([
                person.name.as_str(),
                &person.id_number,
                &person.phone,
                &person.address,
            ]);
        }
        let flow = &state.flow;
        let due = flow.due(calendar);
        let haystack = parts
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| normalize(s))
            .collect::<Vec<_>>()
            .join(&FIELD_SEP.to_string());
        CaseSummary {
            id: state.id.clone(),
            case_no: state.case_no.clone(),
            registered_at: state.registered_at,
            unit_name: state.registered_by.unit_name.clone(),
            channel: p.channel,
            category: p.category,
            petition_type: p.petition_type,
            township: p.township.clone(),
            title: p.title.clone(),
            petitioners: p.petitioner_names(),
            head_count: p.head_count,
            is_group: p.is_group(),
            event_count: state.events.len() as u32,
            updated_at: state.updated_at(),
            haystack,
            stage: flow.stage,
            handler: flow.handler.clone(),
            acting: flow.acting().cloned(),
            returned: flow.returns > 0 && flow.stage == Stage::Accepted,
            objection: flow.objection.is_some(),
            closes_after: flow.closes_after(calendar),
            due_kind: due.as_ref().map(|d| d.kind),
            due: due.as_ref().map(|d| d.date),
            due_provisional: due
                .as_ref()
                .is_some_and(|d| calendar.is_provisional(d.date)),
            supervision_due: flow.open_supervisions().map(|s| s.feedback_due).min(),
            awaiting_rating: flow.allowed().contains(&StepKind::Evaluate),
            rating: flow.latest_rating(),
            is_repeat: !state.repeat_of.is_empty(),
            query_code: state.submission.as_ref().map(|s| s.query_code.clone()),
            id_numbers: p.id_numbers(),
            plans: state.plans.iter().map(PlanRow::of).collect(),
            received_by: state.received_by.clone(),
            leader: state.leader.clone(),
            instructed_by: {
                let mut names: Vec<String> = state
                    .instructions
                    .iter()
                    .map(|i| i.leader.clone())
                    .collect();
                names.sort();
                names.dedup();
                names
            },
            facts: Facts::of(state, calendar),
            matcher: Rc::new(MatchRow::of(state)),
        }
    }
}

/// The emergency plans started in `period`, each beside its case, in the order started.
pub fn plans_started<'a>(
    rows: &'a [CaseSummary],
    period: &Period,
) -> Vec<(&'a CaseSummary, &'a PlanRow)> {
    let mut out: Vec<(&CaseSummary, &PlanRow)> = rows
        .iter()
        .flat_map(|c| c.plans.iter().map(move |p| (c, p)))
        .filter(|(_, p)| period.contains(p.started_on))
        .collect();
    out.sort_by(|a, b| (a.1.started_on, &a.0.case_no).cmp(&(b.1.started_on, &b.0.case_no)));
    out
}

/// What a case answered and left uncontested past its window is called.
pub const CLOSED_LABEL: &str = "已办结";

/// The version of [`CaseSummary::of`]'s output; a store holding rows of an older version
/// rebuilds them all from the events when opened. 11: the holidays fixed by law in years
/// without a schedule, and `due_provisional`; 12: an imported case found by its
/// original ledger number; 13: the compact stored form (short keys, the search text
/// apart, nothing twice).
pub const ROWS_VERSION: u32 = 13;

impl CaseSummary {
    /// Whether the case is still open here on `today` (not finished, and not answered and
    /// left uncontested past its window).
    pub fn is_open(&self, today: NaiveDate) -> bool {
        !self.stage.is_finished() && self.closes_after.is_none_or(|last| today <= last)
    }

    /// The stage as `me` reads it on `today`: "已办结" once the window has passed, "待受理"
    /// for a case routed to it and not yet accepted.
    pub fn stage_label(&self, today: NaiveDate, me: Viewer) -> &'static str {
        match self.closes_after {
            Some(last) if today > last => CLOSED_LABEL,
            _ => self.stage.label_for(&self.handler, me),
        }
    }

    /// Whether what is due now is `me`'s to do.
    pub fn is_mine(&self, me: Viewer) -> bool {
        self.acting.as_ref().is_some_and(|p| p.acts(me))
    }

    /// True when missing `due` makes the case overdue (an obligation of the office).
    pub fn due_obligation(&self) -> bool {
        self.due_kind.is_some_and(DueKind::is_obligation)
    }

    /// What is due and when, as it reads on `today`, e.g. "分流 2026-11-20（还剩 3 天）".
    pub fn due_text(&self, today: NaiveDate) -> Option<String> {
        let (kind, d) = (self.due_kind?, self.due?);
        let provisional = if self.due_provisional {
            format!("；{PROVISIONAL_MARK}")
        } else {
            String::new()
        };
        Some(format!(
            "{} {d}（{}{provisional}）",
            kind.label(),
            describe_due(d, kind.is_obligation(), today)
        ))
    }
}

/// The list's filters; every set filter must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilter {
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only this township.
    pub township: Option<String>,
    /// Registered on or after this China date.
    pub from: Option<NaiveDate>,
    /// Registered on or before this China date.
    pub to: Option<NaiveDate>,
    /// Search box text: case number, name, 身份证号, phone or any run of the text.
    pub query: String,
    /// Only the cases behind a dashboard figure.
    pub picked: Option<Picked>,
}

/// The cases behind a dashboard figure, bar or row: what they are and their numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picked {
    /// What the figure is, e.g. "重复访（2026-11-01 至 2026-11-30）".
    pub label: String,
    /// Their case numbers.
    pub case_nos: BTreeSet<String>,
}

impl CaseFilter {
    /// True when no filter is set, so the list is every case in order.
    pub fn is_empty(&self) -> bool {
        *self == CaseFilter::default()
            || (self.query.trim().is_empty()
                && CaseFilter {
                    query: String::new(),
                    ..self.clone()
                } == CaseFilter::default())
    }

    /// Whether a row passes every filter.
    pub fn matches(&self, s: &CaseSummary) -> bool {
        self.matches_fields(s)
            && self
                .query
                .split_whitespace()
                .map(normalize)
                .all(|term| s.haystack.contains(term.as_str()))
    }

    /// Whether a row passes every filter except the search text.
    pub fn matches_fields(&self, s: &CaseSummary) -> bool {
        if self.channel.is_some_and(|c| c != s.channel)
            || self.category.is_some_and(|c| c != s.category)
        {
            return false;
        }
        if self.township.as_ref().is_some_and(|t| *t != s.township) {
            return false;
        }
        if self
            .picked
            .as_ref()
            .is_some_and(|p| !p.case_nos.contains(&s.case_no))
        {
            return false;
        }
        let date = s.registered_at.china_date();
        !(self.from.is_some_and(|f| date < f) || self.to.is_some_and(|t| date > t))
    }
}

/// One page of a list, with the total number of matching rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Matching rows in all pages.
    pub total: usize,
    /// Zero-based page index.
    pub page: usize,
    /// Rows per page.
    pub page_size: usize,
}

impl<T> Page<T> {
    /// Number of pages (at least 1, so "第 1 / 1 页" reads well when empty).
    pub fn page_count(&self) -> usize {
        self.total.div_ceil(self.page_size.max(1)).max(1)
    }
}

/// Rows per list page.
pub const PAGE_SIZE: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{fold, register, CaseNumber};
    use crate::domain::event::Actor;
    use crate::domain::ids::EventId;
    use crate::domain::petition::tests::{today, valid_draft};
    use proptest::prelude::*;

    fn summary() -> CaseSummary {
        let p = valid_draft().validate(today()).unwrap();
        let actor = Actor {
            unit_code: "XF01".into(),
            unit_name: "县信访局".into(),
            operator: "王".into(),
        };
        // 2026-11-26 10:00 China time.
        let at = Timestamp(1_795_658_400_000);
        let e = register(
            EventId::from_random([1; 16]),
            CaseId::from_random([2; 16]),
            actor,
            at,
            &CaseNumber::next("XF01", 2026, Some(6)),
            p,
        );
        CaseSummary::of(&fold(&[e]).unwrap(), &WorkCalendar::official())
    }

    fn q(query: &str) -> CaseFilter {
        CaseFilter {
            query: query.into(),
            ..Default::default()
        }
    }

    #[test]
    fn finds_by_number_name_id_phone_and_any_run_of_text() {
        let s = summary();
        for hit in [
            "XF01-2026-00007",
            "xf01-2026",
            "张三",
            "11010519491231002x",
            "13800138000",
            "拖欠",
            "三个月",
            "督促 工资",
            "ＸＦ０１",
        ] {
            assert!(q(hit).matches(&s), "{hit} should match");
        }
        for miss in ["李四", "13900000000", "工资 拆迁", "欠工资款"] {
            assert!(!q(miss).matches(&s), "{miss} should not match");
        }
    }

    #[test]
    fn terms_do_not_match_across_fields() {
        let s = summary();
        // Title "拖欠工资" is followed by the request "请求…"; their join must not match.
        assert!(!q("工资请求").matches(&s));
    }

    #[test]
    fn filters_by_channel_category_township_and_dates() {
        let s = summary();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day);
        assert!(CaseFilter {
            channel: Some(Channel::Visit),
            ..Default::default()
        }
        .matches(&s));
        assert!(!CaseFilter {
            channel: Some(Channel::Letter),
            ..Default::default()
        }
        .matches(&s));
        assert!(!CaseFilter {
            category: Some(Category::Environment),
            ..Default::default()
        }
        .matches(&s));
        assert!(CaseFilter {
            township: Some("城关镇".into()),
            ..Default::default()
        }
        .matches(&s));
        assert!(!CaseFilter {
            township: Some("东岭乡".into()),
            ..Default::default()
        }
        .matches(&s));
        assert!(CaseFilter {
            from: d(11, 26),
            to: d(11, 26),
            ..Default::default()
        }
        .matches(&s));
        assert!(!CaseFilter {
            from: d(11, 27),
            ..Default::default()
        }
        .matches(&s));
        assert!(!CaseFilter {
            to: d(11, 25),
            ..Default::default()
        }
        .matches(&s));
        let picked = |nos: &[&str]| CaseFilter {
            picked: Some(Picked {
                label: "重复访".into(),
                case_nos: nos.iter().map(|n| (*n).to_owned()).collect(),
            }),
            ..Default::default()
        };
        assert!(picked(&["XF01-2026-00007"]).matches(&s));
        assert!(!picked(&["XF01-2026-00008"]).matches(&s));
        assert!(!picked(&[]).is_empty());
    }

    #[test]
    fn empty_filter_and_paging() {
        assert!(CaseFilter::default().is_empty());
        assert!(q("  ").is_empty());
        assert!(!q("张").is_empty());
        let page: Page<u8> = Page {
            items: vec![],
            total: 41,
            page: 0,
            page_size: 20,
        };
        assert_eq!(page.page_count(), 3);
        assert_eq!(
            Page::<u8> {
                items: vec![],
                total: 0,
                page: 0,
                page_size: 20
            }
            .page_count(),
            1
        );
    }

    proptest! {
        #[test]
        fn every_substring_of_a_field_is_found(start in 0usize..12, len in 1usize..6) {
            let s = summary();
            let facts: Vec<char> = "2026年以来公司拖欠三个月工资".chars().collect();
            let start = start.min(facts.len() - 1);
            let end = (start + len).min(facts.len());
            let term: String = facts[start..end].iter().collect();
            prop_assert!(q(&term).matches(&s));
        }

        #[test]
        fn normalize_is_idempotent(text in "\\PC{0,40}") {
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once);
        }
    }
}
