/*!
The rules across a body's annual reports (年度报告), as graders apply them
(/work/shared/spec/compliance.md §6, docs/checks.md): every year from the first has
its report (`report-missing`), published by its deadline (`report-late`, 条例
第四十九条); this year's 上年结转 is last year's 结转下年度 (`report-carryover`); no key
total jumps more than 5× or falls under 0.2× (`report-jump`); the text is not last
year's again (`report-similar`); and table 二's 规范性文件 count agrees with the
documents the body published (`report-count`). Each body (the owner, each department
and town) is compared with itself only; "last year" is its report of year − 1.
*/

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use crate::error::{Code, Diagnostics};
use crate::report::{APPLICANTS, CARRIED_IN, CARRIED_OUT, NEW, Report};
use crate::site::{Body, BodyId, BodyKind, Category, DocKind, Document, Site};

/// A key total is only compared when this year's or last year's is at least this: a
/// move from 1 to 6 applications is no jump worth asking about.
pub const JUMP_FLOOR: u64 = 10;

/// `report-similar` warns from this share of this year's bigrams found in last year's.
pub const SIMILAR_PERCENT: u64 = 80;

/// Texts with fewer CJK bigrams than this (about two short paragraphs, the stubs of a
/// report being written) are not compared: their share says nothing.
pub const SIMILAR_MIN_BIGRAMS: u64 = 100;

pub fn check(site: &Site, today: NaiveDate, diags: &mut Diagnostics) {
    for (id, body) in site.body_ids() {
        let mut reports: Vec<(i32, &Document)> = site.years(id, true).into_iter().map(|(y, i)| (y, &site.documents[i])).collect();
        reports.sort_by_key(|(y, _)| *y);
        check_missing(site, id, body, &reports, today, diags);
        let normative = normative_categories(site, id);
        for &(year, doc) in &reports {
            check_late(body, year, doc, diags);
            if let Some(report) = &doc.report {
                check_count(site, body, &normative, year, doc, report, diags);
            }
            let Some(&(_, last)) = reports.iter().find(|(y, _)| *y == year - 1) else { continue };
            check_similar(year, doc, last, diags);
            if let (Some(now), Some(before)) = (&doc.report, &last.report) {
                check_carryover(year, doc, now, last, before, diags);
                check_jumps(year, doc, now, last, before, diags);
            }
        }
    }
}

/// `report-missing`: every year from the body's first report (or, for a body with
/// none, the platform's first) to the last one whose deadline has passed, as the 年报
/// overview marks them.
fn check_missing(site: &Site, id: BodyId, body: &Body, reports: &[(i32, &Document)], today: NaiveDate, diags: &mut Diagnostics) {
    let Some(first) = crate::site::first_report_year(site, id) else { return };
    let have: HashSet<i32> = reports.iter().map(|(y, _)| *y).collect();
    for year in (first..=today.year()).filter(|y| body.report_deadline(*y) < today && !have.contains(y)) {
        let file = body.folder.join("reports").join(format!("{year}.md"));
        // The department's settings file, or the owner's reports folder, is where to look.
        let at = if body.code.is_some() { body.folder.join("department.toml") } else { body.folder.join("reports") };
        diags.warning(
            Code::ReportMissing,
            &at,
            None,
            format!(
                "{} has no {year} annual report (年度报告), which was due by {}: add {}",
                body.name,
                body.report_deadline(year),
                crate::load::slash_path(&file)
            ),
        );
    }
}

/// `report-late`: published (`date`) after the deadline of its year.
fn check_late(body: &Body, year: i32, doc: &Document, diags: &mut Diagnostics) {
    let deadline = body.report_deadline(year);
    if doc.date <= deadline {
        return;
    }
    let (whose, key) = match body.kind {
        BodyKind::Owner => ("the platform's own government", "report_deadline"),
        _ => ("departments and towns", "department_report_deadline"),
    };
    diags.warning(
        Code::ReportLate,
        &doc.source,
        (doc.lines.date > 0).then_some(doc.lines.date),
        format!(
            "the {year} annual report is dated {}, after its deadline {deadline} ({}, 条例 第四十九条): if it was published on time, \
             make `date` the day it was published; if your rules give {whose} another day, set it as [check] {key} = \"MM-DD\" \
             in content/site.toml",
            doc.date,
            match body.kind {
                BodyKind::Owner => "3月31日 for the government that owns the platform unless site.toml sets another day",
                _ => "1月31日 for departments and towns unless site.toml sets another day",
            }
        ),
    );
}

