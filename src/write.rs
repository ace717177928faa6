/*!
Stage 5, write: output goes to a staging folder beside the output folder, which
replaces the output only once the whole build has succeeded. A failed build removes
its staging folder and leaves the earlier output exactly as it was.

The dev server, after its first build, changes the output file by file instead
([`LiveOutput`]): each file is replaced whole, and only when its bytes changed.
*/

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A folder being filled with a new build.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder for `output`. Refuses an output folder that holds the
    /// site itself, or that has files but is not an earlier build: replacing it would
    /// destroy work that is not ours.
    pub fn create(output: &Path, root: &Path) -> Result<Staging> {
        check_output(output, root)?;
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        let dir = parent.join(format!(".{name}.gongkai-new-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
        }
        fs::create_dir(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
        Ok(Staging { dir, output: output.to_path_buf(), committed: false })
    }

    /// Writes `bytes` at `rel` ('/'-separated) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        }
        fs::write(&path, bytes).map_err(|source| Error::Write { path, source })
    }

    /// Copies the file `from` to `rel` inside the staging folder.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        }
        fs::copy(from, &path).map(|_| ()).map_err(|source| Error::Read { path: from.to_path_buf(), source })
    }

    fn path_of(&self, rel: &str) -> Result<PathBuf> {
        inside(&self.dir, rel)
    }

    /// Swaps the staging folder in for the output. Hidden files at the top of the old
    /// output (such as a committed `.gitignore`) are carried over.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(self.dir.file_name().unwrap().to_string_lossy().replace("-new-", "-old-"));
        if self.output.exists() {
            for entry in fs::read_dir(&self.output).map_err(|source| Error::Read { path: self.output.clone(), source })? {
                let entry = entry.map_err(|source| Error::Read { path: self.output.clone(), source })?;
                if entry.file_name().to_string_lossy().starts_with('.') {
                    let to = self.dir.join(entry.file_name());
                    copy_recursive(&entry.path(), &to)?;
                }
            }
            fs::rename(&self.output, &old).map_err(|source| Error::Write { path: self.output.clone(), source })?;
        }
        if let Err(source) = fs::rename(&self.dir, &self.output) {
            // Put the earlier output back rather than leave none.
            let _ = fs::rename(&old, &self.output);
            return Err(Error::Write { path: self.output.clone(), source });
        }
        self.committed = true;
        if old.exists() {
            remove_tree(&old)?;
        }
        Ok(())
    }
}

/// `rel` ('/'-separated) inside `dir`, refusing paths that would leave it.
fn inside(dir: &Path, rel: &str) -> Result<PathBuf> {
    if rel.split('/').any(|p| p == "..") || rel.starts_with('/') {
        return Err(Error::Output(format!("refusing to write outside the output folder: {rel}")));
    }
    Ok(dir.join(rel))
}

/// An output folder being kept up to date by the dev server while it serves it.
pub struct LiveOutput {
    dir: PathBuf,
}

impl LiveOutput {
    pub fn new(dir: &Path) -> LiveOutput {
        LiveOutput { dir: dir.to_path_buf() }
    }

    /// Writes `bytes` at `rel` unless the file already holds them; returns whether
    /// it wrote. The file is replaced by a rename, so a request being served at the
    /// same moment gets the old file or the new one, never half of it.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<bool> {
        let path = inside(&self.dir, rel)?;
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(false);
        }
        let parent = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = parent.join(format!(".{name}.gongkai-{}", std::process::id()));
        fs::write(&temp, bytes).map_err(|source| Error::Write { path: temp.clone(), source })?;
        fs::rename(&temp, &path).map_err(|source| Error::Write { path: path.clone(), source })?;
        Ok(true)
    }

    /// Copies the file `from` to `rel` unless it is already there unchanged.
    pub fn put_file(&self, rel: &str, from: &Path) -> Result<bool> {
        let bytes = fs::read(from).map_err(|source| Error::Read { path: from.to_path_buf(), source })?;
        self.put(rel, &bytes)
    }

    /// Removes the file at `rel` and the folders it leaves empty.
    pub fn remove(&self, rel: &str) -> Result<()> {
        let path = inside(&self.dir, rel)?;
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(Error::Write { path, source }),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.dir) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder tree, unlinking its files in parallel: on many filesystems
/// deleting a large earlier build costs as much as writing the new one.
fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    fs::remove_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })
}

fn copy_recursive(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to).map_err(|source| Error::Write { path: to.to_path_buf(), source })?;
        for entry in fs::read_dir(from).map_err(|source| Error::Read { path: from.to_path_buf(), source })? {
            let entry = entry.map_err(|source| Error::Read { path: from.to_path_buf(), source })?;
            copy_recursive(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(|_| ()).map_err(|source| Error::Write { path: to.to_path_buf(), source })
    }
}

fn check_output(output: &Path, root: &Path) -> Result<()> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (out, root) = (abs(output), abs(root));
    if root.starts_with(&out) || out.starts_with(root.join("content")) || out.starts_with(root.join("themes")) {
        return Err(Error::Output(format!(
            "the output folder {} would contain or overwrite the site's own files; choose another --output",
            output.display()
        )));
    }
    if !out.is_dir() {
        return Ok(());
    }
    let entries: Vec<_> = fs::read_dir(&out)
        .map_err(|source| Error::Read { path: out.clone(), source })?
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    let earlier_build = out.join("index.html").is_file() && out.join("catalogue.json").is_file();
    if entries.is_empty() || earlier_build {
        Ok(())
    } else {
        Err(Error::Output(format!(
            "{} has files that gongkai did not build; empty it or choose another --output",
            output.display()
        )))
    }
}
