/*!
Stage 5, write: brings the output folder up to date with a build, in place.

A build first produces every file ([`Plan::put`]) and touches nothing in the output
until all of it has succeeded: changed bytes wait in memory, or past a budget in a
staging folder. [`Output::commit`] then writes only the files whose bytes differ
from what the last build wrote, each replaced whole by a rename, and removes the
files the last build wrote that this one does not.

The output keeps a record of its own files, [`MANIFEST`]: every path gongkai wrote,
with a stamp of its bytes and the size, mtime and inode the file had once written.
A file whose stat still matches the record and whose stamp equals the new one is left
alone, so a build with nothing changed writes nothing. A file that is not in the
record was not built by gongkai: it is never overwritten or deleted, and a page that
must go where such a file is stops the build before anything is written.

Into a missing output folder the whole build is written into a staging folder beside
it, which is then renamed into place: the folder appears complete or not at all.
*/

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};

mod paths;
mod record;

use paths::{check_not_source, inside};
pub use paths::resolve;
use record::{Entry, Manifest, Save, Stat};
pub use record::{MANIFEST, stamp};

/// Changed bytes kept in memory before they go to the staging folder: a theme change
/// at 100,000 documents changes every page, and must not hold them all at once.
const MEMORY_BUDGET: usize = 256 << 20;
/// Prefix of the temporary names gongkai uses inside the output (never served as pages).
const TEMP_PREFIX: &str = ".gongkai-";

/// How the files already in the output folder came to be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// There is no output folder yet.
    Missing,
    /// gongkai's record says which files are its own.
    Recorded,
    /// Built by a gongkai from before the record: the files at the paths this build
    /// writes are taken as gongkai's.
    EarlierBuild,
    /// A folder gongkai has no record of: every file in it is someone else's.
    Unrecorded,
}

/// The output folder and what gongkai knows of it.
pub struct Output {
    /// The folder written, symlinks resolved: a `public` that is a symlink is written
    /// through, into its target, and the link itself is left alone.
    dir: PathBuf,
    /// The folder as the user named it, for messages.
    shown: PathBuf,
    /// An unchanged record is not written again, so a build with nothing changed
    /// writes nothing at all.
    record: Manifest,
    origin: Origin,
}

/// What a commit did.
#[derive(Debug, Default, Clone)]
pub struct Committed {
    /// Files written (new or changed).
    pub written: usize,
    /// Files removed because the build no longer makes them.
    pub removed: usize,
    /// Things the user should know, such as files in the output gongkai did not build.
    pub notes: Vec<String>,
}

impl Output {
    /// Opens the output folder `output` of the site in `root`. Refuses an output that
    /// is, holds or lies inside anything gongkai reads.
    pub fn open(output: &Path, root: &Path) -> Result<Output> {
        let dir = resolve(output).map_err(|source| Error::Read { path: output.to_path_buf(), source })?;
        check_not_source(&dir, output, root)?;
        let origin = match fs::symlink_metadata(&dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Origin::Missing,
            Err(source) => return Err(Error::Read { path: output.to_path_buf(), source }),
            Ok(meta) if !meta.is_dir() => {
                return Err(Error::Output(format!("the output {} is a file, not a folder; choose another --output", output.display())));
            }
            Ok(_) if dir.join(MANIFEST).exists() => Origin::Recorded,
            Ok(_) if is_earlier_build(&dir) => Origin::EarlierBuild,
            Ok(_) => Origin::Unrecorded,
        };
        let record = match origin {
            Origin::Recorded => Manifest::read(&dir).ok_or_else(|| {
                Error::Output(format!(
                    "{} is damaged; gongkai cannot tell its own files from others'. Remove that file (gongkai then treats files in {} as not its own) or empty the folder",
                    output.join(MANIFEST).display(),
                    output.display()
                ))
            })?,
            _ => Manifest::default(),
        };
        Ok(Output { dir, shown: output.to_path_buf(), record, origin })
    }

