/*!
Stage 2, validate: the rules that need more than one file. Each document was already
checked on its own while loading; here 索引号 must be unique across the site, a
category must be a leaf of the current directory, `related` must name existing
documents, attachments, the 申请表 of the 依申请公开 page and the images `[identity]`
names must exist under `content/files/`, and no two files may share an address. The
column's items must all be there: the 政府信息公开制度 category, and the 依申请公开 page
(`content/apply.md`). The rules across a body's annual reports are in [`reports`].
*/

mod reports;
mod documents;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::error::{Code, Diagnostics};
use crate::load::source::did_you_mean;
use crate::config::Column;
use crate::site::{Body, BodyId, Site, Versions};

pub mod relations;
mod timeliness;

/// `broken` holds the 索引号 of documents that failed to load, or is `None` when some
/// of those could not even be read: then `related` is not checked, rather than
/// report a document as missing that is only broken.
pub fn check(site: &Site, broken: Option<&HashSet<String>>, today: chrono::NaiveDate, diags: &mut Diagnostics) {
    check_series(&site.owner().guide, "guide", "政府信息公开指南", diags);
    check_series(&site.owner().directory, "directory", "政府信息公开目录", diags);
    for (_, body) in site.body_ids().skip(1) {
        if body.guide.pages.is_empty() {
            let folder = crate::load::slash_path(&body.folder);
            diags.warning(
                Code::GuideMissing,&body.folder.join("department.toml"),
                None,
                format!("{} has no 政府信息公开指南, which every body publishes: add {folder}/guide/<version>.md", body.name),
            );
        }
    }
    check_addresses(site, diags);
    check_unique_index_numbers(site, diags);
    check_categories(site, diags);
    if let Some(broken) = broken {
        check_related(site, broken, diags);
    }
    relations::check(site, broken, diags);
    check_attachments(site, diags);
    check_identity_images(site, diags);
    check_rules_category(site, BodyId::OWNER, diags);
    reports::check(site, today, diags);
    timeliness::check(site, today, diags);
    documents::check(site, diags);
    for (_, body) in site.body_ids() {
        let apply = body.folder.join("apply.md");
        // A file that is there but unreadable has its own error.
        if body.apply.is_none() && !crate::load::is_listed(&site.root, &apply) {
            diags.warning(
                Code::Apply,&apply,
                None,
                format!(
                    "missing, so /{} (依申请公开) only repeats the guide's 依申请公开 section: write {} with \
                     forms (the 申请表 under {}/), address, office_hours, postal_address, phone, online_url if there \
                     is an online system, and how to apply in its text",
                    body.path("ysqgk/"),
                    crate::load::slash_path(&apply),
                    crate::load::slash_path(&body.folder.join("files")),
                ),
            );
        }
    }
}

const SITE_TOML: &str = "content/site.toml";

/// The category shown as 政府信息公开制度: the one `[columns] rules_category` names
/// must be in the current directory; without it, the directory must have exactly one
/// category with 制度 in its name.
fn check_rules_category(site: &Site, id: BodyId, diags: &mut Diagnostics) {
    let Some(current) = site.directory_of(id).current() else { return };
    let categories = &site.body(id).categories;
    let columns = &site.config.columns;
    if let Some(code) = &columns.rules_category {
        if !categories.contains_key(code) {
            let codes: Vec<&str> = categories.keys().map(String::as_str).collect();
            let by_name = categories.iter().find(|(_, c)| c.name == *code).map(|(k, _)| k.as_str());
            let hint = by_name
                .or_else(|| did_you_mean(code, &codes))
                .map(|k| format!(" (did you mean \"{k}\", {}?)", categories[k].name))
                .unwrap_or_default();
            diags.error(
                Code::RulesCategory,Path::new(SITE_TOML),
                columns.rules_category_line,
                format!("columns.rules_category \"{code}\" is not a category of the current directory ({}){hint}", current.source.display()),
            );
        }
        return;
    }
    if columns.shown(Column::Rules).is_none() {
        return;
    }
    let found = match crate::site::rules_candidates(site.body(id))[..] {
        [_] => return,
        [] => "no category of the current directory has 制度 in its name".to_string(),
        ref several => {
            let named: Vec<String> = several.iter().map(|k| format!("{k} ({})", categories[*k].name)).collect();
            format!("several categories of the current directory have 制度 in their name: {}", named.join(", "))
        }
    };
    diags.warning(
        Code::RulesCategory,Path::new(SITE_TOML),
        None,
        format!(
            "{found}, so {} is left out of the navigation and the home page: under [columns], set rules_category = \"<code>\" \
             to the category that holds the body's rules",
            Column::Rules.default_label()
        ),
    );
}

/// The owner must publish a guide and a directory; a department's are checked in
/// [`check`] (its directory may be the owner's).
fn check_series(versions: &Versions, folder: &str, what: &str, diags: &mut Diagnostics) {
    if versions.pages.is_empty() {
        diags.error(
            Code::Directory,Path::new("content").join(folder).as_path(),
            None,
            format!("no {what} yet: add content/{folder}/<version>.md with title, version and effective"),
        );
    }
}

