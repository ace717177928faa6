/*!
The 体检报告 (`gongkai check --format html --output report.html`): what a check found,
as one page in Chinese for the head of the office, where the text output is for the
editors who fix each line.

It follows the inspectors' headings: the veto items (单项否决) first, each with its
threshold from the national scoring table and whether the site reaches it, then 年度报告,
文件, 链接 and 其他. Within a heading the findings are grouped by body: the platform's
owner (本级) first, then each department and town in the platform's order. Every finding
keeps its file, line and fix. Everything written into the page is escaped.
*/

use std::fmt::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Code, Diagnostic};
use crate::load::LoadOptions;
use crate::site::Site;

/// The names the report gives: the site, its owner, and each department by its folder
/// code, in the platform's order.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub site: String,
    pub owner: String,
    pub departments: Vec<(String, String)>,
}

impl Names {
    /// From a loaded site.
    pub fn of(site: &Site) -> Names {
        Names {
            site: site.config.title.clone(),
            owner: site.config.organization.clone(),
            departments: site.body_ids().filter_map(|(_, b)| Some((b.code.clone()?, b.name.clone()))).collect(),
        }
    }

    /// From site.toml and the departments' department.toml alone, for a site whose
    /// content does not load; empty names when even those cannot be read.
    pub fn read(root: &Path, options: &LoadOptions) -> Names {
        let Ok((config, departments, _, _)) = crate::load::read_config_and_list(root, options) else { return Names::default() };
        let departments = departments.codes().into_iter().filter_map(|c| Some((c.to_string(), departments.get(c)?.name.clone()))).collect();
        Names { site: config.title, owner: config.organization, departments }
    }

    /// How a body is headed: 本级 with the owner's name, or the department's name.
    fn body(&self, department: Option<&str>) -> String {
        match department {
            None if self.owner.is_empty() => "本级".to_string(),
            None => format!("本级（{}）", self.owner),
            Some(code) => match self.departments.iter().find(|(c, _)| c == code) {
                Some((_, name)) => name.clone(),
                None => format!("部门 {code}"),
            },
        }
    }
}

/// The inspectors' headings, in the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Veto,
    Reports,
    Documents,
    Links,
    Other,
}

const GROUPS: [(Group, &str); 5] = [
    (Group::Veto, "单项否决"),
    (Group::Reports, "年度报告"),
    (Group::Documents, "文件"),
    (Group::Links, "链接"),
    (Group::Other, "其他"),
];

/// Under which heading a finding is shown.
pub fn group_of(code: Code) -> Group {
    use Code::*;
    match code {
        StaleHome | StaleCategory | EmptyCategory => Group::Veto,
        ReportLate | ReportMissing | ReportCarryover | ReportJump | ReportSimilar | ReportCount | ReportTable => Group::Reports,
        DocNoFormat | NormativeRegNo | NormativeNoReading | ValidityDates | IndexPattern | Related | DuplicateIndex | Category | Attachment => {
            Group::Documents
        }
        Link | ExternalLink => Group::Links,
        _ => Group::Other,
    }
}

/// One veto item of the scoring table (compliance §7): what it is, the threshold, and
/// how many findings of `code` reach it.
struct Veto {
    item: &'static str,
    standard: &'static str,
    code: Code,
    threshold: usize,
    unit: &'static str,
}

const VETOES: [Veto; 4] = [
    Veto { item: "首页不更新", standard: "本级首页连续 2 周无新内容", code: Code::StaleHome, threshold: 1, unit: "个首页" },
    Veto { item: "栏目不更新", standard: "5 个及以上栏目未按期更新", code: Code::StaleCategory, threshold: 5, unit: "个栏目" },
    Veto { item: "长期未更新", standard: "10 个及以上应更新的栏目未更新", code: Code::StaleCategory, threshold: 10, unit: "个栏目" },
    Veto { item: "空白栏目", standard: "5 个及以上栏目没有内容", code: Code::EmptyCategory, threshold: 5, unit: "个栏目" },
];

/// What the report is made from.
pub struct Checkup<'a> {
    pub names: &'a Names,
    pub diagnostics: &'a [Diagnostic],
    /// The day checked against (`--today`).
    pub today: NaiveDate,
    /// Whether the content loaded; when not, the site cannot be built and the findings
    /// are what stops it.
    pub loaded: bool,
    /// Whether the external links were requested (`--external`).
    pub external: bool,
}

