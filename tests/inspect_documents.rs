//! `gongkai check` as the inspector, on documents (issue 18): `doc-no-format` (a 文号 not
//! in the GB/T 9704 form), `normative-reg-no` (a 规范性文件 without its 统一登记号) and
//! `index-pattern` (a 索引号 that does not fit the body's `index_pattern`), each through
//! `check --format json` on a fixed day; `reg_no` on the page, in catalogue.json and
//! kept up to date by the dev server; `{category}` in `gongkai new`.

use std::path::PathBuf;

use gongkai::new::{new_document, NewDocument};
use gongkai::rebuild::LiveSite;
use gongkai::BuildOptions;
use serde_json::Value;

use crate::departments::platform;
use crate::util::*;

const POLICY: &str = "content/docs/policy.md";
const OLD: &str = "content/docs/2023/old.md";
const NOTICE: &str = "content/departments/jyj/docs/2023/notice.md";
const DIRECTORY: &str = "content/directory/2023.md";
const READING: &str = "content/docs/2023/reading.md";
const NORMATIVE_NAME: &str = "name = \"行政规范性文件\"\n";

/// The diagnostics of `check --format json --today 2024-06-01` with the given code.
fn check_json(site: &TestSite, code: &str) -> Vec<Value> {
    let out = site.cli(&["check", "--format", "json", "--today", "2024-06-01"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).cloned().collect()
}

fn only<'a>(found: &'a [Value], file: &str) -> &'a Value {
    let at: Vec<&Value> = found.iter().filter(|d| d["file"] == file).collect();
    assert_eq!(at.len(), 1, "one diagnostic for {file}: {found:#?}");
    at[0]
}

fn message(d: &Value) -> &str {
    d["message"].as_str().unwrap()
}

/// Marks the basic fixture's 行政规范性文件 category `normative`, with more settings.
fn normative(site: &TestSite, more: &str) {
    site.edit(DIRECTORY, NORMATIVE_NAME, &format!("{NORMATIVE_NAME}normative = true\n{more}"));
}

// doc-no-format

#[test]
fn a_doc_no_with_other_brackets_di_and_leading_zeros_is_warned_at_its_line_with_the_corrected_form() {
    let site = platform();
    site.edit(POLICY, "doc_no = \"测环发〔2023〕3号\"", "doc_no = \"测环发[2023]第03号\"");
    site.edit(NOTICE, "date = 2023-04-01\n", "date = 2023-04-01\ndoc_no = \"测教发（2023）5号\"\n");
    let found = check_json(&site, "doc-no-format");
    let policy = only(&found, POLICY);
    assert_eq!(policy["line"], 8);
    assert_eq!(policy["severity"], "warning");
    assert!(policy.get("department").is_none(), "the owner's: {policy}");
    assert_eq!(
        message(policy),
        "文号 \"测环发[2023]第03号\" has the year in [] instead of 六角括号 〔〕, 第 before the number, leading zeros in 03 \
         (GB/T 9704-2012 §7.2.5): write 测环发〔2023〕3号"
    );
    let notice = only(&found, NOTICE);
    assert_eq!((notice["line"].as_u64(), notice["department"].as_str()), (Some(6), Some("jyj")));
    assert!(message(notice).ends_with("write 测教发〔2023〕5号"), "{notice}");
}

#[test]
fn a_doc_no_in_the_standard_form_or_of_another_shape_such_as_a_decree_number_is_not_warned() {
    let site = TestSite::basic();
    site.edit(OLD, "date = 2023-01-01\n", "date = 2023-01-01\ndoc_no = \"国务院令第732号\"\n");
    site.edit(READING, "date = ", "doc_no = \"2023年第5号\"\ndate = ");
    assert_eq!(check_json(&site, "doc-no-format"), Vec::<Value>::new());
}

// normative-reg-no

#[test]
fn a_document_in_a_normative_category_without_reg_no_is_warned_at_its_category_line() {
    let site = platform();
    normative(&site, "");
    for file in [OLD, READING] {
        site.edit(file, "date = ", "reg_no = \"CSHB-2023-0001\"\ndate = ");
    }
    let found = check_json(&site, "normative-reg-no");
    assert_eq!(found.len(), 2, "policy.md and jyj's notice, not those with one: {found:#?}");
    let policy = only(&found, POLICY);
    assert_eq!(policy["line"], 5);
    assert!(policy.get("department").is_none());
    assert_eq!(
        message(policy),
        "a 行政规范性文件 (行政规范性文件 is marked normative) without its 统一登记号: add reg_no = \"…\", the number it was \
         registered under (统一登记、统一编号、统一公布)"
    );
    // A department that files by the owner's directory has the owner's normative categories.
    let notice = only(&found, NOTICE);
    assert_eq!((notice["line"].as_u64(), notice["department"].as_str()), (Some(4), Some("jyj")));
}

