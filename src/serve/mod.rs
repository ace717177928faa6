/*!
`gongkai serve`: build, serve the output over HTTP, watch the site, rebuild what a
save changed, and reload the browser.

Three parts run side by side:
- the watcher ([`watch`]) turns file-system events into batches of changed paths;
- the rebuild loop owns the [`LiveSite`] and, for each batch, patches the site in
  memory, writes what changed, and publishes a [`Status`];
- the HTTP server ([`http`]) serves the output folder, adds the reload script to
  HTML responses, and streams each new `Status` to open pages.

A save with errors changes nothing on disk: the last good pages keep being served
and the pages show the errors over them until a good save clears them.
*/

mod http;
mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use serde::Serialize;
use tokio::sync::watch as channel;

use crate::error::{Code, Diagnostic, Error, Result};
use crate::rebuild::{LiveSite, Rebuilt};
use crate::BuildOptions;

/// The port tried first when none is given; a free one is taken if it is busy.
pub const DEFAULT_PORT: u16 = 8000;

/// What `gongkai serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// `None`: [`DEFAULT_PORT`], or any free port when that one is taken.
    pub port: Option<u16>,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// The state of the site as open pages see it.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Changes whenever a rebuild changed the output; a page served under an older
    /// value reloads.
    pub build: String,
    /// The errors of the last rebuild; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
}

/// Runs the server until the process is interrupted.
pub fn run(options: ServeOptions) -> Result<()> {
    let root = std::path::absolute(&options.root).map_err(|source| Error::Read { path: options.root.clone(), source })?;
    let mut live = LiveSite::open(&root, &options.build)?;
    let session = format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis());
    let mut builds = Builds { session, count: 0, status: None, warned: HashSet::new() };
    let first = builds.record(live.rebuild());
    let base_url = live.site().config.base_url.clone();
    let listener = bind(options.bind, options.port)?;
    let addr = listener.local_addr().map_err(|e| Error::Output(format!("cannot read the server address: {e}")))?;
    let url = format!("http://{}{base_url}", display_addr(addr));
    let (status_tx, status_rx) = channel::channel(first);
    let (paths_tx, paths_rx) = mpsc::channel();
    let waiting = Arc::new(AtomicBool::new(false));
    let watcher = watch::start(&root, paths_tx, waiting.clone())?;
    let output = live.output().to_path_buf();
    let changes = Changes { paths: paths_rx, waiting };
    std::thread::spawn(move || rebuild_loop(live, builds, changes, status_tx, watcher));
    // The address goes to stdout, alone on its line, for scripts and tests to read.
    println!("{url}");
    eprintln!("gongkai: serving {} at {url} (Ctrl+C to stop)", output.display());
    if options.open {
        if let Err(e) = opener::open(&url) {
            eprintln!("gongkai: cannot open a browser ({e}); open {url} yourself");
        }
    }
    http::serve(listener, http::Served { output, base_url, status: status_rx })
}

/// Binds the listener: the asked port, or the default one, or (when the default is
/// taken) any free port.
fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener> {
    let attempt = |port| TcpListener::bind(SocketAddr::new(ip, port));
    let listener = match port {
        Some(p) => attempt(p),
        None => attempt(DEFAULT_PORT).or_else(|_| attempt(0)),
    };
    listener.map_err(|e| {
        Error::Output(format!("cannot listen on {}: {e}; choose another --port", SocketAddr::new(ip, port.unwrap_or(DEFAULT_PORT))))
    })
}

fn display_addr(addr: SocketAddr) -> String {
    // A browser cannot open the unspecified address; loopback reaches it.
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port()).to_string()
}

/// Numbers the rebuilds, and reports each one on the terminal.
struct Builds {
    session: String,
    count: u64,
    status: Option<Status>,
    /// The warnings the last successful rebuild printed: the next one prints only
    /// those that are new, so that a save's own warnings are not lost among hundreds
    /// of the site's.
    warned: HashSet<String>,
}

