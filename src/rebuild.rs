/*!
The site kept in memory between builds, for `gongkai serve`.

A save re-reads only the files that changed and patches them into the loaded
[`Site`]. An edited document that stands where it stood (same 索引号, date,
category, relations: [`Document::stands_alike`]) simply takes the old one's place;
anything else re-sorts and re-indexes the site and checks the rules across files
again. Then only the pages that show what changed are re-rendered: the edited
document, the documents related to it, and, when what a listing shows of it
changed, the listings, feeds and index data of its body and of the platform it
appears in. A template edit re-renders the pages that use the template. Unchanged
output files are not rewritten. So the work of a save follows what it touched, not
the size of the site.

While the content has errors nothing is written: the last good output stays in
place, and the changes wait until the next good save renders them all.
*/

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::load::version::Series;
use crate::load::{self, Item, LoadOptions};
use crate::render::{self, Page, Renderer, context::CatalogueEntry};
use crate::site::{BodyId, DocKind, Document, Site};
use crate::write::Output;
use crate::BuildOptions;

/// A loaded site, its theme, and what has changed since its output was last written.
pub struct LiveSite {
    load: LoadOptions,
    output: Output,
    site: Site,
    /// What each content file's own reading found wrong, and the documents that
    /// could not be loaded (their 索引号 as far as it could be read). Ordered, so that
    /// the files under a folder are one range.
    files: BTreeMap<PathBuf, FileState>,
    /// What the rules across files found when they last ran; `None` once the site
    /// changed in a way they may see.
    across: Option<Vec<Diagnostic>>,
    renderer: Renderer,
    /// The platform's departments, as their department.toml gave them.
    departments: load::Departments,
    /// Output paths of the pages the last render wrote; `None` before the first.
    written: Option<HashSet<String>>,
    /// The search index files last written.
    search: HashSet<String>,
    /// The pages were written since the index was: [`LiveSite::update_search`] is due.
    search_stale: bool,
    pending: Pending,
}

struct FileState {
    diagnostics: Vec<Diagnostic>,
    broken: Option<Item>,
}

