/*!
The theme: Tera templates and static files. The default theme is built into the
binary; a site overrides it file by file with `themes/<name>/templates/` and
`themes/<name>/static/` (the example site's own `themes/default/` is the source the
binary embeds).
*/

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

macro_rules! embed {
    ($kind:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/", $kind, "/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &[u8])] = embed!("templates":
    "base.html", "home.html", "document.html", "listing.html", "version.html",
    "partials/doc_table.html", "partials/pagination.html", "partials/tree.html",
    "series.html", "404.html", "atom.xml", "sitemap.xml", "changes.html",
    "report/active.html", "report/applications.html", "report/appeals.html",
);

const STATIC: &[(&str, &[u8])] = embed!("static": "css/gongkai.css");

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
