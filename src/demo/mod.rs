//! A deterministic generator of realistic cases, for the benchmark, tests and the demo
//! mode: Chinese names, valid 身份证号 and phones, townships, categories, channels,
//! group petitions, repeat petitioners, 100–600 characters of text, and histories
//! taken through the real workflow (`take_step`), so every generated case obeys the
//! same rules as a typed one. Same seed, same cases.

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, take_step, CaseNumber, CaseState};
use crate::domain::event::{Actor, Event};
use crate::domain::idcard::check_digit;
use crate::domain::ids::{CaseId, EventId};
use crate::domain::petition::{PetitionDraft, PetitionerDraft};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::{Category, Channel, PetitionType, PetitionerKind};
use crate::domain::workflow::{OpinionKind, Rating, Routing, Stage, Step};

pub mod agreements;
pub mod plans;
pub mod receptions;
pub mod screening;
mod texts;
use texts::{texts, CONNECTIVES};

/// SplitMix64: tiny, fast and good enough for test data; never for keys.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Sixteen random bytes (for ids).
    pub fn bytes16(&mut self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        out[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        out
    }
}

/// The county leaders who receive visitors and own the demo's group petitions.
const LEADERS: &[&str] = &[
    "李明（副县长）",
    "王强（常务副县长）",
    "张华（县委常委）",
    "刘洋（副县长）",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "玉兰", "志强", "春梅", "海燕",
    "国庆", "德胜", "红梅", "永福",
];
const VILLAGES: &[&str] = &[
    "王庄村",
    "李家湾村",
    "石桥村",
    "河东村",
    "新集村",
    "柳树沟村",
    "高岗村",
    "枣林村",
    "南街社区",
    "北关社区",
    "杨楼村",
    "马营村",
];
const DEPARTMENTS: &[&str] = &[
    "县人力资源和社会保障局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县农业农村局",
    "县生态环境局",
    "县教育体育局",
    "县卫生健康委员会",
    "县民政局",
];
/// Region codes of one county, so 身份证号 look local.
const REGIONS: &[&str] = &["411323", "411324", "411302", "411303"];

/// What the generator makes and for whom.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Seed: the same seed gives the same cases.
    pub seed: u64,
    /// Number of cases.
    pub count: usize,
    /// The last day cases are received and steps taken.
    pub today: NaiveDate,
    /// Days back from `today` the first case is received.
    pub span_days: i64,
    /// The registering unit (its townships and departments are used).
    pub unit: UnitProfile,
}

/// A stream of generated cases, oldest first (so case numbers rise with time).
pub struct Generator {
    rng: Rng,
    plan: Plan,
    calendar: WorkCalendar,
    made: usize,
    seq: Option<(i32, u32)>,
    regulars: Vec<PetitionerDraft>,
    refused: usize,
}

impl Generator {
    /// A generator for `plan`, deadlines from `calendar`.
    pub fn new(plan: Plan, calendar: WorkCalendar) -> Generator {
        let mut rng = Rng::new(plan.seed);
        // About one case in twenty comes from a frequent petitioner (上访专业户).
        let regulars = (0..(plan.count / 60).max(3))
            .map(|_| person(&mut rng, &plan.unit, plan.today))
            .collect();
        Generator {
            rng,
            plan,
            calendar,
            made: 0,
            seq: None,
            regulars,
            refused: 0,
        }
    }

    /// Steps the workflow refused (a generator bug if not zero).
    pub fn refused(&self) -> usize {
        self.refused
    }

    fn day_of(&mut self, i: usize) -> NaiveDate {
        let span = self.plan.span_days.max(1);
        let offset = span - (i as i64 * span) / self.plan.count.max(1) as i64;
        self.plan.today - TimeDelta::days(offset.max(0))
    }

    fn at(&mut self, day: NaiveDate) -> Timestamp {
        let minutes = 8 * 60 + self.rng.below(9 * 60) as i64;
        Timestamp(Timestamp::start_of_china_date(day).0 + minutes * 60_000)
    }

    fn next_number(&mut self, year: i32) -> CaseNumber {
        let last = match self.seq {
            Some((y, n)) if y == year => Some(n),
            _ => None,
        };
        let number = CaseNumber::next(&self.plan.unit.code, year, last);
        self.seq = Some((year, number.seq));
        number
    }

