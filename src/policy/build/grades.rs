//! `[contribution]`, `[[population]]` / `[[population.grade]]` and
//! `[late_payment]`: what an ordinary resident of each grade pays, on time
//! and late.
//!
//! A one-grade policy (both seeds) gives `contribution.ordinary` and
//! `late_payment.bands`; it gets one implicit population (城乡居民) with one
//! grade (一档). A policy with grades gives `[[population]]` instead, each
//! grade with its own `ordinary` and `bands`.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::Ctx;
use crate::domain::Fen;
use crate::error::Result;
use crate::policy::model::{norm_text, Grade, GradeRef, Population};
use crate::policy::raw::{RawBand, RawPolicy};
use crate::policy::Band;

pub(super) struct Grades {
    pub populations: Vec<Population>,
    pub default_population: u16,
    pub implicit: bool,
}

impl Grades {
    pub fn default_ref(&self) -> GradeRef {
        GradeRef {
            population: self.default_population,
            grade: self.populations[usize::from(self.default_population)].default_grade,
        }
    }
}

/// The most populations, and grades per population, a policy may declare.
pub const MAX_GRADES: usize = 100;

pub(super) fn grades(raw: &RawPolicy, cx: &Ctx, c1: NaiveDate) -> Result<Grades> {
    if raw.population.is_empty() {
        return one_grade(raw, cx, c1);
    }
    if raw.contribution.is_some() {
        return Err(cx.err(
            "contribution",
            "已用 [[population]] 声明缴费档次，普通缴费额写在各档次的 ordinary 中，不再写 [contribution]；with [[population]] grades, each grade's `ordinary` replaces [contribution]",
        ));
    }
    if raw.late_payment.is_some() {
        return Err(cx.err(
            "late_payment",
            "已用 [[population]] 声明缴费档次，补缴标准写在各档次的 bands 中，不再写 [late_payment]；with [[population]] grades, each grade's `bands` replace [late_payment]",
        ));
    }
    if raw.population.len() > MAX_GRADES {
        return Err(cx.err(
            "population",
            format!("人员类别超过 {MAX_GRADES} 个；more than {MAX_GRADES} populations"),
        ));
    }
    let mut populations = Vec::new();
    let mut pop_texts = BTreeSet::new();
    for (p, rp) in raw.population.iter().enumerate() {
        let key = format!("population[{p}]");
        names_once(cx, &mut pop_texts, &key, &rp.id, &rp.name, &rp.texts)?;
        if rp.grade.is_empty() || rp.grade.len() > MAX_GRADES {
            return Err(cx.err(
                format!("{key}.grade"),
                format!("每个人员类别需要 1–{MAX_GRADES} 个缴费档次 [[population.grade]]；a population needs 1–{MAX_GRADES} grades"),
            ));
        }
        let mut grades = Vec::new();
        let mut grade_texts = BTreeSet::new();
        for (g, rg) in rp.grade.iter().enumerate() {
            let gkey = format!("{key}.grade[{g}]");
            names_once(cx, &mut grade_texts, &gkey, &rg.id, &rg.name, &rg.texts)?;
            grades.push(Grade {
                id: rg.id.clone(),
                name: rg.name.clone(),
                texts: rg.texts.iter().map(|t| norm_text(t)).collect(),
                ordinary: ordinary(cx, &format!("{gkey}.ordinary"), rg.ordinary)?,
                bands: bands(cx, &format!("{gkey}.bands"), &rg.bands, c1)?,
            });
        }
        let default_grade = match &rp.default_grade {
            None => 0,
            Some(id) => grades.iter().position(|g| &g.id == id).ok_or_else(|| {
                cx.err(
                    format!("{key}.default_grade"),
                    format!("`{id}` 不是本人员类别的档次 id；`{id}` is not a grade id of this population"),
                )
            })?,
        };
        populations.push(Population {
            id: rp.id.clone(),
            name: rp.name.clone(),
            texts: rp.texts.iter().map(|t| norm_text(t)).collect(),
            grades,
            default_grade: default_grade as u16,
        });
    }
    Ok(Grades {
        populations,
        default_population: 0,
        implicit: false,
    })
}

