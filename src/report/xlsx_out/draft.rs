//! Workbooks written in steps (issue 15) and why one could not be built.

use std::collections::HashSet;
use std::io::Write;
use std::ops::Range;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::cells::{is_excel_date, Styles};
use super::package::{self, PackError, Rows, SheetRows};
use super::{
    internal, quietly, unique_sheet_name, write_sheet, Cell, Formats, PrintForm, ReportTable,
    SheetSpec, MAX_DATA_ROWS, MAX_ROWS, PRINT_EXTRA_ROWS,
};
use crate::error::{Error, Result};
use crate::ingest::schema::WorkbookSettings;

/// A workbook whose sheets are added in steps, each with its place in the
/// final order (issue 15: a county's sheets of the lists without the
/// ledger's columns are written while the ledger's transaction runs, the
/// others after it).
///
/// rust_xlsxwriter writes each sheet but its data rows; those are written by
/// hand when the workbook is packed ([`Book::pack`], [`super::package`]).
pub(super) struct Book {
    workbook: Workbook,
    formats: Formats,
    /// Sheet names taken, in Excel's case-blind form.
    used: HashSet<String>,
    /// Per worksheet added, its place in the final order.
    places: Vec<usize>,
    /// Per worksheet added, its data rows (written by hand when packed).
    pending: Vec<Option<Pending>>,
    /// The formats' style indices, numbered as the writer numbers them.
    xf: Numbering,
    /// Whether the data rows are written by hand (false: by the writer,
    /// cell by cell — the reference the tests compare the hand-written
    /// rows with).
    by_hand: bool,
}

/// A sheet's data rows, by table (its CSV file) and index.
struct Pending {
    file: &'static str,
    rows: Rows,
    /// The header's sheet row.
    top: u32,
}

/// The writer numbers a workbook's formats in the order first used, from 1
/// (0 is the default format); this keeps the same count for the formats
/// of the data rows, which the writer never sees.
struct Numbering {
    next: u32,
    title: u32,
    header: u32,
    styles: Styles,
}

impl Numbering {
    /// Numbers `slot` if it is the first use; true then.
    fn first_use(next: &mut u32, slot: &mut u32) -> bool {
        if *slot != 0 {
            return false;
        }
        *slot = *next;
        *next += 1;
        true
    }
}

impl Book {
    /// An empty workbook with its temporary sheets in `tempdir` (default:
    /// the system's).
    pub(super) fn new(tempdir: Option<&Path>) -> std::result::Result<Book, BuildError> {
        let mut workbook = Workbook::new();
        if let Some(dir) = tempdir {
            workbook.set_tempdir(dir).map_err(BuildError::from)?;
        }
        // rust_xlsxwriter stamps the current time into docProps/core.xml
        // (created and modified): a fixed time keeps the bytes reproducible.
        let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(BuildError::from)?;
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
        let formats = Formats {
            header: Format::new().set_bold(),
            money: Format::new().set_num_format("0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0.00%"),
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
        };
        Ok(Book {
            workbook,
            formats,
            used: HashSet::new(),
            places: Vec::new(),
            pending: Vec::new(),
            xf: Numbering {
                next: 1,
                title: 0,
                header: 0,
                styles: Styles::default(),
            },
            by_hand: true,
        })
    }

    /// The same workbook with every cell written by the writer (the
    /// reference of the tests).
    #[cfg(test)]
    pub(super) fn by_the_writer(mut self) -> Book {
        self.by_hand = false;
        self
    }

