//! The fields of a petition, named once: the form shows their labels, validation
//! reports errors under their keys, and a correction records which one changed.

use serde::{Deserialize, Serialize};

/// A correctable field of a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionField {
    /// 渠道.
    Channel,
    /// 信访人.
    Petitioners,
    /// 匿名.
    Anonymous,
    /// 人数.
    HeadCount,
    /// 代表.
    Representatives,
    /// 标题.
    Title,
    /// 请求.
    Request,
    /// 事实.
    Facts,
    /// 理由.
    Reasons,
    /// 类别.
    Category,
    /// 形式.
    PetitionType,
    /// 乡镇.
    Township,
    /// 村（社区）.
    Village,
    /// 被反映单位或人员.
    ComplainedAbout,
    /// 标记.
    Flags,
    /// 收件日期.
    ReceivedOn,
}

impl PetitionField {
    /// Every field, in form order.
    pub const ALL: [PetitionField; 16] = [
        PetitionField::ReceivedOn,
        PetitionField::Channel,
        PetitionField::Petitioners,
        PetitionField::Anonymous,
        PetitionField::HeadCount,
        PetitionField::Representatives,
        PetitionField::Title,
        PetitionField::Request,
        PetitionField::Facts,
        PetitionField::Reasons,
        PetitionField::Category,
        PetitionField::PetitionType,
        PetitionField::Township,
        PetitionField::Village,
        PetitionField::ComplainedAbout,
        PetitionField::Flags,
    ];

    /// The field's Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            PetitionField::Channel => "信访渠道",
            PetitionField::Petitioners => "信访人",
            PetitionField::Anonymous => "匿名",
            PetitionField::HeadCount => "人数",
            PetitionField::Representatives => "代表",
            PetitionField::Title => "标题",
            PetitionField::Request => "信访请求",
            PetitionField::Facts => "事实",
            PetitionField::Reasons => "理由",
            PetitionField::Category => "问题类别",
            PetitionField::PetitionType => "信访形式",
            PetitionField::Township => "发生地乡镇",
            PetitionField::Village => "村（社区）",
            PetitionField::ComplainedAbout => "被反映单位或人员",
            PetitionField::Flags => "标记",
            PetitionField::ReceivedOn => "收件日期",
        }
    }

    /// The field's key in forms and in the errors of a validation (its serde name).
    pub fn key(self) -> &'static str {
        match self {
            PetitionField::Channel => "channel",
            PetitionField::Petitioners => "petitioners",
            PetitionField::Anonymous => "anonymous",
            PetitionField::HeadCount => "head_count",
            PetitionField::Representatives => "representatives",
            PetitionField::Title => "title",
            PetitionField::Request => "request",
            PetitionField::Facts => "facts",
            PetitionField::Reasons => "reasons",
            PetitionField::Category => "category",
            PetitionField::PetitionType => "petition_type",
            PetitionField::Township => "township",
            PetitionField::Village => "village",
            PetitionField::ComplainedAbout => "complained_about",
            PetitionField::Flags => "flags",
            PetitionField::ReceivedOn => "received_on",
        }
    }
}

impl From<PetitionField> for String {
    fn from(f: PetitionField) -> String {
        f.key().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_is_the_serde_name_and_each_label_is_distinct() {
        for f in PetitionField::ALL {
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.key())
            );
        }
        let labels: std::collections::BTreeSet<&str> =
            PetitionField::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(labels.len(), PetitionField::ALL.len());
    }
}