/// A page or file made from one content file: its output path and how to give it another.
struct Address {
    path: String,
    source: PathBuf,
    /// The line that gives the address, where one does (a version's label).
    line: Option<usize>,
    fix: &'static str,
}

/// Every address made from a content file must be its own: two files at one address
/// would replace each other (an error); addresses that differ only in upper and lower
/// case, or in how their characters are composed, do so on the case-insensitive disks
/// of Windows and macOS, where sites are often built and served (a warning).
fn check_addresses(site: &Site, diags: &mut Diagnostics) {
    const RENAME: &str = "rename one of the files";
    let mut addresses: Vec<Address> = site
        .documents
        .iter()
        .map(|d| Address { path: d.path.clone(), source: d.source.clone(), line: None, fix: RENAME })
        .collect();
    for (_, body) in site.body_ids() {
        for (folder, versions) in [("guide", &body.guide), ("directory", &body.directory)] {
            addresses.extend(versions.pages.iter().map(|v| Address {
                path: body.path(&format!("{folder}/{}/", v.version)),
                source: v.source.clone(),
                line: Some(v.version_line),
                fix: "give each version its own label",
            }));
        }
    }
    addresses.extend(site.files.iter().map(|f| Address { path: site.file_output(f), source: Path::new("content").join(f), line: None, fix: RENAME }));
    report_shared_addresses(addresses, diags);
}

fn report_shared_addresses(mut addresses: Vec<Address>, diags: &mut Diagnostics) {
    // By file, so that the message names the same other file on every run.
    addresses.sort_by(|a, b| a.source.cmp(&b.source));
    let mut first: HashMap<String, Address> = HashMap::new();
    for a in addresses {
        let folded: String = a.path.nfc().collect::<String>().to_lowercase();
        match first.get(&folded) {
            None => {
                first.insert(folded, a);
            }
            Some(other) if other.path == a.path => diags.error(
                Code::Address,&a.source,
                a.line,
                format!("its address /{} is also that of {}, and one would replace the other: {}", a.path, other.source.display(), a.fix),
            ),
            Some(other) => diags.warning(
                Code::Address,&a.source,
                a.line,
                format!(
                    "its address /{} differs from /{} ({}) only in upper and lower case or in how its characters are composed; \
                     on a case-insensitive disk (Windows, macOS) one would replace the other: {}",
                    a.path,
                    other.path,
                    other.source.display(),
                    a.fix
                ),
            ),
        }
    }
}

fn check_unique_index_numbers(site: &Site, diags: &mut Diagnostics) {
    let mut first: HashMap<&str, &Path> = HashMap::new();
    // Report in a stable order (by file), so "also used by" names the same file each run.
    let mut docs: Vec<_> = site.documents.iter().collect();
    docs.sort_by(|a, b| a.source.cmp(&b.source));
    for doc in docs {
        if let Some(other) = first.insert(&doc.index_no, &doc.source) {
            diags.error(
                Code::DuplicateIndex,&doc.source,
                Some(doc.lines.index_no),
                format!(
                    "index_no \"{}\" is already used by {}; every document needs its own 索引号",
                    doc.index_no,
                    other.display()
                ),
            );
            first.insert(&doc.index_no, other);
        }
    }
}

/// Each document is filed under a leaf of its body's current directory.
fn check_categories(site: &Site, diags: &mut Diagnostics) {
    for doc in site.documents.iter().filter(|d| !d.category.is_empty()) {
        let Some(current) = site.directory_of(doc.body_id).current() else { continue };
        let categories = &site.body_of(doc).categories;
        let line = Some(doc.lines.category);
        match categories.get(&doc.category) {
            Some(c) if c.is_leaf => {}
            Some(c) => {
                let mut kids: Vec<String> = categories
                    .iter()
                    .filter(|(_, k)| k.is_leaf && k.path.contains(&doc.category))
                    .map(|(code, k)| format!("{code} ({})", k.name))
                    .collect();
                kids.sort();
                diags.error(
                    Code::Category,&doc.source,
                    line,
                    format!("category \"{}\" ({}) has sub-categories; use one of them: {}", doc.category, c.name, kids.join(", ")),
                );
            }
            None => {
                // Editors often write the category's name instead of its code.
                let by_name = categories.iter().find(|(_, c)| c.is_leaf && c.name == doc.category).map(|(k, _)| k.as_str());
                let leaves: Vec<&str> = categories.iter().filter(|(_, c)| c.is_leaf).map(|(k, _)| k.as_str()).collect();
                let hint = by_name
                    .or_else(|| did_you_mean(&doc.category, &leaves))
                    .map(|k| format!(" (did you mean \"{k}\", {}?)", categories[k].name))
                    .unwrap_or_default();
                diags.error(
                    Code::Category,&doc.source,
                    line,
                    format!(
                        "category \"{}\" is not in the current directory ({}){hint}",
                        doc.category,
                        current.source.display()
                    ),
                );
            }
        }
    }
}

