//! Issue 16 point 5: the dashboard renders without clipping at 2, 22 and 100
//! counties. For each size, `yibao-recon generate` makes two months of data
//! for a policy with that many counties (Ningxia's own 22; for 2 and 100 the
//! Ningxia policy with its `[counties]` table replaced), both months run into
//! one ledger, and headless Chromium opens the second month's `report.html`:
//! - a screenshot (kept under `target/tmp/dashboard-<n>-counties.png`), with
//!   no console message while loading the page;
//! - the browser's own layout measurements, taken by a copy of the page with a
//!   measuring script added (the dashboard itself has no script): the page
//!   does not scroll sideways (`scrollWidth <= clientWidth`), no element
//!   sticks out of `<main>`, every SVG text's box lies inside its SVG, no two
//!   texts of one SVG overlap, and the coverage chart's target line crosses no
//!   text. Those are the defects the issue saw at 22 counties: the right-hand
//!   `还差 133 人` labels clipped, `目标 99%` over the `100%` tick.

use crate::browser_support;
use crate::common;

use std::path::{Path, PathBuf};

use browser_support::{browse, canary, chromium, console_lines, file_url};
use common::{repo, Workdir};

/// Adds up the layout defects into `<pre id="measure">`, one per line,
/// after the fonts are in (the first line gives the widths measured).
const MEASURE: &str = r#"<script>
(function () {
  function run() {
    var out = [];
    var de = document.documentElement;
    out.push("page " + de.scrollWidth + " " + de.clientWidth + " svgs " + document.querySelectorAll("svg").length
      + " texts " + document.querySelectorAll("svg text").length);
    if (de.scrollWidth > de.clientWidth) out.push("DEFECT page scrolls sideways: " + de.scrollWidth + " > " + de.clientWidth);
    var main = document.querySelector("main").getBoundingClientRect();
    document.querySelectorAll("main *").forEach(function (e) {
      var b = e.getBoundingClientRect();
      if (b.width > 0 && (b.right > main.right + 0.5 || b.left < main.left - 0.5))
        out.push("DEFECT outside main: <" + e.tagName + "> " + (e.textContent || "").slice(0, 40) + " " + b.left + ".." + b.right);
    });
    document.querySelectorAll("svg").forEach(function (svg, si) {
      var s = svg.getBoundingClientRect();
      var name = (svg.getAttribute("aria-label") || "svg " + si);
      var texts = Array.prototype.map.call(svg.querySelectorAll("text"), function (t) {
        return { t: t.textContent, b: t.getBoundingClientRect() };
      });
      texts.forEach(function (x) {
        var b = x.b;
        if (b.left < s.left - 0.5 || b.right > s.right + 0.5 || b.top < s.top - 0.5 || b.bottom > s.bottom + 0.5)
          out.push("DEFECT clipped in " + name + ": " + x.t + " [" + b.left + "," + b.right + "] outside [" + s.left + "," + s.right + "]");
      });
      for (var i = 0; i < texts.length; i++) for (var j = i + 1; j < texts.length; j++) {
        var a = texts[i].b, c = texts[j].b;
        var w = Math.min(a.right, c.right) - Math.max(a.left, c.left);
        var h = Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top);
        if (w > 0.5 && h > 0.5) out.push("DEFECT overlap in " + name + ": " + texts[i].t + " / " + texts[j].t);
      }
      if (svg.classList.contains("chart")) svg.querySelectorAll("line.target-line").forEach(function (l) {
        var lb = l.getBoundingClientRect();
        texts.forEach(function (x) {
          var b = x.b;
          if (lb.left > b.left + 0.5 && lb.left < b.right - 0.5 && lb.bottom > b.top + 0.5 && lb.top < b.bottom - 0.5)
            out.push("DEFECT target line crosses " + x.t + " in " + name);
        });
      });
    });
    var pre = document.createElement("pre");
    pre.id = "measure";
    pre.textContent = out.join("\n");
    document.body.appendChild(pre);
  }
  window.addEventListener("load", function () { document.fonts.ready.then(run); });
})();
</script>"#;

/// Ningxia's policy with `n` counties (its own 22 when `n` is 22).
fn policy_with(n: usize) -> String {
    let text = std::fs::read_to_string(repo().join("policies/ningxia-2026.toml")).unwrap();
    if n == 22 {
        return text;
    }
    let at = text.find("\n[counties]\n").expect("[counties] table");
    let rest = &text[at + 1..];
    assert!(
        !rest["[counties]\n".len()..].contains("\n["),
        "[counties] is no longer the policy's last table; cut it another way"
    );
    let mut out = text[..at + 1].to_string();
    out.push_str("[counties]\n");
    if n == 2 {
        out.push_str("640104 = \"兴庆区\"\n640122 = \"贺兰县\"\n");
        return out;
    }
    // Names of every length a real table has, the longest ones long.
    let stems = [
        "城区",
        "新华县",
        "青铜峡市",
        "红寺堡开发区",
        "宁东能源化工基地",
        "贺兰山东麓生态移民区",
    ];
    for i in 0..n {
        let code = format!("640{}{:02}", 1 + i / 50, 1 + i % 50);
        out.push_str(&format!(
            "{code} = \"{}{}\"\n",
            stems[i % stems.len()],
            i + 1
        ));
    }
    out
}

