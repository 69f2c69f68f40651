//! Issue 5 — hostile input. The corpus in `tests/corpus/` (truncated files,
//! wrong encodings, NUL bytes, formula injection, header-only, empty …) and
//! generated monsters (10 000 columns, a 16 MiB line, broken workbooks) run
//! through the real binary: each gives a clear error naming the file, or
//! reject rows, never a panic and never a lost row. Property tests (proptest)
//! fuzz the ID, date and money parsers and the CSV/XLSX ingest through the
//! library. `make test` runs a few dozen cases per property; `make fuzz`
//! runs thousands (`PROPTEST_CASES`), bounded by `timeout`.

use crate::common;

use std::path::Path;

use common::{repo, Workdir};
use proptest::prelude::*;
use yibao_recon::domain::{mask, parse_date, parse_person_id, parse_yuan, Fen};
use yibao_recon::ingest::schema::Schemas;
use yibao_recon::ingest::{ingest_all, Ingested, InputSpec, ParseCtx};

const ENROLLMENT: &str = "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期\n2026,640104197003121222,马秀兰,390,640104,参保缴费,普通居民,400,400,2025-11-05\n";
const CIVIL_HEADER: &str = "姓名,身份证号,救助类别,认定日期,行政区划代码,退出日期,状态";

/// Runs the file at `inputs/<name>` as the civil export of a month.
fn run_civil(w: &Workdir, name: &str) -> std::process::Output {
    w.write("inputs/enrollment.csv", ENROLLMENT);
    common::run_roster(w, "--civil", name, true)
}

fn workdir() -> Workdir {
    common::policy_workdir("ningxia-2026.toml")
}

/// The counts `summary.json` gives the civil input, after checking that
/// read = accepted + rejected + merged and that rejects.csv holds every
/// rejected row of the file.
fn civil_counts(w: &Workdir, name: &str) -> [u64; 5] {
    let s: serde_json::Value =
        serde_json::from_str(&w.read(&format!("out/{name}/summary.json"))).unwrap();
    let input = s["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "civil")
        .unwrap();
    let n = |k: &str| input[k].as_u64().unwrap();
    let c = [
        n("rows_read"),
        n("accepted"),
        n("rejected"),
        n("merged_duplicates"),
        n("blank_rows_skipped"),
    ];
    assert_eq!(c[0], c[1] + c[2] + c[3], "{name}: a row went missing");
    let rejects = common::read_csv(&w.path(&format!("out/{name}/rejects.csv")));
    let mine = rejects
        .iter()
        .filter(|r| r["文件"] == format!("inputs/{name}"))
        .count() as u64;
    assert_eq!(mine, c[2], "{name}: rejects.csv lacks rejected rows");
    c
}

fn assert_no_panic(name: &str, o: &std::process::Output) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{name}: {:?}\n{err}",
        o.status
    );
    assert!(!err.contains("panicked"), "{name}: {err}");
}

