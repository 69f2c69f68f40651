//! Splitting lines: every way against the stop-by-stop reference, and the
//! records of quoted lines.

use super::*;

/// The way ranges were split before [`split_lines`] (issue 15): a call
/// per stop, the stop's byte read again to tell what it is.
fn split_per_stop(b: &[u8], delimiter: u8) -> Vec<(usize, usize, Vec<usize>)> {
    let (mut out, mut ends) = (Vec::new(), Vec::new());
    let (mut start, mut lf_of_crlf) = (0usize, usize::MAX);
    let stops = memchr::memchr3_iter(delimiter, b'\n', b'\r', b);
    for i in stops {
        match b[i] {
            d if d == delimiter => ends.push(i - start),
            b'\n' if i == lf_of_crlf => start = i + 1,
            c => {
                ends.push(i - start);
                out.push((start, i, std::mem::take(&mut ends)));
                start = i + 1;
                if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    lf_of_crlf = i + 1;
                }
            }
        }
    }
    if start < b.len() {
        ends.push(b.len() - start);
        out.push((start, b.len(), ends));
    }
    out
}

fn split_all(b: &[u8], delimiter: u8) -> Vec<(usize, usize, Vec<usize>)> {
    let (mut out, mut ends) = (Vec::new(), vec![99]);
    split_lines(b, delimiter, &mut ends, |s, e, f| {
        out.push((s, e, f.to_vec()))
    });
    out
}

/// [`split_all`] by words only (the way without AVX2).
fn split_by_words(b: &[u8], delimiter: u8) -> Vec<(usize, usize, Vec<usize>)> {
    let (mut out, mut ends) = (Vec::new(), Vec::new());
    let at = LineAt {
        start: 0,
        lf_of_crlf: usize::MAX,
    };
    split_words(b, 0, delimiter, at, &mut ends, |s, e, f| {
        out.push((s, e, f.to_vec()))
    });
    out
}

#[test]
fn blocks_and_words_split_alike_on_hostile_input() {
    let mut seed = 11u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % n
    };
    // Stops at every place of a 64-byte block, CRLF split across
    // blocks, lone CR, quotes, multi-byte UTF-8 (马 is E9 A9 AC).
    let pieces: [&[u8]; 10] = [
        b",",
        b"\r\n",
        b"\r",
        b"\n",
        b"\"",
        "马".as_bytes(),
        b"a",
        b"\t",
        b"\x80",
        b",,",
    ];
    let mut hostile = Vec::new();
    while hostile.len() < 4000 {
        hostile.extend_from_slice(pieces[next(pieces.len())]);
    }
    let ledger = "2026,640205195001010012,马一,390,640205,参保缴费,380,2025-10-07,,\r\n".repeat(30);
    for bytes in [&hostile[..], ledger.as_bytes()] {
        for delimiter in [b',', b'\t', b'\r', b'\n'] {
            for from in 0..70 {
                for len in [0, 1, 63, 64, 65, 127, 128, 129, 1000, bytes.len()] {
                    let b = bytes
                        .get(from..(from + len).min(bytes.len()))
                        .unwrap_or(&[]);
                    let want = split_per_stop(b, delimiter);
                    assert_eq!(split_all(b, delimiter), want, "from {from} len {len}");
                    assert_eq!(split_by_words(b, delimiter), want, "from {from} len {len}");
                }
            }
        }
    }
}

