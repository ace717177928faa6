//! A platform (集约化): the basic fixture as the owner, with a department that files by
//! the owner's directory and a town with a directory of its own.

use crate::util::*;

const GUIDE: &str = "+++\ntitle = \"政府信息公开指南\"\nversion = \"2023\"\neffective = 2023-01-01\n+++\n\n## 依申请公开\n\n向本机关申请。\n";

pub(crate) fn platform() -> TestSite {
    let site = TestSite::basic();
    site.write("content/departments/jyj/department.toml", "name = \"测试县教育局\"\norg_code = \"22222222-2\"\norder = 2\n");
    site.write("content/departments/jyj/guide/2023.md", GUIDE);
    site.write(
        "content/departments/jyj/docs/2023/notice.md",
        "+++\ntitle = \"教育局关于招生的通知\"\nindex_no = \"22222222-2-/2023-0401001\"\ncategory = \"gfxwj\"\ndate = 2023-04-01\nattachments = [\"files/2023/招生简章.pdf\"]\n+++\n\n招生。\n",
    );
    site.write("content/departments/jyj/files/2023/招生简章.pdf", "%PDF-1.4 招生");
    site.write("content/departments/jyj/reports/2023.md", "+++\ntitle = \"测试县教育局2023年政府信息公开工作年度报告\"\nindex_no = \"22222222-2-/2024-0120001\"\ndate = 2024-01-20\nyear = 2023\n+++\n\n总体情况。\n");
    site.write("content/departments/town-a/department.toml", "name = \"测试镇人民政府\"\norg_code = \"33333333-3\"\nkind = \"乡镇\"\norder = 1\n");
    site.write("content/departments/town-a/guide/2023.md", GUIDE);
    site.write(
        "content/departments/town-a/directory/2023.md",
        "+++\ntitle = \"测试镇政府信息公开目录\"\nversion = \"2023\"\neffective = 2023-01-01\n\n[[categories]]\ncode = \"czxx\"\nname = \"财政信息\"\n+++\n",
    );
    site.write(
        "content/departments/town-a/docs/budget.md",
        "+++\ntitle = \"测试镇2023年预算\"\nindex_no = \"33333333-3-/2023-0201001\"\npublisher = \"测试镇财政所\"\ncategory = \"czxx\"\ndate = 2023-02-01\n+++\n\n预算。\n",
    );
    site
}

#[test]
fn each_department_gets_its_section_at_the_contracts_addresses() {
    let site = platform();
    site.build_ok();
    for page in [
        "bm/jyj/index.html",
        "bm/jyj/docs/2023/notice/index.html",
        "bm/jyj/catalogue/index.html",
        "bm/jyj/catalogue/gfxwj/index.html",
        "bm/jyj/guide/index.html",
        "bm/jyj/guide/2023/index.html",
        "bm/jyj/reports/index.html",
        "bm/jyj/reports/2023/index.html",
        "bm/jyj/ysqgk/index.html",
        "bm/town-a/index.html",
        "bm/town-a/directory/index.html",
        "bm/town-a/catalogue/czxx/index.html",
        "bm/town-a/docs/budget/index.html",
    ] {
        assert!(site.has_output(page), "{page} is missing");
    }
    // The owner's section is where it always was.
    assert!(site.has_output("index.html") && site.has_output("catalogue/gfxwj/index.html"));
    // A department's attachment lies in its section, and its page links it there.
    assert_eq!(site.output("bm/jyj/files/2023/招生简章.pdf"), "%PDF-1.4 招生");
    let notice = html(&site.output("bm/jyj/docs/2023/notice/index.html"));
    let links = select_attrs(&notice, "a", "href");
    assert!(links.iter().any(|l| l == "/bm/jyj/files/2023/%E6%8B%9B%E7%94%9F%E7%AE%80%E7%AB%A0.pdf"), "{links:?}");
    assert!(links.iter().any(|l| l == "/bm/jyj/catalogue/gfxwj/"), "its category within its section: {links:?}");
}

#[test]
fn a_departments_documents_default_to_its_name_as_publisher_and_stay_in_its_catalogue() {
    let site = platform();
    site.build_ok();
    let notice = site.output("bm/jyj/docs/2023/notice/index.html");
    assert!(notice.contains("测试县教育局"), "publisher defaults to the department's name");
    let own = site.output("bm/jyj/catalogue/index.html");
    assert!(own.contains("教育局关于招生的通知") && !own.contains("测试镇2023年预算"));
    let owners = site.output("catalogue/index.html");
    assert!(!owners.contains("教育局关于招生的通知"), "the owner's catalogue holds the owner's documents");
    // The platform's home page shows the newest documents of every body.
    assert!(site.output("index.html").contains("教育局关于招生的通知"));
    let home = site.output("bm/jyj/index.html");
    assert!(home.contains("<h1>测试县教育局政府信息公开</h1>"), "{home}");
}

