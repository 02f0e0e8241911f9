//! The leadership's measures (底数清、情况明), each defined once here and documented with
//! its exact formula in `docs/measures.md`. Measures read [`Facts`], a small summary of
//! each case derived from its folded state, so a dashboard never needs the event logs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;
use super::case::CaseState;
use super::export::{Cell, Table};
use super::vocab::{Category, Channel};
use super::workflow::{Rating, Routing, Stage, NOTICE_DAYS};

/// Days after an answer within which a new petition of the same person on the same
/// matter means the case was not settled (息诉率).
pub const SETTLE_WINDOW_DAYS: i64 = 90;
/// Days before a case within which an earlier case of the same person makes it a repeat.
pub const REPEAT_WINDOW_DAYS: i64 = 365;

/// What the measures need of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Case number (to list the cases behind a figure).
    pub case_no: String,
    /// Day received.
    pub received_on: NaiveDate,
    /// Township of the matter.
    pub township: String,
    /// Category.
    pub category: Category,
    /// Channel.
    pub channel: Channel,
    /// The unit responsible: the unit it was 转送/交办 to, else the registering unit.
    pub responsible: String,
    /// People taking part.
    pub head_count: u32,
    /// 集体访.
    pub is_group: bool,
    /// 越级.
    pub skip_level: bool,
    /// Linked as 重复访 of an earlier case.
    pub linked_repeat: bool,
    /// 身份证号 of the petitioners and representatives.
    pub id_numbers: Vec<String>,
    /// Accepted (直接受理).
    pub accepted: bool,
    /// Last day for the written acceptance notice, when accepted.
    pub notice_due: Option<NaiveDate>,
    /// Day of the notice.
    pub notified_on: Option<NaiveDate>,
    /// Last day for the opinion (extension and hearings counted), when accepted.
    pub opinion_due: Option<NaiveDate>,
    /// Day the first answer reached the petitioner.
    pub answered_on: Option<NaiveDate>,
    /// The latest rating.
    pub rating: Option<Rating>,
    /// 督办 orders: (feedback due, feedback given on).
    pub supervisions: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// The office's current obligation and its last day, if any.
    pub obligation_due: Option<NaiveDate>,
}

impl Facts {
    /// The facts of a case; deadlines use `calendar`.
    pub fn of(state: &CaseState, calendar: &WorkCalendar) -> Facts {
        let f = &state.flow;
        let p = &state.petition;
        let responsible = match &f.routing {
            Some((Routing::Forward { to } | Routing::Assign { to, .. }, _)) => to.clone(),
            _ => state.registered_by.unit_name.clone(),
        };
        let due = f.due(calendar);
        let none = BTreeSet::new();
        Facts {
            case_no: state.case_no.clone(),
            received_on: state.received_on(),
            township: p.township.clone(),
            category: p.category,
            channel: p.channel,
            responsible,
            head_count: p.head_count,
            is_group: p.is_group(),
            skip_level: p.flags.skip_level,
            linked_repeat: !state.repeat_of.is_empty(),
            id_numbers: p.id_numbers(),
            accepted: f.accepted_on.is_some(),
            notice_due: f
                .accepted_on
                .map(|_| calendar.due_after_days(f.received_on, NOTICE_DAYS, &none)),
            notified_on: f.notified_on,
            opinion_due: f.opinion_due(calendar),
            answered_on: f.answered_on,
            rating: f.latest_rating(),
            supervisions: f
                .supervisions
                .iter()
                .map(|s| (s.feedback_due, s.feedback.as_ref().map(|(_, d)| *d)))
                .collect(),
            obligation_due: due
                .filter(|d| d.obligation && !f.stage.is_finished() && f.stage != Stage::Answered)
                .map(|d| d.date),
        }
    }
}

/// A reporting period, inclusive on both ends (China dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// Whether a day falls in the period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// The calendar month of a day.
    pub fn month_of(d: NaiveDate) -> Period {
        let from = d.with_day(1).unwrap_or(d);
        let next = if d.month() == 12 {
            NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
        };
        Period {
            from,
            to: next.and_then(|n| n.pred_opt()).unwrap_or(d),
        }
    }

    /// The calendar quarter of a day.
    pub fn quarter_of(d: NaiveDate) -> Period {
        let first_month = (d.month() - 1) / 3 * 3 + 1;
        let from = NaiveDate::from_ymd_opt(d.year(), first_month, 1).unwrap_or(d);
        let last = NaiveDate::from_ymd_opt(d.year(), first_month + 2, 1).unwrap_or(d);
        Period {
            from,
            to: Period::month_of(last).to,
        }
    }

    /// The calendar year of a day.
    pub fn year_of(d: NaiveDate) -> Period {
        Period {
            from: NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
            to: NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d),
        }
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        let len = (self.to - self.from).num_days() + 1;
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period {
            from: to - chrono::TimeDelta::days(len - 1),
            to,
        }
    }

    /// The same dates one year earlier (for the trend with last year beside it).
    pub fn last_year(&self) -> Period {
        // 29 February maps to 28 February of a common year.
        let back = |d: NaiveDate| {
            d.with_year(d.year() - 1)
                .or_else(|| d.pred_opt()?.with_year(d.year() - 1))
                .unwrap_or(d)
        };
        Period {
            from: back(self.from),
            to: back(self.to),
        }
    }
}

