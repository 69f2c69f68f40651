//! GB18030 (GBK) inputs read in ranges against the serial way: the same
//! rows, lines, rejects and hash, malformed bytes included.

use proptest::prelude::*;

use super::*;

/// A marker (control bytes, never part of a GB18030 character) put in the
/// UTF-8 text, and the raw bytes it becomes in the file.
struct Malformed {
    marker: String,
    raw: &'static [u8],
}

/// One field of a row as the file's decoding must give it.
struct Expect {
    line: u64,
    col: usize,
    want: String,
}

/// The export of [`export`] with malformed and 4-byte GB18030 sequences
/// planted, as GB18030 bytes, and the fields they must decode to
/// (WHATWG's gb18030 decoder, which `encoding_rs` implements: a lead byte
/// followed by a byte that cannot continue it is U+FFFD, and that byte, if
/// ASCII, is read again as itself; 0x80 is €; 0xFF is U+FFFD).
fn planted(text: &str) -> (Vec<u8>, Vec<Expect>) {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut expect = Vec::new();
    let mut marks: Vec<Malformed> = Vec::new();
    let mut mark = |raw: &'static [u8]| {
        let marker = format!("\u{1}{}\u{1}", marks.len());
        marks.push(Malformed {
            marker: marker.clone(),
            raw,
        });
        marker
    };
    let row_of = |lines: &[String], n: u64| {
        lines
            .iter()
            .position(|l| l.starts_with("2026,") && l.contains(&format!(",马{n},")))
            .expect("the person's current-year row")
    };
    // (person, raw bytes at the line's end, the last field they give)
    let ends: [(u64, &'static [u8], &str); 3] = [
        (33, b"\x81", "\u{FFFD}"),      // a lone lead byte before the newline
        (34, b"\x81\x30", "\u{FFFD}0"), // half a 4-byte sequence
        (35, b"\x81\x30\x81", "\u{FFFD}0\u{FFFD}"), // three quarters of one
    ];
    for (n, raw, want) in ends {
        let i = row_of(&lines, n);
        let m = mark(raw);
        lines[i].push_str(&m);
        expect.push(Expect {
            line: i as u64 + 1,
            col: 13,
            want: want.into(),
        });
    }
    // In the name: 0x80 and 0xFF; a lead byte before a closing quote and
    // before a delimiter; 4-byte characters (in the name and at the end).
    let names: [(u64, String, &str); 4] = [
        (36, format!("马36{}", mark(b"\x80\xFF")), "马36€\u{FFFD}"),
        (37, format!("\"马37{}\"", mark(b"\x81")), "马37\u{FFFD}"),
        (38, format!("马38{}", mark(b"\xFE")), "马38\u{FFFD}"),
        (41, "马41𠀀À".to_string(), "马41𠀀À"),
    ];
    for (n, name, want) in names {
        let i = row_of(&lines, n);
        lines[i] = lines[i].replace(&format!(",马{n},"), &format!(",{name},"));
        expect.push(Expect {
            line: i as u64 + 1,
            col: 2,
            want: want.into(),
        });
    }
    let i = row_of(&lines, 42);
    lines[i].push('𠀀');
    expect.push(Expect {
        line: i as u64 + 1,
        col: 13,
        want: "𠀀".into(),
    });
    // A lone lead byte before the line break inside a quoted name.
    let i = lines
        .iter()
        .position(|l| l.ends_with(",\"马"))
        .expect("the quoted name's first line");
    lines[i].push_str(&mark(b"\x81"));
    expect.push(Expect {
        line: i as u64 + 1,
        col: 2,
        want: "马\u{FFFD}\n小红".into(),
    });
    let text = lines.join("\n");
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let mut bytes = gb.into_owned();
    for m in &marks {
        let at = memchr::memmem::find(&bytes, m.marker.as_bytes()).expect("the marker");
        bytes.splice(at..at + m.marker.len(), m.raw.iter().copied());
    }
    (bytes, expect)
}

/// A row's field as read, by its line.
fn field_at(got: &Got, line: u64, col: usize) -> Option<String> {
    got.parts
        .iter()
        .flat_map(|(rows, _)| rows)
        .find(|r| r.1 == line)
        .and_then(|r| r.3.get(col).cloned())
}

