/*!
`gongkai init`: a new site that checks and builds at once. An editor starts from a
working 政府信息公开目录, 指南, 依申请公开 page and example document and changes them, rather than from
an empty folder and the format description.

The starter files are the templates in `src/init/`, built into the binary; their
`{{year}}`, `{{date}}`, `{{date_cn}}`, `{{org_code}}` and `{{index_no}}` are filled in
with the day the site is created, so the first versions are in effect at once.
*/

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::new::{write_new_file, IndexPattern};

const SITE_TOML: &str = include_str!("init/site.toml");
const DIRECTORY: &str = include_str!("init/directory.md");
const GUIDE: &str = include_str!("init/guide.md");
const APPLY: &str = include_str!("init/apply.md");
const DOCUMENT: &str = include_str!("init/document.md");
const GITIGNORE: &str = include_str!("init/gitignore");

/// A placeholder that passes every check and is plainly not a real 组织机构代码.
const ORG_CODE: &str = "00000000-0";

/// Creates a site in `dir`, which must be new or empty. `today` dates the first
/// directory and guide versions and the example document. Returns the files written,
/// relative to `dir`.
pub fn create_site(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>> {
    refuse_used_folder(dir)?;
    let year = today.year();
    let index_no = IndexPattern::default().format(ORG_CODE, "", today, 1);
    let fill = |template: &str| {
        template
            .replace("{{year}}", &year.to_string())
            .replace("{{date_cn}}", &format!("{year}年{}月{}日", today.month(), today.day()))
            .replace("{{date}}", &today.to_string())
            .replace("{{org_code}}", ORG_CODE)
            .replace("{{index_no}}", &index_no)
    };
    let files = [
        ("content/site.toml".to_string(), fill(SITE_TOML)),
        (format!("content/directory/{year}.md"), fill(DIRECTORY)),
        (format!("content/guide/{year}.md"), fill(GUIDE)),
        ("content/apply.md".to_string(), APPLY.to_string()),
        // Named as `gongkai new` names files: month, day and running number.
        (format!("content/docs/{year}/{}001.md", today.format("%m%d")), fill(DOCUMENT)),
        (".gitignore".to_string(), GITIGNORE.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let rel = PathBuf::from(rel);
        write_new_file(dir, &rel, &text, "gongkai init writes only into a new or empty folder")?;
        written.push(rel);
    }
    Ok(written)
}

fn refuse_used_folder(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let what = if dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
        if entries.next().is_none() {
            return Ok(());
        }
        "is not an empty folder"
    } else {
        "is a file, not a folder"
    };
    Err(Error::Request(format!(
        "{} {what}; nothing was written (give gongkai init a new or empty folder)",
        dir.display()
    )))
}