/// A rate as numerator over denominator; undefined when nothing was eligible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ratio {
    /// Cases meeting the condition.
    pub num: usize,
    /// Cases eligible.
    pub den: usize,
}

impl Ratio {
    /// Percentage with one decimal, or "—" when undefined.
    pub fn percent(&self) -> String {
        if self.den == 0 {
            return "—".to_owned();
        }
        let tenths = (self.num * 1000 + self.den / 2) / self.den;
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

/// Every measure of one period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Measures {
    /// 总量: cases received in the period.
    pub total: usize,
    /// Volume by month `(year, month)`.
    pub by_month: BTreeMap<(i32, u32), usize>,
    /// Volume by township.
    pub by_township: BTreeMap<String, usize>,
    /// Volume by category.
    pub by_category: BTreeMap<Category, usize>,
    /// Volume by channel.
    pub by_channel: BTreeMap<Channel, usize>,
    /// Group petitions by channel (the stacked view of channels and 集体访).
    pub group_by_channel: BTreeMap<Channel, usize>,
    /// Volume by responsible unit.
    pub by_unit: BTreeMap<String, usize>,
    /// 集体访: group cases / all cases.
    pub group: Ratio,
    /// People in group cases.
    pub group_heads: u64,
    /// 重复访率.
    pub repeat: Ratio,
    /// 越级访率.
    pub skip_level: Ratio,
    /// 按期受理率.
    pub on_time_notice: Ratio,
    /// 按期办结率.
    pub on_time_answer: Ratio,
    /// 满意率: (满意 + 基本满意) / rated.
    pub satisfied: Ratio,
    /// 参评率: rated / answered.
    pub rated: Ratio,
    /// 息诉率.
    pub settled: Ratio,
    /// 督办: orders with feedback on time / orders due by `today`.
    pub supervision_on_time: Ratio,
    /// 督办 orders given on cases of the period.
    pub supervisions: usize,
    /// Open obligations past their last day, by responsible unit (as of `today`).
    pub overdue_by_unit: BTreeMap<String, usize>,
}

/// The cases of each 身份证号, so repeats and 息诉 are found without comparing every
/// pair of cases (a county holds tens of thousands).
struct People<'a> {
    by_id: HashMap<&'a str, Vec<&'a Facts>>,
}

impl<'a> People<'a> {
    fn of(all: &'a [Facts]) -> People<'a> {
        let mut by_id: HashMap<&str, Vec<&Facts>> = HashMap::new();
        for f in all {
            for id in &f.id_numbers {
                by_id.entry(id.as_str()).or_default().push(f);
            }
        }
        People { by_id }
    }

    /// Other cases sharing a 身份证号 with `f` (a case may appear once per shared number).
    fn others(&self, f: &'a Facts) -> impl Iterator<Item = &'a Facts> + '_ {
        f.id_numbers
            .iter()
            .filter_map(|id| self.by_id.get(id.as_str()))
            .flatten()
            .copied()
            .filter(move |e| e.case_no != f.case_no)
    }
}

/// How one case counts in each measure; `None` where it is not (yet) eligible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks {
    /// 重复访.
    pub repeat: bool,
    /// Acceptance notice on time.
    pub notice_on_time: Option<bool>,
    /// Opinion on time.
    pub answer_on_time: Option<bool>,
    /// Rated, among answered cases.
    pub rated: Option<bool>,
    /// 满意 or 基本满意, among rated cases.
    pub satisfied: Option<bool>,
    /// No return of the same person on the same matter within the window.
    pub settled: Option<bool>,
    /// 督办 orders judged, and of those answered on time.
    pub supervisions_judged: usize,
    /// 督办 orders answered on time.
    pub supervisions_on_time: usize,
    /// The current obligation is past its last day.
    pub overdue: bool,
}