/// What changed since the output was last written.
#[derive(Default)]
struct Pending {
    /// site.toml changed: read everything again.
    reopen: bool,
    /// Something every page may show changed (the directory, the settings).
    everything: bool,
    /// Pages may have appeared or gone: something other than a document standing
    /// where it stood changed.
    reshaped: bool,
    theme: bool,
    /// Changed document sources, with the document as it was last rendered (`None`
    /// for a document that did not exist or was broken then).
    documents: HashMap<PathBuf, Option<Document>>,
    /// The guides and directories with a version changed, added or removed.
    series: HashSet<(BodyId, Series)>,
    /// The bodies whose `apply.md` changed, appeared or went.
    apply: HashSet<BodyId>,
    /// Attachments, relative to `content/`.
    attachments: BTreeSet<String>,
    /// Output paths of attachments the site held before it was read again and holds
    /// no more (a department's, when the department went).
    stale_files: Vec<String>,
    templates: BTreeSet<String>,
    statics: (Vec<String>, Vec<String>),
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// Pages rendered (some of which may have come out unchanged).
    pub rendered: usize,
    /// Files written or removed because their content changed.
    pub changed: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

impl LiveSite {
    /// Loads the site; nothing is written until [`LiveSite::rebuild`]. Fails only
    /// when there is no usable site.toml or theme: content errors are reported by
    /// `rebuild`, so that the server can start and show them.
    pub fn open(root: &Path, options: &BuildOptions) -> Result<LiveSite> {
        let (config, departments, list, diags) = load::read_config_and_list(root, &options.load)?;
        let loads: Vec<(PathBuf, load::FileLoad)> = list
            .into_par_iter()
            .map(|rel| {
                let load = load::read_file(root, &rel, &config, &departments);
                (rel, load)
            })
            .collect();
        let mut files = BTreeMap::new();
        let mut items = Vec::new();
        for (rel, load) in loads {
            let (item, state) = split(load);
            items.extend(item);
            files.insert(rel, state);
        }
        // site.toml is never re-read on its own (a change to it reopens everything),
        // so its warnings can be kept as if it were a content file.
        files.insert(PathBuf::from("content/site.toml"), FileState { diagnostics: diags.into_sorted(), broken: None });
        let site = load::assemble(root, config, &departments, options.load.today, items);
        let renderer = Renderer::new(&site)?;
        let output = Output::open(&options.output.clone().unwrap_or_else(|| root.join("public")), root)?;
        Ok(LiveSite {
            load: options.load.clone(),
            output,
            site,
            files,
            across: None,
            renderer,
            departments,
            written: None,
            search: HashSet::new(),
            search_stale: false,
            pending: Pending::default(),
        })
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The output folder, symlinks resolved.
    pub fn output(&self) -> &Path {
        self.output.dir()
    }

    /// Notes that the files at `paths` (relative to the site root, or absolute
    /// inside it) changed, appeared or disappeared, and reads the content files among
    /// them again. Paths outside `content/` and `themes/` are ignored.
    pub fn changed(&mut self, paths: &[PathBuf]) {
        let root = self.site.root.clone();
        let mut content = BTreeSet::new();
        for path in paths {
            let rel = path.strip_prefix(&root).unwrap_or(path);
            // A content folder deleted, re-created or moved, or the departments
            // changed (their ids and addresses follow from all of them): read
            // everything again.
            if rel == Path::new("content/site.toml") || rel == Path::new("content") || is_department_setting(rel) {
                self.pending.reopen = true;
            } else if rel.starts_with("themes") || rel == Path::new("themes") {
                self.pending.theme = true;
            } else if rel.starts_with("content") {
                content.extend(self.files_at(rel));
            }
        }
        let mut reshaped = false;
        for rel in &content {
            // Once one file reshaped the site, its indexes are stale until the batch is read.
            reshaped |= !self.reread(rel, !reshaped);
        }
        if reshaped {
            let today = self.load.today;
            for body in &mut self.site.bodies {
                body.guide.refresh(today);
                body.directory.refresh(today);
            }
            self.site.reindex();
            self.across = None;
            self.pending.reshaped = true;
        }
    }

    /// The content files a changed path stands for: itself, or for a folder that
    /// was moved, created or deleted, the files known below it and those now in it.
    fn files_at(&self, rel: &Path) -> Vec<PathBuf> {
        // A folder's files follow it in the order of paths (component by component).
        let below = self.files.range(rel.to_path_buf()..).map(|(k, _)| k).take_while(|k| k.starts_with(rel));
        let mut out: Vec<PathBuf> = below.cloned().collect();
        // Listed as a build lists them, so that a symbolic link is skipped alike. A
        // folder that cannot be listed adds nothing; its known files are still re-read.
        out.extend(load::list_at(&self.site.root, rel).unwrap_or_default());
        out.retain(|p| load::is_content_candidate(p) && p != Path::new("content/site.toml"));
        out
    }

    /// Reads the file at `rel` again, if it exists, and puts what it holds in the
    /// place of what the site held from it. Returns whether that was a document that
    /// stands where it stood, which leaves the site's indexes as they are; otherwise
    /// the caller re-sorts and re-indexes the site once the batch is read. The
    /// indexes may be used while `indexed`.
    fn reread(&mut self, rel: &Path, indexed: bool) -> bool {
        self.files.remove(rel);
        let mut new = None;
        if load::is_listed(&self.site.root, rel) {
            let (item, state) = split(load::read_file(&self.site.root, rel, &self.site.config, &self.departments));
            self.files.insert(rel.to_path_buf(), state);
            new = item;
        }
        if indexed && self.replace_alike(rel, &mut new) {
            return true;
        }
        let under = rel.strip_prefix("content").unwrap_or(rel);
        let attachment = load::is_attachment(rel).then(|| load::slash_path(under));
        let body = self.site.body_at(rel);
        match self.take_out(rel, attachment.as_deref()) {
            Taken::Document(before) => {
                self.pending.documents.entry(rel.to_path_buf()).or_insert(Some(*before));
            }
            Taken::Version(series) => {
                self.pending.series.insert((body, series));
            }
            Taken::Apply => {
                self.pending.apply.insert(body);
            }
            Taken::Nothing => {}
        }
        if matches!(load::entry_kind(under), Ok(Some(load::Entry::Document(_)))) {
            self.pending.documents.entry(rel.to_path_buf()).or_insert(None);
        }
        if let Some(a) = attachment {
            self.pending.attachments.insert(a);
        }
        match new {
            Some(Item::Document(doc)) => self.site.documents.push(doc),
            Some(Item::Version(series, v)) => {
                self.pending.series.insert((body, series));
                self.series_mut(body, series).pages.push(v);
            }
            Some(Item::Apply(a)) => {
                self.pending.apply.insert(body);
                self.site.bodies[body.0].apply = Some(a);
            }
            Some(Item::File(f)) => self.site.files.push(f),
            Some(Item::Broken { .. }) | None => {}
        }
        false
    }

    /// Puts a re-read document in the place of the one it replaces, when it stands
    /// alike (taking it out of `new`); returns whether it did.
    fn replace_alike(&mut self, rel: &Path, new: &mut Option<Item>) -> bool {
        let position = match &*new {
            Some(Item::Document(doc)) => self.site.position_of(rel).filter(|&i| self.site.documents[i].stands_alike(doc)),
            _ => None,
        };
        let Some(i) = position else { return false };
        let Some(Item::Document(doc)) = new.take() else { return false };
        let before = std::mem::replace(&mut self.site.documents[i], doc);
        self.pending.documents.entry(rel.to_path_buf()).or_insert(Some(before));
        true
    }

    fn series_mut(&mut self, body: BodyId, series: Series) -> &mut crate::site::Versions {
        let body = &mut self.site.bodies[body.0];
        match series {
            Series::Guide => &mut body.guide,
            Series::Directory => &mut body.directory,
        }
    }

    /// Removes from the site whatever was read from `rel`.
    fn take_out(&mut self, rel: &Path, attachment: Option<&str>) -> Taken {
        // A scan, not the index: the index is stale until the whole batch is read.
        if let Some(i) = self.site.documents.iter().position(|d| d.source == rel) {
            return Taken::Document(Box::new(self.site.documents.swap_remove(i)));
        }
        let body = self.site.body_at(rel);
        for series in [Series::Guide, Series::Directory] {
            let pages = &mut self.series_mut(body, series).pages;
            if let Some(i) = pages.iter().position(|p| p.source == rel) {
                pages.remove(i);
                return Taken::Version(series);
            }
        }
        let body = &mut self.site.bodies[body.0];
        if body.apply.as_ref().is_some_and(|a| a.source == rel) {
            body.apply = None;
            return Taken::Apply;
        }
        if let Some(a) = attachment {
            self.site.files.retain(|f| f != a);
        }
        Taken::Nothing
    }

    /// Every diagnostic of the site as it now is: each file's own, then the rules
    /// across files (checked again only when the site changed in a way they see).
    pub fn diagnostics(&mut self) -> Vec<Diagnostic> {
        let mut diags = Diagnostics::default();
        for state in self.files.values() {
            diags.extend(state.diagnostics.iter().cloned());
        }
        let across = self.across.get_or_insert_with(|| {
            let mut found = Diagnostics::default();
            let broken = load::broken_index_numbers(self.files.values().filter_map(|s| s.broken.as_ref()));
            crate::validate::check(&self.site, broken.as_ref(), self.load.today, &mut found);
            found.into_sorted()
        });
        diags.extend(across.iter().cloned());
        diags.into_sorted()
    }

    /// Validates the site and, when it has no errors, renders and writes what changed
    /// since the last successful rebuild (everything, the first time), the search
    /// index included.
    pub fn rebuild(&mut self) -> Result<Rebuilt> {
        let mut rebuilt = self.rebuild_pages()?;
        if let Some(restored) = self.restore_missing() {
            let restored = restored?;
            rebuilt.rendered += restored.rendered;
            rebuilt.changed += restored.changed;
            rebuilt.elapsed += restored.elapsed;
        }
        let started = Instant::now();
        rebuilt.changed += self.update_search(&|| false)?;
        rebuilt.elapsed += started.elapsed();
        Ok(rebuilt)
    }

    /// [`LiveSite::rebuild`] without the search index, which takes longer than the
    /// pages an edit changes: the server shows the pages first, then calls
    /// [`LiveSite::update_search`].
    pub fn rebuild_pages(&mut self) -> Result<Rebuilt> {
        let started = Instant::now();
        if self.pending.reopen {
            self.reopen()?;
        }
        if self.pending.theme {
            self.reload_theme()?;
        }
        let diagnostics = self.diagnostics();
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Invalid { diagnostics });
        }
        if self.written.is_some() && !self.output.dir().is_dir() {
            // Someone deleted the output folder: write it all again. Single files
            // deleted are found after the save is served (see [`LiveSite::restore_missing`]).
            self.pending.everything = true;
        }
        if self.pending.series.iter().any(|(_, s)| *s == Series::Directory) {
            // The navigation shows the current directory's 制度 category.
            self.renderer.set_site(&self.site);
        }
        let (rendered, changed) = match &self.written {
            None => self.write_everything()?,
            Some(_) => {
                let written = self.write_changes()?;
                self.search_stale |= self.search_may_change();
                written
            }
        };
        self.pending = Pending::default();
        Ok(Rebuilt { rendered, changed, elapsed: started.elapsed(), warnings: diagnostics })
    }

