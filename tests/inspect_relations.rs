//! Policy documents and their relations (issue 18): `interprets` (解读 → 政策原文),
//! `normative-no-reading`, validity `amended` and the dates and link of `validity-dates`;
//! shown on both pages of each link, checked by `check --format json` with a fixed day,
//! and followed by `gongkai serve`.

use std::path::PathBuf;

use gongkai::BuildOptions;
use gongkai::rebuild::LiveSite;
use serde_json::Value;

use crate::util::*;

const TODAY: &str = "2024-01-01";
const DIRECTORY: &str = "content/directory/2023.md";
const POLICY: &str = "content/docs/policy.md";
const READING: &str = "content/docs/2023/reading.md";
const OLD: &str = "content/docs/2023/old.md";
const POLICY_NO: &str = "11111111-1-/2023-0301001";
const READING_NO: &str = "11111111-1-/2023-0305001";

/// The basic fixture with its 行政规范性文件 category marked normative and its 解读
/// filed under a 政策解读 category, still linked to the policy by `related` only.
fn policies() -> TestSite {
    let site = TestSite::basic();
    mark_normative(&site);
    site.edit(
        DIRECTORY,
        "deadline = \"印发之日起20个工作日内\"\n+++",
        "deadline = \"印发之日起20个工作日内\"\n[[categories.children]]\ncode = \"zcjd\"\nname = \"政策解读\"\n+++",
    );
    site.edit(READING, "category = \"gfxwj\"", "category = \"zcjd\"");
    site
}

fn mark_normative(site: &TestSite) {
    site.edit(DIRECTORY, "code = \"gfxwj\"\nname = \"行政规范性文件\"\n", "code = \"gfxwj\"\nname = \"行政规范性文件\"\nnormative = true\n");
}

/// The findings of `check --format json --today 2024-01-01` with this code.
fn findings(site: &TestSite, code: &str) -> Vec<Value> {
    let out = site.cli(&["check", "--format", "json", "--today", TODAY]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    report["diagnostics"].as_array().expect("diagnostics").iter().filter(|d| d["code"] == code).cloned().collect()
}

fn message(d: &Value) -> &str {
    d["message"].as_str().unwrap()
}

// ---------------------------------------------------------------------------
// normative-no-reading

#[test]
fn a_normative_policy_no_reading_interprets_is_warned_at_its_category_line_naming_the_related_reading_to_fix() {
    let site = policies();
    let found = findings(&site, "normative-no-reading");
    assert_eq!(found.len(), 1, "the policy alone; the repealed old.md is not asked for a 解读: {found:?}");
    let d = &found[0];
    assert_eq!((d["file"].as_str(), d["line"].as_u64(), d["severity"].as_str()), (Some(POLICY), Some(5), Some("warning")));
    assert!(d.get("department").is_none(), "the owner's document: {d}");
    assert_eq!(
        message(d),
        "a 规范性文件 (category \"gfxwj\", 行政规范性文件, normative) that no 解读 interprets: 《关于排污许可管理的规定》政策解读 is related to it: \
         in content/docs/2023/reading.md, write interprets = [\"11111111-1-/2023-0301001\"] (it may replace related)"
    );
}

#[test]
fn a_normative_policy_without_any_reading_is_told_to_publish_one_with_interprets() {
    let site = policies();
    site.remove(READING);
    let found = findings(&site, "normative-no-reading");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        message(&found[0]).ends_with(": publish its 解读 with it and add interprets = [\"11111111-1-/2023-0301001\"] to the 解读's front matter"),
        "{found:?}"
    );
}

#[test]
fn a_normative_policy_its_reading_interprets_is_not_warned_nor_is_a_reading_filed_among_the_policies() {
    let site = policies();
    site.edit(READING, "related = [", "interprets = [");
    assert_eq!(findings(&site, "normative-no-reading"), Vec::<Value>::new());
    // A 解读 in the normative category itself is not asked for a 解读.
    site.edit(READING, "category = \"zcjd\"", "category = \"gfxwj\"");
    assert_eq!(findings(&site, "normative-no-reading"), Vec::<Value>::new());
}

#[test]
fn a_category_not_marked_normative_asks_for_no_reading() {
    let site = TestSite::basic();
    assert_eq!(findings(&site, "normative-no-reading"), Vec::<Value>::new());
}

