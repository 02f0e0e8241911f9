//! Finding patterns early (发现得早): the same person coming back (上访专业户), the same
//! matter raised again, clusters of similar petitions in one township, rising categories.
//! Chinese text is compared by character bigrams, since it has no spaces between words.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::CaseState;
use super::petition::Petition;
use super::text::{normalize, normalized_chars};
use super::vocab::Category;

/// Similarity from which two matters count as near-identical.
pub const SIMILAR_MATTER: f64 = 0.6;
/// Days within which similar petitions from one township form a cluster.
pub const CLUSTER_DAYS: i64 = 7;
/// Petitions that make a cluster.
pub const CLUSTER_SIZE: usize = 3;

/// The set of character bigrams of a text, letters and digits only, normalised: each
/// bigram packed into one number, sorted, without repeats. (A sorted vector, not a
/// tree: a county's year of texts is built and compared several times faster.)
pub fn bigrams(text: &str) -> Vec<u64> {
    // A county's year of matters goes through here on every dashboard period: pairs are
    // packed as the characters go by, with no vector of characters in between.
    let mut out: Vec<u64> = Vec::with_capacity(text.len() / 2);
    let mut last: Option<u32> = None;
    let mut pair = |c: char| {
        let c = u32::from(c);
        if let Some(p) = last {
            out.push((u64::from(p) << 32) | u64::from(c));
        }
        last = Some(c);
    };
    let mut one = [0u8; 4];
    for c in text.chars() {
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            // A CJK ideograph, most of a Chinese text: a letter, not a space, without case
            // or full width, so the Unicode tables (a tenth of a county's year on the
            // dashboard) are not asked.
            pair(c);
        } else {
            normalized_chars(c.encode_utf8(&mut one))
                .filter(|c| c.is_alphanumeric())
                .for_each(&mut pair);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Dice similarity of two texts' bigram sets, from 0 (nothing shared) to 1 (the same).
pub fn similarity(a: &str, b: &str) -> f64 {
    dice(&bigrams(a), &bigrams(b))
}

/// Dice similarity of two bigram sets made by [`bigrams`].
pub fn dice(x: &[u64], y: &[u64]) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    // Both sorted: one merge walk counts what they share.
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// The stored form leaves out what the list row holds already; these stand in until
/// [`CaseSummary::fill_shared`](super::search::CaseSummary::fill_shared) copies it back.
fn filled_category() -> Category {
    Category::Other
}

fn filled_day() -> NaiveDate {
    NaiveDate::MIN
}

/// What identifies people and the matter of one case, for matching. Its stored form
/// leaves out what the case's list row holds too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRow {
    /// Case number.
    #[serde(skip)]
    pub case_no: String,
    /// Day received.
    #[serde(skip, default = "filled_day")]
    pub received_on: NaiveDate,
    /// Township.
    #[serde(skip)]
    pub township: String,
    /// Category.
    #[serde(skip, default = "filled_category")]
    pub category: Category,
    /// 身份证号 of every person named.
    #[serde(skip)]
    pub id_numbers: Vec<String>,
    /// Phones of every person named.
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// (name, address) of every person with both.
    #[serde(rename = "na", default, skip_serializing_if = "Vec::is_empty")]
    pub name_addresses: Vec<(String, String)>,
    /// Names, for showing.
    #[serde(rename = "n", default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// Title and request: the matter, for similarity.
    #[serde(rename = "m")]
    pub matter: String,
}

fn people_of(p: &Petition) -> impl Iterator<Item = &super::petition::Petitioner> {
    p.petitioners.iter().chain(&p.representatives)
}

impl MatchRow {
    /// The match row of a petition (of a case, or one being registered).
    pub fn of_petition(case_no: &str, received_on: NaiveDate, p: &Petition) -> MatchRow {
        let nonempty = |v: Vec<String>| v.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
        MatchRow {
            case_no: case_no.to_owned(),
            received_on,
            township: p.township.clone(),
            category: p.category,
            id_numbers: nonempty(people_of(p).map(|x| x.id_number.clone()).collect()),
            phones: nonempty(people_of(p).map(|x| x.phone.clone()).collect()),
            name_addresses: people_of(p)
                .filter(|x| !x.name.is_empty() && !x.address.is_empty())
                .map(|x| (x.name.clone(), normalize(&x.address)))
                .collect(),
            names: nonempty(people_of(p).map(|x| x.name.clone()).collect()),
            matter: format!("{} {}", p.title, p.request),
        }
    }

    /// The match row of a case.
    pub fn of(state: &CaseState) -> MatchRow {
        MatchRow::of_petition(&state.case_no, state.received_on(), &state.petition)
    }

    /// How this row names the same person as `other`, if it does: "身份证号", "电话" or
    /// "姓名和住址".
    pub fn same_person(&self, other: &MatchRow) -> Option<&'static str> {
        if self.id_numbers.iter().any(|i| other.id_numbers.contains(i)) {
            Some("同一身份证号")
        } else if self.phones.iter().any(|p| other.phones.contains(p)) {
            Some("同一电话")
        } else if self
            .name_addresses
            .iter()
            .any(|n| other.name_addresses.contains(n))
        {
            Some("同一姓名和住址")
        } else {
            None
        }
    }
}

