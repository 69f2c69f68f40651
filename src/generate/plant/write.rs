//! Writes a planted person's rows into the seven exports (never spoiled,
//! except the 15-digit spelling a shape asks for) and their lines of the key.

use fastrand::Rng;

use super::{Ctx, Ident, Person, Shape, ANSWERS_HEADER};
use crate::error::Error;
use crate::generate::dirty::{finish, push_id};
use crate::generate::enrollment::ERow;
use crate::generate::ids::Core;
use crate::generate::person::{Chunk, Gen, Out, Who};
use crate::generate::random::person_rng;
use crate::generate::text::{push_date, push_num, DateForm};
use crate::generate::vocab::{DISABILITY_KINDS, GRADE_TEXTS};
use crate::generate::{DirtyKind, OutFile};

/// The department whose roster carries a category (SPEC §1's usual source).
fn roster_of(cat: &str) -> OutFile {
    match cat {
        c if c.starts_with("monitored_") || c == "poverty_alleviated" => OutFile::Agri,
        c if c.starts_with("disabled_g") => OutFile::Disability,
        "youfu" | "retiree_widow" => OutFile::Veterans,
        _ => OutFile::Civil,
    }
}

/// The first line of `answers.csv`.
pub fn answers_header() -> String {
    format!("{ANSWERS_HEADER}\n")
}

impl Gen<'_> {
    /// Writes the planted person of `shape` for `core`.
    pub(in crate::generate) fn plant(
        &self,
        core: &Core,
        shape: &Shape,
        outs: &mut [Out; 7],
        answers: &mut String,
    ) {
        let mut rng = person_rng(self.seed, core.idx, 1);
        let name = self.name(&mut rng);
        let home = &self.counties[core.county].code;
        let other = &self.counties[(core.county + 1) % self.counties.len()].code;
        let ctx = Ctx {
            policy: self.policy,
            t: self.as_of,
            y: self.year,
            c0: self.c0,
            c1: self.c1,
            home,
            other,
            birth: core.birth,
        };
        let planted = shape.plant(&ctx);
        let who = Who {
            id: &core.id,
            name: &name,
            alt_name: &name,
        };
        let p = &planted.person;
        for ident in &p.ids {
            self.plant_identity(ident, p, &who, outs, &mut rng);
        }
        self.plant_enrollment(
            p,
            &who,
            core.idx,
            &mut outs[OutFile::Enrollment as usize],
            &mut rng,
        );
        if p.elsewhere {
            let out = &mut outs[OutFile::Elsewhere as usize];
            let s = out.text.len();
            out.text.push_str(who.id);
            out.text.push(',');
            out.text.push_str(who.name);
            out.text.push_str(",外省参保,");
            push_num(&mut out.text, self.year as u32, 4);
            finish(out, OutFile::Elsewhere, s, None);
        }
        let out = &mut outs[OutFile::Persons as usize];
        let s = out.text.len();
        let t = &mut out.text;
        t.push_str(who.id);
        t.push(',');
        t.push_str(who.name);
        t.push(',');
        t.push_str(home);
        t.push(',');
        if let Some(d) = p.died {
            push_date(t, d, DateForm::Iso);
        }
        t.push(',');
        finish(out, OutFile::Persons, s, None);

        answers.push_str(&format!("{},{},-,planted,\n", shape.name, core.id));
        for e in &planted.expect {
            let fields: Vec<String> = e.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
            answers.push_str(&format!(
                "{},{},{},{},{}\n",
                shape.name,
                core.id,
                e.rule,
                e.list,
                fields.join("|")
            ));
        }
    }

    fn plant_identity(&self, i: &Ident, p: &Person, who: &Who, outs: &mut [Out; 7], rng: &mut Rng) {
        let file = roster_of(i.cat);
        let cat = self
            .policy
            .vocab
            .category(i.cat)
            .unwrap_or(crate::domain::Category(0));
        let text = &self.rating_text[usize::from(cat.0)];
        let dk = (p.roster_id15 && file != OutFile::Disability).then_some(DirtyKind::Legacy15);
        let out = &mut outs[file as usize];
        let s = out.text.len();
        let t = &mut out.text;
        let end = |t: &mut String| {
            if let Some(e) = i.end {
                push_date(t, e, DateForm::Iso);
            }
        };
        match file {
            OutFile::Agri => {
                push_id(t, who.id, dk, rng);
                t.push_str(&format!(",{},{},{text},", who.name, i.county));
                push_date(t, i.start, DateForm::Iso);
                t.push(',');
                end(t);
                t.push_str(",,,");
            }
            OutFile::Disability => {
                let grade = i.cat.as_bytes()[i.cat.len() - 1] - b'0';
                t.push_str(who.id);
                t.push_str(&format!("4{grade},{},{},", who.name, DISABILITY_KINDS[3]));
                t.push_str(GRADE_TEXTS[usize::from(grade.max(1)) - 1]);
                t.push(',');
                push_date(t, i.start, DateForm::Iso);
                t.push(',');
                end(t);
                t.push_str(&format!(",{}", i.county));
            }
            // Civil and veterans: 姓名, 身份证号, category, start, 区划代码, end
            // (civil adds 状态 and the three outreach columns).
            _ => {
                t.push_str(who.name);
                t.push(',');
                push_id(t, who.id, dk, rng);
                t.push_str(&format!(",{text},"));
                push_date(t, i.start, DateForm::Iso);
                t.push_str(&format!(",{},", i.county));
                end(t);
                if file == OutFile::Civil {
                    let status = if i.end.is_some() {
                        "已退出"
                    } else {
                        "正常"
                    };
                    t.push_str(&format!(",{status},,,"));
                }
            }
        }
        finish(out, file, s, dk);
    }

    fn plant_enrollment(&self, p: &Person, who: &Who, idx: u64, out: &mut Out, rng: &mut Rng) {
        let dk = p.enrollment_id15.then_some(DirtyKind::Legacy15);
        for (k, e) in p.rows.iter().enumerate() {
            let mut row = ERow::new(e.year, &e.county);
            row.scheme = e.scheme;
            row.status = e.status;
            row.rating = match e.rating.and_then(|c| self.policy.vocab.category(c)) {
                Some(c) => &self.rating_text[usize::from(c.0)],
                None => "普通居民",
            };
            row.due = e.due;
            row.paid = e.paid;
            row.date = e.date.map(|d| (d, DateForm::Iso));
            row.benefit_start = e.benefit_start;
            row.repair_years = e.repair_years;
            row.dynamic = e.dynamic;
            if e.paid.is_some_and(|f| !f.is_zero()) {
                row.tax = e.date;
                row.tax_seq = idx + 600_000_000 + 1_000_000 * k as u64;
            }
            row.write(out, who, dk, rng);
        }
    }
}

