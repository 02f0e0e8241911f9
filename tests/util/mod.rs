//! What the browser tests share: a unit, a petition, fixed times and ids, a fresh
//! database, and an `Env` with a fixed clock and numbered randomness.
#![allow(dead_code)]

use std::cell::Cell;

use chrono::NaiveDate;
use xinfang::app::env::Env;
use xinfang::app::progress::Progress;
use xinfang::domain::authorship::{Importer, Via};
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::event::Event;
use xinfang::domain::petition::PetitionerDraft;
use xinfang::domain::vocab::{Category, Channel, PetitionType, UnitLevel};
use xinfang::domain::{CaseFilter, Petition, PetitionDraft, Timestamp, UnitProfile};
use xinfang::platform::random::NoRandomness;
use xinfang::store::{ImportError, Store};

/// The county office the tests act as.
pub fn unit() -> UnitProfile {
    UnitProfile {
        name: "某某县信访局".into(),
        level: UnitLevel::County,
        code: "XF01".into(),
        townships: vec!["城关镇".into(), "东岭乡".into()],
        departments: vec![],
        operator: "王五".into(),
        parent: String::new(),
    }
}

/// The township the county hands cases to; the county is its 上级单位.
pub fn township() -> UnitProfile {
    UnitProfile {
        name: "城关镇人民政府".into(),
        level: UnitLevel::Township,
        code: "CGZ01".into(),
        townships: vec!["城关镇".into()],
        departments: vec![],
        operator: "李四".into(),
        parent: "某某县信访局".into(),
    }
}

/// A valid petition of 张三 titled `title`.
pub fn petition(title: &str) -> Petition {
    PetitionDraft {
        channel: Some(Channel::Letter),
        petitioners: vec![PetitionerDraft {
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
            ..Default::default()
        }],
        title: title.into(),
        request: format!("关于{title}的请求"),
        category: Some(Category::Other),
        petition_type: Some(PetitionType::Claim),
        township: "城关镇".into(),
        ..Default::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
    .unwrap()
}

/// 16 bytes numbered `n`, for ids.
pub fn id(n: u32) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..4].copy_from_slice(&n.to_be_bytes());
    b
}

/// 2026-11-26 10:00 in Beijing, plus `n` minutes.
pub fn at(n: i64) -> Timestamp {
    Timestamp(1_795_658_400_000 + n * 60_000)
}

/// The database `name`, deleted and opened anew.
pub async fn fresh(name: &str) -> Store {
    Store::delete(name).await.unwrap();
    Store::open(name).await.unwrap()
}

/// A township importing the county's files, a day after the tests' cases were written.
pub const TOWNSHIP: Importer = Importer {
    unit_code: "CGZ01",
    unit_name: "城关镇人民政府",
    now: Timestamp(1_795_658_400_000 + 86_400_000),
};

/// How the tests' imported events arrive: a county's file.
pub fn via() -> Via {
    Via {
        file: "ab".repeat(32),
        signer: "0000 1111 2222 3333 4444".into(),
        unit: "某某县信访局".into(),
        at: Timestamp(1_795_658_400_000 + 86_400_000),
    }
}

/// Imports `events` as the township from a county's file (trusted, no signatures kept,
/// no receipts), to the end.
pub async fn import(store: &Store, events: &[Event]) -> Result<usize, ImportError> {
    store
        .import(
            &WorkCalendar::official(),
            events,
            &TOWNSHIP,
            &via(),
            &Default::default(),
            &Default::default(),
            |_| Ok(()),
            |_, _| true,
        )
        .await
}

/// A fixed clock and numbered "random" bytes, so operations run the same every time.
pub struct TestEnv {
    /// What `now` answers.
    pub now: Timestamp,
    drawn: Cell<u64>,
}

impl TestEnv {
    /// An env at `now`, drawing bytes numbered from `first`.
    pub fn at(now: Timestamp, first: u64) -> TestEnv {
        TestEnv {
            now,
            drawn: Cell::new(first),
        }
    }
}

impl Env for TestEnv {
    fn now(&self) -> Timestamp {
        self.now
    }

    fn random32(&self) -> Result<[u8; 32], NoRandomness> {
        let n = self.drawn.get() + 1;
        self.drawn.set(n);
        let mut b = [7u8; 32];
        b[..8].copy_from_slice(&n.to_be_bytes());
        Ok(b)
    }
}

/// Cancels once `after` steps are reported done.
pub struct CancelAfter {
    /// Steps done before the cancel.
    pub after: usize,
    /// Steps reported done so far.
    pub done: Cell<usize>,
}

impl Progress for CancelAfter {
    fn total(&self, _: usize) {}
    fn set(&self, done: usize) {
        self.done.set(done);
    }
    fn cancelled(&self) -> bool {
        self.done.get() >= self.after
    }
}

/// How many cases the list counts.
pub async fn total(store: &Store) -> usize {
    store
        .list(&CaseFilter::default(), 0, 20)
        .await
        .unwrap()
        .total
}