#[test]
fn a_range_scanned_in_one_pass_counts_and_finds_as_before() {
    let mut seed = 5u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % n
    };
    // CRLF across a 64-byte block's end, lone CRs and LFs, quotes anywhere.
    let pieces: [&[u8]; 8] = [
        b"\r\n",
        b"\r",
        b"\n",
        b"\"",
        b"a",
        b",",
        "马".as_bytes(),
        b"\r\r\n",
    ];
    let mut hostile = Vec::new();
    while hostile.len() < 3000 {
        let plain = next(40);
        hostile.extend(std::iter::repeat_n(b'x', plain));
        hostile.extend_from_slice(pieces[next(pieces.len())]);
    }
    for from in 0..70 {
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 1000, hostile.len()] {
            let b = hostile
                .get(from..(from + len).min(hostile.len()))
                .unwrap_or(&[]);
            for last in [false, true] {
                let want = Scan {
                    lines: count_lines(b, last),
                    quoted: memchr::memchr(b'"', b).is_some(),
                };
                assert_eq!(
                    scan_range(b, last),
                    want,
                    "from {from} len {len} last {last}"
                );
            }
        }
    }
    // No quote in a long plain range; one in its last block or its tail.
    let plain = b"2021,640205,x\r\n".repeat(50);
    assert!(!scan_range(&plain, true).quoted);
    for at in [plain.len() - 70, plain.len() - 1] {
        let mut q = plain.clone();
        q[at] = b'"';
        assert!(scan_range(&q, true).quoted, "{at}");
    }
}

#[test]
fn a_byte_below_14_is_found_wherever_it_is() {
    let mut seed = 3u64;
    for _ in 0..200_000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        // Bytes near the edge (0, 12..=15, 0x80, 0x8D, 0xFF) and any.
        let word: [u8; 8] = std::array::from_fn(|k| {
            let pick = (seed >> (8 * k)) as u8;
            match pick % 8 {
                0 => [0, 12, 13, 14, 15, 0x80, 0x8D, 0xFF][usize::from(pick >> 5)],
                1 => 10,
                _ => pick | 0x0E,
            }
        });
        let want = word.iter().any(|&b| b < 14);
        assert_eq!(any_below_14(u64::from_le_bytes(word)), want, "{word:?}");
    }
}

#[test]
fn lines_split_as_stop_by_stop() {
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % n
    };
    // Random bytes dense in stops, CRLF and lone CR, non-ASCII bytes.
    let random: Vec<u8> = (0..5000)
        .map(|_| b"a,\t\n\r\x80\xff\x01,,"[next(10)])
        .collect();
    // Ledger-shaped: long lines, CRLF, empty lines, no last newline.
    let ledger =
        "2026,640205195001010012,马一,390,640205,参保缴费,普通居民,380,380,2025-10-07,,,,\r\n"
            .repeat(40)
            + "\r\n\n,\r\r\n2025,6402,马二,,,\n\t\t\n2024,x";
    let inputs: [&[u8]; 2] = [&random, ledger.as_bytes()];
    for bytes in inputs {
        for delimiter in [b',', b'\t'] {
            for len in (0..70).chain([1000, 2047, bytes.len()]) {
                let b = &bytes[..len.min(bytes.len())];
                for from in [0, 1, 3, 8] {
                    let b = b.get(from..).unwrap_or(&[]);
                    assert_eq!(
                        split_all(b, delimiter),
                        split_per_stop(b, delimiter),
                        "delimiter {delimiter} len {len} from {from}"
                    );
                }
            }
        }
    }
    assert_eq!(
        split_all(b"a,b\r\nc\rd\n\ne,", b','),
        [
            (0, 3, vec![1, 3]),
            (5, 6, vec![1]),
            (7, 8, vec![1]),
            (9, 9, vec![0]),
            (10, 12, vec![1, 2]),
        ]
    );
}

fn read_all(text: &str, width: usize) -> Vec<(Item, Vec<String>)> {
    let mut r = CsvLines::new(text.as_bytes(), b',');
    r.set_width(width);
    let mut rec = Fields::default();
    let mut out = Vec::new();
    while let Some(item) = r.next_record(&mut rec).unwrap() {
        let fields = rec
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        out.push((item, fields));
    }
    out
}

#[test]
fn plain_lines_and_every_line_end() {
    let got = read_all("a,b\r\nc,d\re,f\n\ng,h", 2);
    let lines: Vec<u64> = got
        .iter()
        .map(|(i, _)| match i {
            Item::Record { line, .. } => *line,
            Item::BrokenQuote { line, .. } => *line,
        })
        .collect();
    assert_eq!(lines, [1, 2, 3, 4, 5]);
    assert_eq!(got[1].1, ["c", "d"]);
    assert_eq!(got[3].1, [""], "an empty line is a blank record");
    assert_eq!(got[4].1, ["g", "h"]);
}

