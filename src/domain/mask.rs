//! ID-shaped text masked (证件号脱敏) wherever it stands: the one rule
//! `--mask-ids` applies to every text an output holds (list cells of any
//! column, the dashboard, `summary.json`).
//!
//! An ID-shaped token is 15 or more digits (ASCII or full-width), read
//! across single spaces or hyphens between digit groups (at most four of
//! them: `640104-19700101-6015`, `640104 1970 0101 6015`), with the check
//! character `X` when it follows. It is replaced by its digits masked as
//! in the logs (`640104********6015`, [`super::mask`]). Phone numbers (11
//! digits) and dates stay as they are.

use super::id::fullwidth_to_ascii;

/// Separators people type inside an ID: spaces and hyphens, ASCII or not.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}'
            | '\u{a0}'
            | '\t'
            | '-'
            | '\u{ff0d}'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2013}'
    )
}

fn digit(c: char) -> Option<char> {
    let c = fullwidth_to_ascii(c);
    c.is_ascii_digit().then_some(c)
}

fn is_check_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Groups allowed in one ID-shaped token (so at most four separators).
const MAX_GROUPS: usize = 5;
/// Digits that make a token ID-shaped (an old 15-digit ID or more).
const MIN_DIGITS: usize = 15;

/// `text` with every ID-shaped token masked.
pub fn mask_ids_in_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let chain = chain_at(&chars, i);
        i = mask_chain(&chars, &chain, &mut out);
    }
    out
}

/// The digit groups (start, end) starting at `i`, joined by exactly one
/// separator each.
fn chain_at(chars: &[char], mut i: usize) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    loop {
        let start = i;
        while i < chars.len() && digit(chars[i]).is_some() {
            i += 1;
        }
        groups.push((start, i));
        let joined = i + 1 < chars.len() && is_separator(chars[i]) && digit(chars[i + 1]).is_some();
        if !joined {
            return groups;
        }
        i += 1;
    }
}

/// Writes the chain to `out`, masking every window of at most
/// [`MAX_GROUPS`] groups that reaches [`MIN_DIGITS`] digits; returns where
/// the chain ends.
fn mask_chain(chars: &[char], groups: &[(usize, usize)], out: &mut String) -> usize {
    let mut written = groups[0].0;
    let mut g = 0;
    while g < groups.len() {
        let mut digits = 0;
        let mut hit = None;
        for (k, &(s, e)) in groups.iter().enumerate().skip(g).take(MAX_GROUPS) {
            digits += e - s;
            if digits >= MIN_DIGITS {
                hit = Some(k);
                break;
            }
        }
        let Some(last) = hit else {
            g += 1;
            continue;
        };
        let start = groups[g].0;
        let mut end = groups[last].1;
        if end < chars.len() && is_check_x(chars[end]) {
            end += 1;
        }
        out.extend(&chars[written..start]);
        let token: String = chars[start..end]
            .iter()
            .filter_map(|&c| digit(c).or(is_check_x(c).then_some('X')))
            .collect();
        out.push_str(&super::mask(&token));
        written = end;
        g = last + 1;
    }
    let end = groups.last().map_or(written, |g| g.1).max(written);
    out.extend(&chars[written..end]);
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_ids_in_every_written_form() {
        for (raw, want) in [
            ("640104197001016015", "640104********6015"),
            ("64010419700101601X", "640104********601X"),
            ("640104700101601", "640104*****1601"),
            ("640104-19700101-6015", "640104********6015"),
            ("640104 1970 0101 6015", "640104********6015"),
            ("６４０１０４１９７００１０１６０１ｘ", "640104********601X"),
            (
                "见 640104197001016015，电话 13709550602",
                "见 640104********6015，电话 13709550602",
            ),
            ("马玉兰640104197001016015", "马玉兰640104********6015"),
        ] {
            assert_eq!(mask_ids_in_text(raw), want, "{raw}");
        }
    }

    #[test]
    fn leaves_dates_phones_and_amounts_alone() {
        for s in [
            "13709550602",
            "2026-01-31",
            "2025-12-31 → 2026-01-31",
            "0951-5012345",
            "320.00",
            "第 1048576 行",
            "",
        ] {
            assert_eq!(mask_ids_in_text(s), s);
        }
    }

    #[test]
    fn a_long_chain_of_short_numbers_still_masks_the_id_at_its_end() {
        let out = mask_ids_in_text("1 2 3 4 5 6 640104-19700101-6015");
        let digits: String = out.chars().filter(char::is_ascii_digit).collect();
        assert!(!digits.contains("19700101"), "{out}");
    }
}
