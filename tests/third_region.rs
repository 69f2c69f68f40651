//! A third region by data alone: an invented policy (tests/fixtures/lanshan-2026.toml)
//! whose tiers, periods, payers, bands, waits and targets differ from both seeds,
//! run end to end with no code change.

use crate::common;

use common::{read_csv, repo, Workdir};

fn run_lanshan() -> Workdir {
    let w = Workdir::new();
    let fx = repo().join("tests/fixtures");
    let d = fx.join("lanshan");
    let p = |f: &str| d.join(f).display().to_string();
    let policy = fx.join("lanshan-2026.toml").display().to_string();
    let args = [
        "run",
        "--policy",
        &policy,
        "--as-of",
        "2026-01-31",
        "--enrollment",
        &p("enrollment.csv"),
        "--persons",
        &p("persons.csv"),
        "--civil",
        &p("civil.csv"),
        "--agri",
        &p("agri.csv"),
        "--disability",
        &p("disability.csv"),
        "--out",
        "out",
        "--quiet",
    ];
    w.run_expect(&args, 0);
    w
}

fn row<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    id: &str,
) -> &'a std::collections::BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["身份证号"] == id)
        .unwrap_or_else(|| panic!("no row for {id}"))
}

#[test]
fn invented_region_checks_and_prints() {
    let w = Workdir::new();
    let policy = repo().join("tests/fixtures/lanshan-2026.toml");
    let o = w.run_expect(&["check-policy", policy.to_str().unwrap()], 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("ls-100-rural"), "{text}");
    assert!(
        text.contains("rural_low_income 农村低收入人口"),
        "its own category is in a tier: {text}"
    );
}

#[test]
fn invented_region_prices_refunds_reratings_and_tie_order() {
    let w = run_lanshan();
    let refunds = read_csv(&w.path("out/refunds.csv"));
    assert_eq!(refunds.len(), 1);
    let r = row(&refunds, "459901197001011019");
    assert_eq!(
        (
            r["退费金额"].as_str(),
            r["状态代码"].as_str(),
            r["申请截止日期"].as_str()
        ),
        ("280.00", "payable", "2026-03-31")
    );
    // 低保 and 已脱贫 both price at 100: the civil tier comes first in the tie order.
    let rerating = read_csv(&w.path("out/rerating.csv"));
    let r = row(&rerating, "459902196502021022");
    assert_eq!(
        (
            r["新类别代码"].as_str(),
            r["新应缴金额"].as_str(),
            r["差额"].as_str()
        ),
        ("dibao", "100.00", "-280.00")
    );
    assert_eq!(r["资助方"], "民政救助资金 280.00");
}

#[test]
fn invented_region_uses_its_own_category_newborn_window_and_waits() {
    let w = run_lanshan();
    let missing = read_csv(&w.path("out/missing_enrollment.csv"));
    let c = row(&missing, "459903198003031037");
    assert_eq!(
        (
            c["身份类别代码"].as_str(),
            c["应缴金额"].as_str(),
            c["可动态参保"].as_str()
        ),
        ("rural_low_income", "100.00", "是")
    );
    let baby = row(&missing, "459902202511011051");
    assert_eq!(
        (baby["新生儿"].as_str(), baby["应缴金额"].as_str()),
        ("是", "380.00")
    );
    let late = read_csv(&w.path("out/late_payment.csv"));
    let l = row(&late, "459901199004041044");
    // 2026-01-15 + 30 days + 2 gap years × 2 months.
    assert_eq!(
        (
            l["连续断保年数"].as_str(),
            l["应缴标准"].as_str(),
            l["应享待遇开始日期"].as_str()
        ),
        ("2", "380.00", "2026-06-14")
    );
}

#[test]
fn invented_region_coverage_groups_and_payers() {
    let w = run_lanshan();
    let cov = read_csv(&w.path("out/coverage.csv"));
    let groups: Vec<(&str, &str, &str, &str)> = cov
        .iter()
        .filter(|r| r["区划代码"] == "TOTAL")
        .map(|r| {
            (
                r["人群代码"].as_str(),
                r["应参保人数"].as_str(),
                r["已参保人数"].as_str(),
                r["距目标还差人数"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("hardship", "3", "1", "2"),
            ("disabled", "1", "1", "0"),
            ("newborn", "1", "0", "1")
        ]
    );
    let ledger = read_csv(&w.path("out/subsidy_ledger.csv"));
    let payers: Vec<&str> = ledger
        .iter()
        .filter(|r| r["区划代码"] == "TOTAL")
        .map(|r| r["资助方"].as_str())
        .collect();
    // Sorted by payer code: civil_affairs, disability_federation.
    assert_eq!(payers, vec!["民政救助资金", "残联"]);
    assert!(
        !w.path("out/fiscal_ledger.csv").exists(),
        "no fiscal split in this policy, no fiscal ledger"
    );
}
