//! The working registers in a real browser, on real IndexedDB: the schema step that adds
//! them, the screening register's operations (record, follow up, convert into a linked
//! case in one transaction, refused twice), the emergency plans' (record, match, start
//! on a case, record and sum up once), the responsibility agreements' (one per party and
//! year, revised with a reason), and backups, restores and demo data carrying them.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use chrono::NaiveDate;
use wasm_bindgen_test::*;
use xinfang::app::backup::{self, Restore};
use xinfang::app::demo::{self, Generated};
use xinfang::app::error::AppError;
use xinfang::app::progress::Unwatched;
use xinfang::app::register::{register_and_link, warnings};
use xinfang::app::{agreements, leaders, plans, receptions, screening};
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::leaders::LeaderError;
use xinfang::domain::registers::agreements::{AgreementDraft, Goal, PartyKind};
use xinfang::domain::registers::plans::{PlanDraft, PlanError, PlanFacts, PlanRecord};
use xinfang::domain::registers::receptions::ReceptionDraft;
use xinfang::domain::registers::screening::{
    ItemError, ItemStatus, Outcome, Risk, ScreeningDraft, ScreeningRecord,
};
use xinfang::domain::registers::versioned::RevisionError;
use xinfang::domain::vocab::Category;
use xinfang::exchange::envelope::Identity;
use xinfang::store::{Store, DB_VERSION};

use util::{at, fresh, petition, total, unit, TestEnv};

wasm_bindgen_test_configure!(run_in_browser);

const OPERATOR: &str = "县信访局操作口令2026";

fn cal() -> WorkCalendar {
    WorkCalendar::official()
}

fn record(parties: &str) -> ScreeningRecord {
    ScreeningDraft {
        found_on: "2026-11-20".into(),
        township: "城关镇".into(),
        category: Some(Category::LabourSocialSecurity),
        parties: parties.into(),
        head_count: "8".into(),
        matter: "建筑工地拖欠农民工工资，工人拟集体讨薪".into(),
        risk: Some(Risk::High),
        responsible: "县人社局".into(),
        leader: "李副县长".into(),
        measures: "约谈施工企业限期支付".into(),
        deadline: "2026-12-10".into(),
        ..ScreeningDraft::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
    .unwrap()
}

/// A backup of `source` restored into a fresh database `name`, as a unit moving to a new
/// computer would.
async fn backed_up_into(source: &Store, env: &TestEnv, name: &str) -> Store {
    let key = Identity::from_seed([4; 32]);
    let pass = "测试口令12345678";
    let file = backup::write(source, env, &cal(), &unit(), &key, pass, &Unwatched)
        .await
        .unwrap()
        .unwrap();
    let target = fresh(name).await;
    let done = backup::restore(
        &target,
        env,
        &file.blob,
        pass,
        (OPERATOR, OPERATOR),
        &Unwatched,
    )
    .await
    .unwrap();
    assert!(matches!(done, Restore::Done(_)));
    target
}

#[wasm_bindgen_test]
async fn a_version_2_database_gains_the_registers_and_keeps_everything() {
    let name = "t-upgrade-v3";
    Store::delete(name).await.unwrap();
    // Its cases move into chunks (tests/layout.rs writes them as version 2 did).
    let v2 = Store::open_at(name, 2).await.unwrap();
    v2.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 1);
    v2.save_draft("register", Some("{\"title\":\"半截\"}"))
        .await
        .unwrap();
    // Version 2 has no registers yet.
    assert!(screening::items(&v2).await.is_err());
    v2.close();

    const { assert!(DB_VERSION > 2) };
    let store = Store::open(name).await.unwrap();
    assert_eq!(store.profile().await.unwrap(), Some(unit()));
    assert_eq!(
        store.draft("register").await.unwrap().as_deref(),
        Some("{\"title\":\"半截\"}")
    );
    assert!(screening::items(&store).await.unwrap().is_empty());
    let item = screening::record(&store, &env, &unit(), record("张三"))
        .await
        .unwrap();
    store.close();
    let again = Store::open(name).await.unwrap();
    assert_eq!(screening::items(&again).await.unwrap(), vec![item]);
}

