//! The generator: seeded, valid by the domain's own rules, a county's worth of history.

use super::*;
use crate::domain::idcard;
use crate::domain::unit::tests::county;
use std::collections::BTreeSet;

fn plan(seed: u64, count: usize) -> Plan {
    Plan {
        seed,
        count,
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        span_days: 700,
        unit: county(),
    }
}

fn make(seed: u64, count: usize) -> Vec<Vec<Event>> {
    let mut g = Generator::new(plan(seed, count), WorkCalendar::official());
    let cases: Vec<Vec<Event>> = std::iter::from_fn(|| g.next_case()).collect();
    assert_eq!(g.refused(), 0, "the workflow refused a generated step");
    cases
}

#[test]
fn the_demo_unit_is_valid() {
    let u = demo_unit();
    assert_eq!(
        crate::domain::UnitDraft::from_profile(&u)
            .validate()
            .unwrap(),
        u
    );
}

#[test]
fn the_same_seed_gives_the_same_cases() {
    assert_eq!(make(7, 200), make(7, 200));
    assert_ne!(make(7, 50), make(8, 50));
}

#[test]
fn generated_cases_are_valid_and_varied() {
    let cases = make(42, 2000);
    assert_eq!(cases.len(), 2000);
    let today = plan(0, 0).today;
    let states: Vec<CaseState> = cases.iter().map(|e| fold(e).unwrap()).collect();
    let mut numbers = BTreeSet::new();
    let mut stages = BTreeSet::new();
    let (mut group, mut rated, mut supervised, mut overdue) = (0, 0, 0, 0);
    let cal = WorkCalendar::official();
    for s in &states {
        assert!(numbers.insert(s.case_no.clone()), "duplicate {}", s.case_no);
        stages.insert(format!("{:?}", s.flow.stage));
        let p = &s.petition;
        let len = p.facts.chars().count() + p.request.chars().count() + p.reasons.chars().count();
        assert!((100..=600).contains(&len), "text of {len} characters");
        for id in p.id_numbers() {
            assert_eq!(idcard::validate(&id, today).unwrap(), id);
        }
        for person in p.petitioners.iter().chain(&p.representatives) {
            assert!(
                crate::domain::validate::validate_phone(&person.phone).is_ok(),
                "{}",
                person.phone
            );
        }
        group += usize::from(p.is_group());
        rated += usize::from(s.flow.latest_rating().is_some());
        supervised += usize::from(!s.flow.supervisions.is_empty());
        overdue += usize::from(
            s.flow
                .due(&cal)
                .is_some_and(|d| d.obligation() && d.date < today && !s.flow.stage.is_finished()),
        );
    }
    assert!(stages.len() >= 7, "{stages:?}");
    for (what, n) in [
        ("group", group),
        ("rated", rated),
        ("supervised", supervised),
        ("overdue", overdue),
    ] {
        assert!(n >= 20, "{what}: {n}");
    }
    // Frequent petitioners: some 身份证号 come back many times.
    let mut counts = std::collections::BTreeMap::new();
    for s in &states {
        for id in s.petition.id_numbers() {
            *counts.entry(id).or_insert(0) += 1;
        }
    }
    assert!(counts.values().any(|n| *n >= 3));
    // Case numbers rise with time within a year.
    let first = &states[0];
    assert!(first.received_on() < states[1999].received_on());
}

#[test]
fn generated_cases_can_be_handed_to_another_unit() {
    use crate::domain::authorship::{check_incoming, Importer};
    // Imported the next morning by a township: every rule a file's events must pass.
    let importer = Importer {
        unit_name: "城关镇人民政府",
        unit_code: "CGZ01",
        now: Timestamp::start_of_china_date(plan(0, 0).today.succ_opt().unwrap()),
    };
    for events in make(11, 500) {
        assert_eq!(
            check_incoming(&[], &events, &importer),
            Ok(()),
            "{events:?}"
        );
    }
}

