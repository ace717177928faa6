/*!
Stage 2, validate: the rules that need more than one file. Each document was already
checked on its own while loading; here 索引号 must be unique across the site, a
category must be a leaf of the current directory, `related` must name existing
documents, and attachments must exist under `content/files/`.
*/

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::error::Diagnostics;
use crate::load::source::did_you_mean;
use crate::site::{Site, Versions};

/// `broken` holds the 索引号 of documents that failed to load, or is `None` when some
/// of those could not even be read: then `related` is not checked, rather than
/// report a document as missing that is only broken.
pub fn check(site: &Site, broken: Option<&HashSet<String>>, diags: &mut Diagnostics) {
    check_series(&site.guide, "guide", "政府信息公开指南", diags);
    check_series(&site.directory, "directory", "政府信息公开目录", diags);
    check_unique_index_numbers(site, diags);
    check_categories(site, diags);
    if let Some(broken) = broken {
        check_related(site, broken, diags);
    }
    check_attachments(site, diags);
}

fn check_series(versions: &Versions, folder: &str, what: &str, diags: &mut Diagnostics) {
    if versions.pages.is_empty() {
        diags.error(
            Path::new("content").join(folder).as_path(),
            None,
            format!("no {what} yet: add content/{folder}/<version>.md with title, version and effective"),
        );
    }
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for page in &versions.pages {
        if let Some(other) = seen.insert(&page.version, &page.source) {
            diags.error(
                &page.source,
                Some(page.version_line),
                format!("version \"{}\" is also used by {}; each version needs its own label", page.version, other.display()),
            );
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
                &doc.source,
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

fn check_categories(site: &Site, diags: &mut Diagnostics) {
    let Some(current) = site.directory.current() else { return };
    let leaves: Vec<&str> = site.categories.iter().filter(|(_, c)| c.is_leaf).map(|(k, _)| k.as_str()).collect();
    for doc in &site.documents {
        let line = Some(doc.lines.category);
        match site.categories.get(&doc.category) {
            Some(c) if c.is_leaf => {}
            Some(c) => {
                let mut kids: Vec<String> = site
                    .categories
                    .iter()
                    .filter(|(_, k)| k.is_leaf && k.path.contains(&doc.category))
                    .map(|(code, k)| format!("{code} ({})", k.name))
                    .collect();
                kids.sort();
                diags.error(
                    &doc.source,
                    line,
                    format!("category \"{}\" ({}) has sub-categories; use one of them: {}", doc.category, c.name, kids.join(", ")),
                );
            }
            None => {
                // Editors often write the category's name instead of its code.
                let by_name = site.categories.iter().find(|(_, c)| c.is_leaf && c.name == doc.category).map(|(k, _)| k.as_str());
                let hint = by_name
                    .or_else(|| did_you_mean(&doc.category, &leaves))
                    .map(|k| format!(" (did you mean \"{k}\", {}?)", site.categories[k].name))
                    .unwrap_or_default();
                diags.error(
                    &doc.source,
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
                diags.error(&doc.source, Some(*line), format!("related \"{target}\" is not the index_no of any document{hint}"));
            }
        }
    }
}

fn check_attachments(site: &Site, diags: &mut Diagnostics) {
    let files: HashSet<&str> = site.files.iter().map(String::as_str).collect();
    for doc in &site.documents {
        for (path, line) in doc.attachments.iter().zip(&doc.lines.attachments) {
            if path.split('/').any(|p| p == ".." || p == ".") || path.starts_with('/') {
                diags.error(&doc.source, Some(*line), format!("attachment \"{path}\" must be a path under content/files/, such as \"files/2022/plan.pdf\""));
            } else if !path.starts_with("files/") {
                diags.error(&doc.source, Some(*line), format!("attachment \"{path}\" must start with files/ (the file goes in content/files/)"));
            } else if !files.contains(path.as_str()) {
                diags.error(&doc.source, Some(*line), format!("attachment \"{path}\" does not exist: put the file at content/{path}"));
            }
        }
    }
}