enum Want {
    /// Exit 0 with (rows read, accepted, rejected, merged, blank rows).
    Rows([u64; 5]),
    /// Exit 1 with this in the message (which also names the file).
    Error(&'static str),
}

#[test]
fn every_file_of_the_corpus_gives_an_error_or_rows_never_a_panic() {
    use Want::*;
    let cases = [
        ("empty.csv", Error("the file is empty")),
        ("bom-only.csv", Error("the file is empty")),
        ("header-only.csv", Rows([0, 0, 0, 0, 0])),
        // Two rows of bare commas and one empty line: every line counted
        // (issue 10; the empty line used to vanish uncounted).
        ("blank-lines-only.csv", Rows([0, 0, 0, 0, 3])),
        // The cut last row is read and rejected (its date is incomplete).
        ("truncated.csv", Rows([3, 2, 1, 0, 0])),
        // The row with the stray quote is rejected (BROKEN_QUOTE); the row
        // after it is read normally (issue 10).
        ("unterminated-quote.csv", Rows([3, 2, 1, 0, 0])),
        ("nul-bytes.csv", Rows([3, 1, 2, 0, 0])),
        ("utf16le-no-bom.csv", Error("找不到表头")),
        ("utf16le-bom-tabs.csv", Rows([3, 3, 0, 0, 0])),
        ("shift-jis.csv", Error("找不到表头")),
        ("latin1.csv", Error("找不到表头")),
        ("formula-injection.csv", Rows([4, 2, 2, 0, 0])),
        ("ragged.csv", Rows([3, 2, 1, 0, 0])),
        ("mixed-line-ends.csv", Rows([3, 3, 0, 0, 0])),
        ("binary.csv", Error("找不到表头")),
        ("old-excel.xls", Error("old-format Excel")),
        (
            "not-a-workbook.xlsx",
            Error("cannot be read as an .xlsx workbook"),
        ),
        ("missing-column.csv", Error("缺少必需列“救助类别”")),
        // Issue 10: exports as department systems write them.
        ("title-rows.csv", Rows([3, 3, 0, 0, 0])),
        ("two-row-header.csv", Rows([3, 3, 0, 0, 0])),
        ("totals-notes.csv", Rows([3, 3, 0, 0, 0])),
        ("ordinal-blank-rows.csv", Rows([3, 3, 0, 0, 2])),
        ("stray-quote.csv", Rows([4, 3, 1, 0, 0])),
        ("header-less.csv", Error("找不到表头")),
        ("id-text-suffix.csv", Rows([2, 1, 1, 0, 0])),
        ("sci-notation-id.csv", Rows([2, 1, 1, 0, 0])),
    ];
    let w = workdir();
    let corpus = repo().join("tests/corpus");
    let mut seen = 0;
    for (name, want) in cases {
        std::fs::create_dir_all(w.path("inputs")).unwrap();
        std::fs::copy(corpus.join(name), w.path(&format!("inputs/{name}"))).unwrap();
        let o = run_civil(&w, name);
        assert_no_panic(name, &o);
        let err = String::from_utf8_lossy(&o.stderr);
        match want {
            Rows(counts) => {
                assert_eq!(o.status.code(), Some(0), "{name}: {err}");
                assert_eq!(civil_counts(&w, name), counts, "{name}");
            }
            Error(text) => {
                assert_eq!(o.status.code(), Some(1), "{name}");
                assert!(err.contains(text), "{name}: {err}");
                assert!(err.contains(&format!("inputs/{name}")), "{name}: {err}");
                assert!(!w.path(&format!("out/{name}")).exists(), "{name}");
            }
        }
        seen += 1;
    }
    // Every file of the corpus has a case.
    let files = std::fs::read_dir(&corpus)
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name();
            let n = n.to_string_lossy();
            !n.ends_with(".py") && !n.ends_with(".md")
        })
        .count();
    assert_eq!(files, seen);
}

#[test]
fn formulas_from_the_inputs_reach_no_report_as_formulas() {
    let w = workdir();
    std::fs::create_dir_all(w.path("inputs")).unwrap();
    std::fs::copy(
        repo().join("tests/corpus/formula-injection.csv"),
        w.path("inputs/f.csv"),
    )
    .unwrap();
    assert_eq!(run_civil(&w, "f.csv").status.code(), Some(0));
    for f in ["missing_enrollment.csv", "rejects.csv", "refunds.csv"] {
        for row in common::read_csv(&w.path(&format!("out/f.csv/{f}"))) {
            for (k, v) in row {
                assert!(
                    !v.starts_with(['=', '+', '-', '@']) || v.parse::<f64>().is_ok(),
                    "{f} {k}: {v}"
                );
            }
        }
    }
    let missing = w.read("out/f.csv/missing_enrollment.csv");
    assert!(missing.contains("'+cmd|' /C calc'!A0"), "{missing}");
}

