//! The dashboard's figures laid out as tables, for the screen, print and spreadsheets:
//! the formulas stay in `domain::measures`, only the layout lives here.

use std::collections::BTreeMap;

use super::{Cell, Table};
use crate::domain::measures::{Accountable, Measures};

/// A scorecard as a table: one row per township or unit, the same figures for each.
pub fn scorecard_table(cards: &BTreeMap<String, Measures>, by: Accountable) -> Table {
    let ratio = Cell::Rate;
    Table {
        name: match by {
            Accountable::Township => "乡镇考核".into(),
            Accountable::Unit => "单位考核".into(),
        },
        header: [
            by.title(),
            "件数",
            "集体访",
            "重复访率",
            "按期受理率",
            "按期办结率",
            "满意率",
            "超期",
            "督办单数",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        rows: cards
            .iter()
            .map(|(name, m)| {
                vec![
                    Cell::from(name.as_str()),
                    Cell::from(m.total),
                    Cell::from(m.group.num),
                    ratio(m.repeat),
                    ratio(m.on_time_notice),
                    ratio(m.on_time_answer),
                    ratio(m.satisfied),
                    Cell::from(m.overdue_by_unit.values().sum::<usize>()),
                    Cell::from(m.supervisions),
                ]
            })
            .collect(),
    }
}

/// The measures side by side, one column per `(title, measures)`, as a table for export
/// and print; `breakdowns` adds the rows by township, category, channel and unit.
pub fn table(columns: &[(String, &Measures)], breakdowns: bool) -> Table {
    let row = |label: String, cell: &dyn Fn(&Measures) -> Cell| {
        std::iter::once(Cell::from(label))
            .chain(columns.iter().map(|(_, m)| cell(m)))
            .collect::<Vec<_>>()
    };
    let ratio = Cell::Rate;
    let mut rows = vec![
        row("总量".into(), &|m| Cell::from(m.total)),
        row("集体访占比".into(), &|m| ratio(m.group)),
        row("集体访人数".into(), &|m| {
            Cell::from(m.group_heads as usize)
        }),
        row("重复访率".into(), &|m| ratio(m.repeat)),
        row("越级访率".into(), &|m| ratio(m.skip_level)),
        row("按期受理率".into(), &|m| ratio(m.on_time_notice)),
        row("按期办结率".into(), &|m| ratio(m.on_time_answer)),
        row("满意率".into(), &|m| ratio(m.satisfied)),
        row("参评率".into(), &|m| ratio(m.rated)),
        row("息诉率".into(), &|m| ratio(m.settled)),
        row("督办单数".into(), &|m| Cell::from(m.supervisions)),
        row("督办按期反馈率".into(), &|m| {
            ratio(m.supervision_on_time)
        }),
    ];
    if breakdowns {
        let first = columns.first().map(|(_, m)| *m);
        let count = |map: fn(&Measures) -> Vec<(String, usize)>, prefix: &str| {
            let keys: Vec<String> = first
                .map(|m| map(m).into_iter().map(|(k, _)| k).collect())
                .unwrap_or_default();
            keys.into_iter()
                .map(|k| {
                    row(format!("{prefix}：{k}"), &|m| {
                        Cell::from(
                            map(m)
                                .into_iter()
                                .find(|(x, _)| *x == k)
                                .map_or(0, |(_, n)| n),
                        )
                    })
                })
                .collect::<Vec<_>>()
        };
        rows.extend(count(
            |m| m.by_township.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            "乡镇",
        ));
        rows.extend(count(
            |m| {
                m.by_category
                    .iter()
                    .map(|(k, n)| (k.label().to_owned(), *n))
                    .collect()
            },
            "类别",
        ));
        rows.extend(count(
            |m| {
                m.by_channel
                    .iter()
                    .map(|(k, n)| (k.label().to_owned(), *n))
                    .collect()
            },
            "渠道",
        ));
        rows.extend(count(
            |m| m.by_unit.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            "责任单位",
        ));
        rows.extend(count(
            |m| {
                m.overdue_by_unit
                    .iter()
                    .map(|(k, n)| (k.clone(), *n))
                    .collect()
            },
            "超期",
        ));
    }
    Table {
        name: "看板".into(),
        header: std::iter::once("项目".to_owned())
            .chain(columns.iter().map(|(t, _)| t.clone()))
            .collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::measures::tests::{d, fixture};
    use crate::domain::measures::{measure, Judged, Period};

    #[test]
    fn a_scorecard_table_has_a_row_per_township() {
        let nov = Period {
            from: d(11, 1),
            to: d(11, 30),
        };
        let judged = Judged::new(fixture(), d(11, 26));
        let by_township = judged.scorecard(nov, Accountable::Township);
        let t = scorecard_table(&by_township, Accountable::Township);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][0], Cell::from("东岭乡"));
        assert_eq!(t.rows[1][7], Cell::Number(1));
    }

    #[test]
    fn the_export_table_holds_every_figure() {
        let nov = Period {
            from: d(11, 1),
            to: d(11, 30),
        };
        let now = measure(&fixture(), nov, d(11, 26));
        let before = measure(&fixture(), nov.previous(), d(11, 26));
        let t = table(
            &[
                (format!("本期 {} 至 {}", nov.from, nov.to), &now),
                ("上期".into(), &before),
            ],
            true,
        );
        // The previous period is 10-02 … 10-31: A (10-01) falls outside it.
        assert_eq!(
            t.rows[0],
            vec![Cell::from("总量"), Cell::Number(6), Cell::Number(0)]
        );
        // A rate is a number (a percentage in the workbook), read as "33.3%（2/6）".
        assert_eq!(t.rows[1][1].text(), "33.3%（2/6）");
        assert!(matches!(t.rows[1][1], Cell::Rate(_)));
        assert!(t.rows.iter().any(|r| r[0] == Cell::from("乡镇：东岭乡")));
        assert!(t.header[1].contains("2026-11-01 至 2026-11-30"));
        assert_eq!(
            t.rows
                .iter()
                .find(|r| r[0] == Cell::from("超期：城关镇人民政府")),
            Some(&vec![
                Cell::from("超期：城关镇人民政府"),
                Cell::Number(1),
                Cell::Number(0)
            ])
        );
        let key = table(&[("本月".into(), &now)], false);
        assert_eq!((key.rows.len(), key.header.len()), (12, 2));
    }
}
