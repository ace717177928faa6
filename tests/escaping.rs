//! Whatever an editor writes in front matter is text, never markup: escaped in HTML,
//! XML and JSON.

use crate::util::*;

const EVIL: &str = "<script>alert(\"x\")</script>&";
/// The same, as a TOML string body.
const EVIL_TOML: &str = r#"<script>alert(\"x\")</script>&"#;

#[test]
fn a_script_in_a_title_comes_out_escaped_everywhere() {
    let site = TestSite::basic();
    site.edit("content/docs/policy.md", "测试市生态环境局关于排污许可管理的规定", EVIL_TOML);
    site.edit("content/docs/policy.md", "publisher = \"测试市生态环境局\"", "publisher = \"<img src=x onerror=alert(1)>\"");
    site.edit("content/docs/policy.md", "\"排污许可\", ", "\"<b>主题</b>\", ");
    site.build_ok();
    let mut seen = 0;
    // The search index's .bin files are compressed data, read by engine.js, which
    // escapes what it shows; its manifest is checked like every other file.
    for file in site.output_files().into_iter().filter(|f| !f.ends_with(".bin")) {
        let text = site.output(&file);
        assert!(!text.contains("<script>alert"), "{file} has an unescaped script");
        assert!(!text.contains("<img src=x"), "{file} has an unescaped img");
        assert!(!text.contains("<b>主题</b>"), "{file} has unescaped markup");
        if text.contains("alert") {
            seen += 1;
        }
    }
    // The title is shown (escaped) on its page, listings, home, feed, catalogue.json.
    assert!(seen >= 5, "the title appears in only {seen} files");
    let page = html(&site.output("docs/policy/index.html"));
    assert_eq!(select_texts(&page, "h1"), [EVIL]);
    let json: serde_json::Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    assert!(json.as_array().unwrap().iter().any(|d| d["title"] == EVIL));
    assert!(site.output("atom.xml").contains("&lt;script&gt;"));
}

#[test]
fn a_script_in_a_departments_name_comes_out_escaped_in_its_pages_and_the_search_index() {
    let site = crate::departments::platform();
    site.edit("content/departments/jyj/department.toml", "测试县教育局", EVIL_TOML);
    site.build_ok();
    for file in ["bm/jyj/index.html", "bm/index.html", "search/index.json", "catalogue.json"] {
        assert!(!site.output(file).contains("<script>alert"), "{file} has an unescaped script");
    }
    let page = html(&site.output("bm/jyj/index.html"));
    assert_eq!(select_texts(&page, ".header-search .search-scope"), [format!("仅搜索{EVIL}")]);
    let manifest: serde_json::Value = serde_json::from_str(&site.output("search/index.json")).unwrap();
    assert_eq!(manifest["bodies"][1]["name"], EVIL);
}
