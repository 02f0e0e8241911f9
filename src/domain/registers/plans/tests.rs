use super::*;
use crate::domain::case::{fold as fold_case, register, CaseNumber, CaseState};
use crate::domain::event::{Actor, Event};
use crate::domain::ids::{CaseId, EntryId, EventId};
use crate::domain::petition::tests::{today, valid_draft};
use crate::domain::registers::versioned::RevisionError;
use crate::domain::registers::EntryError;
use crate::domain::response::SUMMARY_DAYS;
use crate::domain::time::Timestamp;
use crate::domain::vocab::Category;
use chrono::{NaiveDate, TimeDelta};
use proptest::prelude::*;

fn actor() -> Actor {
    Actor {
        unit_code: "XF01".into(),
        unit_name: "某县信访局".into(),
        operator: "王五".into(),
    }
}

fn by(n: u8, at: i64) -> (EventId, Actor, Timestamp) {
    (EventId::from_random([n; 16]), actor(), Timestamp(at))
}

fn draft() -> PlanDraft {
    PlanDraft {
        name: "征地拆迁群体访应急预案".into(),
        min_heads: "5".into(),
        categories: vec![Category::LandExpropriation],
        townships: String::new(),
        major_urgent: false,
        units: "县信访局 王五 0000-1234567\n县自然资源局 赵六".into(),
        steps: "一、接待分流\n二、领导接访\n三、责任单位现场答复".into(),
    }
}

fn plan_of(d: PlanDraft, n: u8) -> (Plan, PlanEvent) {
    let e = record(
        EventId::from_random([n; 16]),
        EntryId::from_random([n; 16]),
        actor(),
        Timestamp(1_000),
        d.validate().unwrap(),
    );
    (fold(std::slice::from_ref(&e)).unwrap(), e)
}

fn facts(heads: u32, category: Category, township: &str, urgent: bool) -> PlanFacts {
    PlanFacts {
        head_count: heads,
        category: Some(category),
        township: township.into(),
        major_urgent: urgent,
    }
}

/// A case registered at `at` (ms), of 12 people about land, in 城关镇.
fn case_at(at: i64) -> (CaseState, Vec<Event>) {
    let mut p = valid_draft();
    p.head_count = "12".into();
    let reg = register(
        EventId::from_random([90; 16]),
        CaseId::from_random([9; 16]),
        actor(),
        Timestamp(at),
        &CaseNumber::next("XF01", 2026, None),
        p.validate(today()).unwrap(),
    );
    (fold_case(std::slice::from_ref(&reg)).unwrap(), vec![reg])
}

fn with(log: &mut Vec<Event>, e: Event) -> CaseState {
    log.push(e);
    fold_case(log).unwrap()
}

#[test]
fn the_form_says_what_is_missing_next_to_each_field() {
    let e = PlanDraft::default().validate().unwrap_err();
    for (f, m) in [
        (PlanField::Name, "请填写预案名称"),
        (PlanField::MinHeads, "请至少设定一项适用条件"),
        (PlanField::Units, "请填写责任单位"),
        (PlanField::Steps, "请填写处置步骤"),
    ] {
        assert!(e.get(f.key()).is_some_and(|t| t.contains(m)), "{f:?}");
    }
    let mut d = draft();
    d.min_heads = "1".into();
    assert!(d.validate().unwrap_err().get("MinHeads").is_some());
    d.min_heads = "五".into();
    assert!(d.validate().unwrap_err().get("MinHeads").is_some());
    // Townships in any of the usual separators, kept in the order typed.
    let mut d = draft();
    d.townships = "城关镇、东岭乡，西河镇\n城关镇".into();
    let r = d.validate().unwrap();
    assert_eq!(r.townships, ["城关镇", "东岭乡", "西河镇"]);
    assert_eq!(PlanDraft::from_record(&r).validate().unwrap(), r);
}

