//! Agreements on a hand-computed fixture (docs/measures.md's 责任状 example): each target
//! met, missed or without data, against the same figures the dashboard shows.

use chrono::NaiveDate;

use super::*;
use crate::domain::event::Actor;
use crate::domain::ids::{EntryId, EventId};
use crate::domain::measures::tests::base;
use crate::domain::measures::{Facts, Judged};
use crate::domain::registers::screening::{self, ItemStatus, ScreeningDraft, ScreeningItem};
use crate::domain::registers::versioned::RevisionError;
use crate::domain::time::Timestamp;
use crate::domain::vocab::Category;
use crate::domain::workflow::Rating;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn actor() -> Actor {
    Actor {
        unit_code: "XF01".into(),
        unit_name: "某县信访局".into(),
        operator: "王五".into(),
    }
}

fn answered(no: &str, received: NaiveDate, due: NaiveDate, on: NaiveDate) -> Facts {
    Facts {
        accepted: true,
        opinion_due: Some(due),
        answered_on: Some(on),
        ..base(no, received)
    }
}

/// 城关镇's 2026: four cases (one late, two group, one 越级), plus cases of another
/// township, another year and another responsible unit that must not count.
fn cases() -> Vec<Facts> {
    vec![
        Facts {
            rating: Some(Rating::Satisfied),
            ..answered("C1", d(2026, 3, 1), d(2026, 3, 31), d(2026, 3, 20))
        },
        Facts {
            rating: Some(Rating::Unsatisfied),
            ..answered("C2", d(2026, 5, 1), d(2026, 5, 31), d(2026, 6, 5))
        },
        Facts {
            is_group: true,
            head_count: 8,
            ..answered("C3", d(2026, 6, 1), d(2026, 7, 1), d(2026, 6, 20))
        },
        Facts {
            is_group: true,
            head_count: 6,
            skip_level: true,
            ..answered("C4", d(2026, 7, 1), d(2026, 7, 31), d(2026, 7, 30))
        },
        Facts {
            is_group: true,
            township: "东岭乡".into(),
            ..base("C5", d(2026, 3, 1))
        },
        Facts {
            is_group: true,
            ..base("C6", d(2025, 12, 20))
        },
        Facts {
            township: "东岭乡".into(),
            responsible: "县人社局".into(),
            ..base("C7", d(2026, 4, 1))
        },
    ]
}

fn item(n: u8, township: &str, status: ItemStatus) -> ScreeningItem {
    let draft = ScreeningDraft {
        found_on: "2026-04-02".into(),
        township: township.into(),
        village: "东村".into(),
        category: Some(Category::LandExpropriation),
        parties: "张三等".into(),
        head_count: "5".into(),
        matter: "征地补偿款分配不均".into(),
        risk: Some(screening::Risk::Medium),
        responsible: format!("{township}人民政府"),
        leader: "李副县长".into(),
        measures: "逐户走访".into(),
        controls: "".into(),
        deadline: "2026-06-30".into(),
    };
    let e = screening::record(
        EventId::from_random([n; 16]),
        EntryId::from_random([n; 16]),
        actor(),
        Timestamp(1),
        draft.validate(d(2026, 4, 2)).unwrap(),
    );
    let mut i = screening::fold(&[e]).unwrap();
    i.status = status;
    i
}

fn items() -> Vec<ScreeningItem> {
    vec![
        item(1, "城关镇", ItemStatus::Resolved),
        item(2, "城关镇", ItemStatus::Resolving),
        item(3, "东岭乡", ItemStatus::Unresolved),
    ]
}

fn draft(kind: PartyKind, party: &str, targets: &[(Goal, &str)]) -> AgreementDraft {
    AgreementDraft {
        kind: Some(kind),
        party: party.into(),
        year: "2026".into(),
        targets: targets.iter().map(|(g, t)| (*g, (*t).to_owned())).collect(),
        signed_on: "2026-01-15".into(),
        county_signatory: "张县长".into(),
        party_signatory: "王镇长".into(),
    }
}

