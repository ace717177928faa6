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
    /// For a page, the stamp of what it was made from (see [`Plan::keep_page`]).
    pub(super) input: Option<u64>,
}

/// The record kept in the output folder.
///
/// It is written whole, or, when few of its files changed since, by appending lines
/// for them (a later line for a path replaces an earlier one, `d` drops it): a save in
/// `gongkai serve` then writes a few lines, not a line for each of 100,000 files.
/// Once the appended lines grow past a share of the whole, it is written whole again.
#[derive(Debug, Clone, Default)]
pub(super) struct Manifest {
    /// Read freely; changed through [`Manifest::set`] and [`Manifest::drop_file`],
    /// which note what the next save must record.
    pub(super) files: HashMap<String, Entry>,
    /// Files gongkai did not build that a build has already mentioned.
    pub(super) noted: BTreeSet<String>,
    /// Stamps of what groups of files were made from (see [`Plan::keep_recorded`]).
    pub(super) inputs: BTreeMap<String, u64>,
    unsaved: Unsaved,
    /// Lines appended since the record was last written whole.
    appended: usize,
}

/// What changed since the record was last read or written.
#[derive(Debug, Clone, Default)]
struct Unsaved {
    files: BTreeSet<String>,
    inputs: BTreeSet<String>,
    /// A change that only writing the record whole records (inputs or noted files removed).
    whole: bool,
}

/// How a record is to be saved.
pub(super) enum Save {
    Nothing,
    /// These lines appended to the record on disk.
    Append(String),
    Whole(String),
}

impl Manifest {
    /// The record in `dir`, or `None` when there is none or it cannot be read (then
    /// the folder is treated as one gongkai has no record of).
    pub(super) fn read(dir: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
        Manifest::parse(&text)
    }

    pub(super) fn parse(text: &str) -> Option<Manifest> {
        // A save cut short while appending leaves its last line unfinished: what it
        // recorded was recorded ahead of the files it names (the write-ahead), so
        // the line can be left out.
        let complete = match text.rfind('\n') {
            Some(end) => &text[..=end],
            None => text,
        };
        let mut lines = complete.lines();
        if lines.next()? != MANIFEST_HEADER {
            return None;
        }
        let mut manifest = Manifest::default();
        for line in lines {
            manifest.appended += 1;
            let (kind, rest) = line.split_once(' ')?;
            match kind {
                "f" => {
                    let (path, entry) = file_entry(rest, None)?;
                    manifest.files.insert(path, entry);
                }
                // A page's line carries its input stamp ahead of the fields of any file's.
                "p" => {
                    let (input, rest) = rest.split_once(' ')?;
                    let (path, entry) = file_entry(rest, Some(u64::from_str_radix(input, 16).ok()?))?;
                    manifest.files.insert(path, entry);
                }
                "d" => {
                    let path: String = serde_json::from_str(rest).ok()?;
                    manifest.files.remove(&path);
                }
                "n" => {
                    manifest.noted.insert(serde_json::from_str(rest).ok()?);
                }
                "i" => {
                    let (stamp, name) = rest.split_once(' ')?;
                    manifest.inputs.insert(name.to_string(), u64::from_str_radix(stamp, 16).ok()?);
                }
                _ => return None,
            }
        }
        // Lines that replaced others count as appended.
        manifest.appended = manifest.appended.saturating_sub(manifest.files.len() + manifest.noted.len() + manifest.inputs.len());
        Some(manifest)
    }

    pub(super) fn set(&mut self, rel: String, entry: Entry) {
        if self.files.get(&rel) != Some(&entry) {
            self.unsaved.files.insert(rel.clone());
            self.files.insert(rel, entry);
        }
    }

    pub(super) fn drop_file(&mut self, rel: &str) {
        if self.files.remove(rel).is_some() {
            self.unsaved.files.insert(rel.to_string());
        }
    }

    pub(super) fn set_input(&mut self, name: String, stamp: u64) {
        if self.inputs.get(&name) != Some(&stamp) {
            self.unsaved.inputs.insert(name.clone());
            self.inputs.insert(name, stamp);
        }
    }

    pub(super) fn clear_inputs(&mut self) {
        if !self.inputs.is_empty() {
            self.inputs.clear();
            self.unsaved.whole = true;
        }
    }

    pub(super) fn set_noted(&mut self, noted: BTreeSet<String>) {
        if noted != self.noted {
            self.noted = noted;
            self.unsaved.whole = true;
        }
    }

    /// What the next save writes: nothing when nothing changed, the changed lines
    /// while they are few, else the whole record. Call [`Manifest::saved`] once written.
    pub(super) fn to_save(&self) -> Save {
        let u = &self.unsaved;
        let lines = u.files.len() + u.inputs.len();
        if lines == 0 && !u.whole {
            return Save::Nothing;
        }
        if u.whole || (self.appended + lines) * 4 > self.files.len() {
            return Save::Whole(self.to_text());
        }
        let mut out = String::new();
        for rel in &u.files {
            match self.files.get(rel) {
                Some(e) => file_line(&mut out, rel, e),
                None => out.push_str(&format!("d {}\n", serde_json::to_string(rel).unwrap_or_default())),
            }
        }
        for name in &u.inputs {
            out.push_str(&format!("i {:016x} {name}\n", self.inputs[name]));
        }
        Save::Append(out)
    }

