//! Reading an office's existing ledger (台账) into petitions: the header row found below
//! title rows, its columns matched to fields by their usual names (a mapping the clerk
//! can correct), and every data row read as messy ledgers are: blank and subtotal rows
//! skipped, dates as Excel serials, `2026/1/5`, `2026.1.5` or `2026年1月5日`, full-width
//! digits, several petitioners in one cell. Each row becomes a petition checked by the
//! same rules as the registration form, or a refusal naming its line and reason.

pub mod csv;
pub mod file;
pub mod import;
pub mod xlsx;
pub mod zip;

use chrono::NaiveDate;
use thiserror::Error;

use super::petition::{Petition, PetitionDraft, PetitionerDraft};
use super::vocab::{labelled_enum, Category, Channel, PetitionType, PetitionerKind};

labelled_enum!(
    /// A ledger column the app knows how to read.
    LedgerField {
        OriginalNo => "原编号",
        ReceivedOn => "登记日期",
        Channel => "信访形式",
        Name => "姓名",
        IdNumber => "身份证号",
        Phone => "联系电话",
        Address => "住址",
        Title => "信访事项",
        Request => "诉求",
        Facts => "事实和理由",
        Category => "问题类别",
        Township => "乡镇",
        Village => "村（社区）",
        HeadCount => "人数",
        Handling => "办理情况",
    }
);

impl LedgerField {
    /// The headers ledgers use for this field (normalised: no spaces or brackets).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            LedgerField::OriginalNo => {
                &["原编号", "编号", "案件编号", "信访编号", "登记编号", "件号"]
            }
            LedgerField::ReceivedOn => &[
                "登记日期",
                "来信日期",
                "来访日期",
                "收件日期",
                "信访日期",
                "日期",
                "登记时间",
                "来信时间",
                "来访时间",
                "时间",
            ],
            LedgerField::Channel => &["信访形式", "渠道", "信访渠道", "信访方式", "来源", "方式"],
            LedgerField::Name => &["姓名", "信访人", "信访人姓名", "来信人", "来访人", "反映人"],
            LedgerField::IdNumber => &[
                "身份证号",
                "身份证号码",
                "身份证",
                "公民身份号码",
                "证件号码",
            ],
            LedgerField::Phone => &["联系电话", "电话", "手机", "手机号", "手机号码", "联系方式"],
            LedgerField::Address => &["住址", "地址", "家庭住址", "现住址", "通讯地址"],
            LedgerField::Title => &[
                "信访事项",
                "标题",
                "事由",
                "反映问题",
                "主要问题",
                "事项",
                "问题",
                "信访事项标题",
            ],
            LedgerField::Request => &["诉求", "请求", "主要诉求", "信访诉求", "信访请求"],
            LedgerField::Facts => &[
                "事实和理由",
                "事实与理由",
                "主要内容",
                "反映内容",
                "简要情况",
                "内容",
                "情况",
            ],
            LedgerField::Category => &["问题类别", "类别", "问题分类", "分类", "问题性质"],
            LedgerField::Township => &["乡镇", "乡镇街道", "所属乡镇", "属地", "乡镇名称"],
            LedgerField::Village => &["村社区", "村", "村居", "村组", "社区"],
            LedgerField::HeadCount => &["人数", "来访人数", "涉及人数"],
            LedgerField::Handling => &["办理情况", "办理结果", "处理情况", "办理进度", "处理结果"],
        }
    }
}

/// Full-width digits and letters as ASCII, the ideographic space as a space.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A header as compared: half-width, without spaces, brackets, stars or what stands in
/// brackets after the name ("姓名（必填）").
fn header_key(s: &str) -> String {
    let s = half_width(s);
    let s = s.split(['(', '（']).next().unwrap_or("");
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | ':' | '：' | '"'))
        .collect()
}

/// The field a header names, if any: an exact alias first, else the longest alias it
/// contains ("信访人身份证号" is the 身份证号).
pub fn field_of(header: &str) -> Option<LedgerField> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    let exact = LedgerField::ALL
        .iter()
        .find(|f| f.aliases().contains(&key.as_str()));
    if let Some(f) = exact {
        return Some(*f);
    }
    LedgerField::ALL
        .iter()
        .flat_map(|f| f.aliases().iter().map(move |a| (*f, *a)))
        .filter(|(_, a)| a.chars().count() >= 2 && key.contains(a))
        .max_by_key(|(_, a)| a.chars().count())
        .map(|(f, _)| f)
}

/// Each column's field; a field is given to its first column only.
pub fn match_headers(header: &[String]) -> Vec<Option<LedgerField>> {
    let mut taken = Vec::new();
    header
        .iter()
        .map(|h| {
            let f = field_of(h).filter(|f| !taken.contains(f))?;
            taken.push(f);
            Some(f)
        })
        .collect()
}

/// The clerk's choice of `field` for `column`: a field goes to one column, so choosing it
/// here takes it from any other.
pub fn assign(mapping: &mut [Option<LedgerField>], column: usize, field: Option<LedgerField>) {
    if field.is_some() {
        for other in mapping.iter_mut().filter(|m| **m == field) {
            *other = None;
        }
    }
    if let Some(slot) = mapping.get_mut(column) {
        *slot = field;
    }
}

