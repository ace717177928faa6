//! Broken or hostile content gets a clear error at its line, or correct output:
//! numbers too large for a report, invisible control characters, bodies nested
//! thousands deep, front matter with many wrong values, ids in raw HTML, and
//! `new` and `init` given what they cannot use.

use gongkai::new::{new_document, NewDocument};

use crate::util::*;

const POLICY: &str = "content/docs/policy.md";
const REPORT: &str = "content/reports/2021.md";

/// The policy document with `body` in place of its own.
fn policy_with_body(body: &str) -> TestSite {
    let site = TestSite::basic();
    let text = site.read_source(POLICY);
    let end = text[3..].find("+++\n").unwrap() + 3 + 4;
    site.write(POLICY, format!("{}\n{body}\n", &text[..end]));
    site
}

/// How deep elements nest in the `.doc-body` of a built page.
fn body_depth(page: &str) -> usize {
    let doc = html(page);
    let body = doc.select(&scraper::Selector::parse(".doc-body").unwrap()).next().expect("a .doc-body");
    body.descendants().skip(1).filter_map(scraper::ElementRef::wrap).map(|e| e.ancestors().take_while(|a| a.id() != body.id()).count() + 1).max().unwrap_or(0)
}

#[test]
fn report_numbers_too_large_are_refused_at_their_table_row_and_column() {
    let site = TestSite::basic();
    let data = "[report.active]\n\
                fees = 1e300\n\
                [report.applications]\n\
                disclosed = [9223372036854775807, 0, 0, 0, 0, 0]\n\
                partly = [9223372036854775807, 0, 0, 0, 0, 0]\n\
                [report.applications.withheld]\n\
                state_secret = [2, 0, 0, 0, 0, 0]\n\
                [report.appeals]\n\
                review = [9223372036854775807, 9223372036854775807, 2, 0]\n\
                litigation = [99999999999999999999, 0, 0, 0]\n";
    site.edit(REPORT, "year = 2021\n", &format!("year = 2021\n{data}"));
    let errors = site.errors();
    assert_line(&errors, "content/reports/2021.md:8: 表二 行政事业性收费 is too large: an amount in 万元 is at most 100000000 (check the number)");
    assert_line(&errors, "content/reports/2021.md:10: 表三(收到和处理政府信息公开申请情况), row （一）予以公开, column 自然人: 9223372036854775807 is too large: a count is at most 100000000 (check the number)");
    assert_reported(&errors, "content/reports/2021.md:11: ", "row （二）部分公开, column 自然人: 9223372036854775807 is too large");
    assert_reported(&errors, "content/reports/2021.md:15: ", "表四(政府信息公开行政复议、行政诉讼情况), row 行政复议, column 结果维持: 9223372036854775807 is too large");
    assert_reported(&errors, "content/reports/2021.md:15: ", "row 行政复议, column 结果纠正: 9223372036854775807 is too large");
    assert_reported(&errors, "content/reports/2021.md:16: ", "column 结果维持: 99999999999999999999 is too large");
    assert_eq!(errors.len(), 6, "no imbalance computed from the refused numbers: {errors:#?}");
    assert!(errors.iter().all(|e| !e.contains("i128") && !e.contains("i64")), "{errors:#?}");
    assert!(site.build().is_err());
    assert!(!site.has_output("reports/2021/index.html"), "nothing was written");
}

#[test]
fn the_largest_count_is_accepted_and_summed() {
    let site = TestSite::basic();
    let data = "[report.applications]\n\
                new = [100000000, 100000000, 0, 0, 0, 0]\n\
                disclosed = [100000000, 100000000, 0, 0, 0, 0]\n";
    site.edit(REPORT, "year = 2021\n", &format!("year = 2021\n{data}"));
    site.build_ok();
    let page = html(&site.output("reports/2021/index.html"));
    assert!(select_texts(&page, "td").iter().any(|t| t == "200000000"), "the 总计 column holds the sum");
}

