//! Hash routing (`#/case/…`): it needs no server rewrite rules, so links and reloads
//! work at a site root, under any sub-path, and from a file opened on disk.

use crate::domain::documents::DocKind;
use crate::domain::ids::EntryId;
use crate::domain::CaseId;

/// A page of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The case list (home).
    Cases,
    /// Register a new case.
    New,
    /// The unit's workbench: what is due.
    Workbench,
    /// Exchange with other units: unit cards, import, trusted units.
    Exchange,
    /// 导入台账: an existing Excel or CSV ledger brought in as cases.
    LedgerImport,
    /// The leadership dashboard.
    Dashboard,
    /// The one-page monthly report of a month `YYYY-MM`.
    Report(String),
    /// One case with its history.
    Case(CaseId),
    /// Correct a registered case.
    Correct(CaseId),
    /// A printable document of a case.
    Document(CaseId, DocKind),
    /// One document of each of several cases, printed as one job.
    PrintBatch(DocKind, Vec<CaseId>),
    /// Unit settings and storage.
    Settings,
    /// 排查台账: the screening register.
    Screening,
    /// Record a new screening item.
    NewItem,
    /// One screening item with its follow-ups and history.
    Item(EntryId),
    /// Register a case from a screening item, the form filled from it.
    ConvertItem(EntryId),
    /// 应急预案: the register of emergency plans.
    Plans,
    /// Record a new emergency plan.
    NewPlan,
    /// One emergency plan with its history.
    Plan(EntryId),
    /// The printable 事后总结 of a plan started on a case.
    PlanSummary(CaseId, EntryId),
    /// 领导包案: the figures per leader.
    Leaders,
    /// 领导接待日: the schedule.
    Receptions,
    /// One reception day with its changes.
    Reception(EntryId),
    /// 信访工作责任状: the year's agreements and their 考核表.
    Agreements,
    /// Record a new agreement.
    NewAgreement,
    /// One agreement with its 考核表 and history.
    Agreement(EntryId),
    /// One agreement laid out for printing, its 考核表 on the next page.
    AgreementPrint(EntryId),
    /// The 考核表 of every agreement of a year, for printing.
    Scoresheet(i32),
    /// The citizen's page: guide, online petition, replies. Never opens office data.
    Petition,
    /// Anything else.
    NotFound,
}

