/*!
`gongkai import`: brings documents that already exist elsewhere (an old CMS's saved
pages, later Word files) into the site as Markdown documents.

A reader for each source format ([`html`] for saved pages, [`docx`] for Word files) turns one input file into a
[`Draft`]: the metadata it found, the Markdown body and the attachments it links.
Everything after that is shared and lives here, as a pipeline over the drafts:

1. [`Site`] reads what the import depends on once (the body written into, its
   directory, the 索引号 in use), reusing `gongkai new`'s reading of the site;
2. [`Plan::of`] decides each draft: its category code, its 索引号 (kept, or assigned
   by the body's `index_pattern` as `new` does), its file and its attachments' files,
   or the reason it is skipped;
3. [`write`] creates the files, each with create-new, never over an existing one
   (nothing at all under `--dry-run`);
4. the [`Summary`] says what was imported and skipped and why, which categories had
   no code and how often, which attachments were missing, and the warnings.

Drafts that would not pass `gongkai check` (no title, no date, an unknown category)
are skipped with the reason rather than written broken.
*/

pub mod docx;
pub mod html;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::new::Existing;

/// One document as read from its source, before it is placed in the site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// The file it was read from, for messages.
    pub source: PathBuf,
    pub title: Option<String>,
    pub index_no: Option<String>,
    /// 发布机构; the body's name when the source has none.
    pub publisher: Option<String>,
    /// 公开目录 as the source names it: a category name, a path of names, or a code.
    pub category: Option<String>,
    pub date: Option<NaiveDate>,
    pub written: Option<NaiveDate>,
    pub doc_no: Option<String>,
    pub keywords: Vec<String>,
    /// `effective`, `repealed` or `expired`.
    pub validity: Option<String>,
    /// The main text as Markdown.
    pub body: String,
    /// Files the body links to, to be copied and relinked.
    pub body_files: Vec<Attachment>,
    /// Files listed apart from the text (an 附件 list), for the `attachments` key.
    pub listed_files: Vec<Attachment>,
    /// Files the body links to that the source holds inside itself (a Word
    /// document's pictures), to be written under files/ and relinked.
    pub embedded: Vec<Embedded>,
    /// Pages the page names as related, for the `related` key once their 索引号 are known.
    pub related: Vec<Related>,
    /// What the reader noticed but could still read past.
    pub warnings: Vec<String>,
}

/// A related page: its local file, and its 索引号 when the reader found it there (for
/// a page outside this import, imported before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub page: PathBuf,
    pub index_no: Option<String>,
}

/// An attachment link as the source wrote it, and where its file would be locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The link exactly as it appears in the Markdown body.
    pub href: String,
    /// The file in the local mirror; `None` when it is not there.
    pub local: Option<PathBuf>,
}

/// A file carried inside the source, and the link the Markdown body uses for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded {
    /// The link exactly as it appears in the Markdown body.
    pub href: String,
    /// The file name to write it under (`image1.png`); a suffix is added if taken.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Where a file to write comes from: the local mirror, or the source itself.
#[derive(Debug, Clone, PartialEq)]
enum Content {
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// How the import is asked to run.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The department to import into (its folder under `content/departments/`).
    pub dept: Option<String>,
    /// A TOML file of `"公开目录 name" = "code"` lines.
    pub category_map: Option<PathBuf>,
    /// Decide everything, write nothing.
    pub dry_run: bool,
    /// The day that decides the current directory version; today when `None`.
    pub today: Option<NaiveDate>,
}

/// What an import did (or, under `--dry-run`, would do).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub dry_run: bool,
    pub imported: Vec<Imported>,
    pub skipped: Vec<Skipped>,
    /// 公开目录 names without a code, and how many documents carry each.
    pub unmapped_categories: BTreeMap<String, usize>,
    pub missing_attachments: Vec<Missing>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Imported {
    pub source: PathBuf,
    /// Relative to the site root, e.g. `content/docs/2022/2022-0412001.md`.
    pub path: PathBuf,
    pub index_no: String,
    /// The 索引号 was assigned here (the source had none).
    pub assigned: bool,
    /// Attachments copied, relative to the site root.
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    pub source: PathBuf,
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Missing {
    pub source: PathBuf,
    pub href: String,
}

/// Extensions of the files that count as attachments when a page links them.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z", "jpg", "jpeg", "png", "gif", "txt", "csv",
    "ppt", "pptx",
];

