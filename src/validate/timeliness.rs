/*!
Whether the site is kept up to date, as the inspectors measure it (compliance §7): a
category not updated within its `update_every` days (`stale-category`), nothing new on
the home page, or in one department's section, for two weeks (`stale-home`), and a
category with nothing in it that does not say why (`empty-category`).

Each body is checked against the leaves of its current directory: its own, or the
owner's for a department without one (the finding then carries the department's code,
which the owner's directory file does not).
*/

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Code, Diagnostic, Diagnostics};
use crate::load::source::did_you_mean;
use crate::site::{Body, BodyId, Category, Document, Site};

/// 首页不更新: nothing new on the home page for two weeks.
pub const HOME_DAYS: i64 = 14;

const SITE_TOML: &str = "content/site.toml";

pub fn check(site: &Site, today: NaiveDate, diags: &mut Diagnostics) {
    check_defaults(site, diags);
    check_home(site, today, diags);
    check_department_reasons(site, diags);
    for (id, body) in site.body_ids() {
        let Some(current) = site.directory_of(id).current() else { continue };
        // The owner's directory file says nothing of the department filing by it.
        let department = if body.directory.pages.is_empty() { body.code.as_deref() } else { None };
        let mut leaves = Vec::new();
        collect_leaves(&current.categories, &mut Vec::new(), &mut leaves);
        for (leaf, path) in leaves {
            let documents = body.documents_in(&leaf.code);
            let finding = match newest(site, documents, today) {
                Some(newest) => stale(site, body, leaf, &path, newest, today),
                // Only documents dated after today: not stale yet, nor empty.
                None if !documents.is_empty() => None,
                None if body.empty_reason(leaf).is_none() && !filled_by_page(site, id, leaf) => Some(empty(body, leaf, department)),
                None => None,
            };
            if let Some((code, message)) = finding {
                diags.push(Diagnostic::warning(code, &current.source, Some(leaf.line), message).in_department(department));
            }
        }
    }
}

/// Every leaf of `tree` with the codes from the root down to it.
fn collect_leaves<'a>(tree: &'a [Category], parents: &mut Vec<&'a str>, out: &mut Vec<(&'a Category, Vec<&'a str>)>) {
    for c in tree {
        parents.push(&c.code);
        if c.is_leaf() {
            out.push((c, parents.clone()));
        }
        collect_leaves(&c.children, parents, out);
        parents.pop();
    }
}

/// The newest of `documents` (indices, newest first) published by `today`: one dated
/// later is not on the site yet that day.
fn newest<'a>(site: &'a Site, documents: &[usize], today: NaiveDate) -> Option<&'a Document> {
    documents.iter().map(|&i| &site.documents[i]).find(|d| d.date <= today)
}

/// The days a leaf may go without a new document, and where that is said: its own
/// `update_every`, or else the site's `[check] update_every` for its code or, failing
/// that, for the nearest category above it.
fn limit<'a>(site: &Site, leaf: &Category, path: &[&'a str]) -> Option<(u32, Option<&'a str>)> {
    if let Some(days) = leaf.update_every {
        return Some((days, None));
    }
    path.iter().rev().find_map(|code| Some((site.config.check.update_every(code)?, Some(*code))))
}

fn stale(site: &Site, body: &Body, leaf: &Category, path: &[&str], newest: &Document, today: NaiveDate) -> Option<(Code, String)> {
    let (days, default_of) = limit(site, leaf, path)?;
    let age = (today - newest.date).num_days();
    (age > i64::from(days)).then(|| {
        let (limit, fix) = match default_of {
            None => (format!("its update_every = {days} days"), "raise update_every"),
            Some(code) => (format!("update_every = {days} days (site.toml [check], for \"{code}\")"), "set update_every on the category"),
        };
        (
            Code::StaleCategory,
            format!(
                "category \"{}\" ({}) of {}: newest document is {age} days old ({}), more than {limit}: \
                 publish what is new in it, or {fix} if it changes less often",
                leaf.code, leaf.name, body.name, newest.date
            ),
        )
    })
}

fn empty(body: &Body, leaf: &Category, department: Option<&str>) -> (Code, String) {
    // In the owner's directory, a reason would be every body's that files by it.
    let place = match department {
        Some(code) => format!("in content/departments/{code}/department.toml with [empty_reason] {} = \"…\"", leaf.code),
        None => "in the directory with empty_reason = \"…\"".to_string(),
    };
    (
        Code::EmptyCategory,
        format!(
            "category \"{}\" ({}) of {} has no document, and inspectors count an empty column (空白栏目): publish its information, \
             or, if the body has none to publish, say why {place} (e.g. \"本机关无此类事项\"), which its page then shows",
            leaf.code, leaf.name, body.name
        ),
    )
}