fn township() -> AgreementRecord {
    draft(
        PartyKind::Township,
        "城关镇",
        &[
            (Goal::OnTimeAnswer, "80"),
            (Goal::Satisfied, "60"),
            (Goal::Group, "2"),
            (Goal::SkipLevel, "0"),
            (Goal::Repeat, "5"),
            (Goal::ScreeningResolved, "50"),
        ],
    )
    .validate(d(2026, 12, 1))
    .unwrap()
}

#[test]
fn a_township_is_scored_on_its_own_cases_of_the_year() {
    let judged = Judged::new(cases(), d(2027, 1, 10));
    let card = score(&township(), &judged, &items(), d(2027, 1, 10));
    assert!(!card.provisional);
    let got: Vec<(Goal, String, Verdict)> = card
        .rows
        .iter()
        .map(|r| (r.target.goal, r.actual.text(), r.verdict))
        .collect();
    assert_eq!(
        got,
        vec![
            // C1, C3, C4 on time, C2 late: 3/4 < 80 %.
            (Goal::OnTimeAnswer, "75.0%（3/4）".into(), Verdict::Missed),
            // Rated: C1 满意, C2 不满意: 1/2 < 60 %.
            (Goal::Satisfied, "50.0%（1/2）".into(), Verdict::Missed),
            // C3 and C4 (C5 is 东岭乡's, C6 is 2025's): 2 ≤ 2, the bound itself holds.
            (Goal::Group, "2 件".into(), Verdict::Met),
            (Goal::SkipLevel, "1 件".into(), Verdict::Missed),
            (Goal::Repeat, "0.0%（0/4）".into(), Verdict::Met),
            // Items 1 (已化解) and 2 (化解中) are 城关镇's: 1/2 ≥ 50 %.
            (Goal::ScreeningResolved, "50.0%（1/2）".into(), Verdict::Met),
        ]
    );
    assert_eq!((card.met(), card.missed()), (3, 3));
    let behind = |g: Goal| card.rows.iter().find(|r| r.target.goal == g).unwrap();
    assert_eq!(
        behind(Goal::OnTimeAnswer).behind,
        Behind::Cases {
            label: "城关镇：未按期办结".into(),
            case_nos: vec!["C2".into()]
        }
    );
    assert_eq!(behind(Goal::SkipLevel).behind.len(), 1);
    assert_eq!(
        behind(Goal::ScreeningResolved).behind,
        Behind::Items(vec![EntryId::from_random([2; 16])])
    );
}

#[test]
fn a_department_without_rated_cases_has_no_data_and_an_unfinished_year_is_provisional() {
    let record = draft(
        PartyKind::Department,
        "县人社局",
        &[(Goal::Satisfied, "90"), (Goal::Group, "0")],
    )
    .validate(d(2026, 12, 1))
    .unwrap();
    let judged = Judged::new(cases(), d(2026, 12, 1));
    let card = score(&record, &judged, &items(), d(2026, 12, 1));
    assert!(card.provisional);
    assert_eq!(card.rows[0].verdict, Verdict::NoData);
    assert_eq!(card.rows[0].actual.text(), "—（无可考核事项）");
    // C7 is 县人社局's and not a group petition; the group cases are 县信访局's.
    assert_eq!(card.rows[1].actual, Actual::Count(0));
    assert_eq!(card.rows[1].verdict, Verdict::Met);
    assert_eq!((card.met(), card.missed(), card.no_data()), (1, 0, 1));
}

