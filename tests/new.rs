//! `gongkai new`: the next 索引号, the category, the file it writes and what it refuses.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::new::{new_document, parse_date, Created, NewDocument};
use gongkai::{Error, LoadOptions};

use crate::util::*;

const ORG: &str = "11111111-1";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn request(category: &str, title: &str, date: NaiveDate) -> NewDocument {
    NewDocument { category: category.into(), title: title.into(), date: Some(date), ..NewDocument::default() }
}

fn create(site: &TestSite, request: &NewDocument) -> Created {
    new_document(site.root(), request).unwrap_or_else(|e| panic!("new failed: {}", describe(&e)))
}

fn refused(site: &TestSite, request: &NewDocument) -> String {
    match new_document(site.root(), request) {
        Ok(created) => panic!("new should have failed, but wrote {}", created.path.display()),
        Err(e) => describe(&e),
    }
}

/// The highest running number among the site's `<org>-/<year>-<mmdd><seq>` numbers,
/// read from the files directly so that the expectation does not come from the code
/// under test.
fn highest_seq(site: &TestSite, year: i32) -> u32 {
    let prefix = format!("{ORG}-/{year}-");
    dir_snapshot(&site.root().join("content"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".md"))
        .flat_map(|(_, bytes)| String::from_utf8(bytes).unwrap().lines().map(str::to_string).collect::<Vec<_>>())
        .filter_map(|line| {
            let value = line.strip_prefix("index_no = \"")?.split('"').next()?.to_string();
            value.strip_prefix(&prefix)?.get(4..)?.parse().ok()
        })
        .max()
        .unwrap_or(0)
}

fn document_files(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    dir_snapshot(&site.root().join("content"))
}

#[test]
fn the_next_number_of_the_year_is_assigned_and_the_document_checks_and_builds() {
    let site = TestSite::basic();
    let next = highest_seq(&site, 2023) + 1;
    assert!(next > 1, "the fixture has 2023 numbers");
    let created = create(&site, &request("gfxwj", "测试市生态环境局关于新办法的通知", day(2023, 11, 24)));
    assert_eq!(created.index_no, format!("{ORG}-/2023-1124{next:03}"));
    assert_eq!(created.path, PathBuf::from(format!("content/docs/2023/1124{next:03}.md")));
    let text = site.read_source(&format!("content/docs/2023/1124{next:03}.md"));
    assert!(text.contains(&format!("index_no = \"{}\"", created.index_no)), "{text}");
    assert!(text.contains("publisher = \"测试市生态环境局\""), "the publisher defaults to organization: {text}");
    assert!(text.contains("category = \"gfxwj\"") && text.contains("date = 2023-11-24"), "{text}");
    assert!(text.contains("# doc_no = ") && text.contains("# related = ") && text.contains("# attachments = "), "{text}");
    assert!(site.warnings().is_empty(), "{:?}", site.warnings());
    site.build_ok();
    let page = site.output(&format!("docs/2023/1124{next:03}/index.html"));
    assert!(page.contains(&created.index_no) && page.contains("关于新办法的通知"));
}

#[test]
fn consecutive_documents_get_consecutive_numbers() {
    let site = TestSite::basic();
    let first = create(&site, &request("gfxwj", "第一份", day(2023, 12, 1)));
    let second = create(&site, &request("gfxwj", "第二份", day(2023, 12, 1)));
    let next = highest_seq(&TestSite::basic(), 2023) + 1;
    assert_eq!(first.index_no, format!("{ORG}-/2023-1201{next:03}"));
    assert_eq!(second.index_no, format!("{ORG}-/2023-1201{:03}", next + 1));
    assert_ne!(first.path, second.path);
    site.warnings();
}

#[test]
fn numbers_of_other_years_and_other_bodies_do_not_count() {
    let site = TestSite::basic();
    let expected = highest_seq(&site, 2023) + 1;
    site.write("content/docs/2024/later.md", doc("11111111-1-/2024-0101050", "2024-01-01"));
    site.write("content/docs/2023/other-body.md", doc("22222222-2-/2023-0101060", "2023-01-01"));
    site.write("content/docs/2023/other-form.md", doc("11111111-1-2023-070", "2023-01-01"));
    let created = create(&site, &request("gfxwj", "通知", day(2023, 6, 1)));
    assert_eq!(created.index_no, format!("{ORG}-/2023-0601{expected:03}"));
    let first_of_2025 = create(&site, &request("gfxwj", "通知", day(2025, 2, 3)));
    assert_eq!(first_of_2025.index_no, format!("{ORG}-/2025-0203001"));
    site.warnings();
}

#[test]
fn documents_with_errors_still_hold_their_numbers() {
    let site = TestSite::basic();
    site.write("content/docs/2023/draft.md", "+++\nindex_no = \"11111111-1-/2023-0901040\"\ncategory = \"nosuch\"\n+++\n草稿\n");
    let created = create(&site, &request("gfxwj", "通知", day(2023, 9, 2)));
    assert_eq!(created.index_no, format!("{ORG}-/2023-0902041"));
}

