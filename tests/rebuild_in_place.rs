//! A build with the output in place makes again only the pages whose inputs changed
//! (each page's input stamp is in the output's record) and keeps the others as they
//! are: whatever the editor changed, the output is byte for byte what a cold build of
//! the same site writes. The example platform is the fixture: it has every page kind,
//! departments, links by 索引号, policy readings, versions and reports.

use std::fs;
use std::path::Path;

use gongkai::{BuildOptions, BuildReport};

use crate::util::*;

/// Builds in place and checks every file against a cold build's; returns the report
/// of the build in place.
fn assert_same_as_cold(site: &TestSite, after: &str) -> BuildReport {
    let report = site.build_ok();
    let built = without_bookkeeping(site.output_snapshot());
    let cold = without_bookkeeping(site.cold_snapshot());
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&built), names(&cold), "after {after}: other files");
    let differ: Vec<&String> = built.iter().zip(&cold).filter(|(b, c)| b.1 != c.1).map(|(b, _)| &b.0).collect();
    assert!(differ.is_empty(), "after {after}: these files differ from a cold build's: {differ:?}");
    report
}

fn document_with_index_no(site: &TestSite, index_no: &str) -> String {
    walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .find(|e| fs::read_to_string(e.path()).unwrap().contains(&format!("index_no = \"{index_no}\"")))
        .map(|e| e.path().strip_prefix(site.root()).unwrap().to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|| panic!("no document has 索引号 {index_no}"))
}

#[test]
fn a_rebuild_with_nothing_changed_makes_no_page() {
    let site = TestSite::example();
    let first = site.build_ok();
    assert_eq!(first.made, first.pages, "a cold build makes every page");
    let again = site.build_ok();
    assert_eq!((again.made, again.written), (0, 0), "nothing changed, nothing made or written");
}

#[test]
fn a_text_edit_makes_its_page_and_those_that_show_it_and_no_other() {
    let site = TestSite::example();
    site.build_ok();
    let policy = document_with_index_no(&site, "78169183-5-/2022-0520003");
    site.edit(&policy, "\n+++\n", "\n+++\n\n新增的第一段。\n");
    let report = assert_same_as_cold(&site, "a text edit");
    assert!(report.made >= 1 && report.made < 10, "its page (and its description) only: {} of {} made", report.made, report.pages);
}

