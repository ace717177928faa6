//! Versioned pages: every version at its own URL, the current one at the stable URL,
//! and what changed between consecutive versions.

use crate::util::*;

const GUIDE_2019: &str = "+++\ntitle = \"指南(2019年版)\"\nversion = \"2019\"\neffective = 2019-05-15\nsummary = \"首版\"\n+++\n\n## 一、主动公开\n\n本机关主动公开的政府信息,通过政府网站公开。\n\n## 二、依申请公开\n\n受理机构:测试市生态环境局办公室,电话 0000-7654321。\n\n办公时间:工作日上午9:00至12:00。\n\n## 三、旧的章节\n\n这一节在新版中删除。\n";

fn with_three_guides() -> TestSite {
    let site = TestSite::basic();
    site.write("content/guide/2019.md", GUIDE_2019);
    let guide_2025 = site.read_source("content/guide/2023.md")
        .replace("version = \"2023\"", "version = \"2025\"")
        .replace("effective = 2023-01-01", "effective = 2025-01-01")
        .replace("电话 0000-1234567", "电话 0000-1112222")
        + "\n## 三、监督和救济\n\n可以向上一级行政机关投诉。\n";
    site.write("content/guide/2025.md", guide_2025);
    site
}

#[test]
fn three_versions_each_at_its_own_url_with_the_newest_at_the_stable_one() {
    let site = with_three_guides();
    site.build_ok();
    let stable = html(&site.output("guide/index.html"));
    assert_eq!(select_attrs(&stable, "link[rel=canonical]", "href"), ["/guide/2025/"]);
    assert!(select_texts(&stable, ".notice-history").is_empty());
    let middle = html(&site.output("guide/2023/index.html"));
    let banner = select_texts(&middle, ".notice-history");
    assert!(banner[0].starts_with("此为历史版本(2023年1月1日起施行),现行版本见"), "{banner:?}");
    assert_eq!(select_attrs(&middle, ".prev-next a[rel=prev]", "href"), ["/guide/2019/"]);
    assert_eq!(select_attrs(&middle, ".prev-next a[rel=next]", "href"), ["/guide/2025/"]);
    assert_eq!(select_attrs(&middle, ".versions a.version", "href"), ["/guide/2025/", "/guide/2023/", "/guide/2019/"]);
    assert!(select_texts(&middle, ".versions li").iter().any(|t| t.contains("2019-05-15 起施行") && t.contains("首版")));
    assert!(site.has_output("guide/2023/changes/index.html") && site.has_output("guide/2025/changes/index.html"));
    assert!(!site.has_output("guide/2019/changes/index.html"), "the first version has nothing to compare with");
}

#[test]
fn a_guide_changes_page_shows_exactly_the_changed_sentence() {
    let site = with_three_guides();
    site.build_ok();
    let page = html(&site.output("guide/2025/changes/index.html"));
    // Only the phone number changed in the old sections; nothing was deleted but it.
    assert_eq!(select_texts(&page, "section.change-changed ins"), ["0000-1112222"]);
    assert_eq!(select_texts(&page, "section del"), ["0000-1234567"]);
    assert_eq!(select_texts(&page, "section.change-added ins"), ["三、监督和救济", "可以向上一级行政机关投诉。"]);
    // The new section is marked as added, in words.
    let added = select_texts(&page, "section.change-added h2");
    assert_eq!(added, ["[新增章节]三、监督和救济"]);
    // Text labels, not colour alone.
    assert!(select_texts(&page, ".diff-label").iter().any(|l| l == "[新增]"));
    assert!(select_texts(&page, ".diff-label").iter().any(|l| l == "[删除]"));

    let older = html(&site.output("guide/2023/changes/index.html"));
    assert!(select_texts(&older, "section.change-removed h2").iter().any(|h| h.contains("三、旧的章节")));
    let del: Vec<String> = select_texts(&older, "section.change-changed del");
    assert!(del.contains(&"0000-7654321".to_string()), "{del:?}");
}

#[test]
fn a_directory_changes_page_lists_added_removed_renamed_and_moved_categories() {
    let site = TestSite::basic();
    let old = site.read_source("content/directory/2023.md")
        .replace("version = \"2023\"", "version = \"2019\"")
        .replace("effective = 2023-01-01", "effective = 2019-01-01")
        .replace("name = \"年度报告\"", "name = \"年报\"")
        .replace("deadline = \"形成之日起20个工作日内\"", "deadline = \"形成之日起15个工作日内\"")
        // In 2019 gfxwj sat under ghjh; zcfg did not exist; jgsz did.
        .replace("[[categories]]\ncode = \"zcfg\"\nname = \"政策法规\"\n[[categories.children]]\ncode = \"gfxwj\"", "[[categories.children]]\ncode = \"gfxwj\"")
        .replace("[[categories]]\ncode = \"ghjh\"", "[[categories]]\ncode = \"jgxx\"\nname = \"机构信息\"\n[[categories.children]]\ncode = \"jgsz\"\nname = \"机构设置\"\n\n[[categories]]\ncode = \"ghjh\"");
    site.write("content/directory/2019.md", old);
    site.build_ok();
    let page = html(&site.output("directory/2023/changes/index.html"));
    let rows: Vec<String> = {
        let sel = scraper::Selector::parse("table.directory-changes tbody tr").unwrap();
        page.select(&sel).map(|r| r.text().filter(|t| !t.trim().is_empty()).map(str::trim).collect::<Vec<_>>().join("|")).collect()
    };
    assert_eq!(
        rows,
        [
            "gzjh|工作计划|公开时限|形成之日起15个工作日内|形成之日起20个工作日内",
            "ndbg|年度报告|类目名称|年报|年度报告",
            "zcfg|政策法规|新增类目|(顶级)",
            "gfxwj|行政规范性文件|所属类目|规划计划|政策法规",
            "jgxx|机构信息|删除类目|(顶级)",
            "jgsz|机构设置|删除类目|机构信息",
        ]
    );
}

#[test]
fn plans_and_reports_link_their_years_and_each_other() {
    let site = TestSite::basic();
    let plan_2021 = site.read_source("content/plans/2022.md").replace("2022", "2021").replace("0412001", "0301001");
    site.write("content/plans/2021.md", plan_2021);
    site.build_ok();
    let plans = html(&site.output("plans/index.html"));
    assert_eq!(select_attrs(&plans, ".years li a", "href"), ["/plans/2022/", "/plans/2021/"]);
    let p2021 = html(&site.output("plans/2021/index.html"));
    assert_eq!(select_attrs(&p2021, ".years a[rel=next]", "href"), ["/plans/2022/"]);
    assert!(select_attrs(&p2021, ".years a[rel=prev]", "href").is_empty());
    // The 2021 plan and the 2021 report point at each other.
    assert_eq!(select_attrs(&p2021, ".counterpart a", "href"), ["/reports/2021/"]);
    let r2021 = html(&site.output("reports/2021/index.html"));
    assert_eq!(select_attrs(&r2021, ".counterpart a", "href"), ["/plans/2021/"]);
    let sitemap = site.output("sitemap.xml");
    for url in ["/plans/2021/", "/plans/2022/", "/reports/2021/", "/guide/2023/", "/directory/2023/"] {
        assert!(sitemap.contains(&format!("https://test.example.gov.cn{url}<")), "sitemap lacks {url}");
    }
}
