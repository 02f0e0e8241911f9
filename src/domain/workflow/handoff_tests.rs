//! Every hand-off path as each unit sees it: who must act, by when (from its own
//! receipt), and which steps are refused as another unit's part.

use chrono::NaiveDate;

use super::*;
use crate::domain::authorship::check_steps;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, take_step, CaseNumber, CaseState};
use crate::domain::event::{Actor, Event, EventBody};
use crate::domain::ids::{CaseId, EventId};
use crate::domain::petition::tests::valid_draft;
use crate::domain::time::Timestamp;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn unit(code: &str, name: &str) -> Actor {
    Actor {
        unit_code: code.into(),
        unit_name: name.into(),
        operator: "经办人".into(),
    }
}

fn county() -> Actor {
    unit("XF01", "某县信访局")
}

fn township() -> Actor {
    unit("CGZ01", "城关镇人民政府")
}

fn department() -> Actor {
    unit("RSJ01", "县人社局")
}

const TODAY: (u32, u32) = (12, 1);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1)
}

/// A case registered by the county, received on 2026-11-02, and the steps taken on it.
struct Case {
    events: Vec<Event>,
    n: u8,
}

impl Case {
    fn new() -> Case {
        let mut draft = valid_draft();
        draft.received_on = "2026-11-02".into();
        let reg = register(
            EventId::from_random([0; 16]),
            CaseId::from_random([1; 16]),
            county(),
            Timestamp::start_of_china_date(d(11, 2)),
            &CaseNumber::next("XF01", 2026, None),
            draft.validate(d(11, 2)).unwrap(),
        );
        Case {
            events: vec![reg],
            n: 0,
        }
    }

    fn state(&self) -> CaseState {
        fold(&self.events).unwrap()
    }

    fn flow(&self) -> Flow {
        self.state().flow
    }

    /// Records `step` as `by`, checked by the domain as the app checks it.
    fn try_step(&mut self, by: &Actor, step: Step) -> Result<(), RuleError> {
        self.n += 1;
        let at = Timestamp(self.events[0].at.0 + i64::from(self.n) * 60_000);
        let e = take_step(
            &self.state(),
            step,
            today(),
            &WorkCalendar::official(),
            EventId::from_random([self.n; 16]),
            by.clone(),
            at,
        )?;
        self.events.push(e);
        Ok(())
    }

    fn step(&mut self, by: &Actor, step: Step) -> &mut Case {
        let kind = step.kind();
        if let Err(e) = self.try_step(by, step) {
            panic!("{} by {}: {e}", kind.label(), by.unit_name);
        }
        self
    }

    fn due(&self) -> Option<Due> {
        self.flow().due(&WorkCalendar::official())
    }
}

fn me(a: &Actor) -> Viewer<'_> {
    Viewer::of(a)
}

fn forward_to(a: &Actor) -> Step {
    Step::Route {
        routing: Routing::Forward {
            to: a.unit_name.clone(),
            to_code: Some(a.unit_code.clone()),
        },
        on: d(11, 3),
    }
}

fn assign_to(a: &Actor, report_due: NaiveDate) -> Step {
    Step::Route {
        routing: Routing::Assign {
            to: a.unit_name.clone(),
            to_code: Some(a.unit_code.clone()),
            report_due,
        },
        on: d(11, 3),
    }
}

fn opinion(on: NaiveDate) -> Step {
    Step::Opinion {
        kind: OpinionKind::Explain,
        facts: "经核实".into(),
        basis: "有关规定".into(),
        delivered_on: on,
    }
}