#[test]
fn a_departments_findings_carry_its_department() {
    let site = crate::departments::platform();
    mark_normative(&site);
    // The department files under the owner's directory, whose gfxwj is now normative.
    let notice = "content/departments/jyj/docs/2023/notice.md";
    site.edit(notice, "date = 2023-04-01\n", "date = 2023-04-01\nrepealed_on = 2023-12-31\n");
    let found = findings(&site, "normative-no-reading");
    let d = found.iter().find(|d| d["file"] == notice).unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!((d["line"].as_u64(), d["department"].as_str()), (Some(4), Some("jyj")));
    assert!(message(d).contains("add interprets = [\"22222222-2-/2023-0401001\"]"), "{d}");
    let dates = findings(&site, "validity-dates");
    assert_eq!(dates.len(), 1, "{dates:?}");
    assert_eq!((dates[0]["file"].as_str(), dates[0]["line"].as_u64(), dates[0]["department"].as_str()), (Some(notice), Some(6), Some("jyj")));
}

// ---------------------------------------------------------------------------
// interprets

#[test]
fn interprets_naming_no_document_is_an_error_at_its_line_with_did_you_mean() {
    let site = policies();
    site.edit(READING, "related = [\"11111111-1-/2023-0301001\"]", "interprets = [\"11111111-1-/2023-0301009\"]");
    let found = findings(&site, "related");
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!((d["file"].as_str(), d["line"].as_u64(), d["severity"].as_str()), (Some(READING), Some(7), Some("error")));
    assert_eq!(message(d), "interprets \"11111111-1-/2023-0301009\" is not the index_no of any document (did you mean \"11111111-1-/2023-0301001\"?)");
    site.edit(READING, "0301009", "0301001");
    assert_eq!(findings(&site, "related"), Vec::<Value>::new());
}

#[test]
fn a_reading_that_interprets_itself_is_an_error() {
    let site = policies();
    site.edit(READING, "related = [\"11111111-1-/2023-0301001\"]", &format!("interprets = [\"{POLICY_NO}\", \"{READING_NO}\"]"));
    let found = findings(&site, "related");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0]["file"].as_str(), found[0]["line"].as_u64(), found[0]["severity"].as_str()), (Some(READING), Some(7), Some("error")));
    assert!(message(&found[0]).starts_with("interprets \"11111111-1-/2023-0305001\" is this document's own index_no"), "{found:?}");
}

// ---------------------------------------------------------------------------
// validity-dates

/// What `check` says under `validity-dates` about a document published 2022-12-01,
/// written 2022-11-20, whose front matter continues at line 8 with `extra`.
fn validity_dates(site: &TestSite, extra: &str) -> Vec<Value> {
    site.write(
        "content/docs/2022/rule.md",
        format!(
            "+++\ntitle = \"测试市生态环境局规则\"\nindex_no = \"11111111-1-/2022-1201001\"\npublisher = \"测试市生态环境局\"\n\
             category = \"gzjh\"\ndate = 2022-12-01\nwritten = 2022-11-20\n{extra}\n+++\n\n正文。\n"
        ),
    );
    let found = findings(site, "validity-dates");
    assert!(found.iter().all(|d| d["file"] == "content/docs/2022/rule.md" && d.get("department").is_none()), "{found:?}");
    found
}

