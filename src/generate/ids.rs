//! Phase A: birth, county, sex and a collision-free 身份证号 for each person, in
//! person order (see the module doc of [`super`] for the allocation).

use chrono::{Datelike, Duration, NaiveDate};

use super::person::Gen;
use super::random::{mix, person_rng, ymd};
use super::text::push_num;
use crate::domain::id::check_char;
use crate::error::{Error, Result};

/// Earliest birth date generated.
pub(super) fn base_date() -> NaiveDate {
    ymd(1920, 1, 1)
}

/// The per-slot counters of the ID allocation (see the module doc).
pub(super) struct Alloc {
    pub(super) seed: u64,
    pub(super) base: NaiveDate,
    pub(super) ndays: usize,
    pub(super) counters: Vec<u16>,
}

/// What phase A fixes for a person.
pub(super) struct Core {
    pub(super) idx: u64,
    pub(super) county: usize,
    pub(super) birth: NaiveDate,
    pub(super) male: bool,
    pub(super) id: String,
    /// The planted shape (index into `Gen::plants`), if this person is one.
    pub(super) plant: Option<usize>,
}

pub(super) const SLOT: u16 = 500;

impl Alloc {
    pub(super) fn new(gen: &Gen, persons: u64) -> Result<Alloc> {
        let base = base_date();
        if gen.as_of < base + Duration::days(400) {
            return Err(Error::Usage(format!("--as-of {} is too early", gen.as_of)));
        }
        let ndays = usize::try_from((gen.as_of - base).num_days() + 1)
            .map_err(|_| Error::Internal("day count".into()))?;
        let capacity = gen.counties.len() as u64 * ndays as u64 * 2 * u64::from(SLOT);
        // Far below capacity, so that a full slot always finds a free day nearby.
        if persons > capacity / 8 {
            return Err(Error::Usage(format!(
                "--persons {persons} is more than this region's ID space allows ({} at most)",
                capacity / 8
            )));
        }
        Ok(Alloc {
            seed: gen.seed,
            base,
            ndays,
            counters: vec![0; gen.counties.len() * ndays * 2],
        })
    }

    pub(super) fn core(&mut self, gen: &Gen, idx: u64) -> Result<Core> {
        let mut rng = person_rng(self.seed, idx, 0);
        let county = gen.pick_county(&mut rng);
        let birth = gen.birth_date(&mut rng);
        let male = rng.bool();
        // Planted persons are drawn from their own stream, so the background
        // draws are the same with or without `--plant`.
        let plant = gen.plant_pick(idx);
        let birth = match plant {
            Some((_, b)) => b,
            None => birth,
        };
        let plant = plant.map(|(k, _)| k);
        let mut day = usize::try_from((birth - self.base).num_days())
            .map_err(|_| Error::Internal("birth before the base date".into()))?;
        for _ in 0..self.ndays {
            let slot = (county * self.ndays + day) * 2 + usize::from(male);
            let c = self.counters[slot];
            if c < SLOT {
                self.counters[slot] = c + 1;
                let off = (mix(self.seed ^ ((slot as u64) << 1) ^ 0x5EED) % u64::from(SLOT)) as u32;
                let j = (317 * u32::from(c) + off) % u32::from(SLOT);
                let seq = 2 * j + u32::from(male);
                let birth = self.base + Duration::days(day as i64);
                let mut id = String::with_capacity(18);
                id.push_str(&gen.counties[county].code);
                push_num(&mut id, birth.year() as u32, 4);
                push_num(&mut id, birth.month(), 2);
                push_num(&mut id, birth.day(), 2);
                push_num(&mut id, seq, 3);
                let check = check_char(id.as_bytes())
                    .ok_or_else(|| Error::Internal("check character".into()))?;
                id.push(check as char);
                return Ok(Core {
                    idx,
                    county,
                    birth,
                    male,
                    id,
                    plant,
                });
            }
            day = if day == 0 { self.ndays - 1 } else { day - 1 };
        }
        Err(Error::Internal("ID space exhausted".into()))
    }
}
