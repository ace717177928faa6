/*!
Annual report statistics (政府信息公开工作年度报告) in the national format issued with
国办公开办函〔2021〕30号: the three tables of sections 二, 三 and 四, their row and
column labels (verbatim, shared by the pages and the error messages), and the
identities the format requires, checked at build time.
*/

use serde::Serialize;

/// Columns of table 三: the applicant kinds, then 总计.
pub const APPLICANTS: [&str; 6] = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"];

pub const WITHHELD: [&str; 8] = [
    "1．属于国家秘密",
    "2．其他法律行政法规禁止公开",
    "3．危及“三安全一稳定”",
    "4．保护第三方合法权益",
    "5．属于三类内部事务信息",
    "6．属于四类过程性信息",
    "7．属于行政执法案卷",
    "8．属于行政查询事项",
];
pub const UNAVAILABLE: [&str; 3] = ["1．本机关不掌握相关政府信息", "2．没有现成信息需要另行制作", "3．补正后申请内容仍不明确"];
pub const NOT_HANDLED: [&str; 5] = [
    "1．信访举报投诉类申请",
    "2．重复申请",
    "3．要求提供公开出版物",
    "4．无正当理由大量反复申请",
    "5．要求行政机关确认或重新出具已获取信息",
];
pub const OTHER: [&str; 3] = [
    "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3．其他",
];

pub const NEW: &str = "一、本年新收政府信息公开申请数量";
pub const CARRIED_IN: &str = "二、上年结转政府信息公开申请数量";
pub const TOTAL: &str = "（七）总计";
pub const CARRIED_OUT: &str = "四、结转下年度继续办理";
pub const TABLE_APPLICATIONS: &str = "表三(收到和处理政府信息公开申请情况)";
pub const TABLE_APPEALS: &str = "表四(政府信息公开行政复议、行政诉讼情况)";

/// The largest number a cell of the tables may hold (一亿). No body handles anywhere
/// near as many matters in a year, so a larger number is a typing mistake; the bound
/// also keeps every computed total (at most 22 rows of 6 columns) far from overflow.
pub const MAX_COUNT: u64 = 100_000_000;

/// One row of table 三: the six applicant columns.
pub type Row = [u64; 6];

/// 制发 / 废止 / 现行有效 counts of 规章 or 行政规范性文件.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Issued {
    pub made: u64,
    pub repealed: u64,
    pub in_force: u64,
}

/// Table 二: 主动公开政府信息情况.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Active {
    pub rules: Issued,
    pub normative: Issued,
    pub licensing: u64,
    pub punishment: u64,
    pub coercion: u64,
    /// 万元
    pub fees: f64,
}

/// Table 三: 收到和处理政府信息公开申请情况.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applications {
    pub new: Row,
    pub carried_in: Row,
    pub disclosed: Row,
    pub partly: Row,
    pub withheld: [Row; 8],
    pub unavailable: [Row; 3],
    pub not_handled: [Row; 5],
    pub other: [Row; 3],
    pub carried_out: Row,
}

impl Applications {
    /// （七）总计: everything handled this year, per column.
    pub fn total(&self) -> Row {
        let mut t = [0; 6];
        let rows = [&self.disclosed, &self.partly]
            .into_iter()
            .chain(&self.withheld)
            .chain(&self.unavailable)
            .chain(&self.not_handled)
            .chain(&self.other);
        for row in rows {
            for (c, v) in row.iter().enumerate() {
                t[c] += v;
            }
        }
        t
    }
}

/// Table 四: one row of 行政复议 and 行政诉讼 results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Appeals {
    /// 结果维持, 结果纠正, 其他结果, 尚未审结
    pub review: [u64; 4],
    /// 未经复议直接起诉
    pub litigation: [u64; 4],
    /// 复议后起诉
    pub after_review: [u64; 4],
}

/// The statistics of one annual report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub active: Active,
    pub applications: Applications,
    pub appeals: Appeals,
    /// Which tables the front matter gives; a table left out reads as zeros above.
    pub given: Given,
    /// Where the rows that rules across years compare are written.
    pub lines: ReportLines,
}

/// Which of the three tables a report's front matter gives (`[report.active]`,
/// `[report.applications]`, `[report.appeals]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Given {
    pub active: bool,
    pub applications: bool,
    pub appeals: bool,
}

/// The lines of the rows that `check` compares between years, where written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportLines {
    /// 表二 行政规范性文件 (`normative`)
    pub normative: Option<usize>,
    /// 表三 一、本年新收 (`new`)
    pub new: Option<usize>,
    /// 表三 二、上年结转 (`carried_in`)
    pub carried_in: Option<usize>,
    /// 表三 四、结转下年度 (`carried_out`)
    pub carried_out: Option<usize>,
    /// 表四 行政复议 (`review`)
    pub review: Option<usize>,
    /// 表四 行政诉讼 (`litigation`, else `after_review`)
    pub litigation: Option<usize>,
}

/// A broken identity: which table, row and column, and the two sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imbalance {
    pub message: String,
}

