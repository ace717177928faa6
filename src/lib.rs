/*!
gongkai (公开) publishes a government body's information-disclosure section
(政府信息公开) as a static site.

The library is the pipeline, one module per stage:

1. [`load`] reads `content/` into an in-memory [`Site`] (front matter parsed into typed
   values, checked once);
2. [`validate`] applies the rules that span files (unique 索引号, categories, related
   documents, attachments);
3. [`render`] turns the site into pages with the theme's templates;
4. [`search`] builds the site's search index, in parallel with the rendering;
5. [`write`] brings the output folder up to date in place once the whole build has
   succeeded: only files whose bytes changed are written, each by a rename; files the
   build no longer makes are removed; files gongkai did not build are never touched.

[`build`] and [`check`] run the stages; the `gongkai` binary is a thin CLI over them.
*/

pub mod checkup;
pub mod config;
pub mod error;
pub mod external;
pub mod import;
pub mod init;
pub mod links;
pub mod load;
pub mod new;
pub mod render;
pub mod rebuild;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
pub mod stamp;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use error::{Code, Diagnostic, Error, Result, Severity};
pub use load::{LoadOptions, Loaded};
pub use site::Site;

/// What `gongkai build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    pub documents: usize,
    pub pages: usize,
    /// Pages made this build; the others were kept as the last build wrote them, as
    /// nothing they are made from changed (see [`render::Inputs`]).
    pub made: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// Files written (new or changed) and removed in the output.
    pub written: usize,
    pub removed: usize,
    pub warnings: Vec<Diagnostic>,
    /// What the user should know about the output, such as files in it that gongkai
    /// did not build (kept).
    pub notes: Vec<String>,
}

/// What `gongkai check` is asked to do besides loading: ask external links too.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub load: LoadOptions,
    /// Ask every external link (`--external`); `None`: make no request.
    pub external: Option<external::ExternalOptions>,
}

/// What a check found: the site when its content loads, and every diagnostic
/// (errors and warnings, sorted, made errors under `strict`).
#[derive(Debug)]
pub struct Inspection {
    pub site: Option<Site>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Inspection {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Loads and validates the site without writing anything, and follows every link
/// between its pages; returns its warnings. Under `strict` the warnings of both are
/// errors, all reported at once.
pub fn check(root: &Path, options: &LoadOptions) -> Result<Loaded> {
    check_with(root, &CheckOptions { load: options.clone(), external: None })
}

/// [`check`], asking external links too when `options.external` says so.
pub fn check_with(root: &Path, options: &CheckOptions) -> Result<Loaded> {
    let Inspection { site, diagnostics } = inspect(root, options)?;
    match site {
        Some(site) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Loaded { site, warnings: diagnostics }),
        _ => Err(Error::Invalid { diagnostics }),
    }
}

/// Everything a check finds, also when the content has errors (the 体检报告 lists
/// them then); fails only when the site cannot be read at all.
pub fn inspect(root: &Path, options: &CheckOptions) -> Result<Inspection> {
    let strict = options.load.strict;
    let Loaded { site, warnings } = match load::load(root, &LoadOptions { strict: false, ..options.load.clone() }) {
        Ok(loaded) => loaded,
        Err(Error::Invalid { diagnostics }) => {
            let mut diags = error::Diagnostics::default();
            diags.extend(diagnostics);
            return Ok(Inspection { site: None, diagnostics: diags.into_sorted_under(strict) });
        }
        Err(e) => return Err(e),
    };
    let mut diags = error::Diagnostics::default();
    diags.extend(warnings);
    links::check(&site, &mut diags);
    if let Some(external) = &options.external {
        external::check(&site, external, &mut diags);
    }
    Ok(Inspection { site: Some(site), diagnostics: diags.into_sorted_under(strict) })
}

/// Builds the site in `root` into its output folder.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let Loaded { site, warnings } = load::load(root, &options.load)?;
    let output = options.output.clone().unwrap_or_else(|| root.join("public"));
    let mut out = write::Output::open(&output, root)?;
    let renderer = render::Renderer::new(&site)?;
    let written = write_site(&site, &renderer, &mut out, options.progress)?;
    Ok(BuildReport {
        documents: site.documents.len(),
        pages: written.pages,
        made: written.made,
        files: written.files,
        elapsed: started.elapsed(),
        output,
        written: written.committed.written,
        removed: written.committed.removed,
        warnings,
        notes: written.committed.notes,
    })
}

