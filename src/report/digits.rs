//! Decimal digits of an integer written by hand, for the cells of the CSV
//! files and the workbooks' rows (issue 15: `core::fmt` per cell was a
//! measured cost in both).

/// Digits of an integer, right-aligned.
pub(crate) type Digits = [u8; 20];

/// A buffer for [`write_u64`].
pub(crate) fn itoa_buf() -> Digits {
    [0; 20]
}

/// The decimal digits of `x` (no sign, no leading zeros; `0` for zero),
/// written at the end of `buf`.
pub(crate) fn write_u64(buf: &mut Digits, mut x: u64) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    &buf[at..]
}
