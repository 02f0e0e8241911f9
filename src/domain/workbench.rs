//! The unit's 工作台: which open cases need attention, in which bucket, in due order.

use std::borrow::Borrow;
use std::cmp::Ordering;

use chrono::NaiveDate;

use super::response::PlanRow;
use super::search::CaseSummary;
use super::vocab::labelled_enum;
use super::workflow::{DueKind, Stage, Viewer};

labelled_enum!(
    /// A workbench list. A case may stand in several.
    Bucket {
        Overdue => "超期",
        DueSoon => "即将到期",
        AwaitingRouting => "待分流",
        AwaitingAcceptance => "待受理",
        ObjectionToCheck => "异议待核实",
        AwaitingNotice => "待受理告知",
        Handling => "办理中",
        Returned => "退回重办",
        AwaitingApproval => "待审核",
        InReview => "待复查、复核",
        Elsewhere => "他单位承办",
        Supervised => "督办中",
        SupervisionOverdue => "督办反馈超期",
        SummaryOverdue => "预案待总结",
        AwaitingRating => "待评价",
        Open => "全部在办",
    }
);

/// Days before its last day from which an obligation counts as due soon.
pub const DUE_SOON_DAYS: i64 = 3;

impl Bucket {
    /// Whether a case belongs in `me`'s list on `today`. The lists of work (超期 to
    /// 待复查) hold what is `me`'s to do; 他单位承办 what another unit must do.
    pub fn holds(self, s: &CaseSummary, today: NaiveDate, me: Viewer) -> bool {
        let open = s.is_open(today);
        let mine = open && s.is_mine(me);
        let left = s.due.map(|d| (d - today).num_days());
        let receiving = matches!(s.stage, Stage::Forwarded | Stage::Assigned);
        match self {
            Bucket::Overdue => mine && s.due_obligation() && left.is_some_and(|n| n < 0),
            Bucket::DueSoon => {
                mine && s.due_obligation() && left.is_some_and(|n| (0..=DUE_SOON_DAYS).contains(&n))
            }
            Bucket::AwaitingRouting => mine && s.stage == Stage::AwaitingRouting,
            Bucket::AwaitingAcceptance => mine && receiving && !s.objection,
            Bucket::ObjectionToCheck => mine && receiving && s.objection,
            Bucket::AwaitingNotice => mine && s.due_kind == Some(DueKind::AcceptanceNotice),
            Bucket::Handling => mine && s.stage == Stage::Accepted,
            Bucket::Returned => mine && s.returned,
            Bucket::AwaitingApproval => mine && s.stage == Stage::Reported,
            Bucket::InReview => mine && matches!(s.stage, Stage::InReview | Stage::InSecondReview),
            Bucket::Elsewhere => open && s.acting.is_some() && !s.is_mine(me),
            Bucket::Supervised => s.supervision_due.is_some(),
            Bucket::SupervisionOverdue => s.supervision_due.is_some_and(|d| d < today),
            Bucket::SummaryOverdue => s.plans.iter().any(|p| p.summary_overdue(today)),
            Bucket::AwaitingRating => open && s.awaiting_rating,
            Bucket::Open => open,
        }
    }
}

/// Whether a case can stand in any bucket on `today`: open, or closed with a started plan
/// still owing its 事后总结 (so the workbench reads only these rows).
pub fn on_workbench(s: &CaseSummary, today: NaiveDate) -> bool {
    s.is_open(today) || s.plans.iter().any(|p| p.summary_overdue(today))
}

/// Rows shown under each bucket before "查看全部" opens the whole list.
pub const BUCKET_ROWS: usize = 20;

/// The due order of a bucket: soonest first, undated last, then by registration.
fn order(which: Bucket) -> impl Fn(&&CaseSummary, &&CaseSummary) -> Ordering {
    let key = move |s: &CaseSummary| match which {
        Bucket::Supervised | Bucket::SupervisionOverdue => s.supervision_due,
        Bucket::SummaryOverdue => s
            .plans
            .iter()
            .filter(|p| !p.summarized)
            .map(PlanRow::summary_due)
            .min(),
        _ => s.due,
    };
    move |a, b| {
        let (ka, kb) = (key(a), key(b));
        (ka.is_none(), ka, a.registered_at, &a.case_no).cmp(&(
            kb.is_none(),
            kb,
            b.registered_at,
            &b.case_no,
        ))
    }
}

