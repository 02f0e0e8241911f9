//! A table for export: a sheet name, a header row and rows of typed cells.

use chrono::NaiveDate;

use crate::domain::measures::Ratio;

/// A cell value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Number(i64),
    /// A day: a real date cell in a workbook.
    Date(NaiveDate),
    /// A rate: a number formatted as a percentage in a workbook (empty when undefined),
    /// with its numerator and denominator on screen.
    Rate(Ratio),
}

impl Cell {
    /// The cell as read on screen and in print.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Rate(r) if r.den == 0 => r.percent(),
            Cell::Rate(r) => format!("{}（{}/{}）", r.percent(), r.num, r.den),
        }
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(d: Option<NaiveDate>) -> Self {
        d.map_or_else(|| Cell::Text(String::new()), Cell::Date)
    }
}

impl From<Ratio> for Cell {
    fn from(r: Ratio) -> Self {
        Cell::Rate(r)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Number(n as i64)
    }
}

/// A table: a sheet name, a header row and data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Sheet name (at most 31 characters in Excel).
    pub name: String,
    /// Column titles.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A two-row table for the writers' tests.
#[cfg(test)]
pub fn sample() -> Table {
    Table {
        name: "看板".into(),
        header: vec!["项目".into(), "本期".into()],
        rows: vec![
            vec!["总量".into(), Cell::Number(3)],
            vec!["说明, 含\"引号\"".into(), Cell::Number(-1)],
        ],
    }
}
