//! `[aliases]`, `[[category]]` and `[[narrowing]]`: the region's own
//! category texts, finer categories, and categories narrowed by an attribute
//! of their source record (优抚对象 不含1–6级残疾军人, by 伤残等级).

use super::Ctx;
use crate::domain::{SourceKind, Vocabulary};
use crate::error::Result;
use crate::policy::model::{norm_attr, Narrowing};
use crate::policy::raw::RawPolicy;

/// The schema vocabulary plus the policy's own categories, aliases and counties.
pub(super) fn vocabulary(raw: &RawPolicy, cx: &Ctx, base: &Vocabulary) -> Result<Vocabulary> {
    let mut vocab = base.clone();
    vocab.extend(&raw.category, &raw.aliases).map_err(|m| {
        let (k, msg) = m.split_once(": ").unwrap_or(("aliases", &m));
        cx.err(k, msg.to_string())
    })?;
    vocab.set_counties(crate::domain::place::CountyNames::new(&raw.counties));
    Ok(vocab)
}

/// The roster sources a narrowing may read (the enrollment ledger and the
/// register carry no categories).
const NARROWABLE: [SourceKind; 4] = [
    SourceKind::Civil,
    SourceKind::Agri,
    SourceKind::Disability,
    SourceKind::Veterans,
];

pub(super) fn narrowings(raw: &RawPolicy, cx: &Ctx, vocab: &Vocabulary) -> Result<Vec<Narrowing>> {
    let mut out = Vec::new();
    for (i, n) in raw.narrowing.iter().enumerate() {
        let key = format!("narrowing[{i}]");
        let source = NARROWABLE
            .into_iter()
            .find(|s| s.key() == n.source)
            .ok_or_else(|| {
                cx.err(
                    format!("{key}.source"),
                    format!("未知的来源 `{}`：应为 civil、agri、disability、veterans 之一；unknown source `{}`; expected civil, agri, disability or veterans", n.source, n.source),
                )
            })?;
        let category = cx.cat(vocab, &format!("{key}.category"), &n.category)?;
        let becomes = cx.cat(vocab, &format!("{key}.becomes"), &n.becomes)?;
        if becomes == category {
            return Err(cx.err(
                format!("{key}.becomes"),
                format!(
                    "细分后的类别与原类别相同（`{}`）；narrows `{}` to itself",
                    n.becomes, n.becomes
                ),
            ));
        }
        let column_ok = !n.column.is_empty()
            && n.column
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !column_ok {
            return Err(cx.err(
                format!("{key}.column"),
                format!("`{}` 不是 schemas/ 中的列键（小写字母、数字、下划线，如 injury_grade）；`{}` is not a schema column key such as injury_grade", n.column, n.column),
            ));
        }
        if n.values.is_empty() {
            return Err(cx.err(
                format!("{key}.values"),
                "至少需要一个取值；a narrowing needs at least one value",
            ));
        }
        out.push(Narrowing {
            source,
            category,
            column: n.column.clone(),
            values: n.values.iter().map(|v| norm_attr(v)).collect(),
            becomes,
        });
    }
    Ok(out)
}