/// Both seeds: `[contribution] ordinary` and `[late_payment] bands`.
fn one_grade(raw: &RawPolicy, cx: &Ctx, c1: NaiveDate) -> Result<Grades> {
    let contribution = raw.contribution.as_ref().ok_or_else(|| {
        cx.err(
            "contribution",
            "缺少 [contribution]（普通居民个人缴费 ordinary），或用 [[population]] 声明缴费档次；missing [contribution] (or declare grades with [[population]])",
        )
    })?;
    let late = raw.late_payment.as_ref().ok_or_else(|| {
        cx.err(
            "late_payment",
            "缺少 [late_payment]（补缴标准 bands，可为空列表）；missing [late_payment] (its bands may be an empty list)",
        )
    })?;
    let grade = Grade {
        id: "g1".into(),
        name: "一档".into(),
        texts: Vec::new(),
        ordinary: ordinary(cx, "contribution.ordinary", contribution.ordinary)?,
        bands: bands(cx, "late_payment.bands", &late.bands, c1)?,
    };
    Ok(Grades {
        populations: vec![Population {
            id: "resident".into(),
            name: "城乡居民".into(),
            texts: Vec::new(),
            grades: vec![grade],
            default_grade: 0,
        }],
        default_population: 0,
        implicit: true,
    })
}

/// Ids, names and texts name one thing only within their list.
fn names_once(
    cx: &Ctx,
    seen: &mut BTreeSet<String>,
    key: &str,
    id: &str,
    name: &str,
    texts: &[String],
) -> Result<()> {
    if id.is_empty() || id.contains('.') {
        return Err(cx.err(
            format!("{key}.id"),
            format!("id `{id}` 须非空且不含“.”（引用写作 人员类别.档次）；id `{id}` must be non-empty without a `.` (references read population.grade)"),
        ));
    }
    let mut mine = BTreeSet::new();
    for (i, t) in [id, name]
        .into_iter()
        .chain(texts.iter().map(String::as_str))
        .enumerate()
    {
        let n = norm_text(t);
        let at = match i {
            0 => format!("{key}.id"),
            1 => format!("{key}.name"),
            _ => format!("{key}.texts[{}]", i - 2),
        };
        if n.is_empty() {
            return Err(cx.err(at, "文本不能为空；an empty text names nothing"));
        }
        if seen.contains(&n) {
            return Err(cx.err(
                at,
                format!("“{t}”已用于同一列表中的另一项，导出中的该文本将无法区分；`{t}` already names another entry of this list"),
            ));
        }
        mine.insert(n);
    }
    seen.extend(mine);
    Ok(())
}

fn ordinary(cx: &Ctx, key: &str, v: Fen) -> Result<Fen> {
    if v <= Fen::ZERO {
        return Err(cx.err(
            key,
            "普通缴费额必须大于零；the ordinary contribution must be above zero",
        ));
    }
    Ok(v)
}

/// Late-payment price bands: after the concentrated period, not overlapping.
pub(super) fn bands(cx: &Ctx, key: &str, raw: &[RawBand], c1: NaiveDate) -> Result<Vec<Band>> {
    let mut bands: Vec<Band> = Vec::new();
    for (i, b) in raw.iter().enumerate() {
        let key = format!("{key}[{i}]");
        let (from, to) = (b.from.0, b.to.0);
        if to < from {
            return Err(cx.err(
                &key,
                format!("结束 {to} 早于开始 {from}；ends {to} before it starts {from}"),
            ));
        }
        if from <= c1 {
            return Err(cx.err(
                format!("{key}.from"),
                format!("{from} 在集中征缴期内（止于 {c1}）；补缴标准只适用于期后缴费；{from} is inside the concentrated period (ends {c1}); bands price late payments"),
            ));
        }
        if let Some((j, o)) = bands
            .iter()
            .enumerate()
            .find(|(_, o)| from <= o.to && o.from <= to)
        {
            return Err(cx.err(
                &key,
                format!(
                    "{from}…{to} 与第 {} 段 {}…{} 重叠；overlaps band [{j}] {}…{}",
                    j + 1,
                    o.from,
                    o.to,
                    o.from,
                    o.to
                ),
            ));
        }
        bands.push(Band {
            from,
            to,
            amount: b.amount,
        });
    }
    Ok(bands)
}
