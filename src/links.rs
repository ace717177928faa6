/*!
Links written in Markdown, between the pages of a site.

Besides ordinary URLs (`/docs/2022/a/`, `/files/2022/plan.pdf`), an editor can link
a document by its file, relative to the file being written (`[规定](../policy.md)`)
or from `content/` (`/docs/policy.md`), or by its 索引号
(`[规定](index:11111111-1-/2023-0301001)`, also written `索引号:…`). Such links get
the document's URL when rendered, so they survive a change of base_url.

`gongkai check` follows every internal link and `#anchor` and reports, at its line,
each one that leads nowhere. `build` leaves links as they are: a dead link is worth
a warning in review, not a failed publication.
*/

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::error::{Code, Diagnostics};
use crate::load::source::did_you_mean;
use crate::render::{self, context::url, markdown};
use crate::site::Site;

/// Where a link leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// Another site, an e-mail address, a phone number.
    Outside,
    /// A place on the page the link is on.
    Here { fragment: String },
    /// A page of the site by its output path (`docs/2022/a/`), and an anchor on it.
    Page { path: String, fragment: Option<String> },
    /// An attachment (`files/2022/plan.pdf`) or another output file.
    File { path: String },
    /// Nowhere; the reason is said in the editor's terms.
    Missing { reason: String },
}

