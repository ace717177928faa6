/*!
The theme: Tera templates and static files. The default theme is built into the
binary; a site overrides it file by file with `themes/<name>/templates/` and
`themes/<name>/static/` (the example site's own `themes/default/` is the source the
binary embeds).
*/

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Error, Result};

macro_rules! embed {
    ($kind:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/", $kind, "/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &[u8])] = embed!("templates":
    "base.html", "home.html", "document.html", "listing.html", "version.html",
    "partials/doc_table.html", "partials/pagination.html", "partials/tree.html", "partials/bodies.html",
    "series.html", "search.html", "404.html", "atom.xml", "sitemap.xml", "changes.html", "apply.html", "sitemap.html", "departments.html", "report_overview.html",
    "report/active.html", "report/applications.html", "report/appeals.html",
);

const STATIC: &[(&str, &[u8])] = embed!("static":
    "css/gongkai.css", "js/a11y.js", "js/search.js", "search/engine.js",
    "cursors/arrow.svg", "cursors/hand.svg", "cursors/text.svg",
);

/// Templates by name and static files by output path.
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme with the site's `themes/<name>/` files laid over it.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut theme = Theme {
            templates: TEMPLATES.iter().map(|(n, b)| (n.to_string(), String::from_utf8_lossy(b).into_owned())).collect(),
            statics: STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect(),
        };
        let dir = root.join("themes").join(name);
        for (rel, bytes) in read_tree(&dir.join("templates"))? {
            let text = String::from_utf8(bytes).map_err(|_| Error::Template {
                name: rel.clone(),
                message: "template is not UTF-8 text".into(),
            })?;
            theme.templates.insert(rel, text);
        }
        theme.statics.extend(read_tree(&dir.join("static"))?);
        Ok(theme)
    }
}

impl Theme {
    /// The templates that differ between two themes (edited, added or removed), and
    /// every template that extends or includes one of them, directly or not.
    pub fn changed_templates(&self, before: &Theme) -> BTreeSet<String> {
        let names: BTreeSet<&String> = self.templates.keys().chain(before.templates.keys()).collect();
        let mut changed: BTreeSet<String> =
            names.into_iter().filter(|n| self.templates.get(*n) != before.templates.get(*n)).cloned().collect();
        loop {
            let users: Vec<String> = self
                .templates
                .iter()
                .filter(|(name, text)| !changed.contains(*name) && references(text).any(|r| changed.contains(r)))
                .map(|(name, _)| name.clone())
                .collect();
            if users.is_empty() {
                return changed;
            }
            changed.extend(users);
        }
    }

    /// Static files whose bytes differ between two themes, and those `before` had
    /// that this one has not.
    pub fn changed_statics(&self, before: &Theme) -> (Vec<String>, Vec<String>) {
        let changed = self.statics.iter().filter(|(n, b)| before.statics.get(*n) != Some(*b)).map(|(n, _)| n.clone()).collect();
        let removed = before.statics.keys().filter(|n| !self.statics.contains_key(*n)).cloned().collect();
        (changed, removed)
    }
}

/// Names of the templates a template's `extends`, `include` and `import` tags name.
fn references(text: &str) -> impl Iterator<Item = &str> {
    text.split("{%").skip(1).filter_map(|tag| {
        let tag = tag.trim_start_matches(['-', ' ', '\n', '\t']);
        let rest = ["extends", "include", "import"].iter().find_map(|kw| tag.strip_prefix(kw))?;
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
        rest[1..].split(quote).next()
    })
}

/// Every file below `dir` by its '/'-separated relative path; nothing if `dir` is absent.
fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Read {
            path: dir.to_path_buf(),
            source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk failed")),
        })?;
        let hidden = entry.file_name().to_str().is_some_and(|n| n.starts_with('.'));
        if !entry.file_type().is_file() || hidden {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let bytes = std::fs::read(entry.path()).map_err(|source| Error::Read { path: entry.path().to_path_buf(), source })?;
        out.push((rel, bytes));
    }
    Ok(out)
}
