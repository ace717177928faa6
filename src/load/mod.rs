/*!
Stage 1, load: read `content/` into an in-memory [`Site`].

Each file is read and parsed on its own (in parallel), then the cross-file rules of
[`crate::validate`] run over the whole site. Every problem of every file is collected;
the site is returned only when there is no error.
*/

pub mod apply;
pub mod department;
pub mod document;
mod policy;
pub(crate) mod chars;
mod report;
pub(crate) mod fields;
mod numbers;
pub mod source;
pub mod version;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Code, Diagnostic, Diagnostics, Error, Result};
use crate::site::{ApplyPage, Body, BodyId, DocKind, Document, Site, VersionPage, Versions};
use department::DepartmentInfo;
use source::Source;
use version::Series;

/// Settings that come from the command line rather than the site.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Overrides site.toml's base_url.
    pub base_url: Option<String>,
    /// The day the build runs, which decides the current guide and directory version.
    pub today: NaiveDate,
    /// Every warning is an error (`--strict`), for CI before a site goes live.
    pub strict: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { base_url: None, today: chrono::Local::now().date_naive(), strict: false }
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
    /// `apply.md`, the 依申请公开 page.
    Apply,
    /// An attachment under `files/`, copied as it is.
    File,
}

/// Parsed content of one file.
// Items are moved once, into the site; boxing documents would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub enum Item {
    Document(Document),
    Version(Series, VersionPage),
    Apply(ApplyPage),
    File(String),
    /// A document whose front matter has errors, with its 索引号 when that much could be
    /// read, so that others' `related` to it are not reported as a second error.
    Broken { index_no: Option<String> },
}

/// One content file as read: what it held, and what was wrong with it.
pub struct FileLoad {
    pub item: Option<Item>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and validates the site in `root`.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Loaded> {
    let (config, departments, files, mut diags) = read_config_and_list(root, options)?;
    let loads: Vec<FileLoad> = files.par_iter().map(|rel| read_file(root, rel, &config, &departments)).collect();
    let mut items = Vec::with_capacity(loads.len());
    for load in loads {
        diags.extend(load.diagnostics);
        items.extend(load.item);
    }
    let broken = broken_index_numbers(&items);
    let site = assemble(root, config, &departments, options.today, items);
    crate::validate::check(&site, broken.as_ref(), options.today, &mut diags);
    let all = diags.into_sorted_under(options.strict);
    if all.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid { diagnostics: all });
    }
    Ok(Loaded { site, warnings: all })
}

/// Reads site.toml, lists the files of `content/` and reads the departments'
/// department.toml; stops only when there is no usable site.toml. The diagnostics are
/// those of site.toml, of the listing and of the departments.
pub fn read_config_and_list(root: &Path, options: &LoadOptions) -> Result<(SiteConfig, Departments, Vec<PathBuf>, Diagnostics)> {
    let mut diags = Diagnostics::default();
    let content = root.join("content");
    if !content.is_dir() {
        return invalid(Diagnostic::error(
            Code::File,"content",
            None,
            format!("no content folder in {}: run gongkai in a site folder, or pass --root", root.display()),
        ));
    }
    let config = load_config(root, options, &mut diags).ok_or_else(|| Error::Invalid { diagnostics: diags_so_far(&mut diags) })?;
    let files = list_files(root)?;
    let departments = Departments::read(root, &files, &mut diags);
    Ok((config, departments, files, diags))
}

/// The departments of a platform, read before any other file: a department's files
/// take their address and their default 发布机构 from it.
#[derive(Debug, Clone, Default)]
pub struct Departments {
    /// In the order of their bodies: the department with id `BodyId(i + 1)` is `infos[i]`.
    infos: Vec<DepartmentInfo>,
}

impl Departments {
    /// Reads every `departments/<code>/department.toml` among `files`, and reports
    /// department folders without one.
    fn read(root: &Path, files: &[PathBuf], diags: &mut Diagnostics) -> Departments {
        let mut infos = Vec::new();
        // Codes already reported on, or whose department.toml was read.
        let mut without: Vec<&str> = Vec::new();
        for rel in files {
            let Some(code) = department_of(rel) else { continue };
            if let Some(problem) = department::code_problem(code) {
                if !without.contains(&code) {
                    diags.error(Code::File, &Path::new("content/departments").join(code), None, problem);
                    without.push(code);
                }
                continue;
            }
            if rel.file_name().is_some_and(|n| n == "department.toml") && rel.parent().and_then(|p| p.parent()) == Some(Path::new("content/departments")) {
                match std::fs::read(root.join(rel)) {
                    Ok(bytes) => infos.extend(department::parse(rel, code, &bytes, diags)),
                    Err(e) => diags.error(Code::File, rel, None, format!("cannot read: {e}")),
                }
                // There, even if wrong: its own errors say what to fix, not that it is missing.
                without.push(code);
            }
        }
        for rel in files {
            let Some(code) = department_of(rel) else { continue };
            if department::code_problem(code).is_none() && !infos.iter().any(|i| i.code == code) && !without.contains(&code) {
                let toml = Path::new("content/departments").join(code).join("department.toml");
                diags.error(Code::File, &toml, None, "missing, so the department's files are not read: create it with name = \"…\" and org_code = \"…\"");
                without.push(code);
            }
        }
        infos.sort_by(|a, b| (a.order, &a.code).cmp(&(b.order, &b.code)));
        Departments { infos }
    }

