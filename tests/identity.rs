//! The identity marks of site.toml `[identity]` in every page's footer, the meta tags of
//! the web-page design rules on every page type, the warnings `check` gives for missing
//! marks, and `--strict`.

use std::path::Path;

use crate::util::*;

/// The example site built once into a temporary folder; returns the folder.
fn build_example() -> (tempfile::TempDir, gongkai::BuildReport) {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = gongkai::BuildOptions { output: Some(out.path().join("public")), ..Default::default() };
    let report = gongkai::build(root, &options).unwrap_or_else(|e| panic!("{}", describe(&e)));
    (out, report)
}

fn meta(page: &scraper::Html, name: &str) -> Option<String> {
    let values = select_attrs(page, &format!("head meta[name=\"{name}\"]"), "content");
    assert!(values.len() <= 1, "{name} is written {} times", values.len());
    values.into_iter().next()
}

/// One page of each type: (file, ColumnName, ColumnType, the text it shows as its article).
/// The example is a platform: the owner's pages, a department's (bm/sthjj/, the former
/// single body) and the platform's own (bm/, ndbg/).
const PAGES: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("index.html", "政府信息公开", Some("信息公开目录"), None),
    (
        "bm/sthjj/docs/2023/zcjd-2023-caoliang-jizhun-jiedu/index.html",
        "政策解读",
        Some("政策解读"),
        Some("《某某市生态环境行政处罚裁量基准（2023年版）》政策解读"),
    ),
    (
        "bm/sthjj/docs/2023/gfxwj-2023-012-caoliang-jizhun/index.html",
        "行政规范性文件",
        Some("政策文件"),
        Some("某某市生态环境局关于印发《某某市生态环境行政处罚裁量基准（2023年版）》的通知"),
    ),
    ("docs/2024/gfxwj-2024-003-laji-fenlei/index.html", "行政规范性文件", Some("政策文件"), Some("某某市人民政府关于印发《某某市生活垃圾分类管理实施办法》的通知")),
    ("reports/2024/index.html", "政府信息公开年报", Some("信息公开年报"), Some("")),
    ("bm/sthjj/reports/2023/index.html", "政府信息公开年报", Some("信息公开年报"), Some("")),
    ("plans/2025/index.html", "政务公开工作要点", Some("规划计划"), Some("")),
    ("bm/sthjj/plans/2022/index.html", "政务公开工作要点", Some("规划计划"), Some("")),
    ("catalogue/index.html", "法定主动公开内容", Some("法定主动公开内容"), None),
    ("catalogue/gfxwj/index.html", "行政规范性文件", Some("政策文件"), None),
    ("bm/sthjj/catalogue/zcjd/index.html", "政策解读", Some("政策解读"), None),
    ("bm/sthjj/catalogue/gzzj/index.html", "工作总结", Some("规划计划"), None),
    ("guide/index.html", "政府信息公开指南", Some("信息公开指南"), Some("")),
    ("bm/sthjj/guide/2019/index.html", "政府信息公开指南", Some("信息公开指南"), Some("")),
    ("bm/sthjj/guide/2023/changes/index.html", "政府信息公开指南", Some("信息公开指南"), None),
    ("directory/index.html", "政府信息公开目录", Some("信息公开目录"), Some("")),
    ("bm/sthjj/directory/2023/changes/index.html", "政府信息公开目录", Some("信息公开目录"), None),
    ("plans/index.html", "政务公开工作要点", Some("规划计划"), Some("")),
    ("reports/index.html", "政府信息公开年报", Some("信息公开年报"), Some("")),
    ("ysqgk/index.html", "依申请公开", Some("依法申请公开"), None),
    ("bm/sthjj/ysqgk/index.html", "依申请公开", Some("依法申请公开"), None),
    ("bm/jyj/index.html", "政府信息公开", Some("信息公开目录"), None),
    ("bm/cdz/index.html", "政府信息公开", Some("信息公开目录"), None),
    ("bm/index.html", "部门和乡镇信息公开", None, None),
    ("ndbg/2025/index.html", "政府信息公开年报", Some("信息公开年报"), None),
    ("sitemap/index.html", "网站地图", None, None),
    ("search/index.html", "站内搜索", None, None),
    ("404.html", "页面不存在", None, None),
];

