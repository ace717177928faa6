/*!
Stage 1, load: read `content/` into an in-memory [`Site`].

Each file is read and parsed on its own (in parallel), then the cross-file rules of
[`crate::validate`] run over the whole site. Every problem of every file is collected;
the site is returned only when there is no error.
*/

pub mod document;
mod report;
mod fields;
pub mod source;
pub mod version;

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::site::{DocKind, Document, Site, VersionPage, Versions};
use source::Source;
use version::Series;

/// Settings that come from the command line rather than the site.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Overrides site.toml's base_url.
    pub base_url: Option<String>,
    /// The day the build runs, which decides the current guide and directory version.
    pub today: NaiveDate,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { base_url: None, today: chrono::Local::now().date_naive() }
    }
}

/// A loaded site and the warnings found on the way.
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

/// What a file under `content/` is, decided by its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Document(DocKind),
    Version(Series),
    /// An attachment under `files/`, copied as it is.
    File,
}

/// Parsed content of one file.
pub enum Item {
    Document(Document),
    Version(Series, VersionPage),
    File(String),
    /// A document whose front matter has errors, with its 索引号 when that much could be
    /// read, so that others' `related` to it are not reported as a second error.
    Broken { index_no: Option<String> },
}

/// Loads and validates the site in `root`.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Loaded> {
    let mut diags = Diagnostics::default();
    let content = root.join("content");
    if !content.is_dir() {
        return invalid(Diagnostic::error(
            "content",
            None,
            format!("no content folder in {}: run gongkai in a site folder, or pass --root", root.display()),
        ));
    }
    let config = load_config(root, options, &mut diags).ok_or_else(|| Error::Invalid { diagnostics: diags_so_far(&mut diags) })?;
    let entries = classify(root, &mut diags)?;
    let parsed: Vec<(Option<Item>, Diagnostics)> = entries
        .par_iter()
        .map(|(rel, entry)| {
            let mut d = Diagnostics::default();
            let item = load_entry(root, rel, entry, &config, &mut d);
            (item, d)
        })
        .collect();
    let (mut documents, mut guide, mut directory, mut files) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut broken = Some(std::collections::HashSet::new());
    for (item, d) in parsed {
        diags.extend(d.into_sorted());
        match item {
            Some(Item::Document(doc)) => documents.push(doc),
            Some(Item::Version(Series::Guide, v)) => guide.push(v),
            Some(Item::Version(Series::Directory, v)) => directory.push(v),
            Some(Item::File(f)) => files.push(f),
            Some(Item::Broken { index_no }) => match (index_no, broken.as_mut()) {
                (Some(n), Some(set)) => {
                    set.insert(n);
                }
                _ => broken = None,
            },
            None => {}
        }
    }
    let site = Site::new(
        root.to_path_buf(),
        config,
        documents,
        Versions::new(guide, options.today),
        Versions::new(directory, options.today),
        files,
    );
    crate::validate::check(&site, broken.as_ref(), &mut diags);
    let all = diags.into_sorted();
    if all.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid { diagnostics: all });
    }
    Ok(Loaded { site, warnings: all })
}

fn invalid<T>(d: Diagnostic) -> Result<T> {
    Err(Error::Invalid { diagnostics: vec![d] })
}

fn diags_so_far(diags: &mut Diagnostics) -> Vec<Diagnostic> {
    std::mem::take(diags).into_sorted()
}

fn load_config(root: &Path, options: &LoadOptions, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let rel = Path::new("content/site.toml");
    let text = match std::fs::read(root.join(rel)) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => {
            diags.error(rel, None, "missing: create content/site.toml with title, organization and org_code");
            return None;
        }
    };
    let mut config = SiteConfig::parse(rel, &text, diags)?;
    if let Some(base) = &options.base_url {
        match crate::config::normalize_base_url(base) {
            Ok(b) => config.base_url = b,
            Err(msg) => diags.error(Path::new("--base-url"), None, msg),
        }
    }
    (!diags.has_errors()).then_some(config)
}

/// Lists the files of `content/` with what each one is. Hidden and editor backup
/// files are skipped; anything in an unexpected place gets a warning.
fn classify(root: &Path, diags: &mut Diagnostics) -> Result<Vec<(PathBuf, Entry)>> {
    let content = root.join("content");
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&content).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = entry.map_err(|e| Error::Read {
            path: e.path().map(Path::to_path_buf).unwrap_or_else(|| content.clone()),
            source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk failed")),
        })?;
        if !entry.file_type().is_file() || is_backup(entry.file_name()) {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        let under = rel.strip_prefix("content").unwrap_or(&rel);
        match entry_kind(under) {
            Ok(Some(kind)) => out.push((rel, kind)),
            Ok(None) => {}
            Err(msg) => diags.warning(&rel, None, msg),
        }
    }
    Ok(out)
}

/// What a path relative to `content/` is; `Ok(None)` for files that are not content
/// (site.toml), `Err` with a hint for files in the wrong place.
pub fn entry_kind(under: &Path) -> Result<Option<Entry>, String> {
    let parts: Vec<&str> = under.components().filter_map(|c| match c {
        Component::Normal(s) => s.to_str(),
        _ => None,
    }).collect();
    let is_md = under.extension().is_some_and(|e| e == "md");
    let stem = under.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    match parts.as_slice() {
        ["site.toml"] => Ok(None),
        ["files", ..] => Ok(Some(Entry::File)),
        ["docs", .., _] if is_md => Ok(Some(Entry::Document(DocKind::Doc))),
        ["guide", _] if is_md => Ok(Some(Entry::Version(Series::Guide))),
        ["directory", _] if is_md => Ok(Some(Entry::Version(Series::Directory))),
        [series @ ("plans" | "reports"), _] if is_md => match stem.parse::<i32>() {
            Ok(year) if (1949..=2200).contains(&year) => Ok(Some(Entry::Document(if *series == "plans" {
                DocKind::Plan { year }
            } else {
                DocKind::Report { year }
            }))),
            _ => Err(format!("file names in {series}/ are years (e.g. {series}/2022.md); this file is ignored")),
        },
        _ => Err("not a place gongkai reads (site.toml, directory/, guide/, plans/, reports/, docs/, files/); this file is ignored".into()),
    }
}

/// Reads and parses one content file.
pub fn load_entry(root: &Path, rel: &Path, entry: &Entry, config: &SiteConfig, diags: &mut Diagnostics) -> Option<Item> {
    let under = rel.strip_prefix("content").unwrap_or(rel);
    if *entry == Entry::File {
        return Some(Item::File(slash_path(under)));
    }
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.error(rel, None, format!("cannot read: {e}"));
            return None;
        }
    };
    let src = Source::parse(rel, &bytes, diags)?;
    match entry {
        Entry::Document(kind) => {
            let path = match kind {
                DocKind::Doc => format!("{}/", slash_path(&under.with_extension(""))),
                DocKind::Plan { year } => format!("plans/{year}/"),
                DocKind::Report { year } => format!("reports/{year}/"),
            };
            let parsed = document::parse(&src, *kind, path, config, diags).map(Item::Document);
            parsed.or_else(|| Some(Item::Broken { index_no: src.lenient_str("index_no") }))
        }
        Entry::Version(series) => version::parse(&src, *series, diags).map(|v| Item::Version(*series, v)),
        Entry::File => unreachable!("handled above"),
    }
}

fn slash_path(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn is_backup(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.ends_with('~') || n.ends_with(".swp") || n.ends_with(".tmp") || n.starts_with("#"))
}