    /// Notes that what [`Manifest::to_save`] gave was written.
    pub(super) fn saved(&mut self, save: &Save) {
        match save {
            Save::Nothing => {}
            Save::Append(_) => self.appended += self.unsaved.files.len() + self.unsaved.inputs.len(),
            Save::Whole(_) => self.appended = 0,
        }
        self.unsaved = Unsaved::default();
    }

    pub(super) fn to_text(&self) -> String {
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        let mut out = String::with_capacity(64 * paths.len() + 64);
        out.push_str(MANIFEST_HEADER);
        out.push('\n');
        for path in paths {
            file_line(&mut out, path, &self.files[path]);
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

/// A file's entry from the fields of its line after the kind (and a page's input).
fn file_entry(fields: &str, input: Option<u64>) -> Option<(String, Entry)> {
    let mut parts = fields.splitn(5, ' ');
    let stamp = u64::from_str_radix(parts.next()?, 16).ok()?;
    let (size, mtime, inode) = (parts.next()?, parts.next()?, parts.next()?);
    let stat = match size {
        "-" => None,
        _ => Some(Stat { size: size.parse().ok()?, mtime_ns: mtime.parse().ok()?, inode: inode.parse().ok()? }),
    };
    let (group, path) = parts.next()?.split_once(' ')?;
    let group = (group != "-").then(|| Arc::from(group));
    let path: String = serde_json::from_str(path).ok()?;
    Some((path, Entry { stamp, stat, group, input }))
}

fn file_line(out: &mut String, path: &str, e: &Entry) {
    let json = serde_json::to_string(path).unwrap_or_default();
    let group = e.group.as_deref().unwrap_or("-");
    match e.input {
        Some(input) => out.push_str(&format!("p {input:016x} ")),
        None => out.push_str("f "),
    }
    match e.stat {
        Some(s) => out.push_str(&format!("{:016x} {} {} {} {group} {json}\n", e.stamp, s.size, s.mtime_ns, s.inode)),
        None => out.push_str(&format!("{:016x} - - - {group} {json}\n", e.stamp)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_reads_back_what_it_wrote() {
        let mut m = Manifest::default();
        m.files.insert("docs/a b\n/index.html".into(), Entry { stamp: 7, stat: Some(Stat { size: 3, mtime_ns: -1, inode: 9 }), group: Some(Arc::from("search")), input: None });
        m.files.insert("css/x.css".into(), Entry { stamp: u64::MAX, stat: None, group: None, input: None });
        m.files.insert("docs/a/index.html".into(), Entry { stamp: 1, stat: Some(Stat { size: 1, mtime_ns: 2, inode: 3 }), group: None, input: Some(u64::MAX - 1) });
        m.noted.insert("robots.txt".into());
        m.inputs.insert("search".into(), 42);
        let back = Manifest::parse(&m.to_text()).unwrap();
        assert_eq!(back.files, m.files);
        assert_eq!(back.noted, m.noted);
        assert_eq!(back.inputs, m.inputs);
        assert!(Manifest::parse("something else\n").is_none());
        assert!(Manifest::parse(&format!("{MANIFEST_HEADER}\nf zz 1 2 3 \"a\"\n")).is_none());
    }

    fn entry(n: u64) -> Entry {
        Entry { stamp: n, stat: Some(Stat { size: n, mtime_ns: 1, inode: n }), group: None, input: (n % 2 == 0).then_some(n) }
    }

    #[test]
    fn a_few_changes_are_appended_and_read_back_as_if_written_whole() {
        let mut m = Manifest::default();
        for i in 0..20 {
            m.set(format!("docs/{i}/index.html"), entry(i));
        }
        let Save::Whole(mut disk) = m.to_save() else { panic!("a new record is written whole") };
        m.saved(&Save::Whole(String::new()));
        m.set("docs/1/index.html".into(), entry(1));
        assert!(matches!(m.to_save(), Save::Nothing), "setting what is recorded changes nothing");
        m.set("docs/3/index.html".into(), entry(99));
        m.drop_file("docs/4/index.html");
        m.set_input("search".into(), 5);
        let save = m.to_save();
        let Save::Append(lines) = &save else { panic!("a few changes are appended") };
        assert_eq!(lines.lines().count(), 3, "{lines}");
        disk.push_str(lines);
        m.saved(&save);
        let back = Manifest::parse(&disk).unwrap();
        assert_eq!(back.files, m.files);
        assert_eq!(back.inputs, m.inputs);
        let cut = format!("{disk}f 0000000000000063 99 1 9");
        assert_eq!(Manifest::parse(&cut).unwrap().files, m.files, "a line cut short by a crash is left out");
        for i in 0..10 {
            m.set(format!("docs/{i}/index.html"), entry(100 + i));
        }
        assert!(matches!(m.to_save(), Save::Whole(_)), "past a share of the record, it is written whole again");
    }
}