#[test]
fn every_page_type_of_the_example_carries_the_meta_tags_with_its_column_type() {
    let (out, _) = build_example();
    for (file, column_name, column_type, article) in PAGES {
        let text = std::fs::read_to_string(out.path().join("public").join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let page = html(&text);
        let tag = |name: &str| meta(&page, name);
        assert_eq!(tag("SiteName").as_deref(), Some("某某市政府信息公开"), "{file}");
        assert_eq!(tag("SiteDomain").as_deref(), Some("www.example.gov.cn"), "{file}");
        assert_eq!(tag("SiteIDCode").as_deref(), Some("5300000000"), "{file}");
        assert_eq!(tag("ColumnName").as_deref(), Some(*column_name), "{file}");
        assert_eq!(tag("ColumnType").as_deref(), *column_type, "{file}");
        for name in ["ContentSource", "Keywords", "Description"] {
            assert!(tag(name).is_some_and(|v| !v.trim().is_empty()), "{file} has no {name}");
        }
        match article {
            Some(title) => {
                let shown = tag("ArticleTitle").unwrap_or_else(|| panic!("{file} has no ArticleTitle"));
                // An empty title here stands for "the page's own h1".
                let expected = if title.is_empty() { select_texts(&page, "main h1").join("") } else { title.to_string() };
                assert_eq!(shown, expected, "{file}");
                let date = tag("PubDate").unwrap_or_else(|| panic!("{file} has no PubDate"));
                let well_formed = date.len() == 16
                    && date.ends_with(" 00:00")
                    && chrono::NaiveDate::parse_from_str(&date[..10], "%Y-%m-%d").is_ok();
                assert!(well_formed, "{file}: PubDate {date:?} is not YYYY-MM-DD HH:MM");
            }
            None => assert!(tag("ArticleTitle").is_none() && tag("PubDate").is_none(), "{file} is no article"),
        }
    }
}

#[test]
fn a_documents_meta_tags_are_its_own_metadata() {
    let (out, _) = build_example();
    let page = html(&std::fs::read_to_string(out.path().join("public/bm/sthjj/docs/2023/zcjd-2023-caoliang-jizhun-jiedu/index.html")).unwrap());
    assert_eq!(meta(&page, "PubDate").as_deref(), Some("2023-03-31 00:00"));
    assert_eq!(meta(&page, "ContentSource").as_deref(), Some("某某市生态环境局"));
    assert_eq!(meta(&page, "Keywords").as_deref(), Some("政策解读,行政处罚,裁量基准"));
    let description = meta(&page, "Description").unwrap();
    assert!(description.starts_with("近日，某某市生态环境局印发了《某某市生态环境行政处罚裁量基准"), "{description}");
    assert!(description.chars().count() <= 101, "{description}");
}

#[test]
fn every_page_type_of_the_example_shows_the_identity_marks_in_its_footer() {
    let (out, report) = build_example();
    let from_settings: Vec<String> =
        report.warnings.iter().filter(|w| w.file == Path::new("content/site.toml") && !timely(w)).map(ToString::to_string).collect();
    assert!(from_settings.is_empty(), "the example's settings are complete: {from_settings:?}");
    for (file, ..) in PAGES {
        let page = html(&std::fs::read_to_string(out.path().join("public").join(file)).unwrap());
        let footer = select_texts(&page, "footer").join("");
        for line in [
            "主办单位:某某市人民政府办公室",
            "承办单位:某某市大数据中心",
            "地址:某某省某某市某某大道168号市级行政中心1号楼",
            "邮编:650228",
            "电话:0871-12340000",
            "邮箱:zwgk@example.gov.cn",
            "网站标识码:5300000000",
            "滇ICP备00000000号",
            "滇公网安备53000002000000号",
        ] {
            assert!(footer.contains(line), "{file}: the footer lacks {line}: {footer}");
        }
        let link = |text: &str| -> Vec<String> {
            let sel = scraper::Selector::parse("footer a").unwrap();
            page.select(&sel)
                .filter(|a| a.text().collect::<String>().contains(text))
                .filter_map(|a| a.value().attr("href").map(str::to_string))
                .collect()
        };
        assert_eq!(link("滇ICP备00000000号"), ["https://beian.miit.gov.cn/"], "{file}");
        assert_eq!(link("滇公网安备53000002000000号"), ["https://beian.mps.gov.cn/#/query/webSearch?code=53000002000000"], "{file}");
        assert_eq!(link("网站地图"), ["/sitemap/"], "{file}");
        assert_eq!(
            link("我为政府网站找错"),
            ["https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteId.action?sitecode=5300000000"],
            "{file}"
        );
        assert_eq!(link("政府信息公开指南"), ["/guide/"], "{file}: the footer keeps its links");
        // The red mark, first in the footer, links to the address the office was given.
        assert_eq!(select_attrs(&page, "footer .footer-mark a img", "src"), ["/files/identity/conac.svg"], "{file}");
        assert_eq!(select_attrs(&page, "footer .footer-mark a img", "alt"), ["党政机关网站标识"], "{file}");
        assert_eq!(
            select_attrs(&page, "footer .footer-mark a", "href"),
            ["https://bszs.conac.cn/sitename?method=show&id=000000000000000000000000"],
            "{file}"
        );
        assert_eq!(select_attrs(&page, "footer img.police-mark", "src"), ["/files/identity/police.svg"], "{file}");
    }
    assert!(out.path().join("public/files/identity/conac.svg").is_file(), "the mark is published with the site");
}

#[test]
fn optional_lines_are_left_out_and_sponsor_defaults_to_organization() {
    let site = TestSite::basic();
    site.build_ok();
    let page = html(&site.output("index.html"));
    let footer = select_texts(&page, "footer").join("");
    assert!(footer.contains("主办单位:测试市生态环境局"), "{footer}");
    for absent in ["承办单位", "邮编", "我为政府网站找错"] {
        assert!(!footer.contains(absent), "{absent} is shown though not set: {footer}");
    }
    assert!(select_attrs(&page, "footer img", "src").is_empty(), "no mark without conac_image");
    // The fixture writes its marks as dotted keys (identity.icp = …), which work as well.
    assert_eq!(meta(&page, "SiteIDCode").as_deref(), Some("1100000001"));
}

/// The fixture's settings without their [identity] marks.
fn without_identity(site: &TestSite) -> String {
    let settings: String = site.read_source("content/site.toml").lines().filter(|l| !l.starts_with("identity.")).map(|l| format!("{l}\n")).collect();
    site.write("content/site.toml", &settings);
    settings
}

#[test]
fn check_warns_for_each_missing_mark_naming_site_toml_and_the_key() {
    let site = TestSite::basic();
    without_identity(&site);
    let warnings = site.warnings();
    for (key, example) in [
        ("site_id_code", "site_id_code = \""),
        ("icp", "icp = \"滇ICP备05000001号\""),
        ("police_record", "police_record = \"滇公网安备53010202000001号\""),
        ("address", "address = \""),
        ("phone", "phone = \""),
        ("email", "email = \""),
    ] {
        assert_reported(&warnings, &format!("content/site.toml: warning: [identity] has no `{key}`"), &format!("write {example}"));
    }
    assert_eq!(warnings.len(), 6, "one warning per missing mark: {warnings:?}");
    // Without the marks the site still builds, for a preview.
    site.build_ok();
}

#[test]
fn placeholders_and_malformed_marks_are_warned_at_their_line() {
    let site = TestSite::basic();
    site.edit("content/site.toml", "identity.site_id_code = \"1100000001\"", "identity.site_id_code = \"11-0000\"");
    site.edit("content/site.toml", "identity.icp = \"测ICP备00000001号\"", "identity.icp = \"请修改\"");
    site.edit("content/site.toml", "identity.police_record = \"测公网安备11000002000001号\"", "identity.police_record = \"测公网安备\"");
    let warnings = site.warnings();
    assert_reported(&warnings, "content/site.toml:10: warning: site_id_code \"11-0000\" is not a 网站标识码", "10 letters and digits: write site_id_code = \"");
    assert_line(&warnings, "content/site.toml:11: warning: `icp` still holds the placeholder 请修改: write icp = \"滇ICP备05000001号\"");
    assert_reported(&warnings, "content/site.toml:12: warning: police_record \"测公网安备\" has no number", "write police_record = ");
}

#[test]
fn unknown_identity_keys_get_a_did_you_mean() {
    let site = TestSite::basic();
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}identity.icpp = \"x\"\n"));
    let line = settings.lines().count() + 1;
    assert_line(&site.warnings(), &format!("content/site.toml:{line}: warning: unknown setting `identity.icpp` is ignored (did you mean `identity.icp`?)"));
}