#[test]
fn a_custom_index_pattern_is_followed() {
    let site = TestSite::basic();
    site.edit("content/site.toml", "page_size = 2", "page_size = 2\nindex_pattern = \"{org_code}/{year}/{seq:04}\"");
    let first = create(&site, &request("gfxwj", "通知一", day(2023, 4, 1)));
    assert_eq!(first.index_no, format!("{ORG}/2023/0001"), "the fixture's numbers are of another form");
    assert_eq!(first.path, PathBuf::from("content/docs/2023/04010001.md"));
    site.write("content/docs/2023/numbered.md", doc("11111111-1/2023/0007", "2023-04-02"));
    let next = create(&site, &request("gfxwj", "通知二", day(2023, 4, 3)));
    assert_eq!(next.index_no, format!("{ORG}/2023/0008"));
    site.warnings();
}

#[test]
fn a_bad_index_pattern_is_reported_at_its_line_with_the_fix() {
    let site = TestSite::basic();
    let lines = site.read_source("content/site.toml").lines().count();
    site.write("content/site.toml", format!("{}index_pattern = \"{{org_code}}-{{year}}\"\n", site.read_source("content/site.toml")));
    assert_line(
        &site.errors(),
        &format!(
            "content/site.toml:{}: index_pattern \"{{org_code}}-{{year}}\" has no {{seq}}: add one, e.g. index_pattern = \"{{org_code}}-/{{year}}-{{mmdd}}{{seq:03}}\"",
            lines + 1
        ),
    );
    site.edit("content/site.toml", "{org_code}-{year}", "{org_code}-{yeer}-{seq}");
    assert_reported(&site.errors(), "content/site.toml:", "unknown placeholder {yeer} (did you mean {year}?)");
    let before = document_files(&site);
    assert!(matches!(new_document(site.root(), &request("gfxwj", "通知", day(2023, 1, 2))), Err(Error::Invalid { .. })));
    assert_eq!(document_files(&site), before);
}

#[test]
fn the_category_may_be_given_by_its_chinese_name() {
    let site = TestSite::basic();
    let created = create(&site, &request("行政规范性文件", "通知", day(2023, 5, 6)));
    assert!(site.read_source(&slash(&created.path)).contains("category = \"gfxwj\""));
}

#[test]
fn an_unknown_category_is_refused_with_a_suggestion() {
    let site = TestSite::basic();
    let before = document_files(&site);
    let typo = refused(&site, &request("gfxw", "通知", day(2023, 5, 6)));
    assert!(typo.contains("category \"gfxw\" is not in the current directory (content/directory/2023.md); did you mean gfxwj 行政规范性文件?"), "{typo}");
    let unknown = refused(&site, &request("环境质量", "通知", day(2023, 5, 6)));
    assert!(unknown.contains("the categories are: gzjh 工作计划, ndbg 年度报告, gfxwj 行政规范性文件"), "{unknown}");
    let parent = refused(&site, &request("zcfg", "通知", day(2023, 5, 6)));
    assert!(parent.contains("category \"zcfg\" (政策法规) has subcategories; documents go in one of them: gfxwj 行政规范性文件"), "{parent}");
    assert_eq!(document_files(&site), before, "nothing was written");
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let site = TestSite::basic();
    site.write("content/docs/2023/taken.md", "not a document, but mine\n");
    let before = document_files(&site);
    let request = NewDocument { slug: Some("taken".into()), ..request("gfxwj", "通知", day(2023, 5, 6)) };
    match new_document(site.root(), &request) {
        Err(Error::Exists { path, .. }) => assert_eq!(path, Path::new("content/docs/2023/taken.md")),
        other => panic!("expected Exists, got {other:?}"),
    }
    assert_eq!(document_files(&site), before);
}

#[test]
fn bad_slugs_titles_and_dates_are_refused() {
    let site = TestSite::basic();
    let before = document_files(&site);
    for slug in ["../escape", "Policy", "a b", "规定", ""] {
        let request = NewDocument { slug: Some(slug.into()), ..request("gfxwj", "通知", day(2023, 5, 6)) };
        assert!(refused(&site, &request).contains("may only use lowercase letters a-z, digits and '-'"), "{slug}");
    }
    assert!(refused(&site, &request("gfxwj", "  ", day(2023, 5, 6))).contains("the title is empty"));
    assert_eq!(document_files(&site), before);
    assert_eq!(parse_date("2024-03-05").unwrap(), day(2024, 3, 5));
    let chinese = describe(&parse_date("2024年3月5日").unwrap_err());
    assert_eq!(chinese, "--date \"2024年3月5日\" is not a date (write 2024-03-05)");
    let impossible = describe(&parse_date("2024-02-30").unwrap_err());
    assert!(impossible.contains("write it as 2024-03-05"), "{impossible}");
}

