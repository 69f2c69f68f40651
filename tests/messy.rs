//! Issue 10 — real exports. Each messy form a department system produces
//! (title rows, a two-row header, totals and notes at the end, blank rows and
//! a 序号 column, CRLF with trailing commas, full-width spaces, a workbook
//! with all of these) is built from the clean sample data, run, and must give
//! the same refunds, re-ratings, missing enrollments, transfers and rejects
//! as the clean run (line numbers translated to the messy file's lines),
//! with every physical line accounted for in summary.json.

use crate::common;

use std::collections::BTreeMap;

use common::{read_csv, run_sample, sample_args, Workdir};

type Table = Vec<BTreeMap<String, String>>;

/// The lists a clerk acts on, plus the rejects.
const LISTS: [&str; 5] = [
    "refunds.csv",
    "rerating.csv",
    "missing_enrollment.csv",
    "transfers.csv",
    "rejects.csv",
];

/// Line-number columns of the lists and the file column each belongs to.
const LINE_COLS: [(&str, &str); 4] = [
    ("依据行号", "依据文件"),
    ("参保行号", "参保文件"),
    ("来源行号", "来源文件"),
    ("行号", "文件"),
];

/// A sample input as text lines (GBK decoded, BOM dropped).
fn sample_lines(region: &str, kind: &str) -> Vec<String> {
    let bytes = std::fs::read(
        common::repo()
            .join("sample_data")
            .join(region)
            .join(format!("{kind}.csv")),
    )
    .unwrap();
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    text.lines().map(str::to_string).collect()
}

/// A messy file: its lines, the messy line of each clean line (index 0 is
/// clean line 1), the expected header line and totals/notes lines, and the
/// line terminator.
struct Messy {
    lines: Vec<String>,
    map: Vec<u64>,
    header_line: u64,
    notes: Vec<u64>,
    crlf: bool,
}

impl Messy {
    fn clean(lines: &[String]) -> Messy {
        Messy {
            lines: lines.to_vec(),
            map: (1..=lines.len() as u64).collect(),
            header_line: 1,
            notes: vec![],
            crlf: false,
        }
    }

    fn text(&self) -> String {
        let end = if self.crlf { "\r\n" } else { "\n" };
        self.lines.iter().map(|l| format!("{l}{end}")).collect()
    }
}

fn width(lines: &[String]) -> usize {
    lines[0].split(',').count()
}

/// Pads a first cell to a whole row, as a spreadsheet saved as CSV does.
fn padded(first: &str, width: usize) -> String {
    format!("{first}{}", ",".repeat(width - 1))
}

fn titles(lines: &[String]) -> Messy {
    let w = width(lines);
    let mut out = vec![
        padded("宁夏回族自治区2026年1月城乡低保对象花名册", w),
        padded("填报单位：兴庆区民政局　　填报日期：2026年1月31日", w),
        padded("单位：元", w),
        String::new(),
    ];
    out.extend(lines.iter().cloned());
    Messy {
        map: (5..5 + lines.len() as u64).collect(),
        lines: out,
        header_line: 5,
        notes: vec![],
        crlf: false,
    }
}

/// A group row above the column names; the first column's name sits in the
/// group row (merged over both rows), blank in the lower one.
fn two_row_header(lines: &[String]) -> Messy {
    let w = width(lines);
    let header: Vec<&str> = lines[0].split(',').collect();
    let mut group = vec![String::new(); w];
    group[0] = header[0].to_string();
    group[1] = "基本信息".into();
    group[w / 2] = "救助信息".into();
    let mut lower: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    lower[0] = String::new();
    let mut out = vec![group.join(","), lower.join(",")];
    out.extend(lines[1..].iter().cloned());
    let mut map = vec![2];
    map.extend(3..2 + lines.len() as u64);
    Messy {
        lines: out,
        map,
        header_line: 2,
        notes: vec![],
        crlf: false,
    }
}

/// A 小计 row and a repeated header in the middle, then 合计, 共N人, notes
/// and signatures.
fn totals_and_notes(lines: &[String]) -> Messy {
    let w = width(lines);
    let mid = lines.len() / 2;
    let mut out: Vec<String> = lines[..=mid].to_vec();
    let mut map: Vec<u64> = (1..=out.len() as u64).collect();
    out.push(padded("小计", w));
    let subtotal = out.len() as u64;
    // The next county block starts with its own header row.
    out.push(lines[0].clone());
    let repeated = out.len() as u64;
    for l in &lines[mid + 1..] {
        out.push(l.clone());
        map.push(out.len() as u64);
    }
    let first_note = out.len() as u64 + 1;
    out.push(padded("合计", w));
    out.push(padded(&format!("共{}人", lines.len() - 1), w));
    out.push(padded(
        "备注：本表由县民政局提供，如有疑问请与经办人联系",
        w,
    ));
    out.push(format!(
        "{}{}",
        "制表人：张三,审核人：李四",
        ",".repeat(w - 2)
    ));
    out.push(padded("说明：退出日期为空表示仍在保", w));
    Messy {
        lines: out,
        map,
        header_line: 1,
        notes: [subtotal, repeated]
            .into_iter()
            .chain(first_note..first_note + 5)
            .collect(),
        crlf: false,
    }
}

