//! Every case's list row held in memory, so search, filters, the workbench, the
//! dashboard and the registration suggestions answer without reading IndexedDB or
//! parsing JSON per keystroke. The store loads it once and keeps it in step with every
//! write; it is derived data, never the record.

use std::collections::HashMap;

use memchr::memmem::Finder;

use super::ids::CaseId;
use super::measures::Facts;
use super::patterns::MatchRow;
use super::search::{CaseFilter, CaseSummary, Page};
use super::text::normalize;

/// The rows of every case, oldest registration first.
#[derive(Debug, Default)]
pub struct CaseIndex {
    rows: Vec<CaseSummary>,
    /// Each row's bigram signature, aligned with `rows`.
    signatures: Vec<Signature>,
    position: HashMap<CaseId, usize>,
}

/// Which of 2048 buckets the character bigrams of a text fall in: a row whose signature
/// lacks a bucket of the search term cannot contain it, so most rows are passed over
/// after 256 bytes instead of their whole text. (A row of 350 characters fills about a
/// sixth of the buckets, so even a two-character term skips five rows in six.)
const SIGNATURE_BITS: u32 = 2048;
const SIGNATURE_WORDS: usize = SIGNATURE_BITS as usize / 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Signature([u64; SIGNATURE_WORDS]);

impl Default for Signature {
    fn default() -> Self {
        Signature([0; SIGNATURE_WORDS])
    }
}

impl Signature {
    fn of(text: &str) -> Signature {
        let mut sig = Signature::default();
        let mut chars = text.chars();
        if let Some(mut prev) = chars.next() {
            for c in chars {
                let h = (u32::from(prev).wrapping_mul(0x9e37_79b1) ^ u32::from(c))
                    .wrapping_mul(0x85eb_ca6b)
                    >> (32 - SIGNATURE_BITS.trailing_zeros());
                sig.0[(h >> 6) as usize] |= 1 << (h & 63);
                prev = c;
            }
        }
        sig
    }

    fn covers(&self, other: &Signature) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & b == *b)
    }
}

/// The list's order: by registration instant, then id (pages show it newest first).
pub fn order(s: &CaseSummary) -> (i64, &str) {
    (s.registered_at.0, s.id.as_str())
}

/// The items at `keep`, in that order, each moved once (positions sorted instead of the
/// items: a county's rows are large).
fn moved_to<T>(items: Vec<T>, keep: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    keep.iter().filter_map(|&i| slots[i].take()).collect()
}

/// Where each case's row is.
fn positions(rows: &[CaseSummary]) -> HashMap<CaseId, usize> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect()
}

impl CaseIndex {
    /// An index of `rows`, in any order (a later row of the same case replaces an
    /// earlier one). A county's rows arrive in the order they are stored, not registered:
    /// they are put in order by sorting their positions, then moved once, rather than
    /// moved about by the sort.
    pub fn new(rows: Vec<CaseSummary>) -> CaseIndex {
        let mut latest: HashMap<&CaseId, usize> = HashMap::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            latest.insert(&r.id, i);
        }
        let mut keep: Vec<usize> = latest.into_values().collect();
        keep.sort_unstable_by(|&a, &b| order(&rows[a]).cmp(&order(&rows[b])));
        let rows = moved_to(rows, &keep);
        let signatures = rows.iter().map(|r| Signature::of(&r.haystack)).collect();
        let position = positions(&rows);
        CaseIndex {
            rows,
            signatures,
            position,
        }
    }

    /// Number of cases.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// How many events the cases hold together (each row counts its own).
    pub fn event_total(&self) -> u64 {
        self.rows.iter().map(|r| u64::from(r.event_count)).sum()
    }

    /// True when there are no cases.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds new rows and replaces the rows of cases already held.
    pub fn upsert_all(&mut self, rows: Vec<CaseSummary>) {
        let mut resort = false;
        for row in rows {
            let sig = Signature::of(&row.haystack);
            if let Some(&i) = self.position.get(&row.id) {
                resort |= order(&self.rows[i]) != order(&row);
                self.rows[i] = row;
                self.signatures[i] = sig;
            } else {
                // A new registration is the newest row; an imported case may be older.
                resort |= self
                    .rows
                    .last()
                    .is_some_and(|last| order(last) > order(&row));
                self.position.insert(row.id.clone(), self.rows.len());
                self.rows.push(row);
                self.signatures.push(sig);
            }
        }
        if resort {
            // Positions are sorted and the rows moved once (see `new`).
            let mut idx: Vec<usize> = (0..self.rows.len()).collect();
            idx.sort_unstable_by(|&a, &b| order(&self.rows[a]).cmp(&order(&self.rows[b])));
            self.rows = moved_to(std::mem::take(&mut self.rows), &idx);
            self.signatures = moved_to(std::mem::take(&mut self.signatures), &idx);
            self.position = positions(&self.rows);
        }
    }

    /// Drops every row.
    pub fn clear(&mut self) {
        *self = CaseIndex::default();
    }

    /// One page of the rows passing `filter`, newest first, with the total.
    pub fn page(&self, filter: &CaseFilter, page: usize, page_size: usize) -> Page<CaseSummary> {
        // One searcher per term, built once and run over every row: a county's rows are
        // searched in tens of milliseconds.
        let terms: Vec<String> = filter.query.split_whitespace().map(normalize).collect();
        let finders: Vec<Finder> = terms.iter().map(|t| Finder::new(t.as_bytes())).collect();
        let wanted = terms.iter().fold(Signature::default(), |mut acc, t| {
            for (a, b) in acc.0.iter_mut().zip(Signature::of(t).0) {
                *a |= b;
            }
            acc
        });
        let skip = page * page_size;
        let mut total = 0;
        let mut items = Vec::new();
        for (s, sig) in self.rows.iter().zip(&self.signatures).rev() {
            let hay = s.haystack.as_bytes();
            if sig.covers(&wanted)
                && filter.matches_fields(s)
                && finders.iter().all(|f| f.find(hay).is_some())
            {
                if total >= skip && items.len() < page_size {
                    items.push(s.clone());
                }
                total += 1;
            }
        }
        Page {
            items,
            total,
            page,
            page_size,
        }
    }

    /// Every row, oldest registration first, lent without a copy.
    pub fn rows(&self) -> &[CaseSummary] {
        &self.rows
    }

    /// The rows for which `keep` holds, oldest registration first.
    pub fn rows_where(&self, keep: impl Fn(&CaseSummary) -> bool) -> Vec<CaseSummary> {
        self.rows.iter().filter(|r| keep(r)).cloned().collect()
    }

    /// Every case's facts, for the measures.
    pub fn facts(&self) -> Vec<Facts> {
        self.rows.iter().map(|r| r.facts.clone()).collect()
    }

    /// Every case's match keys, for repeat petitioners, clusters and suggestions.
    pub fn matchers(&self) -> Vec<MatchRow> {
        self.rows.iter().map(|r| r.matcher.clone()).collect()
    }
}
