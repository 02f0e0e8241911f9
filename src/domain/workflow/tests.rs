//! The transition table, every deadline and every refusal, on dated cases.

use chrono::NaiveDate;

use super::*;
use crate::domain::calendar::WorkCalendar;
use crate::domain::event::Actor;
use crate::domain::ids::EventId;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn eid(n: u8) -> EventId {
    EventId::from_random([n; 16])
}

/// The county office that registers and handles the cases here.
fn county() -> Actor {
    Actor {
        unit_code: "XF01".into(),
        unit_name: "县信访局".into(),
        operator: "王".into(),
    }
}

fn cal() -> WorkCalendar {
    WorkCalendar::official()
}

/// A sample step of each kind, dated `on`.
fn sample(kind: StepKind, on: NaiveDate, flow: &Flow) -> Step {
    let t = || "内容".to_owned();
    match kind {
        StepKind::Route => Step::Route {
            routing: Routing::Accept,
            on,
        },
        StepKind::Object => Step::Object { reason: t(), on },
        StepKind::Receive => Step::Receive { on },
        StepKind::Accept => Step::Accept { on },
        StepKind::Decline => Step::Decline { reasons: t(), on },
        StepKind::AgreeObjection => Step::AgreeObjection { on },
        StepKind::RefuseObjection => Step::RefuseObjection { reason: t(), on },
        StepKind::ApproveReport => Step::ApproveReport { on },
        StepKind::ReturnReport => Step::ReturnReport {
            reasons: t(),
            report_due: on + chrono::TimeDelta::days(10),
            on,
        },
        StepKind::NotifyAcceptance => Step::NotifyAcceptance { on },
        StepKind::Report => Step::Report { summary: t(), on },
        StepKind::Note => Step::Note { text: t(), on },
        StepKind::Hearing => Step::Hearing {
            from: on,
            to: on,
            note: t(),
        },
        StepKind::Mediation => Step::Mediation { agreement: t(), on },
        StepKind::Extend => Step::Extend {
            days: 30,
            approver: "张局长".into(),
            reason: t(),
            told_on: on,
        },
        StepKind::Opinion => Step::Opinion {
            kind: OpinionKind::Support,
            facts: t(),
            basis: t(),
            delivered_on: on,
        },
        StepKind::Evaluate => Step::Evaluate {
            rating: Rating::Satisfied,
            comment: t(),
            on,
        },
        StepKind::RequestReview => Step::RequestReview {
            reason: t(),
            reviewer: String::new(),
            on,
        },
        StepKind::ReviewOpinion => Step::ReviewOpinion {
            kind: OpinionKind::Explain,
            text: t(),
            on,
        },
        StepKind::RequestSecondReview => Step::RequestSecondReview {
            reason: t(),
            reviewer: String::new(),
            on,
        },
        StepKind::SecondReviewOpinion => Step::SecondReviewOpinion {
            kind: OpinionKind::Reject,
            text: t(),
            on,
        },
        StepKind::Terminate => Step::Terminate { note: t(), on },
        StepKind::Supervise => Step::Supervise {
            reason: t(),
            feedback_due: on.succ_opt().unwrap(),
            on,
        },
        StepKind::SupervisionFeedback => Step::SupervisionFeedback {
            order: flow
                .supervisions
                .first()
                .map(|s| s.id.clone())
                .unwrap_or_else(|| eid(99)),
            text: t(),
            on,
        },
    }
}