#[test]
fn ten_thousand_columns_are_read_and_named_as_ignored() {
    let w = workdir();
    let extra: Vec<String> = (0..9993).map(|i| format!("附加列{i}")).collect();
    let mut text = format!("{CIVIL_HEADER},{}\n", extra.join(","));
    assert_eq!(text.matches(',').count() + 1, 10_000);
    let blanks = ",".repeat(9993);
    for row in [
        "马秀兰,640104197003121222,低保对象,2025-11-20,640104,,正常",
        "李建军,640105196507081318,低保对象,2025-12-01,640105,,正常",
    ] {
        text.push_str(&format!("{row}{blanks}\n"));
    }
    w.write("inputs/wide.csv", text);
    let o = run_civil(&w, "wide.csv");
    assert_no_panic("wide.csv", &o);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(civil_counts(&w, "wide.csv"), [2, 2, 0, 0, 0]);
    let s: serde_json::Value = serde_json::from_str(&w.read("out/wide.csv/summary.json")).unwrap();
    let civil = s["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "civil")
        .unwrap()
        .clone();
    assert_eq!(civil["ignored_columns"].as_array().unwrap().len(), 9993);
}

#[test]
fn a_sixteen_mebibyte_line_is_an_error_or_a_reject_not_a_crash() {
    let w = workdir();
    let huge = "9".repeat(16 << 20);
    // As the header: no required column.
    w.write("inputs/line.csv", &huge);
    let o = run_civil(&w, "line.csv");
    assert_no_panic("line.csv", &o);
    assert_eq!(o.status.code(), Some(1));
    // As one field of a data row: that row is rejected, the others stay.
    w.write(
        "inputs/row.csv",
        format!("{CIVIL_HEADER}\n马秀兰,{huge},低保对象,2025-11-20,640104,,正常\n李建军,640105196507081318,低保对象,2025-12-01,640105,,正常\n"),
    );
    let o = run_civil(&w, "row.csv");
    assert_no_panic("row.csv", &o);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(civil_counts(&w, "row.csv"), [2, 1, 1, 0, 0]);
    // The reject keeps the raw value (the clerk's evidence).
    assert!(w.path("out/row.csv/rejects.csv").metadata().unwrap().len() > 16 << 20);
}

/// A small civil workbook, built as Excel would save it.
fn workbook(rows: &[[&str; 7]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in CIVIL_HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn broken_workbooks_are_clear_errors() {
    let w = workdir();
    let good = workbook(&[[
        "马秀兰",
        "640104197003121222",
        "低保对象",
        "2025-11-20",
        "640104",
        "",
        "正常",
    ]]);
    w.write("inputs/good.xlsx", &good);
    let o = run_civil(&w, "good.xlsx");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(civil_counts(&w, "good.xlsx"), [1, 1, 0, 0, 0]);
    for cut in [8, good.len() / 4, good.len() / 2, good.len() - 30] {
        let name = format!("cut{cut}.xlsx");
        w.write(&format!("inputs/{name}"), &good[..cut]);
        let o = run_civil(&w, &name);
        assert_no_panic(&name, &o);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(&name));
    }
    // Bytes flipped inside the compressed sheets.
    for (i, at) in [good.len() / 3, good.len() / 2, 2 * good.len() / 3]
        .into_iter()
        .enumerate()
    {
        let mut bad = good.clone();
        for b in &mut bad[at..at + 16] {
            *b ^= 0x5A;
        }
        let name = format!("flip{i}.xlsx");
        w.write(&format!("inputs/{name}"), &bad);
        let o = run_civil(&w, &name);
        assert_no_panic(&name, &o);
        if o.status.code() == Some(0) {
            civil_counts(&w, &name);
        }
    }
}

// ---------------------------------------------------------------------------
// Property tests (library level).

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn t() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
}

const PROVINCES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

prop_compose! {
    fn valid_id()(p in 0..PROVINCES.len(), rest in 0u32..10_000, days in 0i64..38_000, seq in 0u32..1000) -> String {
        let birth = chrono::NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
        common::valid_id(&format!("{:02}{:04}{}{seq:03}", PROVINCES[p], rest, birth.format("%Y%m%d")))
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn parsers_never_panic_on_any_text(s in any::<String>()) {
        let _ = parse_yuan(&s);
        let _ = parse_date(&s);
        let _ = parse_person_id(&s, "01", t());
        let _ = parse_person_id(&s, "99", t());
        let _ = parse_person_id("640104197003121222", &s, t());
        prop_assert_eq!(mask(&s).chars().count(), s.chars().count());
    }

    #[test]
    fn money_round_trips_in_every_written_form(fen in 0i64..100_000_000_000) {
        let text = Fen(fen).to_string();
        prop_assert_eq!(parse_yuan(&text), Some(Fen(fen)));
        prop_assert_eq!(parse_yuan(&format!("￥{text}")), Some(Fen(fen)));
        let yuan = fen / 100;
        let grouped = yuan.to_string().as_bytes().rchunks(3).rev()
            .map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(",");
        prop_assert_eq!(parse_yuan(&format!("{grouped}.{:02}", fen % 100)), Some(Fen(fen)));
        prop_assert_eq!(parse_yuan(&format!("-{text}")), None);
    }

    #[test]
    fn dates_round_trip_in_every_written_form(days in 0i64..80_000) {
        let d = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
        use chrono::Datelike;
        let (y, m, dd) = (d.year(), d.month(), d.day());
        for text in [
            d.format("%Y-%m-%d").to_string(),
            format!("{y}/{m}/{dd}"),
            d.format("%Y%m%d").to_string(),
            format!("{y}年{m}月{dd}日"),
            format!("{} 10:23:00", d.format("%Y-%m-%d")),
        ] {
            prop_assert_eq!(parse_date(&text), Some(d), "{}", text);
        }
    }

    #[test]
    fn valid_ids_pass_and_any_single_digit_change_fails(id in valid_id(), pos in 0usize..17, delta in 1u8..10) {
        prop_assert!(parse_person_id(&id, "01", t()).is_ok(), "{}", id);
        let spaced = format!(" {} ", id.to_lowercase());
        prop_assert!(parse_person_id(&spaced, "01", t()).is_ok());
        let mut b = id.clone().into_bytes();
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(b).unwrap();
        prop_assert!(parse_person_id(&changed, "01", t()).is_err(), "{} -> {}", id, changed);
    }
}

/// Ingests one file of `kind` through the library.
fn ingest(path: &Path, kind: yibao_recon::domain::SourceKind) -> yibao_recon::Result<Ingested> {
    let schemas = Schemas::embedded().unwrap();
    let ctx = ParseCtx {
        vocab: &schemas.vocab,
        as_of: t(),
        region_prefix: Some("64"),
        policy_year: Some(2026),
        policy: None,
    };
    let spec = InputSpec {
        kind,
        path: path.to_path_buf(),
        display: "fuzz.csv".into(),
    };
    ingest_all(
        &[spec],
        &schemas,
        ctx,
        &yibao_recon::progress::Progress::hidden(),
    )
}

/// read = accepted + rejected + merged, and one reject row per rejected row.
fn accounted(data: &Ingested) -> u64 {
    let c = &data.files[0].counts;
    assert_eq!(c.read, c.accepted + c.rejected + c.merged_duplicates);
    assert_eq!(data.rejects.len() as u64, c.rejected);
    c.read + c.blank_rows
}

/// Cell values: valid ones, near misses, and hostile text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("640104197003121222".to_string()),
        Just("64010419700312122x".to_string()),
        Just("６４０１０４１９７００３１２１２２２".to_string()),
        Just("低保对象".to_string()),
        Just("特困人员".to_string()),
        Just("2025-11-20".to_string()),
        Just("2025年13月40日".to_string()),
        Just("640104".to_string()),
        Just("400.00".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("a,\"b\"\nc".to_string()),
        Just("\u{0}\u{feff}".to_string()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn csv_ingest_of_any_bytes_never_panics(prefix in any::<bool>(), bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.csv");
        let mut data = Vec::new();
        if prefix {
            data.extend_from_slice(CIVIL_HEADER.as_bytes());
            data.push(b'\n');
        }
        data.extend_from_slice(&bytes);
        std::fs::write(&path, &data).unwrap();
        if let Ok(d) = ingest(&path, yibao_recon::domain::SourceKind::Civil) {
            accounted(&d);
        }
    }

    #[test]
    fn every_written_row_is_accepted_rejected_merged_or_blank(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 7), 0..40),
        crlf in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.csv");
        let mut w = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_path(&path)
            .unwrap();
        w.write_record(CIVIL_HEADER.split(',')).unwrap();
        for r in &rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        let d = ingest(&path, yibao_recon::domain::SourceKind::Civil).unwrap();
        prop_assert_eq!(accounted(&d), rows.len() as u64);
    }

    #[test]
    fn xlsx_ingest_accounts_for_every_row(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 7), 0..25),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in CIVIL_HEADER.split(',').enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                // Excel cannot hold these characters; a workbook never has them.
                let v: String = v.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
                sheet.write_string(r as u32 + 1, c as u16, &v).unwrap();
            }
        }
        book.save(&path).unwrap();
        let d = ingest(&path, yibao_recon::domain::SourceKind::Civil).unwrap();
        let n = accounted(&d);
        // Trailing blank rows are not part of the sheet's range.
        let last_filled = rows.iter().rposition(|r| r.iter().any(|c| c.chars().any(|ch| !ch.is_whitespace() && !ch.is_control()))).map_or(0, |i| i + 1);
        prop_assert!(n as usize >= last_filled && n as usize <= rows.len(), "{} rows accounted of {}", n, rows.len());
    }
}

