//! Scattering the inputs into partitions: every file's header checked,
//! then its rows read ([`super::ranges`], `serial`) and routed to their
//! person's partition ([`super::spill`]), history-year enrollment rows
//! validated on the way ([`route`]); the findings of those rows merged
//! once every file is read.

use rayon::prelude::*;

use super::read::{self, read_meta_checked, TableMeta};
use super::row::Row;
use super::schema::{Col, Schemas};
use super::{
    bind, enrollment, history, identity, key_of, ranges, regionless, serial, spill, InputCounts,
    InputFile, InputSpec, ParseCtx, Record, Scattered, SpillOpts,
};
use crate::domain::{PersonId, SourceKind};
use crate::error::Result;
use crate::findings::{Conflict, FileIdx, Reject};

/// Reads every input into partitions. All headers are checked before any row
/// is read, so a missing column fails the run before any work or output.
/// A UTF-8 or GB18030 CSV is read in byte ranges on every core
/// ([`ranges`]); other files are streamed in blocks by one reader
/// (`serial`). Either way rows
/// are routed to their partitions in the order of the file (enrollment rows
/// of years before `Y` are validated on the way, see `route`).
pub fn scatter(
    inputs: &[InputSpec],
    schemas: &Schemas,
    ctx: ParseCtx<'_>,
    opts: &SpillOpts,
    progress: &crate::progress::Progress,
) -> Result<Scattered> {
    let metas: Vec<TableMeta> = inputs
        .par_iter()
        .map(|i| {
            let check = bind::FitCheck {
                vocab: Some(ctx.vocab),
                populations: ctx.policy.map(|p| p as &dyn bind::PopulationTexts),
            };
            read_meta_checked(&i.path, &i.display, schemas.source(i.kind), check)
        })
        .collect::<Result<_>>()?;
    let input_bytes: u64 = inputs
        .iter()
        .filter_map(|i| std::fs::metadata(&i.path).ok())
        .map(|m| m.len())
        .sum();
    let count = opts
        .partitions
        .unwrap_or_else(|| spill::partitions_for(input_bytes))
        .max(1);
    let budget = opts.memory.unwrap_or(spill::DEFAULT_BUDGET);
    let mut parts = spill::Partitions::new(count, &opts.dir, budget);
    let mut files = Vec::with_capacity(inputs.len());
    // Findings of rows validated while reading (history rows), with their
    // rows' hashes: repeats are merged once every file is read.
    let mut early_rejects: Vec<(FileIdx, u128, Reject)> = Vec::new();
    let mut early_conflicts: Vec<(FileIdx, u128, Conflict)> = Vec::new();
    let mut late_rejects: Vec<Reject> = Vec::new();
    // Issue 16: one bar over the bytes of all inputs; each file's own
    // bytes are counted from its start (its header was read for the metas).
    let bar = progress.bytes(input_bytes, "读取 reading");
    let mut done_bytes = 0u64;
    for (idx, (spec, meta)) in inputs.iter().zip(&metas).enumerate() {
        let file = FileIdx::try_from(idx).map_err(|_| {
            crate::error::Error::Usage("too many input files (at most 65535)".into())
        })?;
        bar.set_message(format!("读取 {}", spec.display));
        let size = std::fs::metadata(&spec.path).map_or(0, |m| m.len());
        let stats = match ranges::read_file(spec, file, meta, ctx, &mut parts, |at| {
            bar.set_position(done_bytes + at.min(size));
        })? {
            Some(out) => {
                early_rejects.extend(out.early_rejects);
                early_conflicts.extend(out.early_conflicts);
                out.stats
            }
            None => serial::read_serial(
                (spec, file, meta, ctx),
                &mut parts,
                (&mut early_rejects, &mut early_conflicts),
                |here| bar.set_position(done_bytes + here.min(size)),
            )?,
        };
        done_bytes += size;
        bar.set_position(done_bytes);
        // Rows rejected while reading (a broken quote, a row too wide) are
        // never repeats worth merging: each is its own line's reject.
        let read_rejects = stats.rejects.len() as u64;
        late_rejects.extend(stats.rejects);
        files.push(InputFile {
            kind: spec.kind,
            display: spec.display.clone(),
            path: spec.path.clone(),
            sha256: stats.sha256,
            encoding: meta.encoding,
            notes: [
                (
                    regionless::lacks_region(spec.kind, meta),
                    regionless::NO_REGION_NOTE,
                ),
                (
                    regionless::lacks_start(spec.kind, meta),
                    regionless::UNDATED_NOTE,
                ),
            ]
            .into_iter()
            .filter_map(|(on, note)| on.then_some(note))
            .collect(),
            ignored_columns: meta.ignored_columns.clone(),
            columns: meta.binding.clone(),
            counts: InputCounts {
                read: stats.rows_read,
                blank_rows: stats.blank_rows,
                rejected: read_rejects,
                ..InputCounts::default()
            },
            lines: stats.lines,
        });
    }
    bar.finish_and_clear();
    ranges::release_buffers();
    let (mut rejects, conflicts) = merge_early(&mut files, early_rejects, early_conflicts);
    rejects.extend(late_rejects);
    Ok(Scattered {
        files,
        metas,
        parts,
        rejects,
        conflicts,
    })
}