/// `report-carryover` (an error): the applications carried into this year (表三 row 二)
/// are those last year carried forward (row 四), column by column, when both reports
/// give table 三.
fn check_carryover(year: i32, doc: &Document, now: &Report, last: &Document, before: &Report, diags: &mut Diagnostics) {
    if !now.given.applications || !before.given.applications {
        return;
    }
    let line = now.lines.carried_in.or(now.lines.new);
    for (c, column) in APPLICANTS.iter().enumerate() {
        let (into, out) = (now.applications.carried_in[c], before.applications.carried_out[c]);
        if into != out {
            diags.error(
                Code::ReportCarryover,
                &doc.source,
                line,
                format!(
                    "表三 {CARRIED_IN}, column {column}: {into}, but the {} report {} gives {CARRIED_OUT} = {out}; \
                     what {} carried forward is what {year} carried in: correct the one that is wrong",
                    year - 1,
                    crate::load::slash_path(&last.source),
                    year - 1,
                ),
            );
        }
    }
}

/// A total graders compare between years: its label, this year's value, last year's,
/// and the line of this year's row.
struct KeyTotal {
    label: String,
    now: u64,
    before: u64,
    line: Option<usize>,
}

/// The totals `report-jump` compares, of the tables both reports give: applications
/// received (表三 一), 行政复议 and 行政诉讼 cases (表四), and 规范性文件 issued (表二).
fn key_totals(now: &Report, before: &Report) -> Vec<KeyTotal> {
    let sum = |row: &[u64]| row.iter().sum::<u64>();
    let mut out = Vec::new();
    if now.given.applications && before.given.applications {
        out.push(KeyTotal {
            label: format!("表三 {NEW} 总计"),
            now: sum(&now.applications.new),
            before: sum(&before.applications.new),
            line: now.lines.new,
        });
    }
    if now.given.appeals && before.given.appeals {
        let litigation = |r: &Report| sum(&r.appeals.litigation) + sum(&r.appeals.after_review);
        out.push(KeyTotal { label: "表四 行政复议 总计".into(), now: sum(&now.appeals.review), before: sum(&before.appeals.review), line: now.lines.review });
        out.push(KeyTotal { label: "表四 行政诉讼 总计".into(), now: litigation(now), before: litigation(before), line: now.lines.litigation });
    }
    if now.given.active && before.given.active {
        out.push(KeyTotal {
            label: "表二 行政规范性文件 本年制发件数".into(),
            now: now.active.normative.made,
            before: before.active.normative.made,
            line: now.lines.normative,
        });
    }
    out
}

/// Whether `now` is more than 5× or under 0.2× `before`, with at least one of them
/// [`JUMP_FLOOR`] or more (so 0 → 10 is a jump, 1 → 6 and 0 → 9 are not).
pub fn is_jump(now: u64, before: u64) -> bool {
    now.max(before) >= JUMP_FLOOR && (now > 5 * before || 5 * now < before)
}

/// `report-jump`: a key total more than 5× or under 0.2× last year's.
fn check_jumps(year: i32, doc: &Document, now: &Report, last: &Document, before: &Report, diags: &mut Diagnostics) {
    for t in key_totals(now, before).into_iter().filter(|t| is_jump(t.now, t.before)) {
        let how = if t.now > t.before { "more than 5 times" } else { "under a fifth of" };
        diags.warning(
            Code::ReportJump,
            &doc.source,
            t.line,
            format!(
                "{}: {} in {year}, {how} the {} of {} ({}): graders ask about such jumps; check the number, and say in the \
                 text why it changed",
                t.label,
                t.now,
                t.before,
                year - 1,
                crate::load::slash_path(&last.source)
            ),
        );
    }
}

/// The CJK bigrams of a report's text with their counts, as the search index makes
/// them (docs/search.md §1). Headings and table markers (`{{ 表二 }}`) are left out:
/// the national format prescribes them, the same every year.
fn bigrams(text: &str) -> HashMap<(char, char), u64> {
    let mut out = HashMap::new();
    let mut word = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.starts_with('#') && !l.starts_with("{{")) {
        crate::search::tokens::each_token(line, &mut word, |t| {
            if let crate::search::tokens::Token::Bigram(a, b) = t {
                *out.entry((a, b)).or_insert(0) += 1;
            }
        });
    }
    out
}

