//! The app shell: the citizen's page or the office app by address; the office app opens
//! its database, provides the context every page reads, and routes.

use std::rc::Rc;

use leptos::prelude::*;

use crate::ui::late::IfAlive;
use leptos::task::spawn_local;

use crate::app::env::Browser;
use crate::app::office::{self, Key};
use crate::domain::calendar::WorkCalendar;
use crate::domain::unit::UnitProfile;
use crate::exchange::backup::reminder;
use crate::exchange::envelope::Identity;
use crate::exchange::secret::SealedKey;
use crate::platform::{clock, page, storage};
use crate::store::Store;
use crate::store::{DB_NAME, DEMO_DB_NAME};
use crate::ui::citizen::CitizenApp;
use crate::ui::context::Ctx;
use crate::ui::lock::{lock, lock_when_idle, ProtectScreen, UnlockScreen};
use crate::ui::pages::agreements::agreement::AgreementPage;
use crate::ui::pages::agreements::form::NewAgreementPage;
use crate::ui::pages::agreements::print::{AgreementPrintPage, ScoresheetPage};
use crate::ui::pages::agreements::AgreementsPage;
use crate::ui::pages::case::correct::CorrectPage;
use crate::ui::pages::case::document::{DocumentPage, PrintBatchPage};
use crate::ui::pages::case::plans::PlanSummaryPage;
use crate::ui::pages::case::CasePage;
use crate::ui::pages::dashboard::DashboardPage;
use crate::ui::pages::exchange::ExchangePage;
use crate::ui::pages::leaders::LeadersPage;
use crate::ui::pages::ledger_import::LedgerImportPage;
use crate::ui::pages::list::ListPage;
use crate::ui::pages::plans::form::NewPlanPage;
use crate::ui::pages::plans::plan::PlanPage;
use crate::ui::pages::plans::PlansPage;
use crate::ui::pages::receptions::{ReceptionPage, ReceptionsPage};
use crate::ui::pages::register::RegisterPage;
use crate::ui::pages::report::ReportPage;
use crate::ui::pages::screening::form::NewItemPage;
use crate::ui::pages::screening::item::ItemPage;
use crate::ui::pages::screening::ScreeningPage;
use crate::ui::pages::settings::SettingsPage;
use crate::ui::pages::workbench::WorkbenchPage;
use crate::ui::route::Route;

/// What the office app opened, waiting for its key.
struct Opened {
    store: Rc<Store>,
    profile: Option<UnitProfile>,
    calendar: WorkCalendar,
    demo: bool,
}

impl Opened {
    /// The pages' context, once the key is open.
    fn ready(&self, identity: Identity) -> Ctx {
        Ctx {
            store: StoredValue::new_local(self.store.clone()),
            profile: RwSignal::new(self.profile.clone()),
            calendar: RwSignal::new(self.calendar.clone()),
            identity: StoredValue::new(identity),
            list_preset: RwSignal::new(None),
            demo: self.demo,
        }
    }
}

enum Boot {
    Opening,
    Failed(String),
    /// The key is sealed: the operator's passphrase first.
    Locked(Rc<Opened>, SealedKey),
    /// An older version's clear key: sealed under a new passphrase first.
    Protect(Rc<Opened>, Identity),
    Ready(Ctx),
}

/// The root component: the citizen's page or the office app, by address.
#[component]
pub fn App() -> impl IntoView {
    let (route, set_route) = signal(Route::current());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::current())
    });
    on_cleanup(move || listener.remove());
    // An office's citizen page (a single file with its config inside) is never the office app.
    let embedded = page::embedded_config().is_some();
    let citizen = Memo::new(move |_| embedded || route.get() == Route::Petition);
    let update = RwSignal::new(false);
    let offered = window_event_listener_untyped(page::UPDATE_EVENT, move |_| update.set(true));
    on_cleanup(move || offered.remove());
    view! {
        {move || update.get().then(|| view! {
            <div class="update-bar" role="status" data-testid="update">
                "新版本可用。" <span class="hint">"更新后页面会重新载入，已填写的草稿和全部数据都会保留。"</span>
                <button type="button" class="primary" on:click=move |_| page::apply_update()>"更新"</button>
            </div>
        })}
        {move || {
            if citizen.get() {
                view! { <CitizenApp /> }.into_any()
            } else {
                view! { <OfficeApp route=route /> }.into_any()
            }
        }}
    }
}