/// Checks the format's identity 一 + 二 = （七）总计 + 四, per column and for 总计.
pub fn check_balance(a: &Applications) -> Vec<Imbalance> {
    let total = a.total();
    let mut out = Vec::new();
    let columns = APPLICANTS.iter().copied().enumerate().map(|(c, name)| (name, a.new[c] + a.carried_in[c], total[c] + a.carried_out[c]));
    let sum = |r: &Row| r.iter().sum::<u64>();
    let all = std::iter::once(("总计", sum(&a.new) + sum(&a.carried_in), sum(&total) + sum(&a.carried_out)));
    for (column, received, handled) in columns.chain(all) {
        if received != handled {
            out.push(Imbalance {
                message: format!(
                    "{TABLE_APPLICATIONS}, column {column}: {TOTAL} + {CARRIED_OUT} should equal {NEW} + {CARRIED_IN} = {received}, found {handled}"
                ),
            });
        }
    }
    out
}

/// The cells of a table 三 row with its 总计.
pub fn with_total(row: &Row) -> [u64; 7] {
    let mut out = [0; 7];
    out[..6].copy_from_slice(row);
    out[6] = row.iter().sum();
    out
}

/// The cells of a table 四 group with its 总计.
pub fn with_sum4(row: &[u64; 4]) -> [u64; 5] {
    [row[0], row[1], row[2], row[3], row.iter().sum()]
}

/// A labelled row of table 三 with its 总计, for templates.
#[derive(Serialize)]
pub struct LabeledRow {
    pub label: &'static str,
    pub cells: [u64; 7],
}

/// What the theme's report table templates receive.
#[derive(Serialize)]
pub struct TablesView {
    pub active: Active,
    /// 行政事业性收费 as written in the table (万元, no trailing zeros).
    pub fees: String,
    pub applicants: [&'static str; 6],
    pub new: LabeledRow,
    pub carried_in: LabeledRow,
    pub disclosed: [u64; 7],
    pub partly: [u64; 7],
    pub withheld: Vec<LabeledRow>,
    pub unavailable: Vec<LabeledRow>,
    pub not_handled: Vec<LabeledRow>,
    pub other: Vec<LabeledRow>,
    pub total: [u64; 7],
    pub carried_out: LabeledRow,
    /// Table 四's fifteen numbers in the format's column order.
    pub appeals: Vec<u64>,
}

impl TablesView {
    pub fn new(r: &Report) -> TablesView {
        let a = &r.applications;
        let labeled = |labels: &[&'static str], rows: &[Row]| -> Vec<LabeledRow> {
            labels.iter().zip(rows).map(|(label, row)| LabeledRow { label, cells: with_total(row) }).collect()
        };
        let fees = format!("{:.4}", r.active.fees).trim_end_matches('0').trim_end_matches('.').to_string();
        TablesView {
            active: r.active.clone(),
            fees,
            applicants: APPLICANTS,
            new: LabeledRow { label: NEW, cells: with_total(&a.new) },
            carried_in: LabeledRow { label: CARRIED_IN, cells: with_total(&a.carried_in) },
            disclosed: with_total(&a.disclosed),
            partly: with_total(&a.partly),
            withheld: labeled(&WITHHELD, &a.withheld),
            unavailable: labeled(&UNAVAILABLE, &a.unavailable),
            not_handled: labeled(&NOT_HANDLED, &a.not_handled),
            other: labeled(&OTHER, &a.other),
            total: with_total(&a.total()),
            carried_out: LabeledRow { label: CARRIED_OUT, cells: with_total(&a.carried_out) },
            appeals: [r.appeals.review, r.appeals.litigation, r.appeals.after_review].iter().flat_map(with_sum4).collect(),
        }
    }
}

/// Where each table goes in the report's Markdown: a marker line (`{{ table:active }}`
/// or `{{ 表二 }}`), or else right after the heading of its section.
pub const TABLES: [(&str, &[&str], &str); 3] = [
    ("active", &["table:active", "表二"], "二、"),
    ("applications", &["table:applications", "表三"], "三、"),
    ("appeals", &["table:appeals", "表四"], "四、"),
];

/// The placeholder paragraph that stands for table `name` until it is rendered.
pub fn placeholder(name: &str) -> String {
    format!("GONGKAI-REPORT-TABLE-{name}")
}

/// The Markdown with a placeholder paragraph where each table goes.
pub fn place_tables(markdown: &str) -> String {
    let mut lines: Vec<String> = markdown.lines().map(str::to_string).collect();
    for (name, markers, section) in TABLES {
        let marker = lines.iter().position(|l| {
            let t = l.trim();
            t.strip_prefix("{{").and_then(|t| t.strip_suffix("}}")).is_some_and(|inner| markers.contains(&inner.trim()))
        });
        let para = format!("\n{}\n", placeholder(name));
        match marker {
            Some(i) => lines[i] = para,
            None => {
                let heading = lines.iter().position(|l| l.starts_with('#') && l.trim_start_matches('#').trim().starts_with(section));
                match heading {
                    Some(i) => lines.insert(i + 1, para),
                    None => lines.push(para),
                }
            }
        }
    }
    lines.join("\n")
}