    /// Writes the whole output again if someone deleted files of it since it was
    /// written (the files still there and unchanged are left alone); `None` when
    /// nothing is missing. Looking costs a look at every file of the output, so the
    /// server does it after a save is served, not before.
    pub fn restore_missing(&mut self) -> Option<Result<Rebuilt>> {
        if self.written.is_none() || !self.output.has_missing_files() {
            return None;
        }
        self.pending.everything = true;
        Some(self.rebuild_pages())
    }

    /// site.toml changed: load everything again, keeping track of what was written.
    fn reopen(&mut self) -> Result<()> {
        let options = BuildOptions { load: self.load.clone(), output: Some(self.output.dir().to_path_buf()), progress: false };
        let fresh = LiveSite::open(&self.site.root.clone(), &options)?;
        let written = self.written.take();
        let search = std::mem::take(&mut self.search);
        let kept: HashSet<String> = fresh.site.files.iter().map(|f| fresh.site.file_output(f)).collect();
        let stale: Vec<String> = self.site.files.iter().map(|f| self.site.file_output(f)).filter(|f| !kept.contains(f)).collect();
        *self = LiveSite { written, search, ..fresh };
        self.pending.everything = true;
        self.pending.stale_files = stale;
        self.pending.theme = false;
        Ok(())
    }

