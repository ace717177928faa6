/*!
`gongkai new`: starts a document for an editor. It assigns the next free 索引号 of the
site's `index_pattern`, checks the category against the current directory, fills in
the required front matter with the optional keys as comments, and never overwrites a
file.

The site is read leniently: documents with errors still give their 索引号 when it can
be read, so a half-finished site can get new documents; only site.toml and the
directory, which the new document depends on, must be valid.
*/

pub mod pattern;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error, Result};
use crate::load::source::did_you_mean;
use crate::load::version::Series;
use crate::load::{FileLoad, Item, LoadOptions};
use crate::site::{Category, Versions};
pub use pattern::IndexPattern;

/// What `gongkai new` is asked to create.
#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    /// Code of a leaf category of the current directory, or its Chinese name.
    pub category: String,
    pub title: String,
    /// 发布机构; site.toml's `organization` when not given.
    pub publisher: Option<String>,
    /// 发布日期; today when not given.
    pub date: Option<NaiveDate>,
    /// File name without `.md`; the 索引号's month, day and running number when not given (after the
    /// category's code and `-` when the site numbers per category).
    pub slug: Option<String>,
    /// The department or town to write into (its folder name under
    /// `content/departments/`); the owner when not given.
    pub dept: Option<String>,
}

/// The document `gongkai new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Relative to the site root, e.g. `content/docs/2026/1124001.md`.
    pub path: PathBuf,
    /// The 索引号 assigned.
    pub index_no: String,
}

/// Writes a new document under `content/docs/<year>/` of the site in `root`, or of
/// the department the request names.
pub fn new_document(root: &Path, request: &NewDocument) -> Result<Created> {
    let title = request.title.trim();
    if title.is_empty() {
        return Err(Error::Request("the title is empty: give the document's title in quotes, e.g. \"关于……的通知\"".into()));
    }
    check_one_line("the title", title)?;
    if let Some(publisher) = &request.publisher {
        check_one_line("--publisher", publisher)?;
    }
    if let Some(slug) = &request.slug {
        check_slug(slug)?;
    }
    let today = LoadOptions::default().today;
    let date = request.date.unwrap_or(today);
    let site = Existing::read(root, today, request.dept.as_deref())?;
    let category = site.leaf(&request.category)?;
    let pattern = &site.body.index_pattern;
    let (seq, index_no) = site.next_index_no(category, date).map_err(Error::Request)?;
    let name = match &request.slug {
        Some(slug) => slug.clone(),
        // Numbered per category, two columns give the same running number on a day.
        None if pattern.uses_category() => {
            let code = category.code.to_ascii_lowercase().replace('_', "-");
            format!("{code}-{}{seq:0width$}", date.format("%m%d"), width = pattern.seq_width())
        }
        None => format!("{}{seq:0width$}", date.format("%m%d"), width = pattern.seq_width()),
    };
    let path = site.body.folder.join("docs").join(date.year().to_string()).join(format!("{name}.md"));
    let publisher = request.publisher.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let text = front_matter(title, &index_no, publisher.unwrap_or(&site.body.name), category, date);
    write_new_file(root, &path, &text, "choose another file name with --slug")?;
    Ok(Created { path, index_no })
}

/// Reads a `--date` value, which must be written as 2024-03-05 and have a year that
/// front matter accepts (the year also names the folder under `docs/`).
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        let hint = match crate::load::fields::guess_date(text) {
            Some(d) => format!("write {d}"),
            None => "write it as 2024-03-05".into(),
        };
        Error::Request(format!("--date \"{text}\" is not a date ({hint})"))
    })?;
    match crate::load::fields::year_problem(date) {
        Some(problem) => Err(Error::Request(format!("--date {date}: {problem}"))),
        None => Ok(date),
    }
}

/// The lowest running number above every one the pattern gave in the date's year (and
/// the category with class number `category`, for a pattern with `{category}`),
/// skipping any result that some document already uses. Returns it and the 索引号.
pub fn next_index_no(pattern: &IndexPattern, org_code: &str, category: &str, date: NaiveDate, used: &HashSet<String>) -> (u32, String) {
    let highest = used.iter().filter_map(|n| pattern.seq_of(n, org_code, category, date.year())).max().unwrap_or(0);
    let mut seq = highest + 1;
    // Checked anyway, as a 索引号 must be unique whatever the pattern reads. The pattern
    // always contains {seq}, so each step gives a new string and the loop ends.
    loop {
        let index_no = pattern.format(org_code, category, date, seq);
        if !used.contains(&index_no) {
            return (seq, index_no);
        }
        seq += 1;
    }
}

/// Creates `root/rel` with `text`, refusing to replace an existing file.
pub(crate) fn write_new_file(root: &Path, rel: &Path, text: &str, hint: &str) -> Result<()> {
    write_new_bytes(root, rel, text.as_bytes(), hint)
}

