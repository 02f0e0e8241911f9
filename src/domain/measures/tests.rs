//! The measures on a hand-computed fixture (docs/measures.md's example).

use super::*;

pub(crate) fn d(m: u32, day: u32) -> NaiveDate {
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
pub(crate) fn fixture() -> Vec<Facts> {
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
        routing: crate::domain::workflow::Routing::Assign {
            to_code: None,
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
    let mut events = vec![reg, e];
    let facts = Facts::of(&fold(&events).unwrap(), &cal);
    assert_eq!(facts.responsible, "城关镇人民政府");
    assert_eq!(facts.received_on, d(11, 2));
    // The township decides on acceptance within 15 days of receiving it (the routing
    // day, until its receipt is known).
    assert_eq!(facts.obligation_due, Some(d(11, 18)));
    assert_eq!(facts.id_numbers, ["11010519491231002X"]);
    assert!(!facts.accepted);
    // The township (on paper: the county records for it) signs for it on 11-10, accepts
    // and tells the petitioner on 11-24: late counted from the routing day (11-18), on time
    // from its own (11-25). It is judged from its own.
    for (n, step) in [
        Step::Receive { on: d(11, 10) },
        Step::Accept { on: d(11, 24) },
        Step::NotifyAcceptance { on: d(11, 24) },
    ]
    .into_iter()
    .enumerate()
    {
        let st = fold(&events).unwrap();
        let county = Actor {
            unit_code: "XF01".into(),
            unit_name: "县信访局".into(),
            operator: "王".into(),
        };
        events.push(
            take_step(
                &st,
                step,
                today(),
                &cal,
                EventId::from_random([n as u8 + 3; 16]),
                county,
                Timestamp(1_795_658_400_002 + n as i64),
            )
            .unwrap(),
        );
    }
    let facts = Facts::of(&fold(&events).unwrap(), &cal);
    assert!(facts.accepted);
    assert_eq!(facts.notice_due, Some(d(11, 25)));
    assert!(facts.notified_on <= facts.notice_due);
}

#[test]
fn the_dashboard_opens_on_a_period_with_data_worth_reading() {
    let received = [d(10, 12), d(11, 3), d(11, 20)];
    // Early in a month: the last full month.
    assert_eq!(Opening::choose(d(12, 2), received), Opening::LastMonth);
    assert_eq!(
        Opening::LastMonth.period(d(12, 2)),
        Period {
            from: d(11, 1),
            to: d(11, 30)
        }
    );
    // Later: the month so far.
    assert_eq!(Opening::choose(d(11, 21), received), Opening::ThisMonth);
    // A month without cases, in a year with some: year to date.
    assert_eq!(Opening::choose(d(12, 20), received), Opening::YearToDate);
    assert_eq!(
        Opening::YearToDate.period(d(12, 20)),
        Period {
            from: d(1, 1),
            to: d(12, 20)
        }
    );
    // Nothing anywhere: the month, which is as good as any.
    assert_eq!(Opening::choose(d(12, 20), []), Opening::ThisMonth);
    // January's first days look back into December of the year before.
    let jan = NaiveDate::from_ymd_opt(2027, 1, 3).unwrap();
    assert_eq!(
        Opening::LastMonth.period(jan),
        Period {
            from: d(12, 1),
            to: d(12, 31)
        }
    );
    assert_eq!(Opening::choose(jan, [d(12, 30)]), Opening::LastMonth);
    assert!(Opening::LastMonth
        .note(d(12, 2))
        .contains("2026-11-01 至 2026-11-30"));
}