    /// The folder written (symlinks resolved).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts collecting the files of a build.
    pub fn plan(&self) -> Plan<'_> {
        let staging = match self.origin {
            Origin::Missing => sibling(&self.dir, "new"),
            _ => self.dir.join(format!("{TEMP_PREFIX}staging-{}", std::process::id())),
        };
        Plan {
            out: self,
            staging: Staging { dir: staging },
            budget: AtomicUsize::new(MEMORY_BUDGET),
            files: Mutex::new(HashMap::new()),
            conflicts: Mutex::new(Vec::new()),
            removals: Vec::new(),
            inputs: BTreeMap::new(),
            groups: Mutex::new(HashMap::new()),
            made_from: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a file of the record is gone from the output (someone deleted it, or
    /// the whole folder): the dev server then writes everything again.
    pub fn has_missing_files(&self) -> bool {
        self.record.files.par_iter().any(|(rel, e)| e.stat.is_none() || Stat::of(&self.dir.join(rel)).is_none())
    }

    /// Writes what `staged` holds into the output (see the module's documentation).
    pub fn commit(&mut self, mut staged: Staged) -> Result<Committed> {
        if !staged.conflicts.is_empty() {
            return Err(self.conflict_error(std::mem::take(&mut staged.conflicts)));
        }
        if self.origin == Origin::Missing && !self.dir.exists() {
            return self.commit_fresh(staged);
        }
        let removals: Vec<String> = if staged.complete {
            self.record.files.keys().filter(|p| !staged.files.contains_key(*p)).cloned().collect()
        } else {
            staged.removals
        };
        if staged.complete && self.record.inputs != staged.inputs {
            // Groups made from inputs this build does not make are not to be kept.
            self.record.clear_inputs();
        }
        self.write_ahead(&staged.files)?;
        let groups = staged.groups;
        let mut committed = Committed::default();
        // Stale files go first: while the output is being served, a page that moved is
        // then never found at both its old and its new address.
        committed.removed = self.remove(&removals, &mut committed.notes);
        let applied = self.apply(staged.files, &groups, &staged.made_from, &staged.staging);
        if applied.is_ok() {
            for (name, stamp) in staged.inputs {
                self.record.set_input(name, stamp);
            }
        }
        let mut result = applied.map(|n| committed.written = n);
        if result.is_ok() && staged.complete {
            committed.notes.extend(self.note_foreign());
        }
        let recorded = self.save_record();
        result = result.and(recorded);
        self.origin = Origin::Recorded;
        result.map(|()| committed)
    }

    /// A folder that did not exist: the staging folder, holding every file and the
    /// record, becomes the output by one rename.
    fn commit_fresh(&mut self, staged: Staged) -> Result<Committed> {
        let Staged { files, groups, made_from, inputs, staging, .. } = staged;
        let mut record = Manifest::default();
        for (name, stamp) in inputs {
            record.set_input(name, stamp);
        }
        for (rel, pending) in files {
            let Pending::Staged { stamp, stat } = pending else {
                unreachable!("a build into a new folder stages every file");
            };
            let group = groups.get(&rel).cloned();
            let input = made_from.get(&rel).copied();
            record.set(rel, Entry { stamp, stat: Some(stat), group, input });
        }
        fs::create_dir_all(&staging.dir).map_err(|source| Error::Write { path: staging.dir.clone(), source })?;
        let text = record.to_text();
        replace_file(&staging.dir.join(MANIFEST), text.as_bytes())?;
        if let Some(parent) = self.dir.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        }
        fs::rename(&staging.dir, &self.dir).map_err(|source| Error::Write { path: self.shown.clone(), source })?;
        let written = record.files.len();
        record.saved(&Save::Whole(String::new()));
        self.record = record;
        self.origin = Origin::Recorded;
        Ok(Committed { written, ..Committed::default() })
    }

    /// Records the paths about to be written before writing them, so that if the
    /// build stops half-way the next one still knows them as its own.
    fn write_ahead(&mut self, files: &HashMap<String, Pending>) -> Result<()> {
        let mut added = false;
        for (rel, pending) in files {
            if !self.record.files.contains_key(rel) && !matches!(pending, Pending::Same(_)) {
                self.record.set(rel.clone(), Entry { stamp: pending.stamp(), stat: None, group: None, input: None });
                added = true;
            }
        }
        if added { self.save_record() } else { Ok(()) }
    }

    /// Writes the changed files, each replaced whole by a rename; returns how many.
    /// Stops at the first failure; the record then holds what was done.
    fn apply(
        &mut self,
        files: HashMap<String, Pending>,
        groups: &HashMap<String, Arc<str>>,
        made_from: &HashMap<String, u64>,
        staging: &Staging,
    ) -> Result<usize> {
        let done = Mutex::new(Vec::new());
        let dir = &self.dir;
        let result = files.into_par_iter().try_for_each(|(rel, pending)| {
            // What this build made the file from; a file it made without saying is
            // recorded without, and so made again by the next build.
            let input = made_from.get(&rel).copied();
            let entry = match pending {
                Pending::Same(entry) => Entry { group: groups.get(&rel).cloned().or(entry.group), input, ..entry },
                other => {
                    let stamp = other.stamp();
                    let stat = place(dir, &rel, other, staging)?;
                    Entry { stamp, stat: Some(stat), group: groups.get(&rel).cloned(), input }
                }
            };
            done.lock().unwrap_or_else(|e| e.into_inner()).push((rel, entry));
            Ok(())
        });
        let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
        // A file kept whose record changed (its group, its input stamp) was not written.
        let written = done.iter().filter(|(rel, e)| self.record.files.get(rel).is_none_or(|r| r.stat != e.stat)).count();
        for (rel, entry) in done {
            self.record.set(rel, entry);
        }
        result.map(|()| written)
    }

    /// Removes files the build no longer makes, and the folders they leave empty. A
    /// file changed by someone else since gongkai wrote it is kept, and said so.
    fn remove(&mut self, removals: &[String], notes: &mut Vec<String>) -> usize {
        let mut removed = 0;
        let mut changed_by_others = Vec::new();
        for rel in removals {
            let Some(entry) = self.record.files.get(rel).cloned() else { continue };
            let path = self.dir.join(rel);
            let now = Stat::of(&path);
            if now.is_some() && entry.stat.is_some() && now != entry.stat {
                changed_by_others.push(rel.clone());
                self.record.drop_file(rel);
                continue;
            }
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    notes.push(format!("cannot remove {}: {e}; the next build tries again", self.shown.join(rel).display()));
                    continue;
                }
            }
            self.record.drop_file(rel);
            remove_empty_parents(&self.dir, &path);
        }
        if !changed_by_others.is_empty() {
            notes.push(format!(
                "{} no longer made by the build, but changed by someone since gongkai wrote it, so kept: {}",
                count_files(changed_by_others.len()),
                list(&changed_by_others)
            ));
        }
        removed
    }

    /// Writes to the output folder what changed in the record since it was last
    /// written, if anything did.
    fn save_record(&mut self) -> Result<()> {
        let path = self.dir.join(MANIFEST);
        let save = match self.record.to_save() {
            // Someone deleted it (or the whole output): there is nothing to add to.
            Save::Append(_) if !path.is_file() => Save::Whole(self.record.to_text()),
            save => save,
        };
        match &save {
            Save::Nothing => {}
            Save::Append(lines) => append_file(&path, lines.as_bytes())?,
            Save::Whole(text) => drop(replace_file(&path, text.as_bytes())?),
        }
        self.record.saved(&save);
        Ok(())
    }

    /// Mentions, once, the files in the output that gongkai did not build.
    fn note_foreign(&mut self) -> Option<String> {
        let foreign: BTreeSet<String> = walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .filter_map(|e| e.ok())
            .filter(|e| !e.file_type().is_dir())
            .filter_map(|e| e.path().strip_prefix(&self.dir).ok().map(crate::load::slash_path))
            .filter(|rel| !self.record.files.contains_key(rel))
            .collect();
        let new: Vec<String> = foreign.difference(&self.record.noted).cloned().collect();
        self.record.set_noted(foreign);
        (!new.is_empty()).then(|| {
            format!("{} holds {} that gongkai did not build; kept as they are: {}", self.shown.display(), count_files(new.len()), list(&new))
        })
    }

    fn conflict_error(&self, mut conflicts: Vec<String>) -> Error {
        conflicts.sort();
        let record = match self.origin {
            Origin::Unrecorded => format!("{} has no record of gongkai's files ({MANIFEST})", self.shown.display()),
            _ => format!("they are not in gongkai's record ({})", self.shown.join(MANIFEST).display()),
        };
        Error::Output(format!(
            "the build must write {} where {} that gongkai did not build ({record}): {}. Nothing was written; move them away, or choose another --output",
            count_files(conflicts.len()),
            if conflicts.len() == 1 { "there is a file" } else { "there are files" },
            list(&conflicts.iter().map(|c| self.shown.join(c).display().to_string()).collect::<Vec<_>>())
        ))
    }
}