/// What [`write_site`] wrote.
pub(crate) struct Written {
    pub pages: usize,
    /// Pages made, not kept.
    pub made: usize,
    /// Files other than pages: theme statics, attachments, the search index.
    pub files: usize,
    /// The search index's files.
    pub search: Vec<String>,
    pub committed: write::Committed,
}

/// Renders every page of a loaded site while the search index is built beside it,
/// adds the theme's static files and the attachments, and, once all of it has
/// succeeded, brings `output` up to date with them.
pub(crate) fn write_site(site: &Site, renderer: &render::Renderer, output: &mut write::Output, progress: bool) -> Result<Written> {
    let mut plan = output.plan();
    let kept_index = site.config.search.then(|| search_kept(site, &mut plan)).flatten();
    let pages = render::pages(site);
    let bar = progress_bar(progress && pages.len() > 2000, pages.len());
    let inputs = renderer.inputs(site);
    let kept = |rel: &str, input: u64| plan.keep_page(rel, input);
    let made = std::sync::atomic::AtomicUsize::new(0);
    let (rendered, search) = rayon::join(
        || {
            pages.par_iter().try_for_each(|page| {
                let made_page = renderer.render_unless_kept(site, page, &inputs, &kept)?;
                bar.inc(1);
                made_page.map_or(Ok(()), |out| {
                    made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    plan.put_page(out)
                })
            })
        },
        || match kept_index {
            Some(files) => Ok(files),
            None => index_into(site, &plan, &|| false),
        },
    );
    rendered?;
    let search = search?;
    bar.finish_and_clear();
    for (rel, bytes) in &renderer.theme.statics {
        plan.put(rel, bytes.clone())?;
    }
    site.files.par_iter().try_for_each(|rel| plan.put_file(&site.file_output(rel), &site.root.join("content").join(rel)))?;
    let staged = plan.finish(true);
    let committed = output.commit(staged)?;
    let files = site.files.len() + renderer.theme.statics.len() + search.len();
    Ok(Written { pages: pages.len(), made: made.into_inner(), files, search, committed })
}

/// The search index's files when the last build's index is still right for `site`
/// and intact on disk (kept as they are); `None` when it must be built.
pub(crate) fn search_kept(site: &Site, plan: &mut write::Plan) -> Option<Vec<String>> {
    plan.keep_recorded(&search_group(), search::input_stamp(site))
}

/// Builds the search index into `plan` (nothing when the site turned search off);
/// returns its files. Gives up with [`Error::Superseded`] once `superseded` says so.
pub(crate) fn index_into(site: &Site, plan: &write::Plan, superseded: &(dyn Fn() -> bool + Sync)) -> Result<Vec<String>> {
    if !site.config.search {
        return Ok(Vec::new());
    }
    let store = IndexStore { plan, group: search_group(), superseded };
    let summary = search::index(site, &store)?;
    Ok(summary.files.into_iter().map(|(path, _)| path).collect())
}

/// The output as the search index writes it: its files recorded as one group.
struct IndexStore<'a> {
    plan: &'a write::Plan<'a>,
    group: std::sync::Arc<str>,
    superseded: &'a (dyn Fn() -> bool + Sync),
}

impl IndexStore<'_> {
    fn go_on(&self) -> Result<()> {
        if (self.superseded)() { Err(Error::Superseded) } else { Ok(()) }
    }
}

impl search::Store for IndexStore<'_> {
    fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        self.go_on()?;
        self.plan.put_in(&self.group, rel, bytes)
    }

    fn keep(&self, rel: &str, stamp: u64) -> Result<bool> {
        self.go_on()?;
        self.plan.keep(&self.group, rel, stamp)
    }

    fn last(&self, rel: &str) -> Option<Vec<u8>> {
        self.plan.recorded_bytes(rel)
    }
}

/// The search index's files in the output's record.
fn search_group() -> std::sync::Arc<str> {
    std::sync::Arc::from("search")
}

fn progress_bar(show: bool, len: usize) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} 生成页面 {pos}/{len} [{bar:30}] {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