impl Checkup<'_> {
    /// The report as a complete HTML page.
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(16 * 1024);
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = self.diagnostics.len() - errors;
        let site = if self.names.site.is_empty() { "网站".to_string() } else { self.names.site.clone() };
        let title = if site.ends_with("政府信息公开") { format!("{site}体检报告") } else { format!("{site}政府信息公开体检报告") };
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
             </head>\n<body>\n<main>\n<h1>{}</h1>\n",
            esc(&title),
            esc(&title)
        );
        let _ = writeln!(
            h,
            "<p class=\"meta\">检查日期：<time datetime=\"{d}\">{}</time>　网站：{}</p>",
            self.today.format("%Y年%-m月%-d日"),
            esc(&site),
            d = self.today.format("%Y-%m-%d")
        );
        self.conclusion(&mut h, errors, warnings);
        self.summary(&mut h);
        for (group, heading) in GROUPS {
            let _ = write!(h, "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n", id = group_id(group));
            if group == Group::Veto {
                self.vetoes(&mut h);
            }
            if group == Group::Links {
                h.push_str(if !self.loaded {
                    "<p>内容有错误，链接尚未检查：改正上述错误后再运行检查。</p>\n"
                } else if self.external {
                    "<p>站内链接和指向其他网站的链接都已逐一检查。</p>\n"
                } else {
                    "<p>已检查站内链接；指向其他网站的链接本次未访问（运行 <code>gongkai check --external</code> 可一并检查）。</p>\n"
                });
            }
            self.findings(&mut h, group, heading);
            h.push_str("</section>\n");
        }
        h.push_str(
            "<p class=\"meta\">由 gongkai check 生成。每项问题后写有改正方法；改正后再运行 <code>gongkai check</code> 复查。</p>\n</main>\n</body>\n</html>\n",
        );
        h
    }

    fn conclusion(&self, h: &mut String, errors: usize, warnings: usize) {
        let text = if !self.loaded {
            format!("网站内容有 {errors} 处错误，目前无法生成网站。下列错误须先改正。")
        } else if errors > 0 {
            format!("共发现 {errors} 处错误、{warnings} 处警告。错误须改正后才能发布。")
        } else if warnings > 0 {
            format!("没有错误；有 {warnings} 处警告，检查时可能扣分或被否决，应尽快改正。")
        } else {
            "未发现问题。".to_string()
        };
        let class = if errors > 0 { "bad" } else if warnings > 0 { "warn" } else { "good" };
        let _ = writeln!(h, "<p class=\"conclusion {class}\">{}</p>", esc(&text));
        h.push_str("<p>“错误”使网站无法生成或不能上线，须改正；“警告”不妨碍生成，但属于检查时扣分或否决的问题。</p>\n");
    }

    /// Counts per heading and per body.
    fn summary(&self, h: &mut String) {
        h.push_str("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">概况</h2>\n");
        h.push_str(&counts_table("各类问题数量", "类别"));
        for (group, heading) in GROUPS {
            let (e, w) = count(self.diagnostics.iter().filter(|d| group_of(d.code) == group));
            let _ = writeln!(h, "<tr><th scope=\"row\"><a href=\"#{}\">{heading}</a></th><td>{e}</td><td>{w}</td></tr>", group_id(group));
        }
        let (e, w) = count(self.diagnostics.iter());
        let _ = write!(h, "</tbody>\n<tfoot><tr><th scope=\"row\">合计</th><td>{e}</td><td>{w}</td></tr></tfoot>\n</table></div>\n");
        if !self.names.departments.is_empty() {
            h.push_str(&counts_table("各单位问题数量", "单位"));
            for body in self.bodies() {
                let (e, w) = count(self.diagnostics.iter().filter(|d| d.department.as_deref() == body));
                let _ = writeln!(h, "<tr><th scope=\"row\">{}</th><td>{e}</td><td>{w}</td></tr>", esc(&self.names.body(body)));
            }
            h.push_str("</tbody>\n</table></div>\n");
        }
        h.push_str("</section>\n");
    }

    /// The veto items with their thresholds, and whether each is reached.
    fn vetoes(&self, h: &mut String) {
        h.push_str("<p>下列任一项达到标准，网站检查即判为不合格（全国政府网站普查评分细则）。</p>\n");
        h.push_str(
            "<div class=\"table\"><table>\n<caption>单项否决指标</caption>\n<thead><tr><th scope=\"col\">指标</th><th scope=\"col\">否决标准</th>\
             <th scope=\"col\">本次检查</th><th scope=\"col\">结论</th></tr></thead>\n<tbody>\n",
        );
        for veto in &VETOES {
            let all = self.diagnostics.iter().filter(|d| d.code == veto.code);
            let (found, extra) = if veto.code == Code::StaleHome {
                let departments = all.clone().filter(|d| d.department.is_some()).count();
                let owner = all.filter(|d| d.department.is_none()).count();
                let extra = if departments > 0 { format!("；另有 {departments} 个部门首页超过 2 周未更新") } else { String::new() };
                (owner, extra)
            } else {
                (all.count(), String::new())
            };
            let observed = if veto.code == Code::StaleHome {
                if found > 0 { "本级首页超过 2 周未更新".to_string() } else { "本级首页 2 周内有更新".to_string() }
            } else {
                format!("{found} {}（标准 {}）", veto.unit, veto.threshold)
            };
            let verdict = if found >= veto.threshold {
                "<strong class=\"bad\">已达到：检查将判为不合格</strong>"
            } else {
                "<span class=\"good\">未达到</span>"
            };
            let _ = writeln!(
                h,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}{}</td><td>{verdict}</td></tr>",
                veto.item,
                veto.standard,
                esc(&observed),
                esc(&extra)
            );
        }
        h.push_str("</tbody>\n</table></div>\n");
    }

    /// The findings under one heading, body by body.
    fn findings(&self, h: &mut String, group: Group, heading: &str) {
        let in_group: Vec<&Diagnostic> = self.diagnostics.iter().filter(|d| group_of(d.code) == group).collect();
        if in_group.is_empty() {
            h.push_str(if self.loaded { "<p class=\"good\">未发现问题。</p>\n" } else { "<p>暂未发现问题；改正已列出的错误后，其余检查才能进行。</p>\n" });
            return;
        }
        for body in self.bodies() {
            let found: Vec<&&Diagnostic> = in_group.iter().filter(|d| d.department.as_deref() == body).collect();
            if found.is_empty() {
                continue;
            }
            let name = self.names.body(body);
            let _ = writeln!(h, "<h3>{}</h3>", esc(&name));
            let _ = write!(
                h,
                "<div class=\"table\"><table class=\"findings\">\n<caption>{}：{heading}问题 {} 项</caption>\n\
                 <thead><tr><th scope=\"col\">位置</th><th scope=\"col\">问题及改正方法</th><th scope=\"col\">级别</th></tr></thead>\n<tbody>\n",
                esc(&name),
                found.len()
            );
            for d in found {
                let file = crate::load::slash_path(&d.file);
                let place = match d.line {
                    Some(line) => format!("{file} 第 {line} 行"),
                    None => file,
                };
                let (class, level) = if d.is_error() { ("bad", "错误") } else { ("warn", "警告") };
                let _ = writeln!(
                    h,
                    "<tr><td><code>{}</code></td><td>{} <span class=\"code\">[{}]</span></td><td class=\"{class}\">{level}</td></tr>",
                    esc(&place),
                    esc(&d.message),
                    d.code
                );
            }
            h.push_str("</tbody>\n</table></div>\n");
        }
    }

    /// The bodies findings are grouped by: the owner, each department in order, then
    /// departments the names do not know (a site that did not load), by code.
    fn bodies(&self) -> Vec<Option<&str>> {
        let mut out: Vec<Option<&str>> = vec![None];
        out.extend(self.names.departments.iter().map(|(c, _)| Some(c.as_str())));
        let mut unknown: Vec<&str> = self.diagnostics.iter().filter_map(|d| d.department.as_deref()).filter(|c| !out.contains(&Some(*c))).collect();
        unknown.sort_unstable();
        unknown.dedup();
        out.extend(unknown.into_iter().map(Some));
        out
    }
}