/// A file of a build, as it waits for the commit.
enum Pending {
    /// Already in the output as it should be.
    Same(Entry),
    /// Changed, held in memory.
    Bytes { bytes: Vec<u8>, stamp: u64 },
    /// Changed, already in the staging folder at its path.
    Staged { stamp: u64, stat: Stat },
    /// Changed, to be copied from a source file.
    Copy { from: PathBuf, stamp: u64 },
}

impl Pending {
    fn stamp(&self) -> u64 {
        match self {
            Pending::Same(e) => e.stamp,
            Pending::Bytes { stamp, .. } | Pending::Staged { stamp, .. } | Pending::Copy { stamp, .. } => *stamp,
        }
    }
}

/// The files of one build, collected from several threads at once.
pub struct Plan<'a> {
    out: &'a Output,
    staging: Staging,
    /// Bytes that may still be held in memory.
    budget: AtomicUsize,
    files: Mutex<HashMap<String, Pending>>,
    /// Paths this build must write where a file gongkai did not build is.
    conflicts: Mutex<Vec<String>>,
    removals: Vec<String>,
    inputs: BTreeMap<String, u64>,
    /// The group of each file put with [`Plan::put_in`].
    groups: Mutex<HashMap<String, Arc<str>>>,
    /// The input stamp of each page put with [`Plan::put_page`] or kept by
    /// [`Plan::keep_page`].
    made_from: Mutex<HashMap<String, u64>>,
}