#[test]
fn a_title_with_quotes_and_the_default_date_load_as_given() {
    let site = TestSite::basic();
    let title = r#"关于"蓝天\碧水"行动的通知"#;
    let created = create(&site, &NewDocument { category: "gfxwj".into(), title: title.into(), ..NewDocument::default() });
    let loaded = gongkai::check(site.root(), &LoadOptions::default()).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let doc = loaded.site.documents.iter().find(|d| d.source == created.path).expect("the new document is loaded");
    assert_eq!(doc.title, title);
    assert_eq!(doc.date, LoadOptions::default().today);
    assert_eq!(doc.index_no, created.index_no);
}

#[test]
fn the_binary_prints_the_path_alone_on_stdout() {
    let site = TestSite::basic();
    let next = highest_seq(&site, 2023) + 1;
    let out = site.cli(&["new", "gfxwj", "测试市生态环境局关于新办法的通知", "--date", "2023-11-24", "--publisher", "测试市生态环境局办公室"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let path = format!("content/docs/2023/1124{next:03}.md");
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{path}\n"));
    assert!(stderr.contains(&format!("索引号 {ORG}-/2023-1124{next:03}")), "{stderr}");
    assert!(site.read_source(&path).contains("publisher = \"测试市生态环境局办公室\""));
    let check = site.cli(&["check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn the_binary_exits_1_with_the_reason_and_writes_nothing() {
    let site = TestSite::basic();
    site.write("content/docs/2023/taken.md", "mine\n");
    let before = document_files(&site);
    let cases: [(&[&str], &str); 3] = [
        (&["new", "gfxwj", "通知", "--date", "2023/11/24"], "--date \"2023/11/24\" is not a date (write 2023-11-24)"),
        (&["new", "gfxw", "通知"], "did you mean gfxwj 行政规范性文件?"),
        (&["new", "gfxwj", "通知", "--slug", "taken", "--date", "2023-01-01"], "content/docs/2023/taken.md already exists; it was left as it is"),
    ];
    for (args, message) in cases {
        let out = site.cli(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(document_files(&site), before);
}

#[test]
fn the_binary_works_on_another_folder_with_root() {
    let site = TestSite::basic();
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let out = gongkai_in(elsewhere.path(), &["new", "ndbg", "年度报告说明", "--root", root, "--date", "2023-02-01", "--slug", "report-note"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert_eq!(printed, site.root().join("content/docs/2023/report-note.md"));
    assert!(printed.is_file());
}

fn doc(index_no: &str, date: &str) -> String {
    format!("+++\ntitle = \"通知\"\nindex_no = \"{index_no}\"\npublisher = \"测试市生态环境局\"\ncategory = \"gfxwj\"\ndate = {date}\n+++\n正文\n")
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[test]
fn new_dept_writes_into_the_department_with_its_org_code_directory_and_next_number() {
    let site = crate::departments::platform();
    let jyj = NewDocument { dept: Some("jyj".into()), ..request("gfxwj", "教育局关于开学的通知", day(2023, 4, 2)) };
    let created = create(&site, &jyj);
    // Its notice of 2023-04-01 holds running number 001 of the year.
    assert_eq!(created.path, Path::new("content/departments/jyj/docs/2023/0402002.md"));
    assert_eq!(created.index_no, "22222222-2-/2023-0402002", "the department's org_code and its next number");
    let text = site.read_source("content/departments/jyj/docs/2023/0402002.md");
    assert!(text.contains("publisher = \"测试县教育局\""), "{text}");
    // The town files by its own directory, where gfxwj does not exist.
    let town = NewDocument { dept: Some("town-a".into()), ..request("财政信息", "测试镇决算", day(2023, 5, 1)) };
    assert_eq!(create(&site, &town).index_no, "33333333-3-/2023-0501002", "after its budget, number 001");
    let wrong = NewDocument { dept: Some("town-a".into()), ..request("gfxwj", "测试镇规定", day(2023, 5, 1)) };
    assert!(refused(&site, &wrong).contains("content/departments/town-a/directory/2023.md"));
    site.build_ok();
}

#[test]
fn new_dept_follows_the_departments_own_index_pattern_and_names_unknown_departments() {
    let site = crate::departments::platform();
    site.write(
        "content/departments/jyj/department.toml",
        "name = \"测试县教育局\"\norg_code = \"22222222-2\"\nindex_pattern = \"{org_code}-{year}-{seq:04}\"\n",
    );
    let jyj = NewDocument { dept: Some("jyj".into()), ..request("gfxwj", "教育局通知", day(2023, 6, 1)) };
    assert_eq!(create(&site, &jyj).index_no, "22222222-2-2023-0001");
    let typo = NewDocument { dept: Some("jyjj".into()), ..request("gfxwj", "通知", day(2023, 6, 1)) };
    assert!(refused(&site, &typo).contains("did you mean jyj?"));
}
