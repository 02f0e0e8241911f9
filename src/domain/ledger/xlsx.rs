//! The first sheet of an .xlsx as rows of text, for the ledger reader: shared and
//! inline strings, numbers as written (a date cell is its Excel serial, which
//! [`super::ledger_date`] reads), booleans; each row at its own line, so a refusal names
//! the line the clerk sees. Merged cells are their top-left cell and empty others.
//! Only the few elements a sheet's values live in are read; everything else is skipped.

use super::zip::{Archive, ZipError};
use thiserror::Error;

/// Why a workbook could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum XlsxError {
    /// The archive itself.
    #[error(transparent)]
    Zip(#[from] ZipError),
    /// No worksheet in it.
    #[error("文件中没有工作表，请确认这是 Excel 台账（.xlsx）")]
    NoSheet,
    /// More rows or columns than a ledger has.
    #[error("工作表超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列，请拆分台账后分批导入")]
    TooBig,
}

/// Rows read at most (a county's ledger of several years has tens of thousands).
pub const MAX_ROWS: usize = 200_000;
/// Columns read at most.
pub const MAX_COLUMNS: usize = 200;
/// One part of the workbook expands to at most this many bytes.
const PART_LIMIT: usize = 200_000_000;

/// One XML tag: its name, attributes and whether it closes itself or is a closing tag.
struct Tag<'a> {
    name: &'a str,
    attrs: &'a str,
    closing: bool,
    empty: bool,
}

impl<'a> Tag<'a> {
    /// The value of attribute `key` (entities resolved), if present.
    fn attr(&self, key: &str) -> Option<String> {
        let mut rest = self.attrs;
        while let Some(eq) = rest.find('=') {
            let name = rest[..eq].trim();
            let after = rest[eq + 1..].trim_start();
            let quote = after.chars().next()?;
            if quote != '"' && quote != '\'' {
                return None;
            }
            let end = after[1..].find(quote)? + 1;
            if name == key || name.rsplit(':').next() == Some(key) && !name.starts_with("xmlns") {
                return Some(unescape(&after[1..end]));
            }
            rest = &after[end + 1..];
        }
        None
    }
}

/// The local part of a tag name (`x:row` is `row`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// What the walk meets: a tag, or the text between two tags.
enum Node<'t, 'a> {
    Tag(&'t Tag<'a>),
    Text(&'a str),
}

/// Walks the tags and texts of a document, in order.
fn walk<'a>(xml: &'a str, mut visit: impl FnMut(Node<'_, 'a>)) {
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        if open > 0 {
            visit(Node::Text(&rest[..open]));
        }
        rest = &rest[open..];
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").unwrap_or(body.len());
            visit(Node::Text(&body[..end]));
            rest = body.get(end + 3..).unwrap_or("");
            continue;
        }
        let Some(close) = rest.find('>') else { return };
        let inner = &rest[1..close];
        rest = &rest[close + 1..];
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let empty = inner.ends_with('/');
        let inner = inner.trim_end_matches('/');
        let split = inner.find(char::is_whitespace).unwrap_or(inner.len());
        visit(Node::Tag(&Tag {
            name: local(&inner[..split]),
            attrs: &inner[split..],
            closing,
            empty,
        }));
    }
    if !rest.is_empty() {
        visit(Node::Text(rest));
    }
}

/// XML text with its entities resolved (`&amp;`, `&#20013;`, `&#x4E2D;` …); an unknown
/// one is kept as written.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|e| *e <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n => n
                .strip_prefix("#x")
                .or_else(|| n.strip_prefix("#X"))
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| n.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The shared strings: each `<si>`'s text runs joined, phonetic guides (`<rPh>`) left out.
fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut current, mut in_t, mut in_phonetic) = (None::<String>, false, false);
    walk(xml, |node| match node {
        Node::Tag(t) => match (t.name, t.closing) {
            ("si", false) if t.empty => out.push(String::new()),
            ("si", false) => current = Some(String::new()),
            ("si", true) => out.extend(current.take()),
            ("t", closing) => in_t = !closing && !t.empty,
            ("rPh", closing) => in_phonetic = !closing && !t.empty,
            _ => {}
        },
        Node::Text(text) => {
            if let (true, false, Some(s)) = (in_t, in_phonetic, current.as_mut()) {
                s.push_str(&unescape(text));
            }
        }
    });
    out
}

/// A cell reference's column, from 0 (`B7` is 1).
fn column_of(reference: &str) -> Option<usize> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    letters
        .iter()
        .try_fold(0usize, |n, b| {
            Some(n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1)
        })
        .map(|n| n - 1)
}

