//! The case ledger (台账) as a table: one row per case with every field a clerk records,
//! dates as dates, head counts as numbers, several petitioners joined in one cell each
//! (names, 身份证号 and phones in the same order); and the rows an import refused, laid
//! out to be fixed and imported again.

use chrono::NaiveDate;

use super::{Cell, Table};
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::CaseState;
use crate::domain::ledger::LedgerReading;
use crate::domain::search::CaseSummary;
use crate::domain::workflow::Viewer;

/// The ledger's columns, in order.
pub const LEDGER_COLUMNS: [&str; 29] = [
    "案件编号",
    "收件日期",
    "登记日期",
    "信访形式",
    "信访人",
    "身份证号",
    "联系电话",
    "住址",
    "人数",
    "信访事项",
    "诉求",
    "事实和理由",
    "问题类别",
    "信访类型",
    "乡镇",
    "村（社区）",
    "被反映单位或人员",
    "办理阶段",
    "承办单位",
    "当前期限",
    "期限截止",
    "受理日期",
    "处理意见",
    "答复日期",
    "评价",
    "标记",
    "包案领导",
    "登记单位",
    "登记人",
];

fn joined<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

/// One case as a ledger row, as `me` reads it on `today`.
fn row(s: &CaseState, calendar: &WorkCalendar, today: NaiveDate, me: Viewer) -> Vec<Cell> {
    let p = &s.petition;
    let flow = &s.flow;
    let summary = CaseSummary::of(s, calendar);
    let people: Vec<_> = p.petitioners.iter().chain(&p.representatives).collect();
    let names = if p.anonymous {
        "匿名".to_owned()
    } else {
        joined(people.iter().map(|x| x.name.as_str()))
    };
    let mut flags: Vec<&str> = Vec::new();
    for (on, label) in [
        (p.is_group(), "集体访"),
        (p.flags.skip_level, "越级访"),
        (p.flags.major_urgent, "重大紧急"),
        (p.flags.law_litigation, "涉法涉诉"),
        (!s.repeat_of.is_empty(), "重复访"),
        (flow.open_supervisions().next().is_some(), "督办中"),
        (summary.due_provisional, "期限暂定"),
    ] {
        if on {
            flags.push(label);
        }
    }
    let facts = [p.facts.as_str(), p.reasons.as_str()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        Cell::from(s.case_no.as_str()),
        Cell::Date(s.received_on()),
        Cell::Date(s.registered_at.china_date()),
        Cell::from(p.channel.label()),
        Cell::from(names),
        Cell::from(joined(people.iter().map(|x| x.id_number.as_str()))),
        Cell::from(joined(people.iter().map(|x| x.phone.as_str()))),
        Cell::from(joined(people.iter().map(|x| x.address.as_str()))),
        Cell::Number(i64::from(p.head_count)),
        Cell::from(p.title.as_str()),
        Cell::from(p.request.as_str()),
        Cell::from(facts),
        Cell::from(p.category.label()),
        Cell::from(p.petition_type.label()),
        Cell::from(p.township.as_str()),
        Cell::from(p.village.as_str()),
        Cell::from(p.complained_about.as_str()),
        Cell::from(summary.stage_label(today, me)),
        Cell::from(flow.handler.name.as_str()),
        Cell::from(summary.due_kind.map(|k| k.label()).unwrap_or_default()),
        Cell::from(summary.due),
        Cell::from(flow.accepted_on),
        Cell::from(flow.opinion.map(|(k, _)| k.label()).unwrap_or_default()),
        Cell::from(flow.answered_on),
        Cell::from(flow.latest_rating().map(|r| r.label()).unwrap_or_default()),
        Cell::from(flags.join("、")),
        Cell::from(s.leader.clone().unwrap_or_default()),
        Cell::from(s.registered_by.unit_name.as_str()),
        Cell::from(s.registered_by.operator.as_str()),
    ]
}

/// The ledger of `cases`, in the order given.
pub fn ledger_table(
    cases: &[CaseState],
    calendar: &WorkCalendar,
    today: NaiveDate,
    me: Viewer,
) -> Table {
    Table {
        name: "信访事项台账".into(),
        header: LEDGER_COLUMNS.map(str::to_owned).to_vec(),
        rows: cases.iter().map(|s| row(s, calendar, today, me)).collect(),
    }
}

/// The column that says why a row was refused; a ledger read again ignores it.
pub const REFUSAL_COLUMN: &str = "未导入原因";

