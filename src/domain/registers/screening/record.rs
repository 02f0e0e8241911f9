//! The item's vocabularies (risk, status, outcome, fields) and the record as kept.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
pub(super) const MAX_SHORT: usize = 100;
/// Longest text of the long fields (the matter, the measures, a follow-up).
pub(super) const MAX_TEXT: usize = 2000;
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
