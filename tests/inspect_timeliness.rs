//! The inspector's checks on whether a site is kept up to date (compliance §7): a category
//! not updated within its `update_every` days (`stale-category`), nothing new for two weeks
//! (`stale-home`), and a category with nothing in it that does not say why (`empty-category`).
//! Each runs `check --format json` with `--today` fixed.

use serde_json::Value;

use crate::departments::platform;
use crate::util::*;

const DIRECTORY: &str = "content/directory/2023.md";
const SETTINGS: &str = "content/site.toml";

/// The findings of `check --today <today> --format json` with the code `code`.
fn findings(site: &TestSite, today: &str, code: &str) -> Vec<Value> {
    let out = site.cli(&["check", "--today", today, "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).cloned().collect()
}

/// The one finding with `code`, asserted to be a warning at `file`:`line`.
fn only(found: &[Value], file: &str, line: Option<u64>) -> Value {
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d["severity"], "warning", "{d}");
    assert_eq!(d["file"], file, "{d}");
    assert_eq!(d["line"].as_u64(), line, "{d}");
    d.clone()
}

#[test]
fn a_fresh_site_whose_categories_are_filled_and_have_no_limit_has_no_findings() {
    // The newest document is of 2023-03-05; ndbg (2022-01-20) is old, but has no limit.
    let site = TestSite::basic();
    for code in ["stale-category", "stale-home", "empty-category"] {
        assert!(findings(&site, "2023-03-10", code).is_empty(), "{code}");
    }
}

#[test]
fn a_category_older_than_its_own_update_every_is_stale_naming_age_date_and_limit() {
    let site = TestSite::basic();
    site.edit(DIRECTORY, "name = \"工作计划\"\n", "name = \"工作计划\"\nupdate_every = 30\n");
    let d = only(&findings(&site, "2023-03-10", "stale-category"), DIRECTORY, Some(11));
    assert_eq!(
        d["message"],
        "category \"gzjh\" (工作计划) of 测试市生态环境局: newest document is 332 days old (2022-04-12), more than its update_every = 30 days: \
         publish what is new in it, or raise update_every if it changes less often"
    );
    assert!(d.get("department").is_none(), "the owner's: {d}");
    // Within the limit, it is not.
    site.edit(DIRECTORY, "update_every = 30", "update_every = 332");
    assert!(findings(&site, "2023-03-10", "stale-category").is_empty());
}

#[test]
fn site_toml_defaults_apply_to_a_category_and_below_a_parent_and_the_categorys_own_value_wins() {
    let site = TestSite::basic();
    let settings = site.read_source(SETTINGS);
    site.write(SETTINGS, format!("{settings}\n[check]\nupdate_every = {{ gzjh = 30, zcfg = 3 }}\n"));
    let found = findings(&site, "2023-03-10", "stale-category");
    assert_eq!(found.len(), 2, "{found:#?}");
    let gzjh = found.iter().find(|d| d["line"] == 11).expect("gzjh, by its own code");
    assert!(gzjh["message"].as_str().unwrap().contains("more than update_every = 30 days (site.toml [check], for \"gzjh\"): publish"), "{gzjh}");
    let gfxwj = found.iter().find(|d| d["line"] == 25).expect("gfxwj, by its parent zcfg");
    assert!(gfxwj["message"].as_str().unwrap().contains("\"gfxwj\" (行政规范性文件) of 测试市生态环境局: newest document is 5 days old (2023-03-05), more than update_every = 3 days (site.toml [check], for \"zcfg\")"), "{gfxwj}");
    assert!(gfxwj["message"].as_str().unwrap().ends_with("or set update_every on the category if it changes less often"), "{gfxwj}");

    // The directory's own value wins over site.toml's.
    site.edit(DIRECTORY, "name = \"工作计划\"\n", "name = \"工作计划\"\nupdate_every = 400\n");
    let found = findings(&site, "2023-03-10", "stale-category");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["line"], 26, "gfxwj only, a line lower now");
}

