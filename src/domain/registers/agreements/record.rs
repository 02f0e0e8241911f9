//! What an agreement says: the party, the year, the targets chosen from the measures,
//! who signed it and when; and the form as typed, checked field by field.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::errors::FieldErrors;
use crate::domain::registers::fields::text;
use crate::domain::text::normalize;
use crate::domain::time::parse_date;
use crate::domain::validate::non_blank;
use crate::domain::vocab::labelled_enum;

/// The register's kind, as stored and carried in backups.
pub const KIND: &str = "agreements";

/// The largest count a count target may allow.
pub const MAX_COUNT: u32 = 9999;

/// How many years back (or one ahead) an agreement may be recorded.
const YEARS_BACK: i32 = 5;

labelled_enum!(
    /// Who signs with the county: 属地管理 (a township) or 谁主管谁负责 (a department).
    PartyKind {
        Township => "乡镇",
        Department => "部门",
    }
);

labelled_enum!(
    /// A target's measure; each reads the figure the dashboard shows under that name.
    Goal {
        OnTimeAnswer => "按期办结率",
        Satisfied => "满意率",
        Group => "集体访",
        SkipLevel => "越级访",
        Repeat => "重复访率",
        ScreeningResolved => "排查化解率",
    }
);

impl Goal {
    /// A rate (bound in tenths of a percent) rather than a count of cases.
    pub fn is_rate(self) -> bool {
        !matches!(self, Goal::Group | Goal::SkipLevel)
    }

    /// The figure must reach the bound (≥) rather than stay within it (≤).
    pub fn at_least(self) -> bool {
        matches!(
            self,
            Goal::OnTimeAnswer | Goal::Satisfied | Goal::ScreeningResolved
        )
    }

    /// The bound as written in the agreement, e.g. "≥ 90.0%" or "≤ 2 件".
    pub fn bound_text(self, bound: u32) -> String {
        let sign = if self.at_least() { "≥" } else { "≤" };
        match self.is_rate() {
            true => format!("{sign} {}.{}%", bound / 10, bound % 10),
            false => format!("{sign} {bound} 件"),
        }
    }

    /// The bound as typed in the form ("90", "92.5"; "2"), or what is wrong with it.
    pub fn bound_of(self, typed: &str) -> Result<u32, String> {
        let t = typed.trim().trim_end_matches(['%', '％', '件']).trim();
        let t: String = t
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                c => c,
            })
            .collect();
        if self.is_rate() {
            let (whole, tenth) = match t.split_once('.') {
                Some((w, f)) if f.len() == 1 => (w, f),
                Some(_) => return Err("百分比最多保留一位小数，例如 92.5".into()),
                None => (t.as_str(), "0"),
            };
            let whole: u32 = whole
                .parse()
                .map_err(|_| "请填写百分比数值，例如 90 或 92.5".to_owned())?;
            let tenth: u32 = tenth
                .parse()
                .map_err(|_| "请填写百分比数值，例如 90 或 92.5".to_owned())?;
            let v = whole.saturating_mul(10).saturating_add(tenth);
            if v > 1000 {
                return Err("百分比应在 0 到 100 之间".into());
            }
            Ok(v)
        } else {
            let n: u32 = t
                .parse()
                .map_err(|_| "请填写件数（整数），例如 2".to_owned())?;
            if n > MAX_COUNT {
                return Err(format!("件数最多 {MAX_COUNT}"));
            }
            Ok(n)
        }
    }

    /// The bound as the form shows it again.
    pub fn bound_typed(self, bound: u32) -> String {
        match (self.is_rate(), bound % 10) {
            (true, 0) => (bound / 10).to_string(),
            (true, t) => format!("{}.{t}", bound / 10),
            (false, _) => bound.to_string(),
        }
    }

    /// The form's error key of this goal's bound.
    pub fn field_key(self) -> String {
        format!("goal_{}", self.key())
    }
}

/// One target: a measure and its bound (tenths of a percent for rates, cases for counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// Which measure.
    pub goal: Goal,
    /// The bound.
    pub bound: u32,
}

impl Target {
    /// "按期办结率 ≥ 90.0%".
    pub fn text(&self) -> String {
        format!("{} {}", self.goal.label(), self.goal.bound_text(self.bound))
    }
}

labelled_enum!(
    /// The fields of an agreement: labels, form keys and error keys, named once.
    AgreementField {
        Kind => "责任单位类型",
        Party => "责任单位",
        Year => "年度",
        Targets => "考核指标",
        SignedOn => "签订日期",
        CountySignatory => "县政府签订人",
        PartySignatory => "责任单位签订人",
    }
);

/// One agreement as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementRecord {
    /// 乡镇 or 部门.
    pub kind: PartyKind,
    /// The township's or department's name, as cases name it.
    pub party: String,
    /// The year it holds for.
    pub year: i32,
    /// The targets, in the order of [`Goal::ALL`].
    pub targets: Vec<Target>,
    /// 签订日期.
    pub signed_on: NaiveDate,
    /// Who signed for the county (name and post).
    pub county_signatory: String,
    /// Who signed for the party.
    pub party_signatory: String,
}