impl Marks {
    fn of(f: &Facts, people: &People, today: NaiveDate) -> Marks {
        // Earlier = received before, or the same day under a lower case number.
        let repeat = f.linked_repeat
            || people.others(f).any(|e| {
                (e.received_on, &e.case_no) < (f.received_on, &f.case_no)
                    && (f.received_on - e.received_on).num_days() <= REPEAT_WINDOW_DAYS
            });
        // A deadline counts once it has passed or was met.
        let judged = |due: Option<NaiveDate>, done: Option<NaiveDate>| {
            let due = due?;
            (done.is_some() || due < today).then(|| done.is_some_and(|d| d <= due))
        };
        let answered = f.answered_on;
        let settled = answered.and_then(|answered| {
            let window_end = answered + chrono::TimeDelta::days(SETTLE_WINDOW_DAYS);
            (window_end < today).then(|| {
                !people.others(f).any(|e| {
                    e.received_on > answered
                        && e.received_on <= window_end
                        && e.category == f.category
                })
            })
        });
        let sup: Vec<bool> = f
            .supervisions
            .iter()
            .filter_map(|(due, given)| judged(Some(*due), *given))
            .collect();
        Marks {
            repeat,
            notice_on_time: judged(f.notice_due, f.notified_on),
            answer_on_time: judged(f.opinion_due, f.answered_on),
            rated: answered.map(|_| f.rating.is_some()),
            satisfied: answered
                .and(f.rating)
                .map(|r| matches!(r, Rating::Satisfied | Rating::Basic)),
            settled,
            supervisions_judged: sup.len(),
            supervisions_on_time: sup.iter().filter(|x| **x).count(),
            overdue: f.obligation_due.is_some_and(|d| d < today),
        }
    }
}

impl Ratio {
    fn add(&mut self, mark: Option<bool>) {
        if let Some(hit) = mark {
            self.den += 1;
            self.num += usize::from(hit);
        }
    }
}

impl Measures {
    fn add(&mut self, f: &Facts, k: &Marks) {
        self.total += 1;
        *self
            .by_month
            .entry((f.received_on.year(), f.received_on.month()))
            .or_default() += 1;
        bump(&mut self.by_township, &f.township);
        *self.by_category.entry(f.category).or_default() += 1;
        *self.by_channel.entry(f.channel).or_default() += 1;
        bump(&mut self.by_unit, &f.responsible);
        self.group.add(Some(f.is_group));
        if f.is_group {
            *self.group_by_channel.entry(f.channel).or_default() += 1;
            self.group_heads += u64::from(f.head_count);
        }
        self.repeat.add(Some(k.repeat));
        self.skip_level.add(Some(f.skip_level));
        self.on_time_notice.add(k.notice_on_time);
        self.on_time_answer.add(k.answer_on_time);
        self.rated.add(k.rated);
        self.satisfied.add(k.satisfied);
        self.settled.add(k.settled);
        self.supervisions += f.supervisions.len();
        self.supervision_on_time.num += k.supervisions_on_time;
        self.supervision_on_time.den += k.supervisions_judged;
        if k.overdue {
            bump(&mut self.overdue_by_unit, &f.responsible);
        }
    }
}

/// Counts one more under `key`; the key is copied only the first time (a county's year
/// adds tens of thousands of cases to a few dozen keys).
fn bump(map: &mut BTreeMap<String, usize>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_owned(), 1);
        }
    }
}

/// Every case judged once as of a day: how it counts in each measure. Marks do not
/// depend on the period, so a dashboard judges once and then reads any period quickly.
pub struct Judged {
    all: Vec<Facts>,
    marks: Vec<Marks>,
}

impl Judged {
    /// Judges every case of `all` as of `today` (earlier and later cases are needed for
    /// repeats and 息诉).
    pub fn new(all: Vec<Facts>, today: NaiveDate) -> Judged {
        let people = People::of(&all);
        let marks = all.iter().map(|f| Marks::of(f, &people, today)).collect();
        Judged { all, marks }
    }

    /// Every case's facts.
    pub fn facts(&self) -> &[Facts] {
        &self.all
    }

    /// The cases received in `period`, each with its marks.
    fn within(&self, period: Period) -> impl Iterator<Item = (&Facts, &Marks)> + '_ {
        self.all
            .iter()
            .zip(&self.marks)
            .filter(move |(f, _)| period.contains(f.received_on))
    }

    /// Every measure over the cases received in `period`.
    pub fn measure(&self, period: Period) -> Measures {
        let mut m = Measures::default();
        for (f, k) in self.within(period) {
            m.add(f, k);
        }
        m
    }

    /// The measures of each township or responsible unit over the cases of `period`.
    pub fn scorecard(&self, period: Period, by: Accountable) -> BTreeMap<String, Measures> {
        let mut out: BTreeMap<String, Measures> = BTreeMap::new();
        for (f, k) in self.within(period) {
            out.entry(by.key(f).to_owned()).or_default().add(f, k);
        }
        out
    }

    /// The case numbers behind a figure, bar or row, by the same marks the measures count.
    pub fn cases_behind(&self, period: Period, drill: &Drill) -> Vec<String> {
        self.within(period)
            .filter(|(f, k)| drill.holds(f, k))
            .map(|(f, _)| f.case_no.clone())
            .collect()
    }
}

