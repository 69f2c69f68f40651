//! A slice's row hashes sifted before the repeat set ([`super::Repeats`]):
//! only the rows whose hash shares a slot with another row's can repeat
//! one, or be repeated, so only they go through the set.
//!
//! Issue 15: the set took every row of a slice (65,536 rows: a 2 MB table,
//! larger than a core's cache), so each insert waited for memory — 1.2 % of
//! a 10 M run. The sieve is two bitmaps of 128 KB for such a slice, read
//! and written where the cache holds them; about one row in sixteen (and
//! every repeat) still reaches the set, now a small one.

/// Two bits per slot of a row hash's high half: some row of the slice has a
/// hash in this slot; two or more have. Kept from slice to slice.
#[derive(Default)]
pub(super) struct Sieve {
    once: Vec<u64>,
    twice: Vec<u64>,
    /// The slot count less one (the count is a power of two).
    mask: u64,
}

/// Slots per row: a row that repeats nothing shares its slot with another
/// row of the slice about once in this many, and is looked up in the set
/// for nothing.
const SLOTS_PER_ROW: usize = 16;

/// The fewest slots (a 512-byte bitmap).
const MIN_SLOTS: usize = 1 << 12;

impl Sieve {
    /// Sifts a slice's row hashes ([`crate::ingest::read::RawRow::content_hash`]).
    pub(super) fn sift(&mut self, hashes: &[u128]) {
        let slots = hashes
            .len()
            .saturating_mul(SLOTS_PER_ROW)
            .next_power_of_two()
            .max(MIN_SLOTS);
        for bits in [&mut self.once, &mut self.twice] {
            bits.clear();
            bits.resize(slots / 64, 0);
        }
        self.mask = slots as u64 - 1;
        for &h in hashes {
            let (word, bit) = self.slot(h);
            if self.once[word] & bit == 0 {
                self.once[word] |= bit;
            } else {
                self.twice[word] |= bit;
            }
        }
    }

    /// Whether another row of the slice sifted has a hash in the slot of
    /// `h`: false for a row that repeats no other row and that no other row
    /// repeats (two identical rows share their hash, hence their slot).
    #[inline]
    pub(super) fn shared(&self, h: u128) -> bool {
        let (word, bit) = self.slot(h);
        self.twice[word] & bit != 0
    }

    /// The word of the bitmaps and the bit in it of the slot of `h`.
    #[inline]
    fn slot(&self, h: u128) -> (usize, u64) {
        let slot = ((h >> 64) as u64) & self.mask;
        ((slot >> 6) as usize, 1 << (slot & 63))
    }
}

#[cfg(test)]
mod tests {
    use super::Sieve;

    /// Well-spread 128-bit values, as the row hashes are.
    fn hash(k: u64) -> u128 {
        xxhash_rust::xxh3::xxh3_128(&k.to_le_bytes())
    }

    /// Every hash that occurs twice or more is shared, and a hash that
    /// occurs once is shared exactly when another hash falls in its slot.
    #[test]
    fn repeats_are_always_shared() {
        for n in [0usize, 1, 2, 100, 4_095, 70_000] {
            let mut hashes: Vec<u128> = (0..n as u64).map(hash).collect();
            // Repeats: one of every seven, some far apart, one many times.
            let again: Vec<u128> = hashes.iter().step_by(7).copied().collect();
            hashes.extend(again);
            if let Some(&h) = hashes.first() {
                hashes.extend([h; 40]);
            }
            let mut sieve = Sieve::default();
            sieve.sift(&hashes);
            let mut times = std::collections::HashMap::new();
            for h in &hashes {
                *times.entry(*h).or_insert(0usize) += 1;
            }
            let mut per_slot = std::collections::HashMap::new();
            for h in &hashes {
                *per_slot.entry(sieve.slot(*h)).or_insert(0usize) += 1;
            }
            let mut shared = 0;
            for h in &hashes {
                let expect = per_slot[&sieve.slot(*h)] > 1;
                assert_eq!(sieve.shared(*h), expect, "n {n}");
                if times[h] > 1 {
                    assert!(sieve.shared(*h), "n {n}: a repeat not shared");
                }
                shared += usize::from(expect);
            }
            // Few rows that repeat nothing reach the set.
            let unique = hashes.iter().filter(|h| times[*h] == 1).count();
            let repeated = hashes.len() - unique;
            assert!(
                shared - repeated <= unique / 8 + 8,
                "n {n}: {shared} shared"
            );
        }
    }

    /// A sieve kept from a larger slice forgets it: the next slice's rows
    /// are sifted alone.
    #[test]
    fn a_second_slice_starts_afresh() {
        let mut sieve = Sieve::default();
        let big: Vec<u128> = (0..50_000).map(hash).chain([hash(1)]).collect();
        sieve.sift(&big);
        assert!(sieve.shared(hash(1)));
        let small: Vec<u128> = vec![hash(1), hash(2)];
        sieve.sift(&small);
        assert!(!sieve.shared(hash(1)) || sieve.slot(hash(1)) == sieve.slot(hash(2)));
        sieve.sift(&[hash(3), hash(3)]);
        assert!(sieve.shared(hash(3)));
    }
}
