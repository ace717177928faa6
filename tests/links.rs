//! Links between pages: documents linked by file or 索引号 get their URLs, and
//! `gongkai check` reports every link and anchor that leads nowhere, at its line.

use crate::util::*;

const LINKS: &str = "+++
title = \"链接测试\"
index_no = \"11111111-1-/2023-0601001\"
publisher = \"测试市生态环境局\"
category = \"gfxwj\"
date = 2023-06-01
+++

## 说明

按索引号:[规定](index:11111111-1-/2023-0301001)。
按文件:[解读](2023/reading.md)。
按站内路径:[规定原文](/docs/policy/#总则) [目录](/catalogue/gfxwj/) [附件](/files/2023/解读图示.pdf)
本页:[说明](#说明) 外部:[中国政府网](https://www.gov.cn/) [邮件](mailto:a@example.gov.cn)
";

fn with_links(body_tail: &str) -> TestSite {
    let site = TestSite::basic();
    site.write("content/docs/links.md", format!("{LINKS}{body_tail}"));
    site
}

#[test]
fn links_by_file_and_index_number_get_the_documents_urls() {
    let site = with_links("");
    site.build_under("/xxgk/");
    let page = html(&site.output("docs/links/index.html"));
    let hrefs = select_attrs(&page, "main a", "href");
    for expected in ["/xxgk/docs/policy/", "/xxgk/docs/2023/reading/", "/xxgk/docs/policy/#%E6%80%BB%E5%88%99", "/xxgk/catalogue/gfxwj/"] {
        assert!(hrefs.iter().any(|h| h == expected), "no link to {expected} among {hrefs:?}");
    }
    assert!(site.warnings().is_empty(), "every link of the page leads somewhere: {:?}", site.warnings());
}

#[test]
fn check_reports_each_dead_link_and_anchor_at_its_line() {
    let site = with_links(
        "[坏索引号](index:11111111-1-/2023-9999999)
[坏文件](2023/nothing.md)
[坏页面](/catalogue/nothing/)
[坏附件](/files/2023/无此文件.pdf)
[坏锚点](/docs/policy/#总责)
[本页坏锚点](#说名)
[坏相对路径](../../site.toml)
",
    );
    let errors = site.errors();
    let at = |line: usize| format!("content/docs/links.md:{line}: link ");
    assert_reported(&errors, &at(15), "no document has 索引号 \"11111111-1-/2023-9999999\"");
    assert_reported(&errors, &at(16), "there is no document content/docs/2023/nothing.md");
    assert_reported(&errors, &at(17), "there is no page /catalogue/nothing/");
    assert_reported(&errors, &at(18), "there is no attachment content/files/2023/无此文件.pdf");
    assert_reported(&errors, &at(19), "/docs/policy/ has no heading with the anchor #总责");
    assert_reported(&errors, &at(20), "/docs/links/ has no heading with the anchor #说名");
    assert_reported(&errors, &at(21), "a relative link must name a .md document");
    assert_eq!(errors.len(), 7, "the good links of the page are not reported: {errors:#?}");
    site.build_ok();
}

#[test]
fn check_json_lists_every_error_and_exits_non_zero() {
    let site = with_links("[坏索引号](index:nothing)\n");
    site.edit("content/docs/policy.md", "date = 2023-03-01", "date = 2023-02-30");
    site.edit("content/docs/2023/old.md", "category = \"gfxwj\"", "category = \"nothing\"");
    let out = site.cli(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["ok"], false);
    let diags = report["diagnostics"].as_array().unwrap();
    let files: Vec<(&str, &str)> = diags
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["file"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert!(files.iter().any(|(f, m)| *f == "content/docs/policy.md" && m.contains("invalid date")), "{files:?}");
    assert!(files.iter().any(|(f, m)| *f == "content/docs/2023/old.md" && m.contains("nothing")), "{files:?}");
    assert_eq!(report["errors"], 2, "a load error stops before links are followed: {files:?}");
    assert!(diags.iter().filter(|d| d["severity"] == "error").all(|d| d["line"].is_u64()), "every error has its line: {diags:?}");

    site.edit("content/docs/policy.md", "date = 2023-02-30", "date = 2023-03-01");
    site.edit("content/docs/2023/old.md", "category = \"nothing\"", "category = \"gfxwj\"");
    let out = site.cli(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["line"], 15);
    site.remove("content/docs/links.md");
    let out = site.cli(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
}
