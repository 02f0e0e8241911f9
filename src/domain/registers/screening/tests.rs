use super::*;
use crate::domain::event::Actor;
use crate::domain::ids::{CaseId, EntryId, EventId};
use crate::domain::measures::{Period, Ratio};
use crate::domain::patterns::MatchRow;
use crate::domain::petition::tests::valid_draft;
use crate::domain::registers::EntryError;
use crate::domain::time::Timestamp;
use crate::domain::vocab::Category;
use chrono::NaiveDate;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn actor() -> Actor {
    Actor {
        unit_code: "XF01".into(),
        unit_name: "某县信访局".into(),
        operator: "王五".into(),
    }
}

fn eid(n: u8) -> EventId {
    EventId::from_random([n; 16])
}

fn draft() -> ScreeningDraft {
    ScreeningDraft {
        found_on: "2026-11-02".into(),
        township: "城关镇".into(),
        village: "东村".into(),
        category: Some(Category::LandExpropriation),
        parties: "张三、李四等".into(),
        head_count: "12".into(),
        matter: "东村征地补偿款分配不均，村民拟集体上访".into(),
        risk: Some(Risk::High),
        responsible: "城关镇人民政府".into(),
        leader: "李副县长".into(),
        measures: "镇村干部逐户走访，公开补偿明细".into(),
        controls: "".into(),
        deadline: "2026-11-30".into(),
    }
}

fn item_with(n: u8, draft: ScreeningDraft) -> (ScreeningItem, ScreeningEvent) {
    let r = draft.validate(d(12, 1)).unwrap();
    let e = record(
        eid(n),
        EntryId::from_random([n; 16]),
        actor(),
        Timestamp(1_000 + i64::from(n)),
        r,
    );
    (fold(std::slice::from_ref(&e)).unwrap(), e)
}

fn item() -> (ScreeningItem, ScreeningEvent) {
    item_with(1, draft())
}

#[test]
fn a_valid_form_gives_the_record_and_every_missing_field_is_named() {
    let (i, _) = item();
    assert_eq!(i.record.head_count, 12);
    assert_eq!(i.record.party_names(), vec!["张三", "李四"]);
    assert_eq!(i.status, ItemStatus::Unresolved);
    assert_eq!(
        i.record.rows()[0],
        (ScreeningField::FoundOn, "2026-11-02".into())
    );
    let e = ScreeningDraft::default().validate(d(12, 1)).unwrap_err();
    for f in [
        ScreeningField::Township,
        ScreeningField::Category,
        ScreeningField::Parties,
        ScreeningField::Matter,
        ScreeningField::Risk,
        ScreeningField::Responsible,
        ScreeningField::Leader,
        ScreeningField::Measures,
        ScreeningField::Deadline,
    ] {
        assert!(e.get(f.key()).is_some(), "{f:?}");
    }
    // A blank 排查日期 is today; the village and 稳控措施 may stay blank.
    assert!(e.get(ScreeningField::FoundOn.key()).is_none());
    assert!(e.get(ScreeningField::Village.key()).is_none());
}

#[test]
fn dates_and_counts_are_checked() {
    let bad = |f: fn(&mut ScreeningDraft), field: ScreeningField, msg: &str| {
        let mut x = draft();
        f(&mut x);
        let e = x.validate(d(12, 1)).unwrap_err();
        assert!(e.get(field.key()).unwrap().contains(msg), "{:?}", e);
    };
    bad(
        |x| x.found_on = "2026-12-02".into(),
        ScreeningField::FoundOn,
        "不能晚于今天",
    );
    bad(
        |x| x.found_on = "11月2日".into(),
        ScreeningField::FoundOn,
        "格式",
    );
    bad(
        |x| x.deadline = "2026-11-01".into(),
        ScreeningField::Deadline,
        "不能早于",
    );
    bad(
        |x| x.deadline = "2028-01-01".into(),
        ScreeningField::Deadline,
        "最长",
    );
    bad(
        |x| x.head_count = "0".into(),
        ScreeningField::HeadCount,
        "1 到 100000",
    );
    bad(
        |x| x.matter = "长".repeat(2001),
        ScreeningField::Matter,
        "过长",
    );
}

#[test]
fn the_form_round_trips_through_a_record() {
    let (i, _) = item();
    assert_eq!(
        ScreeningDraft::from_record(&i.record)
            .validate(d(12, 1))
            .unwrap(),
        i.record
    );
    assert!(ScreeningDraft::default().is_untouched());
    assert!(!draft().is_untouched());
}

