//! Where the output goes: `--output` resolved as the system would, refused when it
//! is one of the site's sources, and paths under it kept inside it.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// `rel` ('/'-separated) inside `dir`, refusing paths that would leave it.
pub(super) fn inside(dir: &Path, rel: &str) -> Result<PathBuf> {
    if rel.is_empty() || rel.starts_with('/') || rel.split('/').any(|p| p == ".." || p == "." || p.is_empty()) {
        return Err(Error::Output(format!("refusing to write outside the output folder: {rel}")));
    }
    Ok(dir.join(rel))
}

/// `path` made absolute, `.` and `..` applied and every symlink followed, including
/// where the remaining components do not exist yet: the folder a build would write.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    resolve_from(&std::path::absolute(path)?, 0)
}

fn resolve_from(path: &Path, depth: usize) -> io::Result<PathBuf> {
    if depth > 40 {
        return Err(io::Error::other("too many levels of symbolic links"));
    }
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink()) {
                    let target = fs::read_link(&out)?;
                    out.pop();
                    out = resolve_from(&out.join(target), depth + 1)?;
                }
            }
        }
    }
    Ok(out)
}

/// Refuses an output folder that is, holds or lies inside the site folder's sources.
pub(super) fn check_not_source(dir: &Path, shown: &Path, root: &Path) -> Result<()> {
    let resolved = |p: &Path| resolve(p).map_err(|source| Error::Read { path: p.to_path_buf(), source });
    let root = resolved(root)?;
    if root.starts_with(dir) {
        return Err(Error::Output(format!(
            "the output folder {} is {}, which holds the site itself; choose an output inside the site such as public/, or another folder",
            shown.display(),
            dir.display()
        )));
    }
    for source in ["content", "themes"] {
        let read = resolved(&root.join(source))?;
        if dir.starts_with(&read) || read.starts_with(dir) {
            return Err(Error::Output(format!(
                "the output folder {} is {}, which would overwrite {}, which gongkai reads; choose another --output, such as public/",
                shown.display(),
                dir.display(),
                read.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_applies_parent_components_of_folders_that_do_not_exist() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        assert_eq!(resolve(&base.join("x/../content")).unwrap(), base.join("content"));
        assert_eq!(resolve(&base.join("x/./y/../../z")).unwrap(), base.join("z"));
    }

    #[cfg(unix)]
    #[test]
    fn resolve_follows_symlinks_even_dangling_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        fs::create_dir(base.join("real")).unwrap();
        std::os::unix::fs::symlink(base.join("real"), base.join("link")).unwrap();
        std::os::unix::fs::symlink("missing/deeper", base.join("dangling")).unwrap();
        assert_eq!(resolve(&base.join("link/out")).unwrap(), base.join("real/out"));
        assert_eq!(resolve(&base.join("link/..")).unwrap(), base);
        assert_eq!(resolve(&base.join("dangling")).unwrap(), base.join("missing/deeper"));
    }

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        let dir = Path::new("/out");
        for bad in ["../x", "a/../../x", "/etc/passwd", "", "a//b", "./a"] {
            assert!(inside(dir, bad).is_err(), "{bad}");
        }
        assert_eq!(inside(dir, "docs/a/index.html").unwrap(), dir.join("docs/a/index.html"));
    }
}