/// Creates `root/rel` with `bytes`, refusing to replace an existing file.
pub(crate) fn write_new_bytes(root: &Path, rel: &Path, bytes: &[u8], hint: &str) -> Result<()> {
    let path = root.join(rel);
    let write_error = |source| Error::Write { path: path.clone(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Exists { path: rel.to_path_buf(), hint: hint.into() });
        }
        Err(e) => return Err(write_error(e)),
    };
    file.write_all(bytes).map_err(write_error)
}

/// The body a new document goes to, as `new` needs it.
pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) org_code: String,
    pub(crate) index_pattern: IndexPattern,
    /// Its folder, relative to the site root (`content`, `content/departments/jyj`).
    pub(crate) folder: PathBuf,
    /// Its department code; none for the owner.
    pub(crate) code: Option<String>,
    /// The URL path of its section below the site's base (`` or `bm/jyj/`), for links
    /// to its files.
    pub(crate) url_prefix: String,
}

impl Target {
    fn of(config: &SiteConfig, departments: &crate::load::Departments, dept: Option<&str>) -> Result<Target> {
        let Some(code) = dept else {
            return Ok(Target {
                name: config.organization.clone(),
                org_code: config.org_code.clone(),
                index_pattern: config.index_pattern.clone(),
                folder: "content".into(),
                code: None,
                url_prefix: String::new(),
            });
        };
        let Some(info) = departments.get(code) else {
            let codes = departments.codes();
            let hint = match did_you_mean(code, &codes) {
                Some(c) => format!("did you mean {c}?"),
                None if codes.is_empty() => "the site has no content/departments/<code>/department.toml".into(),
                None => format!("the departments are: {}", codes.join(", ")),
            };
            return Err(Error::Request(format!("--dept {code}: there is no such department; {hint}")));
        };
        Ok(Target {
            name: info.name.clone(),
            org_code: info.org_code.clone(),
            index_pattern: info.index_pattern.clone().unwrap_or_else(|| config.index_pattern.clone()),
            folder: Path::new("content/departments").join(code),
            code: Some(code.to_string()),
            url_prefix: format!("{}/{code}/", config.departments_path.trim_matches('/')),
        })
    }
}

/// What a new document depends on in the site as it is.
pub(crate) struct Existing {
    pub(crate) body: Target,
    /// The category tree of the current directory version.
    pub(crate) categories: Vec<Category>,
    /// Where that tree was read from, for messages.
    pub(crate) directory: PathBuf,
    /// Every 索引号 in use, including those of documents with errors.
    pub(crate) index_numbers: HashSet<String>,
}

impl Existing {
    pub(crate) fn read(root: &Path, today: NaiveDate, dept: Option<&str>) -> Result<Existing> {
        let options = LoadOptions { today, ..LoadOptions::default() };
        let (config, departments, files, _warnings) = crate::load::read_config_and_list(root, &options)?;
        let body = Target::of(&config, &departments, dept)?;
        // A department files by its own directory, or by the owner's when it has none.
        let (mut own, mut owners) = (Vec::new(), Vec::new());
        let mut directory_errors = Vec::new();
        let mut index_numbers = HashSet::new();
        for rel in files {
            let FileLoad { item, diagnostics } = crate::load::read_file(root, &rel, &config, &departments);
            let folder = crate::load::department_of(&rel);
            let is_directory = |f: &Path| rel.starts_with(f.join("directory"));
            if is_directory(Path::new("content")) || is_directory(&body.folder) {
                directory_errors.extend(diagnostics.into_iter().filter(Diagnostic::is_error));
            }
            match item {
                Some(Item::Document(doc)) => {
                    index_numbers.insert(doc.index_no);
                }
                Some(Item::Broken { index_no: Some(n) }) => {
                    index_numbers.insert(n);
                }
                Some(Item::Version(Series::Directory, v)) if folder.is_none() => owners.push(v),
                Some(Item::Version(Series::Directory, v)) if folder == body.code.as_deref() => own.push(v),
                _ => {}
            }
        }
        // The category is checked against the directory; a broken directory cannot be trusted.
        if !directory_errors.is_empty() {
            return Err(Error::Invalid { diagnostics: directory_errors });
        }
        let versions = Versions::new(if own.is_empty() { owners } else { own }, today);
        let Some(current) = versions.current() else {
            return Err(Error::Request(
                "the site has no 政府信息公开目录 yet: add content/directory/<version>.md with its [[categories]] first".into(),
            ));
        };
        Ok(Existing { categories: current.categories.clone(), directory: current.source.clone(), body, index_numbers })
    }

    /// The next 索引号 of the body for a document of `category` published on `date`;
    /// refused when the pattern numbers per category and the category has no class number.
    pub(crate) fn next_index_no(&self, category: &Category, date: NaiveDate) -> std::result::Result<(u32, String), String> {
        let pattern = &self.body.index_pattern;
        let class_code = match (&category.class_code, pattern.uses_category()) {
            (_, false) => "",
            (Some(code), true) => code.as_str(),
            (None, true) => {
                return Err(format!(
                    "index_pattern \"{}\" numbers per category ({{category}}), but category {} ({}) has no class_code: \
                     add class_code = \"…\" (its class number) to it in {}",
                    pattern.text(),
                    category.code,
                    category.name,
                    self.directory.display().to_string().replace('\\', "/")
                ));
            }
        };
        Ok(next_index_no(pattern, &self.body.org_code, class_code, date, &self.index_numbers))
    }