#[test]
fn each_validity_dates_rule_trips_at_the_line_to_fix_and_says_how() {
    let site = TestSite::basic();
    let cases: &[(&str, usize, &str, &str)] = &[
        ("effective_from = 2022-11-01", 8, "warning", "effective_from 2022-11-01 (施行日期) is before written 2022-11-20 (成文日期)"),
        ("validity = \"repealed\"\nrepealed_on = 2022-11-01", 9, "warning", "repealed_on 2022-11-01 (废止日期) is before date 2022-12-01 (发布日期): check both dates"),
        (
            "effective_from = 2023-01-01\nvalidity = \"repealed\"\nrepealed_on = 2022-12-15",
            10,
            "warning",
            "repealed_on 2022-12-15 (废止日期) is before effective_from 2023-01-01 (施行日期): check both dates",
        ),
        (
            "validity = \"amended\"\nrepealed_on = 2023-03-01",
            8,
            "warning",
            "repealed_on 2023-03-01 says the document was repealed, but its validity is amended (已修改): set validity = \"repealed\" (已废止)",
        ),
        ("repealed_on = 2023-03-01", 8, "warning", "but its validity is effective (有效): set validity = \"repealed\" (已废止), or remove repealed_on"),
        (
            "superseded_by = \"11111111-1-/2023-0301001\"",
            8,
            "warning",
            "says the document was replaced, but its validity is effective (有效): set validity = \"repealed\" (已废止), or \"amended\" (已修改)",
        ),
        (
            "validity = \"repealed\"\nsuperseded_by = \"11111111-1-/2023-0301009\"",
            9,
            "warning",
            "superseded_by \"11111111-1-/2023-0301009\" is not the index_no of any document (did you mean \"11111111-1-/2023-0301001\"?)",
        ),
        (
            "validity = \"repealed\"\nsuperseded_by = \"11111111-1-/2022-0412001\"",
            9,
            "warning",
            "names 《测试市生态环境局2022年政务公开工作要点》, published 2022-04-12 before this document (2022-12-01): a document is replaced by a later one",
        ),
        ("validity = \"repealed\"\nsuperseded_by = \"11111111-1-/2022-1201001\"", 9, "error", "superseded_by \"11111111-1-/2022-1201001\" is this document's own index_no"),
    ];
    for (extra, line, severity, part) in cases {
        let found = validity_dates(&site, extra);
        assert_eq!(found.len(), 1, "{extra}: {found:?}");
        let d = &found[0];
        assert_eq!((d["line"].as_u64(), d["severity"].as_str()), (Some(*line as u64), Some(*severity)), "{extra}: {d}");
        assert!(message(d).contains(part), "{extra}: {d}");
    }
}

#[test]
fn consistent_validity_dates_and_links_trip_nothing_and_repealed_needs_no_repealed_on() {
    let site = TestSite::basic();
    for extra in [
        "effective_from = 2023-01-01",
        "effective_from = 2022-11-20",
        "validity = \"repealed\"",
        "validity = \"expired\"",
        "effective_from = 2023-01-01\nvalidity = \"repealed\"\nrepealed_on = 2023-03-01\nsuperseded_by = \"11111111-1-/2023-0301001\"",
        "validity = \"amended\"\nsuperseded_by = \"11111111-1-/2023-0301001\"",
        "validity = \"已修改\"",
    ] {
        assert_eq!(validity_dates(&site, extra), Vec::<Value>::new(), "{extra}");
    }
}

// ---------------------------------------------------------------------------
// Pages

/// The basic fixture with the typed links: the 解读 interprets the policy, which is
/// amended (已修改) and replaced old.md.
fn linked() -> TestSite {
    let site = policies();
    site.edit(READING, "related = [", "interprets = [");
    site.edit(POLICY, "written = 2023-02-25\n", "written = 2023-02-25\neffective_from = 2023-04-01\nvalidity = \"amended\"\n");
    site.edit(OLD, "validity = \"repealed\"\n", &format!("validity = \"repealed\"\nrepealed_on = 2023-04-01\nsuperseded_by = \"{POLICY_NO}\"\n"));
    site
}

#[test]
fn a_reading_links_its_policy_as_政策原文_and_the_policy_links_it_as_政策解读() {
    let site = linked();
    site.build_ok();
    let reading = html(&site.output("docs/2023/reading/index.html"));
    assert_eq!(select_texts(&reading, "section.policy-source h2"), ["政策原文"]);
    assert_eq!(select_attrs(&reading, "section.policy-source a", "href"), ["/docs/policy/"]);
    assert_eq!(select_texts(&reading, "section.policy-source a"), ["测试市生态环境局关于排污许可管理的规定"]);
    let policy = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_texts(&policy, "section.policy-readings h2"), ["政策解读"]);
    assert_eq!(select_attrs(&policy, "section.policy-readings a", "href"), ["/docs/2023/reading/"]);
    assert!(select_texts(&policy, "section#related, section[aria-labelledby=related]").is_empty(), "related stays for `related` alone");
    for d in ["related", "normative-no-reading", "validity-dates"] {
        assert_eq!(findings(&site, d), Vec::<Value>::new(), "{d}");
    }
}

