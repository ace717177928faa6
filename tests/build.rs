//! What `gongkai build` produces from a valid site.

use crate::util::*;

#[test]
fn every_page_type_is_written() {
    let site = TestSite::basic();
    let report = site.build_ok();
    assert_eq!(report.documents, 5);
    for page in [
        "index.html",
        "404.html",
        "catalogue.json",
        "atom.xml",
        "sitemap.xml",
        "sitemap/index.html",
        "ysqgk/index.html",
        "css/gongkai.css",
        "docs/policy/index.html",
        "docs/2023/reading/index.html",
        "docs/2023/old/index.html",
        "plans/index.html",
        "plans/2022/index.html",
        "reports/index.html",
        "reports/2021/index.html",
        "guide/index.html",
        "guide/2023/index.html",
        "directory/index.html",
        "directory/2023/index.html",
        "catalogue/index.html",
        "catalogue/page/2/index.html",
        "catalogue/page/3/index.html",
        "catalogue/gfxwj/index.html",
        "catalogue/gfxwj/page/2/index.html",
        "catalogue/zcfg/index.html",
        "catalogue/ghjh/index.html",
        "catalogue/gzjh/index.html",
        "files/2023/解读图示.pdf",
    ] {
        assert!(site.has_output(page), "public/{page} is missing; have {:?}", site.output_files());
    }
    assert!(!site.has_output("catalogue/page/4/index.html"));
}

#[test]
fn document_page_has_the_metadata_table_of_a_disclosure_page() {
    let site = TestSite::basic();
    site.build_ok();
    let page = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_texts(&page, "h1"), ["测试市生态环境局关于排污许可管理的规定"]);
    let headers = select_texts(&page, "table.meta th[scope=row]");
    assert_eq!(headers, ["索引号", "发布机构", "公开目录", "发布日期", "成文日期", "文号", "主题词", "有效性"]);
    let cells = select_texts(&page, "table.meta td");
    assert_eq!(
        cells,
        [
            "11111111-1-/2023-0301001",
            "测试市生态环境局",
            "行政规范性文件",
            "2023-03-01",
            "2023-02-25",
            "测环发〔2023〕3号",
            "排污许可、规范性文件",
            "有效"
        ]
    );
    // Breadcrumbs follow the directory: 首页 › 信息公开 › 政策法规 › 行政规范性文件 › title.
    assert_eq!(
        select_texts(&page, "nav.breadcrumbs li"),
        ["首页", "信息公开", "政策法规", "行政规范性文件", "测试市生态环境局关于排污许可管理的规定"]
    );
    // The body's "# 总则" becomes an h2 under the page's only h1, with a Chinese anchor.
    assert_eq!(select_attrs(&page, ".doc-body h2", "id"), ["总则"]);
    assert_eq!(select_texts(&page, ".doc-body table th"), ["事项", "时限"]);
    assert_eq!(select_texts(&page, ".doc-body del"), ["旧条款"]);
    assert_eq!(select_texts(&page, ".doc-body .footnote-definition").len(), 1);
}

#[test]
fn related_documents_are_linked_both_ways() {
    let site = TestSite::basic();
    site.build_ok();
    let reading = html(&site.output("docs/2023/reading/index.html"));
    assert_eq!(select_attrs(&reading, ".related a", "href"), ["/docs/policy/"]);
    // The policy names no related document, yet links back to its 解读.
    let policy = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_attrs(&policy, ".related a", "href"), ["/docs/2023/reading/"]);
}

#[test]
fn attachments_are_copied_and_linked_with_encoded_names() {
    let site = TestSite::basic();
    site.build_ok();
    let page = html(&site.output("docs/2023/reading/index.html"));
    let href = select_attrs(&page, ".attachments a", "href");
    assert_eq!(href, ["/files/2023/%E8%A7%A3%E8%AF%BB%E5%9B%BE%E7%A4%BA.pdf"]);
    assert_eq!(select_texts(&page, ".attachments a"), ["解读图示.pdf"]);
    assert!(site.output("files/2023/解读图示.pdf").starts_with("%PDF"));
}

#[test]
fn repealed_documents_are_marked_in_words_on_their_page_and_in_listings() {
    let site = TestSite::basic();
    site.build_ok();
    let page = html(&site.output("docs/2023/old/index.html"));
    assert_eq!(select_texts(&page, "h1 .validity"), ["已废止"]);
    assert!(select_texts(&page, ".notice").iter().any(|t| t.contains("本文件已废止")));
    let listing = html(&site.output("catalogue/gfxwj/page/2/index.html"));
    assert_eq!(select_texts(&listing, ".doc-list .validity"), ["已废止"]);
}

