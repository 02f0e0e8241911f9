//! The .xlsx writer: Office Open XML parts in a zip of stored entries. Small on purpose
//! (the download budget matters): inline strings, one style sheet with a bold header, a
//! date and a percentage format, column widths from the content and a frozen header row.
//! The `http://schemas.openxmlformats.org/…` strings are XML namespace names required by
//! the format, never fetched.

use chrono::NaiveDate;

use super::table::{Cell, Table};

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || *c >= ' ')
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn column(mut i: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    name.reverse();
    String::from_utf8_lossy(&name).into_owned()
}

/// CRC-32 (IEEE 802.3), as zip requires.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive of stored (uncompressed) entries with UTF-8 names.
pub fn zip_stored<N: AsRef<str>>(files: &[(N, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let name = name.as_ref();
        let offset = out.len() as u32;
        let (crc, size, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x0021u16.to_le_bytes()); // date: 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&name_len.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra length
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (start, count) = (out.len() as u32, files.len() as u16);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Cell styles, by their index in `cellXfs`.
const HEADER: u8 = 1;
const DATE: u8 = 2;
const PERCENT: u8 = 3;

const STYLES: &str = "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/><numFmt numFmtId=\"165\" formatCode=\"0.0%\"/></numFmts><fonts count=\"2\"><font><sz val=\"11\"/></font><font><b/><sz val=\"11\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/><xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";

/// Days since 1899-12-30, the spreadsheet serial of a date.
fn serial(d: NaiveDate) -> i64 {
    NaiveDate::from_ymd_opt(1899, 12, 30).map_or(0, |epoch| (d - epoch).num_days())
}

/// How wide a text shows, in character widths: a CJK character takes two.
fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum())
        .max()
        .unwrap_or(0)
}

fn cell_xml(at: &str, cell: &Cell, style: Option<u8>) -> String {
    let s = |x: u8| format!(" s=\"{x}\"");
    match cell {
        Cell::Text(t) => format!(
            "<c r=\"{at}\" t=\"inlineStr\"{}><is><t xml:space=\"preserve\">{}</t></is></c>",
            style.map(s).unwrap_or_default(),
            xml_escape(t)
        ),
        Cell::Number(n) => format!("<c r=\"{at}\"><v>{n}</v></c>"),
        Cell::Date(d) => format!("<c r=\"{at}\"{}><v>{}</v></c>", s(DATE), serial(*d)),
        Cell::Rate(r) if r.den == 0 => format!("<c r=\"{at}\"{}/>", s(PERCENT)),
        Cell::Rate(r) => format!(
            "<c r=\"{at}\"{}><v>{}</v></c>",
            s(PERCENT),
            r.num as f64 / r.den as f64
        ),
    }
}

fn sheet_xml(t: &Table) -> String {
    let mut widths: Vec<usize> = t.header.iter().map(|h| display_width(h)).collect();
    let mut rows = String::new();
    rows.push_str("<row r=\"1\">");
    for (c, h) in t.header.iter().enumerate() {
        let at = format!("{}1", column(c));
        rows.push_str(&cell_xml(&at, &Cell::Text(h.clone()), Some(HEADER)));
    }
    rows.push_str("</row>");
    for (r, row) in t.rows.iter().enumerate() {
        rows.push_str(&format!("<row r=\"{}\">", r + 2));
        for (c, cell) in row.iter().enumerate() {
            let shown = match cell {
                Cell::Date(_) => 10,
                Cell::Rate(_) => 6,
                other => display_width(&other.text()),
            };
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(shown);
            rows.push_str(&cell_xml(&format!("{}{}", column(c), r + 2), cell, None));
        }
        rows.push_str("</row>");
    }
    let cols: String = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{}\" customWidth=\"1\"/>",
                (w + 2).clamp(6, 60),
                n = i + 1
            )
        })
        .collect();
    let cols = if cols.is_empty() {
        String::new()
    } else {
        format!("<cols>{cols}</cols>")
    };
    format!(
        "{XML}<worksheet xmlns=\"{MAIN}\"><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>{cols}<sheetData>{rows}</sheetData></worksheet>"
    )
}

/// Sheet names as Excel allows them: no `[]:*?/\\`, at most 31 characters, unique.
fn sheet_names(tables: &[Table]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let clean: String = t
            .name
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        let mut name = if clean.trim().is_empty() {
            format!("Sheet{}", i + 1)
        } else {
            clean
        };
        let mut n = 2;
        while names.contains(&name) {
            let suffix = format!("（{n}）");
            name = name
                .chars()
                .take(31 - suffix.chars().count())
                .collect::<String>()
                + &suffix;
            n += 1;
        }
        names.push(name);
    }
    names
}

