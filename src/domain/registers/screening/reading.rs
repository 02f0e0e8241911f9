//! Reading the register: the list's filter, what the workbench lists, the items a new
//! case may be about, and the figures of a period.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::item::ScreeningItem;
use super::record::{ItemStatus, Risk};
use crate::domain::ids::EntryId;
use crate::domain::measures::{Period, Ratio};
use crate::domain::patterns::{bigrams, dice, MatchRow, SIMILAR_MATTER};

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
    /// Of those, past their deadline.
    pub high_overdue: usize,
    /// Open items past their deadline as of `today`, whenever found.
    pub overdue: usize,
}

/// The screening figures of `period`, as of `today`.
pub fn figures<'a>(
    items: impl IntoIterator<Item = &'a ScreeningItem>,
    period: Period,
    today: NaiveDate,
) -> ScreeningFigures {
    let mut f = ScreeningFigures::default();
    for i in items {
        if i.is_high_risk() {
            f.open_high += 1;
            f.high_overdue += usize::from(i.is_overdue(today));
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
