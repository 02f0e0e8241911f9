//! The leadership's measures (底数清、情况明), each defined once here and documented with
//! its exact formula in `docs/measures.md`. Measures read [`Facts`], a small summary of
//! each case derived from its folded state, so a dashboard never needs the event logs.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;
use super::case::CaseState;
use super::vocab::{Category, Channel};
use super::workflow::{Rating, Stage};

/// Days after an answer within which a new petition of the same person on the same
/// matter means the case was not settled (息诉率).
pub const SETTLE_WINDOW_DAYS: i64 = 90;
/// Days before a case within which an earlier case of the same person makes it a repeat.
pub const REPEAT_WINDOW_DAYS: i64 = 365;

/// The stored form leaves out what the list row holds already; these stand in until
/// [`CaseSummary::fill_shared`](super::search::CaseSummary::fill_shared) copies it back.
fn filled_category() -> Category {
    Category::Other
}

fn filled_channel() -> Channel {
    Channel::Letter
}

/// What the measures need of one case. Its stored form (short keys, nothing at its
/// default) leaves out what the case's list row holds too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Case number (to list the cases behind a figure).
    #[serde(skip)]
    pub case_no: String,
    /// Day received.
    #[serde(rename = "d")]
    pub received_on: NaiveDate,
    /// Township of the matter.
    #[serde(skip)]
    pub township: String,
    /// Category.
    #[serde(skip, default = "filled_category")]
    pub category: Category,
    /// Channel.
    #[serde(skip, default = "filled_channel")]
    pub channel: Channel,
    /// The 承办单位: the unit it was 转送/交办 to, else the registering unit.
    #[serde(rename = "r")]
    pub responsible: String,
    /// People taking part.
    #[serde(skip)]
    pub head_count: u32,
    /// 集体访.
    #[serde(skip)]
    pub is_group: bool,
    /// 越级.
    #[serde(rename = "sl", default, skip_serializing_if = "std::ops::Not::not")]
    pub skip_level: bool,
    /// Linked as 重复访 of an earlier case.
    #[serde(skip)]
    pub linked_repeat: bool,
    /// 身份证号 of the petitioners and representatives.
    #[serde(skip)]
    pub id_numbers: Vec<String>,
    /// Accepted (直接受理).
    #[serde(rename = "a", default, skip_serializing_if = "std::ops::Not::not")]
    pub accepted: bool,
    /// Last day for the written acceptance notice, when accepted (from the 承办单位's receipt).
    #[serde(rename = "nd", default, skip_serializing_if = "Option::is_none")]
    pub notice_due: Option<NaiveDate>,
    /// Day of the notice.
    #[serde(rename = "no", default, skip_serializing_if = "Option::is_none")]
    pub notified_on: Option<NaiveDate>,
    /// Last day for the opinion (extension and hearings counted), when accepted.
    #[serde(rename = "od", default, skip_serializing_if = "Option::is_none")]
    pub opinion_due: Option<NaiveDate>,
    /// Day the first answer reached the petitioner.
    #[serde(rename = "an", default, skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<NaiveDate>,
    /// The latest rating.
    #[serde(skip)]
    pub rating: Option<Rating>,
    /// 督办 orders: (feedback due, feedback given on).
    #[serde(rename = "s", default, skip_serializing_if = "Vec::is_empty")]
    pub supervisions: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// The office's current obligation and its last day, if any.
    #[serde(rename = "ob", default, skip_serializing_if = "Option::is_none")]
    pub obligation_due: Option<NaiveDate>,
}

impl Facts {
    /// The facts of a case; deadlines use `calendar`.
    pub fn of(state: &CaseState, calendar: &WorkCalendar) -> Facts {
        let f = &state.flow;
        let p = &state.petition;
        let due = f.due(calendar);
        Facts {
            case_no: state.case_no.clone(),
            received_on: state.received_on(),
            township: p.township.clone(),
            category: p.category,
            channel: p.channel,
            responsible: f.handler.name.clone(),
            head_count: p.head_count,
            is_group: p.is_group(),
            skip_level: p.flags.skip_level,
            linked_repeat: !state.repeat_of.is_empty(),
            id_numbers: p.id_numbers(),
            accepted: f.accepted_on.is_some(),
            // Anonymous cases owe no notice, so they are not judged on giving it.
            notice_due: f
                .accepted_on
                .filter(|_| !f.notice_exempt)
                .map(|_| f.notice_due(calendar)),
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
                .filter(|d| d.obligation() && !f.stage.is_finished() && f.stage != Stage::Answered)
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

    /// The calendar month before the one this period starts in.
    pub fn previous_month(&self) -> Period {
        Period::month_of(
            self.from
                .with_day(1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(self.from),
        )
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

/// Up to this day of a month the month so far is too thin to read: the dashboard opens
/// on the last full month instead.
pub const FRESH_MONTH_DAYS: u32 = 7;

/// Which period the dashboard opens on, so that a clerk never opens a month of zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// The month so far.
    ThisMonth,
    /// The last full month (the first days of a month).
    LastMonth,
    /// 1 January to today (the chosen month received nothing, the year did).
    YearToDate,
}

impl Opening {
    /// The opening for `today` given the days cases were received.
    pub fn choose(today: NaiveDate, received: impl IntoIterator<Item = NaiveDate>) -> Opening {
        let first = if today.day() <= FRESH_MONTH_DAYS {
            Opening::LastMonth
        } else {
            Opening::ThisMonth
        };
        let (month, year) = (first.period(today), Opening::YearToDate.period(today));
        let (mut in_month, mut in_year) = (false, false);
        for d in received {
            in_month |= month.contains(d);
            in_year |= year.contains(d);
            if in_month {
                return first;
            }
        }
        if in_year {
            Opening::YearToDate
        } else {
            first
        }
    }

    /// The period it opens.
    pub fn period(self, today: NaiveDate) -> Period {
        match self {
            Opening::ThisMonth => Period::month_of(today),
            Opening::LastMonth => Period::month_of(today).previous_month(),
            Opening::YearToDate => Period {
                from: Period::year_of(today).from,
                to: today,
            },
        }
    }

    /// What the dashboard says of the period it opened on.
    pub fn note(self, today: NaiveDate) -> String {
        let p = self.period(today);
        match self {
            Opening::ThisMonth => format!("显示本月（{} 至 {}）。", p.from, p.to),
            Opening::LastMonth => format!(
                "本月刚开始，先显示上月（{} 至 {}）；点“本月”看本月至今。",
                p.from, p.to
            ),
            Opening::YearToDate => format!(
                "本月尚无登记的案件，显示本年至今（{} 至 {}）。",
                p.from, p.to
            ),
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

    /// Every measure over the cases of `period` that township or unit `key` answers for
    /// (one row of [`Judged::scorecard`]).
    pub fn measure_of(&self, period: Period, by: Accountable, key: &str) -> Measures {
        let mut m = Measures::default();
        for (f, k) in self.within(period).filter(|(f, _)| by.key(f) == key) {
            m.add(f, k);
        }
        m
    }

    /// The case numbers behind a figure of one township or unit's row.
    pub fn cases_behind_of(
        &self,
        period: Period,
        (by, key): (Accountable, &str),
        drill: &Drill,
    ) -> Vec<String> {
        self.within(period)
            .filter(|(f, k)| by.key(f) == key && drill.holds(f, k))
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

#[cfg(test)]
pub(crate) mod tests;
