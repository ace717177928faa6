//! Every validation rule, broken in turn: the error names the file, the line and the fix.

use crate::util::*;

const POLICY: &str = "content/docs/policy.md";
const READING: &str = "content/docs/2023/reading.md";

#[test]
fn the_fixture_itself_is_valid_and_quiet() {
    assert!(TestSite::basic().warnings().is_empty());
}

#[test]
fn missing_required_keys_are_each_reported() {
    let site = TestSite::basic();
    site.edit(POLICY, "publisher = \"测试市生态环境局\"\n", "");
    site.edit(POLICY, "title = \"测试市生态环境局关于排污许可管理的规定\"\n", "");
    let errors = site.errors();
    // Missing keys are reported at the closing +++ of the front matter (line 8 now).
    assert_line(&errors, "content/docs/policy.md:8: `title` is required (e.g. title = \"关于……的通知\")");
    assert_line(&errors, "content/docs/policy.md:8: `publisher` is required (e.g. publisher = \"某某市生态环境局\")");
}

#[test]
fn a_date_in_words_is_not_a_date() {
    let site = TestSite::basic();
    site.edit(POLICY, "date = 2023-03-01", "date = \"2024年3月5日\"");
    assert_line(&site.errors(), "content/docs/policy.md:6: date \"2024年3月5日\" is not a date (write 2024-03-05)");
}

#[test]
fn a_quoted_date_is_told_to_drop_the_quotes() {
    let site = TestSite::basic();
    site.edit(POLICY, "written = 2023-02-25", "written = \"2023-02-25\"");
    assert_line(&site.errors(), "content/docs/policy.md:7: written \"2023-02-25\" is not a date (write it without quotes: written = 2023-02-25)");
}

#[test]
fn an_impossible_date_is_rejected() {
    let site = TestSite::basic();
    site.edit(POLICY, "date = 2023-03-01", "date = 2023-02-30");
    assert_reported(&site.errors(), "content/docs/policy.md:6: ", "invalid date, expected day between 01 and 28");
    let site = TestSite::basic();
    site.edit(POLICY, "date = 2023-03-01", "date = 2022-13-45");
    assert_reported(&site.errors(), "content/docs/policy.md:6: ", "not valid TOML");
}