/// Reads the drafts into the site in `root`, then writes them (unless dry-run).
pub fn import_drafts(root: &Path, drafts: Vec<Draft>, options: &ImportOptions) -> Result<Summary> {
    let today = options.today.unwrap_or_else(|| crate::LoadOptions::default().today);
    import_into(Site::read(root, today, options)?, drafts, options)
}

/// [`import_drafts`] into a site already read (`import docx` reads it first to check
/// `--category`).
pub(crate) fn import_into(mut site: Site, drafts: Vec<Draft>, options: &ImportOptions) -> Result<Summary> {
    let mut summary = Summary { dry_run: options.dry_run, ..Summary::default() };
    // Pages that carry their 索引号 are placed first, so that a number assigned to a
    // page without one can never take the number a later page carries.
    let (mut drafts, unnumbered): (Vec<Draft>, Vec<Draft>) = drafts.into_iter().partition(|d| d.index_no.is_some());
    drafts.extend(unnumbered);
    let mut plans = Vec::new();
    // The 索引号 of every page read, by its file, for the `related` keys that name it.
    let mut numbers: HashMap<PathBuf, String> = HashMap::new();
    for draft in &drafts {
        summary.warnings.extend(draft.warnings.iter().map(|w| format!("{}: {w}", draft.source.display())));
        match Plan::of(draft, &mut site, &mut summary) {
            Ok(plan) => {
                numbers.insert(same_file_key(&draft.source), plan.index_no.clone());
                plans.push((plan, &draft.related));
            }
            Err(reason) => {
                if let Some(n) = &draft.index_no {
                    numbers.insert(same_file_key(&draft.source), n.clone());
                }
                summary.skipped.push(Skipped { source: draft.source.clone(), reason });
            }
        }
    }
    // gongkai shows a relation on both documents' pages, so each related pair comes in
    // from both ends; it is written once, on the first document of the pair.
    let mut pairs: HashSet<(String, String)> = HashSet::new();
    for (mut plan, related) in plans {
        for Related { page, index_no } in related {
            // A related document must be in the site, or `check` fails on the document.
            let number = numbers.get(&same_file_key(page)).or(index_no.as_ref());
            match number.filter(|n| site.existing.index_numbers.contains(*n)) {
                Some(n) if !pairs.contains(&(n.clone(), plan.index_no.clone())) && !plan.related.contains(n) => {
                    pairs.insert((plan.index_no.clone(), n.clone()));
                    plan.related.push(n.clone());
                }
                Some(_) => {}
                None => summary.warnings.push(format!(
                    "{}: the related page {} is not in the site and was not imported; it is left out of `related`",
                    plan.source.display(),
                    page.display()
                )),
            }
        }
        if !options.dry_run {
            write(&site.root, &plan)?;
        }
        summary.imported.push(plan.imported());
    }
    Ok(summary)
}

/// One key for the ways a file can be named (`a/../b.html`, `./b.html`).
fn same_file_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// What the import needs to know of the site, read once and kept up to date as
/// documents are planned (so two imported pages cannot take one 索引号 or one file).
pub(crate) struct Site {
    pub(crate) existing: Existing,
    map: HashMap<String, String>,
    /// Files planned in this run, relative to the root, besides those on disk.
    taken: HashSet<PathBuf>,
    root: PathBuf,
}

impl Site {
    pub(crate) fn read(root: &Path, today: NaiveDate, options: &ImportOptions) -> Result<Site> {
        let existing = Existing::read(root, today, options.dept.as_deref())?;
        let map = match &options.category_map {
            Some(path) => read_category_map(path)?,
            None => HashMap::new(),
        };
        Ok(Site { existing, map, taken: HashSet::new(), root: root.to_path_buf() })
    }

    /// The leaf code for the source's 公开目录, or the reason there is none.
    fn category(&self, named: &str) -> std::result::Result<String, String> {
        // Pages often give the path of the category (规划计划 > 工作计划); its leaf decides.
        let leaf = named.rsplit(['>', '/', '»', '＞', '|', '｜']).next().unwrap_or(named).trim();
        let mapped = self.map.get(named.trim()).or_else(|| self.map.get(leaf)).map(String::as_str);
        match self.existing.leaf(mapped.unwrap_or(leaf)) {
            Ok(category) => Ok(category.code.clone()),
            Err(e) if mapped.is_some() => Err(format!("--category-map gives \"{leaf}\" the code {}: {e}", mapped.unwrap_or(""))),
            Err(e) => Err(format!("{e}; or map it with --category-map (a TOML line \"{leaf}\" = \"code\")")),
        }
    }