    fn petition(&mut self, received: NaiveDate) -> PetitionDraft {
        let rng = &mut self.rng;
        let unit = &self.plan.unit;
        let category = *rng.pick(Category::ALL);
        let channel = match rng.below(100) {
            0..=39 => Channel::Visit,
            40..=59 => Channel::Letter,
            60..=89 => Channel::Online,
            90..=97 => Channel::Phone,
            _ => Channel::Fax,
        };
        let (titles, requests, facts) = texts(category);
        let k = rng.below(titles.len());
        let village = rng.pick(VILLAGES).to_string();
        let township = rng.pick(&unit.townships).clone();
        let reasons = if rng.chance(60) {
            format!(
                "根据有关法律法规和政策规定，{}群众的合法权益应当得到保障，{}",
                township, CONNECTIVES[7]
            )
        } else {
            String::new()
        };
        // 100–600 characters of text in all: the fact, then connectives up to the target.
        // Each connective is shorter than 15 characters, so the text ends within 100–600.
        let target = 100 + rng.below(486);
        let len = |s: &str| s.chars().count();
        let fixed = len(requests[k]) + len(&reasons) + 1;
        let mut fact = facts[k].to_owned();
        while fixed + len(&fact) < target {
            let piece: &&str = rng.pick(CONNECTIVES);
            fact.push_str(piece);
        }
        fact.push('。');
        let group = rng.chance(4);
        let regular = !group && rng.chance(6);
        let petitioners = if regular {
            vec![rng.pick(&self.regulars).clone()]
        } else {
            vec![person(rng, unit, self.plan.today)]
        };
        let (head_count, representatives) = if group {
            let n = 5 + rng.below(56);
            let reps = (0..1 + rng.below(3))
                .map(|_| person(rng, unit, self.plan.today))
                .collect();
            (n.to_string(), reps)
        } else {
            (String::new(), vec![])
        };
        let petition_type = match category {
            Category::Discipline => PetitionType::Accusation,
            Category::Other if rng.chance(50) => PetitionType::Suggestion,
            _ => PetitionType::Claim,
        };
        let mut draft = PetitionDraft {
            received_on: received.to_string(),
            channel: Some(channel),
            petitioners,
            head_count,
            representatives,
            title: titles[k].to_owned(),
            request: requests[k].to_owned(),
            facts: fact,
            reasons,
            category: Some(category),
            petition_type: Some(petition_type),
            township,
            village,
            complained_about: if petition_type == PetitionType::Accusation {
                format!("{}村民委员会", rng.pick(VILLAGES).trim_end_matches('村'))
            } else {
                String::new()
            },
            ..PetitionDraft::default()
        };
        draft.flags.skip_level = rng.chance(5);
        draft.flags.major_urgent = rng.chance(1);
        draft
    }

    /// The next case's events, or `None` when all are made.
    pub fn next_case(&mut self) -> Option<Vec<Event>> {
        if self.made >= self.plan.count {
            return None;
        }
        let i = self.made;
        self.made += 1;
        let received = self.day_of(i);
        let draft = self.petition(received);
        // The generator writes only valid drafts; a failure here is a generator bug.
        let petition = draft.validate(self.plan.today).ok()?;
        let actor = self.plan.unit.actor();
        let at = self.at(received);
        let number = self.next_number(received.year());
        let reg = register(
            EventId::from_random(self.rng.bytes16()),
            CaseId::from_random(self.rng.bytes16()),
            actor.clone(),
            at,
            &number,
            petition,
        );
        let mut events = vec![reg];
        self.walk(&mut events, &actor);
        Some(events)
    }

    /// Takes the case as far through the workflow as its age allows; some stay open,
    /// some go late, some are rated, some supervised.
    fn walk(&mut self, events: &mut Vec<Event>, actor: &Actor) {
        let today = self.plan.today;
        let mut day = match fold(events) {
            Ok(s) => s.received_on(),
            Err(_) => return,
        };
        // Some cases stall (the office is late): they become overdue as they age.
        let steps = if self.rng.chance(8) {
            self.rng.below(3)
        } else {
            12
        };
        for _ in 0..steps {
            let Ok(state) = fold(events) else { return };
            let Some((step, next_day)) = self.choose(&state, day) else {
                return;
            };
            if next_day > today {
                return;
            }
            // Recorded after what came before it, even on the same day: a file carrying
            // an event dated before its case is refused on import.
            let last = events.iter().map(|e| e.at.0).max().unwrap_or(0);
            let at = Timestamp(self.at(next_day).0.max(last + 60_000));
            let id = EventId::from_random(self.rng.bytes16());
            match take_step(&state, step, today, &self.calendar, id, actor.clone(), at) {
                Ok(e) => events.push(e),
                Err(_) => {
                    self.refused += 1;
                    return;
                }
            }
            day = next_day;
        }
    }