/// Two generated months for `n` counties run into one ledger; the second
/// month's output directory.
fn two_months(w: &Workdir, n: usize, persons: u64) -> PathBuf {
    w.write("policy.toml", policy_with(n));
    for (month, as_of) in [("m1", "2025-12-31"), ("m2", "2026-01-31")] {
        let p = persons.to_string();
        let data = format!("data/{month}");
        w.run_expect(
            &[
                "generate",
                "--persons",
                &p,
                "--seed",
                "16",
                "--policy",
                "policy.toml",
                "--as-of",
                as_of,
                "--out",
                &data,
                "--quiet",
            ],
            0,
        );
        let out = format!("out/{month}");
        let mut args: Vec<String> = [
            "run",
            "--policy",
            "policy.toml",
            "--as-of",
            as_of,
            "--out",
            &out,
            "--ledger",
            "out/ledger.sqlite",
            "--quiet",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for kind in common::KINDS {
            args.push(format!("--{kind}"));
            args.push(format!("{data}/{kind}.csv"));
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        w.run_expect(&refs, 0);
    }
    w.path("out/m2")
}

/// The page's layout measured by the browser: the report, and the defects.
fn measure(work: &Path, page: &Path, width: u32) -> (String, Vec<String>) {
    let html = std::fs::read_to_string(page).unwrap();
    let copy = page.with_file_name(format!("measure-{width}.html"));
    std::fs::write(&copy, html.replace("</body>", &format!("{MEASURE}</body>"))).unwrap();
    let b = browse(
        work,
        &format!("measure-{width}"),
        &[
            "--dump-dom".into(),
            format!("--window-size={width},2000"),
            "--virtual-time-budget=5000".into(),
        ],
        &file_url(&copy),
    );
    let start = b
        .stdout
        .find("<pre id=\"measure\">")
        .unwrap_or_else(|| panic!("the measuring script did not run; stderr:\n{}", b.stderr));
    let body = &b.stdout[start + "<pre id=\"measure\">".len()..];
    let body = &body[..body.find("</pre>").unwrap()];
    let lines: Vec<String> = body
        .lines()
        .map(|l| {
            l.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect();
    let defects = lines
        .iter()
        .filter(|l| l.starts_with("DEFECT"))
        .cloned()
        .collect();
    (lines[0].clone(), defects)
}

/// Proves the measurements see the defects they look for: a page with a
/// text past its SVG's right edge, two texts on top of each other, a target
/// line through a tick, and a box wider than `<main>`.
fn measure_canary(work: &Path) {
    let page = work.join("canary-layout.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><style>main{max-width:600px}</style></head><body><main>\
         <svg class=\"chart\" width=\"200\" height=\"60\" viewBox=\"0 0 200 60\">\
         <text x=\"150\" y=\"40\">▼ 未达标，还差 133 人</text>\
         <text x=\"20\" y=\"20\">目标 99%</text><text x=\"30\" y=\"20\">100%</text>\
         <line class=\"target-line\" x1=\"36\" y1=\"0\" x2=\"36\" y2=\"60\" stroke=\"red\"/></svg>\
         <div style=\"width:2000px\">wide</div></main></body></html>",
    )
    .unwrap();
    let (_, defects) = measure(work, &page, 1024);
    for want in [
        "DEFECT clipped in svg 0: ▼ 未达标，还差 133 人",
        "DEFECT overlap in svg 0: 目标 99% / 100%",
        "DEFECT target line crosses 100%",
        "DEFECT page scrolls sideways",
        "DEFECT outside main: <DIV> wide",
    ] {
        assert!(
            defects.iter().any(|d| d.starts_with(want)),
            "the layout check is blind to `{want}`; it saw:\n{}",
            defects.join("\n")
        );
    }
}

fn check_size(n: usize, persons: u64) {
    chromium();
    let w = Workdir::new();
    let out = two_months(&w, n, persons);
    let page = out.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // The data really has n counties, each with its bar, and two months.
    let counties = html
        .matches("data-group=\"low_income_and_alleviated\" data-county=\"6")
        .count();
    assert_eq!(counties, n, "{n} counties: coverage rows of the group");
    assert!(
        html.contains("data-as-of=\"2025-12-31\"") && html.contains("data-as-of=\"2026-01-31\""),
        "{n} counties: both months charted"
    );
    assert!(
        html.contains("class=\"bar below\""),
        "{n} counties: some county below target"
    );
    let work = w.path("browser");
    std::fs::create_dir_all(&work).unwrap();
    canary(&work);
    measure_canary(&work);

    // The screenshot, and no console message from the page.
    let shot = work.join(format!("dashboard-{n}-counties.png"));
    let b = browse(
        &work,
        "screenshot",
        &[
            format!("--screenshot={}", shot.display()),
            // Tall enough for both groups' county charts (26 units a row).
            format!("--window-size=1280,{}", 2400 + 60 * n),
        ],
        &file_url(&page),
    );
    let console = console_lines(&b.stderr);
    assert!(
        console.is_empty(),
        "{n} counties: console:\n{}",
        console.join("\n")
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 40_000,
        "{n} counties: blank screenshot"
    );
    let keep =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("dashboard-{n}-counties.png"));
    std::fs::copy(&shot, &keep).unwrap();
    std::fs::copy(&page, keep.with_extension("html")).unwrap();

    // The browser's measurements at a desktop and a laptop width.
    for width in [1280, 1024] {
        let (seen, defects) = measure(&work, &page, width);
        eprintln!(
            "{n} counties, {width} px: {seen}; screenshot {}",
            keep.display()
        );
        assert!(
            defects.is_empty(),
            "{n} counties at {width} px: {} layout defects:\n{}",
            defects.len(),
            defects.join("\n")
        );
    }
}

#[test]
fn the_dashboard_fits_at_2_counties() {
    check_size(2, 3_000);
}

#[test]
fn the_dashboard_fits_at_22_counties() {
    check_size(22, 40_000);
}

#[test]
fn the_dashboard_fits_at_100_counties() {
    check_size(100, 60_000);
}
