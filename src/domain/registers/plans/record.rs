//! A plan as recorded: its fields, when it applies, and the form that makes one.

use serde::{Deserialize, Serialize};

use crate::domain::errors::FieldErrors;
use crate::domain::petition::{Petition, PetitionDraft};
use crate::domain::registers::fields::text;
use crate::domain::validate::non_blank;
use crate::domain::vocab::{labelled_enum, Category};

/// The register's kind, as stored and carried in backups.
pub const KIND: &str = "plans";

labelled_enum!(
    /// The fields of a plan: their labels, form keys and error keys, named once.
    PlanField {
        Name => "预案名称",
        MinHeads => "集体访人数达到",
        Categories => "问题类别",
        Townships => "乡镇",
        MajorUrgent => "重大紧急",
        Units => "责任单位及联系人",
        Steps => "处置步骤",
    }
);

/// Longest name.
const MAX_NAME: usize = 100;
/// Longest text of the long fields (units, steps, records, the summary).
pub const MAX_TEXT: usize = 4000;
/// Smallest head count a plan may be conditioned on (two people are already a group).
const MIN_HEADS: u32 = 2;

/// One plan as recorded (the latest version of it is the plan's record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRecord {
    /// 预案名称.
    pub name: String,
    /// Applies to petitions of at least this many people.
    pub min_heads: Option<u32>,
    /// Applies to these categories only (empty: any).
    pub categories: Vec<Category>,
    /// Applies to these townships only (empty: any).
    pub townships: Vec<String>,
    /// Applies to petitions marked 重大紧急 only.
    pub major_urgent: bool,
    /// 责任单位及联系人.
    pub units: String,
    /// 处置步骤, one per line.
    pub steps: String,
}

/// What of a petition decides whether a plan applies to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFacts {
    /// 涉及人数.
    pub head_count: u32,
    /// 问题类别 (not yet chosen on a form being filled).
    pub category: Option<Category>,
    /// 乡镇.
    pub township: String,
    /// 重大紧急.
    pub major_urgent: bool,
}

impl PlanFacts {
    /// The facts of a petition.
    pub fn of(p: &Petition) -> PlanFacts {
        PlanFacts {
            head_count: p.head_count,
            category: Some(p.category),
            township: p.township.trim().to_owned(),
            major_urgent: p.flags.major_urgent,
        }
    }

    /// The facts of a registration form as far as it is filled, so the plans it meets
    /// show while it is typed (a head count not yet typed counts the petitioners).
    pub fn of_draft(d: &PetitionDraft) -> PlanFacts {
        let named = d
            .petitioners
            .iter()
            .filter(|p| !p.name.trim().is_empty())
            .count();
        PlanFacts {
            head_count: d.head_count.trim().parse().unwrap_or(named as u32),
            category: d.category,
            township: d.township.trim().to_owned(),
            major_urgent: d.flags.major_urgent,
        }
    }
}

impl PlanRecord {
    /// Whether the plan applies: every condition it sets holds (a plan sets at least one).
    pub fn applies(&self, f: &PlanFacts) -> bool {
        let conditions = [
            self.min_heads.map(|n| f.head_count >= n),
            (!self.categories.is_empty())
                .then(|| f.category.is_some_and(|c| self.categories.contains(&c))),
            (!self.townships.is_empty()).then(|| self.townships.contains(&f.township)),
            self.major_urgent.then_some(f.major_urgent),
        ];
        let set: Vec<bool> = conditions.into_iter().flatten().collect();
        !set.is_empty() && set.into_iter().all(|c| c)
    }

    /// Each field with its value in words, in form order (for the page and the ledger).
    pub fn rows(&self) -> Vec<(PlanField, String)> {
        use PlanField as F;
        let any = |v: &[String]| match v.is_empty() {
            true => "不限".to_owned(),
            false => v.join("、"),
        };
        let categories: Vec<String> = self
            .categories
            .iter()
            .map(|c| c.label().to_owned())
            .collect();
        F::ALL
            .iter()
            .map(|f| {
                let v = match f {
                    F::Name => self.name.clone(),
                    F::MinHeads => self
                        .min_heads
                        .map_or("不限".into(), |n| format!("{n} 人以上")),
                    F::Categories => any(&categories),
                    F::Townships => any(&self.townships),
                    F::MajorUrgent => match self.major_urgent {
                        true => "仅限重大紧急事项".into(),
                        false => "不限".into(),
                    },
                    F::Units => self.units.clone(),
                    F::Steps => self.steps.clone(),
                };
                (*f, v)
            })
            .collect()
    }