#[wasm_bindgen_test]
async fn an_item_is_followed_up_and_converted_into_a_linked_case_once() {
    let store = fresh("t-screening").await;
    store.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 100);
    let item = screening::record(&store, &env, &unit(), record("张三、李四"))
        .await
        .unwrap();
    store.save_draft("screening", Some("{}")).await.unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let followed = screening::follow_up(
        &store,
        &env,
        &unit(),
        &item.id,
        (d, "约谈施工方，承诺月底支付", Outcome::Resolving),
    )
    .await
    .unwrap();
    assert_eq!(followed.status, ItemStatus::Resolving);
    // A follow-up in the future is refused and stores nothing.
    let late = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let refused = screening::follow_up(
        &store,
        &env,
        &unit(),
        &item.id,
        (late, "x", Outcome::Resolved),
    )
    .await;
    assert!(matches!(
        refused,
        Err(AppError::Item(ItemError::BadDate { .. }))
    ));
    assert_eq!(
        screening::item(&store, &item.id).await.unwrap(),
        Some(followed.clone())
    );

    // A petition of the same people suggests the open item.
    let mut p = petition("讨薪");
    p.petitioners[0].name = "李四".into();
    let w = warnings(&store, &p, &env).await.unwrap();
    assert_eq!(w.items.len(), 1);
    assert_eq!(w.items[0].id, item.id);

    let draft = "convert:x";
    store.save_draft(draft, Some("{}")).await.unwrap();
    let r = register_and_link(
        &store,
        &env,
        &cal(),
        &unit(),
        p.clone(),
        Some(draft),
        Some(&item.id),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(r.state.screening.as_ref().map(|s| &s.0), Some(&item.id));
    assert_eq!(
        store.draft(draft).await.unwrap(),
        None,
        "the draft goes with it"
    );
    let converted = screening::item(&store, &item.id).await.unwrap().unwrap();
    assert_eq!(converted.status, ItemStatus::Converted);
    assert_eq!(
        converted.case,
        Some((r.state.id.clone(), r.state.case_no.clone()))
    );
    // The case, read back, names the item.
    let case = store.case(&r.state.id).await.unwrap().unwrap();
    assert_eq!(case.screening.map(|s| s.0), Some(item.id.clone()));
    assert_eq!(total(&store).await, 1);

    // Converting it again is refused whole: no second case, no number used.
    let twice =
        register_and_link(&store, &env, &cal(), &unit(), p, None, Some(&item.id), &[]).await;
    assert!(
        matches!(twice, Err(AppError::Item(ItemError::Converted(_)))),
        "{twice:?}"
    );
    assert_eq!(total(&store).await, 1);
    let next = register_and_link(
        &store,
        &env,
        &cal(),
        &unit(),
        petition("别的事"),
        None,
        None,
        &[],
    )
    .await
    .unwrap();
    assert_eq!(next.state.case_no, "XF01-2026-00002");
    // A converted item is not suggested any more, and an existing case links to another.
    let w = warnings(&store, &petition("讨薪"), &env).await.unwrap();
    assert!(w.items.is_empty());
    let other = screening::record(&store, &env, &unit(), record("王五"))
        .await
        .unwrap();
    let (linked, item2) = screening::link(&store, &env, &cal(), &unit(), &other.id, &next.state.id)
        .await
        .unwrap();
    assert_eq!(item2.status, ItemStatus::Converted);
    assert!(linked.screening.is_some());
    assert!(matches!(
        screening::link(&store, &env, &cal(), &unit(), &other.id, &r.state.id).await,
        Err(AppError::Item(_))
    ));
}

#[wasm_bindgen_test]
async fn the_register_survives_a_backup_and_restore() {
    let source = fresh("t-screening-backup").await;
    source.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 300);
    let a = screening::record(&source, &env, &unit(), record("张三"))
        .await
        .unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let a = screening::follow_up(
        &source,
        &env,
        &unit(),
        &a.id,
        (d, "已调解", Outcome::Resolved),
    )
    .await
    .unwrap();
    let b = screening::record(&source, &env, &unit(), record("李四"))
        .await
        .unwrap();
    let target = backed_up_into(&source, &env, "t-screening-restore").await;
    let mut restored = screening::items(&target).await.unwrap();
    restored.sort_by_key(|i| i.record.parties.clone());
    assert_eq!(restored, vec![a, b]);
}

#[wasm_bindgen_test]
async fn demo_data_brings_its_register_and_a_cancel_takes_it_away() {
    let store = fresh("t-screening-demo").await;
    let today = at(0).china_date();
    let unit = xinfang::demo::demo_unit();
    let done = demo::generate(&store, &cal(), unit.clone(), 60, today, &Unwatched)
        .await
        .unwrap();
    assert_eq!(done, Generated::Done);
    let items = screening::items(&store).await.unwrap();
    assert_eq!(items.len(), 12);
    assert!(items
        .iter()
        .all(|i| unit.townships.contains(&i.record.township)));
    store.delete_all_cases().await.unwrap();
    assert!(screening::items(&store).await.unwrap().is_empty());
}

