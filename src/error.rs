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

/// One problem in the site's content, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, e.g. `content/docs/a.md`.
    pub file: PathBuf,
    /// 1-based line inside the file, where the problem has one.
    pub line: Option<usize>,
    pub message: String,
    /// The code of the department whose file it is, on a platform; none for the
    /// owner's files (`check --format json` leaves it out then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file.into(), line, message.into())
    }

    pub fn warning(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file.into(), line, message.into())
    }

    fn new(severity: Severity, file: PathBuf, line: Option<usize>, message: String) -> Self {
        let department = crate::load::department_of(&file).map(String::from);
        Self { severity, file, line, message, department }
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

    pub fn error(&mut self, file: &Path, line: Option<usize>, message: impl Into<String>) {
        self.push(Diagnostic::error(file, line, message));
    }

    pub fn warning(&mut self, file: &Path, line: Option<usize>, message: impl Into<String>) {
        self.push(Diagnostic::warning(file, line, message));
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