    /// Writes each sheet (a table longer than `max_rows` data rows continues
    /// on more sheets), remembering its place.
    pub(super) fn add(
        &mut self,
        sheets: &[(usize, &SheetSpec<'_>)],
        headers: &dyn Fn(&str) -> String,
        max_rows: usize,
    ) -> std::result::Result<(), BuildError> {
        let max_rows = max_rows.clamp(1, MAX_DATA_ROWS);
        for &(place, spec) in sheets {
            let (name, table) = (&spec.name, spec.table);
            let header: Vec<String> = table.columns.iter().map(|k| headers(k)).collect();
            let per_sheet = match spec.print {
                Some(_) => max_rows.min(MAX_ROWS - 1 - PRINT_EXTRA_ROWS),
                None => max_rows,
            };
            // A table with no rows still gets its sheet (with the header).
            let rows = spec.rows();
            let spans: Vec<Range<usize>> = (0..rows.len().max(1))
                .step_by(per_sheet)
                .map(|a| a..(a + per_sheet).min(rows.len()))
                .collect();
            for (i, span) in spans.into_iter().enumerate() {
                let sheet_name = unique_sheet_name(name, i + 1, &mut self.used);
                self.add_sheet(
                    &sheet_name,
                    (&header, &rows[span.clone()]),
                    spec.print.as_ref(),
                )?;
                let picked = match spec.rows {
                    Some(ix) => Rows::Picked(ix[span].to_vec()),
                    None => Rows::Span(span),
                };
                self.pending.push(self.by_hand.then(|| Pending {
                    file: table.file,
                    rows: picked,
                    top: u32::from(spec.print.is_some()),
                }));
                self.places.push(place);
            }
        }
        Ok(())
    }

    /// One worksheet: the writer writes all of it but the data rows (when
    /// written by hand), whose formats it numbers in the order first used.
    fn add_sheet(
        &mut self,
        sheet_name: &str,
        (header, rows): (&[String], &[&[Cell]]),
        print: Option<&PrintForm>,
    ) -> std::result::Result<(), BuildError> {
        // Constant-memory sheets stream rows to a temporary file instead
        // of holding every cell, and write texts inline.
        let ws = self
            .workbook
            .add_worksheet_with_constant_memory()
            .map_err(BuildError::from)?;
        ws.set_name(sheet_name).map_err(BuildError::from)?;
        write_sheet(ws, (header, rows), self.by_hand, &self.formats, print)
            .map_err(|e| BuildError::Internal(format!("worksheet `{sheet_name}`: {e}")))?;
        let xf = &mut self.xf;
        if print.is_some() {
            Numbering::first_use(&mut xf.next, &mut xf.title);
        }
        if !header.is_empty() {
            Numbering::first_use(&mut xf.next, &mut xf.header);
        }
        if self.by_hand {
            self.number_data_formats(rows);
        }
        Ok(())
    }

    /// Numbers the formats of the data cells in the order the writer would
    /// meet them (row by row, left to right) and registers them with it, so
    /// its styles and numbering are those of the cells written by it.
    fn number_data_formats(&mut self, rows: &[&[Cell]]) {
        let (xf, f) = (&mut self.xf, &self.formats);
        for cell in rows.iter().flat_map(|r| r.iter()) {
            let (slot, format) = match cell {
                Cell::Money(_) => (&mut xf.styles.money, &f.money),
                Cell::Date(Some(d)) if is_excel_date(*d) => (&mut xf.styles.date, &f.date),
                Cell::Percent(_) => (&mut xf.styles.percent, &f.percent),
                _ => continue,
            };
            if Numbering::first_use(&mut xf.next, slot) {
                self.workbook.register_format(format);
                let s = &xf.styles;
                if s.money != 0 && s.date != 0 && s.percent != 0 {
                    return;
                }
            }
        }
    }

    /// The workbook and its sheets' rows, in their places (in the order
    /// added among equal places: a table's continuation sheets follow it).
    fn into_parts(mut self) -> (Workbook, Vec<Option<Pending>>, Styles) {
        let sheets = std::mem::take(self.workbook.worksheets_mut());
        let mut placed: Vec<(usize, (Worksheet, Option<Pending>))> = self
            .places
            .into_iter()
            .zip(sheets.into_iter().zip(self.pending))
            .collect();
        placed.sort_by_key(|(place, _)| *place);
        let (sheets, pending): (Vec<Worksheet>, Vec<Option<Pending>>) =
            placed.into_iter().map(|(_, s)| s).unzip();
        self.workbook.worksheets_mut().extend(sheets);
        (self.workbook, pending, self.xf.styles)
    }

    /// Packs the workbook into `out`: the writer's parts, the data rows of
    /// `tables(file)` spliced into their sheets. `level`: deflate level
    /// (default: the writer's).
    pub(super) fn pack<'t, W: Write>(
        self,
        out: W,
        level: Option<u8>,
        tables: &dyn Fn(&str) -> Option<&'t ReportTable>,
    ) -> std::result::Result<W, BuildError> {
        let (mut workbook, pending, styles) = self.into_parts();
        // Test hook: the temporary sheets are written and still open here.
        crate::ledger::pause_point("workbook");
        if let Some(level) = level {
            workbook.set_zip_compression_level(level);
        }
        let mut written = workbook.save_to_buffer().map_err(BuildError::from)?;
        if pending.iter().all(Option::is_none) {
            // Every cell written by the writer: its package as it is.
            let mut out = out;
            out.write_all(&written).map_err(BuildError::Write)?;
            written.clear();
            return Ok(out);
        }
        let mut sheets = Vec::with_capacity(pending.len());
        for p in &pending {
            sheets.push(match p {
                Some(p) => Some(SheetRows {
                    table: tables(p.file).ok_or_else(|| {
                        BuildError::Internal(format!("no table {} to write", p.file))
                    })?,
                    rows: &p.rows,
                    top: p.top,
                }),
                None => None,
            });
        }
        package::assemble(&written, out, &sheets, &styles, level.map(i64::from)).map_err(
            |e| match e {
                PackError::Io(e) => BuildError::Write(e),
                PackError::Zip(e) => BuildError::Write(std::io::Error::other(e)),
                PackError::Internal(m) => BuildError::Internal(m),
            },
        )
    }
}

/// A workbook written in steps (issue 15): [`Draft::add`] writes sheets
/// into temporary files beside the workbook, each with its place in the
/// final order, and [`Draft::save`] puts them in order and packs the file.
/// The bytes depend only on the sheets and the order they were added in,
/// not on when.
pub struct Draft {
    book: Book,
    /// Where its temporary sheets are (the staging directory).
    dir: std::path::PathBuf,
    /// The workbook's name in messages (`by_county/640104-兴庆区.xlsx`).
    label: String,
}

impl Draft {
    /// An empty workbook named `label` in messages, its temporary sheets in
    /// `dir`.
    pub fn new(dir: &Path, label: &str) -> Result<Draft> {
        let book = Book::new(Some(dir)).map_err(|e| e.into_error(label))?;
        Ok(Draft {
            book,
            dir: dir.to_path_buf(),
            label: label.to_string(),
        })
    }

