//! Test harness: a fixture site copied into a fresh temporary folder, changed file by
//! file, then built or checked through the library or the real binary.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gongkai::{BuildOptions, BuildReport, Diagnostic, Error, LoadOptions};

/// The day `errors` and `warnings` check on: soon after the basic fixture's newest
/// document (2023-03-05) and before its owner's 2022 annual report is due (2023-03-31),
/// so that the rules that depend on the date (`report-missing`) find the same on every
/// day the tests run.
pub const FIXTURE_TODAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2023, 3, 15) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// `YYYY-MM-DD` as a date.
pub fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        copy_dir(&from, dir.path());
        TestSite { dir }
    }

    /// The basic fixture: every page type, a policy with its 解读, a repealed document,
    /// an attachment with a Chinese file name, two documents per listing page.
    pub fn basic() -> TestSite {
        TestSite::fixture("basic")
    }

    /// A copy of the example site at the repository root (its content and theme).
    pub fn example() -> TestSite {
        let site = TestSite::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["content", "themes"] {
            copy_dir(&repo.join(folder), &site.root().join(folder));
        }
        site
    }

    /// An empty temporary folder, for sites made by `gongkai init`.
    pub fn empty() -> TestSite {
        TestSite { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (path relative to the site root).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Replaces `from` by `to` in a file, which must contain it.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read_source(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root().join(rel)).unwrap();
        self
    }

    pub fn read_source(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// A built file under public/.
    pub fn output(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join("public").join(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn has_output(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).exists()
    }

    pub fn build(&self) -> Result<BuildReport, Error> {
        self.build_with(BuildOptions::default())
    }

    pub fn build_with(&self, options: BuildOptions) -> Result<BuildReport, Error> {
        gongkai::build(self.root(), &options)
    }

    pub fn build_ok(&self) -> BuildReport {
        self.build().unwrap_or_else(|e| panic!("build failed: {}", describe(&e)))
    }

    pub fn build_under(&self, base_url: &str) -> BuildReport {
        let options = BuildOptions { load: LoadOptions { base_url: Some(base_url.into()), ..LoadOptions::default() }, ..BuildOptions::default() };
        self.build_with(options).unwrap_or_else(|e| panic!("build failed: {}", describe(&e)))
    }

    /// The diagnostics of a check that must fail, as printed lines.
    pub fn errors(&self) -> Vec<String> {
        match gongkai::check(self.root(), &LoadOptions::default()) {
            Ok(_) => panic!("check passed, but the site is broken"),
            Err(Error::Invalid { diagnostics }) => {
                diagnostics.iter().filter(|d| d.is_error() && !timely(d)).map(Diagnostic::to_string).collect()
            }
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    /// The warnings of a check that must pass, on [`FIXTURE_TODAY`], but those of
    /// [`timely`], which most fixtures are not written to avoid.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings_on(FIXTURE_TODAY)
    }

    /// The warnings of a check that must pass, on the day `today`.
    pub fn warnings_on(&self, today: chrono::NaiveDate) -> Vec<String> {
        match gongkai::check(self.root(), &LoadOptions { today, ..LoadOptions::default() }) {
            Ok(loaded) => loaded.warnings.iter().filter(|d| !timely(d)).map(Diagnostic::to_string).collect(),
            Err(e) => panic!("check failed: {}", describe(&e)),
        }
    }

    /// Runs the real binary in the site folder.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_gongkai")).args(args).current_dir(self.root()).output().expect("run gongkai")
    }

    /// Every file under public/ with its bytes.
    /// Every file a cold build of the site writes into a folder of its own.
    pub fn cold_snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        gongkai::build(self.root(), &BuildOptions { output: Some(out.clone()), ..BuildOptions::default() })
            .unwrap_or_else(|e| panic!("cold build failed: {}", describe(&e)));
        dir_snapshot(&out)
    }

    pub fn output_snapshot(&self) -> Vec<(String, Vec<u8>)> {
        self.output_files().into_iter().map(|f| {
            let bytes = fs::read(self.root().join("public").join(&f)).unwrap();
            (f, bytes)
        }).collect()
    }

    /// Every file under public/, relative, sorted.
    pub fn output_files(&self) -> Vec<String> {
        let base = self.root().join("public");
        let mut out: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&base).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        out.sort();
        out
    }
}

/// Whether a finding is one of the inspector's on the site being kept up to date: a
/// fixture's documents grow older each day the tests run, so its home and categories
/// turn stale, and its directory's categories are not all filled. tests/inspect_timeliness.rs
/// checks these with the day fixed; other tests leave them out.
pub fn timely(d: &Diagnostic) -> bool {
    matches!(d.code, gongkai::Code::StaleHome | gongkai::Code::StaleCategory | gongkai::Code::EmptyCategory)
}

/// The same for a diagnostic of `check --format json`.
pub fn timely_json(d: &serde_json::Value) -> bool {
    ["stale-home", "stale-category", "empty-category"].iter().any(|c| d["code"] == *c)
}

/// Runs the real binary in `dir`.
pub fn gongkai_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai")).args(args).current_dir(dir).output().expect("run gongkai")
}

/// Every file under `dir` with its bytes, relative paths sorted: to show that a
/// refused command wrote nothing.
pub fn dir_snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// The output's files without gongkai's bookkeeping (its record, which names the
/// stat each file had once written, and the search index's cache, whose header names
/// the program), which no two builds write alike.
pub fn without_bookkeeping(files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    files.into_iter().filter(|(name, _)| name != ".gongkai-manifest" && name != ".gongkai.search-cache.bin").collect()
}

pub fn describe(e: &Error) -> String {
    match e {
        Error::Invalid { diagnostics } => diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"),
        other => other.to_string(),
    }
}

/// Asserts that one of `lines` is exactly `expected`.
pub fn assert_line(lines: &[String], expected: &str) {
    assert!(lines.iter().any(|l| l == expected), "expected the line\n  {expected}\namong\n  {}", lines.join("\n  "));
}

/// Asserts that one of `lines` starts with `prefix` and contains `part`.
pub fn assert_reported(lines: &[String], prefix: &str, part: &str) {
    assert!(
        lines.iter().any(|l| l.starts_with(prefix) && l.contains(part)),
        "expected a line starting with {prefix:?} containing {part:?} among\n  {}",
        lines.join("\n  ")
    );
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target: PathBuf = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Parsed HTML, for assertions on elements rather than on strings.
pub fn html(text: &str) -> scraper::Html {
    scraper::Html::parse_document(text)
}

pub fn select_texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

pub fn select_attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}
