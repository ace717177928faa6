//! `gongkai check` as the inspector of annual reports (issue 18): each rule across a
//! body's reports, seen through `check --format json --today …` with its code, file,
//! line, department and message, and the site.toml settings of the deadlines.

use serde_json::Value;

use crate::departments::platform;
use crate::util::*;

const OWNER: &str = "11111111-1";
const JYJ: &str = "22222222-2";

/// Writes `<folder>/reports/<year>.md`, published on `date`, with `tables` (TOML from
/// line 7 on) and `text`. Returns its path.
fn report(site: &TestSite, folder: &str, org_code: &str, year: i32, date: &str, tables: &str, text: &str) -> String {
    let path = format!("{folder}/reports/{year}.md");
    let index_no = format!("{org_code}-/{}-{}{}9{:02}", &date[..4], &date[5..7], &date[8..10], year % 100);
    site.write(
        &path,
        format!("+++\ntitle = \"{year}年政府信息公开工作年度报告\"\nindex_no = \"{index_no}\"\npublisher = \"报告单位\"\ndate = {date}\nyear = {year}\n{tables}+++\n\n{text}\n"),
    );
    path
}

/// Table 三, balanced, with everything handled disclosed: `new` on line 8, `carried_in`
/// on line 9 and `carried_out` on line 11 of a [`report`].
fn applications(new: u64, carried_in: u64, carried_out: u64) -> String {
    format!(
        "[report.applications]\nnew         = [{new}, 0, 0, 0, 0, 0]\ncarried_in  = [{carried_in}, 0, 0, 0, 0, 0]\n\
         disclosed   = [{}, 0, 0, 0, 0, 0]\ncarried_out = [{carried_out}, 0, 0, 0, 0, 0]\n",
        new + carried_in - carried_out
    )
}

/// Table 二 with `made` 行政规范性文件 on line 8 of a [`report`].
fn active(made: u64) -> String {
    format!("[report.active]\nnormative = {{ made = {made}, repealed = 0, in_force = {made} }}\n")
}

/// `check --format json --today <today>`: whether it passed, and its diagnostics.
fn check(site: &TestSite, today: &str) -> (bool, Vec<Value>) {
    let out = site.cli(&["check", "--format", "json", "--today", today]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.success(), report["diagnostics"].as_array().expect("diagnostics").clone())
}

/// The diagnostics with `code`.
fn coded(diags: &[Value], code: &str) -> Vec<Value> {
    diags.iter().filter(|d| d["code"] == code).cloned().collect()
}

/// The one diagnostic with `code`, which must be at `file`:`line`, of `department`
/// (`None`: the owner's, without the key), with a message containing `part`.
fn assert_one(diags: &[Value], code: &str, severity: &str, file: &str, line: Option<u64>, department: Option<&str>, part: &str) {
    let found = coded(diags, code);
    assert_eq!(found.len(), 1, "one {code}: {diags:#?}");
    let d = &found[0];
    assert_eq!(d["severity"], severity, "{d}");
    assert_eq!(d["file"], file, "{d}");
    assert_eq!(d["line"].as_u64(), line, "{d}");
    assert_eq!(d.get("department").and_then(Value::as_str), department, "{d}");
    assert!(d["message"].as_str().unwrap().contains(part), "{part:?} in {d}");
}

#[test]
fn a_report_published_after_its_deadline_warns_at_its_date_and_one_on_time_does_not() {
    let site = TestSite::basic();
    report(&site, "content", OWNER, 2022, "2023-04-10", "", "总体情况。");
    let (ok, diags) = check(&site, "2023-05-01");
    assert!(ok, "a warning: {diags:#?}");
    assert_one(
        &diags,
        "report-late",
        "warning",
        "content/reports/2022.md",
        Some(5),
        None,
        "the 2022 annual report is dated 2023-04-10, after its deadline 2023-03-31 (3月31日 for the government that owns the platform",
    );
    report(&site, "content", OWNER, 2022, "2023-03-31", "", "总体情况。");
    assert!(coded(&check(&site, "2023-05-01").1, "report-late").is_empty(), "on the deadline is on time");
}

