//! The aggregate reports: coverage against targets (参保率), the subsidy
//! ledger per person and per county × payer (资助台账), and the fiscal split
//! (财政补助分担). Money is integer fen; every split gives its remainder to
//! the last level so the parts always add up to the whole.

use std::collections::BTreeMap;

use super::csv_out::{Cell, ReportTable};
use super::lists::Ctx;
use crate::domain::Fen;
use crate::policy::Fiscal;
use crate::rules::subsidy::SubsidyStatus;
use crate::rules::{CoverageRow, SubsidyItem};

/// The county code printed on total rows (sorts after every digit code).
pub const TOTAL: &str = "TOTAL";

pub const COVERAGE_COLUMNS: &[&str] = &[
    "group",
    "group_name",
    "county_code",
    "county_name",
    "base",
    "covered",
    "rate_percent",
    "target_percent",
    "needed",
    "meets_target",
];

pub fn coverage(ctx: &Ctx<'_>, rows: &[CoverageRow]) -> ReportTable {
    let mut t = ReportTable::new("coverage.csv", COVERAGE_COLUMNS);
    for r in rows {
        let g = &ctx.policy.coverage_groups[r.group];
        let (code, name) = match &r.county {
            Some(c) => (&**c, ctx.policy.county_name(c)),
            None => (TOTAL, "合计"),
        };
        // No one to cover: no rate (an empty cell), not 0%.
        let rate = r
            .rate_centi_percent()
            .map(Cell::Percent)
            .unwrap_or_else(|| Cell::text(""));
        t.push(vec![
            Cell::text(&g.id),
            Cell::text(&g.name),
            Cell::text(code),
            Cell::text(name),
            Cell::Int(r.base as i64),
            Cell::Int(r.covered as i64),
            rate,
            Cell::Int(i64::from(r.target_percent)),
            Cell::Int(r.needed() as i64),
            Cell::text(if r.meets_target() { "是" } else { "否" }),
        ]);
    }
    t
}

graded_columns!(
    SUBSIDY_DETAIL_COLUMNS,
    SUBSIDY_DETAIL_COLUMNS_GRADED,
    ["county_code", "county_name", "id_number", "name", "year",],
    [
        "category",
        "category_zh",
        "tier",
        "tier_personal",
        "paid_amount",
        "payer",
        "payer_name",
        "subsidy_amount",
        "subsidy_status",
        "basis_file",
        "basis_line",
        "enrollment_file",
        "enrollment_line",
    ]
);

pub fn subsidy_detail(ctx: &Ctx<'_>, items: &[SubsidyItem]) -> ReportTable {
    let columns = ctx.columns(SUBSIDY_DETAIL_COLUMNS, SUBSIDY_DETAIL_COLUMNS_GRADED);
    let mut t = ReportTable::new("subsidy_detail.csv", columns);
    // Issue 15: room for every row at once, not grown by doubling (at 10 M
    // the largest list: each doubling moved the rows and faulted in fresh
    // pages).
    t.rows.reserve_exact(items.len());
    for s in items {
        let tier = &ctx.policy.tiers[s.tier];
        let mut row = Vec::with_capacity(columns.len());
        row.extend(ctx.county(&s.county));
        row.extend([
            Cell::id(&s.person),
            Cell::text(&s.name),
            Cell::Int(i64::from(s.year)),
        ]);
        ctx.grade(&mut row, s.grade);
        match &s.basis {
            Some(b) => row.extend([
                Cell::text(ctx.policy.vocab.code(b.category)),
                Cell::text(ctx.policy.vocab.zh(b.category)),
            ]),
            None => row.extend([Cell::text(""), Cell::text("")]),
        }
        row.extend([
            Cell::text(&tier.id),
            Cell::Money(s.tier_personal),
            Cell::Money(s.paid),
        ]);
        row.extend([
            Cell::text(&s.payer),
            Cell::text(ctx.policy.payer_name(&s.payer)),
            Cell::Money(s.amount),
        ]);
        row.push(Cell::text(s.status.code()));
        match &s.basis {
            Some(b) => row.extend([ctx.file(b.origin), Cell::Int(b.origin.line as i64)]),
            None => row.extend([Cell::text(""), Cell::text("")]),
        }
        row.extend([ctx.file(s.origin), Cell::Int(s.origin.line as i64)]);
        t.push(row);
    }
    t
}

pub const SUBSIDY_LEDGER_COLUMNS: &[&str] = &[
    "county_code",
    "county_name",
    "payer",
    "payer_name",
    "subsidy_status",
    "persons",
    "subsidy_amount",
];

/// Per county × payer × status, then a TOTAL row per payer × status.
pub fn subsidy_ledger(ctx: &Ctx<'_>, items: &[SubsidyItem]) -> ReportTable {
    // Issue 15: keyed by the items' own payer codes (two `String` clones
    // per item before; the order of `&str` is the order of `String`).
    let mut per: BTreeMap<(crate::domain::County, &str, SubsidyStatus), (u64, Fen)> =
        BTreeMap::new();
    let mut total: BTreeMap<(&str, SubsidyStatus), (u64, Fen)> = BTreeMap::new();
    for s in items {
        let e = per.entry((s.county, &s.payer, s.status)).or_default();
        e.0 += 1;
        e.1 = e.1 + s.amount;
        let e = total.entry((&s.payer, s.status)).or_default();
        e.0 += 1;
        e.1 = e.1 + s.amount;
    }
    let mut t = ReportTable::new("subsidy_ledger.csv", SUBSIDY_LEDGER_COLUMNS);
    let mut push = |county: &str,
                    county_name: &str,
                    payer: &str,
                    status: SubsidyStatus,
                    n: u64,
                    amount: Fen| {
        t.push(vec![
            Cell::text(county),
            Cell::text(county_name),
            Cell::text(payer),
            Cell::text(ctx.policy.payer_name(payer)),
            Cell::text(status.code()),
            Cell::Int(n as i64),
            Cell::Money(amount),
        ]);
    };
    for ((county, payer, status), (n, amount)) in &per {
        push(
            county,
            ctx.policy.county_name(county),
            payer,
            *status,
            *n,
            *amount,
        );
    }
    for ((payer, status), (n, amount)) in &total {
        push(TOTAL, "合计", payer, *status, *n, *amount);
    }
    t
}