fn plan_record() -> PlanRecord {
    PlanDraft {
        name: "欠薪讨薪群体访应急预案".into(),
        min_heads: "5".into(),
        categories: vec![Category::LabourSocialSecurity],
        units: "县人社局劳动监察大队".into(),
        steps: "一、登记\n二、约谈".into(),
        ..PlanDraft::default()
    }
    .validate()
    .unwrap()
}

#[wasm_bindgen_test]
async fn a_group_petition_starts_its_plan_which_is_summed_up_once_and_kept_by_a_backup() {
    let source = fresh("t-plans").await;
    source.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 500);
    let plan = plans::record(&source, &env, &unit(), plan_record())
        .await
        .unwrap();
    let mut p = petition("农民工集体讨薪");
    p.category = Category::LabourSocialSecurity;
    p.head_count = 12;
    let hits = plans::matching(&source, &PlanFacts::of(&p)).await.unwrap();
    assert_eq!(hits, vec![plan.clone()]);
    let mut few = p.clone();
    few.head_count = 3;
    assert!(plans::matching(&source, &PlanFacts::of(&few))
        .await
        .unwrap()
        .is_empty());
    let case = register_and_link(&source, &env, &cal(), &unit(), p, None, None, &[])
        .await
        .unwrap()
        .state;
    assert_eq!(
        plans::to_start(&source, &case).await.unwrap(),
        vec![plan.clone()]
    );
    let actor = unit().actor();
    let case = plans::start(&source, &env, &cal(), actor.clone(), &case, &plan.id)
        .await
        .unwrap();
    assert!(plans::to_start(&source, &case).await.unwrap().is_empty());
    assert!(matches!(
        plans::start(&source, &env, &cal(), actor.clone(), &case, &plan.id).await,
        Err(AppError::Plan(PlanError::AlreadyStarted(_)))
    ));
    let case = plans::note(
        &source,
        &env,
        &cal(),
        actor.clone(),
        &case,
        (&plan.id, "约谈企业"),
    )
    .await
    .unwrap();
    let summary = ("12 人到县讨薪", "当日约谈", "提前介入");
    let case = plans::summarize(
        &source,
        &env,
        &cal(),
        actor.clone(),
        &case,
        &plan.id,
        summary,
    )
    .await
    .unwrap();
    assert!(matches!(
        plans::summarize(&source, &env, &cal(), actor, &case, &plan.id, summary).await,
        Err(AppError::Plan(PlanError::Summarized(_)))
    ));
    // Stored: the case read again has the plan, its record and its summary; the row too.
    let held = source.case(&case.id).await.unwrap().unwrap();
    assert_eq!(held.plans, case.plans);
    let rows = source.rows_where(|r| !r.plans.is_empty()).await.unwrap();
    assert!(rows[0].plans[0].summarized);

    let revised = {
        let mut r = plan_record();
        r.min_heads = Some(10);
        plans::revise(&source, &env, &unit(), &plan.id, r, "提高启动门槛")
            .await
            .unwrap()
    };
    let target = backed_up_into(&source, &env, "t-plans-restore").await;
    assert_eq!(plans::plans(&target).await.unwrap(), vec![revised]);
    assert_eq!(
        target.case(&case.id).await.unwrap().unwrap().plans,
        case.plans
    );
}

#[wasm_bindgen_test]
async fn a_case_and_an_item_owned_by_one_leader_count_on_the_leader_s_figures() {
    let store = fresh("t-leaders").await;
    store.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 700);
    let case = register_and_link(
        &store,
        &env,
        &cal(),
        &unit(),
        petition("拖欠工资"),
        None,
        None,
        &[],
    )
    .await
    .unwrap()
    .state;
    let actor = unit().actor();
    let case = leaders::assign(&store, &env, &cal(), actor.clone(), &case, "李副县长")
        .await
        .unwrap();
    assert!(matches!(
        leaders::assign(&store, &env, &cal(), actor.clone(), &case, "李副县长").await,
        Err(AppError::Leader(LeaderError::Same(_)))
    ));
    let case = leaders::instruct(
        &store,
        &env,
        &cal(),
        actor,
        &case,
        ("赵县长", "请人社局三日内答复"),
    )
    .await
    .unwrap();
    // Stored: read again, the case keeps its leader and its 批示.
    let held = store.case(&case.id).await.unwrap().unwrap();
    assert_eq!(held.leader.as_deref(), Some("李副县长"));
    assert_eq!(held.instructions.len(), 1);
    screening::record(&store, &env, &unit(), record("王五"))
        .await
        .unwrap();
    let today = at(0).china_date();
    let figures = leaders::figures(&store, today).await.unwrap();
    let li = figures.iter().find(|f| f.name == "李副县长").unwrap();
    assert_eq!(li.owned, vec![case.case_no.clone()]);
    assert_eq!(li.open.len(), 1);
    assert_eq!(
        (li.items, li.items_open),
        (1, 1),
        "the item's 包案领导 is the same leader"
    );
    let zhao = figures.iter().find(|f| f.name == "赵县长").unwrap();
    assert_eq!(zhao.instructed, vec![case.case_no]);
}