    /// The file in `dir` with `local`'s name and bytes, when the site has it already
    /// (a page imported again, files copied over by hand): it is linked, not copied.
    fn same_file(&self, dir: &Path, local: &Path) -> Option<PathBuf> {
        let rel = dir.join(format!("{}.{}", file_name_stem(local), extension(local)));
        let there = std::fs::read(self.root.join(&rel)).ok()?;
        (std::fs::read(local).ok()? == there).then_some(rel)
    }

    /// A path that neither exists nor is planned yet: `stem.ext`, else `stem-2.ext`, ….
    fn free_path(&mut self, dir: &Path, stem: &str, ext: &str) -> PathBuf {
        let dot = if ext.is_empty() { "" } else { "." };
        let mut n = 1;
        loop {
            let name = if n == 1 { format!("{stem}{dot}{ext}") } else { format!("{stem}-{n}{dot}{ext}") };
            let rel = dir.join(name);
            if !self.taken.contains(&rel) && !self.root.join(&rel).exists() {
                self.taken.insert(rel.clone());
                return rel;
            }
            n += 1;
        }
    }
}

/// Reads `--category-map`: a TOML table of `"公开目录 name" = "code"`.
fn read_category_map(path: &Path) -> Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Request(format!("--category-map {}: {e}", path.display())))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        Error::Request(format!("--category-map {}: {e}; write one line per name: \"工作计划\" = \"gzjh\"", path.display()))
    })?;
    table
        .into_iter()
        .map(|(name, code)| match code {
            toml::Value::String(code) => Ok((name.trim().to_string(), code.trim().to_string())),
            other => Err(Error::Request(format!(
                "--category-map {}: \"{name}\" = {other} is not a code: write \"{name}\" = \"gzjh\"",
                path.display()
            ))),
        })
        .collect()
}

/// A draft placed in the site: everything [`write`] needs.
struct Plan {
    source: PathBuf,
    path: PathBuf,
    index_no: String,
    assigned: bool,
    /// Front matter lines, without `+++` and `related`.
    front: String,
    related: Vec<String>,
    body: String,
    /// (from the mirror or the source, to relative to the root)
    copies: Vec<(Content, PathBuf)>,
}

