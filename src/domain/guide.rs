//! The citizen guide, the 三个明白 of the speech: the procedure and its deadlines, the
//! rules of conduct, rights and duties, which matters belong to courts, where to go.
//! Deadline figures come from the workflow's constants, so the guide and the engine agree.

use super::workflow::{HANDLING_DAYS, MAX_EXTENSION_DAYS, NOTICE_DAYS, REVIEW_DAYS};

/// One section of the guide: a heading and its paragraphs.
pub struct Section {
    /// Heading.
    pub title: &'static str,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
}

/// The guide, in reading order.
pub fn sections() -> Vec<Section> {
    vec![
        Section {
            title: "一、信访的程序和期限",
            paragraphs: vec![
                "在本页面填写并提交信访事项后，请保存信访件文件和查询码。受理单位导入后登记办理。".to_owned(),
                format!("受理单位应自收到之日起 {NOTICE_DAYS} 日内书面告知您是否受理（《信访工作条例》第二十三条）。"),
                format!(
                    "受理后，应在 {HANDLING_DAYS} 日内办结并出具书面处理意见；情况复杂的可延长，但延长不超过 {MAX_EXTENSION_DAYS} 日，并告知延期理由（第三十四条）。"
                ),
                format!(
                    "对处理意见不服的，可自收到书面答复之日起 {REVIEW_DAYS} 日内请求原办理机关的上一级机关复查；对复查意见不服的，可自收到之日起 {REVIEW_DAYS} 日内请求复核（第三十五、三十六条）。复核后，同一事实和理由不再受理。"
                ),
                "期限从收到的次日起算，最后一日是节假日的，顺延至节假日后的第一个工作日。".to_owned(),
            ],
        },
        Section {
            title: "二、应当遵守的行为规范",
            paragraphs: vec![
                "信访应当遵守法律、法规，如实反映情况，不得捏造、歪曲事实，不得诬告、陷害他人。".to_owned(),
                "不得在机关、单位办公场所周围、公共场所非法聚集，围堵、冲击机关、单位，拦截公务车辆，或者堵塞、阻断交通；不得携带危险物品、管制器具；不得侮辱、殴打、威胁机关、单位工作人员，或者非法限制他人人身自由；不得在信访接待场所滞留、滋事，或者将生活不能自理的人弃留在信访接待场所；不得煽动、串联、胁迫、以财物诱使、幕后操纵他人信访或者以信访为名借机敛财（《信访工作条例》第二十六条）。".to_owned(),
                "多人反映共同事项的，应当推选代表，代表人数不超过 5 人。".to_owned(),
            ],
        },
        Section {
            title: "三、您的权利和义务",
            paragraphs: vec![
                "您有权了解办理进展和结果，有权对答复进行评价（满意、基本满意、不满意），有权在规定期限内请求复查、复核。".to_owned(),
                "检举、控告的材料不得转交被检举、控告的单位或人员；您的个人信息依法受到保护。".to_owned(),
                "您应当如实填写信息，对所反映事实的真实性负责，并按规定的渠道和程序提出。".to_owned(),
            ],
        },
        Section {
            title: "四、哪些事项应走法律途径（诉访分离）",
            paragraphs: vec![
                "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项，请向人民法院、仲裁机构或复议机关提出；信访部门会告知您相应的途径。".to_owned(),
                "劳动争议可申请劳动仲裁；对行政机关的具体行政行为不服，可申请行政复议或提起行政诉讼。".to_owned(),
            ],
        },
        Section {
            title: "五、向哪里信访",
            paragraphs: vec![
                "请向依法有权处理的本级或者上一级机关提出；本页面提交的信访件发往页面上方所示的受理单位。越级提出的，将转送有权处理的单位。".to_owned(),
            ],
        },
    ]
}

/// An app's own browser that blocks downloads, by the user agent it announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InAppBrowser {
    /// WeChat's (微信).
    WeChat,
    /// QQ's.
    Qq,
    /// DingTalk's (钉钉).
    DingTalk,
}

impl InAppBrowser {
    /// The in-app browser `user_agent` belongs to, if any.
    pub fn of(user_agent: &str) -> Option<InAppBrowser> {
        if user_agent.contains("MicroMessenger") {
            Some(InAppBrowser::WeChat)
        } else if user_agent.contains("DingTalk") {
            Some(InAppBrowser::DingTalk)
        } else if user_agent.contains(" QQ/") {
            Some(InAppBrowser::Qq)
        } else {
            None
        }
    }

    /// What the citizen is told: the file cannot be saved here, and how to open the
    /// page in the phone's own browser.
    pub fn advice(self) -> String {
        let app = match self {
            InAppBrowser::WeChat => "微信",
            InAppBrowser::Qq => "QQ",
            InAppBrowser::DingTalk => "钉钉",
        };
        format!(
            "您正在{app}中打开本页，{app}不允许保存下载的文件。请点右上角“…”或“⋮”，选择“在浏览器打开”，在手机自带的浏览器中填写和保存信访件；已填写的内容不会带过去，请在浏览器中重新填写。若下方有“分享信访件文件”按钮，也可以用它把文件发送到“文件传输助手”或保存到手机。"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_quotes_the_engine_deadlines() {
        let all: String = sections()
            .iter()
            .flat_map(|s| s.paragraphs.clone())
            .collect();
        for figure in [
            "15 日内书面告知",
            "60 日内办结",
            "不超过 30 日",
            "30 日内请求原办理机关",
        ] {
            assert!(all.contains(figure), "{figure}");
        }
        assert_eq!(sections().len(), 5);
    }
}