    /// The department with folder `code`.
    pub fn get(&self, code: &str) -> Option<&DepartmentInfo> {
        self.find(code).map(|(_, info)| info)
    }

    /// The folder names of all departments.
    pub fn codes(&self) -> Vec<&str> {
        self.infos.iter().map(|i| i.code.as_str()).collect()
    }

    /// The department with folder `code`, and the id its body has.
    fn find(&self, code: &str) -> Option<(BodyId, &DepartmentInfo)> {
        self.infos.iter().position(|i| i.code == code).map(|i| (BodyId(i + 1), &self.infos[i]))
    }
}

/// The code of the department whose folder holds `rel` (relative to the site root).
pub fn department_of(rel: &Path) -> Option<&str> {
    let mut parts = rel.strip_prefix("content/departments").ok()?.components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(code)), Some(_)) => code.to_str(),
        _ => None,
    }
}

/// Whether `rel` (relative to the site root) is an attachment: a file under a
/// section's `files/`.
pub fn is_attachment(rel: &Path) -> bool {
    let content = rel.strip_prefix("content").unwrap_or(rel);
    match department_of(rel) {
        Some(code) => content.strip_prefix(Path::new("departments").join(code)).is_ok_and(|p| p.starts_with("files")),
        None => content.starts_with("files"),
    }
}

/// The section a file belongs to, as its loader needs it.
struct Section<'a> {
    id: BodyId,
    /// Its output folder (`bm/jyj/`), empty for the owner.
    prefix: String,
    /// The 发布机构 of its documents that name none.
    publisher: Option<&'a str>,
}

/// Reads one file of `content/` (`rel` is relative to the site root).
pub fn read_file(root: &Path, rel: &Path, config: &SiteConfig, departments: &Departments) -> FileLoad {
    let mut d = Diagnostics::default();
    if let Some(problem) = unusable_name(rel) {
        d.error(Code::File, rel, None, problem);
        return FileLoad { item: None, diagnostics: d.into_sorted() };
    }
    let content = rel.strip_prefix("content").unwrap_or(rel);
    let (section, under) = match department_of(rel) {
        None => (Section { id: BodyId::OWNER, prefix: String::new(), publisher: None }, content),
        Some(code) => match departments.find(code) {
            // department.toml itself is read before all else; a folder without one
            // was reported then.
            None => return FileLoad { item: None, diagnostics: Vec::new() },
            Some((id, info)) => {
                let under = content.strip_prefix(Path::new("departments").join(code)).unwrap_or(content);
                if under == Path::new("department.toml") {
                    return FileLoad { item: None, diagnostics: Vec::new() };
                }
                (Section { id, prefix: format!("{}/{code}/", config.departments_path), publisher: Some(&info.name) }, under)
            }
        },
    };
    let item = match (entry_kind(under), symlink_on_path(root, rel)) {
        // site.toml is read with the settings, which refuse a link there.
        (Ok(None), _) => None,
        (_, Some(link)) => {
            // Below a link nothing is read, and the link itself carries the warning.
            if link == rel {
                d.warning(Code::File, rel, None, LINK_SKIPPED);
            }
            None
        }
        (Ok(Some(entry)), None) => load_entry(root, rel, under, &entry, config, &section, &mut d),
        (Err(msg), None) => {
            d.warning(Code::File, rel, None, msg);
            None
        }
    };
    FileLoad { item, diagnostics: d.into_sorted() }
}

/// Why a file's path cannot become an address, if it cannot. A name that is not UTF-8
/// would be written with U+FFFD in place of its bytes, so two such files would share
/// one page; a backslash is a folder separator to browsers and Windows.
fn unusable_name(rel: &Path) -> Option<String> {
    if rel.to_str().is_none() {
        // Debug shows the bytes that are not UTF-8 as \xFF, so each file can be told apart.
        return Some(format!("the path {rel:?} is not UTF-8 text, so it has no address: rename it"));
    }
    // Only where '\\' is not the separator can it be part of a name.
    let backslash = rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.contains('\\')));
    backslash.then(|| {
        "the name contains \"\\\", which browsers and Windows read as a folder separator: rename it (e.g. with \"-\" instead)".into()
    })
}