impl Plan {
    /// Decides where and how `draft` goes, or why it cannot.
    fn of(draft: &Draft, site: &mut Site, summary: &mut Summary) -> std::result::Result<Plan, String> {
        let html = extension(&draft.source).starts_with("htm") || extension(&draft.source).ends_with("html");
        let title = draft.title.as_deref().filter(|t| !t.trim().is_empty()).ok_or(if html {
            "no title found (no <h1>, ArticleTitle or <title>)"
        } else {
            "no title found (no Title or Heading 1 paragraph, nor a centred bold line at the top)"
        })?;
        let date = draft.date.ok_or(if html { "no 发布日期 found (a 发布日期/公开日期 label or a PubDate meta tag)" } else { "no 发布日期 (give --date)" })?;
        let named = draft.category.as_deref().ok_or("no 公开目录 found (a 公开目录/主题分类/所属栏目 label)")?;
        let category = site.category(named).inspect_err(|_| {
            *summary.unmapped_categories.entry(named.trim().to_string()).or_default() += 1;
        })?;
        let (index_no, assigned) = match &draft.index_no {
            Some(n) if site.existing.index_numbers.contains(n) => {
                return Err(format!("索引号 {n} is already in the site; it was imported before or belongs to another document"));
            }
            Some(n) => (n.clone(), false),
            None => {
                let leaf = site.existing.leaf(&category).map_err(|e| e.to_string())?;
                (site.existing.next_index_no(leaf, date)?.1, true)
            }
        };
        site.existing.index_numbers.insert(index_no.clone());
        let folder = site.existing.body.folder.clone();
        let year = date.year().to_string();
        let path = site.free_path(&folder.join("docs").join(&year), &file_stem(draft, &index_no), "md");

        let mut body = draft.body.clone();
        let mut copies = Vec::new();
        let mut listed = Vec::new();
        let files_dir = folder.join("files").join(&year);
        for (attachment, in_body) in draft.body_files.iter().map(|a| (a, true)).chain(draft.listed_files.iter().map(|a| (a, false))) {
            let Some(local) = &attachment.local else {
                // A dead link would fail `check`; the text stays, the summary lists the file.
                summary.missing_attachments.push(Missing { source: draft.source.clone(), href: attachment.href.clone() });
                body = unlink(&body, &attachment.href);
                continue;
            };
            let to = match copies.iter().find(|(from, _)| *from == Content::File(local.clone())) {
                Some((_, to)) => PathBuf::clone(to),
                None => match site.same_file(&files_dir, local) {
                    Some(there) => there,
                    None => {
                        let to = site.free_path(&files_dir, &file_name_stem(local), &extension(local));
                        copies.push((Content::File(local.clone()), to.clone()));
                        to
                    }
                },
            };
            let under_body = to.strip_prefix(&folder).unwrap_or(&to).to_string_lossy().replace('\\', "/");
            if in_body {
                let url = format!("/{}{under_body}", site.existing.body.url_prefix);
                body = relink(&body, &attachment.href, &url);
            } else {
                listed.push(under_body);
            }
        }
        // Files carried in the source are named after the document they belong to, so
        // that image1.png of two documents do not become image1.png and image1-2.png.
        let doc_stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        for file in &draft.embedded {
            let local = Path::new(&file.name);
            let stem = format!("{doc_stem}-{}", file_name_stem(local));
            let there = files_dir.join(format!("{stem}.{}", extension(local)));
            let same = std::fs::read(site.root.join(&there)).is_ok_and(|b| b == file.bytes);
            let to = if same { there } else { site.free_path(&files_dir, &stem, &extension(local)) };
            if !same {
                copies.push((Content::Bytes(file.bytes.clone()), to.clone()));
            }
            let under_body = to.strip_prefix(&folder).unwrap_or(&to).to_string_lossy().replace('\\', "/");
            body = relink(&body, &file.href, &format!("/{}{under_body}", site.existing.body.url_prefix));
        }
        let publisher = draft.publisher.clone().unwrap_or_else(|| site.existing.body.name.clone());
        let front = front_matter(draft, title, &index_no, &publisher, &category, date, &listed);
        Ok(Plan { source: draft.source.clone(), path, index_no, assigned, front, related: Vec::new(), body, copies })
    }

    /// The document file: front matter in the order `new` writes it, then the body.
    fn text(&self) -> String {
        let related = match self.related.as_slice() {
            [] => String::new(),
            numbers => format!("related = {}\n", toml_list(numbers)),
        };
        format!("+++\n{}{related}+++\n\n{}\n", self.front, self.body.trim())
    }

    fn imported(&self) -> Imported {
        Imported {
            source: self.source.clone(),
            path: self.path.clone(),
            index_no: self.index_no.clone(),
            assigned: self.assigned,
            files: self.copies.iter().map(|(_, to)| to.clone()).collect(),
        }
    }
}

/// Creates the document and its attachments, each with create-new.
fn write(root: &Path, plan: &Plan) -> Result<()> {
    for (from, to) in &plan.copies {
        let read;
        let bytes = match from {
            Content::File(from) => {
                read = std::fs::read(from).map_err(|source| Error::Read { path: from.clone(), source })?;
                &read
            }
            Content::Bytes(bytes) => bytes,
        };
        crate::new::write_new_bytes(root, to, bytes, "remove it or import into another site")?;
    }
    crate::new::write_new_file(root, &plan.path, &plan.text(), "remove it or import into another site")
}

/// The file name: the source's own when it is a valid slug (`a-b-1.html`, or the
/// folder of an `index.html`, as gongkai and many CMSs name pages), else one made of
/// the 索引号, which is unique.
fn file_stem(draft: &Draft, index_no: &str) -> String {
    let stem = draft.source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let stem = if stem == "index" {
        draft.source.parent().and_then(Path::file_name).and_then(|s| s.to_str()).unwrap_or("")
    } else {
        stem
    };
    if crate::new::is_slug(stem) {
        return stem.to_string();
    }
    let slug: String = index_no.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let slug = slug.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if slug.is_empty() { "imported".into() } else { slug }
}

/// The file name of an attachment without its extension, kept as the source named it
/// (Chinese names are fine under files/), with characters that break links replaced.
fn file_name_stem(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let stem: String = stem.chars().map(|c| if c.is_whitespace() || "()[]<>#?%\"'".contains(c) { '-' } else { c }).collect();
    if stem.is_empty() { "attachment".into() } else { stem }
}

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// Replaces the link target `from` with `to` wherever the Markdown uses it as one.
fn relink(markdown: &str, from: &str, to: &str) -> String {
    markdown.replace(&format!("]({from})"), &format!("]({to})")).replace(&format!("]({from} "), &format!("]({to} "))
}