/// Rows looked at for the header (title rows and notes above it).
const HEADER_SEARCH_ROWS: usize = 30;

/// The header row: among the first rows, the one naming the most known fields (at least
/// three, one of them the matter or the petitioner).
pub fn find_header(rows: &[Vec<String>]) -> Option<usize> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(i, r)| {
            let m = match_headers(r);
            let known = m.iter().flatten().count();
            let core = m.iter().flatten().any(|f| {
                matches!(
                    f,
                    LedgerField::Title | LedgerField::Request | LedgerField::Name
                )
            });
            (i, if core { known } else { 0 })
        })
        .filter(|(_, n)| *n >= 3)
        .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// A date as ledgers write it: an Excel serial, `2026-01-05`, `2026/1/5`, `2026.1.5`,
/// `2026年1月5日`, `20260105`, with or without a time after it.
pub fn ledger_date(s: &str) -> Option<NaiveDate> {
    let s = half_width(s);
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // An Excel serial day (a real date cell read as its number).
    if let Ok(serial) = s.parse::<f64>() {
        if (20_000.0..80_000.0).contains(&serial) {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
            return epoch.checked_add_days(chrono::Days::new(serial.trunc() as u64));
        }
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            let n: u32 = s.parse().ok()?;
            return NaiveDate::from_ymd_opt(
                i32::try_from(n / 10_000).ok()?,
                n / 100 % 100,
                n % 100,
            );
        }
        return None;
    }
    let day = s.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = day
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// The names, numbers or phones of several people written in one cell.
fn people(cell: &str) -> Vec<String> {
    half_width(cell)
        .split(['、', ',', '，', ';', '；', '/', '\n', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

fn channel_of(s: &str) -> Option<Channel> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    Some(if s.contains('网') {
        Channel::Online
    } else if s.contains("电话") || s.contains("12345") {
        Channel::Phone
    } else if s.contains("传真") {
        Channel::Fax
    } else if s.contains('访') {
        Channel::Visit
    } else {
        Channel::Letter
    })
}

fn category_of(s: &str) -> Category {
    Category::ALL
        .iter()
        .copied()
        .find(|c| {
            *c != Category::Other
                && (s.contains(c.label()) || (!s.is_empty() && c.label().contains(s.trim())))
        })
        .unwrap_or(Category::Other)
}

/// A ledger row that became a petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The row's line in the sheet (1-based, as the spreadsheet numbers it).
    pub line: usize,
    /// The number the case had in the old ledger ("" when the ledger gave none).
    pub original_no: String,
    /// What identifies the row across imports ([`import::row_key`]).
    pub key: String,
    /// What the ledger says of its handling, kept with the case.
    pub handling: String,
    /// The petition, checked like a registration.
    pub petition: Petition,
}

/// A row refused, with why, to be exported back, fixed and imported again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The row's line in the sheet.
    pub line: usize,
    /// Why, in plain Chinese.
    pub reason: String,
    /// The row's cells as they were.
    pub cells: Vec<String>,
}

/// A ledger read: what will become cases, what was refused, what was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerReading {
    /// Line of the header row.
    pub header_line: usize,
    /// The header as written.
    pub header: Vec<String>,
    /// Each column's field.
    pub mapping: Vec<Option<LedgerField>>,
    /// Rows that become cases.
    pub rows: Vec<LedgerRow>,
    /// Rows refused.
    pub refused: Vec<Refused>,
    /// Blank, subtotal and repeated header rows left out.
    pub skipped: usize,
}

/// Why a ledger cannot be read at all; nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LedgerError {
    /// No row looks like a header.
    #[error("没有找到表头：前 30 行中没有一行含“姓名”“信访事项”“诉求”“登记日期”等列名中的三个。请检查文件，或在表头行写上这些列名")]
    NoHeader,
    /// Nothing to say what a case is about.
    #[error(
        "表头中没有“信访事项”“诉求”或“事实和理由”列，无法得知每件信访反映什么。请在对应列选择字段"
    )]
    NoMatter,
    /// The workbook could not be read.
    #[error(transparent)]
    Xlsx(#[from] xlsx::XlsxError),
    /// An Excel 97–2003 workbook.
    #[error("这是旧版 Excel 文件（.xls），请在 Excel 中“另存为” .xlsx 或 CSV 后再导入")]
    OldExcel,
    /// Neither a workbook nor text in an encoding the app reads.
    #[error("无法识别文件内容：请导入 Excel 台账（.xlsx）或 CSV 文件（UTF-8 或 GB18030 编码）")]
    NotText,
    /// Larger than any ledger.
    #[error("文件超过 50 MB，请拆分台账后分批导入")]
    TooLarge,
    /// Nothing below the header.
    #[error("表头下面没有任何数据行")]
    NoRows,
}

fn is_subtotal(cells: &[String]) -> bool {
    cells.iter().any(|c| {
        let k = header_key(c);
        ["合计", "小计", "总计", "共计"]
            .iter()
            .any(|w| k.starts_with(w))
    })
}

