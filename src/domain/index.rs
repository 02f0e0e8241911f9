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
    /// The rows, their search text taken out into `texts`.
    rows: Vec<CaseSummary>,
    /// Each row's search text, aligned with `rows`.
    texts: Vec<SearchText>,
    position: HashMap<CaseId, usize>,
}

/// A row's search text held as UTF-16 (little-endian bytes): two bytes a character
/// where UTF-8 takes three for the Chinese that is most of it (864 bytes a case in the
/// demo county against 1,137), with its bigram signature.
#[derive(Debug)]
pub struct SearchText {
    signature: Signature,
    utf16: Box<[u8]>,
}

impl SearchText {
    /// Takes a row's search text out into its packed form (the row keeps an empty
    /// string): done as each chunk of rows is read, so a county's text is never held in
    /// both forms at once.
    pub fn take(row: &mut CaseSummary) -> SearchText {
        SearchText::of(&std::mem::take(&mut row.haystack))
    }

    fn of(text: &str) -> SearchText {
        // Exactly the room it takes: a slack given back later leaves holes in wasm
        // memory, which never shrinks.
        let mut utf16 = Vec::with_capacity(utf16_len(text) * 2);
        let signature = Signature::of(
            text.encode_utf16()
                .inspect(|u| utf16.extend_from_slice(&u.to_le_bytes())),
        );
        SearchText {
            signature,
            utf16: utf16.into_boxed_slice(),
        }
    }

