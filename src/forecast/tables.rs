//! The forecast's CSV tables (labels in `schemas/reports.toml`):
//! `forecast.csv` per county × tier × grade × payer, `forecast_compare.csv`
//! per county × payer under both policies, `forecast_fiscal.csv` where the
//! policy has a fiscal split. Totals rows close each table.

use super::costs::{Comparison, Costs, Delta};
use crate::domain::Fen;
use crate::policy::Policy;
use crate::report::ledgers::TOTAL;
use crate::report::{Cell, ReportTable};

pub const FORECAST_COLUMNS: &[&str] = &[
    "county_code",
    "county_name",
    "tier",
    "tier_name",
    "population",
    "grade",
    "full_amount",
    "personal_amount",
    "payer",
    "payer_name",
    "payer_amount",
    "persons",
    "subsidy_amount",
];

/// The name of a tier (`None`: 普通居民).
fn tier_cells(policy: &Policy, tier: Option<usize>) -> [Cell; 2] {
    match tier {
        Some(t) => [
            Cell::text(&policy.tiers[t].id),
            Cell::text(&policy.tiers[t].name),
        ],
        None => [Cell::text("ordinary"), Cell::text("普通居民（无资助）")],
    }
}

/// One row per county × tier × grade × payer (a group no one subsidises:
/// one row with no payer), then a TOTAL row per payer and a grand TOTAL
/// (every person once, every payer's amount).
pub fn forecast(policy: &Policy, c: &Costs) -> ReportTable {
    let mut t = ReportTable::new("forecast.csv", FORECAST_COLUMNS);
    for line in &c.lines {
        let g = &line.group;
        let head = |t: &mut ReportTable, payer: [Cell; 3], persons: u64, amount: Fen| {
            let mut row = vec![
                Cell::text(g.county.to_string()),
                Cell::text(policy.county_name(&g.county)),
            ];
            row.extend(tier_cells(policy, g.tier()));
            // Like the lists: a one-grade policy (both seeds) names no grade.
            if policy.has_grades() {
                row.push(Cell::text(policy.population_name(g.grade)));
                row.push(Cell::text(policy.grade_name(g.grade)));
            } else {
                row.extend([Cell::text(""), Cell::text("")]);
            }
            row.push(Cell::Money(line.full));
            row.push(Cell::Money(line.personal));
            row.extend(payer);
            row.push(Cell::Int(persons as i64));
            row.push(Cell::Money(amount));
            t.push(row);
        };
        if line.payers.is_empty() {
            let none = [Cell::text(""), Cell::text(""), Cell::Money(Fen::ZERO)];
            head(&mut t, none, line.persons, Fen::ZERO);
        }
        for (code, each, total) in &line.payers {
            let payer = [
                Cell::text(code),
                Cell::text(policy.payer_name(code)),
                Cell::Money(*each),
            ];
            head(&mut t, payer, line.persons, *total);
        }
    }
    let total = |t: &mut ReportTable, code: &str, name: &str, persons: u64, amount: Fen| {
        let mut row = vec![Cell::text(TOTAL), Cell::text("合计")];
        row.extend((0..6).map(|_| Cell::text("")));
        row.extend([Cell::text(code), Cell::text(name), Cell::text("")]);
        row.extend([Cell::Int(persons as i64), Cell::Money(amount)]);
        t.push(row);
    };
    for (code, s) in &c.by_payer {
        total(&mut t, code, policy.payer_name(code), s.persons, s.amount);
    }
    total(&mut t, "", "全部资助方", c.total.persons, c.total.amount);
    t
}

pub const COMPARE_COLUMNS: &[&str] = &[
    "county_code",
    "county_name",
    "payer",
    "payer_name",
    "current_persons",
    "current_subsidy",
    "next_persons",
    "next_subsidy",
    "difference",
];

/// Per county × payer: persons and subsidy under this year's policy and
/// next year's, and the difference; then a TOTAL row per payer and a grand
/// TOTAL. The county rows of a payer add up to its TOTAL row, and the payers'
/// TOTAL rows to the grand TOTAL.
pub fn compare(next: &Policy, this: &Policy, c: &Comparison) -> ReportTable {
    let mut t = ReportTable::new("forecast_compare.csv", COMPARE_COLUMNS);
    let name = |code: &str| -> String {
        match next.payers.get(code).or(this.payers.get(code)) {
            Some(n) => n.clone(),
            None => code.to_string(),
        }
    };
    let row = |t: &mut ReportTable, county: [Cell; 2], payer: [Cell; 2], d: &Delta| {
        let mut row = county.to_vec();
        row.extend(payer);
        row.extend([
            Cell::Int(d.this.persons as i64),
            Cell::Money(d.this.amount),
            Cell::Int(d.next.persons as i64),
            Cell::Money(d.next.amount),
            Cell::Money(d.difference()),
        ]);
        t.push(row);
    };
    for ((county, code), d) in &c.by_county_payer {
        let county_name = match next.county_name(county) {
            "" => this.county_name(county),
            n => n,
        };
        row(
            &mut t,
            [Cell::text(county.to_string()), Cell::text(county_name)],
            [Cell::text(code), Cell::text(name(code))],
            d,
        );
    }
    let total = || [Cell::text(TOTAL), Cell::text("合计")];
    for (code, d) in &c.by_payer {
        row(
            &mut t,
            total(),
            [Cell::text(code), Cell::text(name(code))],
            d,
        );
    }
    row(
        &mut t,
        total(),
        [Cell::text(""), Cell::text("全部资助方")],
        &c.total,
    );
    t
}