#[test]
fn index_numbers_must_be_unique_across_the_site() {
    let site = TestSite::basic();
    site.edit(READING, "11111111-1-/2023-0305001", "11111111-1-/2023-0301001");
    let errors = site.errors();
    assert_line(
        &errors,
        "content/docs/policy.md:3: index_no \"11111111-1-/2023-0301001\" is already used by content/docs/2023/reading.md; every document needs its own 索引号",
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn category_must_be_a_leaf_of_the_current_directory() {
    let site = TestSite::basic();
    site.edit(POLICY, "category = \"gfxwj\"", "category = \"zcfg\"");
    assert_line(&site.errors(), "content/docs/policy.md:5: category \"zcfg\" (政策法规) has sub-categories; use one of them: gfxwj (行政规范性文件)");

    let site = TestSite::basic();
    site.edit(POLICY, "category = \"gfxwj\"", "category = \"行政规范性文件\"");
    assert_line(
        &site.errors(),
        "content/docs/policy.md:5: category \"行政规范性文件\" is not in the current directory (content/directory/2023.md) (did you mean \"gfxwj\", 行政规范性文件?)",
    );
}

#[test]
fn only_the_current_directory_version_counts() {
    let site = TestSite::basic();
    // A newer directory without gfxwj makes the documents filed there invalid.
    let newer = site.read_source("content/directory/2023.md").replace("version = \"2023\"", "version = \"2024\"").replace("effective = 2023-01-01", "effective = 2024-01-01").replace("code = \"gfxwj\"", "code = \"gfwj\"");
    site.write("content/directory/2024.md", newer);
    let errors = site.errors();
    assert_reported(&errors, "content/docs/policy.md:5: ", "is not in the current directory (content/directory/2024.md) (did you mean \"gfwj\"");
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn validity_must_be_an_allowed_value() {
    let site = TestSite::basic();
    site.edit("content/docs/2023/old.md", "validity = \"repealed\"", "validity = \"obsolete\"");
    assert_line(&site.errors(), "content/docs/2023/old.md:7: validity \"obsolete\" is not one of \"effective\", \"amended\" (已修改), \"repealed\" (废止), \"expired\" (失效)");
}

#[test]
fn chinese_validity_words_are_understood() {
    let site = TestSite::basic();
    site.edit("content/docs/2023/old.md", "validity = \"repealed\"", "validity = \"失效\"");
    site.build_ok();
    assert!(site.output("docs/2023/old/index.html").contains("已失效"));
}

#[test]
fn related_index_numbers_must_exist() {
    let site = TestSite::basic();
    site.edit(READING, "related = [\"11111111-1-/2023-0301001\"]", "related = [\"11111111-1-/2023-0301002\"]");
    assert_line(
        &site.errors(),
        "content/docs/2023/reading.md:7: related \"11111111-1-/2023-0301002\" is not the index_no of any document (did you mean \"11111111-1-/2023-0301001\"?)",
    );
}

#[test]
fn plan_and_report_years_match_their_file_names() {
    let site = TestSite::basic();
    site.edit("content/plans/2022.md", "year = 2022", "year = 2023");
    assert_line(&site.errors(), "content/plans/2022.md:6: year = 2023 does not match the file name 2022.md (rename the file or write year = 2022)");

    let site = TestSite::basic();
    site.edit("content/reports/2021.md", "year = 2021\n", "");
    assert_line(&site.errors(), "content/reports/2021.md:6: `year` is required (year = 2021, as in the file name)");
}

#[test]
fn attachments_must_exist_under_files() {
    let site = TestSite::basic();
    site.edit(READING, "files/2023/解读图示.pdf", "files/2023/图示.pdf");
    assert_line(&site.errors(), "content/docs/2023/reading.md:8: attachment \"files/2023/图示.pdf\" does not exist: put the file at content/files/2023/图示.pdf");

    let site = TestSite::basic();
    site.edit(READING, "files/2023/解读图示.pdf", "../site.toml");
    assert_reported(&site.errors(), "content/docs/2023/reading.md:8: ", "must be a path under content/files/");
}

#[test]
fn a_file_without_front_matter_or_with_an_unterminated_one() {
    let site = TestSite::basic();
    site.write("content/docs/bare.md", "# 没有元数据的文件\n\n正文。\n");
    site.write("content/docs/open.md", "+++\ntitle = \"未闭合\"\n\n正文。\n");
    let errors = site.errors();
    assert_reported(&errors, "content/docs/bare.md:1: ", "no front matter: the file must start with a line `+++`");
    assert_line(&errors, "content/docs/open.md:1: front matter opened with `+++` is never closed: add a line `+++` after the last key");
}

#[test]
fn an_unknown_key_is_a_warning_with_a_suggestion() {
    let site = TestSite::basic();
    site.edit(POLICY, "doc_no = ", "docno = ");
    let warnings = site.warnings();
    assert_line(&warnings, "content/docs/policy.md:8: warning: unknown key `docno` is ignored (did you mean `doc_no`?)");
    site.build_ok();
}

#[test]
fn a_gbk_file_is_read_with_a_warning_that_says_how_to_convert() {
    let site = TestSite::basic();
    let text = site.read_source(POLICY);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    site.write(POLICY, gbk.as_ref());
    let warnings = site.warnings();
    assert_reported(&warnings, "content/docs/policy.md: warning: ", "iconv -f GBK -t UTF-8");
    site.build_ok();
    assert!(site.output("docs/policy/index.html").contains("测试市生态环境局关于排污许可管理的规定"));
    // The editor's file is left as it was.
    assert_eq!(std::fs::read(site.root().join(POLICY)).unwrap(), gbk.as_ref());
}

#[test]
fn binary_junk_is_an_error() {
    let site = TestSite::basic();
    site.write("content/docs/junk.md", [0xFFu8, 0xFE, 0x00, 0x81, 0x00, 0xFF]);
    assert_reported(&site.errors(), "content/docs/junk.md: ", "neither UTF-8 nor GBK");
}

#[test]
fn invalid_toml_is_reported_at_its_line() {
    let site = TestSite::basic();
    site.edit(POLICY, "doc_no = \"测环发〔2023〕3号\"", "doc_no = 测环发〔2023〕3号");
    assert_reported(&site.errors(), "content/docs/policy.md:8: ", "front matter is not valid TOML");
}

#[test]
fn every_error_of_a_run_is_reported_together() {
    let site = TestSite::basic();
    site.edit(POLICY, "date = 2023-03-01", "date = \"昨天\"");
    site.edit(READING, "category = \"gfxwj\"", "category = \"nosuch\"");
    site.edit("content/plans/2022.md", "year = 2022", "year = 2021");
    site.remove("content/files/2023/解读图示.pdf");
    let errors = site.errors();
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

#[test]
fn site_settings_are_checked() {
    let site = TestSite::basic();
    site.write("content/site.toml", "title = \"x\"\norganisation = \"y\"\nbase_url = \"xxgk\"\n");
    let errors = site.errors();
    assert_line(&errors, "content/site.toml:3: base_url \"xxgk\" must be a path on the web server, such as \"/\" or \"/xxgk/\"");
    assert_line(&errors, "content/site.toml: `organization` is required (e.g. organization = \"某某市生态环境局\")");
}

#[test]
fn versioned_pages_need_their_keys_and_a_usable_label() {
    let site = TestSite::basic();
    site.edit("content/guide/2023.md", "version = \"2023\"", "version = \"2023 修订\"");
    site.edit("content/directory/2023.md", "effective = 2023-01-01\n", "");
    let errors = site.errors();
    assert_reported(&errors, "content/guide/2023.md:3: ", "version \"2023 修订\" is used in the page's address");
    assert_reported(&errors, "content/directory/2023.md:", "`effective` is required");
}