#[test]
fn a_departments_report_is_due_by_31_january_and_is_warned_about_under_its_department() {
    let site = platform();
    report(&site, "content/departments/jyj", JYJ, 2023, "2024-02-05", "", "总体情况。");
    let (_, diags) = check(&site, "2024-03-01");
    assert_one(
        &diags,
        "report-late",
        "warning",
        "content/departments/jyj/reports/2023.md",
        Some(5),
        Some("jyj"),
        "dated 2024-02-05, after its deadline 2024-01-31 (1月31日 for departments and towns",
    );
    report(&site, "content/departments/jyj", JYJ, 2023, "2024-01-31", "", "总体情况。");
    assert!(coded(&check(&site, "2024-03-01").1, "report-late").is_empty());
}

#[test]
fn site_toml_deadlines_move_report_late_and_the_overview_pages_deadlines() {
    let site = platform();
    report(&site, "content", OWNER, 2022, "2023-04-10", "", "总体情况。");
    report(&site, "content/departments/jyj", JYJ, 2023, "2024-02-05", "", "总体情况。");
    site.build_ok();
    let deadline_of = |year: i32, name: &str| {
        let rows = select_texts(&html(&site.output(&format!("ndbg/{year}/index.html"))), "tbody tr");
        rows.into_iter().find(|r| r.contains(name)).unwrap_or_else(|| panic!("{name} in {year}"))
    };
    assert!(deadline_of(2022, "测试市生态环境局").contains("2023-03-31"));
    assert!(deadline_of(2023, "测试县教育局").contains("2024-01-31"));
    assert_eq!(coded(&check(&site, "2024-03-01").1, "report-late").len(), 2);

    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}\n[check]\nreport_deadline = \"04-30\"\ndepartment_report_deadline = \"02-28\"\n"));
    let (ok, diags) = check(&site, "2024-03-01");
    assert!(ok && coded(&diags, "report-late").is_empty(), "{diags:#?}");
    assert!(coded(&diags, "settings").is_empty(), "the keys are known: {diags:#?}");
    site.build_ok();
    assert!(deadline_of(2022, "测试市生态环境局").contains("2023-04-30"));
    assert!(deadline_of(2023, "测试县教育局").contains("2024-02-28"));
    assert!(deadline_of(2023, "测试镇人民政府").contains("2024-02-28"), "towns keep the departments' day");
}

#[test]
fn a_report_deadline_that_is_not_a_day_is_a_settings_error_at_its_line() {
    let site = TestSite::basic();
    let settings = site.read_source("content/site.toml");
    // After a blank line, [check] and the department_report_deadline.
    let line = settings.lines().count() + 4;
    site.write("content/site.toml", format!("{settings}\n[check]\ndepartment_report_deadline = \"01-31\"\nreport_deadline = \"3月31日\"\n"));
    assert_reported(
        &site.errors(),
        &format!("content/site.toml:{line}: check.report_deadline \"3月31日\" is not a day of the year: write month and day as \"MM-DD\""),
        "such as \"03-31\"",
    );
    site.edit("content/site.toml", "\"3月31日\"", "\"02-29\"");
    assert_reported(&site.errors(), &format!("content/site.toml:{line}: check.report_deadline \"02-29\""), "");
}

#[test]
fn a_missing_year_between_a_bodys_first_report_and_the_last_one_due_warns_on_a_single_body_site() {
    let site = TestSite::basic();
    // The basic fixture's only report is 2021's; 2022's is due by 2023-03-31, 2023's by 2024-03-31.
    let (ok, diags) = check(&site, "2024-06-01");
    assert!(ok);
    let missing = coded(&diags, "report-missing");
    let messages: Vec<&str> = missing.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert_eq!(
        messages,
        [
            "测试市生态环境局 has no 2022 annual report (年度报告), which was due by 2023-03-31: add content/reports/2022.md",
            "测试市生态环境局 has no 2023 annual report (年度报告), which was due by 2024-03-31: add content/reports/2023.md",
        ]
    );
    for d in &missing {
        assert_eq!((&d["file"], &d["line"], d.get("department")), (&Value::from("content/reports"), &Value::Null, None), "{d}");
    }
    assert!(coded(&check(&site, "2023-03-31").1, "report-missing").is_empty(), "not missing on the day it is due");
}