fn check_related(site: &Site, broken: &HashSet<String>, diags: &mut Diagnostics) {
    let all: Vec<&str> = site.documents.iter().map(|d| d.index_no.as_str()).collect();
    for doc in &site.documents {
        for (target, line) in doc.related.iter().zip(&doc.lines.related) {
            if site.by_index_no(target).is_none() && !broken.contains(target) {
                let hint = did_you_mean(target, &all).map(|k| format!(" (did you mean \"{k}\"?)")).unwrap_or_default();
                diags.error(Code::Related, &doc.source, Some(*line), format!("related \"{target}\" is not the index_no of any document{hint}"));
            }
        }
    }
}

/// Why a named file is not among the site's files: absent, or reached through a
/// symbolic link, which the loader does not follow.
fn missing_file(site: &Site, what: &str, path: &str, content_path: &str) -> String {
    let rel = Path::new("content").join(content_path);
    match crate::load::symlink_on_path(&site.root, &rel) {
        Some(link) => format!(
            "{what} \"{path}\" is reached through the symbolic link {}, which gongkai does not follow: put the file itself at content/{content_path}",
            crate::load::slash_path(&link)
        ),
        None => format!("{what} \"{path}\" does not exist: put the file at content/{content_path}"),
    }
}

/// Attachments of documents and the 申请表 of the 依申请公开 page must be files under
/// `content/files/`.
fn check_attachments(site: &Site, diags: &mut Diagnostics) {
    let files: HashSet<&str> = site.files.iter().map(String::as_str).collect();
    let documents = site.documents.iter().map(|d| (d.body_id, &d.source, &d.attachments, &d.lines.attachments));
    let forms = site.body_ids().filter_map(|(id, b)| b.apply.as_ref().map(|a| (id, &a.source, &a.forms, &a.form_lines)));
    for (body, source, paths, lines) in documents.chain(forms) {
        for (path, line) in paths.iter().zip(lines) {
            if let Some(problem) = file_problem(site, site.body(body), &files, "attachment", path, "files/2022/plan.pdf") {
                diags.error(Code::Attachment, source, Some(*line), problem);
            }
        }
    }
}

/// The images site.toml's `[identity]` names must be files of the site, as
/// attachments are.
fn check_identity_images(site: &Site, diags: &mut Diagnostics) {
    let files: HashSet<&str> = site.files.iter().map(String::as_str).collect();
    let identity = &site.config.identity;
    for named in [&identity.conac_image, &identity.police_image].into_iter().flatten() {
        if let Some(problem) = file_problem(site, site.owner(), &files, named.key, &named.path, "files/conac.png") {
            diags.error(Code::Identity, Path::new("content/site.toml"), named.line, problem);
        }
    }
}

/// Why `path`, named by `what` (`attachment`, `conac_image`), is not a file of the
/// site under `content/files/`; `example` shows a good one.
fn file_problem(site: &Site, body: &Body, files: &HashSet<&str>, what: &str, path: &str, example: &str) -> Option<String> {
    let folder = crate::load::slash_path(&body.folder);
    let content_path = body.content_path(path);
    if path.split('/').any(|p| p == ".." || p == ".") || path.starts_with('/') {
        Some(format!("{what} \"{path}\" must be a path under {folder}/files/, such as \"{example}\""))
    } else if !path.starts_with("files/") {
        Some(format!("{what} \"{path}\" must start with files/ (the file goes in {folder}/files/)"))
    } else if !files.contains(content_path.as_str()) {
        Some(missing_file(site, what, path, &content_path))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(path: &str, source: &str) -> Address {
        Address { path: path.into(), source: source.into(), line: None, fix: "rename one of the files" }
    }

    #[test]
    fn two_files_at_one_address_are_an_error_naming_both() {
        let mut d = Diagnostics::default();
        report_shared_addresses(vec![address("docs/a/", "content/docs/b.md"), address("docs/a/", "content/docs/a.md")], &mut d);
        let d = d.into_sorted();
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(
            d[0].to_string(),
            "content/docs/b.md: its address /docs/a/ is also that of content/docs/a.md, and one would replace the other: rename one of the files"
        );
    }

    #[test]
    fn addresses_differing_in_case_or_composition_are_a_warning() {
        let mut d = Diagnostics::default();
        report_shared_addresses(
            vec![
                address("docs/A/", "content/docs/A.md"),
                address("docs/a/", "content/docs/a.md"),
                address("docs/e\u{301}/", "content/docs/e\u{301}.md"),
                address("docs/\u{e9}/", "content/docs/\u{e9}.md"),
            ],
            &mut d,
        );
        let d = d.into_sorted();
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d.iter().all(|d| !d.is_error()));
        assert!(d[0].to_string().starts_with("content/docs/a.md: warning: its address /docs/a/ differs from /docs/A/ (content/docs/A.md)"));
    }
}