    fn choose(&mut self, s: &CaseState, day: NaiveDate) -> Option<(Step, NaiveDate)> {
        let rng = &mut self.rng;
        let after = |rng: &mut Rng, lo: i64, hi: i64| {
            day + TimeDelta::days(lo + rng.below((hi - lo + 1) as usize) as i64)
        };
        let f = &s.flow;
        // A few open cases get a 督办 order once they are routed.
        if f.routing.is_some() && f.supervisions.is_empty() && f.acting().is_some() && rng.chance(6)
        {
            let on = after(rng, 1, 10);
            return Some((
                Step::Supervise {
                    reason: "群众反映强烈，请加快办理并按期反馈".into(),
                    feedback_due: on + TimeDelta::days(10),
                    on,
                },
                on,
            ));
        }
        if let Some(order) = f.open_supervisions().next() {
            if rng.chance(75) {
                let on = after(rng, 2, 14);
                return Some((
                    Step::SupervisionFeedback {
                        order: order.id.clone(),
                        text: "已督促承办单位加快办理，近期将作出处理意见".into(),
                        on,
                    },
                    on,
                ));
            }
        }
        let unit = &self.plan.unit;
        match f.stage {
            Stage::AwaitingRouting => {
                let on = after(rng, 0, 6);
                let routing = match rng.below(100) {
                    0..=54 => Routing::Accept,
                    55..=74 => Routing::Assign {
                        to: format!("{}人民政府", s.petition.township),
                        to_code: None,
                        report_due: on + TimeDelta::days(30),
                    },
                    75..=86 => Routing::Forward {
                        to_code: None,
                        to: if unit.departments.is_empty() {
                            rng.pick(DEPARTMENTS).to_string()
                        } else {
                            rng.pick(&unit.departments).clone()
                        },
                    },
                    87..=92 => Routing::Redirect {
                        authority: rng.pick(DEPARTMENTS).to_string(),
                    },
                    93..=97 => Routing::Divert {
                        path: "依法向人民法院提起诉讼".into(),
                    },
                    _ => Routing::Reject {
                        reasons: "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决".into(),
                    },
                };
                Some((Step::Route { routing, on }, on))
            }
            // The township or department works on paper: the county records its part.
            Stage::Forwarded | Stage::Assigned => {
                let on = after(rng, 1, 10);
                let step = if rng.chance(5) {
                    Step::Decline {
                        reasons: "不属于本单位职责范围，已告知信访人向有权机关提出".into(),
                        on,
                    }
                } else {
                    Step::Accept { on }
                };
                Some((step, on))
            }
            Stage::Accepted if f.notice_pending() => {
                // Most notices are on time (15 days); some are late.
                let on = if rng.chance(90) {
                    after(rng, 1, 12)
                } else {
                    after(rng, 16, 25)
                };
                Some((Step::NotifyAcceptance { on }, on))
            }
            Stage::Accepted if f.is_assigned() => {
                let on = after(rng, 7, 40);
                Some((
                    Step::Report {
                        summary: "已约谈信访人并实地调查，问题已基本解决".into(),
                        on,
                    },
                    on,
                ))
            }
            Stage::Reported => {
                let on = after(rng, 1, 5);
                let step = if f.returns == 0 && rng.chance(15) {
                    Step::ReturnReport {
                        reasons: "调查不够深入，请补充核实后重新报告".into(),
                        report_due: on + TimeDelta::days(15),
                        on,
                    }
                } else {
                    Step::ApproveReport { on }
                };
                Some((step, on))
            }
            Stage::Accepted => {
                let on = if rng.chance(85) {
                    after(rng, 10, 45)
                } else {
                    after(rng, 50, 80)
                };
                let kind = *rng.pick(&[
                    OpinionKind::Support,
                    OpinionKind::Explain,
                    OpinionKind::Reject,
                ]);
                Some((
                    Step::Opinion {
                        kind,
                        facts: "经调查核实，信访人反映的情况基本属实".into(),
                        basis: "依据《信访工作条例》及有关政策规定".into(),
                        delivered_on: on,
                    },
                    on,
                ))
            }
            Stage::Answered | Stage::Reviewed | Stage::SecondReviewed
                if f.allowed()
                    .contains(&crate::domain::workflow::StepKind::Evaluate) =>
            {
                if !rng.chance(70) {
                    return None;
                }
                let on = after(rng, 1, 10);
                let rating = match rng.below(100) {
                    0..=59 => Rating::Satisfied,
                    60..=84 => Rating::Basic,
                    _ => Rating::Unsatisfied,
                };
                Some((
                    Step::Evaluate {
                        rating,
                        comment: String::new(),
                        on,
                    },
                    on,
                ))
            }
            Stage::Answered
                if f.reviewable
                    && f.latest_rating() == Some(Rating::Unsatisfied)
                    && rng.chance(40) =>
            {
                // Within the 30 days after the answer (the rating came at most 10 days after it).
                let last = f.answered_on.unwrap_or(day) + TimeDelta::days(30);
                let on = after(rng, 1, 15).min(last).max(day);
                Some((
                    Step::RequestReview {
                        reason: "对处理意见不服".into(),
                        // The county's own answer is reviewed by the city, on paper.
                        reviewer: if f.answered_by.as_ref().is_some_and(|p| p.code.is_some()) {
                            "演示市信访局".into()
                        } else {
                            String::new()
                        },
                        on,
                    },
                    on,
                ))
            }
            Stage::InReview => {
                let on = after(rng, 10, 28);
                Some((
                    Step::ReviewOpinion {
                        kind: OpinionKind::Explain,
                        text: "经复查，原处理意见认定事实清楚，维持原处理意见".into(),
                        on,
                    },
                    on,
                ))
            }
            _ => None,
        }
    }
}

