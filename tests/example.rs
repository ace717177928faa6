//! The example site at the repository root is a platform (集约化): 某某市人民政府 as its
//! owner, three departments (one without a directory of its own) and a town. It checks with
//! no error and, at its own day, with the one warning it gives on purpose: a town's missing
//! annual report.

use std::path::Path;

use crate::util::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Each body of the example and the org_code its 索引号 begin with.
const BODIES: &[(Option<&str>, &str)] = &[
    (None, "01530100-8"),
    (Some("jyj"), "01530121-3"),
    (Some("rsj"), "01530139-1"),
    (Some("sthjj"), "78169183-5"),
    (Some("cdz"), "01530655-2"),
];

/// The example's own day, close after its newest documents: `gongkai check --today 2026-04-20`.
const DAY: (i32, u32, u32) = (2026, 4, 20);

#[test]
fn the_example_checks_at_its_day_with_only_the_missing_report_it_shows_on_purpose() {
    // A fixed day: every year's reports fall due on 31 January (31 March for the owner), after
    // which check warns about each body that has none, and the inspector's timeliness checks
    // count days from it, so the real date would add warnings. At its day the example is
    // current (each body has something from the last two weeks), and every empty category
    // says why (the owner's and the departments' directories, the 人社局's department.toml).
    let today = chrono::NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).unwrap();
    let loaded = gongkai::check(root(), &gongkai::LoadOptions { today, ..Default::default() }).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["content/departments/cdz/department.toml: warning: 某某市城东镇人民政府 has no 2025 annual report (年度报告), which was due by 2026-01-31: add content/departments/cdz/reports/2025.md"]
    );
    assert!(!loaded.warnings.iter().any(timely), "nothing stale or empty at the example's day");
}

#[test]
fn under_strict_only_the_examples_deliberate_finding_fails_the_check() {
    // What a CI step before going live runs: every warning is an error, so the example's one
    // deliberate finding, and nothing else, fails it.
    let day = format!("{}-{:02}-{:02}", DAY.0, DAY.1, DAY.2);
    let out = gongkai_in(root(), &["check", "--strict", "--today", &day, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap(), d["department"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(found, [("report-missing", "error", "cdz")]);
    assert_eq!(report["ok"], false);
}

#[test]
fn the_example_platform_has_its_bodies_their_sections_and_their_index_numbers() {
    let out = tempfile::tempdir().unwrap();
    let options = gongkai::BuildOptions { output: Some(out.path().to_path_buf()), ..Default::default() };
    gongkai::build(root(), &options).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let read = |file: &str| std::fs::read_to_string(out.path().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));

    let index = html(&read("bm/index.html"));
    assert_eq!(select_texts(&index, "caption"), ["部门", "乡镇"]);
    assert_eq!(select_texts(&index, "tbody th a"), ["某某市教育局", "某某市人力资源和社会保障局", "某某市生态环境局", "某某市城东镇人民政府"]);

    // Every department and the town has its guide, reports and 依申请公开; the 人社局 has no
    // directory of its own and files by the owner's.
    for (code, _) in BODIES.iter().filter_map(|(c, o)| c.map(|c| (c, o))) {
        for page in ["index.html", "guide/index.html", "reports/index.html", "ysqgk/index.html", "catalogue/index.html"] {
            assert!(out.path().join("bm").join(code).join(page).is_file(), "bm/{code}/{page} is missing");
        }
    }
    assert!(!out.path().join("bm/rsj/directory").exists());
    let rsj = html(&read("bm/rsj/index.html"));
    assert!(select_attrs(&rsj, ".site-nav a", "href").contains(&"/directory/".to_string()));
    assert!(out.path().join("bm/rsj/catalogue/jycy/index.html").is_file(), "the owner's category, in the department's section");
    // The 人社局's own reason for a category of the owner's directory it has nothing in, which
    // the owner fills: 政府规章 are the government's.
    let rules = html(&read("bm/rsj/catalogue/zfgz/index.html"));
    assert_eq!(select_texts(&rules, "p.empty"), ["本局无政府规章制定权，政府规章由市人民政府制定，见市人民政府“政府规章”栏目。"]);
    assert!(select_texts(&html(&read("catalogue/zfgz/index.html")), "p.empty").is_empty(), "the owner's 规章 are listed");

    // The 2025 overview marks the town's missing report; the 2024 one has every body's.
    let rows = select_texts(&html(&read("ndbg/2025/index.html")), "tbody tr");
    assert_eq!(rows.len(), BODIES.len(), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("某某市城东镇人民政府") && r.contains("未发布")), "{rows:?}");
    assert_eq!(rows.iter().filter(|r| r.contains("未发布")).count(), 1, "{rows:?}");
    let rows = select_texts(&html(&read("ndbg/2024/index.html")), "tbody tr");
    assert!(rows.iter().all(|r| !r.contains("未发布")), "{rows:?}");

    // Every 索引号 begins with its own body's org_code.
    let catalogue: serde_json::Value = serde_json::from_str(&read("catalogue.json")).unwrap();
    let mut per_body = std::collections::HashMap::new();
    for entry in catalogue.as_array().unwrap().iter().filter(|e| e["index_no"].is_string()) {
        let code = entry["department"]["code"].as_str();
        let (_, org_code) = BODIES.iter().find(|(c, _)| *c == code).unwrap_or_else(|| panic!("no body {code:?}"));
        let index_no = entry["index_no"].as_str().unwrap();
        assert!(index_no.starts_with(&format!("{org_code}-/")), "{index_no} of {code:?}: {}", entry["title"]);
        *per_body.entry(code).or_insert(0) += 1;
    }
    for (code, _) in BODIES {
        assert!(per_body.get(code).copied().unwrap_or(0) >= 5, "{code:?} has a few documents: {per_body:?}");
    }
}
