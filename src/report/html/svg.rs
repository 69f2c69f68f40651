//! Text widths for laying out the dashboard's SVG charts. An SVG cannot wrap
//! or measure its text, so the charts are sized from an estimate that errs on
//! the wide side: CJK and full-width characters take 1 em, Latin letters and
//! digits at most about 0.65 em in the fonts the page names (Noto Sans CJK,
//! Source Han, Microsoft YaHei, PingFang, DejaVu as the last fallback).

/// The estimated advance of one character, in em.
fn em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        '.' | ',' | ':' | ';' | '!' | '|' | '\'' => 0.32,
        '(' | ')' | '[' | ']' | '/' | '-' => 0.45,
        '%' => 0.95,
        'M' | 'W' | 'm' | 'w' | '@' => 0.95,
        c if c.is_ascii_uppercase() => 0.72,
        c if c.is_ascii() => 0.64,
        // CJK, full-width punctuation, ▼ and other symbols.
        _ => 1.0,
    }
}

/// The estimated width of `s` at `px` pixels, bold or not.
pub fn text_width(s: &str, px: f64, bold: bool) -> f64 {
    let w: f64 = s.chars().map(em).sum::<f64>() * px;
    if bold {
        w * 1.08
    } else {
        w
    }
}

/// `1234567` → `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_wider_than_digits_and_bold_is_wider() {
        assert_eq!(text_width("还差", 10.0, false), 20.0);
        assert!(text_width("12", 10.0, false) < 14.0);
        assert!(text_width("12", 10.0, true) > text_width("12", 10.0, false));
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