impl Builds {
    fn record(&mut self, result: Result<Rebuilt>) -> Status {
        let errors = match result {
            Ok(rebuilt) => {
                self.print_rebuilt(&rebuilt);
                if rebuilt.changed > 0 || self.status.is_none() {
                    self.count += 1;
                }
                Vec::new()
            }
            Err(e) => {
                let errors = as_diagnostics(e);
                for d in &errors {
                    eprintln!("{d}");
                }
                eprintln!("gongkai: {} error(s); still serving the last good pages", errors.iter().filter(|d| d.is_error()).count());
                errors.into_iter().filter(Diagnostic::is_error).collect()
            }
        };
        let status = Status { build: format!("{}-{}", self.session, self.count), errors };
        self.status = Some(status.clone());
        status
    }

    fn print_rebuilt(&mut self, r: &Rebuilt) {
        let lines: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
        let mut before = 0;
        for line in &lines {
            match self.warned.contains(line) {
                true => before += 1,
                false => eprintln!("{line}"),
            }
        }
        if before > 0 {
            eprintln!("gongkai: {before} warning(s) printed before still apply");
        }
        self.warned = lines.into_iter().collect();
        eprintln!(
            "gongkai: rebuilt in {} ms: {} page(s) rendered, {} file(s) changed",
            r.elapsed.as_millis(),
            r.rendered,
            r.changed
        );
    }
}

/// Any failure as the lines an editor reads: content errors as they are, a template
/// or file-system error as one line naming the template or file.
fn as_diagnostics(e: Error) -> Vec<Diagnostic> {
    match e {
        Error::Invalid { diagnostics } => diagnostics,
        Error::Template { name, message } => vec![Diagnostic::error(Code::Template, format!("template {name}"), None, message)],
        other => vec![Diagnostic::error(Code::Build, "gongkai", None, other.to_string())],
    }
}

/// The batches of changed paths the watcher hands over.
struct Changes {
    paths: mpsc::Receiver<Vec<PathBuf>>,
    /// Set by the watcher before it hands over a batch: work for an older one is
    /// then given up.
    waiting: Arc<AtomicBool>,
}

fn rebuild_loop(mut live: LiveSite, mut builds: Builds, changes: Changes, status: channel::Sender<Status>, mut watcher: watch::Watcher) {
    while let Ok(mut batch) = changes.paths.recv() {
        changes.waiting.store(false, Ordering::SeqCst);
        // Take every batch already waiting, so a burst of saves costs one rebuild.
        while let Ok(more) = changes.paths.try_recv() {
            batch.extend(more);
        }
        watcher.follow_new_folders();
        let result = guarded(|| {
            live.changed(&batch);
            live.rebuild_pages()
        });
        let rebuilt = result.is_ok();
        let next = builds.record(result);
        status.send_replace(next);
        if !rebuilt {
            continue;
        }
        // The edit is served; files someone deleted from the output come back, then
        // the search index follows.
        match guarded(|| live.restore_missing().transpose()) {
            Ok(None) => {}
            Ok(Some(rebuilt)) => drop(status.send_replace(builds.record(Ok(rebuilt)))),
            Err(e) => drop(status.send_replace(builds.record(Err(e)))),
        }
        update_search(&mut live, &changes.waiting);
    }
}

/// Runs `f`, turning a bug of ours (a panic) into an error: it must not take the
/// preview down with it, but be reported like any other failed rebuild while the
/// last good pages are still served.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::Output("gongkai failed on this change (a bug: please report it); restart gongkai serve".into())))
}

/// Brings the search index up to date, unless another save arrives meanwhile: the
/// rebuild for that save then goes first, and the index follows it.
fn update_search(live: &mut LiveSite, waiting: &AtomicBool) {
    let started = std::time::Instant::now();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| live.update_search(&|| waiting.load(Ordering::SeqCst)))) {
        Ok(Ok(0)) | Ok(Err(Error::Superseded)) => {}
        Ok(Ok(changed)) => eprintln!("gongkai: search index updated in {} ms: {changed} file(s) changed", started.elapsed().as_millis()),
        Ok(Err(e)) => eprintln!("gongkai: the search index was not updated ({e}); the next rebuild tries again"),
        Err(_) => eprintln!("gongkai: the search index was not updated (a bug: please report it); restart gongkai serve"),
    }
}

/// Whether `path` is a file the rebuild loop should hear about.
fn is_watched(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.starts_with("content") || rel.starts_with("themes")
}