/// The office app: opens the office database, then shows setup or the pages.
#[component]
fn OfficeApp(route: ReadSignal<Route>) -> impl IntoView {
    let boot = RwSignal::new_local(Boot::Opening);
    spawn_local(async move {
        let demo = page::demo_mode();
        let name = if demo { DEMO_DB_NAME } else { DB_NAME };
        let next = match office::open(name, demo, &Browser).await {
            Err(e) => Boot::Failed(e.to_string()),
            Ok(o) => {
                let opened = Rc::new(Opened {
                    store: Rc::new(o.store),
                    profile: o.profile,
                    calendar: o.calendar,
                    demo,
                });
                match o.key {
                    Key::Locked(sealed) => Boot::Locked(opened, sealed),
                    // A unit set up by an older version, its key in clear.
                    Key::Unsealed(identity) if opened.profile.is_some() => {
                        Boot::Protect(opened, identity)
                    }
                    // First run: the setup seals the new key with the profile.
                    Key::Unsealed(identity) | Key::Open(identity) => {
                        Boot::Ready(opened.ready(identity))
                    }
                }
            }
        };
        boot.set_if_alive(next);
    });
    let open_with = move |opened: Rc<Opened>| {
        let opened = StoredValue::new_local(opened);
        Callback::new(move |identity: Identity| {
            boot.set(Boot::Ready(opened.with_value(|o| o.ready(identity))));
        })
    };
    move || {
        match &*boot.read() {
        Boot::Opening => view! { <p class="boot">"正在打开本地数据库…"</p> }.into_any(),
        Boot::Failed(m) => view! {
            <div class="fatal" role="alert">
                <h1>"无法打开本地数据库"</h1>
                <p>{m.clone()}</p>
            </div>
        }
        .into_any(),
        Boot::Locked(opened, sealed) => {
            let unit = opened.profile.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "本单位".into());
            view! { <UnlockScreen sealed=sealed.clone() unit=unit unlocked=open_with(opened.clone()) /> }.into_any()
        }
        Boot::Protect(opened, identity) => view! {
            <ProtectScreen store=opened.store.clone() identity=identity.clone() protected=open_with(opened.clone()) />
        }
        .into_any(),
        Boot::Ready(ctx) => view! { <Shell ctx=*ctx route=route /> }.into_any(),
    }
    }
}

