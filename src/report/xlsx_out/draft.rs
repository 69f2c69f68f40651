//! Workbooks written in steps (issue 15) and why one could not be built.

use std::collections::HashSet;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::{
    internal, quietly, unique_sheet_name, write_sheet, Cell, Formats, SheetSpec, MAX_DATA_ROWS,
    MAX_ROWS, PRINT_EXTRA_ROWS,
};
use crate::error::{Error, Result};
use crate::ingest::schema::WorkbookSettings;

/// A workbook whose sheets are added in steps, each with its place in the
/// final order (issue 15: a county's sheets of the lists without the
/// ledger's columns are written while the ledger's transaction runs, the
/// others after it).
pub(super) struct Book {
    workbook: Workbook,
    formats: Formats,
    /// Sheet names taken, in Excel's case-blind form.
    used: HashSet<String>,
    /// Per worksheet added, its place in the final order.
    places: Vec<usize>,
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
        })
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
            let chunks: Vec<&[&[Cell]]> = if rows.is_empty() {
                vec![&[]]
            } else {
                rows.chunks(per_sheet).collect()
            };
            for (i, rows) in chunks.into_iter().enumerate() {
                let sheet_name = unique_sheet_name(name, i + 1, &mut self.used);
                // Constant-memory sheets stream rows to a temporary file instead
                // of holding every cell: a province's lists stay cheap to write.
                let ws = self
                    .workbook
                    .add_worksheet_with_constant_memory()
                    .map_err(BuildError::from)?;
                ws.set_name(&sheet_name).map_err(BuildError::from)?;
                write_sheet(ws, &header, rows, &self.formats, spec.print.as_ref())
                    .map_err(|e| BuildError::Internal(format!("worksheet `{sheet_name}`: {e}")))?;
                self.places.push(place);
            }
        }
        Ok(())
    }

    /// The workbook, its sheets in their places (in the order added among
    /// equal places: a table's continuation sheets follow it).
    pub(super) fn into_workbook(mut self) -> Workbook {
        let sheets = std::mem::take(self.workbook.worksheets_mut());
        let mut placed: Vec<(usize, Worksheet)> = self.places.into_iter().zip(sheets).collect();
        placed.sort_by_key(|(place, _)| *place);
        self.workbook
            .worksheets_mut()
            .extend(placed.into_iter().map(|(_, ws)| ws));
        self.workbook
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
    /// their places.
    pub fn save(self, path: &Path, settings: &WorkbookSettings) -> Result<()> {
        let file = crate::owner_only::create_file(path)?;
        let dir = self.dir;
        let book = self.book;
        let written = quietly(|| {
            let mut workbook = book.into_workbook();
            // Test hook: the temporary sheets are written and still open here.
            crate::ledger::pause_point("workbook");
            if let Some(level) = settings.compression_level {
                workbook.set_zip_compression_level(level);
            }
            workbook
                .save_to_writer(file)
                .map_err(|e| Error::io(path.display(), e))
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