/// The tables as one .xlsx workbook, one sheet each, in order.
pub fn to_workbook(tables: &[Table]) -> Vec<u8> {
    let names = sheet_names(tables);
    let sheets: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                "<sheet name=\"{}\" sheetId=\"{id}\" r:id=\"rId{id}\"/>",
                xml_escape(n),
                id = i + 1
            )
        })
        .collect();
    let overrides: String = (1..=tables.len())
        .map(|i| format!("<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
        .collect();
    let rels: String = (1..=tables.len())
        .map(|i| format!("<Relationship Id=\"rId{i}\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"))
        .collect();
    let styles_id = tables.len() + 1;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), format!("{XML}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>{overrides}</Types>").into_bytes()),
        ("_rels/.rels".into(), format!("{XML}<Relationships xmlns=\"{PKG_REL}\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").into_bytes()),
        ("xl/workbook.xml".into(), format!("{XML}<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets>{sheets}</sheets></workbook>").into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), format!("{XML}<Relationships xmlns=\"{PKG_REL}\">{rels}<Relationship Id=\"rId{styles_id}\" Type=\"{REL}/styles\" Target=\"styles.xml\"/></Relationships>").into_bytes()),
        ("xl/styles.xml".into(), format!("{XML}{STYLES}").into_bytes()),
    ];
    for (i, t) in tables.iter().enumerate() {
        files.push((
            format!("xl/worksheets/sheet{}.xml", i + 1),
            sheet_xml(t).into_bytes(),
        ));
    }
    zip_stored(&files)
}

/// The table as an .xlsx workbook with one sheet.
pub fn to_xlsx(t: &Table) -> Vec<u8> {
    to_workbook(std::slice::from_ref(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::measures::Ratio;

    use crate::report::table::sample as table;

    #[test]
    fn crc32_known_vector_and_columns() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(
            (column(0), column(25), column(26), column(701)),
            ("A".into(), "Z".into(), "AA".into(), "ZZ".into())
        );
    }

    #[test]
    fn xlsx_is_a_zip_with_the_cells() {
        let bytes = to_xlsx(&table());
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">总量</t></is></c><c r=\"B2\"><v>3</v></c>"));
        assert!(text.contains("&quot;引号&quot;"));
        // End of central directory: 6 entries.
        let eocd = bytes.len() - 22;
        assert_eq!(&bytes[eocd..eocd + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([bytes[eocd + 10], bytes[eocd + 11]]), 6);
        // Walk the central directory: every entry's name and local header line up.
        let mut at = u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
        for _ in 0..6 {
            assert_eq!(&bytes[at..at + 4], b"PK\x01\x02");
            let len = |o: usize| u16::from_le_bytes([bytes[at + o], bytes[at + o + 1]]) as usize;
            let (name_len, extra, comment) = (len(28), len(30), len(32));
            let local = u32::from_le_bytes(bytes[at + 42..at + 46].try_into().unwrap()) as usize;
            assert_eq!(&bytes[local..local + 4], b"PK\x03\x04");
            let name = &bytes[at + 46..at + 46 + name_len];
            assert_eq!(&bytes[local + 30..local + 30 + name_len], name);
            at += 46 + name_len + extra + comment;
        }
        assert_eq!(at, eocd);
    }

    #[test]
    fn dates_and_rates_are_real_cells_with_their_formats() {
        let t = Table {
            name: "台账".into(),
            header: vec!["登记日期".into(), "满意率".into(), "无数据".into()],
            rows: vec![vec![
                Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
                Cell::Rate(Ratio { num: 17, den: 20 }),
                Cell::Rate(Ratio { num: 0, den: 0 }),
            ]],
        };
        let sheet = sheet_xml(&t);
        assert!(
            sheet.contains("<c r=\"A2\" s=\"2\"><v>46027</v></c>"),
            "{sheet}"
        );
        assert!(sheet.contains("<c r=\"B2\" s=\"3\"><v>0.85</v></c>"));
        assert!(
            sheet.contains("<c r=\"C2\" s=\"3\"/>"),
            "undefined stays empty"
        );
        assert!(
            sheet.contains("<c r=\"A1\" t=\"inlineStr\" s=\"1\">"),
            "bold header"
        );
        assert!(sheet.contains("state=\"frozen\""));
        assert!(
            sheet.contains("<col min=\"1\" max=\"1\" width=\"12\""),
            "{sheet}"
        );
        assert_eq!(serial(NaiveDate::from_ymd_opt(1900, 3, 1).unwrap()), 61);
    }

    #[test]
    fn a_workbook_holds_every_sheet_under_a_name_excel_accepts() {
        let mut a = table();
        a.name = "超期案件[2026/11]".into();
        let b = table();
        let c = table();
        let names = sheet_names(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(names, ["超期案件202611", "看板", "看板（2）"]);
        let long = Table {
            name: "长".repeat(40),
            ..table()
        };
        assert_eq!(sheet_names(&[long.clone(), long])[1].chars().count(), 31);
        let text = String::from_utf8_lossy(&to_workbook(&[a, b, c])).into_owned();
        assert!(text.contains("xl/worksheets/sheet3.xml"));
        assert!(text.contains("<sheet name=\"看板（2）\" sheetId=\"3\" r:id=\"rId3\"/>"));
        assert!(text.contains("Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\""));
    }
}
