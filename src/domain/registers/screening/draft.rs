//! The item form as typed, and its validation into a record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::record::{
    Risk, ScreeningField, ScreeningRecord, MAX_DEADLINE_DAYS, MAX_SHORT, MAX_TEXT,
};
use crate::domain::errors::FieldErrors;
use crate::domain::registers::fields;
use crate::domain::time::parse_date;
use crate::domain::validate::non_blank;
use crate::domain::vocab::Category;

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
    fields::text(value, field.key(), missing, max, e)
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