#[test]
fn gb18030_ranges_read_as_the_whole_file_does() {
    let e = export(70);
    // 'À' and '𠀀' are 4 bytes in GB18030, '马' two.
    let (four, _, _) = encoding_rs::GB18030.encode("À𠀀马");
    assert_eq!(four.len(), 10);
    let dir = tempfile::tempdir().unwrap();
    let (lf, expect) = planted(&e.text);
    // 0x0A is never part of a character: the line ends may be changed
    // byte by byte.
    let crlf: Vec<u8> = lf
        .iter()
        .flat_map(|b| match b {
            b'\n' => b"\r\n".to_vec(),
            b => vec![*b],
        })
        .collect();
    // No last newline, and a lone lead byte at the very end.
    let open_end = [&lf[..lf.len() - 1], b"\x81"].concat();
    let variants: [(&str, Vec<u8>); 4] = [
        ("LF", lf.clone()),
        ("CRLF", crlf),
        ("lead byte at the end", open_end),
        // GB18030's own BOM is no BOM to either way: U+FEFF on line 1.
        (
            "GB18030 BOM",
            [b"\x84\x31\x95\x33".as_slice(), &lf].concat(),
        ),
    ];
    for (name, bytes) in variants {
        let path = dir.path().join("enrollment.csv");
        std::fs::write(&path, &bytes).unwrap();
        let schemas = Schemas::embedded().unwrap();
        let meta = read::read_meta(&path, "t.csv", schemas.source(SourceKind::Enrollment));
        assert_eq!(meta.unwrap().encoding, "GB18030", "{name}");
        let serial = read(&path, None, 2, 3, 0);
        // What the file says, whatever the way it is read.
        let (_, _, account, rejects, sha) = &serial.stats;
        assert_eq!(account.physical, e.lines, "{name}");
        assert!(account.balances(), "{name}: {account:?}");
        assert_eq!(account.header_line, 2, "{name}");
        assert_eq!(account.notes, e.notes, "{name}");
        let broken: Vec<u64> = rejects.iter().map(|r| r.line).collect();
        assert_eq!(broken, [e.broken_quote], "{name}");
        let early: Vec<u64> = serial.early.iter().map(|(_, _, r)| r.line).collect();
        assert_eq!(early, e.bad_id, "{name}");
        assert_eq!(*sha, read::hex(&Sha256::digest(&bytes)), "{name}");
        for x in &expect {
            // A line break inside quotes is kept as written.
            let want = match name {
                "CRLF" => x.want.replace('\n', "\r\n"),
                _ => x.want.clone(),
            };
            let got = field_at(&serial, x.line, x.col);
            assert_eq!(got, Some(want), "{name}: line {}", x.line);
        }
        reads_as_serial(&path, &serial, &[1, 37, 64, 300, 4096, 1 << 20], name);
    }
}

/// Bytes that make GB18030 interesting around a cut: line ends, quotes,
/// delimiters, the digits of 4-byte sequences, lead and trail bytes, and
/// the bytes that are never valid (0x80 reads as €, 0xFF as U+FFFD).
fn gb_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        Just(b'\n'),
        Just(b'\r'),
        Just(b'"'),
        Just(b','),
        0x30u8..=0x39,
        0x40u8..=0x7E,
        0x80u8..=0xFF,
        0x81u8..=0x84,
    ]
}

proptest! {
    /// Cut after any `\n`, each piece decoded alone gives the text the
    /// whole decodes to, and the text has the raw bytes' line ends,
    /// quotes and delimiters: the raw bytes may be cut and counted.
    #[test]
    fn gb18030_cut_at_newlines_decodes_as_the_whole(
        bytes in proptest::collection::vec(gb_byte(), 0..400)
    ) {
        let (whole, _) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
        let mut pieces = String::new();
        let mut out = String::new();
        for piece in bytes.split_inclusive(|b| *b == b'\n') {
            pieces.push_str(decode_range(encoding_rs::GB18030, piece, &mut out));
        }
        prop_assert_eq!(&pieces, &whole);
        for b in [b'\n', b'\r', b'"', b','] {
            let raw = bytes.iter().filter(|x| **x == b).count();
            prop_assert_eq!(whole.bytes().filter(|x| *x == b).count(), raw);
        }
        prop_assert_eq!(
            count_lines(&bytes, true),
            count_lines(whole.as_bytes(), true)
        );
        prop_assert_eq!(
            cut_point(&bytes).map(|c| whole_len(&bytes[..c])),
            cut_point(whole.as_bytes())
        );
    }
}

/// The length of `bytes` decoded.
fn whole_len(bytes: &[u8]) -> usize {
    encoding_rs::GB18030
        .decode_without_bom_handling(bytes)
        .0
        .len()
}