#[test]
fn an_item_is_followed_up_to_resolution_and_may_flare_up_again() {
    let (i, rec) = item();
    let today = d(12, 1);
    let a = follow_up(
        &i,
        d(11, 10),
        "走访 12 户，公开明细",
        Outcome::Resolving,
        today,
        (eid(2), actor(), Timestamp(2_000)),
    )
    .unwrap();
    let i2 = fold(&[rec.clone(), a.clone()]).unwrap();
    assert_eq!(i2.status, ItemStatus::Resolving);
    let b = follow_up(
        &i2,
        d(11, 20),
        "签订补偿协议",
        Outcome::Resolved,
        today,
        (eid(3), actor(), Timestamp(3_000)),
    )
    .unwrap();
    let i3 = fold(&[b.clone(), a.clone(), rec.clone()]).unwrap();
    assert_eq!(i3.status, ItemStatus::Resolved);
    assert_eq!(i3.resolved_on(), Some(d(11, 20)));
    assert!(!i3.is_open());
    assert_eq!(
        follow_up(
            &i3,
            d(11, 21),
            "再次确认",
            Outcome::Resolved,
            today,
            (eid(4), actor(), Timestamp(4_000))
        ),
        Err(ItemError::AlreadyResolved)
    );
    let again = follow_up(
        &i3,
        d(11, 25),
        "部分村民反悔",
        Outcome::Resolving,
        today,
        (eid(4), actor(), Timestamp(4_000)),
    )
    .unwrap();
    assert_eq!(
        fold(&[rec, a, b, again]).unwrap().status,
        ItemStatus::Resolving
    );
}

#[test]
fn follow_ups_need_text_and_a_date_in_range() {
    let (i, _) = item();
    let t = (eid(2), actor(), Timestamp(2_000));
    let today = d(12, 1);
    assert_eq!(
        follow_up(&i, d(11, 10), "  ", Outcome::Resolving, today, t.clone()),
        Err(ItemError::NoText)
    );
    assert_eq!(
        follow_up(&i, d(11, 1), "x", Outcome::Resolving, today, t.clone()),
        Err(ItemError::BadDate { found: d(11, 2) })
    );
    assert!(follow_up(&i, d(12, 2), "x", Outcome::Resolving, today, t).is_err());
}

#[test]
fn a_revision_needs_a_change_and_a_reason_and_the_latest_wins() {
    let (i, rec) = item();
    let t = |n| (eid(n), actor(), Timestamp(1_000 * i64::from(n)));
    assert_eq!(
        revise(&i, i.record.clone(), "r", t(2)),
        Err(ItemError::NoChanges)
    );
    let mut r = i.record.clone();
    r.risk = Risk::Medium;
    assert_eq!(revise(&i, r.clone(), " ", t(2)), Err(ItemError::NoReason));
    let a = revise(&i, r, "已初步稳控", t(3)).unwrap();
    let mut r2 = i.record.clone();
    r2.leader = "赵县长".into();
    let b = revise(&i, r2, "包案领导调整", t(2)).unwrap();
    // Any arrival order folds to the same item: the later revision (a) wins.
    let x = fold(&[rec.clone(), a.clone(), b.clone()]).unwrap();
    assert_eq!(x, fold(&[b, a.clone(), rec, a]).unwrap());
    assert_eq!(x.record.risk, Risk::Medium);
    assert_eq!(x.record.leader, "李副县长");
    assert_eq!(x.events.len(), 3);
}

#[test]
fn converting_links_the_case_once() {
    let (i, rec) = item();
    let case = CaseId::from_random([7; 16]);
    let c = convert(
        &i,
        case.clone(),
        "XF01-2026-00009",
        (eid(2), actor(), Timestamp(2_000)),
    )
    .unwrap();
    let i2 = fold(&[rec, c]).unwrap();
    assert_eq!(i2.status, ItemStatus::Converted);
    assert_eq!(i2.case, Some((case.clone(), "XF01-2026-00009".into())));
    assert!(!i2.is_open());
    assert_eq!(
        convert(
            &i2,
            case,
            "XF01-2026-00010",
            (eid(3), actor(), Timestamp(3_000))
        ),
        Err(ItemError::Converted("XF01-2026-00009".into()))
    );
    assert!(matches!(
        follow_up(
            &i2,
            d(11, 10),
            "x",
            Outcome::Resolved,
            d(12, 1),
            (eid(3), actor(), Timestamp(3_000))
        ),
        Err(ItemError::Converted(_))
    ));
    // The registration form is filled from the item.
    let p = i2.petition_draft();
    assert_eq!(p.petitioners.len(), 2);
    assert_eq!(p.petitioners[1].name, "李四");
    assert_eq!(p.township, "城关镇");
    assert_eq!(p.category, Some(Category::LandExpropriation));
    assert_eq!(p.head_count, "12");
    assert!(p.title.starts_with("东村征地补偿款"));
}