#[test]
fn an_unknown_category_code_in_check_update_every_is_warned_at_its_line_with_did_you_mean() {
    let site = TestSite::basic();
    let settings = site.read_source(SETTINGS);
    let line = settings.lines().count() as u64 + 3;
    // The second names the category by its name, as editors do.
    site.write(SETTINGS, format!("{settings}\n[check]\nupdate_every.gfxj = 90\nupdate_every.\"工作计划\" = 365\n"));
    let found = findings(&site, "2023-03-10", "settings");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0]["line"].as_u64(), Some(line), "{found:#?}");
    assert_eq!(
        found[0]["message"],
        "check.update_every names \"gfxj\", which is not a category of the current directory (did you mean \"gfxwj\", 行政规范性文件?), \
         so it checks nothing: write the code of a category"
    );
    assert_eq!(found[1]["line"].as_u64(), Some(line + 1));
    assert!(found[1]["message"].as_str().unwrap().contains("names \"工作计划\", which is not a category of the current directory (did you mean \"gzjh\", 工作计划?)"));
    // A misspelt key of the table is an unknown setting, as elsewhere in site.toml.
    site.edit(SETTINGS, "update_every.\"工作计划\"", "update_evry.\"工作计划\"");
    let unknown = findings(&site, "2023-03-10", "settings");
    assert!(unknown.iter().any(|d| d["message"].as_str().unwrap().contains("(did you mean `check.update_every`?)")), "{unknown:#?}");
    // Days must be days.
    site.edit(SETTINGS, "update_every.gfxj = 90", "update_every.gfxwj = 0");
    assert_reported(&site.errors(), &format!("{SETTINGS}:{line}: "), "`check.update_every` of \"gfxwj\" = 0 must be a number of days of at least 1");
}

#[test]
fn nothing_new_for_more_than_two_weeks_is_a_stale_home_at_site_toml() {
    let site = TestSite::basic();
    assert!(findings(&site, "2023-03-19", "stale-home").is_empty(), "14 days are two weeks, not more");
    let d = only(&findings(&site, "2023-03-20", "stale-home"), SETTINGS, None);
    assert_eq!(
        d["message"],
        "nothing new on the site for 15 days: the newest document is from 2023-03-05 (content/docs/2023/reading.md), and inspectors \
         count a home page not updated for two weeks (首页不更新): publish what is new"
    );
    // A document dated later is not yet published that day.
    site.write(
        "content/docs/2023/later.md",
        "+++\ntitle = \"以后的通知\"\nindex_no = \"11111111-1-/2023-1201001\"\ncategory = \"gfxwj\"\ndate = 2023-12-01\n+++\n\n正文。\n",
    );
    let d = only(&findings(&site, "2023-03-20", "stale-home"), SETTINGS, None);
    assert!(d["message"].as_str().unwrap().starts_with("nothing new on the site for 15 days: the newest document is from 2023-03-05"), "{d}");
}

#[test]
fn a_leaf_without_documents_is_an_empty_category_unless_it_says_why() {
    let site = TestSite::basic();
    site.edit(DIRECTORY, "+++\n\n本目录", "[[categories.children]]\ncode = \"xzcf\"\nname = \"行政处罚\"\n+++\n\n本目录");
    let d = only(&findings(&site, "2023-03-10", "empty-category"), DIRECTORY, Some(29));
    assert!(
        d["message"].as_str().unwrap().starts_with("category \"xzcf\" (行政处罚) of 测试市生态环境局 has no document, and inspectors count an empty column (空白栏目)"),
        "{d}"
    );
    assert!(d["message"].as_str().unwrap().contains("empty_reason = \"…\""), "{d}");
    // Nor is an empty category stale, whatever its limit.
    site.edit(DIRECTORY, "name = \"行政处罚\"\n", "name = \"行政处罚\"\nupdate_every = 1\n");
    assert!(findings(&site, "2023-03-10", "stale-category").is_empty());

    site.edit(DIRECTORY, "update_every = 1\n", "empty_reason = \"本机关无<b>行政处罚</b>事项\"\n");
    assert!(findings(&site, "2023-03-10", "empty-category").is_empty());

    // Categories that pages which are not documents fill: the guide, the 依申请公开 page.
    site.edit(
        DIRECTORY,
        "+++\n\n本目录",
        "[[categories.children]]\ncode = \"gkzn\"\nname = \"政府信息公开指南\"\n[[categories.children]]\ncode = \"ysq\"\nname = \"依申请公开\"\n+++\n\n本目录",
    );
    assert!(findings(&site, "2023-03-10", "empty-category").is_empty());
}

#[test]
fn the_empty_reason_replaces_no_information_on_the_categorys_page_escaped() {
    let site = TestSite::basic();
    site.edit(
        DIRECTORY,
        "+++\n\n本目录",
        "[[categories.children]]\ncode = \"xzcf\"\nname = \"行政处罚\"\nempty_reason = \"本机关无<b>行政处罚</b>事项 & 权限\"\n\n[[categories.children]]\ncode = \"xzxk\"\nname = \"行政许可\"\n+++\n\n本目录",
    );
    site.build_ok();
    let page = site.output("catalogue/xzcf/index.html");
    assert_eq!(select_texts(&html(&page), "p.empty"), ["本机关无<b>行政处罚</b>事项 & 权限"], "{page}");
    assert!(page.contains("本机关无&lt;b&gt;行政处罚&lt;&#x2F;b&gt;事项 &amp; 权限") || page.contains("本机关无&lt;b&gt;行政处罚&lt;/b&gt;事项 &amp; 权限"), "{page}");
    assert!(!page.contains("本栏目暂无信息"), "{page}");
    let other = site.output("catalogue/xzxk/index.html");
    assert_eq!(select_texts(&html(&other), "p.empty"), ["本栏目暂无信息。"]);
}