/// Replaces each Markdown link or image to `href` by its text.
fn unlink(markdown: &str, href: &str) -> String {
    let target = format!("]({href})");
    let mut out = String::new();
    let mut rest = markdown;
    while let Some(end) = rest.find(&target) {
        let before = &rest[..end];
        match before.rfind('[') {
            Some(open) => {
                let image = before[..open].ends_with('!');
                out.push_str(&before[..if image { open - 1 } else { open }]);
                out.push_str(&before[open + 1..]);
            }
            None => out.push_str(before),
        }
        rest = &rest[end + target.len()..];
    }
    out.push_str(rest);
    out
}

fn quote(s: &str) -> String {
    toml::Value::String(s.trim().to_string()).to_string()
}

fn toml_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", "))
}

/// The front matter lines but `related`, in the order `new` writes them.
fn front_matter(
    draft: &Draft,
    title: &str,
    index_no: &str,
    publisher: &str,
    category: &str,
    date: NaiveDate,
    attachments: &[String],
) -> String {
    let list = toml_list;
    let mut text = format!(
        "title = {}\nindex_no = {}\npublisher = {}\ncategory = {}\ndate = {date}\n",
        quote(title),
        quote(index_no),
        quote(publisher),
        quote(category)
    );
    if let Some(written) = draft.written {
        text.push_str(&format!("written = {written}\n"));
    }
    if let Some(doc_no) = &draft.doc_no {
        text.push_str(&format!("doc_no = {}\n", quote(doc_no)));
    }
    if !draft.keywords.is_empty() {
        text.push_str(&format!("keywords = {}\n", list(&draft.keywords)));
    }
    if let Some(validity) = draft.validity.as_deref().filter(|v| *v != "effective") {
        text.push_str(&format!("validity = {}\n", quote(validity)));
    }
    if !attachments.is_empty() {
        text.push_str(&format!("attachments = {}\n", list(attachments)));
    }
    text
}

impl Summary {
    /// The summary for people, one finding a line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let verb = if self.dry_run { "would import" } else { "imported" };
        for i in &self.imported {
            let how = if i.assigned { " (索引号 assigned)" } else { "" };
            out.push_str(&format!("{verb} {} → {} 索引号 {}{how}\n", i.source.display(), i.path.display(), i.index_no));
        }
        for s in &self.skipped {
            out.push_str(&format!("skipped {}: {}\n", s.source.display(), s.reason));
        }
        for (name, count) in &self.unmapped_categories {
            out.push_str(&format!("unmapped category \"{name}\": {count} document(s)\n"));
        }
        for m in &self.missing_attachments {
            out.push_str(&format!("missing attachment {}: {} is not in the mirror\n", m.source.display(), m.href));
        }
        for w in &self.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        out.push_str(&format!(
            "gongkai: {} {verb}, {} skipped, {} unmapped categories, {} missing attachments, {} warnings{}\n",
            self.imported.len(),
            self.skipped.len(),
            self.unmapped_categories.len(),
            self.missing_attachments.len(),
            self.warnings.len(),
            if self.dry_run { " (dry run: nothing written)" } else { "" }
        ));
        out
    }
}

/// The first date in `text` in any of the usual forms (2022-04-12, 2022年4月12日,
/// 2022/4/12, 2022.04.12), with a time after it or not.
pub fn date_in(text: &str) -> Option<NaiveDate> {
    // Full-width digits occur in pasted dates; the numbers are read as ASCII.
    let text: String = text.chars().map(|c| if ('０'..='９').contains(&c) { char::from(b'0' + (c as u32 - '０' as u32) as u8) } else { c }).collect();
    let numbers: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).collect();
    // The year starts the date; a compact 20220412 is read too.
    let start = numbers.iter().position(|n| n.len() == 4 || n.len() == 8)?;
    let (y, m, d) = match &numbers[start..] {
        [compact, ..] if compact.len() == 8 => (&compact[..4], &compact[4..6], &compact[6..]),
        [y, m, d, ..] => (*y, *m, *d),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    crate::load::fields::year_problem(date).is_none().then_some(date)
}