/// What the sheet's rows hold, row by row from line 1.
fn sheet_rows(xml: &str, strings: &[String]) -> Result<Vec<Vec<String>>, XlsxError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut too_big = false;
    // The cell being read: its column, type, and value text.
    let mut cell: Option<(usize, String, String)> = None;
    let mut in_value = false;
    let mut next_column = 0usize;
    // The row being read (its line less one).
    let mut current = 0usize;
    walk(xml, |node| {
        let t = match node {
            Node::Tag(t) => t,
            Node::Text(text) => {
                if let (true, Some((_, _, value))) = (in_value, cell.as_mut()) {
                    value.push_str(&unescape(text));
                }
                return;
            }
        };
        if too_big {
            return;
        }
        match (t.name, t.closing) {
            ("row", false) => {
                let line = t
                    .attr("r")
                    .and_then(|r| r.parse::<usize>().ok())
                    .unwrap_or(rows.len() + 1)
                    .max(1);
                if line > MAX_ROWS {
                    too_big = true;
                    return;
                }
                if rows.len() < line {
                    rows.resize_with(line, Vec::new);
                }
                current = line - 1;
                next_column = 0;
            }
            ("c", false) => {
                let column = t
                    .attr("r")
                    .and_then(|r| column_of(&r))
                    .unwrap_or(next_column);
                if column >= MAX_COLUMNS {
                    too_big = true;
                    return;
                }
                next_column = column + 1;
                cell = (!t.empty).then(|| (column, t.attr("t").unwrap_or_default(), String::new()));
            }
            ("c", true) => {
                let Some((column, kind, value)) = cell.take() else {
                    return;
                };
                let text = match kind.as_str() {
                    "s" => value
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| strings.get(i).cloned())
                        .unwrap_or_default(),
                    "b" => if value.trim() == "1" { "是" } else { "否" }.to_owned(),
                    "e" => String::new(),
                    _ => value,
                };
                if rows.len() <= current {
                    rows.resize_with(current + 1, Vec::new);
                }
                if let Some(row) = rows.get_mut(current) {
                    if row.len() <= column {
                        row.resize(column + 1, String::new());
                    }
                    row[column] = text;
                }
            }
            // The value of a cell (`<v>`), or an inline string's text (`<is><t>`).
            ("v" | "t", closing) => in_value = !closing && !t.empty,
            _ => {}
        }
    });
    if too_big {
        return Err(XlsxError::TooBig);
    }
    Ok(rows)
}

/// The part of the workbook's first sheet: by the workbook's own list and its
/// relationships, else the first worksheet part by name.
fn first_sheet(zip: &Archive<'_>) -> Result<Option<String>, XlsxError> {
    let text = |name: &str| -> Result<Option<String>, XlsxError> {
        Ok(zip
            .read(name, PART_LIMIT)?
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    };
    let mut rid = None;
    if let Some(workbook) = text("xl/workbook.xml")? {
        walk(&workbook, |node| {
            if let Node::Tag(t) = node {
                if t.name == "sheet" && !t.closing && rid.is_none() {
                    rid = t.attr("id");
                }
            }
        });
    }
    if let (Some(rid), Some(rels)) = (rid, text("xl/_rels/workbook.xml.rels")?) {
        let mut target = None;
        walk(&rels, |node| {
            if let Node::Tag(t) = node {
                if t.name == "Relationship" && t.attr("Id").as_deref() == Some(&rid) {
                    target = t.attr("Target");
                }
            }
        });
        if let Some(target) = target {
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{target}"),
            };
            if zip.has(&path) {
                return Ok(Some(path));
            }
        }
    }
    let mut sheets: Vec<&str> = zip
        .names()
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .collect();
    sheets.sort_by_key(|n| (n.len(), *n));
    Ok(sheets.first().map(|s| (*s).to_owned()))
}

/// The rows of the first sheet of the workbook in `bytes`.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, XlsxError> {
    let zip = Archive::open(bytes)?;
    let sheet = first_sheet(&zip)?.ok_or(XlsxError::NoSheet)?;
    let strings = match zip.read("xl/sharedStrings.xml", PART_LIMIT)? {
        Some(b) => shared_strings(&String::from_utf8_lossy(&b)),
        None => Vec::new(),
    };
    let xml = zip.read(&sheet, PART_LIMIT)?.ok_or(XlsxError::NoSheet)?;
    sheet_rows(&String::from_utf8_lossy(&xml), &strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_references() {
        assert_eq!(
            unescape("a&amp;b&lt;&#20013;&#x6587;&bogus;&"),
            "a&b<中文&bogus;&"
        );
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("AB12"), Some(27));
        assert_eq!(column_of("12"), None);
    }

    #[test]
    fn shared_strings_join_runs_and_skip_phonetic_guides() {
        let xml = r#"<sst><si><t>张三</t></si><si><r><t>拖欠</t></r><r><t xml:space="preserve">工资 </t></r><rPh><t>x</t></rPh></si><si/></sst>"#;
        assert_eq!(shared_strings(xml), ["张三", "拖欠工资 ", ""]);
    }

    #[test]
    fn rows_keep_their_lines_and_cells_their_columns() {
        let strings = vec!["姓名".to_owned(), "张三".to_owned()];
        let xml = r#"<worksheet><sheetData>
            <row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2"><v>45677</v></c></row>
            <row r="4"><c r="B4" t="s"><v>1</v></c><c r="C4" t="inlineStr"><is><t>a&amp;b</t></is></c><c r="D4" t="b"><v>1</v></c><c r="E4" t="str"><f>A1</f><v>算</v></c></row>
        </sheetData></worksheet>"#;
        let rows = sheet_rows(xml, &strings).unwrap();
        assert_eq!(rows.len(), 4);
        assert!(rows[0].is_empty() && rows[2].is_empty());
        assert_eq!(rows[1], ["姓名", "", "45677"]);
        assert_eq!(rows[3], ["", "张三", "a&b", "是", "算"]);
    }

    #[test]
    fn a_sheet_past_the_limits_is_refused() {
        let far = format!(r#"<row r="{}"><c r="A1"><v>1</v></c></row>"#, MAX_ROWS + 1);
        assert_eq!(sheet_rows(&far, &[]), Err(XlsxError::TooBig));
        let wide = r#"<row r="1"><c r="ZZZ1"><v>1</v></c></row>"#;
        assert_eq!(sheet_rows(wide, &[]), Err(XlsxError::TooBig));
    }

    #[test]
    fn damaged_archives_are_refused_not_panicked_on() {
        assert!(read_xlsx(b"").is_err());
        assert!(read_xlsx(b"PK\x03\x04 not really").is_err());
        let mut end = vec![0u8; 22];
        end[..4].copy_from_slice(&0x0605_4b50u32.to_le_bytes());
        end[10] = 5; // five entries, none there
        assert!(read_xlsx(&end).is_err());
    }
}