/// Repeats are merged whichever way a row travels: a history-year row
/// (validated as it is read) and a current-year row (validated in its
/// partition), accepted or rejected; each reject and conflict is listed once,
/// at the first line.
#[test]
fn repeated_rows_merge_on_every_path() {
    let w = workdir();
    let head = "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期,待遇开始日期,修复年数,电子税票号,动态参保类别";
    let hist = "2024,640104196804121025,马玉兰,390,640104,参保缴费,普通居民,380,380,2023-11-20,,,,";
    let hist_bad =
        "2023,640104196804121025,马玉兰,390,640104,参保缴费,普通居民,380,abc,2022-11-20,,,,";
    let hist_odd =
        "2022,640104196804121025,马玉兰,390,640104,参保缴费,某某类,380,380,2021-11-20,,,,";
    let now = "2026,640104196804121025,马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-15,,,,";
    let now_bad =
        "2026,640104196804121026,马玉兰,390,640104,参保缴费,普通居民,400,400,2025-11-15,,,,";
    let text = [
        head, hist, hist_bad, hist_odd, now, now_bad, hist, hist_bad, hist_odd, now, now_bad, hist,
    ]
    .join("\n");
    let path = w.path("enrollment.csv");
    std::fs::write(&path, text + "\n").unwrap();
    let data = ingest(&path, yibao_recon::domain::SourceKind::Enrollment).unwrap();
    let c = &data.files[0].counts;
    assert_eq!(
        (c.read, c.accepted, c.rejected, c.merged_duplicates),
        (11, 3, 2, 6)
    );
    accounted(&data);
    let lines: Vec<u64> = data.rejects.iter().map(|r| r.line).collect();
    assert_eq!(
        lines,
        [3, 6],
        "one reject per distinct row, at its first line"
    );
    assert_eq!(data.history.len(), 2);
    assert_eq!(data.enrollment.len(), 1);
    let conflicts: Vec<u32> = data.conflicts.iter().map(|c| c.origin.line).collect();
    assert_eq!(conflicts, [4], "the unknown rating is listed once");
}