/// One county's share of the fiscal subsidy, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FiscalSplit {
    pub total: Fen,
    pub central: Fen,
    pub region: Fen,
    /// City share (市级); zero for an untiered county.
    pub city: Fen,
    /// Banner / county share (旗市区); zero for an untiered county.
    pub banner: Fen,
    /// The local 6% of a county in no tier, not split (reported, not guessed).
    pub untiered: Fen,
}

impl FiscalSplit {
    fn add(&mut self, o: FiscalSplit) {
        self.total = self.total + o.total;
        self.central = self.central + o.central;
        self.region = self.region + o.region;
        self.city = self.city + o.city;
        self.banner = self.banner + o.banner;
        self.untiered = self.untiered + o.untiered;
    }
}

/// Splits `total` by the policy's shares; the local remainder goes to the
/// county after the city's percentage (or stays untiered).
pub fn split(f: &Fiscal, total: Fen, city_percent: Option<u32>) -> FiscalSplit {
    let central = total.share(f.central_bp, 10_000);
    let region = total.share(f.region_bp, 10_000);
    let local = total - central - region;
    let (city, banner, untiered) = match city_percent {
        Some(pct) => {
            let city = local.share(pct, 100);
            (city, local - city, Fen::ZERO)
        }
        None => (Fen::ZERO, Fen::ZERO, local),
    };
    FiscalSplit {
        total,
        central,
        region,
        city,
        banner,
        untiered,
    }
}

pub const FISCAL_COLUMNS: &[&str] = &[
    "county_code",
    "county_name",
    "fiscal_tier",
    "persons",
    "per_capita",
    "full_year_total",
    "central",
    "region",
    "city",
    "banner",
    "untiered_local",
    "advance_percent",
    "advance_total",
    "advance_central",
    "advance_region",
    "advance_city",
    "advance_banner",
    "advance_untiered_local",
];

/// Per county: persons × per-capita amount, split by level, full year and advance.
pub fn fiscal_ledger(
    ctx: &Ctx<'_>,
    f: &Fiscal,
    persons: &BTreeMap<crate::domain::County, u64>,
) -> ReportTable {
    let mut t = ReportTable::new("fiscal_ledger.csv", FISCAL_COLUMNS);
    let (mut sum_full, mut sum_adv, mut sum_n) =
        (FiscalSplit::default(), FiscalSplit::default(), 0u64);
    let row = |code: &str, name: &str, tier: &str, n: u64, full: FiscalSplit, adv: FiscalSplit| {
        vec![
            Cell::text(code),
            Cell::text(name),
            Cell::text(tier),
            Cell::Int(n as i64),
            Cell::Money(f.per_capita),
            Cell::Money(full.total),
            Cell::Money(full.central),
            Cell::Money(full.region),
            Cell::Money(full.city),
            Cell::Money(full.banner),
            Cell::Money(full.untiered),
            Cell::Int(i64::from(f.advance_percent)),
            Cell::Money(adv.total),
            Cell::Money(adv.central),
            Cell::Money(adv.region),
            Cell::Money(adv.city),
            Cell::Money(adv.banner),
            Cell::Money(adv.untiered),
        ]
    };
    for (county, n) in persons {
        let tier = f.county_tiers.get(&**county);
        let pct = tier.and_then(|t| f.city_share_percent.get(t)).copied();
        let total = f.per_capita.times(*n);
        let full = split(f, total, pct);
        let adv = split(f, total.share(f.advance_percent, 100), pct);
        sum_full.add(full);
        sum_adv.add(adv);
        sum_n += n;
        t.push(row(
            county,
            ctx.policy.county_name(county),
            tier.map_or("untiered", String::as_str),
            *n,
            full,
            adv,
        ));
    }
    t.push(row(TOTAL, "合计", "", sum_n, sum_full, sum_adv));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fiscal() -> Fiscal {
        Fiscal {
            per_capita: Fen::yuan(700),
            advance_percent: 60,
            central_bp: 8000,
            region_bp: 1400,
            local_bp: 600,
            city_share_percent: [("tier1".to_string(), 30)].into_iter().collect(),
            county_tiers: BTreeMap::new(),
            note: None,
        }
    }

    #[test]
    fn seven_hundred_yuan_splits_exactly() {
        let s = split(&fiscal(), Fen::yuan(700), Some(30));
        assert_eq!(
            (s.central, s.region, s.city, s.banner),
            (Fen(56000), Fen(9800), Fen(1260), Fen(2940))
        );
        let u = split(&fiscal(), Fen::yuan(700), None);
        assert_eq!(
            (u.city, u.banner, u.untiered),
            (Fen::ZERO, Fen::ZERO, Fen(4200))
        );
    }

    #[test]
    fn parts_always_add_up_even_with_odd_fen() {
        for total in [1, 7, 99, 70001, 123457] {
            for pct in [None, Some(30), Some(50), Some(70)] {
                let s = split(&fiscal(), Fen(total), pct);
                assert_eq!(
                    s.central + s.region + s.city + s.banner + s.untiered,
                    Fen(total)
                );
            }
        }
    }
}
