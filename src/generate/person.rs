//! Phase B: one person — the generator's shared state, the person's name and
//! birth, and the driver that writes their identity rows, 异地参保 row,
//! enrollment history and `persons.csv` row.

use chrono::{Datelike, Duration, NaiveDate};
use fastrand::Rng;

use super::dirty::{finish, legacy_if, push_date_or_bad, push_id};
use super::ids::{base_date, Core};
use super::plant::{self, Birth, Shape};
use super::random::ymd;
use super::random::{chance, mix, person_rng, weighted};
use super::text::{push_num, DateForm};
use super::vocab::*;
use super::{encode, DirtyKind, GenerateConfig, OutFile};
use crate::domain::Category;
use crate::error::{Error, Result};
use crate::policy::Policy;

/// A held identity, as the rules will see it: `[start, end)`.
#[derive(Clone, Copy)]
pub(super) struct Span {
    pub(super) cat: Category,
    pub(super) start: NaiveDate,
    pub(super) end: Option<NaiveDate>,
}

/// The output of one chunk of persons.
pub(super) struct Chunk {
    pub(super) bufs: [Vec<u8>; 7],
    pub(super) rows: [u64; 7],
    pub(super) dirty: [[u64; 5]; 7],
    /// Lines of `answers.csv` (planted mode).
    pub(super) answers: String,
    /// Planted persons per shape.
    pub(super) planted: Vec<u64>,
}

/// The person a row is about, and how this row spells them.
pub(super) struct Who<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) alt_name: &'a str,
}

/// The text buffer of one chunk and file, with the row bookkeeping.
pub(super) struct Out {
    pub(super) text: String,
    pub(super) rows: u64,
    pub(super) dirty: [u64; 5],
}

impl Out {
    pub(super) fn new() -> Out {
        Out {
            text: String::new(),
            rows: 0,
            dirty: [0; 5],
        }
    }
}

pub(super) struct Gen<'p> {
    pub(super) policy: &'p Policy,
    pub(super) seed: u64,
    pub(super) dirty: f64,
    pub(super) as_of: NaiveDate,
    pub(super) year: i32,
    pub(super) c0: NaiveDate,
    pub(super) c1: NaiveDate,
    /// Payment window inside the concentrated period, up to as-of.
    pub(super) in_period: Option<(NaiveDate, NaiveDate)>,
    /// Late window: after C1, up to as-of.
    pub(super) late: Option<(NaiveDate, NaiveDate)>,
    pub(super) counties: Vec<CountyInfo>,
    pub(super) county_weights: Vec<u32>,
    pub(super) cats: Cats,
    /// Every tiered category (for deliberately wrong ratings).
    pub(super) tiered: Vec<Category>,
    /// The 核定类别 text of each category (its Chinese name).
    pub(super) rating_text: Vec<String>,
    /// The shapes planted (`--plant`), and the share of persons planted.
    pub(super) plants: Vec<Shape>,
    pub(super) plant_rate: f64,
}

