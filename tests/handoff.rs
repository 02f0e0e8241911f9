//! Browser tests of a case worked by two units, each in its own database: the county
//! forwards, the township receives (签收 recorded with the import), accepts, answers and
//! reports back; the county sees the answer and takes the 复查 one level up, and copies
//! the case to a third unit, which sees who wrote each event by its author's signature.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use wasm_bindgen_test::*;
use xinfang::app::case::record_step;
use xinfang::app::error::AppError;
use xinfang::app::progress::Unwatched;
use xinfang::app::register::register_and_link;
use xinfang::app::transfer::{self, Found};
use xinfang::app::trust::trust_card;
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::event::EventBody;
use xinfang::domain::workbench::{bucket, Bucket};
use xinfang::domain::workflow::{OpinionKind, Routing, RuleError, Stage, Step, StepKind};
use xinfang::domain::{CaseState, UnitProfile};
use xinfang::exchange::authors::Authorship;
use xinfang::exchange::card::UnitCard;
use xinfang::exchange::envelope::Identity;
use xinfang::exchange::transfer::Purpose;
use xinfang::store::Store;

use util::{at, fresh, petition, township, unit, TestEnv};

wasm_bindgen_test_configure!(run_in_browser);

fn cal() -> WorkCalendar {
    WorkCalendar::official()
}

/// Exports `case` from `from` to `to`, trusted there, and imports it; the preview.
async fn hand(
    from: (&Store, &UnitProfile, &Identity),
    to: (&Store, &UnitProfile, &Identity),
    env: &TestEnv,
    purpose: Purpose,
    case: &CaseState,
) -> transfer::Preview {
    let card = UnitCard::of(to.1, to.2);
    let file = transfer::export(
        from.0,
        env,
        from.1,
        from.2,
        &card,
        purpose,
        std::slice::from_ref(&case.id),
    )
    .await
    .unwrap();
    let Ok(Found::Transfer(v)) = transfer::verify_file(
        file.text.as_bytes(),
        &xinfang::exchange::recipient::Decryptor::of(to.2),
        |_, _| {},
    )
    .await
    else {
        panic!("a transfer");
    };
    let preview = transfer::preview(to.0, env, to.1, *v).await.unwrap();
    trust_card(to.0, env, preview.claimed_card(), None)
        .await
        .unwrap();
    transfer::import(to.0, env, &cal(), to.1, &preview, &Unwatched)
        .await
        .unwrap();
    preview
}

