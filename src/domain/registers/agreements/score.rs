//! The year's 考核表: each target of an agreement beside the figure of the same measure
//! over the party's cases (or screening items) of that year, met or missed, and what is
//! behind it. The figures come from `domain::measures` and `screening::figures`; nothing
//! here computes a rate of its own.

use chrono::NaiveDate;

use super::record::{AgreementRecord, Goal, PartyKind, Target};
use crate::domain::ids::EntryId;
use crate::domain::measures::{Accountable, Drill, Judged, Measures, Period, Ratio};
use crate::domain::registers::screening::{figures, ItemStatus, ScreeningItem};

/// A target's actual figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actual {
    /// A rate.
    Rate(Ratio),
    /// A count of cases.
    Count(usize),
}

impl Actual {
    /// As the 考核表 shows it: "85.0%（17/20）", "3 件", or "—" without data.
    pub fn text(&self) -> String {
        match self {
            Actual::Rate(r) if r.den == 0 => "—（无可考核事项）".to_owned(),
            Actual::Rate(r) => format!("{}（{}/{}）", r.percent(), r.num, r.den),
            Actual::Count(n) => format!("{n} 件"),
        }
    }
}

/// Whether a target was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// 达标.
    Met,
    /// 未达标.
    Missed,
    /// 无数据: nothing the rate could be taken over.
    NoData,
}

impl Verdict {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "达标",
            Verdict::Missed => "未达标",
            Verdict::NoData => "无数据",
        }
    }

    /// Stable key for styling and tests.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            Verdict::NoData => "no_data",
        }
    }
}

/// What stands behind a figure, to be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behind {
    /// The cases counting against the target (late, unsatisfied, group, …).
    Cases {
        /// What the list is called.
        label: String,
        /// Their numbers.
        case_nos: Vec<String>,
    },
    /// The screening items found in the year and not resolved.
    Items(Vec<EntryId>),
}

impl Behind {
    /// How many.
    pub fn len(&self) -> usize {
        match self {
            Behind::Cases { case_nos, .. } => case_nos.len(),
            Behind::Items(ids) => ids.len(),
        }
    }

    /// Nothing behind it.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One target scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The target.
    pub target: Target,
    /// The actual figure.
    pub actual: Actual,
    /// Met or missed.
    pub verdict: Verdict,
    /// What is behind the figure.
    pub behind: Behind,
}

/// An agreement's 考核表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    /// The year's period.
    pub period: Period,
    /// Scored before the year ended: figures so far (截至 `as_of`).
    pub provisional: bool,
    /// The day scored.
    pub as_of: NaiveDate,
    /// Each target, in the agreement's order.
    pub rows: Vec<Scored>,
}

impl Scorecard {
    /// How many targets were missed.
    pub fn missed(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::Missed)
            .count()
    }

    /// How many targets were met.
    pub fn met(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::Met)
            .count()
    }

    /// How many targets had nothing to be judged on.
    pub fn no_data(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::NoData)
            .count()
    }
}

impl Goal {
    /// The dashboard's figure of this measure, the same field the dashboard shows.
    fn actual(self, m: &Measures, resolved: Ratio) -> Actual {
        match self {
            Goal::OnTimeAnswer => Actual::Rate(m.on_time_answer),
            Goal::Satisfied => Actual::Rate(m.satisfied),
            Goal::Group => Actual::Count(m.group.num),
            Goal::SkipLevel => Actual::Count(m.skip_level.num),
            Goal::Repeat => Actual::Rate(m.repeat),
            Goal::ScreeningResolved => Actual::Rate(resolved),
        }
    }

    /// The dashboard's drill of the cases counting against the target.
    fn drill(self) -> Option<Drill> {
        match self {
            Goal::OnTimeAnswer => Some(Drill::AnswerLate),
            Goal::Satisfied => Some(Drill::Unsatisfied),
            Goal::Group => Some(Drill::Group),
            Goal::SkipLevel => Some(Drill::SkipLevel),
            Goal::Repeat => Some(Drill::Repeat),
            Goal::ScreeningResolved => None,
        }
    }
}

impl Target {
    /// Met, missed, or no data, of `actual`.
    pub fn judge(&self, actual: Actual) -> Verdict {
        let bound = self.bound as usize;
        let met = match actual {
            Actual::Rate(r) if r.den == 0 => return Verdict::NoData,
            // num/den against bound/1000, in whole numbers: no rounding decides a verdict.
            Actual::Rate(r) if self.goal.at_least() => r.num * 1000 >= bound * r.den,
            Actual::Rate(r) => r.num * 1000 <= bound * r.den,
            Actual::Count(n) if self.goal.at_least() => n >= bound,
            Actual::Count(n) => n <= bound,
        };
        if met {
            Verdict::Met
        } else {
            Verdict::Missed
        }
    }
}

impl PartyKind {
    /// Which cases a party answers for: a township for its 属地, a department for what it
    /// handles.
    pub fn accountable(self) -> Accountable {
        match self {
            PartyKind::Township => Accountable::Township,
            PartyKind::Department => Accountable::Unit,
        }
    }

    fn owns(self, party: &str, item: &ScreeningItem) -> bool {
        match self {
            PartyKind::Township => item.record.township == party,
            PartyKind::Department => item.record.responsible == party,
        }
    }
}

/// Scores agreement `a` over every case judged in `judged` and the screening `items`,
/// as of `today`.
pub fn score(
    a: &AgreementRecord,
    judged: &Judged,
    items: &[ScreeningItem],
    today: NaiveDate,
) -> Scorecard {
    let period = Period::year_of(NaiveDate::from_ymd_opt(a.year, 1, 1).unwrap_or(today));
    let by = a.kind.accountable();
    let m = judged.measure_of(period, by, &a.party);
    let own: Vec<&ScreeningItem> = items.iter().filter(|i| a.kind.owns(&a.party, i)).collect();
    let resolved = figures(own.iter().copied(), period, today).resolved;
    let rows = a
        .targets
        .iter()
        .map(|t| {
            let actual = t.goal.actual(&m, resolved);
            let behind = match t.goal.drill() {
                Some(d) => Behind::Cases {
                    label: format!("{}：{}", a.party, d.label()),
                    case_nos: judged.cases_behind_of(period, (by, &a.party), &d),
                },
                None => Behind::Items(
                    own.iter()
                        .filter(|i| {
                            period.contains(i.record.found_on) && i.status != ItemStatus::Resolved
                        })
                        .map(|i| i.id.clone())
                        .collect(),
                ),
            };
            Scored {
                target: *t,
                actual,
                verdict: t.judge(actual),
                behind,
            }
        })
        .collect();
    Scorecard {
        period,
        provisional: today <= period.to,
        as_of: today,
        rows,
    }
}