#[test]
fn catalogue_lists_newest_first_with_pagination_and_category_details() {
    let site = TestSite::basic();
    site.build_ok();
    let first = html(&site.output("catalogue/gfxwj/index.html"));
    assert_eq!(select_texts(&first, ".doc-list thead th"), ["索引号", "标题", "文号", "发布日期"]);
    assert_eq!(select_texts(&first, ".doc-list td.col-date"), ["2023-03-05", "2023-03-01"]);
    assert_eq!(select_attrs(&first, ".pagination a[rel=next]", "href"), ["/catalogue/gfxwj/page/2/"]);
    assert!(select_texts(&first, ".category-info dd").contains(&"印发之日起20个工作日内".to_string()));
    assert_eq!(select_texts(&first, "nav.breadcrumbs li"), ["首页", "信息公开", "政策法规", "行政规范性文件"]);
    let second = html(&site.output("catalogue/gfxwj/page/2/index.html"));
    assert_eq!(select_texts(&second, ".doc-list td.col-date"), ["2023-01-01"]);
    assert_eq!(select_attrs(&second, ".pagination a[rel=prev]", "href"), ["/catalogue/gfxwj/"]);
    // A parent category lists the documents of its children.
    let parent = html(&site.output("catalogue/ghjh/index.html"));
    assert_eq!(select_texts(&parent, ".doc-list td.col-date"), ["2022-04-12", "2022-01-20"]);
}

#[test]
fn directory_page_shows_the_tree_with_columns_and_counts() {
    let site = TestSite::basic();
    site.build_ok();
    let page = html(&site.output("directory/index.html"));
    assert_eq!(select_texts(&page, "table.directory tbody th"), ["规划计划", "工作计划", "年度报告", "政策法规", "行政规范性文件"]);
    assert_eq!(select_texts(&page, "table.directory td.num"), ["2", "1", "1", "3", "3"]);
    let text = page.root_element().text().collect::<String>();
    for column in ["公开时限", "责任部门", "公开依据", "公开渠道", "形成之日起20个工作日内", "办公室"] {
        assert!(text.contains(column), "directory page lacks {column}");
    }
}

#[test]
fn current_versions_and_years_are_at_their_stable_urls() {
    let site = TestSite::basic();
    site.write(
        "content/guide/2019.md",
        "+++\ntitle = \"旧版指南\"\nversion = \"2019\"\neffective = 2019-05-15\n+++\n\n旧版正文。\n",
    );
    site.build_ok();
    let stable = html(&site.output("guide/index.html"));
    assert_eq!(select_texts(&stable, "h1"), ["测试市生态环境局政府信息公开指南"]);
    assert_eq!(select_attrs(&stable, "link[rel=canonical]", "href"), ["/guide/2023/"]);
    assert_eq!(select_attrs(&stable, ".versions a.version", "href"), ["/guide/2023/", "/guide/2019/"]);
    let old = html(&site.output("guide/2019/index.html"));
    let banner = select_texts(&old, ".notice-history");
    assert!(banner[0].contains("此为历史版本(2019年5月15日起施行),现行版本见"), "{banner:?}");
    assert_eq!(select_attrs(&old, ".notice-history a", "href"), ["/guide/"]);
    assert!(select_texts(&stable, ".notice-history").is_empty());

    let plans = html(&site.output("plans/index.html"));
    assert_eq!(select_texts(&plans, "h1"), ["测试市生态环境局2022年政务公开工作要点"]);
    assert_eq!(select_attrs(&plans, ".years a", "href"), ["/plans/2022/"]);
}

#[test]
fn home_links_every_section_and_the_latest_documents() {
    let site = TestSite::basic();
    site.build_ok();
    let home = html(&site.output("index.html"));
    let links = select_attrs(&home, ".entries a", "href");
    assert_eq!(links, ["/guide/", "/catalogue/zcfg/", "/catalogue/", "/reports/", "/directory/", "/ysqgk/", "/plans/"]);
    assert_eq!(select_texts(&home, ".doc-list tbody tr").len(), 5);
}

#[test]
fn catalogue_json_has_the_contract_fields() {
    let site = TestSite::basic();
    site.build_ok();
    let json: serde_json::Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    let all = json.as_array().unwrap();
    let docs: Vec<_> = all.iter().filter(|d| d["kind"] != "guide" && d["kind"] != "directory").collect();
    assert_eq!(docs.len(), 5);
    // Every guide and directory version is listed too.
    let versions: Vec<_> = all.iter().filter(|d| d["kind"] == "guide" || d["kind"] == "directory").map(|d| d["url"].as_str().unwrap()).collect();
    assert_eq!(versions, ["/guide/2023/", "/directory/2023/"]);
    let policy = docs.iter().find(|d| d["index_no"] == "11111111-1-/2023-0301001").unwrap();
    assert_eq!(policy["title"], "测试市生态环境局关于排污许可管理的规定");
    assert_eq!(policy["url"], "/docs/policy/");
    assert_eq!(policy["publisher"], "测试市生态环境局");
    assert_eq!(policy["category"], "gfxwj");
    assert_eq!(policy["category_name"], "行政规范性文件");
    assert_eq!(policy["date"], "2023-03-01");
    assert_eq!(policy["doc_no"], "测环发〔2023〕3号");
    assert_eq!(policy["keywords"], serde_json::json!(["排污许可", "规范性文件"]));
    assert_eq!(policy["validity"], "effective");
    let plan = docs.iter().find(|d| d["url"] == "/plans/2022/").unwrap();
    assert_eq!(plan["category"], "gzjh");
    assert_eq!(plan["kind"], "plan");
}

