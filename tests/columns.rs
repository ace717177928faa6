//! The 政府信息公开 column as 国办公开办函〔2019〕61号 lays it out: the navigation and the
//! home page's items, renamed or left out through `[columns]`; the 依申请公开 page
//! `/ysqgk/`, from `content/apply.md` or else from the guide; the site map `/sitemap/`.

use crate::util::*;

const SETTINGS: &str = "content/site.toml";
const RULES: &str = "columns.rules_category = \"zcfg\"";
const APPLY: &str = "content/apply.md";

/// The six items of the rules, in their order, then the work plans.
const ITEMS: [(&str, &str); 7] = [
    ("政府信息公开指南", "/guide/"),
    ("政府信息公开制度", "/catalogue/zcfg/"),
    ("法定主动公开内容", "/catalogue/"),
    ("政府信息公开年报", "/reports/"),
    ("政府信息公开目录", "/directory/"),
    ("依申请公开", "/ysqgk/"),
    ("工作要点", "/plans/"),
];

fn links(page: &scraper::Html, selector: &str) -> Vec<(String, String)> {
    let texts = select_texts(page, selector);
    let hrefs = select_attrs(page, selector, "href");
    texts.into_iter().zip(hrefs).collect()
}

fn expected(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(t, u)| (t.to_string(), u.to_string())).collect()
}

#[test]
fn the_navigation_and_the_home_page_list_the_six_items_in_order() {
    let site = TestSite::basic();
    site.build_ok();
    for page in ["index.html", "docs/policy/index.html", "ysqgk/index.html", "sitemap/index.html"] {
        let nav = links(&html(&site.output(page)), ".site-nav a");
        let mut want = vec![("首页".to_string(), "/".to_string())];
        want.extend(expected(&ITEMS));
        assert_eq!(nav, want, "the navigation of {page}");
    }
    let home = links(&html(&site.output("index.html")), ".entries a");
    assert_eq!(home, expected(&ITEMS), "the home page's 公开导航");
}