#[wasm_bindgen_test]
async fn a_forwarded_case_is_received_accepted_and_answered_at_the_township() {
    let county = fresh("ho-county").await;
    let town = fresh("ho-town").await;
    let (county_key, town_key) = (Identity::from_seed([1; 32]), Identity::from_seed([2; 32]));
    let (a, b) = (unit(), township());
    let day0 = TestEnv::at(at(0), 1);
    // The county trusts the township, so a 转送 to it by name records its code.
    trust_card(&county, &day0, UnitCard::of(&b, &town_key), None)
        .await
        .unwrap();
    let case = register_and_link(
        &county,
        &day0,
        &cal(),
        &a,
        petition("道路"),
        None,
        None,
        &[],
    )
    .await
    .unwrap()
    .state;
    let forward = Step::Route {
        routing: Routing::Forward {
            to: b.name.clone(),
            to_code: None,
        },
        on: at(0).china_date(),
    };
    let case = record_step(&county, &day0, &cal(), a.actor(), &case, forward)
        .await
        .unwrap();
    assert!(matches!(
        &case.flow.routing,
        Some((Routing::Forward { to_code: Some(c), .. }, _)) if c == "CGZ01"
    ));
    // The county may not accept for the township.
    let refused = record_step(
        &county,
        &day0,
        &cal(),
        a.actor(),
        &case,
        Step::Accept {
            on: at(0).china_date(),
        },
    )
    .await;
    assert!(matches!(
        refused,
        Err(AppError::Rule(RuleError::NotYourPart { .. }))
    ));

    // An hour later the township imports it: the preview names the receipt, and the
    // import records it.
    let later = TestEnv::at(at(60), 1000);
    let preview = hand(
        (&county, &a, &county_key),
        (&town, &b, &town_key),
        &later,
        Purpose::Forward,
        &case,
    )
    .await;
    assert_eq!(preview.plan.receipts, std::slice::from_ref(&case.id));
    let here = town.case(&case.id).await.unwrap().unwrap();
    let receipt = here.events.last().unwrap();
    assert_eq!(receipt.actor.unit_code, "CGZ01");
    assert!(matches!(
        receipt.body,
        EventBody::Step {
            step: Step::Receive { .. }
        }
    ));
    assert_eq!(here.flow.stage_label_for(b.viewer()), "待受理");
    let rows = town.open_cases().await.unwrap();
    let today = at(60).china_date();
    assert_eq!(
        bucket(&rows, Bucket::AwaitingAcceptance, today, b.viewer()).len(),
        1
    );
    let rows_at_county = county.open_cases().await.unwrap();
    assert_eq!(
        bucket(&rows_at_county, Bucket::Elsewhere, today, a.viewer()).len(),
        1,
        "the county tracks it until the answer comes back"
    );

    // The township accepts, tells the petitioner and answers.
    let on = today;
    let mut here = here;
    for step in [
        Step::Accept { on },
        Step::NotifyAcceptance { on },
        Step::Opinion {
            kind: OpinionKind::Support,
            facts: "路面破损属实".into(),
            basis: "有关规定".into(),
            delivered_on: on,
        },
    ] {
        here = record_step(&town, &later, &cal(), b.actor(), &here, step)
            .await
            .unwrap();
    }
    assert_eq!(here.flow.stage, Stage::Answered);
    assert!(!here
        .flow
        .allowed_for(b.viewer())
        .contains(&StepKind::ReviewOpinion));

    // Back at the county, two hours on: the answer shows, and the 复查 is the county's.
    let after = TestEnv::at(at(120), 2000);
    hand(
        (&town, &b, &town_key),
        (&county, &a, &county_key),
        &after,
        Purpose::Report,
        &here,
    )
    .await;
    let there = county.case(&case.id).await.unwrap().unwrap();
    assert_eq!(there.flow.stage, Stage::Answered);
    assert_eq!(
        there.flow.answered_by.as_ref().map(|p| p.name.as_str()),
        Some("城关镇人民政府")
    );
    assert!(there
        .flow
        .allowed_for(a.viewer())
        .contains(&StepKind::RequestReview));
    let review = Step::RequestReview {
        reason: "不服".into(),
        reviewer: String::new(),
        on: at(120).china_date(),
    };
    let refused = record_step(&town, &after, &cal(), b.actor(), &here, review.clone()).await;
    assert!(matches!(
        refused,
        Err(AppError::Rule(RuleError::ReviewGoesUp(_)))
    ));
    let there = record_step(&county, &after, &cal(), a.actor(), &there, review)
        .await
        .unwrap();
    assert_eq!(there.flow.stage, Stage::InReview);

    // The county copies the case to a bureau: the township's events travel with the
    // township's signatures, relayed unchanged. The bureau trusts the county (the
    // sender), not yet the township, whose events it shows unverified until it does.
    let bureau = fresh("ho-bureau").await;
    let bureau_key = Identity::from_seed([3; 32]);
    let c = UnitProfile {
        name: "某某县公安局".into(),
        code: "GA01".into(),
        ..township()
    };
    let preview = hand(
        (&county, &a, &county_key),
        (&bureau, &c, &bureau_key),
        &after,
        Purpose::Copy,
        &there,
    )
    .await;
    let by_town = there
        .events
        .iter()
        .filter(|e| e.actor.unit_code == "CGZ01")
        .count();
    assert!(by_town >= 4);
    let only_county = bureau.directory().await.unwrap();
    assert_eq!(preview.unverified(&only_county), by_town);
    let authors = |p: &std::collections::BTreeMap<_, transfer::Provenance>, code: &str| {
        there
            .events
            .iter()
            .filter(|e| e.actor.unit_code == code)
            .map(|e| p[&e.id].author.clone())
            .collect::<Vec<_>>()
    };
    let seen = transfer::provenance(&bureau, &case.id).await.unwrap();
    assert_eq!(seen.len(), there.events.len());
    assert!(authors(&seen, "XF01").iter().all(Authorship::is_verified));
    assert!(authors(&seen, "CGZ01").iter().all(|a| matches!(
        a,
        Authorship::Unknown { fingerprint } if *fingerprint == town_key.public_key().fingerprint()
    )));
    trust_card(&bureau, &after, UnitCard::of(&b, &town_key), None)
        .await
        .unwrap();
    let seen = transfer::provenance(&bureau, &case.id).await.unwrap();
    assert!(authors(&seen, "CGZ01").iter().all(Authorship::is_verified));
}