#[test]
fn a_missing_mark_image_is_an_error_at_its_line() {
    let site = TestSite::basic();
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}identity.conac_image = \"files/identity/conac.png\"\n"));
    let line = settings.lines().count() + 1;
    assert_line(
        &site.errors(),
        &format!("content/site.toml:{line}: conac_image \"files/identity/conac.png\" does not exist: put the file at content/files/identity/conac.png"),
    );
    site.write("content/files/identity/conac.png", b"\x89PNG\r\n");
    site.build_ok();
    assert_eq!(select_attrs(&html(&site.output("index.html")), "footer .footer-mark img", "src"), ["/files/identity/conac.png"]);
}

#[test]
fn a_mark_link_that_is_not_a_web_address_is_an_error() {
    let site = TestSite::basic();
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}identity.error_report_url = \"javascript:alert(1)\"\n"));
    let line = settings.lines().count() + 1;
    assert_reported(&site.errors(), &format!("content/site.toml:{line}: `error_report_url` must be a web address"), "https://");
}

#[test]
fn a_category_may_name_its_column_type() {
    let site = TestSite::basic();
    site.edit("content/directory/2023.md", "name = \"政策法规\"", "name = \"政策法规\"\ncolumn_type = \"人事信息\"");
    site.build_ok();
    let column_type = |file: &str| meta(&html(&site.output(file)), "ColumnType");
    assert_eq!(column_type("catalogue/zcfg/index.html").as_deref(), Some("人事信息"), "named in the directory");
    assert_eq!(column_type("catalogue/gfxwj/index.html").as_deref(), Some("政策文件"), "the nearest category decides: its own name");
    site.edit("content/directory/2023.md", "name = \"行政规范性文件\"", "name = \"行政规范性文件\"\ncolumn_type = \"政策解读\"");
    site.build_ok();
    assert_eq!(column_type("catalogue/gfxwj/index.html").as_deref(), Some("政策解读"), "its own column_type before its name");
    assert_eq!(column_type("docs/policy/index.html").as_deref(), Some("政策解读"), "a document has its category's type");
    site.edit("content/directory/2023.md", "column_type = \"政策解读\"", "column_type = \"解读\"");
    assert_reported(&site.errors(), "content/directory/2023.md:", "column_type \"解读\" is not a 栏目类型");
}