// ---------------------------------------------------------------------------
// Issue 10: shapes of real exports.

/// Text after an ID in every ID-like column (a 残疾人证号 `…2110视力` used to
/// panic on a character boundary and print the full ID): never a panic,
/// every row accounted for.
#[test]
fn text_after_an_id_in_any_id_column_never_panics() {
    use yibao_recon::domain::SourceKind::*;
    let id = "640105195909232110";
    let cert = "64010519590923211042";
    let kinds = [
        (Civil, CIVIL_HEADER, "马,{id},低保对象,2025-11-20,640104,,正常"),
        (Veterans, "姓名,身份证号,优抚类别,认定日期,行政区划代码", "马,{id},优抚对象,2025-11-20,640104"),
        (Agri, "姓名,身份证号,人员类别,识别日期,行政区划代码", "马,{id},脱贫不稳定户,2025-11-20,640104"),
        (Disability, "姓名,残疾人证号,残疾等级,发证日期,行政区划代码", "马,{cert},二级,2025-11-20,640104"),
        (Enrollment, "参保年度,身份证号,姓名,险种类型,参保区划代码,参保状态,核定类别,应缴金额,实缴金额,缴费日期", "2026,{id},马,390,640104,参保缴费,普通居民,400,400,2025-11-05"),
        (Persons, "身份证号,姓名,常住区划代码", "{id},马,640104"),
        (Elsewhere, "身份证号,姓名,说明", "{id},马,外省参保"),
    ];
    let suffixes = [
        "视力",
        "é",
        "B视",
        "B１",
        "\u{3000}号",
        "🙂",
        "42B1视",
        "\u{feff}",
    ];
    let dir = tempfile::tempdir().unwrap();
    for (kind, header, row) in kinds {
        let mut text = format!("{header}\n");
        for s in suffixes {
            let line = row
                .replace("{id}", &format!("{id}{s}"))
                .replace("{cert}", &format!("{cert}{s}"));
            text.push_str(&line);
            text.push('\n');
        }
        let path = dir.path().join(format!("{}.csv", kind.key()));
        std::fs::write(&path, text).unwrap();
        let d = ingest(&path, kind).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(accounted(&d), suffixes.len() as u64, "{kind:?}");
    }
    // Through the binary, as the issue saw it: exit 0, no panic, the row
    // rejected, and no message with the full ID.
    let w = workdir();
    w.write("inputs/enrollment.csv", ENROLLMENT);
    w.write(
        "inputs/d.csv",
        format!("姓名,残疾人证号,残疾等级,发证日期,行政区划代码\n杨建国,{id}视力,二级,2024-03-01,640105\n"),
    );
    let o = common::run_roster(&w, "--disability", "d.csv", true);
    assert_no_panic("d.csv", &o);
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stderr).contains(id));
    let r = common::read_csv(&w.path("out/d.csv/rejects.csv"));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["拒收原因"], "ID_LENGTH");
}

