//! Reading one file the serial way (UTF-16 and XLSX inputs, and a UTF-8 or
//! GB18030 file with no safe cut, see [`super::ranges`]): the reader
//! (decoding, CSV) on its own thread while the previous block's rows are
//! routed to their partitions on the rayon threads.

use rayon::prelude::*;

use super::read::{self, stream_rows, TableMeta};
use super::row::Row;
use super::{history, route, source, spill, InputSpec, ParseCtx, Route};
use crate::error::Result;
use crate::findings::{Conflict, FileIdx, Reject};

/// Findings of rows validated while reading, with their files and hashes.
pub(super) type Early<'a> = (
    &'a mut Vec<(FileIdx, u128, Reject)>,
    &'a mut Vec<(FileIdx, u128, Conflict)>,
);

/// Reads one file the serial way: the reader (decoding, CSV) on its own
/// thread while the previous block's rows are routed to their partitions.
pub(super) fn read_serial(
    (spec, file, meta, ctx): (&InputSpec, FileIdx, &TableMeta, ParseCtx<'_>),
    parts: &mut spill::Partitions,
    (early_rejects, early_conflicts): Early<'_>,
    on_bytes: impl Fn(u64),
) -> Result<read::FileStats> {
    let file_start = source::bytes_read();
    let (tx, rx) = std::sync::mpsc::sync_channel::<read::RowBlock>(2);
    // Routed blocks go back to the reader, emptied, to be filled again.
    let (back_tx, back_rx) = std::sync::mpsc::channel::<read::RowBlock>();
    std::thread::scope(|scope| -> Result<read::FileStats> {
        let reader = scope.spawn(move || {
            stream_rows(
                &spec.path,
                &spec.display,
                file,
                meta,
                || back_rx.try_recv().ok(),
                move |block| {
                    tx.send(block).map_err(|_| {
                        crate::error::Error::Internal("the partitioner stopped early".into())
                    })
                },
            )
        });
        for block in rx {
            let rows: Vec<read::RawRow<'_>> = block.iter().collect();
            let routes: Vec<Route> = rows
                .par_iter()
                .map_init(history::Memo::default, |memo, r| {
                    route(spec.kind, &Row::new(meta, *r), ctx, memo)
                })
                .collect();
            for (r, route) in rows.iter().zip(routes) {
                match route {
                    Route::Raw(key) => parts.push(key, r)?,
                    Route::History(rec, conflicts) => {
                        parts.push_history(rec)?;
                        if !conflicts.is_empty() {
                            let hash = r.content_hash();
                            early_conflicts.extend(conflicts.into_iter().map(|c| (file, hash, c)));
                        }
                    }
                    Route::Rejected(hash, reject) => early_rejects.push((file, hash, *reject)),
                }
            }
            on_bytes(source::bytes_read().saturating_sub(file_start));
            drop(rows);
            let mut block = block;
            block.clear();
            // The reader may have finished: then the block is freed.
            let _ = back_tx.send(block);
        }
        reader
            .join()
            .map_err(|_| crate::error::Error::Internal("the reader thread panicked".into()))?
    })
}
