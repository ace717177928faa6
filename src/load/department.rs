/*!
`content/departments/<code>/department.toml`: a department or town that publishes its
own section on the platform, parsed into [`DepartmentInfo`].
*/

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::fields::required_str;
use super::source::Source;
use crate::error::{Code, Diagnostics};
use crate::new::IndexPattern;
use crate::site::BodyKind;

/// A department's settings as its department.toml gives them.
#[derive(Debug, Clone)]
pub struct DepartmentInfo {
    /// Its folder's name, which is also its URL name.
    pub code: String,
    pub name: String,
    /// The prefix of the 索引号 it assigns.
    pub org_code: String,
    pub kind: BodyKind,
    /// Its place in the department index; departments without one come last.
    pub order: i64,
    /// The form of the 索引号 `gongkai new --dept` assigns it, when not the site's.
    pub index_pattern: Option<IndexPattern>,
    /// `[empty_reason]`: why it has nothing in a category of the directory it files
    /// by, which a department filing by the owner's cannot say in that directory.
    pub empty_reasons: Vec<EmptyReason>,
}

/// One line of a department's `[empty_reason]` table.
#[derive(Debug, Clone)]
pub struct EmptyReason {
    /// The category's code.
    pub code: String,
    /// What its page shows instead of 本栏目暂无信息.
    pub reason: String,
    /// Its line in department.toml.
    pub line: usize,
}

#[derive(Deserialize)]
struct RawDepartment {
    name: Option<Spanned<String>>,
    org_code: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    order: Option<i64>,
    index_pattern: Option<Spanned<String>>,
    empty_reason: Option<BTreeMap<String, Spanned<String>>>,
}

const KEYS: &[&str] = &["name", "org_code", "kind", "order", "index_pattern", "empty_reason"];

/// Parses the department.toml at `rel` of the department in folder `code`.
pub fn parse(rel: &Path, code: &str, bytes: &[u8], diags: &mut Diagnostics) -> Option<DepartmentInfo> {
    let src = Source::toml_file(rel, bytes, diags)?;
    let raw: RawDepartment = src.front_matter(KEYS, diags)?;
    let name = required_str(&src, "name", raw.name, "\"某某县教育体育局\"", diags);
    let org_code = required_str(&src, "org_code", raw.org_code, "\"11450001-1\"", diags);
    let kind = match raw.kind {
        None => BodyKind::Department,
        Some(k) => BodyKind::parse(k.get_ref()).unwrap_or_else(|| {
            let line = src.span_line(k.span());
            diags.error(Code::Settings, rel, Some(line), format!("kind \"{}\" is not \"部门\" (a department) or \"乡镇\" (a town)", k.get_ref()));
            BodyKind::Department
        }),
    };
    let index_pattern = raw.index_pattern.and_then(|p| {
        IndexPattern::parse(p.get_ref()).map_err(|msg| diags.error(Code::Settings, rel, Some(src.span_line(p.span())), msg)).ok()
    });
    let mut empty_reasons = Vec::new();
    for (category, reason) in raw.empty_reason.unwrap_or_default() {
        let line = src.span_line(reason.span());
        let text = reason.into_inner().trim().to_string();
        if text.is_empty() {
            diags.warning(Code::Settings, rel, Some(line), format!("empty_reason.{category} is empty, so it says nothing: write why the category has no information, or remove the line"));
            continue;
        }
        empty_reasons.push(EmptyReason { code: category, reason: text, line });
    }
    Some(DepartmentInfo {
        code: code.to_string(),
        name: name?.0,
        org_code: org_code?.0,
        kind,
        order: raw.order.unwrap_or(i64::MAX),
        index_pattern,
        empty_reasons,
    })
}

/// Why `code` cannot name a department folder, if it cannot: it becomes part of every
/// address of the department's section.
pub fn code_problem(code: &str) -> Option<String> {
    let plain = !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    (!plain).then(|| {
        format!(
            "the department folder name \"{code}\" is part of its addresses, so it must be letters, digits and \"-\" \
             (e.g. content/departments/jyj/): rename the folder"
        )
    })
}
