use super::*;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{fold, register, CaseNumber};
use crate::domain::ids::CaseId;
use crate::domain::petition::tests::{today, valid_draft};
use crate::domain::workflow::Stage;
use chrono::TimeDelta;

fn by(n: u8) -> (EventId, Actor, Timestamp) {
    let actor = Actor {
        unit_code: "XF01".into(),
        unit_name: "某县信访局".into(),
        operator: "王五".into(),
    };
    (
        EventId::from_random([n; 16]),
        actor,
        Timestamp(1_795_000_000_000 + i64::from(n)),
    )
}

/// Case `n`, registered on the fixture's day.
fn case(n: u8) -> (CaseState, Vec<Event>) {
    let reg = register(
        EventId::from_random([100 + n; 16]),
        CaseId::from_random([n; 16]),
        by(0).1,
        Timestamp::start_of_china_date(today()),
        &CaseNumber::next("XF01", 2026, Some(u32::from(n) - 1)),
        valid_draft().validate(today()).unwrap(),
    );
    (fold(std::slice::from_ref(&reg)).unwrap(), vec![reg])
}

fn then(log: &mut Vec<Event>, e: Event) -> CaseState {
    log.push(e);
    fold(log).unwrap()
}

#[test]
fn a_case_names_its_leader_once_and_takes_instructions() {
    let (c, mut log) = case(1);
    assert_eq!(assign(&c, "  ", by(1)), Err(LeaderError::NoLeader));
    assert_eq!(
        assign(&c, &"长".repeat(51), by(1)),
        Err(LeaderError::LeaderTooLong)
    );
    let c = then(&mut log, assign(&c, " 李明（副县长） ", by(1)).unwrap());
    assert_eq!(c.leader.as_deref(), Some("李明（副县长）"));
    assert_eq!(
        assign(&c, "李明（副县长）", by(2)),
        Err(LeaderError::Same("李明（副县长）".into()))
    );
    // Handed to another leader: the latest counts, the history keeps both.
    let c = then(&mut log, assign(&c, "赵刚（县长）", by(2)).unwrap());
    assert_eq!(c.leader.as_deref(), Some("赵刚（县长）"));
    assert_eq!(
        instruct(&c, "赵刚（县长）", " ", by(3)),
        Err(LeaderError::NoText)
    );
    let c = then(
        &mut log,
        instruct(&c, "赵刚（县长）", "请县人社局三日内答复", by(3)).unwrap(),
    );
    assert_eq!(c.instructions.len(), 1);
    assert_eq!(c.instructions[0].text, "请县人社局三日内答复");
    assert_eq!(c.events[3].body.label(), "领导批示");
}

#[test]
fn each_leader_counts_the_cases_owned_open_overdue_resolved_and_the_items() {
    let cal = WorkCalendar::official();
    let mut rows = Vec::new();
    for (n, leader, instructs) in [
        (1, "李明", None),
        (2, "李明", Some("赵刚")),
        (3, "赵刚", None),
    ] {
        let (c, mut log) = case(n);
        let mut c = then(&mut log, assign(&c, leader, by(n)).unwrap());
        if let Some(l) = instructs {
            c = then(&mut log, instruct(&c, l, "限期办结", by(n + 10)).unwrap());
        }
        rows.push(CaseSummary::of(&c, &cal));
    }
    // Case 2 finished.
    rows[1].stage = Stage::Terminated;
    let later = today() + TimeDelta::days(40);
    let f = figures(&rows, &[], &[], later);
    assert_eq!(f.len(), 2);
    let li = &f[0];
    assert_eq!(li.name, "李明");
    assert_eq!(li.owned, ["XF01-2026-00001", "XF01-2026-00002"]);
    assert_eq!(li.open, ["XF01-2026-00001"]);
    assert_eq!(li.overdue, ["XF01-2026-00001"], "分流 is past its 15 days");
    assert_eq!(li.resolved, ["XF01-2026-00002"]);
    let zhao = &f[1];
    assert_eq!((zhao.owned.len(), zhao.instructed.len()), (1, 1));
    // On the day of registration nothing is overdue yet.
    assert!(figures(&rows, &[], &[], today())[0].overdue.is_empty());
}

#[test]
fn a_visit_on_a_reception_day_records_its_leader_once() {
    use crate::domain::ids::EntryId;
    use crate::domain::registers::receptions::{self, ReceptionDraft};
    use crate::domain::vocab::Channel;
    let day_record = ReceptionDraft {
        leader: "李明（副县长）".into(),
        day: today().to_string(),
        place: "县信访局接待大厅".into(),
        topics: String::new(),
    }
    .validate(today())
    .unwrap();
    let e = receptions::record(
        (
            EventId::from_random([50; 16]),
            EntryId::from_random([50; 16]),
        ),
        by(0).1,
        Timestamp(1),
        day_record,
    );
    let r = receptions::fold(&[e]).unwrap();
    let visit = |channel: Channel, n: u8| {
        let mut d = valid_draft();
        d.channel = Some(channel);
        let reg = register(
            EventId::from_random([120 + n; 16]),
            CaseId::from_random([20 + n; 16]),
            by(0).1,
            Timestamp::start_of_china_date(today()),
            &CaseNumber::next("XF01", 2026, Some(u32::from(n))),
            d.validate(today()).unwrap(),
        );
        (fold(std::slice::from_ref(&reg)).unwrap(), vec![reg])
    };
    let (letter, _) = visit(Channel::Letter, 1);
    assert_eq!(receive(&letter, &r, by(1)), Err(LeaderError::NotAVisit));
    let (c, mut log) = visit(Channel::Visit, 2);
    let mut other_day = r.clone();
    other_day.record.day = today() + TimeDelta::days(1);
    assert!(matches!(
        receive(&c, &other_day, by(1)),
        Err(LeaderError::OtherDay(_))
    ));
    let c = then(&mut log, receive(&c, &r, by(1)).unwrap());
    assert_eq!(c.received_by.as_deref(), Some("李明（副县长）"));
    assert!(matches!(
        receive(&c, &r, by(2)),
        Err(LeaderError::AlreadyReceived(_))
    ));
    let rows = vec![CaseSummary::of(&c, &WorkCalendar::official())];
    let f = figures(&rows, &[], &[r], today());
    assert_eq!((f[0].reception_days, f[0].received.len()), (1, 1));
}