/// Every code of a department's `[empty_reason]` must be a category of the directory
/// it files by: a misspelt one would leave the category's page saying 本栏目暂无信息.
fn check_department_reasons(site: &Site, diags: &mut Diagnostics) {
    for (_, body) in site.body_ids().skip(1) {
        let mut codes: Vec<&str> = body.categories.keys().map(String::as_str).collect();
        codes.sort();
        let file = body.folder.join("department.toml");
        for reason in &body.empty_reasons {
            let Some(info) = body.categories.get(&reason.code) else {
                let by_name = body.categories.iter().find(|(_, c)| c.name == reason.code).map(|(code, _)| code.as_str());
                let hint = by_name
                    .or_else(|| did_you_mean(&reason.code, &codes))
                    .map(|k| format!(" (did you mean \"{k}\", {}?)", body.categories[k].name))
                    .unwrap_or_default();
                let directory = if body.directory.pages.is_empty() { "the owner's directory, which it files by" } else { "its directory" };
                diags.warning(
                    Code::Settings,
                    &file,
                    Some(reason.line),
                    format!(
                        "empty_reason names \"{}\", which is not a category of {directory}{hint}, so it is shown nowhere: \
                         write the code of a category",
                        reason.code
                    ),
                );
                continue;
            };
            if !info.is_leaf {
                diags.warning(
                    Code::Settings,
                    &file,
                    Some(reason.line),
                    format!(
                        "empty_reason names \"{}\" ({}), which has categories below it and lists their documents: \
                         give the reason for the categories below it that have none",
                        reason.code, info.name
                    ),
                );
            }
        }
    }
}

/// Whether a category is filled by a page of the section that is not a document: the
/// 指南, the 依申请公开 page, the 目录 itself, or the annual reports and work plans
/// when site.toml files them under no category.
fn filled_by_page(site: &Site, id: BodyId, leaf: &Category) -> bool {
    let name = leaf.name.as_str();
    if name.contains("依申请公开") || name.contains("公开目录") {
        return true;
    }
    if name.contains("公开指南") {
        return !site.body(id).guide.pages.is_empty();
    }
    if name.contains("年度报告") || name.contains("年报") {
        return !site.years(id, true).is_empty();
    }
    if name.contains("工作要点") {
        return !site.years(id, false).is_empty();
    }
    false
}

/// 首页不更新: the site's newest document, and each department's, at most two weeks old.
fn check_home(site: &Site, today: NaiveDate, diags: &mut Diagnostics) {
    let since = |doc: &Document| (today - doc.date).num_days();
    let all: Vec<usize> = (0..site.documents.len()).collect();
    if let Some(newest) = newest(site, &all, today).filter(|d| since(d) > HOME_DAYS) {
        diags.warning(
            Code::StaleHome,
            Path::new(SITE_TOML),
            None,
            format!(
                "nothing new on the site for {} days: the newest document is from {} ({}), and inspectors count a home page \
                 not updated for two weeks (首页不更新): publish what is new",
                since(newest),
                newest.date,
                crate::load::slash_path(&newest.source)
            ),
        );
    }
    for (_, body) in site.body_ids().skip(1) {
        let file = body.folder.join("department.toml");
        match newest(site, body.documents(), today) {
            Some(newest) if since(newest) > HOME_DAYS => diags.warning(
                Code::StaleHome,
                &file,
                None,
                format!(
                    "nothing new from {} for {} days: its newest document is from {} ({}), and inspectors count a section \
                     not updated for two weeks (首页不更新): publish what is new",
                    body.name,
                    since(newest),
                    newest.date,
                    crate::load::slash_path(&newest.source)
                ),
            ),
            Some(_) => {}
            None if !body.documents().is_empty() => {}
            None => diags.warning(Code::StaleHome, &file, None, format!("{} has published no document yet: publish what it must disclose", body.name)),
        }
    }
}

/// Every code of `[check] update_every` must be a category of some body's current
/// directory: a code misspelt there would leave its category unchecked.
fn check_defaults(site: &Site, diags: &mut Diagnostics) {
    let mut codes: Vec<(&str, &str)> = site
        .bodies
        .iter()
        .flat_map(|b| b.categories.iter().map(|(code, c)| (code.as_str(), c.name.as_str())))
        .collect();
    codes.sort();
    codes.dedup();
    let known: Vec<&str> = codes.iter().map(|(code, _)| *code).collect();
    for default in &site.config.check.update_every {
        if known.contains(&default.code.as_str()) {
            continue;
        }
        // Editors often write the category's name instead of its code.
        let by_name = codes.iter().find(|(_, name)| *name == default.code).map(|(code, _)| *code);
        let hint = by_name
            .or_else(|| did_you_mean(&default.code, &known))
            .and_then(|k| codes.iter().find(|(code, _)| *code == k))
            .map(|(code, name)| format!(" (did you mean \"{code}\", {name}?)"))
            .unwrap_or_default();
        diags.warning(
            Code::Settings,
            Path::new(SITE_TOML),
            Some(default.line),
            format!(
                "check.update_every names \"{}\", which is not a category of the current directory{hint}, so it checks nothing: \
                 write the code of a category",
                default.code
            ),
        );
    }
}
