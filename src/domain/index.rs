//! Every case's list row held in memory, so search, filters, the workbench, the
//! dashboard and the registration suggestions answer without reading IndexedDB or
//! parsing JSON per keystroke. The store loads it once and keeps it in step with every
//! write; it is derived data, never the record.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

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

fn by_order(a: &CaseSummary, b: &CaseSummary) -> Ordering {
    order(a).cmp(&order(b))
}

/// Puts `items` in the order `from` gives (`from[k]` is where the `k`-th item now is),
/// in place: each item is swapped along its cycle once, so no second copy of a county's
/// rows is ever held (wasm memory grows to its peak and never shrinks).
fn permute<T>(items: &mut [T], from: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !done[at] {
            done[at] = true;
            let next = from[at];
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// The positions of `items` sorted by `key`, for [`permute`]: positions are sorted rather
/// than the items, which are large.
fn sorted_positions<T>(items: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..items.len()).collect();
    from.sort_unstable_by(|&a, &b| cmp(&items[a], &items[b]));
    from
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
    pub fn new(mut rows: Vec<CaseSummary>) -> CaseIndex {
        let mut latest: HashMap<&CaseId, usize> = HashMap::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            latest.insert(&r.id, i);
        }
        if latest.len() < rows.len() {
            let mut keep = vec![false; rows.len()];
            for i in latest.into_values() {
                keep[i] = true;
            }
            let mut k = keep.into_iter();
            rows.retain(|_| k.next().unwrap_or(false));
        } else {
            drop(latest);
        }
        let from = sorted_positions(&rows, by_order);
        permute(&mut rows, &from);
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
            let from = sorted_positions(&self.rows, by_order);
            permute(&mut self.rows, &from);
            permute(&mut self.signatures, &from);
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

    /// Every case's facts, for the measures (shared with the rows, not copied).
    pub fn facts(&self) -> Vec<Rc<Facts>> {
        self.rows.iter().map(|r| r.facts.clone()).collect()
    }

    /// Every case's match keys, for repeat petitioners, clusters and suggestions (shared, not copied).
    pub fn matchers(&self) -> Vec<Rc<MatchRow>> {
        self.rows.iter().map(|r| r.matcher.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{permute, sorted_positions};
    use proptest::prelude::*;

    proptest! {
        /// Moving items along their cycles puts them where a sort would.
        #[test]
        fn permuting_by_sorted_positions_sorts(mut items in proptest::collection::vec(0u16..50, 0..200)) {
            let mut expected = items.clone();
            expected.sort();
            let from = sorted_positions(&items, u16::cmp);
            permute(&mut items, &from);
            prop_assert_eq!(items, expected);
        }

        /// Any permutation is applied as given: the k-th item is the one that was at from[k].
        #[test]
        fn permuting_applies_the_order_given(from in Just((0..60usize).collect::<Vec<_>>()).prop_shuffle()) {
            let items: Vec<usize> = (100..160).collect();
            let mut moved = items.clone();
            permute(&mut moved, &from);
            let expected: Vec<usize> = from.iter().map(|&i| items[i]).collect();
            prop_assert_eq!(moved, expected);
        }
    }
}