/// A flow brought to `stage` through the real steps, all on 2026-11-02 (a case settled
/// in an imported ledger is brought there by its 台账导入 record, not by a step).
fn flow_at(stage: Stage) -> Flow {
    let on = d(11, 2);
    let mut f = Flow::new(on, Party::of(&county()));
    if stage == Stage::Archived {
        f.stage = stage;
        return f;
    }
    let route = |r: Routing| Step::Route { routing: r, on };
    let path: Vec<Step> = match stage {
        Stage::AwaitingRouting => vec![],
        Stage::Forwarded => vec![route(Routing::Forward {
            to: "县人社局".into(),
            to_code: None,
        })],
        Stage::Assigned => vec![route(Routing::Assign {
            to: "城关镇".into(),
            to_code: None,
            report_due: d(11, 30),
        })],
        Stage::Reported => vec![
            route(Routing::Assign {
                to: "城关镇".into(),
                to_code: None,
                report_due: d(11, 30),
            }),
            Step::Accept { on },
            Step::NotifyAcceptance { on },
            sample(StepKind::Report, on, &f),
        ],
        Stage::Redirected => vec![route(Routing::Redirect {
            authority: "县法院".into(),
        })],
        Stage::Diverted => vec![route(Routing::Divert {
            path: "劳动仲裁".into(),
        })],
        Stage::NotAccepted => vec![route(Routing::Reject {
            reasons: "不属于信访事项".into(),
        })],
        _ => {
            let mut p = vec![route(Routing::Accept), Step::NotifyAcceptance { on }];
            let rest = [
                (Stage::Answered, sample(StepKind::Opinion, on, &f)),
                (Stage::InReview, sample(StepKind::RequestReview, on, &f)),
                (Stage::Reviewed, sample(StepKind::ReviewOpinion, on, &f)),
                (
                    Stage::InSecondReview,
                    sample(StepKind::RequestSecondReview, on, &f),
                ),
                (
                    Stage::SecondReviewed,
                    sample(StepKind::SecondReviewOpinion, on, &f),
                ),
                (Stage::Terminated, sample(StepKind::Terminate, on, &f)),
            ];
            if stage != Stage::Accepted {
                for (s, step) in rest {
                    p.push(step);
                    if s == stage {
                        break;
                    }
                }
            }
            p
        }
    };
    for (i, s) in path.iter().enumerate() {
        f.apply(&eid(i as u8), &county(), s);
    }
    assert_eq!(f.stage, stage);
    f
}

#[test]
fn the_whole_transition_table() {
    let today = d(11, 2);
    for stage in Stage::ALL {
        let flow = flow_at(*stage);
        let table = TRANSITIONS
            .iter()
            .find(|(s, _)| s == stage)
            .map(|(_, k)| *k)
            .unwrap();
        for kind in StepKind::ALL {
            let result = flow.check(&sample(*kind, today, &flow), today, &cal());
            let expected = match kind {
                StepKind::Supervise => !stage.is_finished(),
                StepKind::SupervisionFeedback => false,
                StepKind::NotifyAcceptance => table.contains(kind) && flow.notified_on.is_none(),
                // No objection waits in a flow brought here without one.
                StepKind::AgreeObjection | StepKind::RefuseObjection => false,
                StepKind::Report => table.contains(kind) && flow.is_assigned(),
                _ => table.contains(kind),
            };
            assert_eq!(result.is_ok(), expected, "{stage:?} + {kind:?}: {result:?}");
            if let Err(e) = result {
                assert!(!e.to_string().is_empty());
            }
        }
    }
}

#[test]
fn every_stage_is_in_the_table_once() {
    for stage in Stage::ALL {
        assert_eq!(
            TRANSITIONS.iter().filter(|(s, _)| s == stage).count(),
            1,
            "{stage:?}"
        );
    }
}

#[test]
fn refusals_name_the_rule() {
    let today = d(11, 2);
    let f = flow_at(Stage::Accepted);
    let e = f
        .check(&sample(StepKind::Terminate, today, &f), today, &cal())
        .unwrap_err();
    assert!(e.to_string().contains("复核后才能终结"), "{e}");
    let e = flow_at(Stage::Answered)
        .check(&sample(StepKind::Route, today, &f), today, &cal())
        .unwrap_err();
    assert!(e.to_string().contains("第二十二条"), "{e}");
}

#[test]
fn dates_in_the_future_or_before_receipt_are_refused() {
    let f = flow_at(Stage::AwaitingRouting);
    let accept = |on| Step::Route {
        routing: Routing::Accept,
        on,
    };
    assert!(f
        .check(&accept(d(11, 3)), d(11, 2), &cal())
        .unwrap_err()
        .to_string()
        .contains("晚于今天"));
    assert!(f
        .check(&accept(d(11, 1)), d(11, 2), &cal())
        .unwrap_err()
        .to_string()
        .contains("早于收件日期"));
}

#[test]
fn routing_and_notice_are_due_15_days_after_receipt() {
    let mut f = Flow::new(d(9, 20), Party::of(&county()));
    let due = f.due(&cal()).unwrap();
    assert_eq!(
        (due.kind.label(), due.date),
        ("分流", d(10, 8)),
        "ends in the National Day holiday"
    );
    f.apply(
        &eid(1),
        &county(),
        &Step::Route {
            routing: Routing::Accept,
            on: d(9, 21),
        },
    );
    assert_eq!(
        f.due(&cal()).unwrap(),
        Due {
            kind: DueKind::AcceptanceNotice,
            date: d(10, 8),
        }
    );
}