#[test]
fn a_department_filing_by_the_owners_directory_carries_its_code_on_the_owners_directory_file() {
    let site = platform();
    site.edit(DIRECTORY, "name = \"行政规范性文件\"\n", "name = \"行政规范性文件\"\nupdate_every = 30\n");
    // 教育局's newest gfxwj document is of 2023-04-01, the owner's of 2023-03-05.
    let found = findings(&site, "2024-03-01", "stale-category");
    assert_eq!(found.len(), 2, "{found:#?}");
    let jyj = found.iter().find(|d| d["department"] == "jyj").expect("the department's");
    assert_eq!((jyj["file"].as_str(), jyj["line"].as_u64()), (Some(DIRECTORY), Some(25)));
    assert_eq!(
        jyj["message"],
        "category \"gfxwj\" (行政规范性文件) of 测试县教育局: newest document is 335 days old (2023-04-01), more than its update_every = 30 days: \
         publish what is new in it, or raise update_every if it changes less often"
    );
    let owner = found.iter().find(|d| d.get("department").is_none()).expect("the owner's");
    assert!(owner["message"].as_str().unwrap().contains("of 测试市生态环境局: newest document is 362 days old (2023-03-05)"), "{owner}");

    // The department has no work plan in the owner's 工作计划; the town's own directory is filled.
    let empty = findings(&site, "2024-03-01", "empty-category");
    let d = only(&empty, DIRECTORY, Some(11));
    assert_eq!(d["department"], "jyj");
    assert!(d["message"].as_str().unwrap().starts_with("category \"gzjh\" (工作计划) of 测试县教育局 has no document"), "{d}");

    // Each department's section: the town's newest is of 2023-02-01, the 教育局's of 2024-01-20.
    let home = findings(&site, "2024-03-01", "stale-home");
    let files: Vec<(&str, Option<&str>)> = home.iter().map(|d| (d["file"].as_str().unwrap(), d["department"].as_str())).collect();
    assert_eq!(
        files,
        [
            ("content/departments/jyj/department.toml", Some("jyj")),
            ("content/departments/town-a/department.toml", Some("town-a")),
            (SETTINGS, None),
        ]
    );
    assert!(home[0]["message"].as_str().unwrap().starts_with("nothing new from 测试县教育局 for 41 days: its newest document is from 2024-01-20"), "{home:#?}");
}

#[test]
fn a_new_site_from_init_checks_its_categories_against_the_defaults_it_is_given() {
    let site = TestSite::empty();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    gongkai::init::create_site(site.root(), day).unwrap();
    let settings = findings(&site, "2025-03-01", "settings");
    assert!(!settings.iter().any(|d| d["message"].as_str().unwrap().contains("update_every")), "every default names a starter category: {settings:#?}");
    assert!(findings(&site, "2026-02-01", "stale-category").is_empty(), "within the 365 days of 其他文件");
    let d = only(&findings(&site, "2026-03-02", "stale-category"), "content/directory/2025.md", Some(45));
    assert!(d["message"].as_str().unwrap().contains("\"qtwj\" (其他文件) of 某某县某某局: newest document is 366 days old (2025-03-01), more than update_every = 365 days (site.toml [check], for \"qtwj\")"), "{d}");
    // Its empty categories are reported, each at its line, until filled or given a reason.
    let empty = findings(&site, "2025-03-01", "empty-category");
    assert!(empty.iter().all(|d| d["file"] == "content/directory/2025.md" && d["line"].is_u64()), "{empty:#?}");
    assert!(empty.iter().any(|d| d["message"].as_str().unwrap().starts_with("category \"xzcf\" (行政处罚)")), "{empty:#?}");
    assert!(!empty.iter().any(|d| d["message"].as_str().unwrap().contains("\"qtwj\"")), "{empty:#?}");
}

#[test]
fn a_department_that_has_published_nothing_is_a_stale_home_at_its_settings() {
    let site = platform();
    site.write("content/departments/wsj/department.toml", "name = \"测试县卫生健康局\"\norg_code = \"44444444-4\"\norder = 3\n");
    let home = findings(&site, "2024-01-25", "stale-home");
    let d = home.iter().find(|d| d["department"] == "wsj").unwrap_or_else(|| panic!("{home:#?}"));
    assert_eq!(d["file"], "content/departments/wsj/department.toml");
    assert_eq!(d["message"], "测试县卫生健康局 has published no document yet: publish what it must disclose");
    assert!(!home.iter().any(|d| d["department"] == "jyj"), "the 教育局's report of 2024-01-20 is new: {home:#?}");
}