    fn reload_theme(&mut self) -> Result<()> {
        let renderer = Renderer::new(&self.site)?;
        self.pending.templates = renderer.theme.changed_templates(&self.renderer.theme);
        self.pending.statics = renderer.theme.changed_statics(&self.renderer.theme);
        self.renderer = renderer;
        self.pending.theme = false;
        Ok(())
    }

    fn write_everything(&mut self) -> Result<(usize, usize)> {
        let written = crate::write_site(&self.site, &self.renderer, &mut self.output, false)?;
        self.written = Some(render::pages(&self.site).iter().map(|p| p.file_path(&self.site)).collect());
        self.search = written.search.into_iter().collect();
        Ok((written.pages, written.committed.written + written.committed.removed))
    }

    fn write_changes(&mut self) -> Result<(usize, usize)> {
        let site = &self.site;
        let all = render::pages(site);
        let todo = self.pages_to_render(&all);
        let everything = todo.is_none();
        let todo = todo.unwrap_or_else(|| all.clone());
        let renderer = &self.renderer;
        let mut plan = self.output.plan();
        let inputs = renderer.inputs(site);
        todo.par_iter().try_for_each(|page| renderer.render(site, page, &inputs).and_then(|o| plan.put_page(o)))?;
        let p = &self.pending;
        // Only a reshaped site has pages that appeared or went.
        let now: Option<HashSet<String>> = (everything || p.reshaped).then(|| all.iter().map(|p| p.file_path(site)).collect());
        for gone in self.written.iter().flatten().filter(|p| now.as_ref().is_some_and(|now| !now.contains(*p))) {
            plan.remove(gone);
        }
        let statics: Vec<&String> = if everything { renderer.theme.statics.keys().collect() } else { p.statics.0.iter().collect() };
        for rel in statics {
            plan.put(rel, renderer.theme.statics[rel].clone())?;
        }
        for rel in &p.statics.1 {
            plan.remove(rel);
        }
        let attachments: Vec<&String> = if everything { site.files.iter().chain(&p.attachments).collect() } else { p.attachments.iter().collect() };
        for rel in attachments {
            if site.files.contains(rel) {
                plan.put_file(&site.file_output(rel), &site.root.join("content").join(rel))?;
            } else {
                plan.remove(&site.file_output(rel));
            }
        }
        for gone in &p.stale_files {
            plan.remove(gone);
        }
        let committed = self.output.commit(plan.finish(false))?;
        if let Some(now) = now {
            self.written = Some(now);
        }
        Ok((todo.len(), committed.written + committed.removed))
    }