#[test]
fn edits_of_every_kind_rebuild_to_the_bytes_of_a_cold_build() {
    let site = TestSite::example();
    site.build_ok();
    let policy = document_with_index_no(&site, "78169183-5-/2022-0520003");
    let reading = "content/departments/sthjj/docs/2022/zcjd-2022-jubao-jiangli-jiedu.md";

    // A title shows in listings, on the home pages, in the feeds, on related pages and
    // on the 解读 that interprets it.
    site.edit(&policy, "title = \"", "title = \"修订：");
    assert_same_as_cold(&site, "a title edit");

    // The 解读 links the policy by 索引号: moving the policy's file moves its URL.
    let moved = policy.replace(".md", "-moved.md");
    let text = site.read_source(&policy);
    site.remove(&policy).write(&moved, text);
    assert_same_as_cold(&site, "the linked document moved to another file");
    let reading_page = site.output("bm/sthjj/docs/2022/zcjd-2022-jubao-jiangli-jiedu/index.html");
    assert!(reading_page.contains("gfxwj-2022-009-jubao-jiangli-moved/"), "the 解读 links the new address");

    // Links in running text, by 索引号 and by file, to a document nothing else relates
    // it to: only the links change when the target's file moves (the one by file then
    // leads nowhere, as `gongkai check` would say).
    site.write(
        "content/docs/2025/zdxm-2025-lianjie.md",
        "+++\ntitle = \"重点项目进展\"\nindex_no = \"01530100-8-/2025-0601001\"\npublisher = \"某某市发展和改革委员会\"\ncategory = \"zdxm\"\ndate = 2025-06-01\n+++\n\n见[投资计划](index:01530100-8-/2025-0305003)和[同一计划](zdxm-2025-zhongdian-xiangmu.md)。\n",
    );
    assert_same_as_cold(&site, "a document with links added");
    let plan = site.read_source("content/docs/2025/zdxm-2025-zhongdian-xiangmu.md");
    site.remove("content/docs/2025/zdxm-2025-zhongdian-xiangmu.md").write("content/docs/2025/zdxm-2025-touzi-jihua.md", &plan);
    assert_same_as_cold(&site, "a document linked by 索引号 moved to another file");
    assert!(site.output("docs/2025/zdxm-2025-lianjie/index.html").contains("zdxm-2025-touzi-jihua/"), "the link by 索引号 follows it");

    // A new document shifts every listing of its categories, and the latest lists.
    let added = moved.replace("-moved.md", "-added.md");
    let added_text = site.read_source(&moved).replace("78169183-5-/2022-0520003", "78169183-5-/2022-0520099").replace("title = \"", "title = \"新增：");
    site.write(&added, added_text.replace("\ninterprets", "\n#interprets"));
    assert_same_as_cold(&site, "a document added");
    site.remove(&added);
    assert_same_as_cold(&site, "a document removed");

    // A relation read on both pages.
    site.edit(reading, "interprets = [\"78169183-5-/2022-0520003\"]", "interprets = []");
    assert_same_as_cold(&site, "a 解读 no longer interpreting");

    // Names every page of a body shows: a category's, the department's, the site's.
    site.edit("content/departments/sthjj/directory/2023.md", "name = \"机构设置\"", "name = \"机构设置情况\"");
    assert_same_as_cold(&site, "a category renamed in a department's directory");
    site.edit("content/departments/rsj/department.toml", "name = \"某某市人力资源和社会保障局\"", "name = \"某某市人力资源社会保障局\"");
    assert_same_as_cold(&site, "a department renamed");
    site.edit("content/site.toml", "title = \"某某市政府信息公开\"", "title = \"某某市政府信息公开平台\"");
    assert_same_as_cold(&site, "the site's title");
    site.edit("content/site.toml", "page_size = 15", "page_size = 4");
    assert_same_as_cold(&site, "the page size");

    // Texts of other kinds: a guide, an apply page, a report's tables.
    site.edit("content/guide/2024.md", "\n+++\n", "\n+++\n\n本版指南新增一段说明。\n");
    assert_same_as_cold(&site, "the guide's text");
    site.edit("content/apply.md", "\n+++\n", "\n+++\n\n申请前请先阅读指南。\n");
    assert_same_as_cold(&site, "the apply page's text");
    site.edit("content/reports/2025.md", "licensing  = 0", "licensing  = 3");
    assert_same_as_cold(&site, "a number in a report's tables");

    // The theme: every page.
    let base = "themes/default/templates/base.html";
    site.edit(base, "</body>", "<!-- 改 --></body>");
    let report = assert_same_as_cold(&site, "a template edit");
    assert!(report.made > report.pages / 2, "a template edit makes the pages again");
}

#[test]
fn a_page_changed_in_the_output_by_someone_is_made_again() {
    let site = TestSite::example();
    site.build_ok();
    let path = site.root().join("public/ysqgk/index.html");
    let before = fs::read(&path).unwrap();
    fs::write(&path, "changed by hand").unwrap();
    let report = site.build_ok();
    assert_eq!(fs::read(&path).unwrap(), before, "gongkai's own page is restored");
    assert_eq!(report.made, 1);
}

#[test]
fn a_build_after_serve_makes_nothing_serve_made_already() {
    let site = TestSite::example();
    let mut live = gongkai::rebuild::LiveSite::open(site.root(), &BuildOptions::default()).expect("open");
    live.rebuild().unwrap_or_else(|e| panic!("first build: {}", describe(&e)));
    let policy = document_with_index_no(&site, "78169183-5-/2022-0520003");
    site.edit(&policy, "title = \"", "title = \"修订：");
    live.changed(&[Path::new(&policy).to_path_buf()]);
    live.rebuild().unwrap_or_else(|e| panic!("rebuild: {}", describe(&e)));
    drop(live);
    // serve recorded what it made each page from, as a build does.
    let report = assert_same_as_cold(&site, "a title edit served");
    assert_eq!(report.made, 0, "the build finds every page made from what it would make it from");
}