/// The cases of one of `me`'s buckets, soonest due first (cases without a due date last).
pub fn bucket<'a, R: Borrow<CaseSummary>>(
    rows: &'a [R],
    which: Bucket,
    today: NaiveDate,
    me: Viewer,
) -> Vec<&'a CaseSummary> {
    let mut out: Vec<&CaseSummary> = rows
        .iter()
        .map(Borrow::borrow)
        .filter(|s| which.holds(s, today, me))
        .collect();
    out.sort_by(order(which));
    out
}

/// One bucket as the workbench shows it: how many cases it holds and the most urgent.
#[derive(Debug)]
pub struct BucketView<'a> {
    /// The bucket.
    pub bucket: Bucket,
    /// Every case in it.
    pub count: usize,
    /// Its first `shown` cases in due order.
    pub first: Vec<&'a CaseSummary>,
}

/// Every bucket with its count and its first `shown` rows. At county scale a bucket holds
/// thousands of cases; only the first few are sorted (partial selection, not a full sort).
/// `rows` may be the rows or references to them (the index lends them without a copy).
pub fn board<'a, R: Borrow<CaseSummary>>(
    rows: &'a [R],
    today: NaiveDate,
    me: Viewer,
    shown: usize,
) -> Vec<BucketView<'a>> {
    Bucket::ALL
        .iter()
        .map(|&b| {
            let mut held: Vec<&CaseSummary> = rows
                .iter()
                .map(Borrow::borrow)
                .filter(|s| b.holds(s, today, me))
                .collect();
            let count = held.len();
            let cmp = order(b);
            if shown > 0 && held.len() > shown {
                held.select_nth_unstable_by(shown - 1, &cmp);
            }
            held.truncate(shown);
            held.sort_by(&cmp);
            BucketView {
                bucket: b,
                count,
                first: held,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::WorkCalendar;
    use crate::domain::case::{fold, register, take_step, CaseNumber};
    use crate::domain::event::Actor;
    use crate::domain::ids::{CaseId, EventId};
    use crate::domain::petition::tests::valid_draft;
    use crate::domain::time::Timestamp;
    use crate::domain::workflow::{Routing, Step};

    const ME: Viewer = Viewer {
        code: "XF01",
        name: "县信访局",
    };

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// A case received on `received`, routed with `steps` (all dated as given).
    fn case(n: u8, received: NaiveDate, steps: &[Step]) -> CaseSummary {
        let cal = WorkCalendar::official();
        let mut draft = valid_draft();
        draft.received_on = received.to_string();
        let p = draft.validate(d(11, 26)).unwrap();
        let actor = Actor {
            unit_code: "XF01".into(),
            unit_name: "县信访局".into(),
            operator: "王".into(),
        };
        let at = Timestamp::start_of_china_date(received);
        let mut events = vec![register(
            EventId::from_random([n; 16]),
            CaseId::from_random([n; 16]),
            actor.clone(),
            at,
            &CaseNumber::next("XF01", 2026, Some(n.into())),
            p,
        )];
        for (i, s) in steps.iter().enumerate() {
            let state = fold(&events).unwrap();
            let id =
                EventId::from_random([n, i as u8 + 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            events.push(
                take_step(
                    &state,
                    s.clone(),
                    d(11, 26),
                    &cal,
                    id,
                    actor.clone(),
                    Timestamp(at.0 + i as i64 + 1),
                )
                .unwrap(),
            );
        }
        CaseSummary::of(&fold(&events).unwrap(), &cal)
    }

    #[test]
    fn buckets_and_order() {
        let today = d(11, 26);
        let accept = |on| Step::Route {
            routing: Routing::Accept,
            on,
        };
        let rows = vec![
            case(1, d(11, 2), &[]),                   // routing due 11-17: overdue
            case(2, d(11, 20), &[]),                  // routing due 12-05
            case(3, d(11, 10), &[accept(d(11, 11))]), // notice due 11-25: overdue
            case(4, d(11, 12), &[accept(d(11, 12))]), // notice due 11-27: due soon
            case(
                5,
                d(11, 20),
                &[Step::Route {
                    routing: Routing::Reject {
                        reasons: "不属于".into(),
                    },
                    on: d(11, 21),
                }],
            ),
        ];
        let titles = |b| {
            bucket(&rows, b, today, ME)
                .iter()
                .map(|s| s.case_no.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            titles(Bucket::Overdue),
            ["XF01-2026-00002", "XF01-2026-00004"]
        );
        assert_eq!(titles(Bucket::DueSoon), ["XF01-2026-00005"]);
        assert_eq!(
            titles(Bucket::AwaitingRouting),
            ["XF01-2026-00002", "XF01-2026-00003"]
        );
        assert_eq!(
            titles(Bucket::AwaitingNotice),
            ["XF01-2026-00004", "XF01-2026-00005"]
        );
        assert!(titles(Bucket::Supervised).is_empty());
        assert_eq!(titles(Bucket::Open).len(), 4, "all but the rejected case");
        assert!(
            !Bucket::Overdue.holds(&rows[4], today, ME),
            "a closed case is never overdue"
        );
    }

    #[test]
    fn supervision_and_rating_buckets() {
        let today = d(11, 26);
        let on = d(11, 2);
        let s = case(
            7,
            on,
            &[
                Step::Route {
                    routing: Routing::Accept,
                    on,
                },
                Step::Supervise {
                    reason: "久拖".into(),
                    feedback_due: d(11, 20),
                    on,
                },
                Step::NotifyAcceptance { on },
                Step::Opinion {
                    kind: crate::domain::workflow::OpinionKind::Support,
                    facts: "属实".into(),
                    basis: "条例".into(),
                    delivered_on: d(11, 25),
                },
            ],
        );
        let rows = [s];
        assert_eq!(bucket(&rows, Bucket::Supervised, today, ME).len(), 1);
        assert_eq!(
            bucket(&rows, Bucket::SupervisionOverdue, today, ME).len(),
            1
        );
        assert_eq!(bucket(&rows, Bucket::AwaitingRating, today, ME).len(), 1);
        assert!(
            bucket(&rows, Bucket::Overdue, today, ME).is_empty(),
            "a review window is not an obligation"
        );
    }

    #[test]
    fn an_answer_left_uncontested_past_its_window_closes_the_case() {
        let on = d(10, 8);
        let s = case(
            8,
            on,
            &[
                Step::Route {
                    routing: Routing::Accept,
                    on,
                },
                Step::NotifyAcceptance { on },
                Step::Opinion {
                    kind: crate::domain::workflow::OpinionKind::Support,
                    facts: "属实".into(),
                    basis: "条例".into(),
                    delivered_on: d(10, 20),
                },
            ],
        );
        // Delivered 10-20: 30 days to ask for 复查 end 11-19.
        let last = s.closes_after.unwrap();
        assert_eq!(last, d(11, 19));
        let rows = [s];
        assert!(rows[0].is_open(last));
        assert_eq!(rows[0].stage_label(last, ME), "已答复");
        assert_eq!(bucket(&rows, Bucket::Open, last, ME).len(), 1);
        let after = last.succ_opt().unwrap();
        assert!(!rows[0].is_open(after));
        assert_eq!(
            rows[0].stage_label(after, ME),
            crate::domain::search::CLOSED_LABEL
        );
        assert!(bucket(&rows, Bucket::Open, after, ME).is_empty());
        assert!(bucket(&rows, Bucket::AwaitingRating, after, ME).is_empty());
    }

    #[test]
    fn the_board_shows_each_buckets_count_and_its_first_rows_in_bucket_order() {
        let today = d(11, 26);
        let rows: Vec<CaseSummary> = (1..=60u8)
            .map(|n| case(n, d(10, 1 + u32::from(n) % 28), &[]))
            .collect();
        let me = ME;
        let board = board(&rows, today, me, BUCKET_ROWS);
        assert_eq!(board.len(), Bucket::ALL.len());
        for view in &board {
            let all = bucket(&rows, view.bucket, today, me);
            assert_eq!(view.count, all.len(), "{:?}", view.bucket);
            let want: Vec<&str> = all
                .iter()
                .take(BUCKET_ROWS)
                .map(|s| s.case_no.as_str())
                .collect();
            let got: Vec<&str> = view.first.iter().map(|s| s.case_no.as_str()).collect();
            assert_eq!(got, want, "{:?}", view.bucket);
        }
        let overdue = board.iter().find(|v| v.bucket == Bucket::Overdue).unwrap();
        assert_eq!(
            overdue.count, 60,
            "routing was due within 15 days of October"
        );
        assert_eq!(overdue.first.len(), BUCKET_ROWS);
    }
}