#[test]
fn the_opinion_is_due_60_days_after_acceptance_plus_extension_hearings_included() {
    let mut f = flow_at(Stage::Accepted);
    // Accepted 2026-11-02 (Mon) + 60 = 2027-01-01: 元旦, a day off by law although the
    // 2027 schedule is not shipped, so the period runs to Monday 01-04 (provisionally).
    assert_eq!(
        f.due(&cal()).unwrap().date,
        NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
    );
    assert!(cal().is_provisional(f.due(&cal()).unwrap().date));
    // Art. 34 leaves no time out of the 60 days: a hearing does not move it.
    f.apply(
        &eid(5),
        &county(),
        &Step::Hearing {
            from: d(11, 10),
            to: d(11, 12),
            note: String::new(),
        },
    );
    assert_eq!(
        f.due(&cal()).unwrap().date,
        NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
    );
    f.apply(
        &eid(6),
        &county(),
        &Step::Extend {
            days: 30,
            approver: "张局长".into(),
            reason: "需要调查".into(),
            told_on: d(12, 1),
        },
    );
    assert_eq!(
        f.due(&cal()).unwrap().date,
        NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
        "+30 days is Sunday 01-31, so Monday"
    );
}

#[test]
fn hearing_days_in_a_second_review_are_left_out_of_its_30_days() {
    let mut f = flow_at(Stage::InSecondReview);
    let requested = f.second_requested_on.unwrap();
    let before = f.due(&cal()).unwrap();
    assert_eq!(before.kind, DueKind::SecondReviewOpinion);
    let hearing = Step::Hearing {
        from: requested.succ_opt().unwrap(),
        to: requested + chrono::TimeDelta::days(3),
        note: "复核听证".into(),
    };
    assert!(f.allowed().contains(&StepKind::Hearing));
    let today = requested + chrono::TimeDelta::days(4);
    assert_eq!(f.check(&hearing, today, &cal()), Ok(()));
    f.apply(&eid(9), &county(), &hearing);
    // Requested 11-02: 30 days end Wed 12-02; three hearing days out of the count end
    // on Sat 12-05, rolled to Mon 12-07.
    assert_eq!((requested, before.date), (d(11, 2), d(12, 2)));
    assert_eq!(f.due(&cal()).unwrap().date, d(12, 7));
}

#[test]
fn extension_is_capped_at_30_days_and_granted_once() {
    let today = d(12, 1);
    let mut f = flow_at(Stage::Accepted);
    let ext = |days| Step::Extend {
        days,
        approver: "张局长".into(),
        reason: "需要调查".into(),
        told_on: today,
    };
    assert!(f
        .check(&ext(31), today, &cal())
        .unwrap_err()
        .to_string()
        .contains("不得超过 30 日"));
    assert!(f.check(&ext(0), today, &cal()).is_err());
    assert!(f
        .check(
            &Step::Extend {
                days: 10,
                approver: "张局长".into(),
                reason: " ".into(),
                told_on: today
            },
            today,
            &cal()
        )
        .is_err());
    f.check(&ext(30), today, &cal()).unwrap();
    f.apply(&eid(7), &county(), &ext(30));
    assert!(f
        .check(&ext(5), today, &cal())
        .unwrap_err()
        .to_string()
        .contains("只能延长一次"));
    assert!(!f.allowed().contains(&StepKind::Extend));
}

#[test]
fn the_opinion_needs_the_acceptance_notice_first() {
    let on = d(11, 2);
    let mut f = Flow::new(on, Party::of(&county()));
    f.apply(
        &eid(1),
        &county(),
        &Step::Route {
            routing: Routing::Accept,
            on,
        },
    );
    let e = f
        .check(&sample(StepKind::Opinion, on, &f), on, &cal())
        .unwrap_err();
    assert!(e.to_string().contains("应先书面告知"), "{e}");
}

