//! Text as matching sees it: one normalisation for search, repeats and clusters, so a
//! name typed in full-width digits or with blanks finds the same case everywhere.

/// Field separator inside the haystack: no typed term can contain it, so a term never
/// matches across two fields.
pub const FIELD_SEP: char = '\u{1f}';

/// Normalises text for matching: lower case, full-width ASCII to half-width, blanks removed.
pub fn normalize(s: &str) -> String {
    normalized_chars(s).collect()
}

/// The characters of [`normalize`]`(s)`, without building the string.
pub fn normalized_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != FIELD_SEP)
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
}
