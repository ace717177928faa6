//! `gongkai import html`: pages saved from an old site (tests/fixtures/import, in three
//! CMS styles and one GBK page) into the basic fixture, field by field; the skips, the
//! category map, dry runs; and the round trip of the example site's own pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gongkai::import::html::import_html;
use gongkai::import::{ImportOptions, Summary};
use gongkai::LoadOptions;

use crate::util::*;

/// The fixture pages copied into a fresh folder, as `wget --mirror` would leave them,
/// with `gbk.html` written as GBK bytes (the committed source is UTF-8 for review).
fn mirror() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    copy_dir(&fixtures.join("mirror"), dir.path());
    let source = std::fs::read_to_string(fixtures.join("gbk.html.utf8")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&source);
    assert!(!unmappable, "the GBK page is all GBK characters");
    std::fs::write(dir.path().join("gbk.html"), &bytes).unwrap();
    dir
}

fn import(site: &TestSite, mirror: &Path, options: &ImportOptions) -> Summary {
    import_html(site.root(), &[mirror.to_path_buf()], options).unwrap_or_else(|e| panic!("import failed: {}", describe(&e)))
}

/// The front matter of a written document as TOML.
pub(crate) fn front_matter(site: &TestSite, rel: &str) -> toml::Table {
    let text = site.read_source(rel);
    let inner = text.strip_prefix("+++\n").and_then(|t| t.split_once("\n+++\n")).unwrap_or_else(|| panic!("{rel} has no front matter:\n{text}"));
    toml::from_str(inner.0).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub(crate) fn body_of(site: &TestSite, rel: &str) -> String {
    site.read_source(rel).splitn(3, "+++\n").nth(2).unwrap().trim().to_string()
}

/// Asserts the front matter is exactly `expected` (TOML text, so dates are dates).
pub(crate) fn assert_front_matter(site: &TestSite, rel: &str, expected: &str) {
    let expected: toml::Table = toml::from_str(expected).unwrap();
    let actual = front_matter(site, rel);
    for key in expected.keys().chain(actual.keys()) {
        assert_eq!(actual.get(key), expected.get(key), "{rel}: key {key}");
    }
}

pub(crate) fn checks(site: &TestSite) {
    if let Err(e) = gongkai::check(site.root(), &LoadOptions::default()) {
        panic!("check failed after the import: {}", describe(&e));
    }
}

fn names(paths: impl Iterator<Item = PathBuf>) -> Vec<String> {
    let mut names: Vec<String> = paths.map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn pages_of_three_cms_styles_and_gbk_are_imported_field_by_field_and_check() {
    let site = TestSite::basic();
    let mirror = mirror();
    let summary = import(&site, mirror.path(), &ImportOptions::default());

    assert_eq!(
        names(summary.imported.iter().map(|i| i.source.clone())),
        ["gbk.html", "noindex.html", "page.html", "paragraphs.html", "spans.html", "table.html"]
    );
    // Metadata table (TRS style): empty 文号 and the view counter are not fields.
    assert_front_matter(&site, "content/docs/2024/table.md", r#"
        title = "测试市生态环境局2024年政务公开工作要点"
        index_no = "11111111-1-/2024-0412001"
        publisher = "测试市生态环境局"
        category = "gzjh"
        date = 2024-04-12
        keywords = ["政务公开", "工作要点"]
    "#);
    let table = body_of(&site, "content/docs/2024/table.md");
    assert!(table.starts_with("根据县人民政府"), "the title and metadata are not text:\n{table}");
    for kept in ["### 一、全面落实“五公开”", "**不公开为例外**", "加大会议开放程度", "| 1  | 权责清单 | 测环发〔2024〕1号 |"] {
        assert!(table.contains(kept), "{kept} is kept:\n{table}");
    }
    for dropped in ["首页", "当前位置", "浏览量", "打印本页", "关闭窗口", "分享到", "document.write", "主办", "_hmt"] {
        assert!(!table.contains(dropped), "{dropped} is dropped:\n{table}");
    }
    // <li><span>label</span>value (大汉 style) and meta tags; [2024] becomes 〔2024〕.
    assert_front_matter(&site, "content/docs/2024/spans.md", r#"
        title = "测试市生态环境局关于印发排污许可管理办法的通知"
        index_no = "11111111-1-/2024-0305009"
        publisher = "测试市生态环境局"
        category = "gfxwj"
        date = 2024-03-05
        written = 2024-03-01
        doc_no = "测环规〔2024〕2号"
        keywords = ["排污许可", "管理办法"]
    "#);
    assert!(!body_of(&site, "content/docs/2024/spans.md").contains("阅读次数"));
    // <p>label：value</p> with spaced labels, a category path, a date with a time, 已废止.
    assert_front_matter(&site, "content/docs/2024/paragraphs.md", r#"
        title = "关于废止部分规范性文件的决定"
        index_no = "11111111-1-/2024-0520003"
        publisher = "测试市生态环境局"
        category = "gfxwj"
        date = 2024-05-20
        validity = "repealed"
    "#);
    assert!(body_of(&site, "content/docs/2024/paragraphs.md").contains("2.  《测试市噪声管理规定》"));
    // GBK bytes declared as gb2312.
    assert_front_matter(&site, "content/docs/2024/gbk.md", r#"
        title = "测试市生态环境局2023年度空气质量公报"
        index_no = "11111111-1-/2024-0115002"
        publisher = "测试市生态环境局"
        category = "gzjh"
        date = 2024-01-15
    "#);
    assert_eq!(body_of(&site, "content/docs/2024/gbk.md"), "2023年全市环境空气质量优良天数比例为96.2%。");
    // No 索引号: the next of the site's pattern after every number the import brought.
    let noindex = summary.imported.iter().find(|i| i.source.ends_with("noindex.html")).unwrap();
    assert!(noindex.assigned);
    assert_front_matter(&site, "content/docs/2024/noindex.md", r#"
        title = "测试市生态环境局关于开展环保设施开放日活动的通知"
        index_no = "11111111-1-/2024-0808010"
        publisher = "测试市生态环境局"
        category = "gzjh"
        date = 2024-08-08
    "#);
    checks(&site);
}

#[test]
fn a_data_table_with_a_doc_no_column_is_text_not_metadata() {
    let site = TestSite::basic();
    let mirror = tempfile::tempdir().unwrap();
    let rows: String = (1..=300).map(|i| format!("<tr><td>{i}</td><td>文件{i}</td><td>文号</td><td>测环发〔2024〕{i}号</td></tr>")).collect();
    let page = format!(
        "<html><head><meta charset=\"utf-8\"><title>文件清单</title></head><body>\
         <table><tr><td>索引号</td><td>11111111-1-/2024-0101001</td><td>公开目录</td><td>工作计划</td></tr>\
         <tr><td>发布日期</td><td>2024-01-01</td><td>发布机构</td><td>测试市生态环境局</td></tr></table>\
         <div class=\"content\"><h1>文件清单</h1><table><tr><th>序号</th><th>名称</th><th>文号</th><th>发布日期</th></tr>{rows}</table></div></body></html>"
    );
    std::fs::write(mirror.path().join("list.html"), page).unwrap();
    import(&site, mirror.path(), &ImportOptions::default());
    assert_front_matter(&site, "content/docs/2024/list.md", r#"
        title = "文件清单"
        index_no = "11111111-1-/2024-0101001"
        publisher = "测试市生态环境局"
        category = "gzjh"
        date = 2024-01-01
    "#);
    let body = body_of(&site, "content/docs/2024/list.md");
    assert!(body.contains("| 300 ") && body.contains("测环发〔2024〕300号"), "{body}");
    checks(&site);
}

#[test]
fn attachments_are_copied_and_relinked_and_a_missing_one_is_listed_and_unlinked() {
    let site = TestSite::basic();
    let mirror = mirror();
    let summary = import(&site, mirror.path(), &ImportOptions::default());
    let page = summary.imported.iter().find(|i| i.source.ends_with("attach/page.html")).unwrap();
    assert_eq!(page.files, [PathBuf::from("content/files/2024/附件1.pdf"), PathBuf::from("content/files/2024/map.png")]);
    assert_eq!(std::fs::read(site.root().join("content/files/2024/附件1.pdf")).unwrap(), b"%PDF-1.4 test attachment\n");
    let body = body_of(&site, "content/docs/2024/page.md");
    assert!(body.contains("[附件1：监测点位表](/files/2024/附件1.pdf)"), "{body}");
    assert!(body.contains("![点位图](/files/2024/map.png)"), "{body}");
    assert!(body.contains("附件2：监测项目表") && !body.contains("附件2.xlsx"), "the missing file's link is text now:\n{body}");
    assert_eq!(summary.missing_attachments.len(), 1);
    assert_eq!(summary.missing_attachments[0].href, "/files/附件2.xlsx");
    checks(&site);
}

#[test]
fn an_unknown_category_and_a_known_index_no_are_skipped_with_why() {
    let site = TestSite::basic();
    let mirror = mirror();
    let summary = import(&site, mirror.path(), &ImportOptions::default());
    let reasons: BTreeMap<String, String> =
        summary.skipped.iter().map(|s| (s.source.file_name().unwrap().to_string_lossy().into_owned(), s.reason.clone())).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons["existing.html"].contains("索引号 11111111-1-/2023-0101001 is already in the site"), "{reasons:?}");
    assert!(reasons["unknown.html"].contains("category \"机构职能\" is not in the current directory"), "{reasons:?}");
    assert!(reasons["unknown.html"].contains("--category-map"), "{reasons:?}");
    assert_eq!(summary.unmapped_categories, BTreeMap::from([("机构职能".to_string(), 1)]));
    // The page already in the site was left as it was.
    assert!(site.read_source("content/docs/2023/old.md").contains("旧办法"));
}

#[test]
fn a_near_miss_category_gets_a_did_you_mean_and_an_unreadable_date_a_warning() {
    let site = TestSite::basic();
    let mirror = tempfile::tempdir().unwrap();
    let page = |category: &str, date: &str| {
        format!(
            "<html><head><meta charset=\"utf-8\"><title>通知</title></head><body>\
             <ul><li>公开目录：{category}</li><li>发布日期：{date}</li><li>成文日期：去年</li></ul>\
             <div class=\"content\"><h1>通知</h1><p>正文。</p></div></body></html>"
        )
    };
    std::fs::write(mirror.path().join("a.html"), page("工作计化", "2024-02-02")).unwrap();
    std::fs::write(mirror.path().join("b.html"), page("工作计划", "2024年2月3日 10:00")).unwrap();
    let summary = import(&site, mirror.path(), &ImportOptions::default());
    assert_eq!(summary.skipped.len(), 1);
    assert!(summary.skipped[0].reason.contains("did you mean gzjh 工作计划?"), "{}", summary.skipped[0].reason);
    assert_eq!(summary.unmapped_categories, BTreeMap::from([("工作计化".to_string(), 1)]));
    assert!(summary.warnings.iter().any(|w| w.ends_with("b.html: \"去年\" is not a date; it was left out")), "{:?}", summary.warnings);
    let b = front_matter(&site, "content/docs/2024/b.md");
    assert_eq!(b["date"].to_string(), "2024-02-03");
    assert!(b.get("written").is_none());
    checks(&site);
}

#[test]
fn a_category_map_gives_unknown_names_a_code() {
    let site = TestSite::basic();
    let mirror = mirror();
    site.write("map.toml", "\"机构职能\" = \"gfxwj\"\n");
    let options = ImportOptions { category_map: Some(site.root().join("map.toml")), ..ImportOptions::default() };
    let summary = import(&site, mirror.path(), &options);
    assert!(summary.unmapped_categories.is_empty());
    assert_eq!(front_matter(&site, "content/docs/2024/unknown.md")["category"].as_str(), Some("gfxwj"));
    checks(&site);
}

#[test]
fn a_dry_run_writes_nothing_and_a_second_import_skips_every_page() {
    let site = TestSite::basic();
    let mirror = mirror();
    let before = dir_snapshot(site.root());
    let dry = import(&site, mirror.path(), &ImportOptions { dry_run: true, ..ImportOptions::default() });
    assert_eq!(dir_snapshot(site.root()), before, "a dry run writes nothing");
    assert_eq!(dry.imported.len(), 6);
    assert!(dry.to_text().contains("(dry run: nothing written)"));

    import(&site, mirror.path(), &ImportOptions::default());
    let written = dir_snapshot(site.root());
    let again = import(&site, mirror.path(), &ImportOptions::default());
    let after = dir_snapshot(site.root());
    for file in &written {
        assert!(after.contains(file), "{} is left as it was", file.0);
    }
    // Every page with its own 索引号 is known now; the one without cannot be told from
    // a new page, so it comes in again, beside the first file, with the next number.
    assert_eq!(names(again.imported.iter().map(|i| i.source.clone())), ["noindex.html"]);
    assert_eq!(again.imported[0].path, PathBuf::from("content/docs/2024/noindex-2.md"));
    assert_eq!(again.imported[0].index_no, "11111111-1-/2024-0808011");
}

#[test]
fn the_cli_reports_as_json_for_scripts() {
    let site = TestSite::basic();
    let mirror = mirror();
    let out = site.cli(&["import", "html", mirror.path().to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["imported"].as_array().unwrap().len(), 6);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 2);
    assert_eq!(report["unmapped_categories"]["机构职能"], 1);
    assert_eq!(report["missing_attachments"][0]["href"], "/files/附件2.xlsx");
}

/// The example site at the repository root, built; then its document pages (the
/// owner's and each department's) imported into a site with the same settings,
/// directories and guides but no documents.
#[test]
fn the_example_sites_built_pages_come_back_with_the_same_metadata_and_text() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = tempfile::tempdir().unwrap();
    let build = |root: &Path, out: &Path| {
        let options = gongkai::BuildOptions { output: Some(out.to_path_buf()), ..Default::default() };
        gongkai::build(root, &options).unwrap_or_else(|e| panic!("{}", describe(&e)));
    };
    build(repo, built.path());

    let site = TestSite::empty();
    let content = repo.join("content");
    for entry in walkdir::WalkDir::new(&content).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&content).unwrap();
        let is_document = rel.components().any(|c| ["docs", "plans", "reports"].contains(&c.as_os_str().to_str().unwrap()));
        if !is_document {
            let to = site.root().join("content").join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
    let sections: Vec<(Option<String>, PathBuf)> = std::iter::once((None, PathBuf::from("docs")))
        .chain(std::fs::read_dir(content.join("departments")).unwrap().map(|e| {
            let code = e.unwrap().file_name().to_string_lossy().into_owned();
            (Some(code.clone()), Path::new("bm").join(code).join("docs"))
        }))
        .collect();
    for (dept, docs) in &sections {
        let options = ImportOptions { dept: dept.clone(), ..ImportOptions::default() };
        let summary = import_html(site.root(), &[built.path().join(docs)], &options).unwrap_or_else(|e| panic!("{}", describe(&e)));
        assert!(summary.skipped.is_empty() && summary.missing_attachments.is_empty(), "{}", summary.to_text());
        assert!(!summary.imported.is_empty());
    }
    checks(&site);

    // Metadata: every field the page shows, related documents by their links.
    let originals = document_sources(&content);
    let imported = document_sources(&site.root().join("content"));
    assert_eq!(originals.keys().collect::<Vec<_>>(), imported.keys().collect::<Vec<_>>());
    for (index_no, original) in &originals {
        let copy = &imported[index_no];
        for key in ["title", "index_no", "publisher", "category", "date", "written", "doc_no", "keywords"] {
            assert_eq!(copy.get(key), original.get(key), "{index_no}: {key}");
        }
        let validity = |t: &toml::Table| t.get("validity").and_then(|v| v.as_str()).unwrap_or("effective").to_string();
        assert_eq!(validity(copy), validity(original), "{index_no}: validity");
        let file_names = |t: &toml::Table| -> Vec<String> {
            let list = t.get("attachments").and_then(|a| a.as_array()).cloned().unwrap_or_default();
            list.iter().map(|a| a.as_str().unwrap().rsplit('/').next().unwrap().to_string()).collect()
        };
        assert_eq!(file_names(copy), file_names(original), "{index_no}: attachments");
    }

    // Related documents: a page shows the relation from either end, so the import
    // writes each pair once, on either document; the pairs are the same. A 解读's
    // `interprets` comes back as `related` (its 政策原文 / 政策解读 lists are read as
    // related documents); `superseded_by` is not read back.
    let pairs = |documents: &BTreeMap<String, toml::Table>| -> std::collections::BTreeSet<(String, String)> {
        documents
            .iter()
            .flat_map(|(n, t)| {
                let typed = ["related", "interprets"].into_iter().filter_map(|k| t.get(k).and_then(|r| r.as_array()).cloned());
                let related: Vec<toml::Value> = typed.flatten().collect();
                related.into_iter().map(move |r| {
                    let r = r.as_str().unwrap().to_string();
                    if *n < r { (n.clone(), r) } else { (r, n.clone()) }
                })
            })
            .collect()
    };
    assert_eq!(pairs(&imported), pairs(&originals));
    assert!(!pairs(&originals).is_empty());

    // Text: the rebuilt pages show the same words as the originals.
    let rebuilt = tempfile::tempdir().unwrap();
    build(site.root(), rebuilt.path());
    let mut compared = 0;
    for (_, docs) in &sections {
        for page in walkdir::WalkDir::new(built.path().join(docs)).into_iter().filter_map(Result::ok).filter(|e| e.file_name() == "index.html") {
            let rel = page.path().strip_prefix(built.path()).unwrap();
            let again = std::fs::read_to_string(rebuilt.path().join(rel)).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
            let text = |html_text: &str| select_texts(&html(html_text), ".doc-body").concat().split_whitespace().collect::<String>();
            assert_eq!(text(&again), text(&std::fs::read_to_string(page.path()).unwrap()), "{}", rel.display());
            compared += 1;
        }
    }
    assert_eq!(compared, originals.len());
}

/// The front matter of every document under `content/**/docs/`, by 索引号.
fn document_sources(content: &Path) -> BTreeMap<String, toml::Table> {
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.path().components().any(|c| c.as_os_str() == "docs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let inner = text.strip_prefix("+++\n").unwrap().split_once("\n+++\n").unwrap().0;
            let mut table: toml::Table = toml::from_str(inner).unwrap();
            // A department's document without 发布机构 is published under its name.
            let department = e.path().strip_prefix(content.join("departments")).ok().and_then(|p| p.components().next());
            if let (None, Some(code)) = (table.get("publisher"), department) {
                let info = std::fs::read_to_string(content.join("departments").join(code).join("department.toml")).unwrap();
                let info: toml::Table = toml::from_str(&info).unwrap();
                table.insert("publisher".into(), info["name"].clone());
            }
            (table["index_no"].as_str().unwrap().to_string(), table)
        })
        .collect()
}
