//! Annual report statistics in the national format: the three tables rendered with
//! every label, and every identity checked at build time.

use crate::util::*;

const REPORT: &str = "content/reports/2021.md";

/// The 2021 fixture report with the balanced example data of the format's spec.
fn report_with_data() -> TestSite {
    let site = TestSite::basic();
    let data = r#"
[report.active]
rules      = { made = 0, repealed = 0, in_force = 0 }
normative  = { made = 3, repealed = 1, in_force = 12 }
licensing  = 120
punishment = 45
coercion   = 3
fees       = 0.5

[report.applications]
new         = [12, 2, 0, 0, 1, 0]
carried_in  = [1, 0, 0, 0, 0, 0]
disclosed   = [6, 1, 0, 0, 0, 0]
partly      = [2, 0, 0, 0, 0, 0]
carried_out = [1, 0, 0, 0, 1, 0]

[report.applications.withheld]
third_party  = [1, 0, 0, 0, 0, 0]
process_info = [1, 0, 0, 0, 0, 0]

[report.applications.unavailable]
not_held = [1, 1, 0, 0, 0, 0]

[report.applications.not_handled]
complaint = [1, 0, 0, 0, 0, 0]

[report.appeals]
review       = [1, 0, 0, 1]
litigation   = [0, 1, 0, 0]
after_review = [0, 0, 0, 0]
"#;
    site.edit(REPORT, "year = 2021\n", &format!("year = 2021\n{data}"));
    site.edit(REPORT, "## 一、总体情况", "## 二、主动公开政府信息情况\n\n{{ table:active }}\n\n## 三、收到和处理政府信息公开申请情况\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n## 一、总体情况");
    site
}

#[test]
fn a_complete_report_renders_the_three_tables_with_every_label() {
    let site = report_with_data();
    site.build_ok();
    let page = site.output("reports/2021/index.html");
    for label in [
        "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
        "第二十条第（五）项", "本年处理决定数量", "行政许可", "第二十条第（六）项", "行政处罚", "行政强制",
        "第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织",
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开", "1．属于国家秘密",
        "2．其他法律行政法规禁止公开", "3．危及“三安全一稳定”", "4．保护第三方合法权益", "5．属于三类内部事务信息",
        "6．属于四类过程性信息", "7．属于行政执法案卷", "8．属于行政查询事项", "（四）无法提供",
        "1．本机关不掌握相关政府信息", "2．没有现成信息需要另行制作", "3．补正后申请内容仍不明确", "（五）不予处理",
        "1．信访举报投诉类申请", "2．重复申请", "3．要求提供公开出版物", "4．无正当理由大量反复申请",
        "5．要求行政机关确认或重新出具已获取信息", "（六）其他处理",
        "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3．其他", "（七）总计",
        "四、结转下年度继续办理", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结",
        "未经复议直接起诉", "复议后起诉",
    ] {
        assert!(page.contains(&format!(">{label}<")), "the report lacks the label {label}");
    }
    let doc = html(&page);
    // The marker placed table 二; tables 三 and 四 went to the start of their sections.
    let order: Vec<String> = select_texts(&doc, ".doc-body h2, .doc-body table caption");
    assert_eq!(
        order[..6],
        ["二、主动公开政府信息情况", "主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议、行政诉讼情况"]
    );
    // （七）总计 row: 自然人 6+2+1+1+1+1 = 12, …, 总计 14.
    let sel = scraper::Selector::parse(".report-applications tbody tr").unwrap();
    let total_row: Vec<String> = doc.select(&sel).nth(23).unwrap().text().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    assert_eq!(total_row, ["（七）总计", "12", "2", "0", "0", "0", "0", "14"]);
    assert_eq!(select_texts(&doc, ".report-appeals tbody td"), ["1", "0", "0", "1", "2", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0"]);
    assert!(page.contains(">0.5<"), "fees in 万元");
}

#[test]
fn an_unbalanced_column_fails_with_table_row_column_expected_and_found() {
    let site = report_with_data();
    site.edit(REPORT, "new         = [12, 2, 0, 0, 1, 0]", "new         = [13, 2, 0, 0, 1, 0]");
    let errors = site.errors();
    assert_reported(&errors, "content/reports/2021.md:", "表三(收到和处理政府信息公开申请情况), column 自然人: （七）总计 + 四、结转下年度继续办理 should equal 一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量 = 14, found 13");
    assert_reported(&errors, "content/reports/2021.md:", "column 总计: （七）总计 + 四、结转下年度继续办理 should equal 一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量 = 17, found 16");
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

#[test]
fn a_written_total_that_is_not_the_sum_fails() {
    let site = report_with_data();
    site.edit(REPORT, "disclosed   = [6, 1, 0, 0, 0, 0]", "disclosed   = [6, 1, 0, 0, 0, 0, 8]\ntotal       = [12, 2, 0, 0, 0, 1]");
    let errors = site.errors();
    assert_reported(&errors, "content/reports/2021.md:", "row （一）予以公开, column 总计: expected 7 (the sum of the row), found 8");
    assert_reported(&errors, "content/reports/2021.md:", "row （七）总计, column 其他: expected 0 (（一）+（二）+（三）+（四）+（五）+（六）), found 1");
    let site = report_with_data();
    site.edit(REPORT, "review       = [1, 0, 0, 1]", "review       = [1, 0, 0, 1, 3]");
    assert_reported(&site.errors(), "content/reports/2021.md:", "表四(政府信息公开行政复议、行政诉讼情况), row 行政复议, column 总计: expected 2 (the sum of the row), found 3");
}

#[test]
fn numbers_are_whole_and_not_negative_and_rows_have_six() {
    let site = report_with_data();
    site.edit(REPORT, "carried_in  = [1, 0, 0, 0, 0, 0]", "carried_in  = [1, 0, 0, 0, -1, 1]");
    site.edit(REPORT, "licensing  = 120", "licensing  = -2");
    site.edit(REPORT, "complaint = [1, 0, 0, 0, 0, 0]", "complaint = [1, 0, 0]");
    let errors = site.errors();
    assert_reported(&errors, "content/reports/2021.md:", "row 二、上年结转政府信息公开申请数量, column 法律服务机构: -1 is not a whole number ≥ 0");
    assert_reported(&errors, "content/reports/2021.md:", "表二 行政许可: -2 is not a whole number ≥ 0");
    assert_reported(&errors, "content/reports/2021.md:", "row （五）不予处理 1．信访举报投诉类申请: expected 6 numbers");
    let site = report_with_data();
    site.edit(REPORT, "licensing  = 120", "licensing  = 1.5");
    assert_reported(&site.errors(), "content/reports/2021.md:", "表二 行政许可: 1.5 is not a whole number ≥ 0");
}

#[test]
fn a_report_without_data_renders_as_markdown() {
    let site = TestSite::basic();
    site.build_ok();
    let page = site.output("reports/2021/index.html");
    assert!(!page.contains("report-table"));
    assert!(page.contains("<h2 id=\"一总体情况\">一、总体情况</h2>"));
}