#[test]
fn the_demo_register_holds_items_of_every_kind_and_is_the_same_each_time() {
    use crate::demo::screening::{item_count, screening_items};
    use crate::domain::registers::screening::{fold, ItemStatus, Risk};
    let unit = super::demo_unit();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let n = item_count(1_000);
    assert_eq!(n, 40);
    let logs = screening_items(super::DEMO_SEED, &unit, today, n);
    assert_eq!(logs.len(), n);
    assert_eq!(logs, screening_items(super::DEMO_SEED, &unit, today, n));
    let items: Vec<_> = logs.iter().map(|l| fold(l).unwrap()).collect();
    for status in [
        ItemStatus::Unresolved,
        ItemStatus::Resolving,
        ItemStatus::Resolved,
    ] {
        assert!(items.iter().any(|i| i.status == status), "{status:?}");
    }
    assert!(items.iter().any(|i| i.record.risk == Risk::High));
    assert!(items.iter().any(|i| i.is_overdue(today)));
    assert!(items
        .iter()
        .all(|i| unit.townships.contains(&i.record.township)));
}

#[test]
fn the_demo_county_starts_its_plans_on_group_petitions_and_mostly_sums_them_up() {
    use crate::demo::plans::{demo_plans, folded, with_plan_work};
    use crate::domain::case::fold;
    let unit = super::demo_unit();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let logs = demo_plans(super::DEMO_SEED, &unit, today);
    assert_eq!(logs.len(), 4);
    let plans = folded(&logs);
    assert_eq!(plans.len(), 4);
    let cases: Vec<_> = make(3, 1_000)
        .into_iter()
        .map(|log| with_plan_work(&plans, log, today))
        .collect();
    assert_eq!(
        cases,
        make(3, 1_000)
            .into_iter()
            .map(|log| with_plan_work(&plans, log, today))
            .collect::<Vec<_>>(),
        "the same seed gives the same plan work"
    );
    let states: Vec<_> = cases.iter().map(|l| fold(l).unwrap()).collect();
    let started: Vec<_> = states.iter().filter(|s| !s.plans.is_empty()).collect();
    assert!(started.len() >= 10, "{} cases with a plan", started.len());
    assert!(started
        .iter()
        .all(|s| s.petition.is_group() || s.petition.flags.major_urgent));
    assert!(started.iter().any(|s| s.plans[0].summary.is_some()));
    assert!(started.iter().any(|s| s.plans[0].summary_overdue(today)));
    assert!(
        started.iter().all(|s| s.leader.is_some()),
        "each owned by a leader"
    );
    assert!(started.iter().any(|s| !s.instructions.is_empty()));
    assert!(started
        .iter()
        .flat_map(|s| &s.events)
        .all(|e| e.at.china_date() <= today));
}

#[test]
fn the_demo_county_receives_visitors_on_its_wednesdays() {
    use crate::demo::receptions::{demo_receptions, folded, with_reception};
    use crate::domain::case::fold;
    use crate::domain::vocab::Channel;
    use chrono::{Datelike, Weekday};
    let unit = super::demo_unit();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let days = folded(&demo_receptions(super::DEMO_SEED, &unit, today));
    assert_eq!(days.len(), 13);
    assert!(days.iter().all(|d| d.record.day.weekday() == Weekday::Wed));
    let states: Vec<_> = make(3, 1_000)
        .into_iter()
        .map(|log| fold(&with_reception(&days, log)).unwrap())
        .collect();
    let received: Vec<_> = states.iter().filter(|s| s.received_by.is_some()).collect();
    assert!(!received.is_empty());
    assert!(
        received
            .iter()
            .all(|s| s.petition.channel == Channel::Visit
                && s.received_on().weekday() == Weekday::Wed)
    );
}

#[test]
fn the_demo_county_signs_agreements_that_its_cases_meet_and_miss() {
    use crate::demo::agreements::demo_agreements;
    use crate::domain::case::fold;
    use crate::domain::measures::{Facts, Judged};
    use crate::domain::registers::agreements::{self, score, Verdict};
    let unit = county();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let signed: Vec<_> = demo_agreements(super::DEMO_SEED, &unit, today)
        .iter()
        .map(|log| agreements::fold(log).unwrap())
        .collect();
    assert_eq!(signed.len(), unit.townships.len() + 3);
    let calendar = WorkCalendar::official();
    let facts: Vec<Facts> = make(3, 2_000)
        .iter()
        .map(|log| Facts::of(&fold(log).unwrap(), &calendar))
        .collect();
    let judged = Judged::new(facts, today);
    let verdicts: Vec<Verdict> = signed
        .iter()
        .flat_map(|a| score(&a.record, &judged, &[], today).rows)
        .map(|r| r.verdict)
        .collect();
    assert!(verdicts.contains(&Verdict::Met));
    assert!(verdicts.contains(&Verdict::Missed));
}
