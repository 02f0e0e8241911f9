//! The office's own unit profile, set up on first run and edited in settings.

use serde::{Deserialize, Serialize};

use super::errors::FieldErrors;
use super::event::Actor;
use super::validate::{non_blank, too_long};
use super::vocab::UnitLevel;
use super::workflow::Viewer;

/// The unit this browser works for, and who is at the keyboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitProfile {
    /// Full name, e.g. 某某县信访局.
    pub name: String,
    /// 县级 / 乡镇 / 部门.
    pub level: UnitLevel,
    /// Short code used in case numbers: 2–16 capital letters or digits.
    pub code: String,
    /// Townships the unit deals with, in the order given.
    pub townships: Vec<String>,
    /// Departments the unit deals with.
    pub departments: Vec<String>,
    /// The current operator's name, recorded on every action.
    pub operator: String,
    /// The 上级单位: 复查 of this unit's answers goes to it (Art. 35); blank if not set.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent: String,
}

impl UnitProfile {
    /// The actor that the unit's actions are recorded under.
    pub fn actor(&self) -> Actor {
        Actor {
            unit_code: self.code.clone(),
            unit_name: self.name.clone(),
            operator: self.operator.clone(),
        }
    }

    /// The unit as the workflow asks "is this mine?".
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            code: &self.code,
            name: &self.name,
        }
    }
}

/// The setup form as typed; lists are one entry per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitDraft {
    /// Name as typed.
    pub name: String,
    /// Selected level.
    pub level: Option<UnitLevel>,
    /// Code as typed.
    pub code: String,
    /// Townships, one per line (commas and 、 also separate).
    pub townships: String,
    /// Departments, one per line.
    pub departments: String,
    /// Operator as typed.
    pub operator: String,
    /// 上级单位 as typed.
    pub parent: String,
}

/// Splits a typed list on line breaks, commas and 、, dropping blanks and repeats.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(['\n', ',', '，', '、', ';', '；']) {
        let t = item.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}

impl UnitDraft {
    /// The form filled with an existing profile.
    pub fn from_profile(p: &UnitProfile) -> Self {
        Self {
            name: p.name.clone(),
            level: Some(p.level),
            code: p.code.clone(),
            townships: p.townships.join("\n"),
            departments: p.departments.join("\n"),
            operator: p.operator.clone(),
            parent: p.parent.clone(),
        }
    }

    /// Checks the form and gives the profile.
    pub fn validate(&self) -> Result<UnitProfile, FieldErrors> {
        let mut e = FieldErrors::default();
        match non_blank(&self.name) {
            None => e.add("name", "请填写单位名称"),
            Some(n) => {
                if let Some(m) = too_long(n, 60) {
                    e.add("name", m)
                }
            }
        }
        if self.level.is_none() {
            e.add("level", "请选择单位层级");
        }
        let code = self.code.trim().to_ascii_uppercase();
        if !(2..=16).contains(&code.len())
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            e.add("code", "单位代码应为 2–16 位英文字母或数字，例如 XF330100");
        }
        let townships = split_list(&self.townships);
        if townships.is_empty() {
            e.add("townships", "请至少填写一个乡镇（每行一个）");
        }
        if townships.iter().any(|t| t.chars().count() > 60) {
            e.add("townships", "乡镇名称过长：每个最多 60 字");
        }
        let departments = split_list(&self.departments);
        if departments.iter().any(|t| t.chars().count() > 60) {
            e.add("departments", "部门名称过长：每个最多 60 字");
        }
        match non_blank(&self.operator) {
            None => e.add("operator", "请填写经办人姓名"),
            Some(n) => {
                if let Some(m) = too_long(n, 30) {
                    e.add("operator", m)
                }
            }
        }
        let parent = self.parent.trim();
        if let Some(m) = too_long(parent, 60) {
            e.add("parent", m)
        }
        let level = self.level;
        e.into_result(|| UnitProfile {
            name: self.name.trim().to_owned(),
            level: level.unwrap_or(UnitLevel::County),
            code,
            townships,
            departments,
            operator: self.operator.trim().to_owned(),
            parent: parent.to_owned(),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The county office used as the acting unit across domain tests.
    pub(crate) fn county() -> UnitProfile {
        UnitProfile {
            name: "某某县信访局".into(),
            level: UnitLevel::County,
            code: "XF01".into(),
            townships: vec!["城关镇".into()],
            departments: vec![],
            operator: "王五".into(),
            parent: "某某市信访局".into(),
        }
    }

    fn draft() -> UnitDraft {
        UnitDraft {
            name: " 某某县信访局 ".into(),
            level: Some(UnitLevel::County),
            code: "xf3301".into(),
            townships: "城关镇\n东岭乡、西河镇\n\n城关镇".into(),
            departments: "人社局，住建局".into(),
            operator: "王五".into(),
            parent: "某某市信访局".into(),
        }
    }

    #[test]
    fn valid_setup_normalises() {
        let p = draft().validate().unwrap();
        assert_eq!(p.name, "某某县信访局");
        assert_eq!(p.code, "XF3301");
        assert_eq!(p.townships, vec!["城关镇", "东岭乡", "西河镇"]);
        assert_eq!(p.departments, vec!["人社局", "住建局"]);
        assert_eq!(UnitDraft::from_profile(&p).validate().unwrap(), p);
        assert_eq!(p.actor().operator, "王五");
    }

    #[test]
    fn each_missing_or_bad_field_is_named() {
        let e = UnitDraft::default().validate().unwrap_err();
        for f in ["name", "level", "code", "townships", "operator"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let mut d = draft();
        d.code = "XF-01".into();
        assert!(d.validate().unwrap_err().get("code").is_some());
    }
}
