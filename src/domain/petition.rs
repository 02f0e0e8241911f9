//! The content of a petition as registered, the form draft it is typed into, and the
//! validation between them. Field paths used in errors match the draft's shape.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::errors::FieldErrors;
use super::field::PetitionField as F;
use super::idcard;
use super::time::parse_date;
use super::validate::{non_blank, too_long, validate_phone};
use super::vocab::{
    Category, Channel, PetitionType, PetitionerKind, GROUP_THRESHOLD, MAX_REPRESENTATIVES,
};

/// A petitioner or representative: a person, or an organisation with a contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petitioner {
    /// Person or organisation.
    pub kind: PetitionerKind,
    /// Name of the person or organisation.
    pub name: String,
    /// Normalised 18-digit 身份证号, empty when not given.
    #[serde(default)]
    pub id_number: String,
    /// Normalised phone, empty when not given.
    #[serde(default)]
    pub phone: String,
    /// Address, free text.
    #[serde(default)]
    pub address: String,
}

/// Flags the registrar sets at registration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags {
    /// 越级: raised above the competent level.
    pub skip_level: bool,
    /// 重大紧急.
    pub major_urgent: bool,
    /// 涉法涉诉: belongs to courts or other legal channels.
    pub law_litigation: bool,
}

/// A validated petition: what a registration records and corrections change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    /// 收件日期: the day the petition reached the office, when earlier than its
    /// registration (a letter registered the next day); `None` means the registration day.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
    /// How it arrived.
    pub channel: Channel,
    /// Who petitions (empty only when anonymous).
    pub petitioners: Vec<Petitioner>,
    /// 匿名: the petitioner did not give a name.
    #[serde(default)]
    pub anonymous: bool,
    /// Number of people taking part (at least 1).
    pub head_count: u32,
    /// Representatives of a group, at most five.
    #[serde(default)]
    pub representatives: Vec<Petitioner>,
    /// Short summary of the matter.
    pub title: String,
    /// 请求.
    pub request: String,
    /// 事实.
    #[serde(default)]
    pub facts: String,
    /// 理由.
    #[serde(default)]
    pub reasons: String,
    /// Subject category.
    pub category: Category,
    /// 建议意见 / 检举控告 / 申诉求决.
    pub petition_type: PetitionType,
    /// Township where the matter arose.
    pub township: String,
    /// Village or community, free text.
    #[serde(default)]
    pub village: String,
    /// The unit or person complained about.
    #[serde(default)]
    pub complained_about: String,
    /// Registration flags.
    #[serde(default)]
    pub flags: Flags,
}

impl Petition {
    /// 集体访: five or more people.
    pub fn is_group(&self) -> bool {
        self.head_count >= GROUP_THRESHOLD
    }

    /// The 身份证号 of every petitioner and representative that has one.
    pub fn id_numbers(&self) -> Vec<String> {
        self.petitioners
            .iter()
            .chain(&self.representatives)
            .map(|x| x.id_number.clone())
            .filter(|i| !i.is_empty())
            .collect()
    }