    /// The leaf category named by its code or its Chinese name.
    pub(crate) fn leaf(&self, wanted: &str) -> Result<&Category> {
        let wanted = wanted.trim();
        let all = flatten(&self.categories);
        let matching: Vec<&Category> = all.iter().copied().filter(|c| c.code == wanted || c.name == wanted).collect();
        let leaves: Vec<&Category> = matching.iter().copied().filter(|c| c.is_leaf()).collect();
        match (leaves.as_slice(), matching.first()) {
            ([leaf], _) => Ok(leaf),
            ([], Some(parent)) => Err(Error::Request(format!(
                "category \"{wanted}\" ({}) has subcategories; documents go in one of them: {}",
                parent.name,
                listing(&flatten(&parent.children))
            ))),
            ([], None) => Err(self.unknown_category(wanted, &all)),
            (several, _) => Err(Error::Request(format!(
                "the name \"{wanted}\" belongs to several categories: {}; give the code instead",
                listing(several)
            ))),
        }
    }

    fn unknown_category(&self, wanted: &str, all: &[&Category]) -> Error {
        let leaves: Vec<&Category> = all.iter().copied().filter(|c| c.is_leaf()).collect();
        let names: Vec<&str> = leaves.iter().flat_map(|c| [c.code.as_str(), c.name.as_str()]).collect();
        let hint = match did_you_mean(wanted, &names).and_then(|n| leaves.iter().find(|c| c.code == n || c.name == n)) {
            Some(c) => format!("did you mean {} {}?", c.code, c.name),
            None => format!("the categories are: {}", listing(&leaves)),
        };
        Error::Request(format!(
            "category \"{wanted}\" is not in the current directory ({}); {hint}",
            self.directory.display().to_string().replace('\\', "/")
        ))
    }
}

/// Every category of the tree, parents before their children.
fn flatten(tree: &[Category]) -> Vec<&Category> {
    tree.iter().flat_map(|c| std::iter::once(c).chain(flatten(&c.children))).collect()
}

/// The leaves among `categories` as `code 名称, …`.
fn listing(categories: &[&Category]) -> String {
    categories.iter().filter(|c| c.is_leaf()).map(|c| format!("{} {}", c.code, c.name)).collect::<Vec<_>>().join(", ")
}

/// A title or publisher is one line of plain text: the loader would refuse a control
/// character, and a line break would let the text end the front matter it is written in.
fn check_one_line(what: &str, text: &str) -> Result<()> {
    if text.contains(['\n', '\r']) {
        return Err(Error::Request(format!("{what} has a line break; give it on one line")));
    }
    match crate::load::chars::first_forbidden(text) {
        Some(code) => Err(Error::Request(format!(
            "{what} contains the invisible character {code}, which cannot appear in a web page; type it again without it"
        ))),
        None => Ok(()),
    }
}

pub(crate) fn is_slug(slug: &str) -> bool {
    !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_slug(slug: &str) -> Result<()> {
    if is_slug(slug) {
        return Ok(());
    }
    Err(Error::Request(format!(
        "--slug \"{slug}\" may only use lowercase letters a-z, digits and '-' (it becomes the file name and the page's URL), e.g. --slug air-quality-2024"
    )))
}

/// The new file's text: the required keys filled in, the optional ones commented out
/// so that the editor sees what can be added.
fn front_matter(title: &str, index_no: &str, publisher: &str, category: &Category, date: NaiveDate) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let year = date.year();
    format!(
        "+++\n\
         title = {title}\n\
         index_no = {index_no}  # 索引号\n\
         publisher = {publisher}  # 发布机构\n\
         category = {code}  # 公开目录：{name}\n\
         date = {date}  # 发布日期\n\
         # 以下为可选项，需要时删去行首的 # 并填写：\n\
         # doc_no = \"某发〔{year}〕1号\"  # 文号\n\
         # reg_no = \"统一登记号\"  # 行政规范性文件的统一登记号\n\
         # written = {date}  # 成文日期\n\
         # keywords = [\"主题词一\", \"主题词二\"]  # 主题词\n\
         # validity = \"effective\"  # 有效性：effective 有效、amended 已修改、repealed 废止、expired 失效\n\
         # effective_from = {date}  # 施行日期\n\
         # related = [\"相关文件的索引号\"]  # 相关文件\n\
         # interprets = [\"政策文件的索引号\"]  # 本文件是政策解读时：所解读的政策文件\n\
         # attachments = [\"files/{year}/附件.pdf\"]  # 附件，放在 content/files/ 下\n\
         +++\n\n",
        title = quote(title),
        index_no = quote(index_no),
        publisher = quote(publisher),
        code = quote(&category.code),
        name = category.name,
    )
}