#[test]
fn a_forwarded_case_is_the_receivers_to_accept_handle_and_answer() {
    let (a, b) = (county(), township());
    let mut c = Case::new();
    c.step(&a, forward_to(&b));
    let f = c.flow();
    assert_eq!(f.handler.name, "城关镇人民政府");
    assert_eq!(f.stage_label_for(me(&b)), "待受理");
    assert_eq!(f.stage_label_for(me(&a)), "已转送");
    assert!(f.receipt_owed(me(&b)));
    assert!(!f.receipt_owed(me(&a)));
    // The county tracks and may 督办; the acceptance is not its part.
    assert_eq!(f.allowed_for(me(&a)), [StepKind::Supervise]);
    assert!(f
        .next_action_for(me(&a))
        .starts_with("由城关镇人民政府办理"));
    assert!(matches!(
        c.try_step(&a, Step::Accept { on: d(11, 4) }),
        Err(RuleError::NotYourPart { .. })
    ));
    // The township received it two days later: its 15 days run from then.
    c.step(&b, Step::Receive { on: d(11, 5) });
    assert_eq!(
        c.due(),
        Some(Due {
            kind: DueKind::Acceptance,
            date: d(11, 20),
        })
    );
    c.step(&b, Step::Accept { on: d(11, 6) })
        .step(&b, Step::NotifyAcceptance { on: d(11, 6) });
    let f = c.flow();
    assert_eq!(f.acting().map(|p| p.name.as_str()), Some("城关镇人民政府"));
    assert_eq!(
        c.due().map(|d| (d.kind, d.date)),
        Some((DueKind::Opinion, d(11, 6) + chrono::TimeDelta::days(60)))
    );
    assert!(matches!(
        c.try_step(&a, opinion(d(11, 20))),
        Err(RuleError::NotYourPart { .. })
    ));
    c.step(
        &a,
        Step::Supervise {
            reason: "加快办理".into(),
            feedback_due: d(11, 25),
            on: d(11, 18),
        },
    );
    c.step(&b, opinion(d(11, 20)));
    let f = c.flow();
    assert_eq!(f.stage, Stage::Answered);
    assert_eq!(
        f.answered_by.as_ref().map(|p| p.name.as_str()),
        Some("城关镇人民政府")
    );
}

#[test]
fn a_review_goes_to_the_unit_above_the_one_that_answered() {
    let (a, b) = (county(), township());
    let mut c = Case::new();
    c.step(&a, forward_to(&b))
        .step(&b, Step::Receive { on: d(11, 4) })
        .step(&b, Step::Accept { on: d(11, 4) })
        .step(&b, Step::NotifyAcceptance { on: d(11, 4) })
        .step(&b, opinion(d(11, 10)));
    let request = |reviewer: &str| Step::RequestReview {
        reason: "不服".into(),
        reviewer: reviewer.into(),
        on: d(11, 20),
    };
    // The township cannot take a 复查 of its own opinion, nor name itself.
    assert!(matches!(
        c.try_step(&b, request("")),
        Err(RuleError::ReviewGoesUp(_))
    ));
    assert!(matches!(
        c.try_step(&b, request("城关镇人民政府")),
        Err(RuleError::ReviewGoesUp(_))
    ));
    assert_eq!(
        c.flow()
            .reviewer_for(StepKind::RequestReview, me(&b), "某县信访局"),
        "某县信访局"
    );
    assert_eq!(
        c.flow()
            .reviewer_for(StepKind::RequestReview, me(&a), "某市信访局"),
        ""
    );
    // The county, one level above, registers and answers it within 30 days.
    c.step(&a, request(""));
    let f = c.flow();
    assert_eq!(f.holder().name, "某县信访局");
    assert_eq!(
        c.due().map(|d| (d.kind, d.date)),
        Some((DueKind::ReviewOpinion, d(12, 21))),
        "30 days end on Sunday 12-20: the next working day"
    );
    let review = Step::ReviewOpinion {
        kind: OpinionKind::Support,
        text: "维持".into(),
        on: d(11, 30),
    };
    assert!(matches!(
        c.try_step(&b, review.clone()),
        Err(RuleError::NotYourPart { .. })
    ));
    c.step(&a, review);
    // A 复核 of the county's review goes above the county: on paper, named.
    let second = |reviewer: &str| Step::RequestSecondReview {
        reason: "仍不服".into(),
        reviewer: reviewer.into(),
        on: d(12, 1),
    };
    assert!(matches!(
        c.try_step(&a, second("")),
        Err(RuleError::ReviewGoesUp(_))
    ));
    c.step(&a, second("某市信访局"));
    let f = c.flow();
    assert_eq!(f.holder().name, "某市信访局");
    assert!(
        f.may_write(StepKind::SecondReviewOpinion, me(&a)),
        "recorded for the city"
    );
    assert!(!f.may_write(StepKind::SecondReviewOpinion, me(&b)));
}

