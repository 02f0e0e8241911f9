//! A ledger row becoming a case: its ids derived from the row (so importing the same
//! ledger twice finds the cases it already made and adds nothing), whether the ledger
//! says it was settled, and the events that register it with its 台账导入 record.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::{half_width, LedgerField, LedgerRow};
use crate::domain::case::{register, CaseNumber};
use crate::domain::event::{Actor, Event, EventBody};
use crate::domain::ids::{CaseId, EventId};
use crate::domain::time::Timestamp;

/// What identifies a row across imports: its original number with its date when the
/// ledger numbers its rows (numbers restart each year in many ledgers), else every
/// field it gives, so a second import of the same ledger matches row for row.
pub fn row_key(
    original_no: &str,
    received: Option<NaiveDate>,
    fields: &[(LedgerField, String)],
) -> String {
    let no = half_width(original_no.trim());
    if no.is_empty() {
        let mut cells: Vec<String> = fields
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(f, v)| format!("{}={}", f.label(), v.trim()))
            .collect();
        // Whatever the order of the columns.
        cells.sort();
        format!("row\u{1f}{}", cells.join("\u{1f}"))
    } else {
        let on = received.map(|d| d.to_string()).unwrap_or_default();
        format!("no\u{1f}{no}\u{1f}{on}")
    }
}

fn digest(parts: &[&str]) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(b"xinfang ledger import v1");
    for p in parts {
        h.update([0]);
        h.update(p.as_bytes());
    }
    let full = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&full[..16]);
    id
}

/// Words saying a ledger's case is still open; they win over a word of settling
/// ("未办结" contains "办结").
const OPEN_WORDS: &[&str] = &[
    "未办结",
    "未结",
    "在办",
    "办理中",
    "正在",
    "待",
    "未答复",
    "未回复",
];
/// Words saying a ledger's case was settled there.
const SETTLED_WORDS: &[&str] = &[
    "办结",
    "已结",
    "结案",
    "终结",
    "已答复",
    "已回复",
    "息诉",
    "已处理",
    "已解决",
    "完结",
    "已告知",
    "已化解",
];

/// Whether the ledger's 办理情况 says the case was settled there.
pub fn settled(handling: &str) -> bool {
    let h: String = handling.chars().filter(|c| !c.is_whitespace()).collect();
    !OPEN_WORDS.iter().any(|w| h.contains(w)) && SETTLED_WORDS.iter().any(|w| h.contains(w))
}

impl LedgerRow {
    /// The case this row becomes for the unit `unit_code`: the same row gives the same id.
    pub fn case_id(&self, unit_code: &str) -> CaseId {
        CaseId::from_random(digest(&[unit_code, &self.key]))
    }

    /// Whether the ledger says this case was settled there.
    pub fn settled(&self) -> bool {
        settled(&self.handling)
    }

    /// The events that register this row as a case numbered `number`, recorded by `by`
    /// at `at`: the registration and its 台账导入 record from the file `source`.
    pub fn events(
        &self,
        source: &str,
        by: &Actor,
        at: Timestamp,
        number: &CaseNumber,
    ) -> Vec<Event> {
        let case_id = self.case_id(&by.unit_code);
        let event_id = |what: &str| EventId::from_random(digest(&[case_id.as_str(), what]));
        let registered = register(
            event_id("registered"),
            case_id.clone(),
            by.clone(),
            at,
            number,
            self.petition.clone(),
        );
        let imported = Event {
            id: event_id("ledger_imported"),
            case_id,
            actor: by.clone(),
            at,
            body: EventBody::LedgerImported {
                source: source.to_owned(),
                original_no: self.original_no.clone(),
                handling: self.handling.clone(),
                settled: self.settled(),
            },
        };
        vec![registered, imported]
    }
}