impl AgreementRecord {
    /// "城关镇 2026 年度信访工作责任状".
    pub fn title(&self) -> String {
        format!("{} {} 年度信访工作责任状", self.party, self.year)
    }

    /// Whether a search for `q` finds it (party and signatories).
    pub fn matches(&self, q: &str) -> bool {
        let q = normalize(q);
        q.is_empty()
            || [&self.party, &self.county_signatory, &self.party_signatory]
                .iter()
                .any(|t| normalize(t).contains(&q))
    }

    /// Each field as text, for the page and the history of revisions.
    pub fn rows(&self) -> Vec<(AgreementField, String)> {
        use AgreementField as F;
        let targets: Vec<String> = self.targets.iter().map(Target::text).collect();
        vec![
            (F::Kind, self.kind.label().to_owned()),
            (F::Party, self.party.clone()),
            (F::Year, format!("{} 年", self.year)),
            (F::Targets, targets.join("；")),
            (F::SignedOn, self.signed_on.to_string()),
            (F::CountySignatory, self.county_signatory.clone()),
            (F::PartySignatory, self.party_signatory.clone()),
        ]
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgreementDraft {
    /// 乡镇 or 部门.
    pub kind: Option<PartyKind>,
    /// 责任单位.
    pub party: String,
    /// 年度.
    pub year: String,
    /// Each chosen goal's bound as typed; blank or absent: not a target.
    pub targets: BTreeMap<Goal, String>,
    /// 签订日期 (`YYYY-MM-DD`).
    pub signed_on: String,
    /// 县政府签订人.
    pub county_signatory: String,
    /// 责任单位签订人.
    pub party_signatory: String,
}

impl AgreementDraft {
    /// The form showing `r` again, for a revision.
    pub fn from_record(r: &AgreementRecord) -> AgreementDraft {
        AgreementDraft {
            kind: Some(r.kind),
            party: r.party.clone(),
            year: r.year.to_string(),
            targets: r
                .targets
                .iter()
                .map(|t| (t.goal, t.goal.bound_typed(t.bound)))
                .collect(),
            signed_on: r.signed_on.to_string(),
            county_signatory: r.county_signatory.clone(),
            party_signatory: r.party_signatory.clone(),
        }
    }

    /// True when nothing was typed.
    pub fn is_untouched(&self) -> bool {
        *self == AgreementDraft::default()
    }

    /// Checks every field and, if all hold, gives the record; `today` bounds the year and
    /// the day of signing.
    pub fn validate(&self, today: NaiveDate) -> Result<AgreementRecord, FieldErrors> {
        use AgreementField as F;
        let mut e = FieldErrors::default();
        if self.kind.is_none() {
            e.add(F::Kind.key(), "请选择乡镇或部门");
        }
        let party = text(
            &self.party,
            F::Party.key(),
            Some("请填写责任单位名称，与案件中的乡镇或承办单位名称一致"),
            50,
            &mut e,
        );
        let this = today.year();
        let year = match non_blank(&self.year).map(|y| y.trim_end_matches('年').parse::<i32>()) {
            None => {
                e.add(F::Year.key(), "请填写年度，例如 2026");
                this
            }
            Some(Ok(y)) if (this - YEARS_BACK..=this + 1).contains(&y) => y,
            Some(_) => {
                e.add(
                    F::Year.key(),
                    format!("年度应在 {} 至 {} 之间", this - YEARS_BACK, this + 1),
                );
                this
            }
        };
        let mut targets = Vec::new();
        for &goal in Goal::ALL {
            let Some(typed) = self.targets.get(&goal).and_then(|t| non_blank(t)) else {
                continue;
            };
            match goal.bound_of(typed) {
                Ok(bound) => targets.push(Target { goal, bound }),
                Err(m) => e.add(goal.field_key(), m),
            }
        }
        if targets.is_empty() && !self.targets.values().any(|t| non_blank(t).is_some()) {
            e.add(F::Targets.key(), "请至少填写一项考核指标");
        }
        let signed_on = match non_blank(&self.signed_on).map(parse_date) {
            None => {
                e.add(F::SignedOn.key(), "请填写签订日期");
                today
            }
            Some(None) => {
                e.add(
                    F::SignedOn.key(),
                    "签订日期格式应为 年-月-日，例如 2026-01-15",
                );
                today
            }
            Some(Some(d)) if d > today => {
                e.add(F::SignedOn.key(), "签订日期不能晚于今天");
                today
            }
            Some(Some(d)) if d.year() != year && d.year() != year - 1 => {
                e.add(
                    F::SignedOn.key(),
                    format!("签订日期应在 {} 年或 {} 年内", year - 1, year),
                );
                today
            }
            Some(Some(d)) => d,
        };
        let county_signatory = text(
            &self.county_signatory,
            F::CountySignatory.key(),
            Some("请填写县政府签订人的姓名和职务"),
            50,
            &mut e,
        );
        let party_signatory = text(
            &self.party_signatory,
            F::PartySignatory.key(),
            Some("请填写责任单位签订人的姓名和职务"),
            50,
            &mut e,
        );
        e.into_result(|| AgreementRecord {
            kind: self.kind.unwrap_or(PartyKind::Township),
            party,
            year,
            targets,
            signed_on,
            county_signatory,
            party_signatory,
        })
    }
}