impl Plan<'_> {
    /// Adds the file `rel` ('/'-separated, under the output) with `bytes`.
    pub fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        let stamp = stamp(&bytes);
        let pending = match self.unchanged(rel, stamp)? {
            Some(entry) => Pending::Same(entry),
            None => self.hold(rel, bytes, stamp)?,
        };
        self.add(rel, pending)
    }

    /// Adds a page, with the stamp of what it was made from when it has one.
    pub fn put_page(&self, page: crate::render::Output) -> Result<()> {
        if let Some(input) = page.input {
            self.made_from.lock().unwrap_or_else(|e| e.into_inner()).insert(page.path.clone(), input);
        }
        self.put(&page.path, page.bytes)
    }

    /// Keeps the page at `rel` as the last build wrote it, without making it again, if
    /// that build recorded it made from inputs stamped `input` and it did not change on
    /// disk since; returns whether it did (else the caller makes it and
    /// [`Plan::put_page`]s it).
    pub fn keep_page(&self, rel: &str, input: u64) -> bool {
        let Some(entry) = self.intact(rel).filter(|e| e.input == Some(input)) else { return false };
        self.made_from.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), input);
        self.add(rel, Pending::Same(entry.clone())).is_ok()
    }

    /// Adds the file `rel` as one of the group `group`, files made together from one
    /// input whose stamp [`Plan::keep_recorded`] compares.
    pub fn put_in(&self, group: &Arc<str>, rel: &str, bytes: Vec<u8>) -> Result<()> {
        self.groups.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), group.clone());
        self.put(rel, bytes)
    }

    /// Adds the file `rel`, a copy of the file `from`. Its stamp is taken from the
    /// source's size and mtime, so an unchanged attachment is not even read.
    pub fn put_file(&self, rel: &str, from: &Path) -> Result<()> {
        let meta = fs::metadata(from).map_err(|source| Error::Read { path: from.to_path_buf(), source })?;
        let source = Stat::from_meta(&meta);
        let stamp = stamp(&[source.size.to_le_bytes(), source.mtime_ns.to_le_bytes()].concat());
        let pending = match self.unchanged(rel, stamp)? {
            Some(entry) => Pending::Same(entry),
            None if self.out.origin == Origin::Missing => {
                let path = self.staging.path_for(rel)?;
                fs::copy(from, &path).map_err(|source| Error::Write { path: path.clone(), source })?;
                Pending::Staged { stamp, stat: Stat::of(&path).ok_or_else(|| vanished(&path))? }
            }
            None => Pending::Copy { from: from.to_path_buf(), stamp },
        };
        self.add(rel, pending)
    }

    /// Removes the file `rel` that an earlier build wrote, if it is still as written
    /// (for the dev server, which commits only what a save changed).
    pub fn remove(&mut self, rel: &str) {
        self.removals.push(rel.to_string());
    }

    /// Keeps the files of the group `group` as the last build wrote them, without
    /// making them again, if that build recorded the same `input` stamp for the group
    /// and none of its files changed on disk since; returns their paths then. Records
    /// the stamp either way: on `None` the caller makes the files with
    /// [`Plan::put_in`].
    pub fn keep_recorded(&mut self, group: &Arc<str>, input: u64) -> Option<Vec<String>> {
        self.inputs.insert(group.to_string(), input);
        let record = &self.out.record;
        if record.inputs.get(&**group) != Some(&input) {
            return None;
        }
        let files: Vec<(&String, &Entry)> = record.files.iter().filter(|(_, e)| e.group.as_ref() == Some(group)).collect();
        let intact = !files.is_empty() && files.par_iter().all(|(rel, e)| e.stat.is_some() && Stat::of(&self.out.dir.join(rel)) == e.stat);
        if !intact {
            return None;
        }
        let mut held = self.files.lock().unwrap_or_else(|e| e.into_inner());
        held.extend(files.iter().map(|(rel, e)| ((*rel).clone(), Pending::Same((*e).clone()))));
        Some(files.into_iter().map(|(rel, _)| rel.clone()).collect())
    }

    /// Keeps the file `rel` of the group `group` as the last build wrote it, if that
    /// build recorded it with the bytes stamped `stamp` and it did not change on disk
    /// since; returns whether it did (else the caller makes it with [`Plan::put_in`]).
    pub fn keep(&self, group: &Arc<str>, rel: &str, stamp: u64) -> Result<bool> {
        let Some(entry) = self.intact(rel).filter(|e| e.stamp == stamp) else { return Ok(false) };
        self.groups.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), group.clone());
        self.add(rel, Pending::Same(entry.clone()))?;
        Ok(true)
    }

    /// The bytes of the file `rel` as the last build wrote them; `None` when it did
    /// not, or when the file changed on disk since (its bytes are checked against the
    /// record's stamp, so a damaged file is never taken for gongkai's).
    pub fn recorded_bytes(&self, rel: &str) -> Option<Vec<u8>> {
        let entry = self.intact(rel)?;
        let bytes = fs::read(inside(&self.out.dir, rel).ok()?).ok()?;
        (stamp(&bytes) == entry.stamp).then_some(bytes)
    }

    /// The record's entry of `rel` when the file is on disk as recorded.
    fn intact(&self, rel: &str) -> Option<&Entry> {
        let entry = self.out.record.files.get(rel)?;
        let path = inside(&self.out.dir, rel).ok()?;
        (entry.stat.is_some() && Stat::of(&path) == entry.stat).then_some(entry)
    }

    /// Ends the plan. `complete`: the plan holds every file of the site, and the files
    /// of earlier builds that it does not hold are removed.
    pub fn finish(self, complete: bool) -> Staged {
        Staged {
            files: self.files.into_inner().unwrap_or_else(|e| e.into_inner()),
            conflicts: self.conflicts.into_inner().unwrap_or_else(|e| e.into_inner()),
            removals: self.removals,
            inputs: self.inputs,
            groups: self.groups.into_inner().unwrap_or_else(|e| e.into_inner()),
            made_from: self.made_from.into_inner().unwrap_or_else(|e| e.into_inner()),
            complete,
            staging: self.staging,
        }
    }

    /// The record's entry when the file at `rel` is gongkai's and already holds the
    /// bytes stamped `stamp`; `None` when it must be written. Notes a file that is not
    /// gongkai's at that path.
    fn unchanged(&self, rel: &str, stamp: u64) -> Result<Option<Entry>> {
        let path = inside(&self.out.dir, rel)?;
        if let Some(entry) = self.out.record.files.get(rel) {
            let same = entry.stamp == stamp && entry.stat.is_some() && Stat::of(&path) == entry.stat;
            return Ok(same.then(|| entry.clone()));
        }
        let foreign = matches!(self.out.origin, Origin::Recorded | Origin::Unrecorded) && fs::symlink_metadata(&path).is_ok();
        if foreign {
            self.conflicts.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_string());
        }
        Ok(None)
    }

    /// Keeps changed bytes in memory while the budget lasts, else in the staging folder.
    fn hold(&self, rel: &str, bytes: Vec<u8>, stamp: u64) -> Result<Pending> {
        let len = bytes.len();
        // Into a new folder everything is staged: the staging folder becomes the output.
        let fits = self.out.origin != Origin::Missing
            && self.budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(len)).is_ok();
        if fits {
            return Ok(Pending::Bytes { bytes, stamp });
        }
        let path = self.staging.path_for(rel)?;
        fs::write(&path, &bytes).map_err(|source| Error::Write { path: path.clone(), source })?;
        Ok(Pending::Staged { stamp, stat: Stat::of(&path).ok_or_else(|| vanished(&path))? })
    }

    fn add(&self, rel: &str, pending: Pending) -> Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if files.insert(rel.to_string(), pending).is_some() {
            return Err(Error::Output(format!("two pages of the build go to the same file {rel}; this is a bug in gongkai or its theme")));
        }
        Ok(())
    }
}