#[test]
fn control_characters_in_front_matter_and_body_are_refused_at_their_line() {
    let site = TestSite::basic();
    site.edit(POLICY, "测试市生态环境局关于排污许可管理的规定", r"规定\u0001\u0008");
    site.edit(POLICY, "publisher = \"测试市生态环境局\"", r#"publisher = "局\u001b""#);
    site.edit(POLICY, "\"排污许可\", ", r#""许可\uFFFE", "#);
    site.edit(POLICY, "为规范排污许可管理", "为规范\u{b}排污\u{c}许可管理");
    site.edit(POLICY, "~~旧条款~~", "~~旧条款~~\t\u{fdd0}");
    let errors = site.errors();
    let invisible = "contains the invisible character";
    assert_reported(&errors, "content/docs/policy.md:2: ", &format!("`title` {invisible} U+0001"));
    assert_reported(&errors, "content/docs/policy.md:4: ", &format!("`publisher` {invisible} U+001B"));
    assert_reported(&errors, "content/docs/policy.md:9: ", &format!("`keywords` {invisible} U+FFFE"));
    assert_reported(&errors, "content/docs/policy.md:14: ", &format!("this line {invisible} U+000B"));
    assert_reported(&errors, "content/docs/policy.md:20: ", &format!("this line {invisible} U+FDD0"));
    assert_eq!(errors.len(), 5, "{errors:#?}");
}

#[test]
fn character_references_to_control_characters_never_reach_a_page_or_the_feed() {
    let site = policy_with_body("正文&#1;与&#x1b;<span>&#xFFFE;</span>\n\n\t缩进的代码\n");
    site.build_ok();
    for file in site.output_files().into_iter().filter(|f| f.ends_with(".html") || f.ends_with(".xml")) {
        let text = site.output(&file);
        let bad = text.chars().find(|&c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}');
        assert_eq!(bad, None, "{file} holds {bad:?}");
    }
    assert!(site.output("docs/policy/index.html").contains("正文与"));
}

#[test]
fn fifty_thousand_quotation_marks_build_with_a_warning_and_bounded_nesting() {
    let site = policy_with_body(&format!("{} 深处", ">".repeat(50_000)));
    let report = site.build_ok();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_reported(&warnings, "content/docs/policy.md:12: warning: ", "nests more than 100 levels");
    let page = site.output("docs/policy/index.html");
    assert_eq!(page.matches("<blockquote>").count(), 100);
    assert_eq!(body_depth(&page), 100);
    assert!(page.contains("深处"));
}

#[test]
fn html_nested_past_the_limit_is_shown_as_text_with_a_warning() {
    let site = policy_with_body(&format!("前言\n\n{}\n", "<div>".repeat(100_000)));
    let warnings: Vec<String> = site.build_ok().warnings.iter().map(ToString::to_string).collect();
    assert_reported(&warnings, "content/docs/policy.md:14: warning: ", "all HTML of this file is shown as text");
    let page = site.output("docs/policy/index.html");
    assert!(page.contains("&lt;div&gt;&lt;div&gt;"));
    assert_eq!(body_depth(&page), 1, "the content's divs became text; only the paragraph 前言 is an element");
}

#[test]
fn html_within_the_limit_is_sanitised_as_before() {
    let site = policy_with_body(&format!("{}内容{}\n", "<div>".repeat(60), "</div>".repeat(60)));
    let report = site.build_ok();
    assert!(report.warnings.iter().all(|w| !w.message.contains("nests")), "{:?}", report.warnings);
    assert_eq!(body_depth(&site.output("docs/policy/index.html")), 60);
}

#[test]
fn every_value_of_the_wrong_kind_is_reported_at_its_line() {
    let site = TestSite::basic();
    site.edit(POLICY, "title = \"测试市生态环境局关于排污许可管理的规定\"", "title = 123");
    site.edit(POLICY, "publisher = \"测试市生态环境局\"", "publisher = [\"a\"]");
    site.edit(POLICY, "date = 2023-03-01", "date = \"x\"");
    site.edit(POLICY, "keywords = [\"排污许可\", \"规范性文件\"]", "keywords = \"kw\"\nrelated = \"r\"\nvalidity = true");
    let errors = site.errors();
    assert_eq!(
        errors,
        [
            "content/docs/policy.md:2: `title` should be text in quotes, not the number 123",
            "content/docs/policy.md:4: `publisher` should be text in quotes, not a list",
            "content/docs/policy.md:6: date \"x\" is not a date (write it as 2024-03-05, without quotes)",
            "content/docs/policy.md:9: `keywords` should be a list in brackets, such as [\"a\", \"b\"], not the text \"kw\"",
            "content/docs/policy.md:10: `related` should be a list in brackets, such as [\"a\", \"b\"], not the text \"r\"",
            "content/docs/policy.md:11: `validity` should be text in quotes, not true",
        ]
    );
}

#[test]
fn a_number_too_large_for_a_key_says_so() {
    let site = TestSite::basic();
    site.edit("content/plans/2022.md", "year = 2022", "year = 99999999999999999999");
    assert_reported(&site.errors(), "content/plans/2022.md:", "`year`: the number 99999999999999999999 is too large");
}

#[test]
fn keys_nested_past_the_parser_limit_are_reported_at_their_line() {
    let site = TestSite::basic();
    site.edit(POLICY, "doc_no = ", &format!("{}z = 1\ndoc_no = ", "a.".repeat(100)));
    assert_line(
        &site.errors(),
        "content/docs/policy.md:8: front matter is not valid TOML: keys or values are nested too deeply (more than 80 levels); write them flatter",
    );
}

#[test]
fn a_blank_site_title_is_reported_at_its_line() {
    let site = TestSite::basic();
    site.edit("content/site.toml", "title = \"测试市生态环境局政府信息公开\"", "title = \"   \"");
    assert_line(&site.errors(), "content/site.toml:1: `title` is empty (e.g. title = \"某某市生态环境局政府信息公开\")");
}

#[test]
fn ids_and_classes_in_raw_html_are_dropped_and_heading_anchors_keep_working() {
    let site = policy_with_body(
        "## 总则\n\n<div id=\"a11y-toggle\" class=\"a11y-toolbar\">内容</div>\n\n## Main\n\n见[总则](#总则)与[下文](#main-2)。\n",
    );
    site.cli(&["check"]).status.success().then_some(()).expect("gongkai check finds every anchor");
    site.build_ok();
    let page = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_texts(&page, "#a11y-toggle").len(), 1, "only the theme's own element has its id");
    assert!(select_texts(&page, ".doc-body .a11y-toolbar").is_empty());
    assert_eq!(select_texts(&page, ".doc-body h2#总则"), ["总则"]);
    assert_eq!(select_texts(&page, "main#main").len(), 1);
    assert_eq!(select_texts(&page, ".doc-body h2#main-2"), ["Main"], "a heading does not take the id of the page's main");
}

#[test]
fn new_refuses_a_title_that_would_break_the_front_matter() {
    let site = TestSite::basic();
    let before = dir_snapshot(site.root());
    for title in ["x\n+++\ny", "a\rb", "x\u{1b}y"] {
        let request = NewDocument { category: "gfxwj".into(), title: title.into(), ..NewDocument::default() };
        let message = describe(&new_document(site.root(), &request).expect_err("refused"));
        assert!(message.contains("the title has a line break") || message.contains("the title contains the invisible character U+001B"), "{message}");
    }
    let out = site.cli(&["new", "gfxwj", "x\n+++\ny"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the title has a line break; give it on one line"));
    assert_eq!(dir_snapshot(site.root()), before, "nothing was written");
}

#[test]
fn init_on_a_file_says_it_is_a_file() {
    let site = TestSite::empty();
    site.write("notes.txt", "mine\n");
    let out = gongkai_in(site.root(), &["init", "notes.txt"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("notes.txt is a file, not a folder; nothing was written"), "{stderr}");
    assert_eq!(site.read_source("notes.txt"), "mine\n");
}