#[test]
fn strict_check_and_build_fail_on_warnings_and_build_writes_nothing() {
    let site = TestSite::basic();
    site.build_ok();
    let before = site.output_snapshot();
    without_identity(&site);
    assert!(site.cli(&["check"]).status.success(), "warnings alone do not fail a check");

    let check = site.cli(&["check", "--strict"]);
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("content/site.toml: [identity] has no `icp`"), "the warning is reported as an error: {stderr}");

    let json = site.cli(&["check", "--strict", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(report["ok"], false);
    assert_eq!(report["warnings"], 0);
    // The inspector's findings on how up to date the fixture is depend on the day the test runs.
    let identity = report["diagnostics"].as_array().unwrap().iter().filter(|d| !timely_json(d)).count();
    assert_eq!(identity, 6, "{report}");

    let build = site.cli(&["build", "--strict"]);
    assert_eq!(build.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&build.stderr).contains("nothing was written"));
    assert_eq!(site.output_snapshot(), before, "a strict build that fails writes nothing");
    assert!(site.cli(&["build"]).status.success(), "without --strict the same site builds");
}

#[test]
fn strict_makes_every_warning_an_error_not_only_the_marks() {
    let site = TestSite::basic();
    site.edit("content/docs/policy.md", "category = \"gfxwj\"", "category = \"gfxwj\"\ndocno = \"某环发〔2023〕1号\"");
    assert_reported(&site.warnings(), "content/docs/policy.md:", "unknown key `docno` is ignored");
    let strict = site.cli(&["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.contains("content/docs/policy.md:") && stderr.contains("unknown key `docno`"), "{stderr}");
    assert!(!stderr.contains("warning:"), "every warning is reported as an error: {stderr}");
}