#[test]
fn a_department_without_a_directory_files_by_the_owners_and_one_with_its_own_by_that() {
    let site = platform();
    // gfxwj is the owner's category: fine for jyj, which has no directory, not for the town.
    site.write(
        "content/departments/town-a/docs/rule.md",
        "+++\ntitle = \"测试镇规定\"\nindex_no = \"33333333-3-/2023-0301001\"\ncategory = \"gfxwj\"\ndate = 2023-03-01\n+++\n\n规定。\n",
    );
    assert_reported(
        &site.errors(),
        "content/departments/town-a/docs/rule.md:4: category \"gfxwj\" is not in the current directory (content/departments/town-a/directory/2023.md)",
        "",
    );
    let site = platform();
    site.build_ok();
    let jyj_home = html(&site.output("bm/jyj/index.html"));
    let links = select_attrs(&jyj_home, ".entries a", "href");
    assert!(links.contains(&"/directory/".to_string()), "the owner's directory is the one that applies: {links:?}");
}

#[test]
fn an_index_number_used_in_two_departments_is_an_error_naming_both_files() {
    let site = platform();
    site.edit("content/departments/town-a/docs/budget.md", "33333333-3-/2023-0201001", "22222222-2-/2023-0401001");
    let errors = site.errors().join("\n");
    assert!(errors.contains("content/departments/town-a/docs/budget.md") && errors.contains("content/departments/jyj/docs/2023/notice.md"), "{errors}");
}

#[test]
fn department_toml_is_typed_with_did_you_mean_and_a_folder_without_it_is_an_error() {
    let site = platform();
    site.write("content/departments/jyj/department.toml", "name = \"测试县教育局\"\norgcode = \"22222222-2\"\nkind = \"局\"\n");
    let errors = site.errors();
    assert_reported(&errors, "content/departments/jyj/department.toml:", "`org_code` is required");
    assert_reported(&errors, "content/departments/jyj/department.toml:3:", "kind \"局\" is not \"部门\"");
    assert!(!errors.iter().any(|e| e.contains("missing")), "a department.toml with errors is not missing: {errors:?}");
    let site = platform();
    site.write("content/departments/jyj/department.toml", "name = \"测试县教育局\"\norg_code = \"22222222-2\"\nordr = 2\n");
    let warnings = site.warnings();
    assert!(warnings.iter().any(|w| w.contains("content/departments/jyj/department.toml:3") && w.contains("did you mean `order`")), "{warnings:?}");

    let site = platform();
    site.write("content/departments/wsj/docs/a.md", "+++\ntitle = \"a\"\n+++\n");
    assert_reported(&site.errors(), "content/departments/wsj/department.toml: missing", "name =");
}

#[test]
fn a_departments_pages_carry_its_name_its_navigation_and_breadcrumbs_through_it() {
    let site = platform();
    site.build_ok();
    let page = html(&site.output("bm/jyj/docs/2023/notice/index.html"));
    assert_eq!(select_texts(&page, "title"), ["教育局关于招生的通知 - 测试县教育局 - 测试市生态环境局政府信息公开"]);
    assert_eq!(select_texts(&page, ".site-title .site-section"), ["测试县教育局"]);
    let nav = select_attrs(&page, ".site-nav a", "href");
    assert_eq!(nav.first().map(String::as_str), Some("/bm/jyj/"), "the section's own 首页 first: {nav:?}");
    assert!(nav.contains(&"/bm/jyj/guide/".to_string()) && nav.contains(&"/directory/".to_string()), "{nav:?}");
    let crumbs = select_attrs(&page, ".breadcrumbs a", "href");
    assert_eq!(&crumbs[..3], ["/", "/bm/jyj/", "/bm/jyj/catalogue/"], "{crumbs:?}");
    // The owner's pages are as before: no section name.
    let owner = html(&site.output("docs/policy/index.html"));
    assert!(select_texts(&owner, ".site-title .site-section").is_empty());
}

#[test]
fn the_department_index_and_the_home_page_list_departments_then_towns_in_order() {
    let site = platform();
    site.build_ok();
    let index = html(&site.output("bm/index.html"));
    assert_eq!(select_texts(&index, "caption"), ["部门", "乡镇"]);
    assert_eq!(select_texts(&index, "tbody th a"), ["测试县教育局", "测试镇人民政府"]);
    let rows = select_texts(&index, "tbody tr");
    assert!(rows[0].contains("2 条") && rows[0].contains("2024-01-20") && rows[0].contains("2023 年度"), "{rows:?}");
    let links = select_attrs(&index, "tbody a", "href");
    for link in ["/bm/jyj/guide/", "/directory/", "/bm/jyj/reports/2023/", "/bm/town-a/directory/"] {
        assert!(links.contains(&link.to_string()), "{link} in {links:?}");
    }
    let home = html(&site.output("index.html"));
    assert_eq!(select_texts(&home, "table.bodies tbody th a"), ["测试县教育局", "测试镇人民政府"]);
}