/// The 索引号 of documents that failed to load, or `None` when some of those could not
/// even be read (see [`crate::validate::check`]).
pub fn broken_index_numbers<'a>(items: impl IntoIterator<Item = &'a Item>) -> Option<HashSet<String>> {
    let mut set = HashSet::new();
    for item in items {
        if let Item::Broken { index_no } = item {
            set.insert(index_no.clone()?);
        }
    }
    Some(set)
}

/// Puts loaded items together into a site (broken ones are left out): the owner's
/// section and each department's.
pub fn assemble(root: &Path, config: SiteConfig, departments: &Departments, today: NaiveDate, items: Vec<Item>) -> Site {
    let mut bodies = vec![Body::owner(&config)];
    bodies.extend(departments.infos.iter().map(|info| Body::department(info, &config)));
    let body_of = |source: &Path| department_of(source).and_then(|code| departments.find(code)).map_or(BodyId::OWNER, |(id, _)| id);
    let (mut documents, mut files) = (Vec::new(), Vec::new());
    let mut versions: Vec<(Vec<VersionPage>, Vec<VersionPage>)> = vec![Default::default(); bodies.len()];
    for item in items {
        match item {
            Item::Document(doc) => documents.push(doc),
            Item::Version(Series::Guide, v) => versions[body_of(&v.source).0].0.push(v),
            Item::Version(Series::Directory, v) => versions[body_of(&v.source).0].1.push(v),
            Item::Apply(a) => {
                let id = body_of(&a.source);
                bodies[id.0].apply = Some(a);
            }
            Item::File(f) => files.push(f),
            Item::Broken { .. } => {}
        }
    }
    for (body, (guide, directory)) in bodies.iter_mut().zip(versions) {
        body.guide = Versions::new(guide, today);
        body.directory = Versions::new(directory, today);
    }
    Site::new(root.to_path_buf(), config, documents, bodies, files)
}

fn invalid<T>(d: Diagnostic) -> Result<T> {
    Err(Error::Invalid { diagnostics: vec![d] })
}

fn diags_so_far(diags: &mut Diagnostics) -> Vec<Diagnostic> {
    std::mem::take(diags).into_sorted()
}

fn load_config(root: &Path, options: &LoadOptions, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let rel = Path::new("content/site.toml");
    if symlink_on_path(root, rel).is_some() {
        diags.error(Code::File, rel, None, "is a symbolic link, which gongkai does not follow: put the file itself here");
        return None;
    }
    let text = match std::fs::read(root.join(rel)) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => {
            diags.error(Code::File, rel, None, "missing: create content/site.toml with title, organization and org_code");
            return None;
        }
    };
    let mut config = SiteConfig::parse(rel, &text, diags)?;
    crate::config::check_theme_exists(root, &config.theme, rel, &text, diags);
    if let Some(base) = &options.base_url {
        match crate::config::normalize_base_url(base) {
            Ok(b) => config.base_url = b,
            Err(msg) => diags.error(Code::File, Path::new("--base-url"), None, msg),
        }
    }
    (!diags.has_errors()).then_some(config)
}

/// Lists the files of `content/` (relative to the site root).
fn list_files(root: &Path) -> Result<Vec<PathBuf>> {
    list_at(root, Path::new("content"))
}

/// What [`read_file`] says of a symbolic link below `content/`.
const LINK_SKIPPED: &str =
    "is a symbolic link, which gongkai does not follow (it may lead out of content/), so it is ignored: put the file or folder itself here";

/// The content files that `rel` (relative to the site root, at or below `content/`)
/// stands for, as a build lists them: the files below it when it is a folder, else
/// `rel` itself, which may no longer exist. Hidden and editor backup files are left
/// out. Symbolic links below `content/` are listed but never followed, so that a link
/// out of the site publishes nothing, in `build` and `serve` alike; a path below a
/// link stands for the link. (`content/` itself may be a link: it is where the site
/// keeps its content.)
pub fn list_at(root: &Path, rel: &Path) -> Result<Vec<PathBuf>> {
    if let Some(link) = symlink_on_path(root, rel) {
        return Ok(vec![link]);
    }
    let start = root.join(rel);
    if !start.is_dir() {
        return Ok(vec![rel.to_path_buf()]);
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&start).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = entry.map_err(|e| Error::Read {
            path: e.path().map(Path::to_path_buf).unwrap_or_else(|| start.clone()),
            source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk failed")),
        })?;
        let kind = entry.file_type();
        if (kind.is_file() || kind.is_symlink()) && !is_backup(entry.file_name()) {
            out.push(entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf());
        }
    }
    Ok(out)
}