#[test]
fn objection_window_is_5_working_days() {
    let mut f = Flow::new(d(9, 28), Party::of(&county()));
    f.apply(
        &eid(1),
        &county(),
        &Step::Route {
            routing: Routing::Forward {
                to_code: None,
                to: "县住建局".into(),
            },
            on: d(9, 29),
        },
    );
    assert_eq!(
        f.objection_last_day(&cal()),
        d(10, 12),
        "holiday week and the 调休 Saturday"
    );
    let due = f.due(&cal()).unwrap();
    assert_eq!(
        (due.kind, due.date, due.obligation()),
        (DueKind::Acceptance, d(10, 14), true),
        "until its receipt is known, the receiver's 15 days run from the routing day"
    );
    let object = |on| Step::Object {
        reason: "不属本单位职责".into(),
        on,
    };
    f.check(&object(d(10, 12)), d(10, 20), &cal()).unwrap();
    assert!(f
        .check(&object(d(10, 13)), d(10, 20), &cal())
        .unwrap_err()
        .to_string()
        .contains("5 个工作日"));
    f.apply(&eid(2), &county(), &object(d(10, 12)));
    assert_eq!(
        f.stage,
        Stage::Forwarded,
        "the objection waits for the sender's check"
    );
    assert!(f.due(&cal()).is_none());
    f.apply(&eid(3), &county(), &Step::AgreeObjection { on: d(10, 13) });
    assert_eq!(f.stage, Stage::AwaitingRouting);
}

#[test]
fn review_and_second_review_windows_are_30_days() {
    let mut f = flow_at(Stage::Answered);
    assert_eq!(
        f.due(&cal()).unwrap(),
        Due {
            kind: DueKind::ReviewWindow,
            date: d(12, 2),
        }
    );
    let req = |on| Step::RequestReview {
        reviewer: String::new(),
        reason: "不服".into(),
        on,
    };
    assert!(f
        .check(&req(d(12, 3)), d(12, 10), &cal())
        .unwrap_err()
        .to_string()
        .contains("第三十五条"));
    f.check(&req(d(12, 2)), d(12, 10), &cal()).unwrap();
    f.apply(&eid(8), &county(), &req(d(12, 2)));
    assert_eq!(
        f.due(&cal()).unwrap(),
        Due {
            kind: DueKind::ReviewOpinion,
            // 12-02 + 30 = 2027-01-01, 元旦 by law: the next working day.
            date: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
        }
    );
    f.apply(
        &eid(9),
        &county(),
        &Step::ReviewOpinion {
            kind: OpinionKind::Explain,
            text: "维持".into(),
            on: d(12, 20),
        },
    );
    let late = Step::RequestSecondReview {
        reviewer: String::new(),
        reason: "不服".into(),
        on: NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(),
    };
    assert!(f
        .check(&late, NaiveDate::from_ymd_opt(2027, 1, 25).unwrap(), &cal())
        .unwrap_err()
        .to_string()
        .contains("第三十六条"));
}

#[test]
fn evaluation_once_per_answer_and_supervision_until_feedback() {
    let today = d(11, 2);
    let mut f = flow_at(Stage::Answered);
    f.apply(&eid(10), &county(), &sample(StepKind::Evaluate, today, &f));
    assert_eq!(f.latest_rating(), Some(Rating::Satisfied));
    assert!(f
        .check(&sample(StepKind::Evaluate, today, &f), today, &cal())
        .unwrap_err()
        .to_string()
        .contains("已评价"));

    let order = Step::Supervise {
        reason: "久拖不决".into(),
        feedback_due: d(11, 9),
        on: today,
    };
    f.check(&order, today, &cal()).unwrap();
    f.apply(&eid(11), &county(), &order);
    assert_eq!(f.open_supervisions().count(), 1);
    assert!(f.allowed().contains(&StepKind::SupervisionFeedback));
    let wrong = Step::SupervisionFeedback {
        order: eid(3),
        text: "已办".into(),
        on: today,
    };
    assert!(f.check(&wrong, today, &cal()).is_err());
    let feedback = Step::SupervisionFeedback {
        order: eid(11),
        text: "已办".into(),
        on: today,
    };
    f.check(&feedback, today, &cal()).unwrap();
    f.apply(&eid(12), &county(), &feedback);
    assert_eq!(f.open_supervisions().count(), 0);
}

#[test]
fn overdue_and_days_left() {
    let due = Due {
        kind: DueKind::Routing,
        date: d(11, 20),
    };
    assert_eq!(due.describe(d(11, 17)), "还剩 3 天");
    assert_eq!(due.describe(d(11, 20)), "今天到期");
    assert_eq!(due.describe(d(11, 22)), "已超期 2 天");
    assert!(due.is_overdue(d(11, 21)));
    let window = Due {
        kind: DueKind::ReviewWindow,
        ..due
    };
    assert!(!window.is_overdue(d(11, 21)));
    assert_eq!(window.describe(d(11, 22)), "已届满");
}

