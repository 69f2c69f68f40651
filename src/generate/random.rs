//! The generator's randomness: one RNG stream per (seed, person, purpose), so
//! a person's rows never depend on another person's draws or the thread count.

use chrono::{Datelike, Duration, NaiveDate};
use fastrand::Rng;

/// SplitMix64 finaliser: a well-mixed 64-bit hash.
pub(super) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG of one person's stream (0: ID allocation, 1: everything else).
pub(super) fn person_rng(seed: u64, idx: u64, stream: u64) -> Rng {
    Rng::with_seed(mix(
        mix(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F)) ^ idx
    ))
}

pub(super) fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

/// An index drawn with the given weights.
pub(super) fn weighted(rng: &mut Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.u32(0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// A uniform date in `[lo, hi]`, or `None` when the window is empty.
pub(super) fn date_in(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> Option<NaiveDate> {
    let span = (hi - lo).num_days();
    (span >= 0).then(|| lo + Duration::days(rng.i64(0..=span)))
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

pub(super) fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}