#[test]
fn documents_with_reg_no_or_outside_normative_categories_are_not_warned() {
    let site = TestSite::basic();
    // No category marked normative: nothing to say, reg_no or not.
    assert_eq!(check_json(&site, "normative-reg-no"), Vec::<Value>::new());
    normative(&site, "");
    for file in [POLICY, OLD, READING] {
        site.edit(file, "date = ", "reg_no = \"CSHB-2023-0001\"\ndate = ");
    }
    assert_eq!(check_json(&site, "normative-reg-no"), Vec::<Value>::new());
}

#[test]
fn an_empty_reg_no_is_an_error_at_its_line() {
    let site = TestSite::basic();
    site.edit(POLICY, "date = ", "reg_no = \" \"\ndate = ");
    let errors = site.errors();
    assert_line(&errors, "content/docs/policy.md:6: `reg_no` is empty: write the 统一登记号 the document was registered under, or remove the line");
}

#[test]
fn reg_no_is_shown_in_the_documents_table_and_in_catalogue_json() {
    let site = TestSite::basic();
    site.edit(POLICY, "date = ", "reg_no = \"CSHB-2023-0001\"\ndate = ");
    site.build_ok();
    let page = html(&site.output("docs/policy/index.html"));
    let rows = select_texts(&page, "table.meta tr");
    assert!(rows.iter().any(|r| r.contains("统一登记号") && r.contains("CSHB-2023-0001")), "{rows:?}");
    let old = html(&site.output("docs/2023/old/index.html"));
    assert!(!select_texts(&old, "table.meta th").iter().any(|t| t.contains("统一登记号")), "no empty row without one");
    let catalogue: Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    let entry = |title: &str| catalogue.as_array().unwrap().iter().find(|e| e["title"] == title).cloned().unwrap();
    assert_eq!(entry("测试市生态环境局关于排污许可管理的规定")["reg_no"], "CSHB-2023-0001");
    assert_eq!(entry("测试市生态环境局关于旧办法的通知")["reg_no"], Value::Null);
}

#[test]
fn the_dev_server_checks_normative_reg_no_again_when_an_edit_adds_or_removes_reg_no() {
    let site = TestSite::basic();
    normative(&site, "");
    for file in [POLICY, OLD, READING] {
        site.edit(file, "date = ", "reg_no = \"CSHB-2023-0001\"\ndate = ");
    }
    let mut live = LiveSite::open(site.root(), &BuildOptions::default()).expect("open");
    let codes = |live: &mut LiveSite| live.diagnostics().iter().filter(|d| d.code.as_str() == "normative-reg-no").count();
    assert_eq!(codes(&mut live), 0);
    // The same lines, the same 索引号 and category: only reg_no went.
    site.edit(POLICY, "reg_no = \"CSHB-2023-0001\"", "# reg_no = \"CSHB-2023-0001\"");
    live.changed(&[PathBuf::from(POLICY)]);
    assert_eq!(codes(&mut live), 1, "removing reg_no is seen");
    site.edit(POLICY, "# reg_no = \"CSHB-2023-0001\"", "reg_no = \"CSHB-2023-0001\"");
    live.changed(&[PathBuf::from(POLICY)]);
    assert_eq!(codes(&mut live), 0, "adding it back is seen");
}

// index-pattern

#[test]
fn an_index_no_that_does_not_fit_the_sites_pattern_is_warned_with_the_expected_shape_and_an_example() {
    let site = TestSite::basic();
    site.edit(OLD, "index_no = \"11111111-1-/2023-0101001\"", "index_no = \"11111111-1-2023-0101001\"");
    site.edit(POLICY, "index_no = \"11111111-1-/2023-0301001\"", "index_no = \"11111111-1-/2023-030101\"");
    let found = check_json(&site, "index-pattern");
    assert_eq!(found.len(), 2, "{found:#?}");
    let old = only(&found, OLD);
    assert_eq!(old["line"], 3);
    assert!(old.get("department").is_none());
    assert_eq!(
        message(old),
        "索引号 \"11111111-1-2023-0101001\" does not fit index_pattern \"{org_code}-/{year}-{mmdd}{seq:03}\" (content/site.toml), \
         e.g. \"11111111-1-/2023-0101001\""
    );
    assert!(message(only(&found, POLICY)).contains("\"11111111-1-/2023-030101\""), "a running number shorter than {{seq:03}}");
}

#[test]
fn index_numbers_of_the_patterns_shape_are_not_warned_whatever_their_year_and_running_number() {
    let site = TestSite::basic();
    // Numbered when written, the year before publication; a running number past 999.
    site.edit(OLD, "index_no = \"11111111-1-/2023-0101001\"", "index_no = \"11111111-1-/2022-12301234\"");
    assert_eq!(check_json(&site, "index-pattern"), Vec::<Value>::new());
}