#[test]
fn a_department_is_asked_for_reports_from_its_own_first_one_and_the_overview_agrees() {
    let site = platform();
    // The owner's first report is 2021's; 教育局's 2023's; the town has none.
    report(&site, "content", OWNER, 2022, "2023-03-01", "", "总体情况。");
    report(&site, "content", OWNER, 2023, "2024-03-01", "", "总体情况。");
    report(&site, "content", OWNER, 2024, "2025-03-01", "", "总体情况。");
    let (_, diags) = check(&site, "2025-03-01");
    let jyj: Vec<Value> = coded(&diags, "report-missing").into_iter().filter(|d| d["department"] == "jyj").collect();
    assert_eq!(jyj.len(), 1, "2024 only, not the years before its first report: {jyj:#?}");
    assert_eq!(jyj[0]["file"], "content/departments/jyj/department.toml");
    assert_eq!(
        jyj[0]["message"],
        "测试县教育局 has no 2024 annual report (年度报告), which was due by 2025-01-31: add content/departments/jyj/reports/2024.md"
    );
    let town: Vec<Value> = coded(&diags, "report-missing").into_iter().filter(|d| d["department"] == "town-a").collect();
    assert_eq!(town.len(), 4, "a body with no report at all: every year from the platform's first, 2021 to 2024: {town:#?}");
    assert!(coded(&diags, "report-missing").iter().all(|d| d.get("department").is_some()), "the owner has every year");

    site.build_ok();
    let rows = select_texts(&html(&site.output("ndbg/2022/index.html")), "tbody tr");
    let row = |name: &str| rows.iter().find(|r| r.contains(name)).unwrap().clone();
    assert!(!row("测试县教育局").contains("未发布") && row("测试县教育局").contains("—"), "before its first report: {rows:?}");
    assert!(row("测试镇人民政府").contains("未发布"), "{rows:?}");
    assert!(site.output("ndbg/2022/index.html").contains("已发布 1 份,未发布 1 份"), "the town's, not 教育局's");
}

#[test]
fn carryover_that_differs_from_last_years_is_an_error_naming_both_files_the_column_and_both_values() {
    let site = TestSite::basic();
    report(&site, "content", OWNER, 2021, "2022-01-20", &applications(5, 0, 1), "总体情况。");
    report(&site, "content", OWNER, 2022, "2023-03-01", &applications(4, 2, 0), "总体情况。");
    let (ok, diags) = check(&site, "2023-03-15");
    assert!(!ok, "an error fails check");
    assert_one(
        &diags,
        "report-carryover",
        "error",
        "content/reports/2022.md",
        Some(9),
        None,
        "表三 二、上年结转政府信息公开申请数量, column 自然人: 2, but the 2021 report content/reports/2021.md gives 四、结转下年度继续办理 = 1",
    );
    assert!(site.build().is_err(), "build refuses it");

    report(&site, "content", OWNER, 2022, "2023-03-01", &applications(4, 1, 0), "总体情况。");
    let (ok, diags) = check(&site, "2023-03-15");
    assert!(ok && coded(&diags, "report-carryover").is_empty(), "{diags:#?}");
}

#[test]
fn carryover_is_only_compared_when_both_years_give_table_three() {
    let site = TestSite::basic();
    // The fixture's 2021 report has no tables.
    report(&site, "content", OWNER, 2022, "2023-03-01", &applications(4, 2, 0), "总体情况。");
    let (ok, diags) = check(&site, "2023-03-15");
    assert!(ok && coded(&diags, "report-carryover").is_empty(), "{diags:#?}");
    site.build_ok();
    // Table 二 alone is no table 三 either.
    report(&site, "content", OWNER, 2021, "2022-01-20", &active(0), "总体情况。");
    assert!(check(&site, "2023-03-15").0);
}