#[test]
fn an_assigned_report_is_sent_back_twice_then_approved() {
    let (a, b) = (county(), township());
    let mut c = Case::new();
    c.step(&a, assign_to(&b, d(11, 20)))
        .step(&b, Step::Receive { on: d(11, 3) })
        .step(&b, Step::Accept { on: d(11, 4) })
        .step(&b, Step::NotifyAcceptance { on: d(11, 4) });
    assert_eq!(
        c.due().map(|d| (d.kind, d.date)),
        Some((DueKind::AssignmentReport, d(11, 20)))
    );
    let report = |on| Step::Report {
        summary: "已办结".into(),
        on,
    };
    for (round, (reported, back, again)) in [
        (d(11, 10), d(11, 11), d(11, 21)),
        (d(11, 18), d(11, 19), d(11, 29)),
    ]
    .into_iter()
    .enumerate()
    {
        c.step(&b, report(reported));
        let f = c.flow();
        assert_eq!(f.stage, Stage::Reported);
        assert_eq!(f.acting().map(|p| p.name.as_str()), Some("某县信访局"));
        // The township cannot approve its own report.
        assert!(matches!(
            c.try_step(&b, Step::ApproveReport { on: back }),
            Err(RuleError::NotYourPart { .. })
        ));
        c.step(
            &a,
            Step::ReturnReport {
                reasons: "调查不深入".into(),
                report_due: again,
                on: back,
            },
        );
        let f = c.flow();
        assert_eq!((f.stage, f.returns), (Stage::Accepted, round as u32 + 1));
        assert_eq!(
            c.due().map(|d| (d.kind, d.date)),
            Some((DueKind::AssignmentReport, again))
        );
    }
    c.step(&b, opinion(d(11, 25)))
        .step(&b, report(d(11, 26)))
        .step(&a, Step::ApproveReport { on: d(11, 27) });
    let f = c.flow();
    assert_eq!(f.stage, Stage::Answered);
    assert_eq!(
        f.answered_on,
        Some(d(11, 25)),
        "the opinion's delivery starts the window"
    );
}

#[test]
fn an_objection_returns_the_case_only_when_the_sender_agrees() {
    let (a, b) = (county(), department());
    let object = |on| Step::Object {
        reason: "不属本部门职责".into(),
        on,
    };
    // Received a week after routing: the 5 working days run from the receipt.
    let mut c = Case::new();
    c.step(&a, forward_to(&b))
        .step(&b, Step::Receive { on: d(11, 10) })
        .step(&b, object(d(11, 16)));
    let f = c.flow();
    assert_eq!(f.acting().map(|p| p.name.as_str()), Some("某县信访局"));
    assert!(matches!(
        c.try_step(&b, Step::Accept { on: d(11, 16) }),
        Err(RuleError::NotNow(..) | RuleError::ObjectionPending)
    ));
    assert!(matches!(
        c.try_step(&b, Step::AgreeObjection { on: d(11, 17) }),
        Err(RuleError::NotYourPart { .. })
    ));
    c.step(&a, Step::AgreeObjection { on: d(11, 17) });
    let f = c.flow();
    assert_eq!(
        (f.stage, f.handler.name.as_str()),
        (Stage::AwaitingRouting, "某县信访局")
    );
    assert_eq!(
        f.allowed_for(me(&a)),
        [StepKind::Route, StepKind::Supervise]
    );

    // Refused: the department keeps it and cannot object again.
    let mut c = Case::new();
    c.step(&a, forward_to(&b))
        .step(&b, Step::Receive { on: d(11, 4) });
    assert!(matches!(
        c.try_step(&b, object(d(11, 12))),
        Err(RuleError::ObjectionTooLate(_))
    ));
    c.step(&b, object(d(11, 10))).step(
        &a,
        Step::RefuseObjection {
            reason: "属于人社部门职责".into(),
            on: d(11, 11),
        },
    );
    let f = c.flow();
    assert_eq!(
        (f.stage, f.handler.name.as_str()),
        (Stage::Forwarded, "县人社局")
    );
    assert!(matches!(
        c.try_step(&b, object(d(11, 11))),
        Err(RuleError::AlreadyObjected)
    ));
    c.step(&b, Step::Accept { on: d(11, 12) });
}