/// The unit the demo mode works as: a county office with its townships and departments.
pub fn demo_unit() -> UnitProfile {
    UnitProfile {
        name: "演示县信访局".into(),
        level: crate::domain::vocab::UnitLevel::County,
        code: "DEMO".into(),
        townships: [
            "城关镇",
            "东岭乡",
            "西河镇",
            "南湖镇",
            "北山乡",
            "石门镇",
            "白沙乡",
            "青龙镇",
            "柳林乡",
            "红星镇",
            "杏花乡",
            "双河镇",
        ]
        .iter()
        .map(|t| (*t).to_owned())
        .collect(),
        departments: DEPARTMENTS.iter().map(|d| (*d).to_owned()).collect(),
        operator: "演示用户".into(),
        parent: "演示市信访局".into(),
    }
}

/// The seed of the demo data, so every demo shows the same county.
pub const DEMO_SEED: u64 = 20_261_126;
/// Days of history the demo data spans (three years).
pub const DEMO_SPAN_DAYS: i64 = 3 * 365;

/// A person of the unit's area with a valid 身份证号 and phone.
fn person(rng: &mut Rng, unit: &UnitProfile, today: NaiveDate) -> PetitionerDraft {
    let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
    let year = 1945 + rng.below(60) as i32;
    let birth = NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
        .filter(|d| *d < today)
        .unwrap_or(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(today));
    let first17 = format!(
        "{}{}{:03}",
        rng.pick(REGIONS),
        birth.format("%Y%m%d"),
        rng.below(1000)
    );
    let id_number = format!("{first17}{}", check_digit(first17.as_bytes()));
    let phone = format!(
        "1{}{:09}",
        rng.pick(&["3", "5", "7", "8", "9"]),
        rng.next_u64() % 1_000_000_000
    );
    let address = format!(
        "{}{}{}号",
        rng.pick(&unit.townships),
        rng.pick(VILLAGES),
        1 + rng.below(200)
    );
    PetitionerDraft {
        kind: PetitionerKind::Person,
        name,
        id_number,
        phone,
        address,
    }
}

#[cfg(test)]
mod tests;
