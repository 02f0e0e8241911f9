//! Tables for export: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese) and a
//! real .xlsx workbook (Office Open XML in a zip of stored entries: no compression
//! library needed, and every spreadsheet program opens it).

pub mod dashboard;
pub mod qr;
pub mod registers;

/// A cell value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Number(i64),
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

/// The first characters that make Excel (or another spreadsheet) read a cell as a formula
/// (`=HYPERLINK(…)` in a petitioner's words); full-width forms too, which Chinese input
/// methods type and some spreadsheets fold to ASCII.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

fn csv_field(s: &str) -> String {
    // A leading apostrophe makes the cell text; the value stays readable.
    let s = &if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The table as CSV (RFC 4180, CRLF line ends, UTF-8 with BOM).
pub fn to_csv(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(t.header.iter().map(|h| csv_field(h)).collect()));
    for row in &t.rows {
        out.push_str(&line(
            row.iter()
                .map(|c| match c {
                    Cell::Text(s) => csv_field(s),
                    Cell::Number(n) => n.to_string(),
                })
                .collect(),
        ));
    }
    out
}

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

fn sheet_xml(t: &Table) -> String {
    let mut rows = String::new();
    let all = std::iter::once(
        t.header
            .iter()
            .map(|h| Cell::Text(h.clone()))
            .collect::<Vec<_>>(),
    )
    .chain(t.rows.iter().cloned());
    for (r, row) in all.enumerate() {
        rows.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            match cell {
                Cell::Text(s) => rows.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    xml_escape(s)
                )),
                Cell::Number(n) => rows.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>")),
            }
        }
        rows.push_str("</row>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData></worksheet>"
    )
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
pub fn zip_stored(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
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

/// The table as an .xlsx workbook with one sheet. The `http://schemas.openxmlformats.org/…`
/// strings are XML namespace names required by the format, never fetched.
pub fn to_xlsx(t: &Table) -> Vec<u8> {
    let name: String = xml_escape(&t.name).chars().take(31).collect();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".into()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".into()),
        ("xl/workbook.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"{name}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").into_bytes()),
        ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".into()),
        ("xl/worksheets/sheet1.xml", sheet_xml(t).into_bytes()),
    ];
    zip_stored(&files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "看板".into(),
            header: vec!["项目".into(), "本期".into()],
            rows: vec![
                vec!["总量".into(), Cell::Number(3)],
                vec!["说明, 含\"引号\"".into(), Cell::Number(-1)],
            ],
        }
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        let t = Table {
            name: "t".into(),
            header: vec!["a".into()],
            rows: [
                "=HYPERLINK(\"x\",\"点击\")",
                "+1",
                "-2",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "＝1+1",
                "＋1",
                "－1",
                "＠x",
            ]
            .iter()
            .map(|v| vec![Cell::Text((*v).to_owned())])
            .chain([vec![Cell::Number(-3)], vec![Cell::Text("张三=李四".into())]])
            .collect(),
        };
        let csv = to_csv(&t);
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"x\"\",\"\"点击\"\")\"");
        for l in &lines[2..5] {
            assert!(l.starts_with('\''), "{l}");
        }
        assert_eq!(lines[5], "'\tx");
        assert_eq!(lines[6], "\"'\rx\"");
        for l in &lines[7..11] {
            assert!(l.starts_with('\''), "{l}");
        }
        assert_eq!(lines[11], "-3", "numbers stay numbers");
        assert_eq!(lines[12], "张三=李四", "only a leading sign matters");
    }

    #[test]
    fn csv_quotes_and_keeps_chinese() {
        assert_eq!(
            to_csv(&table()),
            "\u{feff}项目,本期\r\n总量,3\r\n\"说明, 含\"\"引号\"\"\",-1\r\n"
        );
    }

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
        // End of central directory: 5 entries.
        let eocd = bytes.len() - 22;
        assert_eq!(&bytes[eocd..eocd + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([bytes[eocd + 10], bytes[eocd + 11]]), 5);
        // Walk the central directory: every entry's name and local header line up.
        let mut at = u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
        for _ in 0..5 {
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
}