    /// Names of all petitioners, joined for lists.
    pub fn petitioner_names(&self) -> String {
        if self.anonymous && self.petitioners.is_empty() {
            return "匿名".to_owned();
        }
        self.petitioners
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// One petitioner row of the form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PetitionerDraft {
    /// Person or organisation.
    pub kind: PetitionerKind,
    /// Name as typed.
    pub name: String,
    /// 身份证号 as typed.
    pub id_number: String,
    /// Phone as typed.
    pub phone: String,
    /// Address as typed.
    pub address: String,
}

impl PetitionerDraft {
    fn is_blank(&self) -> bool {
        [&self.name, &self.id_number, &self.phone, &self.address]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

/// The registration form exactly as the person typed it, saved as a draft on every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PetitionDraft {
    /// 收件日期 as typed (`YYYY-MM-DD`); blank means the registration day.
    pub received_on: String,
    /// Selected channel.
    pub channel: Option<Channel>,
    /// Petitioner rows.
    pub petitioners: Vec<PetitionerDraft>,
    /// Anonymous petition.
    pub anonymous: bool,
    /// Head count as typed; blank means the number of petitioners.
    pub head_count: String,
    /// Representative rows.
    pub representatives: Vec<PetitionerDraft>,
    /// Title.
    pub title: String,
    /// 请求.
    pub request: String,
    /// 事实.
    pub facts: String,
    /// 理由.
    pub reasons: String,
    /// Selected category.
    pub category: Option<Category>,
    /// Selected type.
    pub petition_type: Option<PetitionType>,
    /// Selected township.
    pub township: String,
    /// Village.
    pub village: String,
    /// Complained-about unit or person.
    pub complained_about: String,
    /// Flags.
    pub flags: Flags,
}

impl Default for PetitionDraft {
    fn default() -> Self {
        Self {
            received_on: String::new(),
            channel: None,
            petitioners: vec![PetitionerDraft::default()],
            anonymous: false,
            head_count: String::new(),
            representatives: Vec::new(),
            title: String::new(),
            request: String::new(),
            facts: String::new(),
            reasons: String::new(),
            category: None,
            petition_type: None,
            township: String::new(),
            village: String::new(),
            complained_about: String::new(),
            flags: Flags::default(),
        }
    }
}

const MAX_NAME: usize = 60;
const MAX_TITLE: usize = 100;
const MAX_TEXT: usize = 5000;
const MAX_SHORT: usize = 200;

fn person_from_draft(
    d: &PetitionerDraft,
    path: &str,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Petitioner {
    match non_blank(&d.name) {
        None => errors.add(
            format!("{path}.name"),
            match d.kind {
                PetitionerKind::Person => "请填写姓名",
                PetitionerKind::Organisation => "请填写单位或组织名称",
            },
        ),
        Some(n) => {
            if let Some(m) = too_long(n, MAX_NAME) {
                errors.add(format!("{path}.name"), m);
            }
        }
    }
    let id_number = match non_blank(&d.id_number) {
        None => String::new(),
        Some(raw) => idcard::validate(raw, today).unwrap_or_else(|e| {
            errors.add(format!("{path}.id_number"), e.to_string());
            String::new()
        }),
    };
    let phone = match non_blank(&d.phone) {
        None => String::new(),
        Some(raw) => validate_phone(raw).unwrap_or_else(|e| {
            errors.add(format!("{path}.phone"), e.to_string());
            String::new()
        }),
    };
    if let Some(m) = too_long(&d.address, MAX_SHORT) {
        errors.add(format!("{path}.address"), m);
    }
    Petitioner {
        kind: d.kind,
        name: d.name.trim().to_owned(),
        id_number,
        phone,
        address: d.address.trim().to_owned(),
    }
}

fn required_text(
    value: &str,
    field: F,
    missing: &str,
    max: usize,
    errors: &mut FieldErrors,
) -> String {
    match non_blank(value) {
        None => errors.add(field.key(), missing),
        Some(v) => {
            if let Some(m) = too_long(v, max) {
                errors.add(field.key(), m);
            }
        }
    }
    value.trim().to_owned()
}

fn optional_text(value: &str, field: F, max: usize, errors: &mut FieldErrors) -> String {
    if let Some(m) = too_long(value, max) {
        errors.add(field.key(), m);
    }
    value.trim().to_owned()
}

impl PetitionDraft {
    /// Checks every field against the rules and, if all hold, gives the petition.
    /// `today` (China date) bounds birth dates in identity numbers.
    pub fn validate(&self, today: NaiveDate) -> Result<Petition, FieldErrors> {
        let mut e = FieldErrors::default();
        let received_on = match non_blank(&self.received_on) {
            None => None,
            Some(t) => match parse_date(t) {
                None => {
                    e.add(F::ReceivedOn, "收件日期格式应为 年-月-日，例如 2026-11-26");
                    None
                }
                Some(d) if d > today => {
                    e.add(F::ReceivedOn, "收件日期不能晚于今天");
                    None
                }
                Some(d) if d.year() < 2000 => {
                    e.add(F::ReceivedOn, "收件日期过早，请核对");
                    None
                }
                Some(d) => Some(d),
            },
        };
        if self.channel.is_none() {
            e.add(F::Channel, "请选择信访渠道");
        }
        let mut petitioners = Vec::new();
        for (i, d) in self.petitioners.iter().enumerate() {
            if self.anonymous && d.is_blank() {
                continue;
            }
            petitioners.push(person_from_draft(
                d,
                &format!("{}.{i}", F::Petitioners.key()),
                today,
                &mut e,
            ));
        }
        if petitioners.is_empty() && !self.anonymous {
            e.add(F::Petitioners, "请至少填写一位信访人，或勾选“匿名”");
        }
        let head_count = match non_blank(&self.head_count) {
            None => petitioners.len().max(1) as u32,
            Some(t) => match t.parse::<u32>() {
                Ok(n) if (1..=100_000).contains(&n) => n,
                _ => {
                    e.add(F::HeadCount, "人数应为 1 到 100000 之间的整数");
                    1
                }
            },
        };
        if head_count < petitioners.len() as u32 {
            e.add(
                F::HeadCount,
                format!("人数不能少于已填写的信访人数（{}）", petitioners.len()),
            );
        }
        let filled: Vec<(usize, &PetitionerDraft)> = self
            .representatives
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.is_blank())
            .collect();
        if filled.len() > MAX_REPRESENTATIVES {
            e.add(
                F::Representatives,
                format!(
                    "多人走访应推选代表，代表最多 {MAX_REPRESENTATIVES} 人（现为 {} 人）",
                    filled.len()
                ),
            );
        }
        let representatives = filled
            .iter()
            .map(|(i, d)| {
                person_from_draft(
                    d,
                    &format!("{}.{i}", F::Representatives.key()),
                    today,
                    &mut e,
                )
            })
            .collect();
        let title = required_text(
            &self.title,
            F::Title,
            "请填写标题（事项摘要）",
            MAX_TITLE,
            &mut e,
        );
        let request = required_text(
            &self.request,
            F::Request,
            "请填写信访请求",
            MAX_TEXT,
            &mut e,
        );
        let facts = optional_text(&self.facts, F::Facts, MAX_TEXT, &mut e);
        let reasons = optional_text(&self.reasons, F::Reasons, MAX_TEXT, &mut e);
        if self.category.is_none() {
            e.add(F::Category, "请选择问题类别");
        }
        if self.petition_type.is_none() {
            e.add(
                F::PetitionType,
                "请选择信访形式（建议意见、检举控告或申诉求决）",
            );
        }
        let township = required_text(
            &self.township,
            F::Township,
            "请选择问题发生地（乡镇）",
            MAX_NAME,
            &mut e,
        );
        let village = optional_text(&self.village, F::Village, MAX_NAME, &mut e);
        let complained_about = optional_text(
            &self.complained_about,
            F::ComplainedAbout,
            MAX_SHORT,
            &mut e,
        );
        if self.petition_type == Some(PetitionType::Accusation) && complained_about.is_empty() {
            e.add(F::ComplainedAbout, "检举控告须填写被反映的单位或人员");
        }
        match (self.channel, self.category, self.petition_type) {
            (Some(channel), Some(category), Some(petition_type)) if e.is_empty() => Ok(Petition {
                received_on,
                channel,
                petitioners,
                anonymous: self.anonymous,
                head_count,
                representatives,
                title,
                request,
                facts,
                reasons,
                category,
                petition_type,
                township,
                village,
                complained_about,
                flags: self.flags,
            }),
            _ => Err(e),
        }
    }

    /// The form filled with a registered petition, for a correction.
    pub fn from_petition(p: &Petition) -> Self {
        let row = |p: &Petitioner| PetitionerDraft {
            kind: p.kind,
            name: p.name.clone(),
            id_number: p.id_number.clone(),
            phone: p.phone.clone(),
            address: p.address.clone(),
        };
        Self {
            received_on: p.received_on.map(|d| d.to_string()).unwrap_or_default(),
            channel: Some(p.channel),
            petitioners: if p.petitioners.is_empty() {
                vec![PetitionerDraft::default()]
            } else {
                p.petitioners.iter().map(row).collect()
            },
            anonymous: p.anonymous,
            head_count: p.head_count.to_string(),
            representatives: p.representatives.iter().map(row).collect(),
            title: p.title.clone(),
            request: p.request.clone(),
            facts: p.facts.clone(),
            reasons: p.reasons.clone(),
            category: Some(p.category),
            petition_type: Some(p.petition_type),
            township: p.township.clone(),
            village: p.village.clone(),
            complained_about: p.complained_about.clone(),
            flags: p.flags,
        }
    }

    /// True when nothing has been typed yet, so there is no draft worth keeping.
    pub fn is_untouched(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    /// A complete, valid draft used across domain tests.
    pub(crate) fn valid_draft() -> PetitionDraft {
        PetitionDraft {
            channel: Some(Channel::Visit),
            petitioners: vec![PetitionerDraft {
                kind: PetitionerKind::Person,
                name: "张三".into(),
                id_number: "11010519491231002x".into(),
                phone: "138 0013 8000".into(),
                address: "城关镇东街 1 号".into(),
            }],
            title: "拖欠工资".into(),
            request: "请求督促某公司支付拖欠的工资".into(),
            facts: "2026年以来公司拖欠三个月工资".into(),
            category: Some(Category::LabourSocialSecurity),
            petition_type: Some(PetitionType::Claim),
            township: "城关镇".into(),
            ..PetitionDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_validates_and_normalises() {
        let p = valid_draft().validate(today()).unwrap();
        assert_eq!(p.petitioners[0].id_number, "11010519491231002X");
        assert_eq!(p.petitioners[0].phone, "13800138000");
        assert_eq!(p.head_count, 1);
        assert!(!p.is_group());
        assert_eq!(
            PetitionDraft::from_petition(&p).validate(today()).unwrap(),
            p
        );
    }

    #[test]
    fn missing_required_fields_each_get_a_message() {
        let e = PetitionDraft::default().validate(today()).unwrap_err();
        for field in [
            "channel",
            "petitioners.0.name",
            "title",
            "request",
            "category",
            "petition_type",
            "township",
        ] {
            assert!(e.get(field).is_some(), "no error for {field}: {e:?}");
        }
    }

    #[test]
    fn bad_id_and_phone_are_reported_on_their_row() {
        let mut d = valid_draft();
        d.petitioners.push(PetitionerDraft {
            name: "李四".into(),
            id_number: "110105194912310021".into(),
            phone: "12345".into(),
            ..Default::default()
        });
        let e = d.validate(today()).unwrap_err();
        assert!(e.get("petitioners.1.id_number").unwrap().contains("校验位"));
        assert!(e.get("petitioners.1.phone").unwrap().contains("电话号码"));
        assert!(e.get("petitioners.0.id_number").is_none());
    }

    #[test]
    fn received_on_is_optional_but_not_in_the_future() {
        let mut d = valid_draft();
        assert_eq!(d.validate(today()).unwrap().received_on, None);
        d.received_on = "2026-11-20".into();
        assert_eq!(
            d.validate(today()).unwrap().received_on,
            NaiveDate::from_ymd_opt(2026, 11, 20)
        );
        d.received_on = "2026-11-27".into();
        assert!(d
            .validate(today())
            .unwrap_err()
            .get("received_on")
            .unwrap()
            .contains("晚于今天"));
        d.received_on = "11/20".into();
        assert!(d
            .validate(today())
            .unwrap_err()
            .get("received_on")
            .is_some());
    }

    #[test]
    fn group_rules() {
        let mut d = valid_draft();
        d.head_count = "30".into();
        d.representatives = (0..6)
            .map(|i| PetitionerDraft {
                name: format!("代表{i}"),
                ..Default::default()
            })
            .collect();
        assert!(d
            .validate(today())
            .unwrap_err()
            .get("representatives")
            .unwrap()
            .contains("最多 5 人"));
        d.representatives.pop();
        let p = d.validate(today()).unwrap();
        assert!(p.is_group());
        assert_eq!(p.representatives.len(), 5);
        d.head_count = "0".into();
        assert!(d.validate(today()).unwrap_err().get("head_count").is_some());
    }

    #[test]
    fn anonymous_accusation_needs_a_target_but_no_name() {
        let mut d = valid_draft();
        d.petitioners = vec![PetitionerDraft::default()];
        d.anonymous = true;
        d.petition_type = Some(PetitionType::Accusation);
        assert!(d
            .validate(today())
            .unwrap_err()
            .get("complained_about")
            .is_some());
        d.complained_about = "某局某科长".into();
        let p = d.validate(today()).unwrap();
        assert!(p.petitioners.is_empty());
        assert_eq!(p.petitioner_names(), "匿名");
    }

    #[test]
    fn draft_round_trips_through_json_and_old_drafts_still_load() {
        let d = valid_draft();
        let back: PetitionDraft =
            serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
        // A draft saved before a field existed loads with that field at its default.
        let partial: PetitionDraft = serde_json::from_str(r#"{"title":"半截"}"#).unwrap();
        assert_eq!(partial.title, "半截");
        assert!(PetitionDraft::default().is_untouched());
        assert!(!partial.is_untouched());
    }
}
