//! Why a step is refused: one variant per rule, so callers can tell refusals apart, and
//! each message names the article it applies and quotes the period from its constant.

use chrono::NaiveDate;
use thiserror::Error;

use super::steps::{Stage, StepKind, MAX_EXTENSION_DAYS, OBJECTION_WORKING_DAYS, REVIEW_DAYS};

/// A step refused by the rules, with the reason in Chinese naming the rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    /// A date after today.
    #[error("日期 {0} 晚于今天，请填写实际发生的日期")]
    FutureDate(NaiveDate),
    /// A date before the petition was received.
    #[error("日期 {on} 早于收件日期 {received}，请核对")]
    BeforeReceipt {
        /// The step's date.
        on: NaiveDate,
        /// The day the petition was received.
        received: NaiveDate,
    },
    /// A required text left blank; names what is missing.
    #[error("请填写{0}")]
    Missing(&'static str),
    /// A 交办 whose report is due on or before the day it is assigned.
    #[error("交办的报告期限应晚于交办日期")]
    ReportDueTooEarly,
    /// An objection after the window of Art. 23.
    #[error("《信访工作条例》第二十三条：对转送、交办有异议的，应在 {days} 个工作日内提出；本件已于 {0} 届满", days = OBJECTION_WORKING_DAYS)]
    ObjectionTooLate(NaiveDate),
    /// A hearing that ends before it starts.
    #[error("听证结束日期不能早于开始日期")]
    HearingEndsBeforeStart,
    /// A hearing recorded before it is over.
    #[error("听证结束日期晚于今天：请在听证结束后登记")]
    HearingNotOver,
    /// An extension of no days or beyond the limit of Art. 34.
    #[error("《信访工作条例》第三十四条：办理期限可以适当延长，但延长期限不得超过 {max} 日", max = MAX_EXTENSION_DAYS)]
    ExtensionTooLong,
    /// An extension recorded after the handling period ended (Art. 34: approved before).
    #[error("《信访工作条例》第三十四条：延期应在办理期限届满前经负责人批准；本件办理期限已于 {0} 届满，不能再延期")]
    ExtensionTooLate(NaiveDate),
    /// A second extension (Art. 34 allows one).
    #[error("《信访工作条例》第三十四条：办理期限只能延长一次，本件已延期")]
    AlreadyExtended,
    /// An opinion before the written acceptance notice (Art. 23).
    #[error("《信访工作条例》第二十三条：应先书面告知信访人已受理，再出具处理意见书")]
    OpinionBeforeNotice,
    /// The acceptance notice recorded twice.
    #[error("已书面告知受理，无需重复告知")]
    AlreadyNotified,
    /// A notice for an anonymous petition, which owes none (Art. 23).
    #[error(
        "本件为匿名信访（信访人姓名、住址不清），依《信访工作条例》第二十三条无需书面告知受理"
    )]
    NoticeNotOwed,
    /// The same answer rated twice.
    #[error("本次答复已评价")]
    AlreadyRated,
    /// A 复查 requested after the window of Art. 35.
    #[error("《信访工作条例》第三十五条：应自收到书面答复之日起 {days} 日内请求复查；本件已于 {0} 届满", days = REVIEW_DAYS)]
    ReviewTooLate(NaiveDate),
    /// A 复核 requested after the window of Art. 36.
    #[error("《信访工作条例》第三十六条：应自收到复查意见之日起 {days} 日内请求复核；本件已于 {0} 届满", days = REVIEW_DAYS)]
    SecondReviewTooLate(NaiveDate),
    /// A 督办 whose feedback is due on or before the day it is ordered.
    #[error("反馈期限应晚于督办日期")]
    FeedbackDueTooEarly,
    /// Feedback on a 督办 order that is not open.
    #[error("该督办单不存在或已反馈")]
    NoSuchSupervision,
    /// 分流 of a case that is not awaiting it (Art. 22).
    #[error("本件{0}，不能再分流；分流只适用于待分流的案件（《信访工作条例》第二十二条）")]
    AlreadyRouted(Stage),
    /// 终结 before a 复核 opinion (Art. 36).
    #[error("本件{0}：只有经复核后才能终结（《信访工作条例》第三十六条，三级终结）")]
    TerminateBeforeSecondReview(Stage),
    /// 复查 before an opinion (Art. 35).
    #[error("本件{0}：只有出具处理意见书后才能请求复查（《信访工作条例》第三十五条）")]
    ReviewBeforeOpinion(Stage),
    /// 复核 before a 复查 opinion (Art. 36).
    #[error("本件{0}：只有出具复查意见后才能请求复核（《信访工作条例》第三十六条）")]
    SecondReviewBeforeReview(Stage),
    /// A handling step on a case not being handled (Art. 23, 34).
    #[error("本件{0}：{1}只适用于已受理、正在办理的案件（《信访工作条例》第二十三、三十四条）")]
    NotBeingHandled(Stage, StepKind),
    /// 督办 of a case that is closed.
    #[error("本件{0}，已办结，不能督办")]
    SuperviseClosed(Stage),
    /// 督办 feedback with no open order.
    #[error("本件没有待反馈的督办单")]
    NoOpenSupervision,
    /// A step that is another unit's part (各负其责).
    #[error("“{kind}”是{unit}的职责，应由{unit}在其系统中办理；本单位只能办理自己的环节")]
    NotYourPart {
        /// The step.
        kind: StepKind,
        /// The unit whose part it is.
        unit: String,
    },
    /// A review taken by the unit whose answer is contested (Art. 35, 36).
    #[error("《信访工作条例》第三十五、三十六条：{0}由作出意见的单位的上级单位受理，本单位不能受理对自己意见的{0}；上级单位不使用本系统的，请在“受理单位”中填写其名称后代为登记")]
    ReviewGoesUp(StepKind),
    /// A review recorded on behalf of a unit that works in the system itself.
    #[error("{0}使用本系统：复查、复核由{0}自行登记受理。请把案件导出交给{0}，不要代为登记")]
    ReviewerInSystem(String),
    /// A review of the answer to a 建议意见 or 检举控告.
    #[error(
        "复查、复核只适用于申诉求决类事项的处理意见；本件为建议意见或检举控告类事项，答复后即办结"
    )]
    NotReviewable,
    /// An objection recorded a second time, or after the sender refused one.
    #[error("已提出过异议，不能再次提出")]
    AlreadyObjected,
    /// Acceptance while an objection awaits the sender.
    #[error("异议正在等待交办、转送单位核实，核实前不能受理或不予受理")]
    ObjectionPending,
    /// A 交办 report where the case was not assigned.
    #[error("只有交办的案件才报送办结报告")]
    NotAssigned,
    /// Any other step the stage does not allow.
    #[error("本件{0}，此时不能进行“{1}”")]
    NotNow(Stage, StepKind),
}