    /// Brings the search index up to date with the pages written last, if what
    /// changed since it was written is indexed; returns how many files changed. Gives
    /// up with [`Error::Superseded`], writing nothing, once `superseded` says so: at
    /// 100,000 documents indexing takes seconds, and the next save should not wait.
    pub fn update_search(&mut self, superseded: &(dyn Fn() -> bool + Sync)) -> Result<usize> {
        if !std::mem::take(&mut self.search_stale) {
            return Ok(0);
        }
        let result = self.write_search(superseded);
        // Try again after the next rebuild rather than leave a stale index.
        self.search_stale = result.is_err();
        result
    }

    /// Whether what changed is indexed: documents, the directory (the categories
    /// and their names), or the settings.
    fn search_may_change(&self) -> bool {
        let p = &self.pending;
        p.everything || !p.documents.is_empty() || p.series.iter().any(|(_, s)| *s == Series::Directory)
    }

    /// Indexes the site again, after its pages are written, and replaces the index
    /// files whose bytes changed; returns how many files changed.
    fn write_search(&mut self, superseded: &(dyn Fn() -> bool + Sync)) -> Result<usize> {
        let mut plan = self.output.plan();
        let files = match self.site.config.search.then(|| crate::search_kept(&self.site, &mut plan)).flatten() {
            Some(kept) => kept,
            None => crate::index_into(&self.site, &plan, superseded)?,
        };
        let now: HashSet<String> = files.into_iter().collect();
        for gone in self.search.iter().filter(|p| !now.contains(*p)) {
            plan.remove(gone);
        }
        let committed = self.output.commit(plan.finish(false))?;
        self.search = now;
        Ok(committed.written + committed.removed)
    }