#[test]
fn a_key_total_over_five_times_or_under_a_fifth_of_last_years_warns_and_small_numbers_do_not() {
    let site = TestSite::basic();
    report(&site, "content", OWNER, 2021, "2022-01-20", &applications(10, 0, 0), "总体情况。");
    report(&site, "content", OWNER, 2022, "2023-03-01", &applications(60, 0, 0), "总体情况。");
    let (ok, diags) = check(&site, "2023-03-15");
    assert!(ok);
    assert_one(
        &diags,
        "report-jump",
        "warning",
        "content/reports/2022.md",
        Some(8),
        None,
        "表三 一、本年新收政府信息公开申请数量 总计: 60 in 2022, more than 5 times the 10 of 2021 (content/reports/2021.md)",
    );
    report(&site, "content", OWNER, 2022, "2023-03-01", &applications(1, 0, 0), "总体情况。");
    assert_one(&check(&site, "2023-03-15").1, "report-jump", "warning", "content/reports/2022.md", Some(8), None, "1 in 2022, under a fifth of the 10 of 2021");
    // ×5 itself, and small numbers, are no jump.
    report(&site, "content", OWNER, 2022, "2023-03-01", &applications(50, 0, 0), "总体情况。");
    assert!(coded(&check(&site, "2023-03-15").1, "report-jump").is_empty());
    report(&site, "content", OWNER, 2021, "2022-01-20", &applications(1, 0, 0), "总体情况。");
    report(&site, "content", OWNER, 2022, "2023-03-01", &applications(6, 0, 0), "总体情况。");
    assert!(coded(&check(&site, "2023-03-15").1, "report-jump").is_empty(), "1 → 6 is under the floor of 10");
}

#[test]
fn appeals_and_normative_documents_are_key_totals_too() {
    let site = TestSite::basic();
    let appeals = |review: u64, litigation: u64| format!("[report.appeals]\nreview = [{review}, 0, 0, 0]\nlitigation = [{litigation}, 0, 0, 0]\n");
    report(&site, "content", OWNER, 2021, "2022-01-20", &format!("{}{}", active(12), appeals(0, 12)), "总体情况。");
    report(&site, "content", OWNER, 2022, "2023-03-01", &format!("{}{}", active(2), appeals(11, 12)), "总体情况。");
    let jumps = coded(&check(&site, "2023-03-15").1, "report-jump");
    let labels: Vec<(&str, u64)> = jumps.iter().map(|d| (d["message"].as_str().unwrap().split(':').next().unwrap(), d["line"].as_u64().unwrap())).collect();
    assert_eq!(labels, [("表二 行政规范性文件 本年制发件数", 8), ("表四 行政复议 总计", 10)], "{jumps:#?}");
}

/// About 150 characters of a report's text.
const TEXT: &str = "2022年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕打好污染防治攻坚战，持续加大环境质量、建设项目环评审批、\
排污许可、环境执法和突发环境事件等重点领域信息公开力度。全年主动公开政府信息一千余条，及时回应群众关切，依申请公开答复均在法定期限内完成，\
保密审查制度得到严格执行，政府信息公开平台运行平稳，监督保障机制进一步健全。";

const NEW_TEXT: &str = "今年重点做了三件事：一是开设入河排污口排查整治专栏，公布排口位置和整治时限；二是上线环评文件网上查阅，\
群众可按项目名称检索；三是组织环保设施向公众开放活动，邀请市民代表参观污水处理厂和垃圾焚烧发电厂，并在活动后收集意见建议逐条答复。";

#[test]
fn a_report_whose_text_is_mostly_last_years_warns_with_the_percentage() {
    let site = TestSite::basic();
    report(&site, "content", OWNER, 2021, "2022-01-20", "", &format!("## 一、总体情况\n\n{TEXT}"));
    report(&site, "content", OWNER, 2022, "2023-03-01", "", &format!("## 一、总体情况\n\n{}", TEXT.replace("2022", "2023").replace("一千余条", "1,200条")));
    let (ok, diags) = check(&site, "2023-03-15");
    assert!(ok);
    assert_one(
        &diags,
        "report-similar",
        "warning",
        "content/reports/2022.md",
        Some(8),
        None,
        "100 % of its text (counted in pairs of characters, as search does) is already in the 2021 report content/reports/2021.md",
    );
    // Last year's text and as much again that is new: about half, no warning.
    report(&site, "content", OWNER, 2022, "2023-03-01", "", &format!("## 一、总体情况\n\n{TEXT}\n\n{NEW_TEXT}"));
    assert!(coded(&check(&site, "2023-03-15").1, "report-similar").is_empty());
    // Short texts are not compared.
    report(&site, "content", OWNER, 2021, "2022-01-20", "", "总体情况良好。");
    report(&site, "content", OWNER, 2022, "2023-03-01", "", "总体情况良好。");
    assert!(coded(&check(&site, "2023-03-15").1, "report-similar").is_empty());
}

