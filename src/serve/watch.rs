/*!
Watching the site for saves: `content/` and `themes/` recursively, and the site
folder itself so that a `themes/` folder created later is followed too.

Events are debounced (notify-debouncer-full): an editor that saves by writing a
temporary file and renaming it over the original produces one batch, in which the
original path appears once.
*/

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};

/// Quiet time after the last event before a batch is handed over: long enough to
/// merge the events of one save, short enough that the browser follows at once.
const DEBOUNCE: Duration = Duration::from_millis(30);

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    themes_watched: bool,
}

/// Starts watching `root`; batches of changed paths (absolute) go to `tx`.
pub fn start(root: &Path, tx: Sender<Vec<PathBuf>>) -> Result<Watcher> {
    let filter_root = root.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let paths: BTreeSet<PathBuf> = events
            .into_iter()
            .filter(|e| matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any))
            .flat_map(|e| e.event.paths)
            .filter(|p| super::is_watched(&filter_root, p))
            .collect();
        if !paths.is_empty() {
            let _ = tx.send(paths.into_iter().collect());
        }
    };
    let fail = |e: notify_debouncer_full::notify::Error| Error::Output(format!("cannot watch {} for changes: {e}", root.display()));
    let debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(fail)?;
    let mut watcher = Watcher { root: root.to_path_buf(), debouncer, themes_watched: false };
    watcher.debouncer.watch(root.join("content"), RecursiveMode::Recursive).map_err(fail)?;
    // The site folder itself, not recursively: it holds public/ and, in the example
    // site, Cargo's target/, whose churn must not wake the rebuild loop.
    watcher.debouncer.watch(root, RecursiveMode::NonRecursive).map_err(fail)?;
    watcher.follow_new_folders();
    Ok(watcher)
}

impl Watcher {
    /// Starts watching `themes/` once it exists.
    pub fn follow_new_folders(&mut self) {
        let themes = self.root.join("themes");
        if !self.themes_watched && themes.is_dir() {
            self.themes_watched = self.debouncer.watch(&themes, RecursiveMode::Recursive).is_ok();
        }
    }
}