    /// The pages that may show something that changed; `None` for all of them.
    fn pages_to_render(&self, all: &[Page]) -> Option<Vec<Page>> {
        let p = &self.pending;
        // The owner's directory is that of every body without one of its own.
        if p.everything || p.series.contains(&(BodyId::OWNER, Series::Directory)) {
            return None;
        }
        let site = &self.site;
        let mut todo = Vec::new();
        if !p.templates.is_empty() {
            todo.extend(all.iter().filter(|page| page.templates(site).iter().any(|t| p.templates.contains(*t))).cloned());
        }
        for &(body, series) in &p.series {
            match series {
                // A department's own directory: every page of its section shows it.
                Series::Directory => todo.extend(all.iter().filter(|page| page.body(site) == body).cloned()),
                Series::Guide => todo.extend(all.iter().filter(|page| is_guide_page(page, body)).cloned()),
            }
            // Without apply.md, /ysqgk/ shows the guide's 依申请公开 section.
            todo.extend([Page::Home(body), Page::Apply(body), Page::Search, Page::HtmlSitemap]);
            todo.extend(self.platform_pages(body));
        }
        todo.extend(p.apply.iter().map(|&body| Page::Apply(body)));
        for (source, before) in &p.documents {
            if self.pages_for_document(source, before.as_ref(), all, &mut todo) {
                return None;
            }
        }
        let mut seen = HashSet::new();
        todo.retain(|page| seen.insert(page.clone()));
        Some(todo)
    }

    /// The pages outside a body's section that show what it publishes: the
    /// platform's home page, feed and data, and on a platform the department index.
    fn platform_pages(&self, body: BodyId) -> Vec<Page> {
        let mut pages = vec![Page::Home(BodyId::OWNER), Page::CatalogueJson, Page::Atom, Page::Sitemap];
        if self.site.bodies.len() > 1 {
            pages.push(Page::Departments);
        }
        if body != BodyId::OWNER {
            pages.push(Page::Feed(body));
        }
        pages
    }

    /// Adds the pages that show the document read from `source`, which was `before`
    /// at the last render. Returns true when every page needs rendering.
    fn pages_for_document(&self, source: &Path, before: Option<&Document>, all: &[Page], todo: &mut Vec<Page>) -> bool {
        let site = &self.site;
        let now = site.position_of(source);
        let after = now.map(|i| &site.documents[i]);
        let Some(body) = after.or(before).map(|d| d.body_id) else { return false };
        let listed = |d: &Document| serde_json::to_value(CatalogueEntry::new(site, d)).ok();
        let listing_changed = before.map(listed) != after.map(listed);
        let relations = |d: &Document| (d.related.clone(), d.policy.interprets.clone(), d.policy.superseded_by.clone());
        let relations_changed = before.map(relations) != after.map(relations);
        if let Some(i) = now {
            todo.push(Page::Document(i));
        }
        if listing_changed || relations_changed {
            todo.extend(self.related_either_way(now, before).into_iter().map(Page::Document));
        }
        let is_yearly = |d: &Document| d.kind != DocKind::Doc;
        if before.is_some_and(is_yearly) || after.is_some_and(is_yearly) {
            // Every plan and report links the other years of its body's series, and
            // the platform's pages link each body's reports.
            let series = site.body(body).documents().iter().filter(|&&i| is_yearly(&site.documents[i]));
            todo.extend(series.map(|&i| Page::Document(i)));
            todo.extend(all.iter().filter(|p| match p {
                Page::YearIndex { body: b, .. } => *b == body,
                Page::HtmlSitemap | Page::ReportOverview(_) | Page::Departments => true,
                _ => false,
            }).cloned());
        }
        if !listing_changed {
            return false;
        }
        todo.extend(self.linking_to(source, before, after, all));
        todo.push(Page::Home(body));
        todo.extend(self.platform_pages(body));
        let (Some(before), Some(after), Some(i)) = (before, after, now) else {
            // Added or removed: the counts beside every listing's tree change.
            todo.extend(all.iter().filter(|p| shows_counts(p, body)).cloned());
            return false;
        };
        if before.category != after.category {
            todo.extend(all.iter().filter(|p| shows_counts(p, body)).cloned());
            return false;
        }
        // Same category and same place in the order: only the listing pages that
        // hold the document change; otherwise every page of its listings may.
        let same_place = before.date == after.date && before.index_no == after.index_no;
        let page_of = |members: &[usize]| members.iter().position(|&j| j == i).map(|pos| pos / site.config.page_size + 1);
        let b = site.body(body);
        let mut lists: Vec<(Option<String>, Option<usize>)> = vec![(None, page_of(b.documents()))];
        for code in b.categories.get(&after.category).map(|c| c.path.as_slice()).unwrap_or_default() {
            lists.push((Some(code.clone()), page_of(b.documents_in(code))));
        }
        for (category, holding) in lists {
            todo.extend(all.iter().filter(|p| match p {
                Page::Listing { body: b, category: c, number } => {
                    *b == body && *c == category && (!same_place || holding == Some(*number))
                }
                _ => false,
            }).cloned());
        }
        false
    }