#[test]
fn table_twos_normative_count_is_compared_with_the_documents_of_its_year_in_normative_categories() {
    let site = TestSite::basic();
    // Without a normative category there is nothing to count.
    report(&site, "content", OWNER, 2023, "2024-01-15", &active(1), "总体情况。");
    assert!(coded(&check(&site, "2024-02-01").1, "report-count").is_empty());

    site.edit("content/directory/2023.md", "code = \"gfxwj\"\nname = \"行政规范性文件\"", "code = \"gfxwj\"\nname = \"行政规范性文件\"\nnormative = true");
    // Written in 2022, published in 2023: it counts for 2022, by its 成文日期.
    site.write(
        "content/docs/2023/late.md",
        "+++\ntitle = \"测试市生态环境局关于年末的规定\"\nindex_no = \"11111111-1-/2023-0110001\"\npublisher = \"测试市生态环境局\"\n\
         category = \"gfxwj\"\ndate = 2023-01-10\nwritten = 2022-12-20\n+++\n\n规定。\n",
    );
    report(&site, "content", OWNER, 2022, "2023-03-01", &active(1), "总体情况。");
    let (ok, diags) = check(&site, "2024-02-01");
    assert!(ok);
    // The fixture's three documents in gfxwj are of 2023.
    assert_one(
        &diags,
        "report-count",
        "warning",
        "content/reports/2023.md",
        Some(8),
        None,
        "表二 行政规范性文件 本年制发件数 is 1, but 测试市生态环境局 has 3 documents of 2023 (by 成文日期, else 发布日期) in its 规范性文件 categories (gfxwj)",
    );
    report(&site, "content", OWNER, 2023, "2024-01-15", &active(3), "总体情况。");
    assert!(coded(&check(&site, "2024-02-01").1, "report-count").is_empty());
    // A report without table data is not counted.
    report(&site, "content", OWNER, 2023, "2024-01-15", "", "总体情况。");
    assert!(coded(&check(&site, "2024-02-01").1, "report-count").is_empty());
}

#[test]
fn serve_checks_a_reports_tables_and_text_again_when_only_they_change() {
    let site = TestSite::basic();
    report(&site, "content", OWNER, 2021, "2022-01-20", &applications(5, 0, 1), "总体情况。");
    let path = report(&site, "content", OWNER, 2022, "2023-03-01", &applications(4, 1, 0), "总体情况。");
    let mut live = gongkai::rebuild::LiveSite::open(site.root(), &gongkai::BuildOptions::default()).expect("open");
    live.rebuild().expect("first build");
    let codes = |live: &mut gongkai::rebuild::LiveSite| live.diagnostics().iter().map(|d| d.code.to_string()).collect::<Vec<_>>();
    assert!(!codes(&mut live).contains(&"report-carryover".to_string()));

    // Same 索引号, date and lines: only a number of the tables changed.
    site.edit(&path, "carried_in  = [1,", "carried_in  = [2,");
    live.changed(&[std::path::PathBuf::from(&path)]);
    assert!(codes(&mut live).contains(&"report-carryover".to_string()));
    assert!(live.rebuild().is_err(), "an error stops the rebuild");
    // And only the text.
    site.edit(&path, "carried_in  = [2,", "carried_in  = [1,");
    site.write("content/reports/2021.md", site.read_source("content/reports/2021.md").replace("总体情况。", TEXT));
    site.write(&path, site.read_source(&path).replace("总体情况。", TEXT));
    live.changed(&[std::path::PathBuf::from("content/reports/2021.md"), std::path::PathBuf::from(&path)]);
    let now = codes(&mut live);
    assert!(now.contains(&"report-similar".to_string()) && !now.contains(&"report-carryover".to_string()), "{now:?}");
}