/// The refused rows of an import under the ledger's own header, the reason in a last
/// column: fixed in Excel and imported again, the same columns match the same fields.
pub fn refused_table(reading: &LedgerReading) -> Table {
    let mut header = reading.header.clone();
    header.push(REFUSAL_COLUMN.to_owned());
    Table {
        name: "未导入的行".into(),
        rows: reading
            .refused
            .iter()
            .map(|r| {
                let mut cells: Vec<Cell> = (0..reading.header.len())
                    .map(|i| Cell::from(r.cells.get(i).cloned().unwrap_or_default()))
                    .collect();
                cells.push(Cell::from(r.reason.as_str()));
                cells
            })
            .collect(),
        header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{fold, register, CaseNumber};
    use crate::domain::event::Actor;
    use crate::domain::ids::{CaseId, EventId};
    use crate::domain::petition::tests::valid_draft;
    use crate::domain::time::Timestamp;
    use crate::report::to_csv;

    #[test]
    fn every_recorded_field_has_its_column_and_dates_are_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let mut draft = valid_draft();
        draft.received_on = "2026-11-20".into();
        draft.title = "=HYPERLINK(\"x\")".into();
        let p = draft.validate(today).unwrap();
        let actor = Actor {
            unit_code: "XF01".into(),
            unit_name: "县信访局".into(),
            operator: "王五".into(),
        };
        let state = fold(&[register(
            EventId::from_random([1; 16]),
            CaseId::from_random([1; 16]),
            actor,
            Timestamp::start_of_china_date(today),
            &CaseNumber::next("XF01", 2026, Some(1u8.into())),
            p.clone(),
        )])
        .unwrap();
        let me = Viewer {
            code: "XF01",
            name: "县信访局",
        };
        let t = ledger_table(&[state], &WorkCalendar::official(), today, me);
        assert_eq!(t.header.len(), t.rows[0].len());
        let col = |name: &str| {
            let i = LEDGER_COLUMNS.iter().position(|c| *c == name).unwrap();
            t.rows[0][i].clone()
        };
        assert_eq!(
            col("收件日期"),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
        );
        assert_eq!(col("登记日期"), Cell::Date(today));
        assert_eq!(
            col("身份证号"),
            Cell::from(p.petitioners[0].id_number.as_str())
        );
        assert_eq!(col("联系电话"), Cell::from(p.petitioners[0].phone.as_str()));
        assert_eq!(col("人数"), Cell::Number(i64::from(p.head_count)));
        assert_eq!(col("办理阶段"), Cell::from("待分流"));
        assert!(matches!(col("期限截止"), Cell::Date(_)));
        assert_eq!(col("登记人"), Cell::from("王五"));
        // A petitioner's words never become a formula in the CSV beside it.
        assert!(to_csv(&t).contains(",\"'=HYPERLINK(\"\"x\"\")\","));
    }

    #[test]
    fn refused_rows_go_back_as_a_ledger_that_reads_again_once_fixed() {
        use crate::domain::ledger::csv::parse_csv;
        use crate::domain::ledger::read_ledger;
        let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let ledger = "信访事项台账\n姓名,登记日期,信访事项,乡镇\n张三,2025-01-05,拖欠工资,城关镇\n李四,去年春天,征地补偿,东岭乡\n王五,2025-02-01,,城关镇\n";
        let first = read_ledger(&parse_csv(ledger), None, today).unwrap();
        assert_eq!((first.rows.len(), first.refused.len()), (1, 2));
        let back = to_csv(&refused_table(&first));
        let lines: Vec<&str> = back.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "姓名,登记日期,信访事项,乡镇,未导入原因");
        assert!(
            lines[1].starts_with("李四,去年春天,征地补偿,东岭乡,第 4 行："),
            "{}",
            lines[1]
        );
        // The clerk fixes the date and the matter; the reason column is left as it is.
        let fixed = back
            .replace("去年春天", "2025-03-01")
            .replace("王五,2025-02-01,,", "王五,2025-02-01,低保未批,");
        let again = read_ledger(&parse_csv(&fixed), None, today).unwrap();
        assert_eq!(again.refused, []);
        assert_eq!(again.rows.len(), 2);
        assert_eq!(again.rows[0].petition.title, "征地补偿");
        assert_eq!(
            again.mapping.last(),
            Some(&None),
            "the reason column maps to nothing"
        );
        // The workbook of refused rows reads back as the same rows.
        let book = crate::report::to_xlsx(&refused_table(&first));
        let read = crate::domain::ledger::xlsx::read_xlsx(&book).unwrap();
        assert_eq!(read, parse_csv(&back));
    }
}