#[component]
fn Shell(ctx: Ctx, route: ReadSignal<Route>) -> impl IntoView {
    provide_context(ctx);
    let persisted = RwSignal::new(None::<bool>);
    spawn_local(async move { persisted.set_if_alive(storage::persisted().await) });
    // The reminder counts events from the rows in memory (counting the events store of
    // a county takes seconds): first once they are loaded, then on every page change.
    let backup_hint = RwSignal::new(None::<String>);
    let refresh_hint = move || {
        let store = ctx.store();
        spawn_local(async move {
            let Some(now_count) = store.event_count_in_memory() else {
                return;
            };
            if let Ok(last) = store.last_backup().await {
                backup_hint.set_if_alive(reminder(
                    last.map(|(at, _)| at),
                    clock::now(),
                    last.map_or(0, |(_, n)| n),
                    now_count,
                ));
            }
        });
    };
    Effect::new(move |_| {
        route.track();
        refresh_hint();
    });
    // Load every row into memory once the first page is up, so the first search,
    // filter or dashboard does not wait for it.
    spawn_local(async move {
        clock::sleep_ms(800).await;
        while ctx.store().listing() {
            clock::sleep_ms(50).await;
        }
        if ctx.store().load_index().await.is_ok() {
            refresh_hint();
            // Cases changed one at a time go back into their chunks now and then; a
            // failure leaves them in the journal, where they are read just the same.
            let _ = ctx.store().tidy().await;
        }
    });
    // Another tab opened a newer version of the app: this one's connection is closed,
    // so it says so at once instead of failing on the next save.
    let outdated = RwSignal::new(ctx.store().outdated());
    ctx.store().on_outdated(move || outdated.set(true));
    let has_profile = Memo::new(move |_| ctx.profile.with(Option::is_some));
    // A set-up unit's key is sealed: the app locks itself when left alone. The demo's
    // key is made anew each opening and never stored: nothing to lock.
    if !ctx.demo && has_profile.get_untracked() {
        lock_when_idle();
    }
    move || {
        if !has_profile.get() {
            return view! {
                <main class="page narrow">
                    <SettingsPage first_run=true persisted=persisted />
                </main>
            }
            .into_any();
        }
        let who = move || {
            ctx.profile.with(|p| {
                p.as_ref()
                    .map(|p| format!("{} · {}", p.name, p.operator))
                    .unwrap_or_default()
            })
        };
        let active = move |r: Route| move || route.with(|cur| cur.section() == r);
        view! {
            {move || outdated.get().then(|| view! {
                <div class="msg bad outdated" role="alert" data-testid="outdated">
                    "本程序已在另一个标签页中更新，本页已停止读写数据，以免覆盖新版本的记录。请先复制尚未保存的内容，再"
                    <button type="button" class="primary" on:click=|_| page::reload()>"重新加载本页"</button>
                </div>
            })}
            {ctx.demo.then(|| view! {
                <div class="demo-strip" role="note" data-testid="demo-strip">
                    "演示模式：这里是生成的模拟案件，存放在单独的数据库中，与正式数据互不影响。"
                    <a href=page::page_path()>"退出演示"</a>
                </div>
            })}
            <header class="topbar" class:demo=ctx.demo>
                <a class="brand" href="#/cases">"信访案件管理"</a>
                <nav>
                    <a href="#/workbench" class:active=active(Route::Workbench)>"工作台"</a>
                    <a href="#/cases" class:active=active(Route::Cases)>"案件"</a>
                    <a href="#/dashboard" class:active=active(Route::Dashboard)>"看板"</a>
                    <a href="#/new" class:active=active(Route::New)>"登记"</a>
                    <a href="#/screening" class:active=active(Route::Screening)>"排查台账"</a>
                    <a href="#/plans" class:active=active(Route::Plans)>"应急预案"</a>
                    <a href="#/leaders" class:active=active(Route::Leaders)>"领导包案"</a>
                    <a href="#/agreements" class:active=active(Route::Agreements)>"责任状"</a>
                    <a href="#/exchange" class:active=active(Route::Exchange)>"交换"</a>
                    <a href="#/settings" class:active=active(Route::Settings)>"设置"</a>
                </nav>
                <span class="who">{who}</span>
                {move || (persisted.get() == Some(false)).then(|| view! { <a class="chip warn" href="#/settings">"存储未持久化"</a> })}
                {move || backup_hint.get().map(|h| view! { <a class="chip warn" href="#/settings" title=h data-testid="backup-reminder">"请备份"</a> })}
                {(!ctx.demo).then(|| view! {
                    <button type="button" class="lock-button" title="离开电脑时锁定：重新输入操作口令后才能继续" on:click=|_| lock()>"锁定"</button>
                })}
            </header>
            <main class="page">
                {move || match route.get() {
                    Route::Cases => view! { <ListPage /> }.into_any(),
                    Route::New => view! { <RegisterPage /> }.into_any(),
                    Route::Workbench => view! { <WorkbenchPage /> }.into_any(),
                    Route::Exchange => view! { <ExchangePage /> }.into_any(),
                    Route::LedgerImport => view! { <LedgerImportPage /> }.into_any(),
                    Route::Dashboard => view! { <DashboardPage /> }.into_any(),
                    Route::Report(month) => view! { <ReportPage month=month /> }.into_any(),
                    Route::Case(id) => view! { <CasePage id=id /> }.into_any(),
                    Route::Correct(id) => view! { <CorrectPage id=id /> }.into_any(),
                    Route::Document(id, kind) => view! { <DocumentPage id=id kind=kind /> }.into_any(),
                    Route::PrintBatch(kind, ids) => view! { <PrintBatchPage kind=kind ids=ids /> }.into_any(),
                    Route::Settings => view! { <SettingsPage first_run=false persisted=persisted /> }.into_any(),
                    Route::Screening => view! { <ScreeningPage /> }.into_any(),
                    Route::NewItem => view! { <NewItemPage /> }.into_any(),
                    Route::Item(id) => view! { <ItemPage id=id /> }.into_any(),
                    Route::ConvertItem(id) => view! { <RegisterPage from=id /> }.into_any(),
                    Route::Plans => view! { <PlansPage /> }.into_any(),
                    Route::Leaders => view! { <LeadersPage /> }.into_any(),
                    Route::Receptions => view! { <ReceptionsPage /> }.into_any(),
                    Route::Reception(id) => view! { <ReceptionPage id=id /> }.into_any(),
                    Route::NewPlan => view! { <NewPlanPage /> }.into_any(),
                    Route::Plan(id) => view! { <PlanPage id=id /> }.into_any(),
                    Route::PlanSummary(id, plan) => view! { <PlanSummaryPage id=id plan=plan /> }.into_any(),
                    Route::Agreements => view! { <AgreementsPage /> }.into_any(),
                    Route::NewAgreement => view! { <NewAgreementPage /> }.into_any(),
                    Route::Agreement(id) => view! { <AgreementPage id=id /> }.into_any(),
                    Route::AgreementPrint(id) => view! { <AgreementPrintPage id=id /> }.into_any(),
                    Route::Scoresheet(year) => view! { <ScoresheetPage year=year /> }.into_any(),
                    Route::NotFound | Route::Petition => view! {
                        <section class="card"><h1>"页面不存在"</h1><p><a href="#/cases">"返回案件列表"</a></p></section>
                    }
                    .into_any(),
                }}
            </main>
        }
        .into_any()
    }
}