#[wasm_bindgen_test]
async fn a_visit_on_a_reception_day_is_received_by_the_leader_and_kept_by_a_backup() {
    let store = fresh("t-receptions").await;
    store.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 900);
    let today = at(0).china_date();
    let day = ReceptionDraft {
        leader: "李明（副县长）".into(),
        day: today.to_string(),
        place: "县信访局接待大厅".into(),
        topics: String::new(),
    }
    .validate(today)
    .unwrap();
    let r = receptions::record(&store, &env, &unit(), day)
        .await
        .unwrap();
    assert_eq!(
        receptions::on(&store, today).await.unwrap(),
        vec![r.clone()]
    );
    let mut p = petition("邻里纠纷");
    p.channel = xinfang::domain::vocab::Channel::Visit;
    let case = register_and_link(&store, &env, &cal(), &unit(), p, None, None, &[])
        .await
        .unwrap()
        .state;
    let actor = unit().actor();
    let case = leaders::receive(&store, &env, &cal(), actor.clone(), &case, &r.id)
        .await
        .unwrap();
    assert!(matches!(
        leaders::receive(&store, &env, &cal(), actor, &case, &r.id).await,
        Err(AppError::Leader(LeaderError::AlreadyReceived(_)))
    ));
    let f = leaders::figures(&store, today).await.unwrap();
    assert_eq!(
        (f[0].reception_days, f[0].received.clone()),
        (1, vec![case.case_no.clone()])
    );

    let target = backed_up_into(&store, &env, "t-receptions-restore").await;
    assert_eq!(receptions::all(&target).await.unwrap(), vec![r]);
    let held = target.case(&case.id).await.unwrap().unwrap();
    assert_eq!(held.received_by.as_deref(), Some("李明（副县长）"));
}

#[wasm_bindgen_test]
async fn an_agreement_is_signed_once_per_party_and_year_revised_and_kept_by_a_backup() {
    let store = fresh("t-agreements").await;
    store.save_profile(&unit()).await.unwrap();
    let env = TestEnv::at(at(0), 950);
    let today = at(0).china_date();
    let draft = AgreementDraft {
        kind: Some(PartyKind::Township),
        party: "城关镇".into(),
        year: today.format("%Y").to_string(),
        targets: [
            (Goal::Group, "0".to_owned()),
            (Goal::OnTimeAnswer, "90".into()),
        ]
        .into_iter()
        .collect(),
        signed_on: today.to_string(),
        county_signatory: "赵振华（县长）".into(),
        party_signatory: "钱进（镇长）".into(),
    };
    let signed = draft.validate(today).unwrap();
    let a = agreements::record(&store, &env, &unit(), signed.clone(), None)
        .await
        .unwrap();
    assert!(matches!(
        agreements::record(&store, &env, &unit(), signed.clone(), None).await,
        Err(AppError::DuplicateAgreement(_))
    ));
    let mut changed = signed.clone();
    changed.targets[1].bound = 1;
    assert!(matches!(
        agreements::revise(&store, &env, &unit(), &a.id, changed.clone(), " ").await,
        Err(AppError::Revision(RevisionError::NoReason))
    ));
    let a = agreements::revise(
        &store,
        &env,
        &unit(),
        &a.id,
        changed.clone(),
        "县政府调整指标",
    )
    .await
    .unwrap();
    assert_eq!((a.record.clone(), a.events.len()), (changed, 2));

    let target = backed_up_into(&store, &env, "t-agreements-restore").await;
    assert_eq!(agreements::all(&target).await.unwrap(), vec![a.clone()]);
    assert_eq!(agreements::one(&target, &a.id).await.unwrap(), Some(a));
}