#[test]
fn a_departments_own_index_pattern_is_the_one_its_documents_must_fit() {
    let site = platform();
    site.edit("content/departments/jyj/department.toml", "order = 2\n", "order = 2\nindex_pattern = \"JYJ-{year}-{seq:04}\"\n");
    let found = check_json(&site, "index-pattern");
    assert_eq!(found.len(), 2, "the notice and the report of jyj, not the owner's nor the town's: {found:#?}");
    let notice = only(&found, NOTICE);
    assert_eq!((notice["line"].as_u64(), notice["department"].as_str()), (Some(3), Some("jyj")));
    assert_eq!(
        message(notice),
        "索引号 \"22222222-2-/2023-0401001\" does not fit index_pattern \"JYJ-{year}-{seq:04}\" (content/departments/jyj/department.toml), \
         e.g. \"JYJ-2023-0001\""
    );
    site.edit(NOTICE, "22222222-2-/2023-0401001", "JYJ-2023-0001");
    site.edit("content/departments/jyj/reports/2023.md", "22222222-2-/2024-0120001", "JYJ-2024-0001");
    assert_eq!(check_json(&site, "index-pattern"), Vec::<Value>::new());
    // gongkai new numbers by it too.
    let request = NewDocument { dept: Some("jyj".into()), category: "gfxwj".into(), title: "教育局通知".into(), ..NewDocument::default() };
    let created = new_document(site.root(), &NewDocument { date: chrono::NaiveDate::from_ymd_opt(2023, 6, 1), ..request })
        .unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert_eq!(created.index_no, "JYJ-2023-0002");
}

/// The basic fixture numbering per column: 行政规范性文件 is class A01.
fn per_column() -> TestSite {
    let site = TestSite::basic();
    site.write(
        "content/site.toml",
        site.read_source("content/site.toml").replace("page_size = 2\n", "page_size = 2\nindex_pattern = \"{org_code}-{category}-{year}-{seq:03}\"\n"),
    );
    site.edit(DIRECTORY, NORMATIVE_NAME, &format!("{NORMATIVE_NAME}class_code = \"A01\"\n"));
    site
}

fn new_in(site: &TestSite, category: &str) -> gongkai::Result<gongkai::new::Created> {
    let date = chrono::NaiveDate::from_ymd_opt(2024, 3, 5);
    new_document(site.root(), &NewDocument { category: category.into(), title: "关于某事项的通知".into(), date, ..NewDocument::default() })
}

#[test]
fn new_fills_in_the_categorys_class_code_and_numbers_each_column_apart() {
    let site = per_column();
    let first = new_in(&site, "gfxwj").unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert_eq!(first.index_no, "11111111-1-A01-2024-001");
    assert_eq!(first.path, PathBuf::from("content/docs/2024/gfxwj-0305001.md"), "the category's code keeps the file names of columns apart");
    assert!(site.read_source(&first.path.to_string_lossy()).contains("index_no = \"11111111-1-A01-2024-001\""));
    assert_eq!(new_in(&site, "gfxwj").unwrap().index_no, "11111111-1-A01-2024-002");
    site.edit(DIRECTORY, "name = \"工作计划\"\n", "name = \"工作计划\"\nclass_code = \"B02\"\n");
    assert_eq!(new_in(&site, "gzjh").unwrap().index_no, "11111111-1-B02-2024-001", "another column counts from 1");
}

#[test]
fn new_refuses_a_category_without_class_code_when_the_pattern_needs_one() {
    let site = per_column();
    let err = new_in(&site, "gzjh").expect_err("refused").to_string();
    assert_eq!(
        err,
        "index_pattern \"{org_code}-{category}-{year}-{seq:03}\" numbers per category ({category}), but category gzjh (工作计划) \
         has no class_code: add class_code = \"…\" (its class number) to it in content/directory/2023.md"
    );
}

#[test]
fn with_category_in_the_pattern_an_index_no_must_carry_its_categorys_class_code() {
    let site = per_column();
    site.edit(POLICY, "index_no = \"11111111-1-/2023-0301001\"", "index_no = \"11111111-1-A01-2023-001\"");
    site.edit(OLD, "index_no = \"11111111-1-/2023-0101001\"", "index_no = \"11111111-1-B02-2023-001\"");
    let found = check_json(&site, "index-pattern");
    assert!(found.iter().all(|d| d["file"] != POLICY), "policy.md fits: {found:#?}");
    let old = only(&found, OLD);
    assert!(message(old).ends_with("e.g. \"11111111-1-A01-2023-001\""), "{old}");
}