const JYJ: &str = "content/departments/jyj/department.toml";

#[test]
fn a_departments_own_empty_reason_silences_the_finding_for_it_only_and_its_page_shows_it_escaped() {
    // 行政处罚 in the owner's directory: empty for the owner and for the 教育局 filing by it.
    let site = platform();
    site.edit(DIRECTORY, "+++\n\n本目录", "[[categories.children]]\ncode = \"xzcf\"\nname = \"行政处罚\"\n+++\n\n本目录");
    let found = findings(&site, "2024-03-01", "empty-category");
    let jyj = found.iter().find(|d| d["department"] == "jyj" && d["line"] == 29).unwrap_or_else(|| panic!("{found:#?}"));
    // The owner's directory is not the place for the department's reason.
    assert!(jyj["message"].as_str().unwrap().contains("in content/departments/jyj/department.toml with [empty_reason] xzcf = \"…\""), "{jyj}");

    let settings = site.read_source(JYJ);
    site.write(JYJ, format!("{settings}\n[empty_reason]\nxzcf = \"本局无<b>行政处罚</b>权 & 事项\"\n"));
    let found = findings(&site, "2024-03-01", "empty-category");
    let xzcf: Vec<&Value> = found.iter().filter(|d| d["line"] == 29).collect();
    assert_eq!(xzcf.len(), 1, "{found:#?}");
    assert!(xzcf[0].get("department").is_none(), "still the owner's: {:?}", xzcf[0]);

    site.build_ok();
    let page = site.output("bm/jyj/catalogue/xzcf/index.html");
    assert_eq!(select_texts(&html(&page), "p.empty"), ["本局无<b>行政处罚</b>权 & 事项"], "{page}");
    assert!(!page.contains("<b>行政处罚"), "escaped: {page}");
    let owner = site.output("catalogue/xzcf/index.html");
    assert_eq!(select_texts(&html(&owner), "p.empty"), ["本栏目暂无信息。"], "{owner}");
}

#[test]
fn a_department_with_its_own_directory_may_give_the_reason_in_either_place() {
    let site = platform();
    let directory = "content/departments/town-a/directory/2023.md";
    site.edit(directory, "name = \"财政信息\"\n", "name = \"财政信息\"\n\n[[categories]]\ncode = \"xzcf\"\nname = \"行政处罚\"\n");
    let found = findings(&site, "2023-02-10", "empty-category");
    assert_eq!(found.iter().filter(|d| d["file"] == directory).count(), 1, "{found:#?}");
    let town = "content/departments/town-a/department.toml";
    let settings = site.read_source(town);
    site.write(town, format!("{settings}\n[empty_reason]\nxzcf = \"本镇无行政处罚权\"\n"));
    assert!(!findings(&site, "2023-02-10", "empty-category").iter().any(|d| d["file"] == directory));
    site.build_ok();
    let page = site.output("bm/town-a/catalogue/xzcf/index.html");
    assert_eq!(select_texts(&html(&page), "p.empty"), ["本镇无行政处罚权"], "{page}");
    // The directory's own reason serves as well.
    site.write(town, settings);
    site.edit(directory, "name = \"行政处罚\"\n", "name = \"行政处罚\"\nempty_reason = \"本镇无行政处罚事项\"\n");
    assert!(!findings(&site, "2023-02-10", "empty-category").iter().any(|d| d["file"] == directory));
}

#[test]
fn an_empty_reason_for_an_unknown_or_parent_category_is_warned_at_its_line_with_did_you_mean() {
    let site = platform();
    let settings = site.read_source(JYJ);
    let lines = settings.lines().count();
    site.write(JYJ, format!("{settings}\n[empty_reason]\ngzjhh = \"本局无此类事项\"\nghjh = \"本局无规划\"\n"));
    let found = findings(&site, "2024-03-01", "settings");
    let at = |line: usize| found.iter().find(|d| d["file"] == JYJ && d["line"].as_u64() == Some(line as u64)).unwrap_or_else(|| panic!("line {line}: {found:#?}"));
    let unknown = at(lines + 3);
    assert_eq!(unknown["severity"], "warning");
    assert_eq!(
        unknown["message"],
        "empty_reason names \"gzjhh\", which is not a category of the owner's directory, which it files by (did you mean \"gzjh\", 工作计划?), \
         so it is shown nowhere: write the code of a category"
    );
    assert!(at(lines + 4)["message"].as_str().unwrap().starts_with("empty_reason names \"ghjh\" ("), "{found:#?}");
    // Nothing silenced: the 教育局's 工作计划 is still empty.
    assert!(findings(&site, "2024-03-01", "empty-category").iter().any(|d| d["department"] == "jyj"));
}
