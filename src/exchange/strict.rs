//! Strict JSON reading for bundles: the same grammar as RFC 8259, minus what would let
//! two readers see different data: duplicate keys, fractions and exponents, integers
//! beyond ±2^53, overlong strings. A leading UTF-8 BOM is ignored.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::BundleError;

/// Largest integer exactly representable in an IEEE double (2^53).
pub const MAX_SAFE_INTEGER: u64 = 1 << 53;
/// Longest string value or key, in bytes (an attachment of 5 MiB is about 6.7 MiB of base64).
pub const MAX_STRING_BYTES: usize = 8 << 20;
/// Most values (of any kind, nested included) one file may hold. A real bundle holds
/// about 150 per case, mostly strings: a 200 MiB transfer of 46,000 cases stays near 7
/// million. A file of small numbers or empty arrays would make tens of bytes of memory
/// of each byte it has; refused here, before it can take the page down.
pub const MAX_VALUES: usize = 12_000_000;

/// The values still allowed, shared by every level of one parse.
struct Strict<'a>(&'a Cell<usize>);

fn custom<E: de::Error>(e: &BundleError) -> E {
    E::custom(e.to_string())
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        if v > MAX_SAFE_INTEGER {
            return Err(custom(&BundleError::BigInteger));
        }
        Ok(Value::Number(v.into()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        if v.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(custom(&BundleError::BigInteger));
        }
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        Err(custom(&BundleError::Float))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        if v.len() > MAX_STRING_BYTES {
            return Err(custom(&BundleError::StringTooLong));
        }
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.visit_str(&v)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(StrictSeed(self.0))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key.len() > MAX_STRING_BYTES {
                return Err(custom(&BundleError::StringTooLong));
            }
            let value = map.next_value_seed(StrictSeed(self.0))?;
            if out.contains_key(&key) {
                return Err(custom(&BundleError::DuplicateKey(key)));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

struct StrictSeed<'a>(&'a Cell<usize>);

impl<'de> de::DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.0.get().checked_sub(1) {
            Some(left) => self.0.set(left),
            None => return Err(de::Error::custom(BundleError::TooManyValues.to_string())),
        }
        d.deserialize_any(Strict(self.0))
    }
}

/// Parses bytes as strict JSON.
pub fn parse(bytes: &[u8]) -> Result<Value, BundleError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| BundleError::NotUtf8)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let budget = Cell::new(MAX_VALUES);
    let value = de
        .deserialize_any(Strict(&budget))
        .map_err(|e| BundleError::from_json(&e))?;
    de.end().map_err(|e| BundleError::from_json(&e))?;
    Ok(value)
}

/// Whether a value built in code holds only what strict JSON allows; the first way it
/// does not (an integer past ±2^53, a string too long) otherwise.
pub fn check(v: &Value) -> Result<(), BundleError> {
    let long = |s: &str| match s.len() > MAX_STRING_BYTES {
        true => Err(BundleError::StringTooLong),
        false => Ok(()),
    };
    match v {
        Value::Number(n) => {
            let safe = n
                .as_i64()
                .map(|i| i.unsigned_abs() <= MAX_SAFE_INTEGER)
                .or_else(|| n.as_u64().map(|u| u <= MAX_SAFE_INTEGER))
                .unwrap_or(false);
            match safe {
                true => Ok(()),
                false => Err(BundleError::BigInteger),
            }
        }
        Value::String(s) => long(s),
        Value::Array(a) => a.iter().try_for_each(check),
        Value::Object(o) => o.iter().try_for_each(|(k, v)| {
            long(k)?;
            check(v)
        }),
        Value::Null | Value::Bool(_) => Ok(()),
    }
}

/// Makes a JSON number for an integer known to be safe.
pub fn number(n: u32) -> Value {
    Value::Number(Number::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_json_with_bom_and_whitespace() {
        let v = parse("\u{feff} { \"a\" : [1, -2, true, null, \"中文\"] }\n".as_bytes()).unwrap();
        assert_eq!(v, serde_json::json!({"a": [1, -2, true, null, "中文"]}));
    }

    #[test]
    fn refuses_what_two_readers_could_read_differently() {
        assert_eq!(
            parse(br#"{"a":1,"a":2}"#),
            Err(BundleError::DuplicateKey("a".into()))
        );
        assert_eq!(parse(br#"{"a":1.5}"#), Err(BundleError::Float));
        assert_eq!(parse(br#"{"a":1e3}"#), Err(BundleError::Float));
        assert_eq!(
            parse(br#"{"a":9007199254740993}"#),
            Err(BundleError::BigInteger)
        );
        assert!(parse(br#"{"a":9007199254740992}"#).is_ok());
        assert!(matches!(parse(br#"{"a":1"#), Err(BundleError::NotJson(_))));
        assert!(matches!(
            parse(br#"{"a":1} x"#),
            Err(BundleError::NotJson(_))
        ));
        assert_eq!(parse(b"\xff\xfe"), Err(BundleError::NotUtf8));
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_STRING_BYTES + 1));
        assert_eq!(parse(long.as_bytes()), Err(BundleError::StringTooLong));
    }

    #[test]
    fn a_file_of_countless_small_values_is_refused() {
        let many = format!("{{\"a\":[{}0]}}", "0,".repeat(MAX_VALUES));
        assert_eq!(parse(many.as_bytes()), Err(BundleError::TooManyValues));
        let fine = format!("{{\"a\":[{}0]}}", "0,".repeat(1_000));
        assert!(parse(fine.as_bytes()).is_ok());
    }
}
