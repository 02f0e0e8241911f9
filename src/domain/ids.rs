//! Globally unique ids for cases and events: 128 random bits as 32 lowercase hex digits.
//! The bits are passed in, so tests choose them; the browser layer draws them from
//! `crypto.getRandomValues`.

use serde::{Deserialize, Serialize};

/// Declares an opaque id newtype over a 32-digit lowercase hex string.
macro_rules! hex_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Makes an id from 16 random bytes.
            pub fn from_random(bytes: [u8; 16]) -> Self {
                Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
            }

            /// Accepts exactly 32 lowercase hex digits.
            pub fn parse(s: &str) -> Option<Self> {
                let ok = s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                ok.then(|| Self(s.to_owned()))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s).ok_or_else(|| format!("invalid id: {s:?}"))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

hex_id!(
    /// Identifies one case across every unit that ever holds it.
    CaseId
);
hex_id!(
    /// Identifies one event of a case log, so merging logs is a set union.
    EventId
);
hex_id!(
    /// Identifies one entry of a working register (a screening item, a plan …).
    EntryId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_hex_and_round_trip() {
        let id = CaseId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        assert_eq!(CaseId::parse(id.as_str()), Some(id.clone()));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<CaseId>(&json).unwrap(), id);
    }

    #[test]
    fn rejects_malformed_ids() {
        assert!(CaseId::parse("AB").is_none());
        assert!(CaseId::parse(&"G".repeat(32)).is_none());
        assert!(serde_json::from_str::<EventId>("\"xyz\"").is_err());
    }
}