/// A 序号 column, and blank rows (only a row number, or nothing at all)
/// every third row.
fn blanks_and_ordinals(lines: &[String]) -> Messy {
    let w = width(lines);
    let mut out = vec![format!("序号,{}", lines[0])];
    let mut map = vec![1];
    for (i, l) in lines[1..].iter().enumerate() {
        out.push(format!("{},{l}", i + 1));
        map.push(out.len() as u64);
        if i % 3 == 2 {
            out.push(format!("{},{}", i + 100, ",".repeat(w - 1)));
            out.push(String::new());
        }
    }
    Messy {
        lines: out,
        map,
        header_line: 1,
        notes: vec![],
        crlf: false,
    }
}

fn crlf_trailing_commas(lines: &[String]) -> Messy {
    let mut m = Messy::clean(lines);
    m.lines = lines.iter().map(|l| format!("{l},")).collect();
    m.crlf = true;
    m
}

fn full_width_spaces(lines: &[String]) -> Messy {
    let mut m = Messy::clean(lines);
    m.lines = lines
        .iter()
        .map(|l| {
            let cells: Vec<String> = cells(l)
                .iter()
                .map(|c| format!("\u{3000}{c}\u{3000}"))
                .collect();
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(vec![]);
            w.write_record(&cells).unwrap();
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            text.trim_end_matches('\n').to_string()
        })
        .collect();
    m
}

/// The cells of a CSV line (quoted cells read as the reader reads them).
fn cells(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    r.records()
        .next()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The lists of a run, line numbers translated back to the clean files'.
fn lists(w: &Workdir, maps: &BTreeMap<String, Vec<u64>>) -> BTreeMap<&'static str, Table> {
    LISTS
        .iter()
        .map(|name| {
            let mut rows = read_csv(&w.path(&format!("out/{name}")));
            for row in &mut rows {
                for (line_col, file_col) in LINE_COLS {
                    let (Some(line), Some(file)) = (row.get(line_col), row.get(file_col)) else {
                        continue;
                    };
                    let (Ok(n), Some(map)) = (line.parse::<u64>(), maps.get(file)) else {
                        continue;
                    };
                    let clean = map
                        .iter()
                        .position(|&m| m == n)
                        .unwrap_or_else(|| panic!("{name}: {file} line {n} is no clean line"));
                    row.insert(line_col.to_string(), (clean + 1).to_string());
                }
            }
            (*name, rows)
        })
        .collect()
}

fn input<'a>(summary: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    summary["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == path)
        .unwrap()
}

/// Runs the region with every CSV input made messy by `shape`, and checks
/// the lists against the clean run and the line accounting of every file.
fn same_lists_as_clean(region: &str, shape: fn(&[String]) -> Messy) {
    let clean = run_sample(region, "out");
    let clean_lists = lists(&clean, &BTreeMap::new());
    let clean_summary: serde_json::Value =
        serde_json::from_str(&clean.read("out/summary.json")).unwrap();
    let w = Workdir::new();
    w.copy_sample(region);
    let args = sample_args(region, "out");
    let mut maps = BTreeMap::new();
    let mut made = BTreeMap::new();
    for path in args.iter().filter(|a| a.starts_with("inputs/")) {
        let kind = path.trim_start_matches("inputs/").trim_end_matches(".csv");
        let m = shape(&sample_lines(region, kind));
        w.write(path, m.text());
        maps.insert(path.clone(), m.map.clone());
        made.insert(path.clone(), m);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&refs, 0);
    assert_eq!(lists(&w, &maps), clean_lists, "{region}");
    let summary: serde_json::Value = serde_json::from_str(&w.read("out/summary.json")).unwrap();
    for (path, m) in &made {
        let got = input(&summary, path);
        let was = input(&clean_summary, path);
        for k in ["rows_read", "accepted", "rejected", "merged_duplicates"] {
            assert_eq!(got[k], was[k], "{path} {k}");
        }
        assert_eq!(got["header_line"], m.header_line, "{path}");
        assert_eq!(
            got["lines_skipped_above_header"],
            m.header_line - 1,
            "{path}"
        );
        assert_eq!(got["physical_lines"], m.lines.len() as u64, "{path}");
        assert_eq!(
            got["totals_notes_lines"],
            serde_json::json!(m.notes),
            "{path}"
        );
        assert_eq!(got["totals_notes_skipped"], m.notes.len() as u64, "{path}");
        assert_eq!(got["line_accounting"]["balances"], true, "{path}: {got}");
        let acc = &got["line_accounting"];
        let sum: u64 = ["above_header", "header", "rows", "blank", "totals_notes"]
            .iter()
            .map(|k| acc[k].as_u64().unwrap())
            .sum();
        assert_eq!(sum, m.lines.len() as u64, "{path}: {acc}");
    }
}