#[test]
fn columns_can_be_renamed_and_left_out_and_leaving_out_a_required_one_is_warned_at_its_key() {
    let site = TestSite::basic();
    site.edit(SETTINGS, RULES, &format!("columns.guide = \"信息公开指南\"\ncolumns.apply = false\ncolumns.plans = false\n{RULES}"));
    let line = site.read_source(SETTINGS).lines().position(|l| l.starts_with("columns.apply")).unwrap() + 1;
    let warnings = site.warnings();
    assert_reported(&warnings, &format!("content/site.toml:{line}: warning: `columns.apply = false` leaves 依申请公开 out"), "delete the line");
    assert_eq!(warnings.len(), 1, "leaving out the work plans, which the rules do not ask for, is not warned about: {warnings:?}");
    site.build_ok();
    let nav = links(&html(&site.output("index.html")), ".site-nav a");
    let titles: Vec<&str> = nav.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(titles, ["首页", "信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "政府信息公开目录"]);
    let home: Vec<String> = select_texts(&html(&site.output("index.html")), ".entries a");
    assert_eq!(home, &titles[1..]);
    assert!(site.has_output("ysqgk/index.html"), "an item left out of the navigation keeps its page");
    let map = select_texts(&html(&site.output("sitemap/index.html")), ".site-map h2 a");
    assert!(map.iter().any(|t| t == "依申请公开") && map.iter().any(|t| t == "信息公开指南"), "the site map lists every column: {map:?}");
}

#[test]
fn columns_settings_are_checked_with_did_you_mean() {
    let site = TestSite::basic();
    site.edit(SETTINGS, RULES, &format!("columns.guid = \"指南\"\ncolumns.reports = 2\n{RULES}"));
    let text = site.read_source(SETTINGS);
    let line = |key: &str| text.lines().position(|l| l.starts_with(key)).unwrap() + 1;
    let errors = site.errors();
    assert_reported(&errors, &format!("content/site.toml:{}: `columns.reports` should be the item's name in quotes", line("columns.reports")), "or false to leave it out, not 2");
    match gongkai::check(site.root(), &gongkai::LoadOptions::default()) {
        Err(gongkai::Error::Invalid { diagnostics }) => {
            let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
            assert_line(&lines, &format!("content/site.toml:{}: warning: unknown setting `columns.guid` is ignored (did you mean `columns.guide`?)", line("columns.guid")));
        }
        other => panic!("expected errors, got {:?}", other.map(|l| l.warnings)),
    }
}

#[test]
fn the_rules_category_is_the_one_named_or_the_only_one_called_zhidu() {
    let site = TestSite::basic();
    site.edit(SETTINGS, RULES, "columns.rules_category = \"zcgf\"");
    let line = site.read_source(SETTINGS).lines().position(|l| l.contains("zcgf")).unwrap() + 1;
    assert_line(
        &site.errors(),
        &format!("content/site.toml:{line}: columns.rules_category \"zcgf\" is not a category of the current directory (content/directory/2023.md) (did you mean \"zcfg\", 政策法规?)"),
    );

    site.edit(SETTINGS, "columns.rules_category = \"zcgf\"\n", "");
    let warnings = site.warnings();
    assert_reported(&warnings, "content/site.toml: warning: no category of the current directory has 制度 in its name", "set rules_category = \"<code>\"");
    site.build_ok();
    let nav = select_texts(&html(&site.output("index.html")), ".site-nav a");
    assert!(!nav.iter().any(|t| t == "政府信息公开制度"), "without a rules category the item is left out: {nav:?}");

    site.edit("content/directory/2023.md", "name = \"政策法规\"", "name = \"政策法规和工作制度\"");
    assert!(site.warnings().is_empty(), "{:?}", site.warnings());
    site.build_ok();
    let nav = links(&html(&site.output("index.html")), ".site-nav a");
    assert_eq!(nav[2], ("政府信息公开制度".to_string(), "/catalogue/zcfg/".to_string()), "the only category named …制度 is found: {nav:?}");
}

#[test]
fn the_apply_page_shows_its_forms_addresses_and_online_system_as_leaving_the_site() {
    let site = TestSite::basic();
    site.build_under("/xxgk/");
    let page = html(&site.output("ysqgk/index.html"));
    assert_eq!(select_texts(&page, "h1"), ["依申请公开"]);
    let forms = links(&page, ".attachments a");
    assert_eq!(forms, [("申请表.txt".to_string(), "/xxgk/files/ysqgk/%E7%94%B3%E8%AF%B7%E8%A1%A8.txt".to_string())]);
    assert!(site.has_output("files/ysqgk/申请表.txt"), "the form is copied");
    let info = select_texts(&page, ".info-list dd").join("\n");
    for part in ["测试市测试大道1号市级行政中心3楼301室", "周一至周五", "测试市生态环境局办公室(收)", "邮政编码 100000", "0000-1234567"] {
        assert!(info.contains(part), "{part} is missing from {info}");
    }
    let sel = scraper::Selector::parse(".info-list a").unwrap();
    let online = page.select(&sel).next().expect("the online system is linked");
    assert_eq!(online.value().attr("href"), Some("https://www.example.gov.cn/ysqgk/"));
    assert_eq!(online.value().attr("target"), None, "opened in the same tab");
    assert!(online.text().collect::<String>().contains("将离开本站"), "labelled as leaving the site");
    assert_eq!(select_texts(&page, ".doc-body h2"), ["申请方式"]);
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("/xxgk/ysqgk/</loc>") && sitemap.contains("/xxgk/sitemap/</loc>"), "{sitemap}");
}

#[test]
fn apply_md_is_checked_at_each_line() {
    let site = TestSite::basic();
    site.edit(APPLY, "online_url = \"https://www.example.gov.cn/ysqgk/\"", "online_url = \"javascript:alert(1)\"");
    site.edit(APPLY, "postal_code = \"100000\"", "postal_code = \"10000\"");
    site.edit(APPLY, "files/ysqgk/申请表.txt", "files/ysqgk/没有.docx");
    site.edit(APPLY, "address = ", "adress = ");
    let errors = site.errors();
    assert_line(&errors, "content/apply.md:3: attachment \"files/ysqgk/没有.docx\" does not exist: put the file at content/files/ysqgk/没有.docx");
    assert_reported(&errors, "content/apply.md:8: postal_code \"10000\" is not a postcode", "six digits");
    assert_reported(&errors, "content/apply.md:10: online_url \"javascript:alert(1)\" must be the address", "https://");
    let all = match gongkai::check(site.root(), &gongkai::LoadOptions::default()) {
        Err(gongkai::Error::Invalid { diagnostics }) => diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        _ => panic!("expected errors"),
    };
    assert_line(&all, "content/apply.md:4: warning: unknown key `adress` is ignored (did you mean `address`?)");
}

#[test]
fn without_apply_md_check_warns_and_the_page_shows_the_guides_section() {
    let site = TestSite::basic();
    site.remove(APPLY);
    let warnings = site.warnings();
    assert_reported(&warnings, "content/apply.md: warning: missing, so /ysqgk/ (依申请公开) only repeats the guide's", "forms (the 申请表 under content/files/)");
    site.build_ok();
    let page = html(&site.output("ysqgk/index.html"));
    assert_eq!(select_texts(&page, "h1"), ["依申请公开"]);
    assert_eq!(select_texts(&page, ".doc-body h2"), ["二、依申请公开"], "the guide's section and no other");
    assert!(select_texts(&page, ".doc-body p").iter().any(|p| p.contains("受理机构:测试市生态环境局办公室")));
    let to_guide = links(&page, ".notice a");
    assert_eq!(to_guide, [("测试市生态环境局政府信息公开指南".to_string(), "/guide/".to_string())]);

    // A guide without such a section: a short text and the link.
    site.edit("content/guide/2023.md", "## 二、依申请公开", "## 二、申请获取信息");
    site.build_ok();
    let page = html(&site.output("ysqgk/index.html"));
    assert!(select_texts(&page, ".doc-body").is_empty(), "nothing is taken from the guide");
    assert!(select_texts(&page, ".notice").iter().any(|t| t.starts_with("申请的方式、渠道和期限见")));
    assert_eq!(links(&page, ".notice a")[0].1, "/guide/");
}

/// The file a site-relative link leads to in the output of a site built under `base`.
fn output_file(href: &str, base: &str) -> Option<String> {
    let path = href.split('#').next()?.strip_prefix(base)?;
    let path = percent_encoding::percent_decode_str(path).decode_utf8().ok()?.into_owned();
    Some(if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path })
}