impl<'p> Gen<'p> {
    pub(super) fn new(
        policy: &'p Policy,
        cfg: &GenerateConfig,
        as_of: NaiveDate,
    ) -> Result<Gen<'p>> {
        let vocab = &policy.vocab;
        let cat = |code: &str| {
            vocab.category(code).ok_or_else(|| {
                Error::Internal(format!("the schema vocabulary has no category `{code}`"))
            })
        };
        let cats = Cats {
            tekun: cat("tekun")?,
            orphan: cat("orphan")?,
            defacto_orphan: cat("defacto_orphan")?,
            dibao: cat("dibao")?,
            low_income: cat("low_income")?,
            elderly_low_income: cat("elderly_low_income")?,
            unstable: cat("monitored_unstable")?,
            marginal: cat("monitored_marginal")?,
            sudden: cat("monitored_sudden")?,
            alleviated: cat("poverty_alleviated")?,
            disabled: [
                cat("disabled_g1")?,
                cat("disabled_g2")?,
                cat("disabled_g3")?,
                cat("disabled_g4")?,
            ],
            youfu: cat("youfu")?,
            widow: cat("retiree_widow")?,
        };
        let rating_text: Vec<String> = vocab
            .categories()
            .map(|c| vocab.zh(c).to_string())
            .collect();
        for c in vocab.categories() {
            let text = &rating_text[usize::from(c.0)];
            if vocab.category_by_text(text) != Some(c) {
                return Err(Error::Internal(format!(
                    "category `{}`'s name `{text}` is not one of its texts",
                    vocab.code(c)
                )));
            }
        }
        if policy.counties.is_empty() {
            return Err(Error::Usage(format!(
                "{}: the policy lists no [counties] to generate residents in",
                cfg.policy.display()
            )));
        }
        let mut counties = Vec::new();
        let mut county_weights = Vec::new();
        for (code, name) in &policy.counties {
            let rural = name.ends_with('县') || name.ends_with('旗');
            let h = mix(cfg.seed ^ mix(code.parse::<u64>().unwrap_or(0)));
            // Urban districts are the most populous, then cities, then counties.
            let weight = if name.ends_with('区') {
                30
            } else if name.ends_with('市') {
                20
            } else {
                15
            } + (h % 10) as u32;
            counties.push(CountyInfo {
                code: code.clone(),
                rural,
                alleviated_rate: 0.05 + 0.10 * ((h >> 16) % 1001) as f64 / 1000.0,
            });
            county_weights.push(weight);
        }
        let c0 = policy.c0;
        let c1 = policy.c1;
        let window = |lo: NaiveDate, hi: NaiveDate| (lo <= hi).then_some((lo, hi));
        Ok(Gen {
            policy,
            seed: cfg.seed,
            dirty: cfg.dirty,
            as_of,
            year: policy.year,
            c0,
            c1,
            in_period: window(c0, c1.min(as_of)),
            late: window(c1 + Duration::days(1), as_of),
            counties,
            county_weights,
            tiered: policy
                .tiers
                .iter()
                .flat_map(|t| t.categories.iter().copied())
                .collect(),
            cats,
            rating_text,
            plants: match cfg.plant {
                Some(_) => plant::applicable(policy, as_of),
                None => Vec::new(),
            },
            plant_rate: cfg.plant.unwrap_or(0.0),
        })
    }
}

