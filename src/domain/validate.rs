//! Small field rules shared by every form: phone numbers, required text, lengths.

use thiserror::Error;

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    /// Neither an 11-digit mobile nor an area-code landline.
    #[error("电话号码格式不正确：手机号为 1 开头的 11 位数字，固定电话如 0571-88886666")]
    Format,
}

/// Normalises a phone number: blanks and full-width digits removed, `+86` dropped.
pub fn normalize_phone(input: &str) -> String {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' => '-',
            _ => c,
        })
        .collect();
    s.strip_prefix("+86")
        .map(|r| r.trim_start_matches('-').to_owned())
        .unwrap_or(s)
}

/// Validates a mainland mobile (`1[3-9]` + 9 digits) or landline (`0` + 2–3 digit area
/// code, 7–8 digit number, optional `-` extension) and returns the normal form.
pub fn validate_phone(input: &str) -> Result<String, PhoneError> {
    let s = normalize_phone(input);
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let b = s.as_bytes();
    let mobile = b.len() == 11 && all_digits(&s) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = || {
        let mut parts = s.split('-');
        let (first, rest): (&str, Vec<&str>) = (parts.next().unwrap_or(""), parts.collect());
        let (area, number, ext) = match rest.as_slice() {
            [] if first.starts_with('0') && (10..=12).contains(&first.len()) => {
                // Without a dash the area code is 3 digits for 01x/02x, otherwise 4.
                let split = if first.starts_with("01") || first.starts_with("02") {
                    3
                } else {
                    4
                };
                (&first[..split], &first[split..], None)
            }
            [n] => (first, *n, None),
            [n, e] => (first, *n, Some(*e)),
            _ => return false,
        };
        area.starts_with('0')
            && (3..=4).contains(&area.len())
            && all_digits(area)
            && (7..=8).contains(&number.len())
            && all_digits(number)
            && ext.is_none_or(|e| e.len() <= 6 && all_digits(e))
    };
    if mobile || landline() {
        Ok(s)
    } else {
        Err(PhoneError::Format)
    }
}

/// Trimmed text, or `None` when blank.
pub fn non_blank(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Message for text longer than `max` characters, if it is.
pub fn too_long(s: &str, max: usize) -> Option<String> {
    let n = s.trim().chars().count();
    (n > max).then(|| format!("内容过长：最多 {max} 字，现为 {n} 字"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert_eq!(validate_phone("138 0013 8000").unwrap(), "13800138000");
        assert_eq!(validate_phone("+86 13800138000").unwrap(), "13800138000");
        assert_eq!(
            validate_phone("１３８００１３８０００").unwrap(),
            "13800138000"
        );
        assert!(validate_phone("12800138000").is_err());
        assert!(validate_phone("1380013800").is_err());
        assert!(validate_phone("138001380001").is_err());
    }

    #[test]
    fn landlines() {
        assert!(validate_phone("0571-88886666").is_ok());
        assert!(validate_phone("010-12345678").is_ok());
        assert!(validate_phone("057188886666").is_ok());
        assert!(validate_phone("0571-8888666-123").is_ok());
        assert!(validate_phone("571-88886666").is_err());
        assert!(validate_phone("0571-888").is_err());
        assert!(validate_phone("abc").is_err());
        assert!(validate_phone("").is_err());
    }

    #[test]
    fn text_helpers() {
        assert_eq!(non_blank("  "), None);
        assert_eq!(non_blank(" a "), Some("a"));
        assert!(too_long("一二三", 2).unwrap().contains("最多 2 字"));
        assert_eq!(too_long("一二", 2), None);
    }
}