#[test]
fn verdicts_compare_in_whole_numbers_at_the_bound() {
    let t = |goal, bound| Target { goal, bound };
    let r = |num, den| Actual::Rate(crate::domain::measures::Ratio { num, den });
    // 2/3 = 66.67 %: at least 66.6 % holds, 66.7 % does not (no rounding decides).
    assert_eq!(t(Goal::OnTimeAnswer, 666).judge(r(2, 3)), Verdict::Met);
    assert_eq!(t(Goal::OnTimeAnswer, 667).judge(r(2, 3)), Verdict::Missed);
    assert_eq!(t(Goal::Repeat, 667).judge(r(2, 3)), Verdict::Met);
    assert_eq!(t(Goal::Repeat, 666).judge(r(2, 3)), Verdict::Missed);
    assert_eq!(t(Goal::Satisfied, 0).judge(r(0, 0)), Verdict::NoData);
    for den in 1..=40usize {
        for num in 0..=den {
            for bound in (0..=1000u32).step_by(7) {
                let exact = (num as f64) / (den as f64) * 1000.0;
                let v = t(Goal::Satisfied, bound).judge(r(num, den));
                if (exact - f64::from(bound)).abs() > 1e-6 {
                    assert_eq!(v == Verdict::Met, exact > f64::from(bound));
                }
            }
        }
    }
}

#[test]
fn the_form_names_each_wrong_field_and_reads_bounds_as_typed() {
    let e = AgreementDraft::default()
        .validate(d(2026, 12, 1))
        .unwrap_err();
    for f in [
        AgreementField::Kind,
        AgreementField::Party,
        AgreementField::Year,
        AgreementField::Targets,
        AgreementField::SignedOn,
        AgreementField::CountySignatory,
        AgreementField::PartySignatory,
    ] {
        assert!(e.get(f.key()).is_some(), "{f:?}");
    }
    let mut bad = draft(
        PartyKind::Township,
        "城关镇",
        &[(Goal::OnTimeAnswer, "120"), (Goal::Group, "两件")],
    );
    bad.year = "2040".into();
    bad.signed_on = "2027-01-01".into();
    let e = bad.validate(d(2026, 12, 1)).unwrap_err();
    assert!(e.get(&Goal::OnTimeAnswer.field_key()).is_some());
    assert!(e.get(&Goal::Group.field_key()).is_some());
    assert!(e.get(AgreementField::Year.key()).is_some());
    assert!(e.get(AgreementField::SignedOn.key()).is_some());
    assert!(e.get(AgreementField::Targets.key()).is_none());
    assert_eq!(Goal::Satisfied.bound_of("９２．５％"), Ok(925));
    assert_eq!(Goal::Satisfied.bound_of("90"), Ok(900));
    assert!(Goal::Satisfied.bound_of("90.25").is_err());
    assert_eq!(Goal::Group.bound_of("3件"), Ok(3));
    let r = township();
    assert_eq!(
        AgreementDraft::from_record(&r).validate(d(2026, 12, 1)),
        Ok(r.clone())
    );
    assert_eq!(r.targets[0].text(), "按期办结率 ≥ 80.0%");
    assert_eq!(r.targets[3].text(), "越级访 ≤ 0 件");
}

#[test]
fn an_agreement_is_revised_with_a_reason_and_one_per_party_and_year() {
    let first = record(
        (EventId::from_random([1; 16]), EntryId::from_random([1; 16])),
        actor(),
        Timestamp(1),
        township(),
    );
    let a = fold(std::slice::from_ref(&first)).unwrap();
    let stamp = (EventId::from_random([2; 16]), actor(), Timestamp(2));
    assert_eq!(
        revise(&a, township(), "x", stamp.clone()),
        Err(RevisionError::NoChanges)
    );
    let mut changed = township();
    changed.targets[2].bound = 1;
    assert_eq!(
        revise(&a, changed.clone(), "  ", stamp.clone()),
        Err(RevisionError::NoReason)
    );
    let second = revise(&a, changed.clone(), "县政府常务会议调整指标", stamp).unwrap();
    let a2 = fold(&[second, first]).unwrap();
    assert_eq!(a2.record, changed);
    let history = a2.history();
    assert_eq!(history[1].1, Some(&township()));
    let all = vec![a2.clone()];
    assert!(same_party(&all, &township(), None).is_some());
    assert!(same_party(&all, &township(), Some(&a2.id)).is_none());
    let mut other_year = township();
    other_year.year = 2025;
    assert!(same_party(&all, &other_year, None).is_none());
    assert_eq!(of_year(&all, 2026).len(), 1);
    assert!(
        township().matches(" 城关 ") && township().matches("王镇长") && !township().matches("东岭")
    );
}