#[test]
fn a_plan_applies_when_every_condition_it_sets_holds() {
    let (land, _) = plan_of(draft(), 1);
    assert!(land.applies(&facts(5, Category::LandExpropriation, "东岭乡", false)));
    assert!(!land.applies(&facts(4, Category::LandExpropriation, "东岭乡", false)));
    assert!(!land.applies(&facts(30, Category::Environment, "东岭乡", false)));
    // On a form still being filled: the category not chosen yet does not meet it.
    let mut form = valid_draft();
    form.head_count = "30".into();
    form.category = None;
    assert!(!land.applies(&PlanFacts::of_draft(&form)));
    form.category = Some(Category::LandExpropriation);
    assert!(land.applies(&PlanFacts::of_draft(&form)));
    let mut d = draft();
    d.min_heads.clear();
    d.categories.clear();
    d.major_urgent = true;
    d.townships = "城关镇".into();
    d.name = "重大紧急事项应急预案".into();
    let (urgent, _) = plan_of(d, 2);
    assert!(urgent.applies(&facts(1, Category::Other, "城关镇", true)));
    assert!(!urgent.applies(&facts(1, Category::Other, "城关镇", false)));
    assert!(!urgent.applies(&facts(1, Category::Other, "西河镇", true)));
    assert_eq!(urgent.record.conditions(), "乡镇：城关镇；重大紧急");
    assert_eq!(land.record.conditions(), "5 人以上；问题类别：征地拆迁");
    let plans = [urgent, land];
    let hits = matching(
        &plans,
        &facts(8, Category::LandExpropriation, "城关镇", true),
    );
    let names: Vec<&str> = hits.iter().map(|p| p.record.name.as_str()).collect();
    assert_eq!(names, ["征地拆迁群体访应急预案", "重大紧急事项应急预案"]);
    assert!(plans[1].matches("自然资源局"));
    assert!(!plans[1].matches("教育"));
}

#[test]
fn revisions_keep_the_history_and_need_a_reason() {
    let (p, first) = plan_of(draft(), 1);
    assert_eq!(
        revise(&p, p.record.clone(), "无", by(2, 2_000)),
        Err(RevisionError::NoChanges)
    );
    let mut d = draft();
    d.min_heads = "10".into();
    let new = d.validate().unwrap();
    assert_eq!(
        revise(&p, new.clone(), " ", by(2, 2_000)),
        Err(RevisionError::NoReason)
    );
    let e = revise(&p, new.clone(), "县委要求提高启动门槛", by(2, 2_000)).unwrap();
    let p2 = fold(&[e.clone(), first.clone(), e]).unwrap();
    assert_eq!(p2.record, new);
    assert_eq!(p2.events.len(), 2);
    assert!(matches!(
        &p2.events[1].body,
        crate::domain::registers::versioned::Versioned::Revised { reason, .. } if reason == "县委要求提高启动门槛"
    ));
    assert_eq!(fold(&[]), Err(EntryError::NoRecord));
}

#[test]
fn a_started_plan_takes_records_until_its_summary() {
    let (p, _) = plan_of(draft(), 1);
    let start_at = 1_795_000_000_000;
    let (case, mut log) = case_at(start_at);
    let e = start(&case, &p, by(10, start_at + 60_000)).unwrap();
    assert_eq!(e.body.label(), "启动应急预案");
    let case = with(&mut log, e);
    assert!(matches!(
        start(&case, &p, by(11, start_at + 90_000)),
        Err(PlanError::AlreadyStarted(_))
    ));
    let other = EntryId::from_random([77; 16]);
    assert_eq!(
        note(&case, &other, "x", by(12, 1)),
        Err(PlanError::NotStarted)
    );
    assert_eq!(note(&case, &p.id, "  ", by(12, 1)), Err(PlanError::NoText));
    let case = with(
        &mut log,
        note(
            &case,
            &p.id,
            "县领导到场接访，责任单位现场答复",
            by(12, start_at + 120_000),
        )
        .unwrap(),
    );
    assert_eq!(
        summarize(&case, &p.id, ("经过", "", "教训"), by(13, 1)),
        Err(PlanError::Missing("有效做法"))
    );
    let started = &case.plans[0];
    assert_eq!(started.notes.len(), 1);
    let due = started.summary_due();
    assert_eq!(due, started.started_on() + TimeDelta::days(SUMMARY_DAYS));
    assert!(!started.summary_overdue(due));
    assert!(started.summary_overdue(due + TimeDelta::days(1)));
    let case = with(
        &mut log,
        summarize(
            &case,
            &p.id,
            (
                "12 名村民到县集体上访",
                "领导接访、当场答复",
                "早排查、早介入",
            ),
            by(14, start_at + 200_000),
        )
        .unwrap(),
    );
    let s = case.plans[0].summary.as_ref().unwrap();
    assert_eq!(s.worked, "领导接访、当场答复");
    assert!(!case.plans[0].summary_overdue(NaiveDate::MAX));
    assert!(matches!(
        note(&case, &p.id, "又来了", by(15, start_at + 300_000)),
        Err(PlanError::Summarized(_))
    ));
    assert!(matches!(
        summarize(&case, &p.id, ("a", "b", "c"), by(16, start_at + 300_000)),
        Err(PlanError::Summarized(_))
    ));
}