#[test]
fn a_unit_working_on_paper_has_its_part_recorded_by_the_sender() {
    let a = county();
    let mut c = Case::new();
    c.step(
        &a,
        Step::Route {
            routing: Routing::Forward {
                to: "县林业局".into(),
                to_code: None,
            },
            on: d(11, 3),
        },
    )
    .step(&a, Step::Accept { on: d(11, 5) })
    .step(&a, Step::NotifyAcceptance { on: d(11, 5) })
    .step(&a, opinion(d(11, 20)));
    let f = c.flow();
    assert_eq!(
        f.answered_by.as_ref().map(|p| p.name.as_str()),
        Some("县林业局")
    );
    // The county is the level above the bureau's opinion: it takes the 复查 itself.
    c.step(
        &a,
        Step::RequestReview {
            reason: "不服".into(),
            reviewer: String::new(),
            on: d(11, 25),
        },
    );
    // Another unit in the system may not speak for the bureau.
    let other = township();
    let mut c = Case::new();
    c.step(
        &a,
        Step::Route {
            routing: Routing::Forward {
                to: "县林业局".into(),
                to_code: None,
            },
            on: d(11, 3),
        },
    );
    assert!(matches!(
        c.try_step(&other, Step::Accept { on: d(11, 5) }),
        Err(RuleError::NotYourPart { .. })
    ));
}

#[test]
fn a_declined_case_is_closed_at_the_receiver() {
    let (a, b) = (county(), township());
    let mut c = Case::new();
    c.step(&a, forward_to(&b)).step(
        &b,
        Step::Decline {
            reasons: "不属于信访事项".into(),
            on: d(11, 5),
        },
    );
    assert_eq!(c.flow().stage, Stage::NotAccepted);
    assert!(c.flow().acting().is_none());
}

#[test]
fn an_import_refuses_a_step_that_is_not_its_authors_part() {
    let (a, b) = (county(), township());
    let mut c = Case::new();
    c.step(&a, assign_to(&b, d(11, 20)))
        .step(&b, Step::Receive { on: d(11, 3) })
        .step(&b, Step::Accept { on: d(11, 4) })
        .step(&b, Step::NotifyAcceptance { on: d(11, 4) })
        .step(
            &b,
            Step::Report {
                summary: "办结".into(),
                on: d(11, 10),
            },
        );
    let held: Vec<Event> = c.events.clone();
    // The township's file approves its own report, in its own name.
    let forged = Event {
        id: EventId::from_random([200; 16]),
        case_id: held[0].case_id.clone(),
        actor: b.clone(),
        at: Timestamp(held[0].at.0 + 999 * 60_000),
        body: EventBody::Step {
            step: Step::ApproveReport { on: d(11, 11) },
        },
    };
    let mut merged = held.clone();
    merged.push(forged.clone());
    let fresh = [&forged.id].into_iter().collect();
    let e = check_steps(&merged, &fresh).unwrap_err();
    assert!(e.to_string().contains("审核通过"), "{e}");
    assert!(e.to_string().contains("某县信访局"), "{e}");
    // The township's own steps, relayed to the county, are accepted.
    let fresh = held[2..].iter().map(|e| &e.id).collect();
    assert!(check_steps(&held, &fresh).is_ok());
}

