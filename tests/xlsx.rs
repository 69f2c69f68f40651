//! Excel in and out: an XLSX export gives the same results as its CSV twin
//! (Excel serial dates and date cells included), and report.xlsx holds every
//! report as a sheet with IDs as text and amounts as numbers.

use crate::common;

use calamine::{Data, Reader, Xlsx};
use common::{read_csv, run_sample, Workdir};

/// Writes a CSV's rows into the first sheet of a workbook. Columns named in
/// `date_cols` become real date cells or bare serial numbers (alternating),
/// as clerks' workbooks mix both; everything else stays text.
fn csv_to_xlsx(csv_path: &std::path::Path, xlsx_path: &std::path::Path, date_cols: &[&str]) {
    let rows = read_csv(csv_path);
    let text = std::fs::read_to_string(csv_path).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let header: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let date_fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, h) in header.iter().enumerate() {
            let v = &row[h];
            let (rr, cc) = (r as u32 + 1, c as u16);
            let date = yibao_recon::domain::parse_date(v)
                .filter(|_| date_cols.contains(&h.as_str()) && v.len() >= 8);
            match date {
                Some(d) if r % 2 == 0 => {
                    let x = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        d.format("%Y").to_string().parse().unwrap(),
                        d.format("%m").to_string().parse().unwrap(),
                        d.format("%d").to_string().parse().unwrap(),
                    )
                    .unwrap();
                    sheet
                        .write_datetime_with_format(rr, cc, &x, &date_fmt)
                        .unwrap();
                }
                Some(d) => {
                    let serial =
                        (d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
                    sheet.write_number(rr, cc, serial as f64).unwrap();
                }
                None => {
                    sheet.write_string(rr, cc, v).unwrap();
                }
            }
        }
    }
    wb.save(xlsx_path).unwrap();
}

#[test]
fn xlsx_roster_gives_the_same_results_as_csv() {
    let w = Workdir::new();
    w.copy_sample("ningxia");
    csv_to_xlsx(
        &w.path("inputs/civil.csv"),
        &w.path("inputs/civil.xlsx"),
        &["认定日期", "退出日期"],
    );
    csv_to_xlsx(
        &w.path("inputs/disability.csv"),
        &w.path("inputs/disability.xlsx"),
        &["发证日期", "有效期至"],
    );
    let csv_args = common::sample_args("ningxia", "csv-out");
    // The same month from other files: a trial run (the ledger holds the
    // CSV run of the month, which a run with other inputs may not replace).
    let xlsx_args: Vec<String> = common::sample_args("ningxia", "xlsx-out")
        .into_iter()
        .map(|a| {
            a.replace("inputs/civil.csv", "inputs/civil.xlsx")
                .replace("inputs/disability.csv", "inputs/disability.xlsx")
        })
        .chain(["--no-ledger".to_string()])
        .collect();
    for args in [&csv_args, &xlsx_args] {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        w.run_expect(&refs, 0);
    }
    for f in [
        "refunds.csv",
        "rerating.csv",
        "missing_enrollment.csv",
        "coverage.csv",
        "subsidy_detail.csv",
        "transfers.csv",
    ] {
        let a = w.read(&format!("csv-out/{f}"));
        let b = w
            .read(&format!("xlsx-out/{f}"))
            .replace("inputs/civil.xlsx", "inputs/civil.csv")
            .replace("inputs/disability.xlsx", "inputs/disability.csv");
        assert_eq!(a, b, "{f} differs between the CSV and the XLSX export");
    }
    let rejects = read_csv(&w.path("xlsx-out/rejects.csv"));
    let civil_rejects: Vec<_> = rejects
        .iter()
        .filter(|r| r["文件"] == "inputs/civil.xlsx")
        .collect();
    assert_eq!(civil_rejects.len(), 5, "{civil_rejects:#?}");
    assert!(civil_rejects
        .iter()
        .any(|r| r["拒收原因"] == "BAD_DATE" || r["拒收原因"] == "DATE_ORDER"));
}

#[test]
fn report_xlsx_has_every_report_as_a_sheet_with_text_ids() {
    let w = run_sample("hulunbuir", "out");
    let mut book: Xlsx<_> = calamine::open_workbook(w.path("out/report.xlsx")).unwrap();
    let names = book.sheet_names();
    for want in [
        "退费名单",
        "重新核定名单",
        "应参未参名单",
        "转移接续名单",
        "补缴及等待期核查",
        "参保率",
        "资助明细",
        "资助台账",
        "财政补助分担",
        "拒收清单",
        "待核实清单",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "no sheet {want}: {names:?}"
        );
    }
    let range = book.worksheet_range("退费名单").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let id_col = header.iter().position(|h| h == "身份证号").unwrap();
    let amount_col = header.iter().position(|h| h == "退费金额").unwrap();
    let first = range.rows().nth(1).unwrap();
    assert!(
        matches!(&first[id_col], Data::String(s) if s.len() == 18),
        "IDs are text cells: {:?}",
        first[id_col]
    );
    assert!(
        matches!(first[amount_col], Data::Float(_) | Data::Int(_)),
        "amounts are numbers: {:?}",
        first[amount_col]
    );
}

/// Issue 16: 参保率(%) in report.xlsx is a number (a fraction shown as a
/// percentage, 73.68% = 0.7368), not text. The expected rate of each row is
/// worked out from its own 应参保人数 and 已参保人数: covered / base in
/// hundredths of a percent, rounded half up (SPEC §4 R8, two decimals); no
/// rate (an empty cell) where no one is to be covered. The CSV keeps `73.68`.
#[test]
fn coverage_rate_is_a_number_in_report_xlsx() {
    let w = run_sample("ningxia", "out");
    let csv = read_csv(&w.path("out/coverage.csv"));
    let mut book: Xlsx<_> = calamine::open_workbook(w.path("out/report.xlsx")).unwrap();
    let range = book.worksheet_range("参保率").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap();
    let (base, covered, rate) = (col("应参保人数"), col("已参保人数"), col("参保率(%)"));
    let rows: Vec<&[Data]> = rows.collect();
    assert_eq!(rows.len(), csv.len());
    let mut partial = 0;
    for (row, line) in rows.iter().zip(&csv) {
        let number = |c: usize| match row[c] {
            Data::Float(f) => f as u64,
            Data::Int(i) => i as u64,
            ref other => panic!("{}: not a number: {other:?}", header[c]),
        };
        let (b, c) = (number(base), number(covered));
        if b == 0 {
            assert_eq!(row[rate], Data::Empty, "{line:?}");
            continue;
        }
        let centi = (2 * c * 10_000 + b) / (2 * b);
        if c < b {
            partial += 1;
        }
        assert_eq!(row[rate], Data::Float(centi as f64 / 10_000.0), "{line:?}");
        assert_eq!(
            line["参保率(%)"],
            format!("{}.{:02}", centi / 100, centi % 100),
            "the CSV keeps the two-decimal text"
        );
    }
    assert!(partial > 0, "the sample has rates below 100%");
}
