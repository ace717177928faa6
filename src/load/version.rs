/*!
Front matter of a versioned page: a guide (`guide/<version>.md`) or a directory
(`directory/<version>.md`, which also carries the category tree).
*/

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::fields::{date, required_str};
use super::source::Source;
use crate::error::{Code, Diagnostics};
use crate::site::{Category, ColumnType, VersionPage};

#[derive(Deserialize)]
struct RawVersion {
    title: Option<Spanned<String>>,
    version: Option<Spanned<toml::Value>>,
    effective: Option<Spanned<toml::Value>>,
    summary: Option<String>,
    categories: Option<Vec<RawCategory>>,
}

#[derive(Deserialize)]
struct RawCategory {
    code: Spanned<String>,
    name: Spanned<String>,
    description: Option<String>,
    deadline: Option<String>,
    department: Option<String>,
    basis: Option<String>,
    channel: Option<String>,
    column_type: Option<Spanned<String>>,
    update_every: Option<Spanned<i64>>,
    empty_reason: Option<String>,
    normative: Option<bool>,
    class_code: Option<Spanned<String>>,
    children: Option<Vec<RawCategory>>,
}

const GUIDE_KEYS: &[&str] = &["title", "version", "effective", "summary"];
const DIRECTORY_KEYS: &[&str] = &["title", "version", "effective", "summary", "categories"];

/// Which series a versioned page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Series {
    Guide,
    Directory,
}

pub fn parse(src: &Source, series: Series, diags: &mut Diagnostics) -> Option<VersionPage> {
    let keys = if series == Series::Guide { GUIDE_KEYS } else { DIRECTORY_KEYS };
    let raw: RawVersion = src.front_matter(keys, diags)?;
    let title = required_str(src, "title", raw.title, "\"政府信息公开指南\"", diags);
    let version = version_label(src, raw.version, diags);
    let effective = match raw.effective {
        Some(v) => date(src, "effective", v, diags),
        None => {
            src.missing("effective", "`effective` is required (the date this version took effect, e.g. effective = 2023-06-01)", diags);
            None
        }
    };
    let categories = match (series, raw.categories) {
        (Series::Directory, None) => {
            src.missing("categories", "a directory version needs its category tree: add [[categories]] with code and name", diags);
            Vec::new()
        }
        (_, raw) => {
            let mut seen = HashSet::new();
            raw.unwrap_or_default().into_iter().map(|c| category(src, c, &mut seen, diags)).collect()
        }
    };
    let (version, version_line) = version?;
    Some(VersionPage {
        source: src.rel.clone(),
        title: title?.0,
        version,
        version_line,
        effective: effective?,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        categories,
        body: src.body().to_string(),
        body_line: src.body_line(),
    })
}

/// The version label, which becomes a URL segment (`2023` or `2023-06`), and its line.
fn version_label(src: &Source, value: Option<Spanned<toml::Value>>, diags: &mut Diagnostics) -> Option<(String, usize)> {
    let Some(value) = value else {
        src.missing("version", "`version` is required (e.g. version = \"2023\")", diags);
        return None;
    };
    let line = src.span_line(value.span());
    let label = match value.into_inner() {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Integer(i) => i.to_string(),
        other => other.to_string(),
    };
    // It must start and end with a letter or digit: "." or ".." would name the series'
    // own folder or the one above it, and Windows drops a name's trailing dot.
    let ends_plain = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let plain = label.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plain || !ends_plain(label.chars().next()) || !ends_plain(label.chars().last()) {
        diags.error(
            Code::Directory,&src.rel,
            Some(line),
            format!("version \"{label}\" is used in the page's address: use only letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. \"2023-06\")"),
        );
        return None;
    }
    Some((label, line))
}

fn category(src: &Source, raw: RawCategory, seen: &mut HashSet<String>, diags: &mut Diagnostics) -> Category {
    let code_line = src.span_line(raw.code.span());
    let line = Some(code_line);
    let code = raw.code.into_inner().trim().to_string();
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        diags.error(Code::Directory, &src.rel, line, format!("category code \"{code}\" is used in addresses: use only ASCII letters, digits, '-' and '_' (e.g. \"gzjh\")"));
    } else if !seen.insert(code.clone()) {
        diags.error(Code::Directory, &src.rel, line, format!("category code \"{code}\" appears twice in this directory; each code must be unique"));
    }
    if raw.name.get_ref().trim().is_empty() {
        diags.error(Code::Directory, &src.rel, Some(src.span_line(raw.name.span())), format!("category \"{code}\" has an empty name"));
    }
    let column_type = raw.column_type.and_then(|c| parse_column_type(src, &code, c, diags));
    let update_every = raw.update_every.and_then(|days| update_every(src, &code, days, diags));
    let class_code = raw.class_code.and_then(|c| class_code(src, &code, c, diags));
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Category {
        line: code_line,
        update_every,
        empty_reason: clean(raw.empty_reason),
        normative: raw.normative.unwrap_or(false),
        class_code,
        code,
        name: raw.name.into_inner().trim().to_string(),
        description: clean(raw.description),
        deadline: clean(raw.deadline),
        department: clean(raw.department),
        basis: clean(raw.basis),
        channel: clean(raw.channel),
        column_type,
        children: raw.children.unwrap_or_default().into_iter().map(|c| category(src, c, seen, diags)).collect(),
    }
}

/// A category's `update_every`: how many days may pass without a new document
/// before `check` says the column is not kept up to date.
fn update_every(src: &Source, code: &str, days: Spanned<i64>, diags: &mut Diagnostics) -> Option<u32> {
    match u32::try_from(*days.get_ref()) {
        Ok(d) if d > 0 => Some(d),
        _ => {
            diags.error(
                Code::Directory,
                &src.rel,
                Some(src.span_line(days.span())),
                format!("category \"{code}\": update_every = {} must be a number of days of at least 1 (e.g. update_every = 90)", days.get_ref()),
            );
            None
        }
    }
}

/// A category's `class_code`, the class number `{category}` stands for in an
/// `index_pattern`: it becomes part of every 索引号 of the category.
fn class_code(src: &Source, code: &str, value: Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    let class = value.get_ref().trim();
    if class.is_empty() || !class.chars().all(|c| c.is_ascii_alphanumeric()) {
        diags.error(
            Code::Directory,
            &src.rel,
            Some(src.span_line(value.span())),
            format!("category \"{code}\": class_code \"{class}\" must be ASCII letters and digits (e.g. class_code = \"05\")"),
        );
        return None;
    }
    Some(class.to_string())
}

/// A category's `column_type`: one of the rules' 栏目类型, spelled as they are.
fn parse_column_type(src: &Source, code: &str, value: Spanned<String>, diags: &mut Diagnostics) -> Option<ColumnType> {
    let parsed = ColumnType::parse(value.get_ref());
    if parsed.is_none() {
        let known: Vec<&str> = ColumnType::ALL.iter().map(|c| c.label()).collect();
        diags.error(
            Code::Directory,&src.rel,
            Some(src.span_line(value.span())),
            format!(
                "category \"{code}\": column_type \"{}\" is not a 栏目类型 of the web-page design rules; write one of {} (or leave it out)",
                value.get_ref(),
                known.join(", ")
            ),
        );
    }
    parsed
}