/// `answers.csv`, written chunk by chunk beside the data.
pub struct AnswerKey {
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    w: std::io::BufWriter<std::fs::File>,
    counts: Vec<u64>,
}

impl AnswerKey {
    pub fn create(out: &std::path::Path, shapes: usize) -> crate::error::Result<AnswerKey> {
        use std::io::Write;
        let path = out.join("answers.csv");
        let tmp = out.join("answers.csv.tmp");
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(tmp.display(), e))?;
        let mut w = std::io::BufWriter::new(file);
        w.write_all(answers_header().as_bytes())
            .map_err(|e| Error::io(tmp.display(), e))?;
        Ok(AnswerKey {
            tmp,
            path,
            w,
            counts: vec![0; shapes],
        })
    }

    pub(in crate::generate) fn add(&mut self, chunk: &Chunk) -> crate::error::Result<()> {
        use std::io::Write;
        self.w
            .write_all(chunk.answers.as_bytes())
            .map_err(|e| Error::io(self.tmp.display(), e))?;
        for (c, n) in self.counts.iter_mut().zip(&chunk.planted) {
            *c += n;
        }
        Ok(())
    }

    /// Renames the key into place; the count planted per shape.
    pub fn finish(self, shapes: &[Shape]) -> crate::error::Result<Vec<(&'static str, u64)>> {
        let file = self
            .w
            .into_inner()
            .map_err(|e| Error::io(self.tmp.display(), e.error()))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::io(self.path.display(), e))?;
        Ok(shapes.iter().map(|s| s.name).zip(self.counts).collect())
    }
}
