/*!
Watching the site for saves: `content/` and `themes/` recursively, and the site
folder itself, not recursively, so that either folder is followed when it appears
later or is deleted and made again (`rm -rf content; cp -r backup content`): a
watch dies with the folder it was put on, and a new one is put on the new folder.

Events are debounced (notify-debouncer-full): an editor that saves by writing a
temporary file and renaming it over the original produces one batch, in which the
original path appears once. Symbolic links are not followed, as the loader does
not follow them either.
*/

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer_opt};

use crate::error::{Error, Result};

/// Quiet time after the last event before a batch is handed over: long enough to
/// merge the events of one save, short enough that the browser follows at once.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// The folders watched recursively.
const FOLDERS: [&str; 2] = ["content", "themes"];

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    /// Whether each of [`FOLDERS`] has a watch.
    watched: [bool; 2],
    /// Set (by the event handler) for each of [`FOLDERS`] that was itself created,
    /// deleted or moved: its watch, if any, is on a folder that is gone.
    renew: Arc<[AtomicBool; 2]>,
}

/// Starts watching `root`; batches of changed paths (absolute) go to `tx`, and
/// `waiting` is set before each is sent.
pub fn start(root: &Path, tx: Sender<Vec<PathBuf>>, waiting: Arc<AtomicBool>) -> Result<Watcher> {
    let renew = Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
    let handler = batch_handler(root.to_path_buf(), renew.clone(), Handover { tx, waiting });
    let fail = |e: notify::Error| Error::Output(format!("cannot watch {} for changes: {e}", root.display()));
    let config = notify::Config::default().with_follow_symlinks(false);
    let debouncer = new_debouncer_opt(DEBOUNCE, None, handler, RecommendedCache::new(), config).map_err(fail)?;
    let mut watcher = Watcher { root: root.to_path_buf(), debouncer, watched: [true, false], renew };
    watcher.debouncer.watch(root.join("content"), RecursiveMode::Recursive).map_err(fail)?;
    // The site folder itself, not recursively: it holds public/ and, in the example
    // site, Cargo's target/, whose churn must not wake the rebuild loop.
    watcher.debouncer.watch(root, RecursiveMode::NonRecursive).map_err(fail)?;
    watcher.follow_new_folders();
    Ok(watcher)
}

/// Turns debounced events into batches of paths under `content/` and `themes/`, and
/// notes the folders whose watch must be renewed before the batch is handed over.
/// Where batches go.
struct Handover {
    tx: Sender<Vec<PathBuf>>,
    waiting: Arc<AtomicBool>,
}

fn batch_handler(root: PathBuf, renew: Arc<[AtomicBool; 2]>, out: Handover) -> impl FnMut(DebounceEventResult) {
    move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        for event in events {
            if event.need_rescan() {
                // Events were lost (the system's queue overflowed): read everything again.
                paths.extend(FOLDERS.map(|f| root.join(f)));
                renew.iter().for_each(|r| r.store(true, Ordering::SeqCst));
            } else if is_change(&event) {
                paths.extend(event.event.paths.into_iter().filter(|p| super::is_watched(&root, p)));
            }
        }
        for (i, folder) in FOLDERS.iter().enumerate() {
            if paths.contains(&root.join(folder)) {
                renew[i].store(true, Ordering::SeqCst);
            }
        }
        if !paths.is_empty() {
            out.waiting.store(true, Ordering::SeqCst);
            let _ = out.tx.send(paths.into_iter().collect());
        }
    }
}

fn is_change(event: &DebouncedEvent) -> bool {
    matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any)
}

impl Watcher {
    /// Watches `content/` and `themes/` when they exist and have no live watch: when
    /// they appear, and again after they were deleted or moved and made anew. Called
    /// before each batch is read, so that a file written into a new folder is either
    /// seen by the read or reported by the new watch.
    pub fn follow_new_folders(&mut self) {
        for (i, folder) in FOLDERS.iter().enumerate() {
            let renew = self.renew[i].swap(false, Ordering::SeqCst);
            if self.watched[i] && !renew {
                continue;
            }
            let dir = self.root.join(folder);
            // A watch on a deleted folder is already gone (this fails then); one on a
            // moved folder still follows it, under its old name.
            let _ = self.debouncer.unwatch(&dir);
            self.watched[i] = dir.is_dir() && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok();
        }
    }
}