/// A finished plan, ready for [`Output::commit`].
pub struct Staged {
    files: HashMap<String, Pending>,
    conflicts: Vec<String>,
    removals: Vec<String>,
    inputs: BTreeMap<String, u64>,
    groups: HashMap<String, Arc<str>>,
    made_from: HashMap<String, u64>,
    complete: bool,
    staging: Staging,
}

/// The staging folder of a build; removed when the build ends, whatever happens.
struct Staging {
    dir: PathBuf,
}

impl Staging {
    /// The path for `rel` inside the staging folder, its parent folders made.
    fn path_for(&self, rel: &str) -> Result<PathBuf> {
        let path = inside(&self.dir, rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        }
        Ok(path)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Puts one changed file at `rel` in `dir`, replacing what is there by a rename;
/// returns its stat there.
fn place(dir: &Path, rel: &str, pending: Pending, staging: &Staging) -> Result<Stat> {
    let path = inside(dir, rel)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    match pending {
        Pending::Bytes { bytes, .. } => replace_file(&path, &bytes),
        Pending::Copy { from, .. } => {
            let temp = temp_beside(&path);
            let copied = fs::copy(&from, &temp).map_err(|source| Error::Write { path: path.clone(), source });
            finish_temp(copied.map(|_| ()), &temp, &path)
        }
        Pending::Staged { stat, .. } => {
            let from = inside(&staging.dir, rel)?;
            fs::rename(&from, &path).map_err(|source| Error::Write { path: path.clone(), source })?;
            Ok(stat)
        }
        Pending::Same(_) => unreachable!("unchanged files are not placed"),
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, so a
/// reader sees the old file or the new one, never half of either.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<Stat> {
    let temp = temp_beside(path);
    let written = fs::write(&temp, bytes).map_err(|source| Error::Write { path: path.to_path_buf(), source });
    finish_temp(written, &temp, path)
}

/// Adds `bytes` at the end of the file at `path` in one write.
fn append_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let fail = |source| Error::Write { path: path.to_path_buf(), source };
    fs::OpenOptions::new().append(true).open(path).and_then(|mut f| f.write_all(bytes)).map_err(fail)
}

fn finish_temp(written: Result<()>, temp: &Path, path: &Path) -> Result<Stat> {
    let renamed = written.and_then(|()| fs::rename(temp, path).map_err(|source| Error::Write { path: path.to_path_buf(), source }));
    if let Err(e) = renamed {
        let _ = fs::remove_file(temp);
        return Err(e);
    }
    Stat::of(path).ok_or_else(|| vanished(path))
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{TEMP_PREFIX}{}-{name}", std::process::id()))
}

fn vanished(path: &Path) -> Error {
    Error::Write { path: path.to_path_buf(), source: io::Error::new(io::ErrorKind::NotFound, "the file vanished right after it was written") }
}

/// Removes the folders between `file` and `dir` that are left empty.
fn remove_empty_parents(dir: &Path, file: &Path) {
    let mut parent = file.parent();
    while let Some(p) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
        if fs::remove_dir(p).is_err() {
            break;
        }
        parent = p.parent();
    }
}


/// A path beside `dir` for a folder of this process.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    dir.with_file_name(format!(".{name}{TEMP_PREFIX}{what}-{}", std::process::id()))
}

/// Whether `dir` holds the output of a gongkai from before the record was kept.
/// (The same test those versions made before replacing a folder.)
fn is_earlier_build(dir: &Path) -> bool {
    dir.join("index.html").is_file() && dir.join("catalogue.json").is_file()
}


fn count_files(n: usize) -> String {
    if n == 1 { "1 file".into() } else { format!("{n} files") }
}

/// The first few of `items`, for a one-line message.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut out = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        out.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    out
}
