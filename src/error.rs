/*!
Errors and diagnostics.

A *diagnostic* is one problem in the editor's content, reported as
`content/docs/a.md:3: date "2024年3月5日" is not a date (write 2024-03-05)`: the
path relative to the site, the line inside the file, and the fix. Loading collects
every diagnostic of a run before giving up, so an editor sees all problems at once.
An [`Error`] is what stops a run: invalid content (carrying all its diagnostics),
or an I/O or template failure.
*/

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic reports: a stable name that CI scripts and
/// editors can match on (`check --format json` gives it as `code`), whatever the
/// wording of the message. `docs/checks.md` describes each one and how to fix it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    // Reading the files.
    /// A file or folder that cannot be read, is missing, or is a symbolic link.
    File,
    /// Front matter that is not valid TOML, or a field with a wrong or unknown value.
    FrontMatter,
    /// Invisible or control characters in the text or the front matter.
    Characters,
    /// Markdown nested too deeply to render.
    Nesting,
    /// `site.toml` or a department's `department.toml`.
    Settings,
    /// The `[identity]` marks every page of a government site shows.
    Identity,
    /// The 依申请公开 page (`apply.md`).
    Apply,
    /// A guide or directory version, or a category of a directory.
    Directory,
    /// The statistics tables of an annual report.
    ReportTable,
    // Rules across files.
    /// A body without a 政府信息公开指南.
    GuideMissing,
    /// Two files at one address.
    Address,
    /// 索引号 used twice.
    DuplicateIndex,
    /// A document's category is not a leaf of the current directory.
    Category,
    /// `related` names no document.
    Related,
    /// An attachment or image that is not under `files/`.
    Attachment,
    /// The 政府信息公开制度 category.
    RulesCategory,
    /// A link between the site's pages that leads nowhere.
    Link,
    // The inspector's checks.
    /// A category not updated within its `update_every` days.
    StaleCategory,
    /// Nothing new on the site, or in one department, for 14 days.
    StaleHome,
    /// A leaf category without documents and without `empty_reason`.
    EmptyCategory,
    /// An annual report published after its deadline.
    ReportLate,
    /// A year without an annual report.
    ReportMissing,
    /// 上年结转 differs from last year's 结转下年度.
    ReportCarryover,
    /// A key total more than 5× or under 0.2× last year's.
    ReportJump,
    /// A report's text 80 % or more the same as last year's.
    ReportSimilar,
    /// Table 2's 规范性文件 count differs from the site's 规范性文件 that year.
    ReportCount,
    /// A 文号 not written as GB/T 9704 prescribes.
    DocNoFormat,
    /// A 规范性文件 without its 统一登记号 (`reg_no`).
    NormativeRegNo,
    /// A 规范性文件 no 解读 interprets.
    NormativeNoReading,
    /// Validity dates and `superseded_by` that do not agree.
    ValidityDates,
    /// A 索引号 that does not fit the numbering pattern.
    IndexPattern,
    /// An external link that does not answer (`check --external`).
    ExternalLink,
    // The build itself.
    /// A template that fails to render.
    Template,
    /// A build that failed for another reason (shown by the dev server).
    Build,
}

impl Code {
    /// The name used in JSON and in `docs/checks.md`, e.g. `stale-category`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in the site's content, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, e.g. `content/docs/a.md`.
    pub file: PathBuf,
    /// 1-based line inside the file, where the problem has one.
    pub line: Option<usize>,
    /// What kind of problem it is, stable across versions (`docs/checks.md` lists them).
    pub code: Code,
    pub message: String,
    /// The code of the department whose file it is, on a platform; none for the
    /// owner's files (`check --format json` leaves it out then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file.into(), line, message.into())
    }

    pub fn warning(code: Code, file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, file.into(), line, message.into())
    }

    fn new(severity: Severity, code: Code, file: PathBuf, line: Option<usize>, message: String) -> Self {
        let department = crate::load::department_of(&file).map(String::from);
        Self { severity, file, line, code, message, department }
    }

    /// The finding concerns the department `code` although its file is not in that
    /// department's folder (a category of the owner's directory, which a department
    /// without a directory of its own files by). Only where the path does not say it.
    pub fn in_department(mut self, code: Option<&str>) -> Self {
        if let Some(code) = code {
            self.department = Some(code.to_string());
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes on every platform: these paths are read by people and CI tools.
        // Elsewhere than on Windows a backslash is part of a name and is kept.
        let file = self.file.to_string_lossy();
        let file = if std::path::MAIN_SEPARATOR == '\\' { file.replace('\\', "/") } else { file.into_owned() };
        match self.line {
            Some(line) => write!(f, "{file}:{line}: ")?,
            None => write!(f, "{file}: ")?,
        }
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Collects diagnostics while a stage runs.
#[derive(Debug, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn error(&mut self, code: Code, file: &Path, line: Option<usize>, message: impl Into<String>) {
        self.push(Diagnostic::error(code, file, line, message));
    }

    pub fn warning(&mut self, code: Code, file: &Path, line: Option<usize>, message: impl Into<String>) {
        self.push(Diagnostic::warning(code, file, line, message));
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file and line, so reports are stable whatever order files were read in.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.0
    }

    /// [`Diagnostics::into_sorted`], with every warning made an error when `strict`
    /// (`--strict`: a site must be clean before it goes live).
    pub fn into_sorted_under(self, strict: bool) -> Vec<Diagnostic> {
        let mut all = self.into_sorted();
        if strict {
            for d in &mut all {
                d.severity = Severity::Error;
            }
        }
        all
    }
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has errors; `diagnostics` holds all of them (and the warnings).
    #[error("{} error(s) in the site content", count_errors(.diagnostics))]
    Invalid { diagnostics: Vec<Diagnostic> },
    #[error("cannot read {}: {source}", .path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", .path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("{0}")]
    Output(String),
    /// A command was asked for something it cannot do (an unknown category, a bad
    /// date); the message says what to ask instead.
    #[error("{0}")]
    Request(String),
    /// `new` or `init` would have replaced existing files; nothing was written.
    #[error("{} already exists; it was left as it is ({hint})", .path.display())]
    Exists { path: PathBuf, hint: String },
    /// Work given up because what it was for changed again (the dev server's search
    /// index, when another save arrives while it is being made).
    #[error("given up for a newer change")]
    Superseded,
}

fn count_errors(d: &[Diagnostic]) -> usize {
    d.iter().filter(|d| d.is_error()).count()
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::Code;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_is_documented_in_docs_checks_md() {
        let doc = include_str!("../docs/checks.md");
        for code in Code::iter() {
            assert!(
                doc.contains(&format!("| `{code}` |")),
                "docs/checks.md does not describe `{code}`"
            );
        }
    }

    #[test]
    fn codes_are_written_in_json_as_in_the_docs() {
        assert_eq!(
            serde_json::to_value(Code::StaleCategory).unwrap(),
            "stale-category"
        );
        assert_eq!(Code::ReportCarryover.as_str(), "report-carryover");
    }
}