/// The opening of a table of errors and warnings per `what`.
fn counts_table(caption: &str, what: &str) -> String {
    format!(
        "<div class=\"table\"><table class=\"counts\">\n<caption>{caption}</caption>\n\
         <thead><tr><th scope=\"col\">{what}</th><th scope=\"col\">错误</th><th scope=\"col\">警告</th></tr></thead>\n<tbody>\n"
    )
}

fn group_id(group: Group) -> &'static str {
    match group {
        Group::Veto => "veto",
        Group::Reports => "reports",
        Group::Documents => "documents",
        Group::Links => "links",
        Group::Other => "other",
    }
}

fn count<'a>(diags: impl Iterator<Item = &'a Diagnostic>) -> (usize, usize) {
    diags.fold((0, 0), |(e, w), d| if d.is_error() { (e + 1, w) } else { (e, w + 1) })
}

/// Text made safe for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Large enough to read, dark on light (contrast above 7:1 for the text), reflowing
/// on a phone and at 200 % zoom: tables fit the width, long paths wrap.
const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;font-size:1rem;line-height:1.7;\
color:#1a1a1a;background:#fff}\
main{max-width:60rem;margin:0 auto;padding:1rem}\
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0 1rem}\
h2{font-size:1.3rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid #1f4e8c}\
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}\
.meta{color:#404040}\
.conclusion{font-size:1.15rem;font-weight:bold;padding:.75rem 1rem;border-left:6px solid}\
.conclusion.bad{border-color:#a4000f;background:#fdf0f0}\
.conclusion.warn{border-color:#8a5a00;background:#fdf6e7}\
.conclusion.good{border-color:#1d6b2f;background:#eef7ef}\
.bad{color:#a4000f}.warn{color:#7a4f00}.good{color:#1d6b2f}\
.table{max-width:100%}\
table{width:100%;border-collapse:collapse;margin:.5rem 0 1rem}\
caption{text-align:left;font-weight:bold;padding:.25rem 0}\
th,td{border:1px solid #8c8c8c;padding:.4rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
thead th{background:#e8eef6}\
tfoot th,tfoot td{font-weight:bold}\
table.counts{width:auto;min-width:min(100%,24rem)}\
.counts td{text-align:right;min-width:4em}\
td code{font-size:.9em}\
.findings td:last-child{white-space:nowrap}\
.code{color:#404040;font-size:.85em}\
a{color:#1f4e8c}\
a:focus{outline:3px solid #1f4e8c;outline-offset:2px}\
@media (max-width:40rem){main{padding:.5rem}th,td{padding:.3rem}}\
@media print{main{max-width:none;padding:0}tr{break-inside:avoid}h2,h3,caption{break-after:avoid}a{color:inherit;text-decoration:none}}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_written_into_the_report_is_escaped() {
        let names = Names { site: "<b>站</b>".into(), owner: "A&B".into(), departments: vec![] };
        let d = Diagnostic::warning(Code::Link, "content/<x>.md", Some(3), "link \"<script>\" leads nowhere");
        let today = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
        let html = Checkup { names: &names, diagnostics: &[d], today, loaded: true, external: false }.to_html();
        assert!(!html.contains("<script>") && !html.contains("<b>站") && !html.contains("<x>"), "{html}");
        assert!(html.contains("&lt;script&gt;") && html.contains("本级（A&amp;B）"), "{html}");
    }

    #[test]
    fn each_veto_item_says_whether_its_threshold_is_reached() {
        let names = Names { site: "某县政府信息公开".into(), owner: "某县人民政府".into(), departments: vec![("jyj".into(), "某县教育局".into())] };
        let stale = |i: usize| Diagnostic::warning(Code::StaleCategory, format!("content/departments/jyj/directory/{i}.md"), Some(1), "stale");
        let mut diagnostics: Vec<Diagnostic> = (0..5).map(stale).collect();
        diagnostics.push(Diagnostic::warning(Code::StaleHome, "content/departments/jyj/department.toml", None, "nothing new"));
        diagnostics.extend((0..4).map(|i| Diagnostic::warning(Code::EmptyCategory, format!("content/directory/{i}.md"), Some(1), "empty")));
        let today = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
        let html = Checkup { names: &names, diagnostics: &diagnostics, today, loaded: true, external: false }.to_html();
        let rows: Vec<&str> = html.lines().filter(|l| l.starts_with("<tr><th scope=\"row\">") && l.contains("（标准") || l.contains("本级首页")).collect();
        assert_eq!(rows.len(), 4, "{html}");
        // The owner's home page is fresh; a department's is not, and is said so.
        assert!(rows[0].contains("本级首页 2 周内有更新；另有 1 个部门首页超过 2 周未更新") && rows[0].contains("未达到"), "{}", rows[0]);
        assert!(rows[1].contains("5 个栏目（标准 5）") && rows[1].contains("已达到：检查将判为不合格"), "{}", rows[1]);
        assert!(rows[2].contains("5 个栏目（标准 10）") && rows[2].contains("未达到"), "{}", rows[2]);
        assert!(rows[3].contains("4 个栏目（标准 5）") && rows[3].contains("未达到"), "{}", rows[3]);
        // The findings themselves are listed under the department's name.
        assert!(html.contains("<h3>某县教育局</h3>"), "{html}");
    }

    #[test]
    fn every_code_has_a_heading_and_the_veto_codes_come_first() {
        assert_eq!(group_of(Code::StaleCategory), Group::Veto);
        assert_eq!(group_of(Code::ReportCarryover), Group::Reports);
        assert_eq!(group_of(Code::IndexPattern), Group::Documents);
        assert_eq!(group_of(Code::ExternalLink), Group::Links);
        assert_eq!(group_of(Code::Identity), Group::Other);
    }
}