#[test]
fn steps_round_trip_through_json() {
    let s = Step::Route {
        routing: Routing::Assign {
            to_code: None,
            to: "城关镇".into(),
            report_due: d(11, 30),
        },
        on: d(11, 2),
    };
    let json = serde_json::to_string(&s).unwrap();
    assert!(
        json.contains("\"step\":\"route\"") && json.contains("\"how\":\"assign\""),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Step>(&json).unwrap(), s);
}

#[test]
fn receipt_dates() {
    let cal = crate::domain::calendar::WorkCalendar::official();
    assert_eq!(
        notice_due(NaiveDate::from_ymd_opt(2026, 9, 20).unwrap(), &cal),
        NaiveDate::from_ymd_opt(2026, 10, 8).unwrap()
    );
}

#[test]
fn supervision_feedback_is_late_only_while_missing_after_its_day() {
    let order = Supervision {
        id: eid(1),
        reason: "督办".into(),
        on: d(11, 2),
        feedback_due: d(11, 10),
        feedback: None,
    };
    assert!(!order.is_late(d(11, 10)));
    assert!(order.is_late(d(11, 11)));
    let answered = Supervision {
        feedback: Some(("已反馈".into(), d(11, 12))),
        ..order
    };
    assert!(!answered.is_late(d(11, 20)));
}

#[test]
fn an_anonymous_petition_owes_no_notice_and_may_have_its_opinion_without_one() {
    let mut f = Flow::new(d(11, 2), Party::of(&county()));
    f.notice_exempt = true;
    f.apply(
        &eid(1),
        &county(),
        &Step::Route {
            routing: Routing::Accept,
            on: d(11, 2),
        },
    );
    assert!(!f.allowed().contains(&StepKind::NotifyAcceptance));
    assert_eq!(f.due(&cal()).map(|d| d.kind), Some(DueKind::Opinion));
    assert_eq!(
        f.check(&Step::NotifyAcceptance { on: d(11, 3) }, d(11, 3), &cal()),
        Err(RuleError::NoticeNotOwed)
    );
    let opinion = Step::Opinion {
        kind: OpinionKind::Explain,
        facts: "查明".into(),
        basis: "规定".into(),
        delivered_on: d(11, 20),
    };
    assert_eq!(f.check(&opinion, d(11, 20), &cal()), Ok(()));
    // Named petitioners still owe it.
    f.notice_exempt = false;
    assert_eq!(
        f.check(&opinion, d(11, 20), &cal()),
        Err(RuleError::OpinionBeforeNotice)
    );
}

#[test]
fn an_extension_needs_its_approver_and_comes_before_the_period_ends() {
    let f = flow_at(Stage::Accepted);
    let last = f.opinion_due(&cal()).unwrap();
    let ext = |approver: &str, told_on| Step::Extend {
        days: 20,
        approver: approver.into(),
        reason: "需要调查".into(),
        told_on,
    };
    assert_eq!(f.check(&ext("张局长", last), last, &cal()), Ok(()));
    let late = last.succ_opt().unwrap();
    let e = f.check(&ext("张局长", late), late, &cal()).unwrap_err();
    assert_eq!(e, RuleError::ExtensionTooLate(last));
    assert!(e.to_string().contains("第三十四条"), "{e}");
    assert_eq!(
        f.check(&ext(" ", last), last, &cal()),
        Err(RuleError::Missing("批准延期的负责人"))
    );
}

#[test]
fn an_uncontested_answer_closes_after_its_window() {
    let f = flow_at(Stage::Answered);
    let last = f.closes_after(&cal()).unwrap();
    assert_eq!(Some(last), f.due(&cal()).map(|d| d.date));
    assert!(!f.is_closed(&cal(), last));
    assert!(f.is_closed(&cal(), last.succ_opt().unwrap()));
    let reviewed = flow_at(Stage::Reviewed);
    assert!(reviewed.closes_after(&cal()).is_some());
    for open in [Stage::Accepted, Stage::InReview, Stage::SecondReviewed] {
        assert_eq!(flow_at(open).closes_after(&cal()), None, "{open:?}");
    }
    assert!(flow_at(Stage::Terminated).is_closed(&cal(), d(11, 2)));
}
