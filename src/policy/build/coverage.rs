//! `[[coverage_group]]`: the groups whose 参保率 has a target.

use std::collections::BTreeSet;

use super::Ctx;
use crate::domain::Vocabulary;
use crate::error::Result;
use crate::policy::raw::RawPolicy;
use crate::policy::{CoverageGroup, CoverageKind};

pub(super) fn groups(raw: &RawPolicy, cx: &Ctx, vocab: &Vocabulary) -> Result<Vec<CoverageGroup>> {
    let mut out = Vec::new();
    for (i, g) in raw.coverage_group.iter().enumerate() {
        let key = format!("coverage_group[{i}]");
        if g.target_percent > 100 {
            return Err(cx.err(
                format!("{key}.target_percent"),
                format!(
                    "{} 超过 100；{} is above 100",
                    g.target_percent, g.target_percent
                ),
            ));
        }
        let mut cats = BTreeSet::new();
        for (j, code) in g.categories.iter().enumerate() {
            cats.insert(cx.cat(vocab, &format!("{key}.categories[{j}]"), code)?);
        }
        if g.kind == CoverageKind::Categories && cats.is_empty() {
            return Err(cx.err(
                format!("{key}.categories"),
                "kind 为 categories 的目标组需要 categories；a group of kind `categories` needs categories",
            ));
        }
        out.push(CoverageGroup {
            id: g.id.clone(),
            name: g.name.clone(),
            kind: g.kind,
            categories: cats,
            target_percent: g.target_percent,
        });
    }
    Ok(out)
}
