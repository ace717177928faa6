//! The record of gongkai's own files in the output folder (`.gongkai-manifest`):
//! each path written, a stamp of its bytes and the stat it had once written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;
use std::sync::Arc;

/// The record of the files gongkai wrote, at the top of the output folder.
pub const MANIFEST: &str = ".gongkai-manifest";
const MANIFEST_HEADER: &str = "gongkai output manifest 1";

/// A 64-bit stamp of a file's bytes: it only has to change when they do.
pub fn stamp(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What a file looked like on disk right after gongkai wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stat {
    pub(super) size: u64,
    pub(super) mtime_ns: i64,
    pub(super) inode: u64,
}

impl Stat {
    /// The stat of the regular file at `path` (not following a symlink); `None` for
    /// anything else or nothing.
    pub(super) fn of(path: &Path) -> Option<Stat> {
        let meta = fs::symlink_metadata(path).ok().filter(fs::Metadata::is_file)?;
        Some(Stat::from_meta(&meta))
    }

    pub(super) fn from_meta(meta: &fs::Metadata) -> Stat {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Stat { size: meta.len(), mtime_ns, inode }
    }
}

/// One file of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// [`stamp`] of the bytes written; for a copied file, of the source's size and mtime.
    pub(super) stamp: u64,
    /// `None` while a write is under way (recorded before it, so that a build cut
    /// short never leaves a file of ours that the record does not know).
    pub(super) stat: Option<Stat>,
    /// The group of files made together from one input (see [`Plan::keep_recorded`]).
    pub(super) group: Option<Arc<str>>,
}

/// The record kept in the output folder.
#[derive(Debug, Clone, Default)]
pub(super) struct Manifest {
    pub(super) files: HashMap<String, Entry>,
    /// Files gongkai did not build that a build has already mentioned.
    pub(super) noted: BTreeSet<String>,
    /// Stamps of what groups of files were made from (see [`Plan::keep_recorded`]).
    pub(super) inputs: BTreeMap<String, u64>,
}

impl Manifest {
    /// The record in `dir`, or `None` when there is none or it cannot be read (then
    /// the folder is treated as one gongkai has no record of).
    pub(super) fn read(dir: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
        Manifest::parse(&text)
    }

    pub(super) fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != MANIFEST_HEADER {
            return None;
        }
        let mut manifest = Manifest::default();
        for line in lines {
            let mut parts = line.splitn(6, ' ');
            match parts.next()? {
                "f" => {
                    let stamp = u64::from_str_radix(parts.next()?, 16).ok()?;
                    let (size, mtime, inode) = (parts.next()?, parts.next()?, parts.next()?);
                    let stat = match size {
                        "-" => None,
                        _ => Some(Stat { size: size.parse().ok()?, mtime_ns: mtime.parse().ok()?, inode: inode.parse().ok()? }),
                    };
                    let (group, path) = parts.next()?.split_once(' ')?;
                    let group = (group != "-").then(|| Arc::from(group));
                    let path: String = serde_json::from_str(path).ok()?;
                    manifest.files.insert(path, Entry { stamp, stat, group });
                }
                "n" => {
                    let rest = line.strip_prefix("n ")?;
                    manifest.noted.insert(serde_json::from_str(rest).ok()?);
                }
                "i" => {
                    let stamp = u64::from_str_radix(parts.next()?, 16).ok()?;
                    manifest.inputs.insert(parts.next()?.to_string(), stamp);
                }
                _ => return None,
            }
        }
        Some(manifest)
    }

    pub(super) fn to_text(&self) -> String {
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        let mut out = String::with_capacity(64 * paths.len() + 64);
        out.push_str(MANIFEST_HEADER);
        out.push('\n');
        for path in paths {
            let e = &self.files[path];
            let json = serde_json::to_string(path).unwrap_or_default();
            let group = e.group.as_deref().unwrap_or("-");
            match e.stat {
                Some(s) => out.push_str(&format!("f {:016x} {} {} {} {group} {json}\n", e.stamp, s.size, s.mtime_ns, s.inode)),
                None => out.push_str(&format!("f {:016x} - - - {group} {json}\n", e.stamp)),
            }
        }
        for path in &self.noted {
            out.push_str(&format!("n {}\n", serde_json::to_string(path).unwrap_or_default()));
        }
        for (name, stamp) in &self.inputs {
            out.push_str(&format!("i {stamp:016x} {name}\n"));
        }
        out
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_reads_back_what_it_wrote() {
        let mut m = Manifest::default();
        m.files.insert("docs/a b\n/index.html".into(), Entry { stamp: 7, stat: Some(Stat { size: 3, mtime_ns: -1, inode: 9 }), group: Some(Arc::from("search")) });
        m.files.insert("css/x.css".into(), Entry { stamp: u64::MAX, stat: None, group: None });
        m.noted.insert("robots.txt".into());
        m.inputs.insert("search".into(), 42);
        let back = Manifest::parse(&m.to_text()).unwrap();
        assert_eq!(back.files, m.files);
        assert_eq!(back.noted, m.noted);
        assert_eq!(back.inputs, m.inputs);
        assert!(Manifest::parse("something else\n").is_none());
        assert!(Manifest::parse(&format!("{MANIFEST_HEADER}\nf zz 1 2 3 \"a\"\n")).is_none());
    }
}