#[test]
fn the_site_map_lists_every_column_and_every_link_on_it_resolves() {
    let site = TestSite::basic();
    site.write("content/guide/2019.md", "+++\ntitle = \"旧版指南\"\nversion = \"2019\"\neffective = 2019-05-15\n+++\n\n旧版正文。\n");
    site.build_under("/xxgk/");
    let page = html(&site.output("sitemap/index.html"));
    assert_eq!(select_texts(&page, "h1"), ["网站地图"]);
    let hrefs = select_attrs(&page, "main a", "href");
    for want in [
        "/xxgk/", "/xxgk/guide/", "/xxgk/guide/2023/", "/xxgk/guide/2019/", "/xxgk/guide/2023/changes/", "/xxgk/catalogue/zcfg/",
        "/xxgk/catalogue/", "/xxgk/catalogue/gfxwj/", "/xxgk/catalogue/ndbg/", "/xxgk/reports/", "/xxgk/reports/2021/",
        "/xxgk/directory/", "/xxgk/directory/2023/", "/xxgk/ysqgk/", "/xxgk/plans/", "/xxgk/plans/2022/", "/xxgk/search/",
    ] {
        assert!(hrefs.iter().any(|h| h == want), "the site map has no link to {want}: {hrefs:?}");
    }
    for href in &hrefs {
        let file = output_file(href, "/xxgk/").unwrap_or_else(|| panic!("{href} is not a link into the site"));
        assert!(site.has_output(&file), "{href} leads to no built file ({file})");
    }
    let counts = select_texts(&page, ".tree li");
    assert!(counts.contains(&"行政规范性文件 (3)".to_string()), "categories carry their document counts: {counts:?}");
}
