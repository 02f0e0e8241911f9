//! The demo county's 排查台账: items found over the last months, of every risk, some
//! followed up to 化解, some past their deadline, made through the domain's own form
//! validation and constructors, so each obeys the register's rules. Same seed, same items.

use chrono::{NaiveDate, TimeDelta};

use super::{Rng, DEPARTMENTS, GIVEN, SURNAMES, VILLAGES};
use crate::domain::event::Actor;
use crate::domain::ids::{EntryId, EventId};
use crate::domain::registers::screening::{
    fold, follow_up, record, Outcome, Risk, ScreeningDraft, ScreeningEvent,
};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::Category;

/// Matters found by screening, by category: what a township's 排查 brings up.
const MATTERS: &[(Category, &str, &str)] = &[
    (
        Category::LandExpropriation,
        "{v}征地补偿款分配不均，部分村民意见较大，拟集体到县反映",
        "镇村干部逐户走访，公开补偿款分配明细，依法依规调整分配方案",
    ),
    (
        Category::LandExpropriation,
        "{v}道路拓宽涉及房屋拆迁，{n}户对评估价格有异议",
        "组织第三方重新评估，召开听证会说明政策",
    ),
    (
        Category::LabourSocialSecurity,
        "县城某建筑工地拖欠{n}名农民工工资约{m}万元，工人情绪激动",
        "人社部门约谈施工企业，督促限期足额支付，启动工资保证金",
    ),
    (
        Category::LabourSocialSecurity,
        "原乡镇企业退休职工养老保险接续问题，{n}人联名反映",
        "人社局核查参保记录，逐人答复政策依据",
    ),
    (
        Category::Agriculture,
        "{v}土地承包经营权流转合同到期，承包方与村民对续约价格争议",
        "司法所组织调解，依合同约定和市场行情协商",
    ),
    (
        Category::Agriculture,
        "{v}村集体经济收益分配不公开，村民要求清查账目",
        "乡镇农经站审计村集体账目并张榜公布",
    ),
    (
        Category::Environment,
        "{v}养殖场污水直排，周边{n}户村民反映气味和水质问题",
        "生态环境部门现场检查，责令限期整改并跟踪监测",
    ),
    (
        Category::UrbanRuralConstruction,
        "某小区开发商延期交房一年，{n}户业主多次聚集",
        "住建局约谈开发商，明确交房时间表，成立业主沟通小组",
    ),
    (
        Category::UrbanRuralConstruction,
        "老旧小区改造施工扰民，居民与施工方发生争执",
        "街道召开协调会，调整施工时段，设立投诉电话",
    ),
    (
        Category::EducationHealth,
        "{v}小学撤并，家长对学生上学路远有意见",
        "教育局说明布局调整方案，开通校车",
    ),
    (
        Category::CivilAffairs,
        "{v}低保评定公示后，{n}户认为评定不公",
        "民政部门复核家庭经济状况，重新公示",
    ),
    (
        Category::Other,
        "两家相邻住户因宅基地边界多次发生纠纷，有激化苗头",
        "村调委会现场测量，依据确权登记调解",
    ),
];

/// Items the demo register holds for `cases` generated cases: one for about every 25,
/// between 12 and 400 (a county's register holds hundreds, not thousands).
pub fn item_count(cases: usize) -> usize {
    (cases / 25).clamp(12, 400)
}

/// `n` screening items of `unit`, found in the 180 days up to `today`, each with its
/// events (record and follow-ups).
pub fn screening_items(
    seed: u64,
    unit: &UnitProfile,
    today: NaiveDate,
    n: usize,
) -> Vec<Vec<ScreeningEvent>> {
    let mut rng = Rng::new(seed ^ 0x5c12_ee41);
    let mut out = Vec::with_capacity(n);
    let mut attempts = 0;
    while out.len() < n && attempts < n * 4 {
        attempts += 1;
        if let Some(log) = one(&mut rng, unit, today) {
            out.push(log);
        }
    }
    out
}

fn one(rng: &mut Rng, unit: &UnitProfile, today: NaiveDate) -> Option<Vec<ScreeningEvent>> {
    let found = today - TimeDelta::days(rng.below(180) as i64);
    let (category, matter, measures) = *rng.pick(MATTERS);
    let village = (*rng.pick(VILLAGES)).to_owned();
    let heads = 1 + rng.below(40);
    let text = |t: &str| {
        t.replace("{v}", &village)
            .replace("{n}", &heads.to_string())
            .replace("{m}", &(5 + rng_fixed(heads) % 80).to_string())
    };
    let parties: Vec<String> = (0..1 + rng.below(3))
        .map(|_| format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)))
        .collect();
    let risk = match rng.below(10) {
        0..=1 => Risk::High,
        2..=5 => Risk::Medium,
        _ => Risk::Low,
    };
    let days = match risk {
        Risk::High => 15,
        Risk::Medium => 30,
        Risk::Low => 60,
    };
    let leader = format!(
        "{}{}",
        rng.pick(SURNAMES),
        rng.pick(&["副县长", "常务副县长", "县委常委", "乡镇党委书记", "乡镇长"])
    );
    let draft = ScreeningDraft {
        found_on: found.to_string(),
        township: rng.pick(&unit.townships).clone(),
        village: village.clone(),
        category: Some(category),
        parties: format!(
            "{}{}",
            parties.join("、"),
            if heads > parties.len() { "等" } else { "" }
        ),
        head_count: heads.max(parties.len()).to_string(),
        matter: text(matter),
        risk: Some(risk),
        responsible: (*rng.pick(DEPARTMENTS)).to_owned(),
        leader,
        measures: measures.to_owned(),
        controls: if risk == Risk::High {
            "落实专人稳控，每日报告动态".into()
        } else {
            String::new()
        },
        deadline: (found + TimeDelta::days(days)).to_string(),
    };
    let rec = draft.validate(today).ok()?;
    let actor = Actor {
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        operator: unit.operator.clone(),
    };
    let at = |d: NaiveDate, h: i64| Timestamp(Timestamp::start_of_china_date(d).0 + h * 3_600_000);
    let entry = EntryId::from_random(rng.bytes16());
    let mut log = vec![record(
        EventId::from_random(rng.bytes16()),
        entry,
        actor.clone(),
        at(found, 9),
        rec,
    )];
    // Most items are followed up; about half of those are resolved.
    let mut day = found;
    for step in 0..rng.below(4) {
        day += TimeDelta::days(3 + rng.below(20) as i64);
        if day > today {
            break;
        }
        let item = fold(&log).ok()?;
        let resolved = step > 0 && rng.chance(45);
        let (outcome, words) = if resolved {
            (Outcome::Resolved, "经协调各方达成一致，当事人表示息诉罢访")
        } else {
            (Outcome::Resolving, "责任单位已上门走访，正在落实化解措施")
        };
        let Ok(e) = follow_up(
            &item,
            day,
            words,
            outcome,
            today,
            (
                EventId::from_random(rng.bytes16()),
                actor.clone(),
                at(day, 15),
            ),
        ) else {
            break;
        };
        log.push(e);
        if resolved {
            break;
        }
    }
    Some(log)
}

/// A number from a number, so a matter's sum stays fixed for its head count.
fn rng_fixed(n: usize) -> usize {
    n.wrapping_mul(2_654_435_761) >> 7
}
