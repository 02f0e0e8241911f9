//! Closed vocabularies (channel, category, type, level): each defined once with its
//! Chinese label, so forms, lists, filters and validation all read the same table.

/// Defines a closed enum with stable English wire names and one Chinese label per variant.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[doc = $label] $variant),+ }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The Chinese label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Stable key used in forms and URLs (the serde name).
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            /// Inverse of [`Self::key`].
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub(crate) use labelled_enum;

labelled_enum!(
    /// How a petition reached the office.
    Channel { Letter => "来信", Visit => "来访", Online => "网上", Phone => "电话", Fax => "传真" }
);

labelled_enum!(
    /// Subject-matter category used for routing and statistics.
    Category {
        LandExpropriation => "征地拆迁",
        LabourSocialSecurity => "劳动社保",
        UrbanRuralConstruction => "城乡建设",
        Agriculture => "农村农业",
        Environment => "环境保护",
        LawLitigation => "涉法涉诉",
        Discipline => "纪检监察",
        EducationHealth => "教育医疗",
        CivilAffairs => "民政",
        Other => "其他",
    }
);

labelled_enum!(
    /// The legal nature of the petition.
    PetitionType { Suggestion => "建议意见", Accusation => "检举控告", Claim => "申诉求决" }
);

labelled_enum!(
    /// Administrative level of a petition office.
    UnitLevel { County => "县级", Township => "乡镇", Department => "部门" }
);

labelled_enum!(
    /// Whether a petitioner is a natural person or an organisation.
    PetitionerKind { Person => "个人", Organisation => "单位或组织" }
);

// Written out because the enum comes from `labelled_enum!`, which cannot mark a default.
#[allow(clippy::derivable_impls)]
impl Default for PetitionerKind {
    fn default() -> Self {
        PetitionerKind::Person
    }
}

/// Head count from which a petition is a group petition (集体访).
pub const GROUP_THRESHOLD: u32 = 5;

/// Most representatives a group may send (《信访工作条例》: 代表人数不超过 5 人).
pub const MAX_REPRESENTATIVES: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_labels_are_unique() {
        for c in Channel::ALL {
            assert_eq!(Channel::from_key(c.key()), Some(*c));
        }
        let mut labels: Vec<_> = Category::ALL.iter().map(|c| c.label()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), Category::ALL.len());
        assert_eq!(Channel::from_key("nope"), None);
    }

    #[test]
    fn serde_uses_stable_english_names() {
        assert_eq!(serde_json::to_string(&Channel::Visit).unwrap(), "\"Visit\"");
        assert_eq!(PetitionType::Accusation.label(), "检举控告");
    }
}