#[test]
fn superseded_by_is_linked_both_ways_with_the_dates_in_the_metadata_table() {
    let site = linked();
    site.build_ok();
    let old = html(&site.output("docs/2023/old/index.html"));
    assert_eq!(select_attrs(&old, "tr.superseded-by a", "href"), ["/docs/policy/"]);
    assert_eq!(select_texts(&old, "tr.superseded-by td"), ["被《测试市生态环境局关于排污许可管理的规定》替代"]);
    assert_eq!(select_attrs(&old, ".notice-repealed a", "href"), ["/docs/policy/"]);
    assert!(select_texts(&old, "table.meta tr").iter().any(|r| r.contains("废止日期") && r.contains("2023-04-01")));
    let policy = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_attrs(&policy, "tr.replaces a", "href"), ["/docs/2023/old/"]);
    assert_eq!(select_texts(&policy, "tr.replaces td"), ["本文件替代《测试市生态环境局关于旧办法的通知》"]);
    assert!(select_texts(&policy, "table.meta tr").iter().any(|r| r.contains("施行日期") && r.contains("2023-04-01")));
}

#[test]
fn an_amended_document_is_shown_as_已修改_on_its_page_and_in_listings_and_catalogue_json() {
    let site = linked();
    site.build_ok();
    let policy = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_texts(&policy, "h1 .validity"), ["已修改"]);
    assert_eq!(select_texts(&policy, ".notice-amended strong"), ["本文件已修改。"]);
    assert!(select_texts(&policy, "table.meta tr").iter().any(|r| r.contains("有效性") && r.contains("已修改")));
    let listing = html(&site.output("catalogue/gfxwj/index.html"));
    assert!(select_texts(&listing, ".doc-list .validity").contains(&"已修改".to_string()));
    let catalogue: Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    let entry = |n: &str| catalogue.as_array().unwrap().iter().find(|e| e["index_no"] == n).cloned().unwrap();
    let policy = entry(POLICY_NO);
    assert_eq!((policy["validity"].as_str(), policy["effective_from"].as_str()), (Some("amended"), Some("2023-04-01")));
    let old = entry("11111111-1-/2023-0101001");
    assert_eq!((old["repealed_on"].as_str(), old["superseded_by"].as_str()), (Some("2023-04-01"), Some(POLICY_NO)));
    assert_eq!(entry(READING_NO)["interprets"], serde_json::json!([POLICY_NO]));
    assert!(policy.get("superseded_by").is_none() && policy.get("interprets").is_none(), "left out when not given: {policy}");
}

// ---------------------------------------------------------------------------
// gongkai serve

#[test]
fn a_serve_edit_adding_interprets_re_renders_the_policys_page_and_checks_the_rules_again() {
    let site = policies();
    site.edit(READING, "related = [\"11111111-1-/2023-0301001\"]\n", "");
    let mut live = LiveSite::open(site.root(), &BuildOptions::default()).expect("open");
    live.rebuild().expect("first build");
    let warned = |live: &mut LiveSite| live.diagnostics().iter().any(|d| d.code == gongkai::error::Code::NormativeNoReading);
    assert!(warned(&mut live));
    assert!(!site.output("docs/policy/index.html").contains("policy-readings"));

    site.edit(READING, "category = \"zcjd\"\n", &format!("category = \"zcjd\"\ninterprets = [\"{POLICY_NO}\"]\n"));
    live.changed(&[PathBuf::from(READING)]);
    live.rebuild().unwrap_or_else(|e| panic!("{}", describe(&e)));
    let policy = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_attrs(&policy, "section.policy-readings a", "href"), ["/docs/2023/reading/"], "the policy's page was rendered again");
    assert!(!warned(&mut live), "normative-no-reading was checked again");

    // And back: the link goes from both pages.
    site.edit(READING, &format!("interprets = [\"{POLICY_NO}\"]\n"), "");
    live.changed(&[PathBuf::from(READING)]);
    live.rebuild().unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert!(!site.output("docs/policy/index.html").contains("policy-readings"));
    assert!(warned(&mut live));
}