    /// When it applies, in words: "集体访 5 人以上；问题类别：征地拆迁；重大紧急".
    pub fn conditions(&self) -> String {
        let mut out = Vec::new();
        if let Some(n) = self.min_heads {
            out.push(format!("{n} 人以上"));
        }
        if !self.categories.is_empty() {
            let names: Vec<&str> = self.categories.iter().map(|c| c.label()).collect();
            out.push(format!("问题类别：{}", names.join("、")));
        }
        if !self.townships.is_empty() {
            out.push(format!("乡镇：{}", self.townships.join("、")));
        }
        if self.major_urgent {
            out.push("重大紧急".into());
        }
        out.join("；")
    }
}

/// The plan form exactly as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanDraft {
    /// 预案名称.
    pub name: String,
    /// 集体访人数达到 as typed (blank: no condition on the head count).
    pub min_heads: String,
    /// 问题类别 ticked.
    pub categories: Vec<Category>,
    /// 乡镇, separated by 、，, or new lines.
    pub townships: String,
    /// 重大紧急.
    pub major_urgent: bool,
    /// 责任单位及联系人.
    pub units: String,
    /// 处置步骤.
    pub steps: String,
}

impl PlanDraft {
    /// Checks every field and, if all hold, gives the record.
    pub fn validate(&self) -> Result<PlanRecord, FieldErrors> {
        use PlanField as F;
        let mut e = FieldErrors::default();
        let name = text(
            &self.name,
            F::Name.key(),
            Some("请填写预案名称"),
            MAX_NAME,
            &mut e,
        );
        let min_heads = match non_blank(&self.min_heads) {
            None => None,
            Some(t) => match t.parse::<u32>() {
                Ok(n) if (MIN_HEADS..=100_000).contains(&n) => Some(n),
                _ => {
                    e.add(
                        F::MinHeads.key(),
                        format!("人数应为 {MIN_HEADS} 到 100000 之间的整数，不设此条件请留空"),
                    );
                    None
                }
            },
        };
        let mut categories = self.categories.clone();
        categories.sort();
        categories.dedup();
        let mut townships: Vec<String> = Vec::new();
        for t in self.townships.split(['、', '，', ',', '\n']).map(str::trim) {
            if !t.is_empty() && !townships.iter().any(|have| have == t) {
                townships.push(t.to_owned());
            }
        }
        if townships.iter().any(|t| t.chars().count() > MAX_NAME) {
            e.add(F::Townships.key(), format!("乡镇名称最多 {MAX_NAME} 字"));
        }
        if min_heads.is_none()
            && categories.is_empty()
            && townships.is_empty()
            && !self.major_urgent
            && e.get(F::MinHeads.key()).is_none()
        {
            e.add(
                F::MinHeads.key(),
                "请至少设定一项适用条件（人数、问题类别、乡镇或重大紧急）",
            );
        }
        let units = text(
            &self.units,
            F::Units.key(),
            Some("请填写责任单位和联系人、联系电话"),
            MAX_TEXT,
            &mut e,
        );
        let steps = text(
            &self.steps,
            F::Steps.key(),
            Some("请填写处置步骤（每行一步）"),
            MAX_TEXT,
            &mut e,
        );
        e.into_result(|| PlanRecord {
            name,
            min_heads,
            categories,
            townships,
            major_urgent: self.major_urgent,
            units,
            steps,
        })
    }

    /// The form filled with a record, to revise it.
    pub fn from_record(r: &PlanRecord) -> PlanDraft {
        PlanDraft {
            name: r.name.clone(),
            min_heads: r.min_heads.map(|n| n.to_string()).unwrap_or_default(),
            categories: r.categories.clone(),
            townships: r.townships.join("、"),
            major_urgent: r.major_urgent,
            units: r.units.clone(),
            steps: r.steps.clone(),
        }
    }

    /// True when nothing was typed (no draft worth keeping).
    pub fn is_untouched(&self) -> bool {
        *self == PlanDraft::default()
    }
}