/// Where a row goes once read.
pub(super) enum Route {
    /// To its person's partition, as text, validated later.
    Raw(read::RowKey),
    /// A history row, validated already, to its person's partition, and
    /// its conflicts (keyed, like rejects, by the row's
    /// [`read::RawRow::content_hash`] when merged).
    History(read::HistoryRec, Vec<Conflict>),
    /// Rejected already (a history-year enrollment row); its hash.
    Rejected(u128, Box<Reject>),
}

/// Validates an enrollment row of a year before `Y` at once (most of a
/// province's ledger): it then travels as a [`read::HistoryRec`] (11 to 19 bytes in a spill file),
/// or not at all when rejected. Every other row travels as text.
pub(super) fn route(
    kind: SourceKind,
    row: &Row<'_>,
    ctx: ParseCtx<'_>,
    memo: &mut history::Memo,
) -> Route {
    let raw = || Route::Raw(person_key(kind, row, ctx));
    let (SourceKind::Enrollment, Some(y)) = (kind, ctx.policy_year) else {
        return raw();
    };
    if let Some(h) = history::fast_history(row, ctx, memo) {
        return Route::History(
            read::HistoryRec {
                line: row.raw().line,
                key: h.key,
                hash: row.raw().history_hash(),
                year: h.year,
                file: row.raw().file,
                covered: h.covered,
            },
            Vec::new(),
        );
    }
    if enrollment::year_of(row).is_some_and(|ry| ry >= y) {
        return raw();
    }
    match enrollment::parse(row, ctx) {
        Ok((records, conflicts)) => match records.as_slice() {
            [Record::History(h)] => match h.person {
                PersonId::Resident(key) => Route::History(
                    read::HistoryRec {
                        line: row.raw().line,
                        key,
                        hash: row.raw().history_hash(),
                        year: h.year,
                        file: row.raw().file,
                        covered: h.covered,
                    },
                    conflicts,
                ),
                PersonId::Other(_) => raw(),
            },
            _ => raw(),
        },
        Err(reject) => Route::Rejected(row.raw().content_hash(), reject),
    }
}

/// Merges repeats among rows rejected while reading (the first, by line,
/// is the reject; the others are counted as merged) and drops the conflicts
/// of repeats; counts the rejects.
fn merge_early(
    files: &mut [InputFile],
    mut rejects: Vec<(FileIdx, u128, Reject)>,
    mut conflicts: Vec<(FileIdx, u128, Conflict)>,
) -> (Vec<Reject>, Vec<Conflict>) {
    rejects.sort_by_key(|(f, h, r)| (*f, *h, r.line));
    let mut kept = Vec::with_capacity(rejects.len());
    let mut last = None;
    for (f, h, r) in rejects {
        let c = &mut files[usize::from(f)].counts;
        if last == Some((f, h)) {
            c.merged_duplicates += 1;
        } else {
            c.rejected += 1;
            kept.push(r);
        }
        last = Some((f, h));
    }
    conflicts.sort_by_key(|(f, h, c)| (*f, *h, c.origin.line, c.code));
    let mut first_line = None;
    let conflicts = conflicts
        .into_iter()
        .filter(|(f, h, c)| {
            match first_line {
                Some((ff, hh, _)) if (ff, hh) == (*f, *h) => {}
                _ => first_line = Some((*f, *h, c.origin.line)),
            }
            first_line == Some((*f, *h, c.origin.line))
        })
        .map(|(_, _, c)| c)
        .collect();
    (kept, conflicts)
}

/// The key that sends a row to its partition: the person's ID when it can be
/// read (so all of one person's rows meet), else the row's own hash (the row
/// will be rejected, and an exact repeat still meets it). Whether the key is
/// the row's resident ID as `Row::person_id` reads it (`IdNumber` and
/// `DocType`; a disability row's key comes from its certificate instead),
/// so validation takes it instead of reading the ID again (issue 15).
fn person_key(kind: SourceKind, row: &Row<'_>, ctx: ParseCtx<'_>) -> read::RowKey {
    let doc_type = row.get(Col::DocType);
    let id = match kind {
        SourceKind::Disability => identity::cert_id_text(row.get(Col::CertNumber))
            .and_then(|t| crate::domain::parse_person_id(&t, doc_type, ctx.as_of).ok()),
        _ => crate::domain::parse_person_id(row.get(Col::IdNumber), doc_type, ctx.as_of).ok(),
    };
    match id {
        Some(id) => read::RowKey {
            key: key_of(&id),
            id_read: kind != SourceKind::Disability && matches!(id, PersonId::Resident(_)),
        },
        None => read::RowKey {
            key: row.raw().content_hash() as u64,
            id_read: false,
        },
    }
}

#[cfg(test)]
mod tests;