impl Route {
    /// Parses `location.hash`.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] | ["cases"] => Route::Cases,
            ["new"] => Route::New,
            ["workbench"] => Route::Workbench,
            ["exchange"] => Route::Exchange,
            ["import-ledger"] => Route::LedgerImport,
            ["dashboard"] => Route::Dashboard,
            ["report", month] => Route::Report((*month).to_owned()),
            ["settings"] => Route::Settings,
            ["screening"] => Route::Screening,
            ["screening", "new"] => Route::NewItem,
            ["screening", id] => EntryId::parse(id).map_or(Route::NotFound, Route::Item),
            ["screening", id, "convert"] => {
                EntryId::parse(id).map_or(Route::NotFound, Route::ConvertItem)
            }
            ["plans"] => Route::Plans,
            ["plans", "new"] => Route::NewPlan,
            ["plans", id] => EntryId::parse(id).map_or(Route::NotFound, Route::Plan),
            ["case", id, "plan", plan] => match (CaseId::parse(id), EntryId::parse(plan)) {
                (Some(id), Some(plan)) => Route::PlanSummary(id, plan),
                _ => Route::NotFound,
            },
            ["leaders"] => Route::Leaders,
            ["receptions"] => Route::Receptions,
            ["receptions", id] => EntryId::parse(id).map_or(Route::NotFound, Route::Reception),
            ["agreements"] => Route::Agreements,
            ["agreements", "new"] => Route::NewAgreement,
            ["agreements", "sheet", year] => {
                year.parse().map_or(Route::NotFound, Route::Scoresheet)
            }
            ["agreements", id] => EntryId::parse(id).map_or(Route::NotFound, Route::Agreement),
            ["agreements", id, "print"] => {
                EntryId::parse(id).map_or(Route::NotFound, Route::AgreementPrint)
            }
            ["petition"] => Route::Petition,
            ["case", id] => CaseId::parse(id).map_or(Route::NotFound, Route::Case),
            ["case", id, "correct"] => CaseId::parse(id).map_or(Route::NotFound, Route::Correct),
            ["case", id, "doc", kind] => match (CaseId::parse(id), DocKind::from_key(kind)) {
                (Some(id), Some(kind)) => Route::Document(id, kind),
                _ => Route::NotFound,
            },
            ["print", kind, ids] => {
                let ids: Option<Vec<CaseId>> = ids.split(',').map(CaseId::parse).collect();
                match (DocKind::from_key(kind), ids) {
                    (Some(kind), Some(ids)) if !ids.is_empty() => Route::PrintBatch(kind, ids),
                    _ => Route::NotFound,
                }
            }
            _ => Route::NotFound,
        }
    }

    /// The link to this page.
    pub fn href(&self) -> String {
        match self {
            Route::Cases | Route::NotFound => "#/cases".to_owned(),
            Route::New => "#/new".to_owned(),
            Route::Workbench => "#/workbench".to_owned(),
            Route::Exchange => "#/exchange".to_owned(),
            Route::LedgerImport => "#/import-ledger".to_owned(),
            Route::Dashboard => "#/dashboard".to_owned(),
            Route::Report(month) => format!("#/report/{month}"),
            Route::Settings => "#/settings".to_owned(),
            Route::Screening => "#/screening".to_owned(),
            Route::NewItem => "#/screening/new".to_owned(),
            Route::Item(id) => format!("#/screening/{id}"),
            Route::ConvertItem(id) => format!("#/screening/{id}/convert"),
            Route::Plans => "#/plans".to_owned(),
            Route::NewPlan => "#/plans/new".to_owned(),
            Route::Plan(id) => format!("#/plans/{id}"),
            Route::PlanSummary(id, plan) => format!("#/case/{id}/plan/{plan}"),
            Route::Leaders => "#/leaders".to_owned(),
            Route::Receptions => "#/receptions".to_owned(),
            Route::Reception(id) => format!("#/receptions/{id}"),
            Route::Agreements => "#/agreements".to_owned(),
            Route::NewAgreement => "#/agreements/new".to_owned(),
            Route::Agreement(id) => format!("#/agreements/{id}"),
            Route::AgreementPrint(id) => format!("#/agreements/{id}/print"),
            Route::Scoresheet(year) => format!("#/agreements/sheet/{year}"),
            Route::Petition => "#/petition".to_owned(),
            Route::Case(id) => format!("#/case/{id}"),
            Route::Correct(id) => format!("#/case/{id}/correct"),
            Route::Document(id, kind) => format!("#/case/{id}/doc/{}", kind.key()),
            Route::PrintBatch(kind, ids) => format!(
                "#/print/{}/{}",
                kind.key(),
                ids.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    /// The top bar's entry this page is under (its page is highlighted there).
    pub fn section(&self) -> Route {
        match self {
            Route::Report(_) => Route::Dashboard,
            Route::Case(_)
            | Route::LedgerImport
            | Route::Correct(_)
            | Route::Document(..)
            | Route::PrintBatch(..)
            | Route::PlanSummary(..) => Route::Cases,
            Route::NewItem | Route::Item(_) | Route::ConvertItem(_) => Route::Screening,
            Route::NewPlan | Route::Plan(_) => Route::Plans,
            Route::Receptions | Route::Reception(_) => Route::Leaders,
            Route::NewAgreement
            | Route::Agreement(_)
            | Route::AgreementPrint(_)
            | Route::Scoresheet(_) => Route::Agreements,
            other => other.clone(),
        }
    }

    /// The page the address bar shows now.
    pub fn current() -> Route {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        Route::parse(&hash)
    }

    /// Goes to this page (the `hashchange` listener updates the view).
    pub fn go(&self) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(&self.href());
        }
    }
}