    /// Pages whose text may link the document by its file or 索引号 (see
    /// [`crate::links`]), which then point elsewhere once it moved or went.
    fn linking_to(&self, source: &Path, before: Option<&Document>, after: Option<&Document>, all: &[Page]) -> Vec<Page> {
        let site = &self.site;
        let mut needles: Vec<String> = [before, after].into_iter().flatten().map(|d| d.index_no.clone()).collect();
        needles.extend(source.file_name().map(|n| n.to_string_lossy().into_owned()));
        let mentions = |body: &str| needles.iter().any(|n| body.contains(n.as_str()));
        let versions_mention = |b: &BodyId| {
            let body = site.body(*b);
            [&body.guide, &body.directory].iter().any(|v| v.pages.iter().any(|p| mentions(&p.body)))
        };
        all.iter()
            .filter(|p| match p {
                Page::Document(i) => mentions(&site.documents[*i].body),
                Page::Version { body, .. } | Page::Changes { body, .. } => versions_mention(body),
                Page::Apply(body) => versions_mention(body) || site.body(*body).apply.as_ref().is_some_and(|a| mentions(&a.body)),
                _ => false,
            })
            .cloned()
            .collect()
    }

    /// Documents that name, or are named by, the document now at `now` or as it was,
    /// by `related`, `interprets` or `superseded_by`.
    fn related_either_way(&self, now: Option<usize>, before: Option<&Document>) -> Vec<usize> {
        let site = &self.site;
        let mut out = now.map(|i| site.related_positions(i)).unwrap_or_default();
        out.extend(now.map(|i| site.policy_links(i)).unwrap_or_default());
        if let Some(old) = before {
            let named = old.related.iter().chain(&old.policy.interprets).chain(&old.policy.superseded_by);
            out.extend(named.filter_map(|r| site.position_of_index_no(r)));
            let names_old = |d: &Document| {
                d.related.contains(&old.index_no)
                    || d.policy.interprets.contains(&old.index_no)
                    || d.policy.superseded_by.as_ref() == Some(&old.index_no)
            };
            out.extend(site.documents.iter().enumerate().filter(|(_, d)| names_old(d)).map(|(j, _)| j));
        }
        out
    }
}

/// Pages with the number of a body's documents per category beside the directory tree.
fn shows_counts(page: &Page, body: BodyId) -> bool {
    match page {
        Page::Listing { body: b, .. } | Page::Version { body: b, series: Series::Directory, .. } => *b == body,
        Page::Search | Page::HtmlSitemap => true,
        _ => false,
    }
}

fn split(load: load::FileLoad) -> (Option<Item>, FileState) {
    let (item, broken) = match load.item {
        Some(b @ Item::Broken { .. }) => (None, Some(b)),
        other => (other, None),
    };
    (item, FileState { diagnostics: load.diagnostics, broken })
}

/// Whether `rel` decides which departments there are: a department.toml, a
/// department's folder, or the departments folder itself.
fn is_department_setting(rel: &Path) -> bool {
    let Ok(under) = rel.strip_prefix("content/departments") else { return false };
    let depth = under.components().count();
    depth <= 1 || (depth == 2 && rel.file_name().is_some_and(|n| n == "department.toml"))
}

fn is_guide_page(page: &Page, body: BodyId) -> bool {
    match page {
        Page::Version { body: b, series: Series::Guide, .. } | Page::Changes { body: b, series: Series::Guide, .. } => *b == body,
        _ => false,
    }
}

/// What a re-read file held before.
enum Taken {
    Document(Box<Document>),
    Version(Series),
    Apply,
    Nothing,
}