    /// True when the term (its UTF-16 bytes, see [`finder`]) occurs at a character boundary:
    /// a match at an odd byte straddles two characters and is passed over.
    fn contains(&self, term: &Finder) -> bool {
        let mut from = 0;
        while let Some(at) = self.utf16.get(from..).and_then(|h| term.find(h)) {
            if (from + at) % 2 == 0 {
                return true;
            }
            from += at + 1;
        }
        false
    }
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
    /// The signature of a text's UTF-16 code units (the units, not the characters, so a
    /// term's units are always among the units of a text containing it).
    fn of(mut units: impl Iterator<Item = u16>) -> Signature {
        let mut sig = Signature::default();
        if let Some(mut prev) = units.next() {
            for c in units {
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

/// The positions of `items` in the order `cmp` gives, for [`permute`]: positions are sorted rather
/// than the items, which are large.
fn sorted_positions<T>(items: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..items.len()).collect();
    from.sort_unstable_by(|&a, &b| cmp(&items[a], &items[b]));
    from
}

/// How many UTF-16 units `text` takes, counted from its UTF-8 bytes without decoding:
/// one for each character, two for one outside the BMP (a four-byte sequence).
fn utf16_len(text: &str) -> usize {
    text.bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// A searcher for a term's UTF-16 units in a [`SearchText`].
fn finder(units: &[u16]) -> Finder<'static> {
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    Finder::new(&bytes).into_owned()
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
    /// their positions are sorted and the rows swapped into place along the cycles
    /// (`permute`), rather than moved about by a sort or into a second vector.
    pub fn new(mut rows: Vec<CaseSummary>) -> CaseIndex {
        let texts = rows.iter_mut().map(SearchText::take).collect();
        CaseIndex::with_texts(rows, texts)
    }

    /// [`Self::new`] of rows whose search text was taken out already, `texts[i]` that of
    /// `rows[i]`.
    pub fn with_texts(mut rows: Vec<CaseSummary>, mut texts: Vec<SearchText>) -> CaseIndex {
        // Unequal lengths would misalign every row after the shorter end: cut both.
        let n = rows.len().min(texts.len());
        rows.truncate(n);
        texts.truncate(n);
        let mut latest: HashMap<&CaseId, usize> = HashMap::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            latest.insert(&r.id, i);
        }
        if latest.len() < rows.len() {
            let mut keep = vec![false; rows.len()];
            for i in latest.into_values() {
                keep[i] = true;
            }
            let mut k = keep.iter();
            rows.retain(|_| k.next().copied().unwrap_or(false));
            let mut k = keep.iter();
            texts.retain(|_| k.next().copied().unwrap_or(false));
        } else {
            drop(latest);
        }
        let from = sorted_positions(&rows, by_order);
        permute(&mut rows, &from);
        permute(&mut texts, &from);
        let position = positions(&rows);
        CaseIndex {
            rows,
            texts,
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
        for mut row in rows {
            let text = SearchText::take(&mut row);
            if let Some(&i) = self.position.get(&row.id) {
                resort |= order(&self.rows[i]) != order(&row);
                self.rows[i] = row;
                self.texts[i] = text;
            } else {
                // A new registration is the newest row; an imported case may be older.
                resort |= self
                    .rows
                    .last()
                    .is_some_and(|last| order(last) > order(&row));
                self.position.insert(row.id.clone(), self.rows.len());
                self.rows.push(row);
                self.texts.push(text);
            }
        }
        if resort {
            let from = sorted_positions(&self.rows, by_order);
            permute(&mut self.rows, &from);
            permute(&mut self.texts, &from);
            self.position = positions(&self.rows);
        }
    }

    /// Drops every row.
    pub fn clear(&mut self) {
        *self = CaseIndex::default();
    }

    /// The rows passing `filter`, oldest registration first (reversible for newest first).
    fn hits<'a>(
        &'a self,
        filter: &'a CaseFilter,
    ) -> impl DoubleEndedIterator<Item = &'a CaseSummary> + 'a {
        // One searcher per term, built once and run over every row: a county's rows are
        // searched in tens of milliseconds.
        let terms: Vec<Vec<u16>> = filter
            .query
            .split_whitespace()
            .map(|t| normalize(t).encode_utf16().collect())
            .collect();
        let finders: Vec<Finder<'static>> = terms.iter().map(|t| finder(t)).collect();
        let wanted = terms.iter().fold(Signature::default(), |mut acc, t| {
            for (a, b) in acc.0.iter_mut().zip(Signature::of(t.iter().copied()).0) {
                *a |= b;
            }
            acc
        });
        self.rows
            .iter()
            .zip(&self.texts)
            .filter_map(move |(s, text)| {
                (text.signature.covers(&wanted)
                    && filter.matches_fields(s)
                    && finders.iter().all(|f| text.contains(f)))
                .then_some(s)
            })
    }

    /// One page of the rows passing `filter`, newest first, with the total.
    pub fn page(&self, filter: &CaseFilter, page: usize, page_size: usize) -> Page<CaseSummary> {
        let skip = page * page_size;
        let mut total = 0;
        let mut items = Vec::new();
        for s in self.hits(filter).rev() {
            if total >= skip && items.len() < page_size {
                items.push(s.clone());
            }
            total += 1;
        }
        Page {
            items,
            total,
            page,
            page_size,
        }
    }

    /// A case's search text as held (for checking the index against the events).
    pub fn search_text(&self, id: &CaseId) -> Option<String> {
        let text = &self.texts[*self.position.get(id)?];
        let units = text
            .utf16
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    }

    /// The cases passing `filter`, oldest registration first.
    pub fn matching(&self, filter: &CaseFilter) -> Vec<CaseId> {
        self.hits(filter).map(|s| s.id.clone()).collect()
    }

    /// Every row, oldest registration first, lent without a copy (their search text is
    /// held apart: search with [`Self::page`] or [`Self::matching`]).
    pub fn rows(&self) -> &[CaseSummary] {
        &self.rows
    }

    /// The rows for which `keep` holds, oldest registration first.
    pub fn rows_where(&self, keep: impl Fn(&CaseSummary) -> bool) -> Vec<CaseSummary> {
        self.rows.iter().filter(|r| keep(r)).cloned().collect()
    }

    /// Every case's facts, for the measures: copied, since the measures run over them in
    /// one contiguous run (through shared pointers, a year's measures took 3–4× as long).
    pub fn facts(&self) -> Vec<Facts> {
        self.rows.iter().map(|r| r.facts.clone()).collect()
    }

    /// Every case's match keys, for repeat petitioners, clusters and suggestions (shared, not copied).
    pub fn matchers(&self) -> Vec<Rc<MatchRow>> {
        self.rows.iter().map(|r| r.matcher.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{finder, permute, sorted_positions, SearchText};
    use proptest::prelude::*;

    /// SearchTexts from characters whose UTF-16 bytes line up in misleading ways: a match one
    /// byte off is easy to make, and a character outside the BMP takes two units.
    fn tricky() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                'a', '\u{0100}', '\u{0101}', '\u{6101}', '\u{0161}', '工', '𠀀', '\u{1F}',
            ]),
            0..12,
        )
        .prop_map(|c| c.into_iter().collect())
    }

    proptest! {
        /// The packed text finds a term exactly where the text itself contains it.
        #[test]
        fn packed_text_contains_what_the_text_contains(text in tricky(), term in tricky()) {
            let units: Vec<u16> = term.encode_utf16().collect();
            prop_assert_eq!(SearchText::of(&text).contains(&finder(&units)), text.contains(&term));
            prop_assert_eq!(super::utf16_len(&text), text.encode_utf16().count());
            let sig = super::Signature::of(units.iter().copied());
            if text.contains(&term) {
                prop_assert!(SearchText::of(&text).signature.covers(&sig));
            }
        }

        /// The units are counted from the bytes as decoding would count them.
        #[test]
        fn utf16_length_is_counted_from_the_bytes(text in ".*") {
            prop_assert_eq!(super::utf16_len(&text), text.encode_utf16().count());
        }

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