#[test]
fn the_merged_state_is_the_same_in_any_order_of_import() {
    let (a, b) = (county(), township());
    let mut c = Case::new();
    c.step(&a, assign_to(&b, d(11, 20)))
        .step(&b, Step::Receive { on: d(11, 3) })
        .step(&b, Step::Accept { on: d(11, 4) })
        .step(
            &a,
            Step::Supervise {
                reason: "加快".into(),
                feedback_due: d(11, 15),
                on: d(11, 5),
            },
        )
        .step(&b, Step::NotifyAcceptance { on: d(11, 6) })
        .step(
            &b,
            Step::Report {
                summary: "办结".into(),
                on: d(11, 10),
            },
        )
        .step(&a, Step::ApproveReport { on: d(11, 11) });
    let whole = c.flow();
    let n = c.events.len();
    // Every rotation and the reverse of the event list folds to the same flow.
    for k in 0..n {
        let mut v = c.events.clone();
        v.rotate_left(k);
        assert_eq!(fold(&v).unwrap().flow, whole);
        v.reverse();
        assert_eq!(fold(&v).unwrap().flow, whole);
    }
}

#[test]
fn the_countys_own_answer_is_reviewed_above_it_and_recorded_for_units_on_paper() {
    let a = county();
    let mut c = Case::new();
    c.step(
        &a,
        Step::Route {
            routing: Routing::Accept,
            on: d(11, 3),
        },
    )
    .step(&a, Step::NotifyAcceptance { on: d(11, 3) })
    .step(&a, opinion(d(11, 10)));
    let review = |reviewer: &str| Step::RequestReview {
        reason: "不服".into(),
        reviewer: reviewer.into(),
        on: d(11, 20),
    };
    assert!(matches!(
        c.try_step(&a, review("")),
        Err(RuleError::ReviewGoesUp(_))
    ));
    c.step(&a, review("某市信访局")).step(
        &a,
        Step::ReviewOpinion {
            kind: OpinionKind::Explain,
            text: "维持".into(),
            on: d(11, 25),
        },
    );
    assert_eq!(
        c.flow().reviewer.as_ref().map(|p| p.name.as_str()),
        Some("某市信访局")
    );
    // Having recorded the city's review, the county asks the level above the city.
    let second = |reviewer: &str| Step::RequestSecondReview {
        reason: "仍不服".into(),
        reviewer: reviewer.into(),
        on: d(11, 28),
    };
    assert!(matches!(
        c.try_step(&a, second("")),
        Err(RuleError::ReviewGoesUp(_))
    ));
    c.step(&a, second("某省信访局"));
    assert_eq!(c.flow().holder().name, "某省信访局");
}

#[test]
fn a_suggestion_is_answered_once_and_closes_with_the_answer() {
    let a = county();
    let mut draft = valid_draft();
    draft.received_on = "2026-11-02".into();
    draft.petition_type = Some(crate::domain::vocab::PetitionType::Suggestion);
    let mut c = Case::new();
    c.events[0] = register(
        EventId::from_random([0; 16]),
        CaseId::from_random([1; 16]),
        county(),
        Timestamp::start_of_china_date(d(11, 2)),
        &CaseNumber::next("XF01", 2026, None),
        draft.validate(d(11, 2)).unwrap(),
    );
    c.step(
        &a,
        Step::Route {
            routing: Routing::Accept,
            on: d(11, 3),
        },
    )
    .step(&a, Step::NotifyAcceptance { on: d(11, 3) })
    .step(&a, opinion(d(11, 10)));
    let f = c.flow();
    assert!(!f.reviewable);
    assert!(c.due().is_none(), "no review window");
    assert_eq!(f.closes_after(&WorkCalendar::official()), Some(d(11, 10)));
    assert!(f.is_closed(&WorkCalendar::official(), d(11, 11)));
    assert!(matches!(
        c.try_step(
            &a,
            Step::RequestReview {
                reason: "不服".into(),
                reviewer: "某市信访局".into(),
                on: d(11, 12),
            }
        ),
        Err(RuleError::NotReviewable)
    ));
}