#[test]
fn feeds_and_sitemap_use_absolute_urls() {
    let site = TestSite::basic();
    site.build_ok();
    let atom = site.output("atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 5);
    assert!(atom.contains("<link href=\"https://test.example.gov.cn/docs/policy/\"/>"));
    let sitemap = site.output("sitemap.xml");
    for url in ["https://test.example.gov.cn/", "https://test.example.gov.cn/guide/2023/", "https://test.example.gov.cn/catalogue/gfxwj/page/2/"] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "sitemap lacks {url}");
    }
    assert!(!sitemap.contains("404"));
}

#[test]
fn a_sub_path_build_has_no_link_outside_the_sub_path() {
    let site = TestSite::basic();
    site.build_under("/xxgk/");
    let mut checked = 0;
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let page = html(&site.output(file));
        for attr in ["href", "src"] {
            for link in select_attrs(&page, &format!("[{attr}]"), attr) {
                checked += 1;
                let local = !link.starts_with("http") && !link.starts_with('#') && !link.starts_with("mailto:");
                assert!(!local || link.starts_with("/xxgk/"), "{file}: {attr}=\"{link}\" leaves /xxgk/");
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    // Markdown links written from the site root follow too.
    let reading = html(&site.output("docs/2023/reading/index.html"));
    assert!(select_attrs(&reading, ".doc-body a", "href").contains(&"/xxgk/docs/policy/".to_string()));
    let json: serde_json::Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    assert!(json.as_array().unwrap().iter().all(|d| d["url"].as_str().unwrap().starts_with("/xxgk/")));
    assert!(site.output("sitemap.xml").contains("<loc>https://test.example.gov.cn/xxgk/guide/</loc>"));
}

#[test]
fn a_failed_build_leaves_the_earlier_output_exactly_as_it_was() {
    let site = TestSite::basic();
    site.build_ok();
    let before = site.output_snapshot();
    site.edit("content/docs/policy.md", "测试市生态环境局关于排污许可管理的规定", "改过的标题");
    site.edit("content/docs/2023/old.md", "date = 2023-01-01", "date = \"2023年1月1日\"");
    assert!(site.build().is_err());
    assert_eq!(before, site.output_snapshot());
    // And no staging folder is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(site.root()).unwrap().filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("gongkai-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_template_error_also_leaves_the_output_alone() {
    let site = TestSite::basic();
    site.build_ok();
    let before = site.output("index.html");
    site.write("themes/default/templates/document.html", "{% extends \"base.html\" %}{% block main %}{{ doc.title | nosuchfilter }}{% endblock main %}");
    let err = site.build().unwrap_err();
    assert!(err.to_string().contains("document.html"), "{err}");
    assert_eq!(site.output("index.html"), before);
}

#[test]
fn hidden_files_in_the_output_such_as_gitignore_survive_a_build() {
    let site = TestSite::basic();
    site.write("public/.gitignore", "*\n!.gitignore\n");
    site.build_ok();
    site.build_ok();
    assert_eq!(site.output(".gitignore"), "*\n!.gitignore\n");
}

#[test]
fn a_site_theme_overrides_templates_and_static_files_one_by_one() {
    let site = TestSite::basic();
    site.write("themes/default/templates/404.html", "{% extends \"base.html\" %}{% block main %}<h1>自定义的404</h1>{% endblock main %}");
    site.write("themes/default/static/css/extra.css", "body{}");
    site.build_ok();
    assert!(site.output("404.html").contains("自定义的404"));
    assert!(site.output("css/extra.css").contains("body{}"));
    // Templates not overridden still come from the built-in theme.
    assert!(site.output("index.html").contains("最新公开信息"));
    assert!(site.output("css/gongkai.css").contains("--brand"));
}

#[test]
fn raw_html_is_sanitised_unless_the_site_allows_it() {
    let site = TestSite::basic();
    site.edit("content/docs/policy.md", "为规范排污许可管理", "<iframe src=\"https://evil.example\"></iframe><b onclick=\"x()\">为规范</b>排污许可管理");
    site.build_ok();
    let page = site.output("docs/policy/index.html");
    assert!(!page.contains("<iframe") && !page.contains("onclick"), "sanitised");
    assert!(page.contains("<b>为规范</b>"));
    site.write("content/site.toml", site.read_source("content/site.toml") + "allow_raw_html = true\n");
    site.build_ok();
    assert!(site.output("docs/policy/index.html").contains("<iframe"));
}

#[test]
fn builds_a_generated_corpus_in_the_gongkai_flavor() {
    let dir = tempfile::tempdir().unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    if !script.exists() {
        eprintln!("skipped: {} is not beside the repository", script.display());
        return;
    }
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--out", dir.path().to_str().unwrap(), "--docs", "300", "--flavor", "gongkai"])
        .status()
        .expect("python3");
    assert!(status.success());
    let report = gongkai::build(dir.path(), &gongkai::BuildOptions::default()).unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert_eq!(report.documents, 300);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("public/catalogue.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().iter().filter(|d| d["kind"] == "document").count(), 300);
}