/// Computes every measure over the cases received in `period`; `all` is every case
/// known, `today` bounds what can be judged yet. (One period; see [`Judged`] for many.)
pub fn measure(all: &[Facts], period: Period, today: NaiveDate) -> Measures {
    Judged::new(all.to_vec(), today).measure(period)
}

/// Who a scorecard holds to account: 属地管理 (the township of the matter) or
/// 谁主管谁负责 (the responsible unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accountable {
    /// By township.
    Township,
    /// By responsible unit.
    Unit,
}

impl Accountable {
    fn key(self, f: &Facts) -> &str {
        match self {
            Accountable::Township => &f.township,
            Accountable::Unit => &f.responsible,
        }
    }
}

impl Accountable {
    /// The column title of the accountable party.
    pub fn title(self) -> &'static str {
        match self {
            Accountable::Township => "乡镇（属地管理）",
            Accountable::Unit => "责任单位（谁主管谁负责）",
        }
    }
}

/// A scorecard as a table: one row per township or unit, the same figures for each.
pub fn scorecard_table(cards: &BTreeMap<String, Measures>, by: Accountable) -> Table {
    let ratio = |r: Ratio| Cell::from(format!("{}（{}/{}）", r.percent(), r.num, r.den));
    Table {
        name: match by {
            Accountable::Township => "乡镇考核".into(),
            Accountable::Unit => "单位考核".into(),
        },
        header: [
            by.title(),
            "件数",
            "集体访",
            "重复访率",
            "按期受理率",
            "按期办结率",
            "满意率",
            "超期",
            "督办单数",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        rows: cards
            .iter()
            .map(|(name, m)| {
                vec![
                    Cell::from(name.as_str()),
                    Cell::from(m.total),
                    Cell::from(m.group.num),
                    ratio(m.repeat),
                    ratio(m.on_time_notice),
                    ratio(m.on_time_answer),
                    ratio(m.satisfied),
                    Cell::from(m.overdue_by_unit.values().sum::<usize>()),
                    Cell::from(m.supervisions),
                ]
            })
            .collect(),
    }
}

/// A figure, bar or row of the dashboard whose cases can be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drill {
    /// Every case of the period.
    All,
    /// One township.
    Township(String),
    /// One category.
    Category(Category),
    /// One channel; with `Some(group)` only group (or only other) petitions.
    Channel(Channel, Option<bool>),
    /// One responsible unit.
    Unit(String),
    /// 集体访.
    Group,
    /// 重复访.
    Repeat,
    /// 越级访.
    SkipLevel,
    /// Acceptance notice late.
    NoticeLate,
    /// Opinion late.
    AnswerLate,
    /// Answered and not rated.
    Unrated,
    /// Rated 不满意.
    Unsatisfied,
    /// The same person came back on the same matter.
    NotSettled,
    /// Under 督办.
    Supervised,
    /// Overdue, of one responsible unit (or of all).
    Overdue(Option<String>),
}

impl Drill {
    /// What the list of these cases is called.
    pub fn label(&self) -> String {
        match self {
            Drill::All => "全部".into(),
            Drill::Township(t) => format!("乡镇：{t}"),
            Drill::Category(c) => format!("类别：{}", c.label()),
            Drill::Channel(c, None) => format!("渠道：{}", c.label()),
            Drill::Channel(c, Some(true)) => format!("渠道：{}（集体访）", c.label()),
            Drill::Channel(c, Some(false)) => format!("渠道：{}（非集体访）", c.label()),
            Drill::Unit(u) => format!("责任单位：{u}"),
            Drill::Group => "集体访".into(),
            Drill::Repeat => "重复访".into(),
            Drill::SkipLevel => "越级访".into(),
            Drill::NoticeLate => "未按期受理告知".into(),
            Drill::AnswerLate => "未按期办结".into(),
            Drill::Unrated => "已答复未评价".into(),
            Drill::Unsatisfied => "不满意".into(),
            Drill::NotSettled => "未息诉".into(),
            Drill::Supervised => "督办".into(),
            Drill::Overdue(None) => "超期".into(),
            Drill::Overdue(Some(u)) => format!("超期：{u}"),
        }
    }

