//! The demo county's 应急预案, and their work on its cases: group petitions and matters
//! marked 重大紧急 get the plan they meet started, a 包案领导 (and often a 批示), a
//! handling record and, for most
//! of those more than a fortnight old, a 事后总结; a few are left past the 30 days
//! without one, for the workbench. Made through the domain's own constructors, so each
//! obeys the register's rules. Same seed, same plans and the same events.

use chrono::{NaiveDate, TimeDelta};

use super::{Rng, LEADERS};
use crate::domain::case::{fold, CaseState};
use crate::domain::event::Event;
use crate::domain::ids::{EntryId, EventId};
use crate::domain::leaders::{assign, instruct};
use crate::domain::registers::plans::{
    self, matching, note, record, start, summarize, Plan, PlanDraft, PlanEvent, PlanFacts,
};
use crate::domain::time::Timestamp;
use crate::domain::unit::UnitProfile;
use crate::domain::vocab::Category;

/// One demo plan: name, head count, categories, 重大紧急, units, steps.
type DemoPlan = (
    &'static str,
    &'static str,
    &'static [Category],
    bool,
    &'static str,
    &'static str,
);

/// The demo plans.
const PLANS: &[DemoPlan] = &[
    (
        "征地拆迁群体性信访事件应急预案",
        "5",
        &[Category::LandExpropriation],
        false,
        "县信访局 接待科 0000-6123401\n县自然资源局 分管副局长\n属地乡镇人民政府 主要负责同志",
        "一、接待场所分流引导，选派 5 名以内代表\n二、县领导接访，自然资源局现场答复政策\n三、属地乡镇包案稳控，3 日内入户回访\n四、事后 30 日内形成总结",
    ),
    (
        "欠薪讨薪群体访应急预案",
        "5",
        &[Category::LabourSocialSecurity],
        false,
        "县人力资源和社会保障局 劳动监察大队 0000-6123402\n县住房和城乡建设局（涉工程项目）",
        "一、登记讨薪人员和欠薪金额\n二、劳动监察大队当日约谈用人单位\n三、启用农民工工资保证金\n四、跟踪支付到位",
    ),
    (
        "重大紧急信访事项处置预案",
        "",
        &[],
        true,
        "县信访局局长 0000-6123400\n县公安局 指挥中心\n县应急管理局",
        "一、立即报告县委、县政府分管领导\n二、相关部门 1 小时内到场\n三、依法维护信访秩序\n四、当日报送处置情况",
    ),
    (
        "大规模集体访应急预案",
        "30",
        &[],
        false,
        "县委、县政府督查室\n县信访局 0000-6123400\n县公安局",
        "一、启动县级领导包案\n二、责任单位主要负责人到场\n三、设立临时接待点\n四、事后总结报县委",
    ),
];

/// The demo unit's plans, as their events.
pub fn demo_plans(seed: u64, unit: &UnitProfile, today: NaiveDate) -> Vec<Vec<PlanEvent>> {
    // Made before the first demo case, as a county makes its plans first.
    let made = Timestamp::start_of_china_date(today - TimeDelta::days(800));
    let mut rng = Rng::new(seed ^ 0x91a2_5eed);
    PLANS
        .iter()
        .filter_map(|(name, heads, categories, urgent, units, steps)| {
            let draft = PlanDraft {
                name: (*name).into(),
                min_heads: (*heads).into(),
                categories: categories.to_vec(),
                townships: String::new(),
                major_urgent: *urgent,
                units: (*units).into(),
                steps: (*steps).into(),
            };
            let e = record(
                EventId::from_random(rng.bytes16()),
                EntryId::from_random(rng.bytes16()),
                unit.actor(),
                made,
                draft.validate().ok()?,
            );
            Some(vec![e])
        })
        .collect()
}

/// The plans as they stand.
pub fn folded(logs: &[Vec<PlanEvent>]) -> Vec<Plan> {
    logs.iter().filter_map(|l| plans::fold(l).ok()).collect()
}

/// `log` with the work of the first plan its case meets, as of `today`: started an hour
/// after registration, one handling record, and (for most cases older than a fortnight)
/// the 事后总结. A case no plan meets is returned as it was.
pub fn with_plan_work(plans: &[Plan], mut log: Vec<Event>, today: NaiveDate) -> Vec<Event> {
    let Ok(case) = fold(&log) else {
        return log;
    };
    let Some(plan) = matching(plans, &PlanFacts::of(&case.petition))
        .into_iter()
        .next()
    else {
        return log;
    };
    // Only cases at least a day old, so no event lies after today.
    if case.registered_at.china_date() >= today {
        return log;
    }
    let mut rng = Rng::new(u64::from_le_bytes(seed_of(&case)));
    let summarized = rng.chance(80);
    let actor = case.registered_by.clone();
    let at = case.registered_at.0;
    let mut stamp = |hours: i64| {
        (
            EventId::from_random(rng.bytes16()),
            actor.clone(),
            Timestamp(at + hours * 3_600_000),
        )
    };
    let Ok(e) = start(&case, plan, stamp(1)) else {
        return log;
    };
    log.push(e);
    let Ok(state) = fold(&log) else {
        return log;
    };
    // Group petitions get a county leader who owns them (包案), and often a 批示.
    let leader = LEADERS[rng_pick(&state)];
    let Ok(e) = assign(&state, leader, stamp(2)) else {
        return log;
    };
    log.push(e);
    let Ok(state) = fold(&log) else {
        return log;
    };
    if summarized {
        if let Ok(e) = instruct(
            &state,
            leader,
            "请责任单位依法依规限期化解，及时报告进展",
            stamp(2),
        ) {
            log.push(e);
        }
    }
    let Ok(state) = fold(&log) else {
        return log;
    };
    let words = "县领导到场接访，责任单位当场答复政策，群众情绪平稳后有序离开";
    let Ok(e) = note(&state, &plan.id, words, stamp(3)) else {
        return log;
    };
    log.push(e);
    let Ok(state) = fold(&log) else {
        return log;
    };
    let age = (today - state.registered_at.china_date()).num_days();
    // Most older ones are summarized; one in five is left owing its summary.
    if age > 14 && summarized {
        let summary = (
            "群众因诉求未获答复集体到县上访，经启动预案、领导接访，当日有序劝返",
            "领导接访与责任单位现场答复同步进行，属地包案跟进回访",
            "排查发现后应提前介入，政策解释要在群众聚集前完成",
        );
        if let Ok(e) = summarize(&state, &plan.id, summary, stamp(24 * 7)) {
            if e.at.china_date() <= today {
                log.push(e);
            }
        }
    }
    log
}

/// Which leader owns a case: fixed by the case, so the same seed gives the same owner.
fn rng_pick(case: &CaseState) -> usize {
    seed_of(case).iter().map(|b| usize::from(*b)).sum::<usize>() % LEADERS.len()
}

fn seed_of(case: &CaseState) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (i, b) in case.id.as_str().bytes().enumerate() {
        out[i % 8] ^= b;
    }
    out
}