    /// Writes `sheets`, each with its place in the final order.
    pub fn add(
        &mut self,
        sheets: &[(usize, &SheetSpec<'_>)],
        headers: &dyn Fn(&str) -> String,
    ) -> Result<()> {
        let (book, label) = (&mut self.book, self.label.as_str());
        let added = quietly(|| {
            book.add(sheets, headers, MAX_DATA_ROWS)
                .map_err(|e| e.into_error(label))
        });
        added.unwrap_or_else(|panic| Err(sheets_not_written(&self.dir, &panic)))
    }

    /// Packs the workbook into `path` (created owner-only), its sheets in
    /// their places, their rows those of `tables(file)` (the tables the
    /// sheets were added from, by CSV file).
    pub fn save<'t>(
        self,
        path: &Path,
        settings: &WorkbookSettings,
        tables: &dyn Fn(&str) -> Option<&'t ReportTable>,
    ) -> Result<()> {
        let file = crate::owner_only::create_file(path)?;
        let (dir, label) = (self.dir, self.label);
        let book = self.book;
        let written = quietly(|| {
            let out = std::io::BufWriter::with_capacity(1 << 20, file);
            let mut out =
                book.pack(out, settings.compression_level, tables)
                    .map_err(|e| match e {
                        BuildError::Write(e) => Error::io(path.display(), e),
                        e => e.into_error(&label),
                    })?;
            out.flush().map_err(|e| Error::io(path.display(), e))
        });
        written.unwrap_or_else(|panic| Err(sheets_not_written(&dir, &panic)))
    }
}

/// The writer panicked writing a temporary sheet in `dir` (a full disk).
fn sheets_not_written(dir: &Path, panic: &str) -> Error {
    Error::io(
        dir.display(),
        format!("the workbook's temporary sheets could not be written ({panic})"),
    )
}

/// Why a workbook could not be built: a temporary sheet that could not be
/// created (its directory and the system's reason), or a bug of ours.
#[derive(Debug)]
pub(super) enum BuildError {
    TempFile(std::path::PathBuf, std::io::Error),
    /// The package could not be written (to the workbook's file).
    Write(std::io::Error),
    Internal(String),
}

impl From<rust_xlsxwriter::XlsxError> for BuildError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        match e {
            rust_xlsxwriter::XlsxError::TempFileError(dir, io) => BuildError::TempFile(dir, io),
            e => BuildError::Internal(e.to_string()),
        }
    }
}

impl BuildError {
    /// Our error for the workbook named `label`: a temporary sheet's failure
    /// is an I/O error naming its directory and the workbook.
    pub(super) fn into_error(self, label: &str) -> Error {
        match self {
            BuildError::TempFile(dir, io) => Error::io(
                dir.display(),
                format!("{label} 的临时工作表 temporary sheet: {io}"),
            ),
            BuildError::Write(e) => Error::io(label, e),
            BuildError::Internal(m) => internal(m),
        }
    }
}

/// The workbook's name as the clerk knows it: `by_county/<county>.xlsx` or
/// `report.xlsx` (its directory is the run's staging directory).
pub(super) fn file_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    match (parent, name) {
        (Some(p), Some(n)) if p == crate::report::by_county::DIR => format!("{p}/{n}"),
        (_, Some(n)) => n,
        _ => path.display().to_string(),
    }
}