/// Reads the rows of a sheet (or CSV); `mapping` replaces the matched one when the clerk
/// corrected it. `today` is the day of import (no date after it is accepted).
pub fn read_ledger(
    rows: &[Vec<String>],
    mapping: Option<Vec<Option<LedgerField>>>,
    today: NaiveDate,
) -> Result<LedgerReading, LedgerError> {
    let at = find_header(rows).ok_or(LedgerError::NoHeader)?;
    let header = rows[at].clone();
    let mapping = mapping.unwrap_or_else(|| match_headers(&header));
    let column = |f: LedgerField| mapping.iter().position(|m| *m == Some(f));
    if ![LedgerField::Title, LedgerField::Request, LedgerField::Facts]
        .iter()
        .any(|f| column(*f).is_some())
    {
        return Err(LedgerError::NoMatter);
    }
    let mut reading = LedgerReading {
        header_line: at + 1,
        header: header.clone(),
        mapping: mapping.clone(),
        rows: Vec::new(),
        refused: Vec::new(),
        skipped: 0,
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, cells) in rows.iter().enumerate().skip(at + 1) {
        let line = i + 1;
        let get = |f: LedgerField| {
            column(f)
                .and_then(|c| cells.get(c))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        if cells.iter().all(|c| c.trim().is_empty()) || is_subtotal(cells) || *cells == header {
            reading.skipped += 1;
            continue;
        }
        let refuse = |reason: String| Refused {
            line,
            reason: format!("第 {line} 行：{reason}"),
            cells: cells.clone(),
        };
        let (title, request, facts) = (
            get(LedgerField::Title),
            get(LedgerField::Request),
            get(LedgerField::Facts),
        );
        if title.is_empty() && request.is_empty() && facts.is_empty() {
            reading.refused.push(refuse(
                "缺少信访事项（信访事项、诉求、事实和理由都是空的）".into(),
            ));
            continue;
        }
        let date_text = get(LedgerField::ReceivedOn);
        let received = ledger_date(&date_text);
        if !date_text.is_empty() && received.is_none() {
            reading.refused.push(refuse(format!(
                "日期“{date_text}”无法识别，请写成 2026-01-05 或 2026年1月5日"
            )));
            continue;
        }
        let (names, ids, phones, addresses) = (
            people(&get(LedgerField::Name)),
            people(&get(LedgerField::IdNumber)),
            people(&get(LedgerField::Phone)),
            get(LedgerField::Address),
        );
        let count = names.len().max(ids.len()).max(phones.len());
        let petitioners: Vec<PetitionerDraft> = (0..count)
            .map(|n| PetitionerDraft {
                kind: PetitionerKind::Person,
                name: names.get(n).cloned().unwrap_or_default(),
                id_number: ids.get(n).cloned().unwrap_or_default(),
                phone: phones.get(n).cloned().unwrap_or_default(),
                // One address is the first person's; others share it only when given.
                address: if n == 0 {
                    addresses.clone()
                } else {
                    String::new()
                },
            })
            .collect();
        // A matter without its own title is named by the start of what it asks.
        let title = if title.is_empty() {
            request.chars().chain(facts.chars()).take(20).collect()
        } else {
            title
        };
        let draft = PetitionDraft {
            received_on: received.map(|d| d.to_string()).unwrap_or_default(),
            channel: Some(channel_of(&get(LedgerField::Channel)).unwrap_or(Channel::Letter)),
            anonymous: petitioners.is_empty(),
            petitioners,
            head_count: half_width(&get(LedgerField::HeadCount)),
            request: if request.is_empty() {
                title.clone()
            } else {
                request
            },
            title,
            facts,
            category: Some(category_of(&get(LedgerField::Category))),
            petition_type: Some(PetitionType::Claim),
            township: get(LedgerField::Township),
            village: get(LedgerField::Village),
            ..PetitionDraft::default()
        };
        let original_no = half_width(&get(LedgerField::OriginalNo));
        let fields: Vec<(LedgerField, String)> = mapping
            .iter()
            .zip(cells)
            .filter_map(|(f, c)| Some(((*f)?, c.clone())))
            .collect();
        let key = import::row_key(&original_no, received, &fields);
        if let Some(first) = seen.get(&key) {
            reading.refused.push(refuse(format!(
                "与第 {first} 行重复（原编号和日期相同，或各列内容完全相同），只导入第 {first} 行"
            )));
            continue;
        }
        match draft.validate(today) {
            Ok(petition) => {
                seen.insert(key.clone(), line);
                reading.rows.push(LedgerRow {
                    line,
                    original_no,
                    key,
                    handling: get(LedgerField::Handling),
                    petition,
                })
            }
            Err(e) => reading.refused.push(refuse(
                e.iter().map(|(_, m)| m).collect::<Vec<_>>().join("；"),
            )),
        }
    }
    if reading.rows.is_empty() && reading.refused.is_empty() {
        return Err(LedgerError::NoRows);
    }
    Ok(reading)
}

#[cfg(test)]
mod tests;