/// Whether `rel` (relative to the site root) is there to be read as [`list_at`] lists
/// it: a file, or a symbolic link to anything (even to a folder, or to nothing).
pub fn is_listed(root: &Path, rel: &Path) -> bool {
    std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_file() || m.is_symlink())
}

/// The first symbolic link on the way from `content/` down to `rel` (relative to the
/// site root), `rel` itself included.
pub fn symlink_on_path(root: &Path, rel: &Path) -> Option<PathBuf> {
    let under = rel.strip_prefix("content").ok()?;
    let mut at = PathBuf::from("content");
    for part in under.components() {
        at.push(part);
        if std::fs::symlink_metadata(root.join(&at)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(at);
        }
    }
    None
}

/// Whether the dev server should look at a changed path at all: hidden files,
/// editor backups and swap files never are content.
pub fn is_content_candidate(rel: &Path) -> bool {
    !rel.components().any(|c| is_hidden(c.as_os_str())) && rel.file_name().is_some_and(|n| !is_backup(n))
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
        ["apply.md"] => Ok(Some(Entry::Apply)),
        ["files", ..] => Ok(Some(Entry::File)),
        ["docs", .., _] if is_md => Ok(Some(Entry::Document(DocKind::Doc))),
        ["guide", _] if is_md => Ok(Some(Entry::Version(Series::Guide))),
        ["directory", _] if is_md => Ok(Some(Entry::Version(Series::Directory))),
        [series @ ("plans" | "reports"), _] if is_md => match stem.parse::<i32>() {
            Ok(year) if fields::YEARS.contains(&year) => Ok(Some(Entry::Document(if *series == "plans" {
                DocKind::Plan { year }
            } else {
                DocKind::Report { year }
            }))),
            _ => Err(format!("file names in {series}/ are years (e.g. {series}/2022.md); this file is ignored")),
        },
        _ => Err("not a place gongkai reads (site.toml, apply.md, directory/, guide/, plans/, reports/, docs/, files/, departments/<code>/); this file is ignored".into()),
    }
}

/// Reads and parses one content file: `rel` relative to the site root, `under`
/// relative to its section's folder.
fn load_entry(root: &Path, rel: &Path, under: &Path, entry: &Entry, config: &SiteConfig, section: &Section, diags: &mut Diagnostics) -> Option<Item> {
    if *entry == Entry::File {
        return Some(Item::File(slash_path(rel.strip_prefix("content").unwrap_or(rel))));
    }
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.error(Code::File, rel, None, format!("cannot read: {e}"));
            return None;
        }
    };
    let src = Source::parse(rel, &bytes, diags)?;
    warn_if_too_deep(&src, config, diags);
    match entry {
        Entry::Document(kind) => {
            let path = match kind {
                DocKind::Doc => format!("{}{}/", section.prefix, slash_path(&under.with_extension(""))),
                DocKind::Plan { year } => format!("{}plans/{year}/", section.prefix),
                DocKind::Report { year } => format!("{}reports/{year}/", section.prefix),
            };
            let parsed = document::parse(&src, *kind, path, config, section.publisher, diags).map(|mut doc| {
                doc.body_id = section.id;
                Item::Document(doc)
            });
            parsed.or_else(|| Some(Item::Broken { index_no: src.lenient_str("index_no") }))
        }
        Entry::Version(series) => version::parse(&src, *series, diags).map(|v| Item::Version(*series, v)),
        Entry::Apply => apply::parse(&src, diags).map(Item::Apply),
        Entry::File => unreachable!("handled above"),
    }
}

/// A body nested deeper than a page can show is bounded when rendered; this says
/// where, and how.
fn warn_if_too_deep(src: &Source, config: &SiteConfig, diags: &mut Diagnostics) {
    use crate::render::markdown::{too_deep, TooDeep, MAX_NESTING};
    let body = src.body();
    let (offset, what) = match too_deep(body, config.allow_raw_html) {
        None => return,
        Some(TooDeep::Markdown(at)) => (at, "elements (quotations, lists, emphasis…); the deeper levels are left out of the page, their text kept"),
        Some(TooDeep::Html(at)) => (at, "HTML elements (are tags left unclosed?); all HTML of this file is shown as text"),
    };
    let line = src.body_line() + body[..offset].matches('\n').count();
    diags.warning(Code::Nesting, &src.rel, Some(line), format!("the text nests more than {MAX_NESTING} levels of {what}"));
}

/// A relative path written with '/' whatever the platform: the form used for
/// attachments (`files/2022/plan.pdf`), output paths and messages.
pub fn slash_path(p: &Path) -> String {
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
