//! CSV as spreadsheets write it (RFC 4180): quoted cells with doubled quotes and line
//! breaks inside, CRLF or LF line ends, a UTF-8 byte-order mark dropped.

/// The rows of a CSV text; a trailing empty line is not a row.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_line_breaks_and_the_byte_order_mark() {
        let rows = parse_csv("\u{feff}姓名,诉求\r\n张三,\"要求\"\"补偿\"\"，\n尽快\"\r\n李四,\r\n");
        assert_eq!(
            rows,
            [
                vec!["姓名".to_owned(), "诉求".into()],
                vec!["张三".into(), "要求\"补偿\"，\n尽快".into()],
                vec!["李四".into(), String::new()],
            ]
        );
        assert_eq!(parse_csv("a,b"), [vec!["a".to_owned(), "b".into()]]);
        assert!(parse_csv("").is_empty());
    }
}