#[test]
fn fold_needs_the_record_of_one_item() {
    let (i, rec) = item();
    let f = follow_up(
        &i,
        d(11, 10),
        "x",
        Outcome::Resolving,
        d(12, 1),
        (eid(2), actor(), Timestamp(2_000)),
    )
    .unwrap();
    assert_eq!(fold(std::slice::from_ref(&f)), Err(EntryError::NoRecord));
    assert_eq!(fold(&[]), Err(EntryError::NoRecord));
    let (_, other) = item_with(9, draft());
    assert_eq!(fold(&[rec, other]), Err(EntryError::Mixed));
}

#[test]
fn the_workbench_lists_overdue_and_high_risk_open_items() {
    let (high, _) = item();
    let mut low = draft();
    low.risk = Some(Risk::Low);
    low.deadline = "2026-11-20".into();
    let (low, _) = item_with(2, low);
    let mut far = draft();
    far.risk = Some(Risk::Medium);
    far.deadline = "2026-12-31".into();
    let (far, _) = item_with(3, far);
    let items = vec![high.clone(), low.clone(), far];
    let (overdue, risky) = attention(&items, d(12, 1));
    assert_eq!(
        overdue.iter().map(|i| &i.id).collect::<Vec<_>>(),
        vec![&low.id, &high.id]
    );
    assert_eq!(
        risky.iter().map(|i| &i.id).collect::<Vec<_>>(),
        vec![&high.id]
    );
    // On the deadline itself it is not yet overdue.
    assert!(!high.is_overdue(d(11, 30)));
}

#[test]
fn a_new_petition_of_the_same_people_or_matter_suggests_the_open_item() {
    let (i, _) = item();
    let mut p = valid_draft().validate(d(12, 1)).unwrap();
    p.township = "城关镇".into();
    p.petitioners[0].name = "李四".into();
    let row = MatchRow::of_petition("", d(12, 1), &p);
    let s = suggest_items(&row, std::slice::from_ref(&i));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].reason, "同一当事人（李四）");
    // The same name in another township is someone else; a near-identical matter in the
    // same category is suggested whoever writes.
    p.township = "东岭乡".into();
    assert!(suggest_items(
        &MatchRow::of_petition("", d(12, 1), &p),
        std::slice::from_ref(&i)
    )
    .is_empty());
    p.title = "东村征地补偿款分配不均".into();
    p.request = "村民拟集体上访".into();
    p.category = Category::LandExpropriation;
    let s = suggest_items(
        &MatchRow::of_petition("", d(12, 1), &p),
        std::slice::from_ref(&i),
    );
    assert!(s[0].reason.starts_with("事项相近"), "{s:?}");
    // A resolved or converted item is not suggested.
    let mut closed = i;
    closed.status = ItemStatus::Resolved;
    assert!(suggest_items(&MatchRow::of_petition("", d(12, 1), &p), &[closed]).is_empty());
}

#[test]
fn search_finds_every_term() {
    let (i, _) = item();
    assert!(i.matches("东村 李副县长"));
    assert!(i.matches("征地拆迁"));
    assert!(!i.matches("东村 西村"));
}