/// Where the link `dest`, written in the file `from` (relative to the site root),
/// leads. Pages are only looked up by file or 索引号; a URL path is returned as a
/// `Page` for the caller to look up.
pub fn resolve(site: &Site, from: &Path, dest: &str) -> Target {
    let (rest, fragment) = match dest.split_once('#') {
        Some((r, f)) => (r, Some(decode(f))),
        None => (dest, None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    if rest.is_empty() {
        return match fragment {
            Some(fragment) => Target::Here { fragment },
            None => Target::Outside,
        };
    }
    if let Some(index_no) = rest.strip_prefix("index:").or_else(|| rest.strip_prefix("索引号:")) {
        let index_no = decode(index_no);
        return match site.by_index_no(&index_no) {
            Some(doc) => Target::Page { path: doc.path.clone(), fragment },
            None => Target::Missing { reason: format!("no document has 索引号 \"{index_no}\"") },
        };
    }
    if has_scheme(rest) || rest.starts_with("//") {
        return Target::Outside;
    }
    let decoded = decode(rest);
    match decoded.strip_prefix('/') {
        Some(site_path) if site_path.ends_with(".md") => by_source(site, &Path::new("content").join(site_path), fragment),
        Some(site_path) => by_url_path(site, site_path, fragment),
        None => {
            let base = from.parent().unwrap_or(Path::new(""));
            match normalize(&base.join(&decoded)) {
                Some(path) if path.extension().is_some_and(|e| e == "md") => by_source(site, &path, fragment),
                Some(path) => match path.strip_prefix("content") {
                    Ok(under) if under.starts_with("files") => by_url_path(site, &crate::load::slash_path(under), fragment),
                    _ => Target::Missing {
                        reason: "a relative link must name a .md document or a file under content/files/; for a page, write its path from the site root, such as /catalogue/".into(),
                    },
                },
                None => Target::Missing { reason: "it leads outside the site's folder".into() },
            }
        }
    }
}

/// The URL a link to a document by file or 索引号 gets on the page; `None` for
/// every other link, which is kept as written.
pub fn rewrite(site: &Site, from: &Path, dest: &str) -> Option<String> {
    let by_document = dest.starts_with("index:") || dest.starts_with("索引号:") || dest.split(['#', '?']).next()?.ends_with(".md");
    if !by_document || has_scheme_other_than_index(dest) {
        return None;
    }
    match resolve(site, from, dest) {
        Target::Page { path, fragment } => {
            let anchor = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            Some(format!("{}{anchor}", url(site, &path)))
        }
        _ => None,
    }
}

/// Whether [`rewrite`] may change a link written in `markdown`: only a link ending
/// in `.md` or starting with `index:` or `索引号:` is rewritten, and a character
/// reference (`&#46;`) is the only way to write one without those characters.
pub fn may_rewrite(markdown: &str) -> bool {
    ["index:", "索引号:", ".md", "&"].iter().any(|s| markdown.contains(s))
}

/// A stamp of what [`rewrite`] reads of the site: where each document, version and
/// 依申请公开 page is, by file and by 索引号. A page whose text [`may_rewrite`] is made
/// again when it changes; keep it in step with [`resolve`]'s `index:` and file cases.
pub fn rewrite_stamp(site: &Site) -> u64 {
    let mut s = crate::stamp::Stamper::new();
    s.text(&site.config.base_url);
    for d in &site.documents {
        s.text(&d.source.to_string_lossy());
        s.text(&d.index_no);
        s.text(&d.path);
    }
    for (_, body) in site.body_ids() {
        s.text(&body.path(""));
        for versions in [&body.guide, &body.directory] {
            for v in &versions.pages {
                s.text(&v.source.to_string_lossy());
                s.text(&v.version);
            }
        }
        if let Some(apply) = &body.apply {
            s.text(&apply.source.to_string_lossy());
        }
    }
    s.finish()
}

fn by_source(site: &Site, source: &Path, fragment: Option<String>) -> Target {
    if let Some(i) = site.position_of(source) {
        return Target::Page { path: site.documents[i].path.clone(), fragment };
    }
    for (_, body) in site.body_ids() {
        for (folder, versions) in [("guide", &body.guide), ("directory", &body.directory)] {
            if let Some(v) = versions.pages.iter().find(|v| v.source == source) {
                return Target::Page { path: body.path(&format!("{folder}/{}/", v.version)), fragment };
            }
        }
        if body.apply.as_ref().is_some_and(|a| a.source == source) {
            return Target::Page { path: body.path("ysqgk/"), fragment };
        }
    }
    Target::Missing { reason: format!("there is no document {}", crate::load::slash_path(source)) }
}

fn by_url_path(site: &Site, path: &str, fragment: Option<String>) -> Target {
    // A department's attachments are served at /bm/<code>/files/… from
    // content/departments/<code>/files/….
    let under_departments = path.strip_prefix(site.config.departments_path.trim_matches('/')).and_then(|p| p.strip_prefix('/'));
    if let Some((code, rest)) = under_departments.and_then(|p| p.split_once('/')).filter(|(_, rest)| rest.starts_with("files/")) {
        let source = format!("departments/{code}/{rest}");
        return if site.files.contains(&source) {
            Target::File { path: source }
        } else {
            Target::Missing { reason: format!("there is no attachment content/{source}") }
        };
    }
    if path.starts_with("files/") {
        return if site.files.iter().any(|f| f == path) {
            Target::File { path: path.to_string() }
        } else {
            Target::Missing { reason: format!("there is no attachment content/{path}") }
        };
    }
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let is_file = Path::new(path).extension().is_some();
    let path = if path.is_empty() || path.ends_with('/') || is_file { path.to_string() } else { format!("{path}/") };
    if is_file { Target::File { path } } else { Target::Page { path, fragment } }
}

/// Checks every link of every document, versioned page and the 依申请公开 page.
pub fn check(site: &Site, diags: &mut Diagnostics) {
    let pages: HashSet<String> = render::pages(site).iter().map(|p| p.url_path(site)).collect();
    let statics: HashSet<String> = render::theme::Theme::load(&site.root, &site.config.theme)
        .map(|t| t.statics.into_keys().collect())
        .unwrap_or_default();
    let mut bodies: Vec<(&Path, &str, usize, String)> =
        site.documents.iter().map(|d| (d.source.as_path(), d.body.as_str(), d.lines.body, d.path.clone())).collect();
    for (_, body) in site.body_ids() {
        for (folder, versions) in [("guide", &body.guide), ("directory", &body.directory)] {
            bodies.extend(
                versions.pages.iter().map(|v| (v.source.as_path(), v.body.as_str(), v.body_line, body.path(&format!("{folder}/{}/", v.version)))),
            );
        }
        bodies.extend(body.apply.iter().map(|a| (a.source.as_path(), a.body.as_str(), a.body_line, body.path("ysqgk/"))));
    }
    let anchors: HashMap<&str, Vec<String>> = bodies.iter().map(|(_, body, _, path)| (path.as_str(), markdown::heading_ids(body))).collect();
    for (source, body, first_line, own_path) in &bodies {
        for (dest, offset) in markdown::link_targets(body) {
            let line = first_line + body[..offset].matches('\n').count();
            let problem = match resolve(site, source, &dest) {
                Target::Outside => None,
                Target::Missing { reason } => Some(reason),
                Target::File { path } => (!pages.contains(&path) && !statics.contains(&path) && !site.files.contains(&path))
                    .then(|| format!("there is no file /{path} in the site")),
                Target::Here { fragment } => missing_anchor(&anchors, own_path, &fragment),
                Target::Page { path, fragment } => {
                    if pages.contains(&path) {
                        fragment.and_then(|f| missing_anchor(&anchors, &path, &f))
                    } else {
                        Some(format!("there is no page /{path} in the site"))
                    }
                }
            };
            if let Some(problem) = problem {
                diags.error(Code::Link, source, Some(line), format!("link \"{dest}\" leads nowhere: {problem}"));
            }
        }
    }
}

/// Anchors are known for documents, versioned pages and the 依申请公开 page written in
/// apply.md; on other pages any is taken.
fn missing_anchor(anchors: &HashMap<&str, Vec<String>>, path: &str, fragment: &str) -> Option<String> {
    let ids = anchors.get(path)?;
    if ids.iter().any(|id| id == fragment) {
        return None;
    }
    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
    let hint = did_you_mean(fragment, &known).map(|k| format!(" (did you mean #{k}?)")).unwrap_or_default();
    Some(format!("/{path} has no heading with the anchor #{fragment}{hint}"))
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

fn has_scheme_other_than_index(s: &str) -> bool {
    has_scheme(s) && !s.starts_with("index:")
}

/// `a/b/../c` → `a/c`; `None` when `..` climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}
