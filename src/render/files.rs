//! The files that are not pages: catalogue.json, the Atom feeds and sitemap.xml.

use serde::Serialize;

use super::context::{CatalogueEntry, Section};
use super::{Page, pages};
use crate::site::{BodyId, Document, Site};

/// catalogue.json's entries: every document, then every version of each body's guide
/// and directory.
pub(super) fn catalogue(site: &Site) -> Vec<CatalogueEntry<'_>> {
    let mut entries: Vec<CatalogueEntry> = site.documents.iter().map(|d| CatalogueEntry::new(site, d)).collect();
    for (id, body) in site.body_ids() {
        for (folder, versions) in [("guide", &body.guide), ("directory", &body.directory)] {
            entries.extend(versions.pages.iter().rev().map(|v| CatalogueEntry::version(Section::new(site, id), folder, v)));
        }
    }
    entries
}

/// JSON whose strings cannot close an HTML element or start an entity, wherever the
/// file ends up being embedded: `<`, `>` and `&` (which in JSON text occur only inside
/// strings) are written as `\u` escapes, as are the JavaScript line separators.
pub fn safe_json<T: Serialize>(value: &T) -> Vec<u8> {
    let text = serde_json::to_string_pretty(value).expect("plain data serialises");
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.into_bytes()
}

#[derive(Serialize)]
pub(super) struct Feed<'a> {
    title: String,
    id: String,
    self_url: String,
    home_url: String,
    updated: String,
    entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
pub(super) struct FeedEntry<'a> {
    #[serde(flatten)]
    doc: CatalogueEntry<'a>,
    id: String,
    updated: String,
}

/// Feed dates are the publication day at 00:00 China Standard Time.
fn rfc3339(d: chrono::NaiveDate) -> String {
    format!("{d}T00:00:00+08:00")
}

/// The platform's feed of every body's newest documents, or (`body`) one
/// department's own.
pub(super) fn feed(site: &Site, body: Option<BodyId>) -> Feed<'_> {
    let c = &site.config;
    let (documents, prefix, title): (Vec<&Document>, &str, String) = match body.map(|id| site.body(id)) {
        None => (site.documents.iter().take(50).collect(), "", c.title.clone()),
        Some(b) => (b.documents().iter().take(50).map(|&i| &site.documents[i]).collect(), &b.prefix, format!("{} - {}", b.name, c.title)),
    };
    let updated = documents.first().map(|d| rfc3339(d.date)).unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let entries: Vec<FeedEntry> = documents
        .into_iter()
        .map(|d| FeedEntry {
            id: c.absolute_url(&d.path),
            updated: rfc3339(d.date),
            doc: CatalogueEntry { url: c.absolute_url(&d.path), ..CatalogueEntry::new(site, d) },
        })
        .collect();
    Feed {
        title,
        id: c.absolute_url(prefix),
        self_url: c.absolute_url(&format!("{prefix}atom.xml")),
        home_url: c.absolute_url(prefix),
        updated,
        entries,
    }
}

#[derive(Serialize)]
pub(super) struct Sitemap {
    urls: Vec<String>,
}

pub(super) fn sitemap(site: &Site) -> Sitemap {
    let urls = pages(site)
        .iter()
        .filter(|p| p.is_html() && !matches!(p, Page::NotFound))
        .map(|p| site.config.absolute_url(&p.url_path(site)))
        .collect();
    Sitemap { urls }
}