/// The share of `now`'s text already in `before`'s, in whole percent (rounded down):
/// of this year's bigrams, counted with repeats, how many last year's text also had
/// (each of last year's occurrences matching at most one of this year's). `None` when
/// this year's text has fewer than [`SIMILAR_MIN_BIGRAMS`].
pub fn similarity(now: &str, before: &str) -> Option<u64> {
    let (now, before) = (bigrams(now), bigrams(before));
    let total: u64 = now.values().sum();
    if total < SIMILAR_MIN_BIGRAMS {
        return None;
    }
    let common: u64 = now.iter().map(|(b, n)| (*n).min(before.get(b).copied().unwrap_or(0))).sum();
    Some(common * 100 / total)
}

/// `report-similar`: 80 % or more of this year's text was in last year's report.
fn check_similar(year: i32, doc: &Document, last: &Document, diags: &mut Diagnostics) {
    let Some(percent) = similarity(&doc.body, &last.body) else { return };
    if percent < SIMILAR_PERCENT {
        return;
    }
    diags.warning(
        Code::ReportSimilar,
        &doc.source,
        Some(doc.lines.body),
        format!(
            "{percent} % of its text (counted in pairs of characters, as search does) is already in the {} report {}: \
             a report tells its own year's work, with that year's facts and figures; rewrite what was copied",
            year - 1,
            crate::load::slash_path(&last.source)
        ),
    );
}

/// Codes of the categories of a body's current directory marked `normative = true`.
fn normative_categories(site: &Site, id: BodyId) -> Vec<String> {
    fn walk(nodes: &[Category], out: &mut Vec<String>) {
        for c in nodes {
            if c.normative {
                out.push(c.code.clone());
            }
            walk(&c.children, out);
        }
    }
    let mut out = Vec::new();
    if let Some(current) = site.directory_of(id).current() {
        walk(&current.categories, &mut out);
    }
    out
}

/// `report-count`: 表二's 行政规范性文件 本年制发件数 is the number of the body's documents
/// of that year in its `normative` categories, a document's year being that of its
/// 成文日期 (`written`, the day it was made), or of its 发布日期 when it has none.
fn check_count(site: &Site, body: &Body, normative: &[String], year: i32, doc: &Document, report: &Report, diags: &mut Diagnostics) {
    if normative.is_empty() || !report.given.active {
        return;
    }
    let docs: HashSet<usize> = normative.iter().flat_map(|code| body.documents_in(code).iter().copied()).collect();
    let made = docs
        .iter()
        .map(|&i| &site.documents[i])
        .filter(|d| d.kind == DocKind::Doc && d.written.unwrap_or(d.date).year() == year)
        .count() as u64;
    let reported = report.active.normative.made;
    if made == reported {
        return;
    }
    let mut codes = normative.to_vec();
    codes.sort();
    diags.warning(
        Code::ReportCount,
        &doc.source,
        report.lines.normative,
        format!(
            "表二 行政规范性文件 本年制发件数 is {reported}, but {} has {made} documents of {year} (by 成文日期, else 发布日期) in its \
             规范性文件 categories ({}): correct the number, or publish the missing documents",
            body.name,
            codes.join(", ")
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jump_needs_a_factor_over_five_and_a_number_over_the_floor() {
        assert!(is_jump(60, 10) && is_jump(10, 0) && is_jump(1, 10) && is_jump(0, 10));
        assert!(!is_jump(50, 10) && !is_jump(2, 10) && !is_jump(6, 1) && !is_jump(9, 0) && !is_jump(0, 0));
    }

    #[test]
    fn similarity_is_the_share_of_this_years_bigrams_found_in_last_years() {
        let base = "本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。".repeat(4);
        assert_eq!(similarity(&base, &base), Some(100));
        // Too short to compare.
        assert_eq!(similarity("总体情况。", "总体情况。"), None);
        // This year's text with last year's inside it and more that is new (36 + 48 characters a round): about 37 %.
        let new = "今年新建了政务公开专区，印发了主动公开目录，组织了培训三次，并对网站进行改版，完善了依申请公开的办理流程。".repeat(4);
        let percent = similarity(&format!("{base}\n{new}"), &base).unwrap();
        assert!((30..=45).contains(&percent), "{percent}");
        // Headings are the format's, not the report's text.
        let headings = "## 一、总体情况\n## 二、主动公开政府信息情况\n".repeat(30);
        assert_eq!(similarity(&headings, &headings), None);
    }
}