#[test]
fn the_report_overview_lists_every_body_and_marks_a_missing_report_which_check_warns_about() {
    let site = platform();
    site.build_ok();
    let overview = html(&site.output("ndbg/2023/index.html"));
    let rows = select_texts(&overview, "tbody tr");
    assert_eq!(rows.len(), 3, "the owner, the department and the town: {rows:?}");
    assert!(rows.iter().any(|r| r.contains("测试县教育局") && r.contains("2023年政府信息公开工作年度报告")), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("测试镇人民政府") && r.contains("未发布")), "{rows:?}");
    assert!(site.has_output("ndbg/2021/index.html") && site.has_output("ndbg/2022/index.html"), "every year from the first report");
    let warnings = site.warnings();
    assert!(
        warnings.iter().any(|w| w.starts_with("content/departments/town-a/department.toml: warning: 测试镇人民政府 has no 2023 annual report")
            && w.contains("2024-01-31") && w.contains("content/departments/town-a/reports/2023.md")),
        "{warnings:?}"
    );
}

#[test]
fn check_json_gives_each_diagnostic_of_a_department_its_code() {
    let site = platform();
    site.edit("content/departments/town-a/docs/budget.md", "category = \"czxx\"", "category = \"nosuch\"");
    let out = site.cli(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let budget = diagnostics.iter().find(|d| d["file"] == "content/departments/town-a/docs/budget.md").expect("the category error");
    assert_eq!(budget["department"], "town-a");
    // Not the inspector's findings on categories of the owner's directory, which a department may file by.
    let owner = diagnostics
        .iter()
        .find(|d| !timely_json(d) && d["file"].as_str().is_some_and(|f| !f.contains("departments")))
        .expect("an owner's warning");
    assert!(owner.get("department").is_none(), "the owner's have none: {owner}");
}

#[test]
fn catalogue_json_names_each_documents_department_and_each_department_has_its_feed() {
    let site = platform();
    site.build_ok();
    let catalogue: serde_json::Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    let entry = |title: &str| catalogue.as_array().unwrap().iter().find(|e| e["title"] == title).cloned().unwrap();
    assert_eq!(entry("教育局关于招生的通知")["department"], serde_json::json!({"code": "jyj", "name": "测试县教育局"}));
    assert!(entry("测试市生态环境局关于旧办法的通知").get("department").is_none(), "the owner's documents have none");
    let feed = site.output("bm/jyj/atom.xml");
    assert!(feed.contains("教育局关于招生的通知") && !feed.contains("测试镇2023年预算") && !feed.contains("旧办法"), "{feed}");
    let platform_feed = site.output("atom.xml");
    assert!(platform_feed.contains("教育局关于招生的通知") && platform_feed.contains("测试镇2023年预算"));
    let page = html(&site.output("bm/jyj/index.html"));
    assert_eq!(select_attrs(&page, "link[rel=alternate]", "href"), ["/bm/jyj/atom.xml"]);
}

#[test]
fn a_departments_header_search_box_searches_it_with_a_switch_and_the_owners_searches_all() {
    let site = platform();
    site.build_ok();
    for page in ["bm/jyj/index.html", "bm/jyj/docs/2023/notice/index.html", "bm/jyj/guide/index.html"] {
        let page = html(&site.output(page));
        // A ticked box sends department=jyj; unticked, the form searches the whole site.
        assert_eq!(select_attrs(&page, ".header-search input[name]", "name"), ["q", "department"]);
        assert_eq!(select_attrs(&page, ".header-search label > input[type=checkbox][checked]", "value"), ["jyj"]);
        assert_eq!(select_texts(&page, ".header-search label.search-scope"), ["仅搜索测试县教育局"]);
    }
    let town = html(&site.output("bm/town-a/index.html"));
    assert_eq!(select_attrs(&town, ".header-search input[type=checkbox]", "value"), ["town-a"]);
    for owner in ["index.html", "docs/policy/index.html", "bm/index.html", "ndbg/2023/index.html", "search/index.html"] {
        let page = html(&site.output(owner));
        assert_eq!(select_attrs(&page, ".header-search input[name]", "name"), ["q"], "{owner}");
    }
}