    fn holds(&self, f: &Facts, k: &Marks) -> bool {
        match self {
            Drill::All => true,
            Drill::Township(t) => f.township == *t,
            Drill::Category(c) => f.category == *c,
            Drill::Channel(c, g) => f.channel == *c && g.is_none_or(|g| g == f.is_group),
            Drill::Unit(u) => f.responsible == *u,
            Drill::Group => f.is_group,
            Drill::Repeat => k.repeat,
            Drill::SkipLevel => f.skip_level,
            Drill::NoticeLate => k.notice_on_time == Some(false),
            Drill::AnswerLate => k.answer_on_time == Some(false),
            Drill::Unrated => k.rated == Some(false),
            Drill::Unsatisfied => k.satisfied == Some(false),
            Drill::NotSettled => k.settled == Some(false),
            Drill::Supervised => !f.supervisions.is_empty(),
            Drill::Overdue(u) => k.overdue && u.as_ref().is_none_or(|u| f.responsible == *u),
        }
    }
}

/// The measures side by side, one column per `(title, measures)`, as a table for export
/// and print; `breakdowns` adds the rows by township, category, channel and unit.
pub fn table(columns: &[(String, &Measures)], breakdowns: bool) -> Table {
    let row = |label: String, cell: &dyn Fn(&Measures) -> Cell| {
        std::iter::once(Cell::from(label))
            .chain(columns.iter().map(|(_, m)| cell(m)))
            .collect::<Vec<_>>()
    };
    let ratio = |r: Ratio| Cell::from(format!("{}（{}/{}）", r.percent(), r.num, r.den));
    let mut rows = vec![
        row("总量".into(), &|m| Cell::from(m.total)),
        row("集体访占比".into(), &|m| ratio(m.group)),
        row("集体访人数".into(), &|m| {
            Cell::from(m.group_heads as usize)
        }),
        row("重复访率".into(), &|m| ratio(m.repeat)),
        row("越级访率".into(), &|m| ratio(m.skip_level)),
        row("按期受理率".into(), &|m| ratio(m.on_time_notice)),
        row("按期办结率".into(), &|m| ratio(m.on_time_answer)),
        row("满意率".into(), &|m| ratio(m.satisfied)),
        row("参评率".into(), &|m| ratio(m.rated)),
        row("息诉率".into(), &|m| ratio(m.settled)),
        row("督办单数".into(), &|m| Cell::from(m.supervisions)),
        row("督办按期反馈率".into(), &|m| {
            ratio(m.supervision_on_time)
        }),
    ];
    if breakdowns {
        let first = columns.first().map(|(_, m)| *m);
        let count = |map: fn(&Measures) -> Vec<(String, usize)>, prefix: &str| {
            let keys: Vec<String> = first
                .map(|m| map(m).into_iter().map(|(k, _)| k).collect())
                .unwrap_or_default();
            keys.into_iter()
                .map(|k| {
                    row(format!("{prefix}：{k}"), &|m| {
                        Cell::from(
                            map(m)
                                .into_iter()
                                .find(|(x, _)| *x == k)
                                .map_or(0, |(_, n)| n),
                        )
                    })
                })
                .collect::<Vec<_>>()
        };
        rows.extend(count(
            |m| m.by_township.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            "乡镇",
        ));
        rows.extend(count(
            |m| {
                m.by_category
                    .iter()
                    .map(|(k, n)| (k.label().to_owned(), *n))
                    .collect()
            },
            "类别",
        ));
        rows.extend(count(
            |m| {
                m.by_channel
                    .iter()
                    .map(|(k, n)| (k.label().to_owned(), *n))
                    .collect()
            },
            "渠道",
        ));
        rows.extend(count(
            |m| m.by_unit.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            "责任单位",
        ));
        rows.extend(count(
            |m| {
                m.overdue_by_unit
                    .iter()
                    .map(|(k, n)| (k.clone(), *n))
                    .collect()
            },
            "超期",
        ));
    }
    Table {
        name: "看板".into(),
        header: std::iter::once("项目".to_owned())
            .chain(columns.iter().map(|(t, _)| t.clone()))
            .collect(),
        rows,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// Facts of a plain case (one person, 城关镇, 来访), for tests to vary.
    pub(crate) fn base(no: &str, received: NaiveDate) -> Facts {
        Facts {
            case_no: no.into(),
            received_on: received,
            township: "城关镇".into(),
            category: Category::LabourSocialSecurity,
            channel: Channel::Visit,
            responsible: "县信访局".into(),
            head_count: 1,
            is_group: false,
            skip_level: false,
            linked_repeat: false,
            id_numbers: vec![],
            accepted: false,
            notice_due: None,
            notified_on: None,
            opinion_due: None,
            answered_on: None,
            rating: None,
            supervisions: vec![],
            obligation_due: None,
        }
    }

    /// Six cases in November 2026 (and one in October), with answers worked out by hand
    /// in docs/measures.md's example.
    fn fixture() -> Vec<Facts> {
        let person = |f: Facts, id: &str| Facts {
            id_numbers: vec![id.into()],
            ..f
        };
        vec![
            // October: answered 10-05, a later case of the same person on 11-10 (same category) → not settled.
            Facts {
                answered_on: Some(d(10, 5)),
                rating: Some(Rating::Unsatisfied),
                ..person(base("A", d(10, 1)), "P1")
            },
            // November cases.
            Facts {
                is_group: true,
                head_count: 30,
                township: "东岭乡".into(),
                ..base("B", d(11, 2))
            },
            Facts {
                accepted: true,
                notice_due: Some(d(11, 18)),
                notified_on: Some(d(11, 10)),
                opinion_due: Some(d(11, 20)),
                answered_on: Some(d(11, 19)),
                rating: Some(Rating::Basic),
                ..base("C", d(11, 3))
            },
            Facts {
                accepted: true,
                notice_due: Some(d(11, 19)),
                notified_on: Some(d(11, 21)),
                skip_level: true,
                ..base("D", d(11, 4))
            },
            Facts {
                accepted: true,
                notice_due: Some(d(11, 30)),
                channel: Channel::Letter,
                ..base("E", d(11, 15))
            },
            person(
                Facts {
                    responsible: "城关镇人民政府".into(),
                    obligation_due: Some(d(11, 20)),
                    supervisions: vec![(d(11, 18), Some(d(11, 17))), (d(11, 22), None)],
                    ..base("F", d(11, 10))
                },
                "P1",
            ),
            Facts {
                linked_repeat: true,
                is_group: true,
                head_count: 6,
                ..base("G", d(11, 25))
            },
        ]
    }

    #[test]
    fn every_measure_on_the_hand_computed_fixture() {
        let nov = Period {
            from: d(11, 1),
            to: d(11, 30),
        };
        let m = measure(&fixture(), nov, d(11, 26));
        assert_eq!(m.total, 6);
        assert_eq!(m.by_month, BTreeMap::from([((2026, 11), 6)]));
        assert_eq!(
            m.by_township,
            BTreeMap::from([("东岭乡".into(), 1), ("城关镇".into(), 5)])
        );
        assert_eq!(m.by_channel.get(&Channel::Letter), Some(&1));
        assert_eq!(
            m.by_unit,
            BTreeMap::from([("县信访局".into(), 5), ("城关镇人民政府".into(), 1)])
        );
        assert_eq!((m.group, m.group_heads), (Ratio { num: 2, den: 6 }, 36));
        // F repeats A (same 身份证号, 40 days earlier); G is linked.
        assert_eq!(m.repeat, Ratio { num: 2, den: 6 });
        assert_eq!(m.skip_level, Ratio { num: 1, den: 6 });
        // C on time, D late; E's notice is not due yet.
        assert_eq!(m.on_time_notice, Ratio { num: 1, den: 2 });
        assert_eq!(m.on_time_answer, Ratio { num: 1, den: 1 });
        assert_eq!(m.satisfied, Ratio { num: 1, den: 1 });
        assert_eq!(m.rated, Ratio { num: 1, den: 1 });
        // C was answered 11-19: its 90-day window has not passed by 11-26.
        assert_eq!(m.settled, Ratio { num: 0, den: 0 });
        // F's first order was answered a day early; the second was due 11-22 and is unanswered.
        assert_eq!(
            (m.supervisions, m.supervision_on_time),
            (2, Ratio { num: 1, den: 2 })
        );
        assert_eq!(
            m.overdue_by_unit,
            BTreeMap::from([("城关镇人民政府".into(), 1)])
        );
        assert_eq!(m.group.percent(), "33.3%");
        assert_eq!(m.settled.percent(), "—");
    }

    #[test]
    fn the_cases_behind_a_figure_are_the_ones_it_counts() {
        let nov = Period {
            from: d(11, 1),
            to: d(11, 30),
        };
        let today = d(11, 26);
        let all = fixture();
        let m = measure(&all, nov, today);
        let judged = Judged::new(all.clone(), today);
        let behind = |drill: Drill| judged.cases_behind(nov, &drill);
        assert_eq!(behind(Drill::All).len(), m.total);
        assert_eq!(behind(Drill::Repeat), ["F", "G"]);
        assert_eq!(behind(Drill::Group), ["B", "G"]);
        assert_eq!(behind(Drill::NoticeLate), ["D"]);
        assert_eq!(behind(Drill::SkipLevel), ["D"]);
        assert_eq!(behind(Drill::Overdue(None)), ["F"]);
        assert_eq!(
            behind(Drill::Overdue(Some("县信访局".into()))),
            Vec::<String>::new()
        );
        assert_eq!(behind(Drill::Township("东岭乡".into())), ["B"]);
        assert_eq!(
            behind(Drill::Channel(Channel::Visit, Some(true))),
            ["B", "G"]
        );
        assert_eq!(behind(Drill::Channel(Channel::Letter, None)), ["E"]);
        assert_eq!(behind(Drill::Supervised), ["F"]);
        assert_eq!(m.group_by_channel, BTreeMap::from([(Channel::Visit, 2)]));
        // October read in January: A came back (F), so it is not settled.
        let oct = Period {
            from: d(10, 1),
            to: d(10, 31),
        };
        let jan = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        let january = Judged::new(all.clone(), jan);
        assert_eq!(january.cases_behind(oct, &Drill::NotSettled), ["A"]);
        assert_eq!(january.cases_behind(oct, &Drill::Unsatisfied), ["A"]);
    }

    #[test]
    fn scorecards_split_the_period_by_township_or_unit() {
        let nov = Period {
            from: d(11, 1),
            to: d(11, 30),
        };
        let all = fixture();
        let judged = Judged::new(all.clone(), d(11, 26));
        let by_unit = judged.scorecard(nov, Accountable::Unit);
        assert_eq!(by_unit.len(), 2);
        let town = &by_unit["城关镇人民政府"];
        assert_eq!((town.total, town.repeat.num), (1, 1));
        assert_eq!(town.overdue_by_unit.values().sum::<usize>(), 1);
        let bureau = &by_unit["县信访局"];
        assert_eq!(bureau.on_time_notice, Ratio { num: 1, den: 2 });
        let by_township = judged.scorecard(nov, Accountable::Township);
        assert_eq!(by_township["东岭乡"].group, Ratio { num: 1, den: 1 });
        let t = scorecard_table(&by_township, Accountable::Township);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][0], Cell::from("东岭乡"));
        assert_eq!(t.rows[1][7], Cell::Number(1));
        let whole = measure(&all, nov, d(11, 26));
        for card in [by_unit, by_township] {
            assert_eq!(card.values().map(|m| m.total).sum::<usize>(), whole.total);
            assert_eq!(
                card.values().map(|m| m.repeat.num).sum::<usize>(),
                whole.repeat.num
            );
        }
    }

    #[test]
    fn a_second_case_on_the_same_day_is_a_repeat() {
        let p = |no: &str| Facts {
            id_numbers: vec!["P".into()],
            ..base(no, d(11, 3))
        };
        let m = measure(
            &[p("XF01-2026-00002"), p("XF01-2026-00001")],
            Period {
                from: d(11, 1),
                to: d(11, 30),
            },
            d(11, 26),
        );
        assert_eq!(m.repeat, Ratio { num: 1, den: 2 });
    }

    #[test]
    fn settlement_needs_the_window_to_pass_and_no_return() {
        let oct = Period {
            from: d(10, 1),
            to: d(10, 31),
        };
        // Judged on 2027-01-10: A's window (10-05 … 2027-01-03) has passed and F came back.
        let m = measure(
            &fixture(),
            oct,
            NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
        );
        assert_eq!(m.settled, Ratio { num: 0, den: 1 });
        assert_eq!(m.satisfied, Ratio { num: 0, den: 1 });
        // Without F's return, A is settled.
        let without_f: Vec<Facts> = fixture().into_iter().filter(|f| f.case_no != "F").collect();
        assert_eq!(
            measure(
                &without_f,
                oct,
                NaiveDate::from_ymd_opt(2027, 1, 10).unwrap()
            )
            .settled,
            Ratio { num: 1, den: 1 }
        );
    }

    #[test]
    fn empty_periods_and_boundaries() {
        let m = measure(
            &fixture(),
            Period {
                from: d(12, 1),
                to: d(12, 31),
            },
            d(12, 31),
        );
        assert_eq!(m.total, 0);
        assert_eq!(m.repeat.percent(), "—");
        // Both ends are inclusive: B (11-02) and G (11-25).
        let m = measure(
            &fixture(),
            Period {
                from: d(11, 2),
                to: d(11, 25),
            },
            d(11, 26),
        );
        assert_eq!(m.total, 6);
        let m = measure(
            &fixture(),
            Period {
                from: d(11, 3),
                to: d(11, 24),
            },
            d(11, 26),
        );
        assert_eq!(m.total, 4);
    }

    #[test]
    fn periods_compare_with_the_previous_one_and_last_year() {
        let nov = Period {
            from: d(11, 1),
            to: d(11, 30),
        };
        assert_eq!(
            nov.previous(),
            Period {
                from: d(10, 2),
                to: d(10, 31)
            }
        );
        assert_eq!(
            nov.last_year().from,
            NaiveDate::from_ymd_opt(2025, 11, 1).unwrap()
        );
        let leap = Period {
            from: NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
            to: NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
        };
        assert_eq!(
            leap.last_year().from,
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
    }

    #[test]
    fn the_export_table_holds_every_figure() {
        let nov = Period {
            from: d(11, 1),
            to: d(11, 30),
        };
        let now = measure(&fixture(), nov, d(11, 26));
        let before = measure(&fixture(), nov.previous(), d(11, 26));
        let t = table(
            &[
                (format!("本期 {} 至 {}", nov.from, nov.to), &now),
                ("上期".into(), &before),
            ],
            true,
        );
        // The previous period is 10-02 … 10-31: A (10-01) falls outside it.
        assert_eq!(
            t.rows[0],
            vec![Cell::from("总量"), Cell::Number(6), Cell::Number(0)]
        );
        assert_eq!(t.rows[1][1], Cell::from("33.3%（2/6）"));
        assert!(t.rows.iter().any(|r| r[0] == Cell::from("乡镇：东岭乡")));
        assert!(t.header[1].contains("2026-11-01 至 2026-11-30"));
        assert_eq!(
            t.rows
                .iter()
                .find(|r| r[0] == Cell::from("超期：城关镇人民政府")),
            Some(&vec![
                Cell::from("超期：城关镇人民政府"),
                Cell::Number(1),
                Cell::Number(0)
            ])
        );
        let key = table(&[("本月".into(), &now)], false);
        assert_eq!((key.rows.len(), key.header.len()), (12, 2));
    }

    #[test]
    fn calendar_periods() {
        assert_eq!(
            Period::month_of(d(2, 14)),
            Period {
                from: d(2, 1),
                to: d(2, 28)
            }
        );
        assert_eq!(
            Period::month_of(d(12, 31)),
            Period {
                from: d(12, 1),
                to: d(12, 31)
            }
        );
        assert_eq!(
            Period::quarter_of(d(11, 26)),
            Period {
                from: d(10, 1),
                to: d(12, 31)
            }
        );
        assert_eq!(
            Period::quarter_of(d(2, 1)),
            Period {
                from: d(1, 1),
                to: d(3, 31)
            }
        );
        assert_eq!(
            Period::year_of(d(6, 6)),
            Period {
                from: d(1, 1),
                to: d(12, 31)
            }
        );
    }

    #[test]
    fn facts_come_from_the_folded_case() {
        use crate::domain::case::{fold, register, take_step, CaseNumber};
        use crate::domain::event::Actor;
        use crate::domain::ids::{CaseId, EventId};
        use crate::domain::petition::tests::{today, valid_draft};
        use crate::domain::time::Timestamp;
        use crate::domain::workflow::Step;
        let actor = Actor {
            unit_code: "XF01".into(),
            unit_name: "县信访局".into(),
            operator: "王".into(),
        };
        let cal = WorkCalendar::official();
        let mut draft = valid_draft();
        draft.received_on = "2026-11-02".into();
        let reg = register(
            EventId::from_random([1; 16]),
            CaseId::from_random([1; 16]),
            actor.clone(),
            Timestamp(1_795_658_400_000),
            &CaseNumber::next("XF01", 2026, None),
            draft.validate(today()).unwrap(),
        );
        let st = fold(std::slice::from_ref(&reg)).unwrap();
        let assign = Step::Route {
            routing: Routing::Assign {
                to: "城关镇人民政府".into(),
                report_due: d(11, 20),
            },
            on: d(11, 3),
        };
        let e = take_step(
            &st,
            assign,
            today(),
            &cal,
            EventId::from_random([2; 16]),
            actor,
            Timestamp(1_795_658_400_001),
        )
        .unwrap();
        let facts = Facts::of(&fold(&[reg, e]).unwrap(), &cal);
        assert_eq!(facts.responsible, "城关镇人民政府");
        assert_eq!(facts.received_on, d(11, 2));
        assert_eq!(facts.obligation_due, Some(d(11, 20)));
        assert_eq!(facts.id_numbers, ["11010519491231002X"]);
        assert!(!facts.accepted);
    }
}
