//! The working registers as tables (the 排查台账 as a clerk keeps it in Excel, and its
//! figures), for export and print; what each column means is the domain's.

use super::{Cell, Table};
use chrono::NaiveDate;

use crate::domain::leaders::LeaderFigures;
use crate::domain::registers::agreements::{Agreement, Scorecard};
use crate::domain::registers::plans::Plan;
use crate::domain::registers::receptions::Reception;
use crate::domain::registers::screening::{Risk, ScreeningField, ScreeningFigures, ScreeningItem};
use crate::domain::response::PlanRow;
use crate::domain::search::CaseSummary;

/// The screening register as a ledger: one row per item, every field, its status, the
/// latest follow-up and the case it became.
pub fn screening_table(items: &[&ScreeningItem]) -> Table {
    let mut header: Vec<String> = vec!["序号".into()];
    header.extend(ScreeningField::ALL.iter().map(|f| f.label().to_owned()));
    header.extend(["状态", "最新跟进", "转为案件", "登记单位"].map(str::to_owned));
    Table {
        name: "矛盾纠纷排查台账".into(),
        header,
        rows: items
            .iter()
            .enumerate()
            .map(|(n, i)| {
                let mut row = vec![Cell::from(n + 1)];
                row.extend(i.record.rows().into_iter().map(|(f, v)| match f {
                    ScreeningField::HeadCount => Cell::Number(i64::from(i.record.head_count)),
                    _ => Cell::from(v),
                }));
                row.push(Cell::from(i.status.label()));
                row.push(Cell::from(
                    i.follow_ups
                        .last()
                        .map(|f| format!("{} {}（{}）", f.on, f.text, f.outcome.label()))
                        .unwrap_or_default(),
                ));
                row.push(Cell::from(
                    i.case.as_ref().map(|c| c.1.clone()).unwrap_or_default(),
                ));
                row.push(Cell::from(i.recorded_by.unit_name.as_str()));
                row
            })
            .collect(),
    }
}

/// The screening figures of a period by township: found, resolved, 排查化解率.
pub fn screening_figures_table(f: &ScreeningFigures) -> Table {
    let mut rows: Vec<Vec<Cell>> = f
        .by_township
        .iter()
        .map(|(t, r)| {
            vec![
                Cell::from(t.as_str()),
                Cell::from(r.den),
                Cell::from(r.num),
                Cell::Rate(*r),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::from("合计"),
        Cell::from(f.found),
        Cell::from(f.resolved.num),
        Cell::Rate(f.resolved),
    ]);
    Table {
        name: "排查化解".into(),
        header: ["乡镇", "排查发现", "已化解", "排查化解率"]
            .map(str::to_owned)
            .to_vec(),
        rows,
    }
}

/// Items found in a period by risk, highest first.
pub fn by_risk(f: &ScreeningFigures) -> Vec<(Risk, usize)> {
    Risk::ALL
        .iter()
        .map(|r| (*r, f.by_risk.get(r).copied().unwrap_or(0)))
        .collect()
}

/// The emergency plans as a register: one row per plan, when it applies, who acts, the
/// steps.
pub fn plans_table(plans: &[&Plan]) -> Table {
    Table {
        name: "应急预案".into(),
        header: [
            "序号",
            "预案名称",
            "适用条件",
            "责任单位及联系人",
            "处置步骤",
            "制定单位",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: plans
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let r = &p.record;
                vec![
                    Cell::from(n + 1),
                    Cell::from(r.name.as_str()),
                    Cell::from(r.conditions()),
                    Cell::from(r.units.as_str()),
                    Cell::from(r.steps.as_str()),
                    Cell::from(p.recorded_by.unit_name.as_str()),
                ]
            })
            .collect(),
    }
}

/// The plans started in a period, one row per case and plan, with whether the 事后总结
/// is in.
pub fn plans_started_table(started: &[(&CaseSummary, &PlanRow)], today: NaiveDate) -> Table {
    Table {
        name: "启动的应急预案".into(),
        header: ["启动日期", "预案", "案件编号", "信访事项", "事后总结"]
            .map(str::to_owned)
            .to_vec(),
        rows: started
            .iter()
            .map(|(c, p)| {
                vec![
                    Cell::Date(p.started_on),
                    Cell::from(p.name.as_str()),
                    Cell::from(c.case_no.as_str()),
                    Cell::from(c.title.as_str()),
                    Cell::from(p.summary_state(today)),
                ]
            })
            .collect(),
    }
}

/// The figures per leader: reception days, visits received, cases owned, open, overdue, resolved, instructed, and the
/// screening items owned.
pub fn leaders_table(list: &[LeaderFigures]) -> Table {
    Table {
        name: "领导包案".into(),
        header: [
            "领导",
            "接待日",
            "接访件数",
            "包案件数",
            "在办",
            "超期",
            "已办结",
            "批示件数",
            "包案排查事项",
            "其中未化解",
            "包案案件编号",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: list
            .iter()
            .map(|f| {
                vec![
                    Cell::from(f.name.as_str()),
                    Cell::from(f.reception_days),
                    Cell::from(f.received.len()),
                    Cell::from(f.owned.len()),
                    Cell::from(f.open.len()),
                    Cell::from(f.overdue.len()),
                    Cell::from(f.resolved.len()),
                    Cell::from(f.instructed.len()),
                    Cell::from(f.items),
                    Cell::from(f.items_open),
                    Cell::from(f.owned.join("、")),
                ]
            })
            .collect(),
    }
}

/// The reception days as a schedule.
pub fn receptions_table(days: &[&Reception]) -> Table {
    Table {
        name: "领导接待日".into(),
        header: ["接待日期", "接访领导", "接待地点", "接待事项"]
            .map(str::to_owned)
            .to_vec(),
        rows: days
            .iter()
            .map(|r| {
                let d = &r.record;
                vec![
                    Cell::Date(d.day),
                    Cell::from(d.leader.as_str()),
                    Cell::from(d.place.as_str()),
                    Cell::from(d.topics.as_str()),
                ]
            })
            .collect(),
    }
}

/// The year's 考核表: one row per target of each agreement, target beside actual.
pub fn scoresheet_table(cards: &[(&Agreement, &Scorecard)]) -> Table {
    Table {
        name: "责任状考核表".into(),
        header: [
            "年度",
            "责任单位",
            "类型",
            "考核指标",
            "目标",
            "实际",
            "结果",
            "相关事项数",
            "签订日期",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: cards
            .iter()
            .flat_map(|(a, card)| {
                let r = &a.record;
                card.rows.iter().map(move |s| {
                    vec![
                        Cell::Number(i64::from(r.year)),
                        Cell::from(r.party.as_str()),
                        Cell::from(r.kind.label()),
                        Cell::from(s.target.goal.label()),
                        Cell::from(s.target.goal.bound_text(s.target.bound)),
                        Cell::from(s.actual.text()),
                        Cell::from(s.verdict.label()),
                        Cell::from(s.behind.len()),
                        Cell::Date(r.signed_on),
                    ]
                })
            })
            .collect(),
    }
}
