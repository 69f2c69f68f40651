//! The 64-byte steps of [`super::split_lines`] with AVX2 compares (issue 15:
//! finding the stops eight bytes at a time was most of the split's time),
//! and a range's lines counted and its quotes found the same way
//! ([`scan_blocks`]).

use super::LineAt;
use std::arch::x86_64::{
    __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
    _mm256_set1_epi8,
};

/// [`super::scan_range`] over the whole 64-byte blocks of `bytes`: the
/// line ends in them (`\n`, `\r`, a `\r\n` once), whether a quote is
/// among them, and where the blocks stop; `None` without AVX2 and POPCNT.
pub(super) fn scan_blocks(bytes: &[u8]) -> Option<(u64, bool, usize)> {
    if !(std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("popcnt"))
    {
        return None;
    }
    // SAFETY: the CPU has AVX2 and POPCNT (checked just above).
    Some(unsafe { scan(bytes) })
}

/// # Safety
/// The CPU must have AVX2 and POPCNT.
#[target_feature(enable = "avx2,popcnt")]
unsafe fn scan(bytes: &[u8]) -> (u64, bool, usize) {
    let (n, r, q) = (
        _mm256_set1_epi8(b'\n' as i8),
        _mm256_set1_epi8(b'\r' as i8),
        _mm256_set1_epi8(b'"' as i8),
    );
    let (mut ends, mut quotes, mut cr_before, mut base) = (0u64, 0u64, 0u64, 0usize);
    for block in bytes.chunks_exact(64) {
        let (lo, hi) = block.split_at(32);
        let (lo, hi) = (load(lo), load(hi));
        let (lf, cr) = (equal(lo, hi, n, n), equal(lo, hi, r, r));
        quotes |= equal(lo, hi, q, q);
        // A `\n` just after a `\r` (in this block or the last) ends no line.
        let crlf = (cr << 1 | cr_before) & lf;
        cr_before = cr >> 63;
        ends += u64::from(lf.count_ones() + cr.count_ones() - crlf.count_ones());
        base += 64;
    }
    (ends, quotes != 0, base)
}

/// Splits the whole 64-byte blocks of `bytes` as [`super::split_lines`]
/// does, when the CPU has AVX2; returns where it stopped (0 without
/// AVX2), the rest to be split by words.
pub(super) fn split_blocks(
    bytes: &[u8],
    delimiter: u8,
    at: &mut LineAt,
    ends: &mut Vec<usize>,
    line: &mut impl FnMut(usize, usize, &[usize]),
) -> usize {
    if !std::arch::is_x86_feature_detected!("avx2") {
        return 0;
    }
    // SAFETY: the CPU has AVX2 (checked just above), all `blocks` needs.
    unsafe { blocks(bytes, delimiter, at, ends, line) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn blocks(
    bytes: &[u8],
    delimiter: u8,
    at: &mut LineAt,
    ends: &mut Vec<usize>,
    line: &mut impl FnMut(usize, usize, &[usize]),
) -> usize {
    let d = _mm256_set1_epi8(delimiter as i8);
    let (n, r) = (_mm256_set1_epi8(b'\n' as i8), _mm256_set1_epi8(b'\r' as i8));
    let mut base = 0usize;
    for block in bytes.chunks_exact(64) {
        let (lo, hi) = block.split_at(32);
        let (lo, hi) = (load(lo), load(hi));
        let delims = equal(lo, hi, d, d);
        // A delimiter that is also a line end byte reads as a delimiter.
        let eols = equal(lo, hi, n, r) & !delims;
        // A bit per byte: a mark's bit index is its byte's offset.
        at.stops::<0>(bytes, base, (delims, eols), ends, line);
        base += 64;
    }
    base
}

/// A bit per byte of the 64 bytes `lo`, `hi`: set where the byte is
/// `a`'s or `b`'s (every byte of `a` alike, of `b` too).
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn equal(lo: __m256i, hi: __m256i, a: __m256i, b: __m256i) -> u64 {
    let either = |x| _mm256_or_si256(_mm256_cmpeq_epi8(x, a), _mm256_cmpeq_epi8(x, b));
    let (l, h) = (either(lo), either(hi));
    u64::from(_mm256_movemask_epi8(l) as u32) | u64::from(_mm256_movemask_epi8(h) as u32) << 32
}

/// 32 bytes of `half` (exactly 32 long).
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn load(half: &[u8]) -> __m256i {
    debug_assert_eq!(half.len(), 32);
    // SAFETY: `half` holds 32 bytes; the load is unaligned.
    unsafe { _mm256_loadu_si256(half.as_ptr().cast()) }
}