/// An earlier case that a new petition may repeat, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The earlier case.
    pub case_no: String,
    /// Why it matches, in words.
    pub reason: String,
}

/// Earlier cases of the same person, or with a near-identical matter in the same
/// category, for the registrar to confirm as 重复访 or dismiss; strongest matches first.
/// (Comparing the text only within the category keeps this quick at a county's scale.)
pub fn suggest_earlier<R: Borrow<MatchRow>>(new: &MatchRow, rows: &[R]) -> Vec<Suggestion> {
    let mine = bigrams(&new.matter);
    let mut scored: Vec<(u8, f64, Suggestion)> = rows
        .iter()
        .map(Borrow::borrow)
        .filter(|r| r.case_no != new.case_no && r.received_on <= new.received_on)
        .filter_map(|r| {
            let person = new.same_person(r);
            if person.is_none() && r.category != new.category {
                return None;
            }
            let sim = dice(&mine, &bigrams(&r.matter));
            match (person, sim >= SIMILAR_MATTER) {
                (Some(how), true) => Some((
                    0,
                    sim,
                    Suggestion {
                        case_no: r.case_no.clone(),
                        reason: format!("{how}，事项相近（{:.0}%）", sim * 100.0),
                    },
                )),
                (Some(how), false) => Some((
                    1,
                    sim,
                    Suggestion {
                        case_no: r.case_no.clone(),
                        reason: how.to_owned(),
                    },
                )),
                (None, true) => Some((
                    2,
                    sim,
                    Suggestion {
                        case_no: r.case_no.clone(),
                        reason: format!("事项相近（{:.0}%）", sim * 100.0),
                    },
                )),
                (None, false) => None,
            }
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    scored.into_iter().map(|(_, _, s)| s).collect()
}

/// A person who petitioned several times: their cases, and how they were matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frequent {
    /// Names used.
    pub names: Vec<String>,
    /// The cases, in order of receipt.
    pub cases: Vec<String>,
}

/// People with at least `min` cases received in `[from, to]`, the same person being
/// found by 身份证号, phone, or name and address (transitively); most cases first.
pub fn frequent_petitioners<R: Borrow<MatchRow>>(
    rows: &[R],
    from: NaiveDate,
    to: NaiveDate,
    min: usize,
) -> Vec<Frequent> {
    let rows: Vec<&MatchRow> = rows
        .iter()
        .map(Borrow::borrow)
        .filter(|r| from <= r.received_on && r.received_on <= to)
        .collect();
    // Union-find over cases that share an identifier: each identifier joins the case
    // to the first case that had it, so the work grows with the cases, not their pairs.
    let mut parent: Vec<usize> = (0..rows.len()).collect();
    fn root(p: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut first: HashMap<(u8, &str, &str), usize> = HashMap::with_capacity(rows.len() * 3);
    for (i, r) in rows.iter().enumerate() {
        let keys = r
            .id_numbers
            .iter()
            .map(|x| (0, x.as_str(), ""))
            .chain(r.phones.iter().map(|x| (1, x.as_str(), "")))
            .chain(
                r.name_addresses
                    .iter()
                    .map(|(n, a)| (2, n.as_str(), a.as_str())),
            );
        for key in keys {
            let j = *first.entry(key).or_insert(i);
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a] = b;
        }
    }
    // Most people come once: groups are sized first, so only those of `min` or more
    // cases are gathered.
    let roots: Vec<usize> = (0..rows.len()).map(|i| root(&mut parent, i)).collect();
    let mut size = vec![0usize; rows.len()];
    for &r in &roots {
        size[r] += 1;
    }
    let mut groups: BTreeMap<usize, Vec<&MatchRow>> = BTreeMap::new();
    for (row, &r) in rows.iter().zip(&roots) {
        if size[r] >= min {
            groups.entry(r).or_default().push(row);
        }
    }
    let mut out: Vec<Frequent> = groups
        .into_values()
        .map(|mut g| {
            g.sort_by(|a, b| (a.received_on, &a.case_no).cmp(&(b.received_on, &b.case_no)));
            let names: BTreeSet<&str> = g
                .iter()
                .flat_map(|r| r.names.iter().map(String::as_str))
                .collect();
            Frequent {
                names: names.into_iter().map(str::to_owned).collect(),
                cases: g.iter().map(|r| r.case_no.clone()).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.cases
            .len()
            .cmp(&a.cases.len())
            .then(a.cases.cmp(&b.cases))
    });
    out
}

/// Several petitions on a similar matter from one township within a few days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Township.
    pub township: String,
    /// First and last day received.
    pub from: NaiveDate,
    /// Last day received.
    pub to: NaiveDate,
    /// The cases.
    pub cases: Vec<String>,
}

/// Clusters: in each township and category, cases received within [`CLUSTER_DAYS`] of
/// the first, whose matter is similar to it, at least [`CLUSTER_SIZE`] of them; the
/// largest first, then the latest, so a page that shows only the first few shows the
/// most pressing.
pub fn clusters<'a>(rows: impl IntoIterator<Item = &'a MatchRow>) -> Vec<Cluster> {
    // Similar matters share a category, so only cases of one township and category are
    // compared: a county's year stays quick.
    let mut groups: BTreeMap<(&str, Category), Vec<&MatchRow>> = BTreeMap::new();
    for r in rows {
        groups.entry((&r.township, r.category)).or_default().push(r);
    }
    let mut out = Vec::new();
    for ((township, _), mut list) in groups {
        list.sort_by(|a, b| (a.received_on, &a.case_no).cmp(&(b.received_on, &b.case_no)));
        // Bigram sets are made only for cases in a window that could hold a cluster: in a
        // county's year most windows of one township and category hold one or two cases.
        let mut sets: Vec<Option<Vec<u64>>> = vec![None; list.len()];
        let mut used = vec![false; list.len()];
        for (i, first) in list.iter().enumerate() {
            if used[i] {
                continue;
            }
            // Sorted by day: only the cases up to CLUSTER_DAYS later are looked at.
            let end = i + list[i..]
                .iter()
                .take_while(|r| (r.received_on - first.received_on).num_days() <= CLUSTER_DAYS)
                .count();
            if end - i < CLUSTER_SIZE {
                continue;
            }
            for (set, r) in sets[i..end].iter_mut().zip(&list[i..end]) {
                set.get_or_insert_with(|| bigrams(&r.matter));
            }
            let base = sets[i].as_deref().unwrap_or_default();
            let members: Vec<usize> = (i..end)
                .filter(|&j| {
                    j == i || dice(base, sets[j].as_deref().unwrap_or_default()) >= SIMILAR_MATTER
                })
                .collect();
            if members.len() >= CLUSTER_SIZE {
                for &j in &members {
                    used[j] = true;
                }
                out.push(Cluster {
                    township: township.to_owned(),
                    from: first.received_on,
                    to: members
                        .iter()
                        .map(|&j| list[j].received_on)
                        .max()
                        .unwrap_or(first.received_on),
                    cases: members.iter().map(|&j| list[j].case_no.clone()).collect(),
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (b.cases.len(), b.to, &a.township, &a.cases).cmp(&(
            a.cases.len(),
            a.to,
            &b.township,
            &b.cases,
        ))
    });
    out
}

/// Categories that rose: at least 3 cases now and at least half again as many as before.
pub fn rising_categories(
    now: &BTreeMap<Category, usize>,
    before: &BTreeMap<Category, usize>,
) -> Vec<(Category, usize, usize)> {
    now.iter()
        .map(|(c, n)| (*c, *n, before.get(c).copied().unwrap_or(0)))
        .filter(|(_, n, b)| *n >= 3 && 2 * *n >= 3 * *b && n > b)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The packed, sorted bigrams give the Dice similarity of the plain bigram sets.
        #[test]
        fn similarity_is_dice_of_bigram_sets(a in "[拖欠工资征地补偿a-c1-3，]{0,12}", b in "[拖欠工资征地补偿a-c1-3 ]{0,12}") {
            let set = |t: &str| -> BTreeSet<(char, char)> {
                let cs: Vec<char> = normalize(t).chars().filter(|c| c.is_alphanumeric()).collect();
                cs.windows(2).map(|w| (w[0], w[1])).collect()
            };
            let (x, y) = (set(&a), set(&b));
            let expected = if x.is_empty() || y.is_empty() {
                0.0
            } else {
                2.0 * x.intersection(&y).count() as f64 / (x.len() + y.len()) as f64
            };
            proptest::prop_assert_eq!(similarity(&a, &b), expected);
            proptest::prop_assert_eq!(similarity(&a, &b), similarity(&b, &a));
        }
    }

    /// Every character [`bigrams`] takes without the Unicode tables is one they would pass
    /// through unchanged.
    #[test]
    fn the_ideographs_taken_directly_are_letters_as_they_stand() {
        for c in '\u{4E00}'..='\u{9FFF}' {
            let s = c.to_string();
            assert_eq!(
                normalized_chars(&s)
                    .filter(|c| c.is_alphanumeric())
                    .collect::<Vec<_>>(),
                vec![c]
            );
        }
    }

    proptest::proptest! {
        /// Taken a character at a time (ideographs without the Unicode tables), the bigrams
        /// are the pairs of the whole text's normalised letters and digits, whatever it holds.
        #[test]
        fn bigrams_are_the_pairs_of_the_normalised_letters(t in "[拖欠工资ＡＢａ１Σσ\u{3000}\u{9FFF}\u{A000}\u{4DFF}a-cA-C1-3，。 \t]{0,16}|\\PC{0,16}") {
            let letters: Vec<u32> = normalized_chars(&t).filter(|c| c.is_alphanumeric()).map(u32::from).collect();
            let mut pairs: Vec<u64> = letters.windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])).collect();
            pairs.sort_unstable();
            pairs.dedup();
            proptest::prop_assert_eq!(bigrams(&t), pairs);
        }
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn row(no: &str, on: NaiveDate, township: &str, matter: &str) -> MatchRow {
        MatchRow {
            case_no: no.into(),
            received_on: on,
            township: township.into(),
            category: Category::UrbanRuralConstruction,
            id_numbers: vec![],
            phones: vec![],
            name_addresses: vec![],
            names: vec![],
            matter: matter.into(),
        }
    }

    #[test]
    fn bigram_similarity_on_known_pairs() {
        assert_eq!(similarity("拖欠工资", "拖欠工资"), 1.0);
        assert!(
            similarity(
                "某建筑公司拖欠农民工工资三个月",
                "某建筑公司拖欠农民工三个月工资"
            ) > 0.75
        );
        assert!(similarity("小区污水外溢无人处理", "村道路灯损坏多年未修") < 0.1);
        assert_eq!(similarity("", "拖欠"), 0.0);
        // Punctuation and spacing do not matter.
        assert_eq!(similarity("拖欠，工资！", "拖欠 工资"), 1.0);
    }

    #[test]
    fn same_person_by_id_phone_or_name_and_address() {
        let mut a = row("A", d(11, 1), "城关镇", "x");
        let mut b = row("B", d(11, 2), "城关镇", "y");
        assert_eq!(a.same_person(&b), None);
        a.phones = vec!["13800138000".into()];
        b.phones = vec!["13800138000".into()];
        assert_eq!(a.same_person(&b), Some("同一电话"));
        a.id_numbers = vec!["11010519491231002X".into()];
        b.id_numbers = vec!["11010519491231002X".into()];
        assert_eq!(a.same_person(&b), Some("同一身份证号"));
        let mut c = row("C", d(11, 3), "城关镇", "z");
        c.name_addresses = vec![("张三".into(), "城关镇东街1号".into())];
        let mut e = row("E", d(11, 4), "城关镇", "z");
        e.name_addresses = vec![("张三".into(), "城关镇东街1号".into())];
        assert_eq!(c.same_person(&e), Some("同一姓名和住址"));
    }

    #[test]
    fn suggestions_put_same_person_and_matter_first() {
        let mut new = row("N", d(11, 20), "城关镇", "某建筑公司拖欠农民工工资三个月");
        new.id_numbers = vec!["P".into()];
        let mut same_both = row("A", d(10, 1), "城关镇", "某建筑公司拖欠农民工三个月工资");
        same_both.id_numbers = vec!["P".into()];
        let mut same_person = row("B", d(9, 1), "城关镇", "宅基地纠纷");
        same_person.id_numbers = vec!["P".into()];
        let similar = row(
            "C",
            d(11, 1),
            "东岭乡",
            "某建筑公司拖欠农民工工资三个月未付",
        );
        let unrelated = row("D", d(11, 2), "城关镇", "噪声扰民");
        let later = row("E", d(11, 25), "城关镇", "某建筑公司拖欠农民工工资三个月");
        let got = suggest_earlier(&new, &[unrelated, similar, same_person, same_both, later]);
        let order: Vec<&str> = got.iter().map(|s| s.case_no.as_str()).collect();
        assert_eq!(order, ["A", "B", "C"]);
        assert!(got[0].reason.starts_with("同一身份证号，事项相近"));
        assert_eq!(got[1].reason, "同一身份证号");
    }

    #[test]
    fn frequent_petitioners_join_identifiers_transitively() {
        let mut a = row("A", d(11, 1), "城关镇", "x");
        a.id_numbers = vec!["P".into()];
        a.names = vec!["张三".into()];
        let mut b = row("B", d(11, 5), "城关镇", "y");
        b.id_numbers = vec!["P".into()];
        b.phones = vec!["138".into()];
        let mut c = row("C", d(11, 9), "城关镇", "z");
        c.phones = vec!["138".into()];
        c.names = vec!["张叁".into()];
        let d_ = row("D", d(11, 9), "城关镇", "z");
        let got = frequent_petitioners(&[c, a, b, d_], d(11, 1), d(11, 30), 3);
        assert_eq!(
            got,
            vec![Frequent {
                names: vec!["张三".into(), "张叁".into()],
                cases: vec!["A".into(), "B".into(), "C".into()]
            }]
        );
        assert!(frequent_petitioners::<MatchRow>(&[], d(11, 1), d(11, 30), 2).is_empty());
    }

    #[test]
    fn clusters_of_similar_matters_in_one_township() {
        let m = "某小区开发商延期交房业主要求赔偿";
        let rows = vec![
            row("A", d(11, 1), "城关镇", m),
            row(
                "B",
                d(11, 3),
                "城关镇",
                "某小区开发商延期交房业主要求赔偿损失",
            ),
            row("C", d(11, 6), "城关镇", "小区开发商延期交房要求赔偿"),
            row("D", d(11, 20), "城关镇", m),         // too late
            row("E", d(11, 2), "东岭乡", m),          // another township
            row("F", d(11, 4), "城关镇", "噪声扰民"), // another matter
        ];
        let got = clusters(&rows);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].cases, ["A", "B", "C"]);
        assert_eq!((got[0].from, got[0].to), (d(11, 1), d(11, 6)));
    }

    #[test]
    fn clusters_come_largest_then_latest_first() {
        let m = "某小区开发商延期交房业主要求赔偿";
        let rows = vec![
            row("A1", d(11, 1), "城关镇", m),
            row("A2", d(11, 2), "城关镇", m),
            row("A3", d(11, 3), "城关镇", m),
            row("B1", d(11, 10), "东岭乡", m),
            row("B2", d(11, 11), "东岭乡", m),
            row("B3", d(11, 12), "东岭乡", m),
            row("C1", d(11, 5), "西河镇", m),
            row("C2", d(11, 5), "西河镇", m),
            row("C3", d(11, 6), "西河镇", m),
            row("C4", d(11, 7), "西河镇", m),
        ];
        let got = clusters(&rows);
        let order: Vec<&str> = got.iter().map(|c| c.township.as_str()).collect();
        assert_eq!(order, ["西河镇", "东岭乡", "城关镇"]);
    }

    #[test]
    fn rising_categories_need_volume_and_growth() {
        let now = BTreeMap::from([
            (Category::Environment, 6),
            (Category::CivilAffairs, 2),
            (Category::Other, 4),
        ]);
        let before = BTreeMap::from([(Category::Environment, 3), (Category::Other, 3)]);
        assert_eq!(
            rising_categories(&now, &before),
            vec![(Category::Environment, 6, 3)]
        );
    }
}