#[test]
fn quoted_fields_follow_the_csv_rules() {
    let got = read_all("\"a,b\",\"say \"\"hi\"\"\",x\"y,\"q\"r\n", 4);
    assert_eq!(got[0].1, ["a,b", "say \"hi\"", "x\"y", "qr"]);
}

#[test]
fn a_quoted_address_over_two_lines_is_one_field() {
    let got = read_all("马,\"银川市\n兴庆区\",低保,640104\n李,1,2,3\n", 4);
    assert_eq!(got.len(), 2);
    // A first field with a line break: the rest of the row follows it.
    let first = read_all("\"银川市\n兴庆区\",马,低保,640104\n", 4);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].1, ["银川市\n兴庆区", "马", "低保", "640104"]);
    assert_eq!(got[0].0, Item::Record { line: 1, lines: 2 });
    assert_eq!(got[0].1, ["马", "银川市\n兴庆区", "低保", "640104"]);
    assert_eq!(got[1].0, Item::Record { line: 3, lines: 1 });
}

#[test]
fn a_stray_quote_costs_only_its_line() {
    let text = "h1,h2,h3,h4\n\"马小红,1,2,3\n李,4,5,6\n王,7,8,9\n";
    let got = read_all(text, 4);
    assert_eq!(got.len(), 4);
    assert!(matches!(&got[1].0, Item::BrokenQuote { line: 2, text } if text == "\"马小红,1,2,3"));
    assert_eq!(got[2].0, Item::Record { line: 3, lines: 1 });
    assert_eq!(got[3].1, ["王", "7", "8", "9"]);
}

#[test]
fn a_quote_open_at_the_end_or_past_the_limit_is_broken() {
    // Narrow rows (no whole-row check): the line limit decides.
    let mut text = String::from("\"open\n");
    for i in 0..20 {
        text.push_str(&format!("r{i}\n"));
    }
    let got = read_all(&text, 0);
    assert!(matches!(got[0].0, Item::BrokenQuote { line: 1, .. }));
    assert_eq!(got.len(), 21, "every later line read again");
    let got = read_all("a\n\"b\nc\n", 0);
    assert_eq!(got.len(), 3);
    assert!(matches!(got[1].0, Item::BrokenQuote { line: 2, .. }));
    assert_eq!(got[2].1, ["c"]);
}

/// One way of splitting (or scanning) a piece, counting what it found.
type Splitter<'a> = &'a mut dyn FnMut(&[u8], &mut Vec<usize>, &mut u64);

/// Not a check: splits the file `YIBAO_SPLIT_BENCH` names in 512 KiB
/// pieces (with AVX2 where the CPU has it, and by words), and scans them
/// for lines and quotes in one pass and in two, five times each; prints
/// the best time of each (issue 15).
#[test]
#[ignore]
fn split_bench() {
    let Ok(path) = std::env::var("YIBAO_SPLIT_BENCH") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let pieces: Vec<&[u8]> = bytes.chunks(512 << 10).collect();
    let mut ends = Vec::new();
    let mut time = |name: &str, split: Splitter<'_>| {
        let mut best = f64::MAX;
        let mut found = 0u64;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            found = 0;
            for p in &pieces {
                split(p, &mut ends, &mut found);
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        eprintln!("{name}: {best:.3} s, {found} found");
    };
    time("split_lines", &mut |b, ends, found| {
        split_lines(b, b',', ends, |_, _, f| *found += f.len() as u64);
    });
    time("words", &mut |b, ends, found| {
        let at = LineAt {
            start: 0,
            lf_of_crlf: usize::MAX,
        };
        split_words(b, 0, b',', at, ends, |_, _, f| *found += f.len() as u64);
    });
    time("scan_range", &mut |b, _, found| {
        *found += scan_range(b, false).lines;
    });
    time("count_lines+memchr", &mut |b, _, found| {
        *found += count_lines(b, false) + u64::from(memchr::memchr(b'"', b).is_some());
    });
}