/// Exports the screening items `ids` from `from` to `to`, verifies and previews them there.
async fn preview_items(
    from: (&Store, &UnitProfile, &Identity),
    to: (&Store, &UnitProfile, &Identity),
    env: &TestEnv,
    purpose: Purpose,
    ids: &[xinfang::domain::ids::EntryId],
) -> transfer::Preview {
    let card = UnitCard::of(to.1, to.2);
    let file = transfer::export_items(from.0, env, from.1, from.2, &card, purpose, ids)
        .await
        .unwrap();
    let Ok(Found::Transfer(v)) = transfer::verify_file(
        file.text.as_bytes(),
        &xinfang::exchange::recipient::Decryptor::of(to.2),
        |_, _| {},
    )
    .await
    else {
        panic!("a transfer");
    };
    transfer::preview(to.0, env, to.1, *v).await.unwrap()
}

#[wasm_bindgen_test]
async fn a_screening_item_is_handed_to_the_township_and_its_follow_up_reported_back() {
    use chrono::NaiveDate;
    use xinfang::app::screening;
    use xinfang::domain::registers::screening::{
        ItemError, ItemStatus, Outcome, Risk, ScreeningDraft,
    };
    use xinfang::domain::vocab::Category;

    let county = fresh("hi-county").await;
    let town = fresh("hi-town").await;
    let (county_key, town_key) = (Identity::from_seed([1; 32]), Identity::from_seed([2; 32]));
    let (a, b) = (unit(), township());
    let env = TestEnv::at(at(0), 300);
    let record = ScreeningDraft {
        found_on: "2026-11-20".into(),
        township: "城关镇".into(),
        category: Some(Category::LandExpropriation),
        parties: "张三、李四等".into(),
        head_count: "12".into(),
        matter: "东村征地补偿款分配不均，村民拟集体上访".into(),
        risk: Some(Risk::High),
        responsible: "城关镇人民政府".into(),
        leader: "李副县长".into(),
        measures: "镇村干部逐户走访".into(),
        deadline: "2026-12-10".into(),
        ..ScreeningDraft::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
    .unwrap();
    let item = screening::record(&county, &env, &a, record).await.unwrap();
    let ids = std::slice::from_ref(&item.id);

    // 交办: the township sees a new item, trusts the county, imports it once.
    let p = preview_items(
        (&county, &a, &county_key),
        (&town, &b, &town_key),
        &env,
        Purpose::Assign,
        ids,
    )
    .await;
    assert_eq!(p.item_plan.new_items, vec![item.record.title()]);
    trust_card(&town, &env, p.claimed_card(), None)
        .await
        .unwrap();
    let added = transfer::import(&town, &env, &cal(), &b, &p, &Unwatched)
        .await
        .unwrap();
    assert_eq!(added, 1);
    let there = screening::item(&town, &item.id).await.unwrap().unwrap();
    assert_eq!(there.record, item.record);
    let seen = transfer::item_provenance(&town, &there).await.unwrap();
    assert!(seen.values().all(|p| p.author.is_verified()));
    assert_eq!(seen.len(), 1);
    let again = transfer::import(&town, &env, &cal(), &b, &p, &Unwatched)
        .await
        .unwrap();
    assert_eq!(again, 0, "importing twice adds nothing");

    // The township follows it up; it may not revise the county's record.
    let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let later = TestEnv::at(at(60), 400);
    screening::follow_up(
        &town,
        &later,
        &b,
        &item.id,
        (d, "镇里公开补偿明细，村民认可", Outcome::Resolved),
    )
    .await
    .unwrap();
    let refused = screening::revise(&town, &later, &b, &item.id, item.record.clone(), "改").await;
    assert!(matches!(
        refused,
        Err(AppError::Item(ItemError::NotRecorder(_)))
    ));
    // The arrival of the county's record is kept through the township's own change.
    let kept = screening::item(&town, &item.id).await.unwrap().unwrap();
    assert_eq!(
        transfer::item_provenance(&town, &kept).await.unwrap().len(),
        1
    );

    // 报告: the county sees one new record on its item and imports it once.
    trust_card(&county, &later, UnitCard::of(&b, &town_key), None)
        .await
        .unwrap();
    let back = preview_items(
        (&town, &b, &town_key),
        (&county, &a, &county_key),
        &later,
        Purpose::Report,
        ids,
    )
    .await;
    assert_eq!(back.item_plan.updated_items, vec![(item.record.title(), 1)]);
    assert_eq!(back.unverified(&county.directory().await.unwrap()), 0);
    transfer::import(&county, &later, &cal(), &a, &back, &Unwatched)
        .await
        .unwrap();
    let home = screening::item(&county, &item.id).await.unwrap().unwrap();
    assert_eq!(home.status, ItemStatus::Resolved);
    assert_eq!(home.follow_ups[0].by.unit_code, "CGZ01");
    assert_eq!(
        transfer::import(&county, &later, &cal(), &a, &back, &Unwatched)
            .await
            .unwrap(),
        0
    );
}
