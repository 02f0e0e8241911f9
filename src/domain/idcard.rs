//! 居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence,
//! and a check digit over ISO 7064 MOD 11-2, where 10 is written `X`.

use chrono::NaiveDate;
use thiserror::Error;

/// Why an identity number was refused, worded for the person typing it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdNumberError {
    /// Not 18 characters.
    #[error("身份证号应为 18 位（现为 {0} 位），请核对后重新输入")]
    Length(usize),
    /// A character other than digits (and a final X).
    #[error("身份证号只能由数字组成，最后一位可以是 X")]
    Characters,
    /// The first two digits name no province.
    #[error("身份证号前两位（省级行政区代码）不存在，请核对")]
    Region,
    /// Digits 7–14 are not a real calendar date.
    #[error("身份证号中的出生日期 {0} 不存在，请核对第 7–14 位")]
    BirthDate(String),
    /// Birth date later than today or before 1900.
    #[error("身份证号中的出生日期 {0} 不合理（晚于今天或早于 1900 年），请核对")]
    BirthDateRange(String),
    /// The check digit does not match.
    #[error("身份证号校验位不正确（按前 17 位应为 {expected}），请逐位核对")]
    CheckDigit {
        /// The check digit the first 17 digits call for.
        expected: char,
    },
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Province-level codes of GB/T 2260 (incl. 71 Taiwan, 81 Hong Kong, 82 Macao).
const PROVINCES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// The check digit for the first 17 digits (caller guarantees they are digits).
pub fn check_digit(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// Normalises typing habits: blanks removed, full-width digits and a lower-case x accepted.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'x' | 'ｘ' | 'Ｘ' => 'X',
            _ => c,
        })
        .collect()
}

/// Validates an identity number against today's date and returns its normal form.
pub fn validate(input: &str, today: NaiveDate) -> Result<String, IdNumberError> {
    let s = normalize(input);
    let len = s.chars().count();
    if len != 18 {
        return Err(IdNumberError::Length(len));
    }
    let bytes = s.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(IdNumberError::Characters);
    }
    let province = u32::from(bytes[0] - b'0') * 10 + u32::from(bytes[1] - b'0');
    if !PROVINCES.contains(&province) {
        return Err(IdNumberError::Region);
    }
    let birth_text = &s[6..14];
    let birth = NaiveDate::parse_from_str(birth_text, "%Y%m%d")
        .map_err(|_| IdNumberError::BirthDate(birth_text.to_owned()))?;
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if birth > today || birth < earliest {
        return Err(IdNumberError::BirthDateRange(
            birth.format("%Y-%m-%d").to_string(),
        ));
    }
    let expected = check_digit(&bytes[..17]);
    if bytes[17] as char != expected {
        return Err(IdNumberError::CheckDigit { expected });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn accepts_standard_examples_including_x() {
        // The worked examples of GB 11643-1999 itself.
        assert_eq!(
            validate("11010519491231002X", today()).unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            validate("440524188001010014", today()),
            Err(IdNumberError::BirthDateRange("1880-01-01".into()))
        );
        assert_eq!(
            validate("110101199003070038", today()).unwrap(),
            "110101199003070038"
        );
    }

    #[test]
    fn normalises_lower_case_x_spaces_and_full_width() {
        assert_eq!(
            validate(" 110105 19491231 002x", today()).unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            validate("１１０１０１１９９００３０７００３８", today()).unwrap(),
            "110101199003070038"
        );
    }

    #[test]
    fn wrong_check_digit_names_the_expected_one() {
        assert_eq!(
            validate("110105194912310021", today()),
            Err(IdNumberError::CheckDigit { expected: 'X' })
        );
        let msg = validate("110101199003070037", today())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("校验位") && msg.contains('8'), "{msg}");
    }

    #[test]
    fn impossible_or_future_birth_dates() {
        // 1990-02-30 does not exist; the check digit is computed so only the date is wrong.
        let mut s = b"11010119900230003".to_vec();
        s.push(check_digit(&s) as u8);
        let s = String::from_utf8(s).unwrap();
        assert_eq!(
            validate(&s, today()),
            Err(IdNumberError::BirthDate("19900230".into()))
        );

        let mut f = b"11010120300101003".to_vec();
        f.push(check_digit(&f) as u8);
        let f = String::from_utf8(f).unwrap();
        assert!(matches!(
            validate(&f, today()),
            Err(IdNumberError::BirthDateRange(_))
        ));
    }

    #[test]
    fn shape_errors() {
        assert_eq!(validate("12345", today()), Err(IdNumberError::Length(5)));
        assert_eq!(
            validate("11010519491231002Y", today()),
            Err(IdNumberError::Characters)
        );
        assert_eq!(
            validate("1101051949123100X2", today()),
            Err(IdNumberError::Characters)
        );
        let mut r = b"99010119900307003".to_vec();
        r.push(check_digit(&r) as u8);
        assert_eq!(
            validate(std::str::from_utf8(&r).unwrap(), today()),
            Err(IdNumberError::Region)
        );
    }
}
