//! Text helpers the row checks share.

/// A short text of a record (a name, a category as written, a receipt
/// number): kept inline in the record up to 24 bytes, on the heap beyond.
/// Issue 15: a `String` per field was an allocation per row while parsing,
/// and comparing the names of a person's records (NAME_MISMATCH) missed the
/// cache on every heap string; inline, a name is read with its record.
pub type Text = compact_str::CompactString;

/// [`str::trim`], answered without scanning when neither edge of the text
/// can be whitespace: a first byte that is printable ASCII or opens a
/// character from U+4000 up (every Unicode whitespace character lies
/// below U+3001), and a last byte that is printable ASCII or ends a
/// three-byte character from U+4000 up. Names, IDs, codes, dates and
/// amounts are such texts; anything else is trimmed the long way.
#[inline]
pub fn trim_ws(s: &str) -> &str {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return s;
    };
    let printable = |c: u8| (0x21..0x80).contains(&c);
    let head_ok = printable(first) || first >= 0xE4;
    let tail_ok =
        printable(last) || (last >= 0x80 && b.len() >= 3 && (0xE4..0xF0).contains(&b[b.len() - 3]));
    if head_ok && tail_ok {
        s
    } else {
        s.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::trim_ws;

    /// Every character (and a few pairs) at either edge, around ASCII,
    /// CJK and whitespace middles: the edge check gives `str::trim`'s answer.
    #[test]
    fn trim_ws_is_str_trim() {
        let edges: Vec<String> = (0..=0x10_FFFFu32)
            .filter_map(char::from_u32)
            .map(String::from)
            .chain(
                [
                    "",
                    " ",
                    "\u{3000}",
                    "a ",
                    " a",
                    "张 ",
                    "\u{a0}\u{a0}",
                    "é",
                    "\u{85}x",
                ]
                .map(String::from),
            )
            .collect();
        let middles = ["", "x", "张三", " ", "\u{3000}", "6401 04", "\u{2029}"];
        let mut checked = 0u64;
        for m in middles {
            for e in &edges {
                for s in [format!("{e}{m}"), format!("{m}{e}"), format!("{e}{m}{e}")] {
                    assert_eq!(trim_ws(&s), s.trim(), "{s:?}");
                    checked += 1;
                }
            }
        }
        // Every pair of characters from the edge-relevant ranges.
        let near: Vec<char> = (0..0x800u32)
            .chain(0x1600..0x1700)
            .chain(0x2000..0x2100)
            .chain(0x2F00..0x4100)
            .chain(0xFF00..0x1_0100)
            .filter_map(char::from_u32)
            .collect();
        for a in &near {
            for b in ['a', ' ', '\u{3000}', '张', '\u{a0}', '\u{10FFFF}'] {
                for s in [format!("{a}{b}"), format!("{b}{a}")] {
                    assert_eq!(trim_ws(&s), s.trim(), "{s:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 6_000_000);
    }
}