proptest! {
    /// However a case's plan events arrive (order, duplicates), the fold is the same.
    #[test]
    fn the_plans_of_a_case_do_not_depend_on_arrival(seed in any::<u64>()) {
        let (p, _) = plan_of(draft(), 1);
        let (case, mut log) = case_at(1_000_000);
        let case = with(&mut log, start(&case, &p, by(10, 2_000_000)).unwrap());
        let case = with(&mut log, note(&case, &p.id, "处置一", by(11, 3_000_000)).unwrap());
        let _ = with(&mut log, summarize(&case, &p.id, ("a", "b", "c"), by(12, 4_000_000)).unwrap());
        let mut shuffled = log.clone();
        shuffled.push(log[2].clone());
        let n = shuffled.len();
        for i in 0..n {
            let j = (seed.rotate_left(i as u32) as usize) % n;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(fold_case(&shuffled).unwrap().plans, fold_case(&log).unwrap().plans);
    }
}

#[test]
fn the_workbench_and_the_dashboard_read_started_plans_from_the_rows() {
    use crate::domain::calendar::WorkCalendar;
    use crate::domain::measures::Period;
    use crate::domain::search::{plans_started, CaseSummary};
    use crate::domain::workbench::{bucket, Bucket};
    use crate::domain::workflow::Viewer;
    let (p, _) = plan_of(draft(), 1);
    let start_at = Timestamp::start_of_china_date(NaiveDate::from_ymd_opt(2026, 10, 5).unwrap()).0;
    let (case, mut log) = case_at(start_at);
    let case = with(
        &mut log,
        start(&case, &p, by(10, start_at + 3_600_000)).unwrap(),
    );
    let cal = WorkCalendar::official();
    let rows = vec![CaseSummary::of(&case, &cal)];
    let r = &rows[0].plans[0];
    assert_eq!(
        (r.name.as_str(), r.started_on.to_string().as_str()),
        ("征地拆迁群体访应急预案", "2026-10-05")
    );
    let me = Viewer {
        code: "XF01",
        name: "某县信访局",
    };
    let on = |d: u32, m: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    assert!(bucket(&rows, Bucket::SummaryOverdue, on(4, 11), me).is_empty());
    assert_eq!(
        bucket(&rows, Bucket::SummaryOverdue, on(5, 11), me).len(),
        1
    );
    assert_eq!(
        r.summary_state(on(5, 11)),
        "逾期未总结（应于 2026-11-04 前）"
    );
    let october = Period::month_of(on(1, 10));
    assert_eq!(plans_started(&rows, &october).len(), 1);
    assert!(plans_started(&rows, &Period::month_of(on(1, 11))).is_empty());
    // Summed up: off the workbench, still on the dashboard of its month.
    let case = with(
        &mut log,
        summarize(&case, &p.id, ("a", "b", "c"), by(11, start_at + 7_200_000)).unwrap(),
    );
    let rows = vec![CaseSummary::of(&case, &cal)];
    assert!(bucket(&rows, Bucket::SummaryOverdue, on(5, 11), me).is_empty());
    assert_eq!(
        plans_started(&rows, &october)[0].1.summary_state(on(5, 11)),
        "已总结"
    );
}