/// The dashboard fixture: five items, hand-counted.
#[test]
fn figures_of_a_period() {
    let today = d(12, 1);
    let mk = |n: u8, town: &str, found: &str, risk: Risk| {
        let mut x = draft();
        x.township = town.into();
        x.found_on = found.into();
        x.risk = Some(risk);
        item_with(n, x)
    };
    // A: 城关镇 11-02 高, open, deadline 11-30 (overdue on 12-01).
    let (a, _) = mk(1, "城关镇", "2026-11-02", Risk::High);
    // B: 城关镇 11-05 中, resolved.
    let (b, rb) = mk(2, "城关镇", "2026-11-05", Risk::Medium);
    let fb = follow_up(
        &b,
        d(11, 9),
        "已调解",
        Outcome::Resolved,
        today,
        (eid(20), actor(), Timestamp(9_000)),
    )
    .unwrap();
    let b = fold(&[rb, fb]).unwrap();
    // C: 东岭乡 11-10 高, converted.
    let (c, rc) = mk(3, "东岭乡", "2026-11-10", Risk::High);
    let cc = convert(
        &c,
        CaseId::from_random([5; 16]),
        "XF01-2026-00003",
        (eid(21), actor(), Timestamp(9_000)),
    )
    .unwrap();
    let c = fold(&[rc, cc]).unwrap();
    // D: 东岭乡 11-20 低, open.
    let (dd, _) = mk(4, "东岭乡", "2026-11-20", Risk::Low);
    // E: 城关镇 10-15 高, open: outside November, still in the early warning.
    let (e, _) = mk(5, "城关镇", "2026-10-15", Risk::High);
    let f = figures(&[a, b, c, dd, e], Period::month_of(d(11, 1)), today);
    assert_eq!(f.found, 4);
    assert_eq!(f.resolved, Ratio { num: 1, den: 4 });
    assert_eq!(f.resolved.percent(), "25.0%");
    assert_eq!(f.converted, 1);
    assert_eq!(f.by_township["城关镇"], Ratio { num: 1, den: 2 });
    assert_eq!(f.by_township["东岭乡"], Ratio { num: 0, den: 2 });
    assert_eq!(f.by_risk[&Risk::High], 2);
    assert_eq!(f.by_risk[&Risk::Low], 1);
    assert_eq!(f.open_high, 2, "A and E; C became a case");
    assert_eq!(f.high_overdue, 2);
    // A, D and E are open past 11-30.
    assert_eq!(f.overdue, 3);
}

#[test]
fn linking_puts_an_event_on_each_side_once() {
    use crate::domain::case::{fold as fold_case, register, CaseNumber};
    let (i, rec) = item();
    let p = i.petition_draft();
    let mut p = p;
    p.channel = Some(crate::domain::vocab::Channel::Visit);
    p.petition_type = Some(crate::domain::vocab::PetitionType::Claim);
    let petition = p.validate(d(12, 1)).unwrap();
    let reg = register(
        eid(30),
        CaseId::from_random([3; 16]),
        actor(),
        Timestamp(5_000),
        &CaseNumber::next("XF01", 2026, None),
        petition,
    );
    let case = fold_case(std::slice::from_ref(&reg)).unwrap();
    let (on_item, on_case) =
        link_case(&i, &case, (eid(31), eid(32)), actor(), Timestamp(5_000)).unwrap();
    let item2 = fold(&[rec, on_item]).unwrap();
    let case2 = fold_case(&[reg, on_case]).unwrap();
    assert_eq!(
        item2.case,
        Some((case.id.clone(), "XF01-2026-00001".into()))
    );
    assert_eq!(case2.screening.as_ref().map(|s| &s.0), Some(&i.id));
    // Neither side can be linked a second time.
    let (other, _) = item_with(4, draft());
    assert!(matches!(
        link_case(
            &other,
            &case2,
            (eid(33), eid(34)),
            actor(),
            Timestamp(6_000)
        ),
        Err(ItemError::CaseLinked(_))
    ));
    assert!(matches!(
        link_case(&item2, &case, (eid(33), eid(34)), actor(), Timestamp(6_000)),
        Err(ItemError::Converted(_))
    ));
}

#[test]
fn the_list_filter_combines_its_conditions() {
    let (i, _) = item();
    let today = d(12, 1);
    let all = ItemFilter::default();
    assert!(all.holds(&i, today));
    let f = |g: fn(&mut ItemFilter)| {
        let mut x = ItemFilter::default();
        g(&mut x);
        x.holds(&i, today)
    };
    assert!(f(|x| x.overdue = true));
    assert!(!f(|x| x.status = Some(ItemStatus::Resolved)));
    assert!(f(|x| x.risk = Some(Risk::High)));
    assert!(!f(|x| x.township = "东岭乡".into()));
    assert!(f(|x| x.query = "张三".into()));
    assert!(
        !i.is_overdue(d(11, 30))
            && !ItemFilter {
                overdue: true,
                ..all
            }
            .holds(&i, d(11, 30))
    );
}