impl Gen<'_> {
    pub(super) fn pick_county(&self, rng: &mut Rng) -> usize {
        weighted(rng, &self.county_weights)
    }

    /// ~1% newborns (0–180 days old), the rest by a plain age pyramid.
    pub(super) fn birth_date(&self, rng: &mut Rng) -> NaiveDate {
        if chance(rng, 0.01) {
            return self.as_of - Duration::days(rng.i64(0..=180));
        }
        let ages: [(i64, i64); 5] = [(0, 18), (18, 40), (40, 60), (60, 80), (80, 100)];
        let (lo, hi) = ages[weighted(rng, &[20, 28, 30, 18, 4])];
        let max_days = (self.as_of - base_date()).num_days();
        // Past the newborn window (>180 days old): the newborns are drawn above.
        let days = rng.i64((lo * 365).max(181)..hi * 365).min(max_days);
        self.as_of - Duration::days(days)
    }

    pub(super) fn chunk(&self, cores: &[Core]) -> Result<Chunk> {
        let mut outs: [Out; 7] = std::array::from_fn(|_| Out::new());
        let mut answers = String::new();
        let mut planted = vec![0; self.plants.len()];
        for core in cores {
            match core.plant {
                Some(k) => {
                    planted[k] += 1;
                    self.plant(core, &self.plants[k], &mut outs, &mut answers);
                }
                None => self.person(core, &mut outs),
            }
        }
        let mut bufs: [Vec<u8>; 7] = Default::default();
        let mut rows = [0; 7];
        let mut dirty = [[0; 5]; 7];
        for (f, out) in OutFile::ALL.into_iter().zip(outs) {
            let k = f.index();
            rows[k] = out.rows;
            dirty[k] = out.dirty;
            bufs[k] = encode(f, out.text)?;
        }
        Ok(Chunk {
            bufs,
            rows,
            dirty,
            answers,
            planted,
        })
    }

    pub(super) fn name(&self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(9);
        s.push_str(SURNAMES[rng.usize(0..SURNAMES.len())]);
        s.push_str(GIVEN[rng.usize(0..GIVEN.len())]);
        if chance(rng, 0.7) {
            s.push_str(GIVEN[rng.usize(0..GIVEN.len())]);
        }
        s
    }

    /// The category with the lowest personal amount held on `d` (ties: tier
    /// order), with its tier; `None` = ordinary.
    pub(super) fn best_at(&self, spans: &[Span], d: NaiveDate) -> Option<(Category, usize)> {
        spans
            .iter()
            .filter(|s| s.start <= d && s.end.is_none_or(|e| d < e))
            .filter_map(|s| self.policy.tier_of(s.cat).map(|t| (s.cat, t)))
            .min_by_key(|&(_, t)| (self.policy.tiers[t].personal, t))
    }

    pub(super) fn person(&self, core: &Core, outs: &mut [Out; 7]) {
        let mut rng = person_rng(self.seed, core.idx, 1);
        let name = self.name(&mut rng);
        let alt_name = loop {
            let n = self.name(&mut rng);
            if n != name {
                break n;
            }
        };
        let who = Who {
            id: &core.id,
            name: &name,
            alt_name: &alt_name,
        };
        let born19 = core.birth.year() < 2000;
        let age_days = (self.as_of - core.birth).num_days();
        let age = age_days / 365;
        let newborn = age_days <= 180;
        let died = (!newborn && chance(&mut rng, 0.005))
            .then(|| self.as_of - Duration::days(rng.i64(1..=365)));
        let home = core.county;
        let mut spans: Vec<Span> = Vec::new();

        self.civil(&mut rng, core, &who, born19, age, &mut spans, &mut outs[2]);
        self.agri(&mut rng, core, &who, born19, &mut spans, &mut outs[3]);
        self.disability(&mut rng, core, &who, &mut spans, &mut outs[4]);
        self.veterans(&mut rng, core, &who, born19, age, &mut spans, &mut outs[5]);

        let elsewhere = chance(&mut rng, 0.01);
        if elsewhere {
            let out = &mut outs[6];
            let dk = self.spoil(
                &mut rng,
                legacy_if(
                    born19,
                    &[
                        DirtyKind::BadChecksum,
                        DirtyKind::Duplicate,
                        DirtyKind::Legacy15,
                    ],
                ),
            );
            let start = out.text.len();
            push_id(&mut out.text, who.id, dk, &mut rng);
            out.text.push(',');
            out.text.push_str(who.name);
            out.text.push(',');
            out.text
                .push_str(ELSEWHERE_NOTES[weighted(&mut rng, &[70, 10, 20])]);
            out.text.push(',');
            push_num(&mut out.text, self.year as u32, 4);
            finish(out, OutFile::Elsewhere, start, dk);
        }

        self.enrollment(
            &mut rng,
            core,
            &who,
            born19,
            newborn,
            died,
            elsewhere,
            &spans,
            &mut outs[1],
        );

        // persons.csv
        let out = &mut outs[0];
        let mut allowed = vec![DirtyKind::BadChecksum, DirtyKind::Duplicate];
        if born19 {
            allowed.push(DirtyKind::Legacy15);
        }
        if died.is_some() {
            allowed.push(DirtyKind::BadDate);
        }
        let dk = self.spoil(&mut rng, &allowed);
        let start = out.text.len();
        push_id(&mut out.text, who.id, dk, &mut rng);
        out.text.push(',');
        out.text.push_str(who.name);
        out.text.push(',');
        out.text.push_str(&self.counties[home].code);
        out.text.push(',');
        if let Some(d) = died {
            push_date_or_bad(&mut out.text, d, DateForm::Iso, dk, &mut rng);
        }
        out.text.push(',');
        if chance(&mut rng, 0.3) {
            out.text.push_str(&self.counties[home].code);
        }
        finish(out, OutFile::Persons, start, dk);
    }
}

impl Gen<'_> {
    /// Whether person `idx` is planted: with probability `plant_rate`, one of
    /// the shapes (uniformly) and the birth date it asks for.
    pub(super) fn plant_pick(&self, idx: u64) -> Option<(usize, NaiveDate)> {
        if self.plants.is_empty() || self.plant_rate <= 0.0 {
            return None;
        }
        let mut rng = person_rng(self.seed, idx, 2);
        if !chance(&mut rng, self.plant_rate) {
            return None;
        }
        let k = rng.usize(0..self.plants.len());
        let birth = match self.plants[k].birth {
            Birth::Adult => ymd(rng.i32(1960..=1989), rng.u32(1..=12), rng.u32(1..=28)),
            Birth::DaysBeforeT(days) => self.as_of - Duration::days(days(self.policy, self.as_of)),
        };
        Some((k, birth))
    }
}