proptest! {
    #![proptest_config(cases(48))]

    /// Title lines, quotes anywhere, totals and notes: whatever rows come
    /// after a title block, every physical line is accounted for.
    #[test]
    fn every_line_of_a_messy_export_is_accounted_for(
        titles in proptest::collection::vec("[^\r\n\"]{0,20}", 0..4),
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 7), 0..30),
        stray in proptest::collection::vec(any::<bool>(), 30),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.csv");
        let mut text = String::new();
        for t in &titles {
            text.push_str(&format!("{t}\n"));
        }
        text.push_str(CIVIL_HEADER);
        text.push('\n');
        for (i, r) in rows.iter().enumerate() {
            let mut line = r.iter().map(|c| c.replace(['\n', '\r'], " ")).collect::<Vec<_>>().join(",");
            if stray[i] {
                line.insert(0, '"');
            }
            text.push_str(&line);
            text.push('\n');
        }
        text.push_str("合计,,,,,,\n备注：本表由民政局提供\n");
        std::fs::write(&path, &text).unwrap();
        let d = ingest(&path, yibao_recon::domain::SourceKind::Civil).unwrap();
        accounted(&d);
        let lines = &d.files[0].lines;
        prop_assert!(lines.balances(), "{lines:?}");
        prop_assert_eq!(lines.physical, text.lines().count() as u64);
    }
}

/// Title lines above the header decide nothing when the header is found
/// with the other delimiter: three titles holding tabs and no comma over a
/// comma-delimited roster of one person (a property-test find: "no header
/// row found"), and three titles holding commas over a tab-delimited one.
#[test]
fn titles_with_the_other_delimiter_do_not_hide_the_header() {
    let row = "马秀兰,640104197003121222,低保对象,2025-11-20,640104,,正常";
    let comma = format!("\t\t\t\n民政\t2026\n\t\n{CIVIL_HEADER}\n{row}\n合计,1,,,,,\n");
    let tab = format!(
        "低保,特困,花名册\n2026,1,1\n,\n{}\n{}\n",
        CIVIL_HEADER.replace(',', "\t"),
        row.replace(',', "\t")
    );
    for (name, text) in [("comma", comma), ("tab", tab)] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.csv");
        std::fs::write(&path, &text).unwrap();
        let d = ingest(&path, yibao_recon::domain::SourceKind::Civil)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = &d.files[0].counts;
        assert_eq!((c.read, c.accepted, c.rejected), (1, 1, 0), "{name}");
        assert_eq!(d.files[0].lines.header_line, 4, "{name}");
        assert!(
            d.files[0].lines.balances(),
            "{name}: {:?}",
            d.files[0].lines
        );
        assert_eq!(
            d.files[0].lines.physical,
            text.lines().count() as u64,
            "{name}"
        );
    }
}