#[test]
fn title_rows_give_the_same_lists() {
    same_lists_as_clean("ningxia", titles);
}

#[test]
fn a_two_row_header_gives_the_same_lists() {
    same_lists_as_clean("ningxia", two_row_header);
}

#[test]
fn totals_and_notes_give_the_same_lists() {
    same_lists_as_clean("ningxia", totals_and_notes);
    same_lists_as_clean("hulunbuir", totals_and_notes);
}

#[test]
fn blank_rows_and_a_row_number_column_give_the_same_lists() {
    same_lists_as_clean("ningxia", blanks_and_ordinals);
}

#[test]
fn crlf_and_trailing_commas_give_the_same_lists() {
    same_lists_as_clean("ningxia", crlf_trailing_commas);
}

#[test]
fn full_width_spaces_give_the_same_lists() {
    same_lists_as_clean("ningxia", full_width_spaces);
}

/// Every messy form at once, in a workbook: titles, a merged two-row
/// header, a 序号 column, blank rows, totals and notes.
#[test]
fn a_messy_workbook_gives_the_same_lists() {
    let clean = run_sample("ningxia", "out");
    let clean_lists = lists(&clean, &BTreeMap::new());
    let w = Workdir::new();
    w.copy_sample("ningxia");
    let lines = sample_lines("ningxia", "civil");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header: Vec<&str> = lines[0].split(',').collect();
    sheet
        .merge_range(
            0,
            0,
            0,
            header.len() as u16,
            "宁夏回族自治区2026年1月城乡低保对象花名册",
            &rust_xlsxwriter::Format::new(),
        )
        .unwrap();
    sheet
        .write_string(1, 0, "填报单位：兴庆区民政局　填报日期：2026-01-31")
        .unwrap();
    // Row 4: 序号 merged over rows 4–5, group cells; row 5: column names.
    sheet
        .merge_range(3, 0, 4, 0, "序号", &rust_xlsxwriter::Format::new())
        .unwrap();
    sheet.write_string(3, 1, "基本信息").unwrap();
    sheet.write_string(3, 3, "救助信息").unwrap();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(4, c as u16 + 1, *h).unwrap();
    }
    let mut map = vec![5u64];
    let mut row = 5u32;
    for (i, l) in lines[1..].iter().enumerate() {
        sheet.write_number(row, 0, (i + 1) as f64).unwrap();
        for (c, v) in l.split(',').enumerate() {
            if !v.is_empty() {
                sheet.write_string(row, c as u16 + 1, v).unwrap();
            }
        }
        map.push(u64::from(row) + 1);
        row += if i == 4 { 2 } else { 1 }; // one blank row
    }
    let notes = [row + 1, row + 2, row + 3];
    sheet.write_string(row, 0, "合计").unwrap();
    sheet
        .write_string(row + 1, 0, "备注：本表由县民政局提供")
        .unwrap();
    sheet.write_string(row + 2, 0, "制表人：张三").unwrap();
    sheet.write_string(row + 2, 3, "审核人：李四").unwrap();
    w.write("inputs/civil.xlsx", book.save_to_buffer().unwrap());
    let args: Vec<String> = sample_args("ningxia", "out")
        .into_iter()
        .map(|a| {
            if a == "inputs/civil.csv" {
                "inputs/civil.xlsx".into()
            } else {
                a
            }
        })
        .collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    w.run_expect(&refs, 0);
    let maps = BTreeMap::from([("inputs/civil.xlsx".to_string(), map)]);
    let mut got = lists(&w, &maps);
    for rows in got.values_mut() {
        for r in rows {
            for (_, file_col) in LINE_COLS {
                if r.get(file_col).is_some_and(|f| f == "inputs/civil.xlsx") {
                    r.insert(file_col.into(), "inputs/civil.csv".into());
                }
            }
        }
    }
    assert_eq!(got, clean_lists);
    let summary: serde_json::Value = serde_json::from_str(&w.read("out/summary.json")).unwrap();
    let civil = input(&summary, "inputs/civil.xlsx");
    assert_eq!(civil["header_line"], 5);
    assert_eq!(civil["lines_skipped_above_header"], 4);
    assert_eq!(civil["totals_notes_lines"], serde_json::json!(notes));
    assert_eq!(civil["blank_rows_skipped"], 1);
    assert_eq!(civil["physical_lines"], u64::from(row) + 3);
    assert_eq!(civil["line_accounting"]["balances"], true);
}
