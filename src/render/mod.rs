/*!
Stage 3, render: every output file of the site as a [`Page`], and a [`Renderer`] that
turns one page into bytes. Pages are independent, so the build renders them in
parallel, and the dev server can re-render just the pages an edit touches. What a
page is made from is stamped in `inputs.rs`, so that an in-place build keeps the
pages whose inputs did not change; the files that are not pages are in `files.rs`.
*/

pub mod changes;
pub mod context;
mod files;
mod inputs;
pub mod markdown;
pub mod meta;
pub mod theme;

use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::load::version::Series;
use crate::site::{Body, BodyId, Site, Versions};
use context::*;
use files::{catalogue, feed, sitemap};
pub use files::safe_json;
pub use inputs::Inputs;
use inputs::{Job, Text};

/// One output file. Pages of a body's section name the body; the others are the
/// platform's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Page {
    /// A body's home page; the owner's is the site's home page.
    Home(BodyId),
    /// A document, by its index in `site.documents` (plans and reports included).
    Document(usize),
    /// Page `number` (from 1) of a body's catalogue, of everything or of one category.
    Listing { body: BodyId, category: Option<String>, number: usize },
    /// Version `index` of a body's guide or directory, at its own URL or (`stable`) at
    /// the series' stable URL.
    Version { body: BodyId, series: Series, index: usize, stable: bool },
    /// What changed in version `index` (≥ 1) against the one before.
    Changes { body: BodyId, series: Series, index: usize },
    /// A body's `plans/` or `reports/`: the newest year, with the list of all years.
    YearIndex { body: BodyId, reports: bool },
    /// A body's `ysqgk/`: the 依申请公开 page, from its `apply.md` or else its guide.
    Apply(BodyId),
    /// `/search/`: the search page; the engine fills it in the browser.
    Search,
    /// `/sitemap/`: the 网站地图, every column of the site on one page.
    HtmlSitemap,
    /// `/<departments_path>/`: every department and town, on a platform that has them.
    Departments,
    /// `/ndbg/<year>/`: which bodies of a platform published their annual report for
    /// the year.
    ReportOverview(i32),
    NotFound,
    CatalogueJson,
    /// The platform's feed, `atom.xml`: the newest documents of every body.
    Atom,
    /// A department's own feed, `<its section>/atom.xml`.
    Feed(BodyId),
    Sitemap,
}

/// A rendered file: its path under the output folder, its bytes, and for a page the
/// stamp of what it was made from (see [`Inputs`]).
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
    pub input: Option<u64>,
}

/// Every page of the site.
pub fn pages(site: &Site) -> Vec<Page> {
    let owner = BodyId::OWNER;
    let mut out = vec![Page::Home(owner), Page::Apply(owner), Page::HtmlSitemap, Page::NotFound, Page::CatalogueJson, Page::Atom, Page::Sitemap];
    if site.config.search {
        out.insert(1, Page::Search);
    }
    out.extend((0..site.documents.len()).map(Page::Document));
    out.extend(section_pages(site, owner));
    if site.bodies.len() > 1 {
        out.push(Page::Departments);
        out.extend(crate::site::report_years(site).into_iter().map(Page::ReportOverview));
    }
    for (id, _) in site.body_ids().skip(1) {
        out.extend([Page::Home(id), Page::Apply(id), Page::Feed(id)]);
        out.extend(section_pages(site, id));
    }
    out
}

/// A body's catalogue, versions and years.
fn section_pages(site: &Site, body: BodyId) -> Vec<Page> {
    let b = site.body(body);
    let size = site.config.page_size;
    let page_count = |n: usize| n.div_ceil(size).max(1);
    let mut out: Vec<Page> = (1..=page_count(b.documents().len())).map(|number| Page::Listing { body, category: None, number }).collect();
    let mut codes: Vec<&String> = b.categories.keys().collect();
    codes.sort();
    for code in codes {
        let n = page_count(b.documents_in(code).len());
        out.extend((1..=n).map(|number| Page::Listing { body, category: Some(code.clone()), number }));
    }
    for (series, versions) in [(Series::Guide, &b.guide), (Series::Directory, &b.directory)] {
        out.extend((0..versions.pages.len()).map(|index| Page::Version { body, series, index, stable: false }));
        out.extend((1..versions.pages.len()).map(|index| Page::Changes { body, series, index }));
        if !versions.pages.is_empty() {
            out.push(Page::Version { body, series, index: versions.current, stable: true });
        }
    }
    out.push(Page::YearIndex { body, reports: false });
    out.push(Page::YearIndex { body, reports: true });
    out
}

impl Page {
    /// Path of the page's directory URL under the output root, without base_url
    /// (`docs/2022/a/`), or of the file for non-HTML outputs.
    pub fn url_path(&self, site: &Site) -> String {
        match self {
            Page::Home(body) => site.body(*body).path(""),
            Page::Document(i) => site.documents[*i].path.clone(),
            Page::Listing { body, category, number } => {
                let base = listing_base(site.body(*body), category.as_deref());
                if *number <= 1 { base } else { format!("{base}page/{number}/") }
            }
            Page::Version { body, series, index, stable } => {
                let b = site.body(*body);
                let (folder, versions) = series_of(b, *series);
                if *stable { b.path(&format!("{folder}/")) } else { b.path(&format!("{folder}/{}/", versions.pages[*index].version)) }
            }
            Page::Changes { body, series, index } => {
                let (folder, versions) = series_of(site.body(*body), *series);
                site.body(*body).path(&format!("{folder}/{}/changes/", versions.pages[*index].version))
            }
            Page::YearIndex { body, reports } => site.body(*body).path(if *reports { "reports/" } else { "plans/" }),
            Page::Apply(body) => site.body(*body).path("ysqgk/"),
            Page::Search => "search/".into(),
            Page::HtmlSitemap => "sitemap/".into(),
            Page::Departments => format!("{}/", site.config.departments_path),
            Page::ReportOverview(year) => format!("ndbg/{year}/"),
            Page::NotFound => "404.html".into(),
            Page::CatalogueJson => "catalogue.json".into(),
            Page::Atom => "atom.xml".into(),
            Page::Feed(body) => site.body(*body).path("atom.xml"),
            Page::Sitemap => "sitemap.xml".into(),
        }
    }

    /// Path of the written file under the output root.
    pub fn file_path(&self, site: &Site) -> String {
        let p = self.url_path(site);
        if p.is_empty() || p.ends_with('/') { format!("{p}index.html") } else { p }
    }

    pub fn is_html(&self) -> bool {
        !matches!(self, Page::CatalogueJson | Page::Atom | Page::Feed(_) | Page::Sitemap)
    }

    /// The body whose section the page belongs to; the platform's own pages (search,
    /// site map, 404) belong to the owner's.
    pub fn body(&self, site: &Site) -> BodyId {
        match self {
            Page::Home(body) | Page::Apply(body) | Page::Feed(body) => *body,
            Page::Listing { body, .. } | Page::Version { body, .. } | Page::Changes { body, .. } | Page::YearIndex { body, .. } => *body,
            Page::Document(i) => site.documents[*i].body_id,
            Page::Search | Page::HtmlSitemap | Page::Departments | Page::ReportOverview(_) | Page::NotFound | Page::CatalogueJson | Page::Atom | Page::Sitemap => {
                BodyId::OWNER
            }
        }
    }

    /// The templates the page is rendered with (besides those they extend or
    /// include), so that a template edit re-renders just the pages that use it.
    pub fn templates(&self, site: &Site) -> &'static [&'static str] {
        const REPORT: &[&str] = &["document.html", "report/active.html", "report/applications.html", "report/appeals.html"];
        let is_report = |i: usize| site.documents[i].report.is_some();
        match self {
            Page::Home(_) => &["home.html"],
            Page::Document(i) if is_report(*i) => REPORT,
            Page::Document(_) => &["document.html"],
            Page::Listing { .. } => &["listing.html"],
            Page::Version { .. } => &["version.html"],
            Page::Changes { .. } => &["changes.html"],
            Page::YearIndex { body, reports } => match site.years(*body, *reports).into_iter().max() {
                Some((_, i)) if is_report(i) => REPORT,
                Some(_) => &["document.html"],
                None => &["series.html"],
            },
            Page::Search => &["search.html"],
            Page::Apply(_) => &["apply.html"],
            Page::HtmlSitemap => &["sitemap.html"],
            Page::Departments => &["departments.html"],
            Page::ReportOverview(_) => &["report_overview.html"],
            Page::NotFound => &["404.html"],
            Page::CatalogueJson => &[],
            Page::Atom | Page::Feed(_) => &["atom.xml"],
            Page::Sitemap => &["sitemap.xml"],
        }
    }
}

fn listing_base(body: &Body, category: Option<&str>) -> String {
    match category {
        Some(code) => body.path(&format!("catalogue/{code}/")),
        None => body.path("catalogue/"),
    }
}

fn series_of(body: &Body, series: Series) -> (&'static str, &Versions) {
    match series {
        Series::Guide => ("guide", &body.guide),
        Series::Directory => ("directory", &body.directory),
    }
}

/// Renders pages of one site with its theme.
pub struct Renderer {
    tera: Tera,
    pub theme: theme::Theme,
    /// A stamp of the templates and the global context they are given; `None` when a
    /// template calls a function that no input decides (`now()`), whose pages are
    /// then always made.
    stamp: Option<u64>,
}


impl Renderer {
    pub fn new(site: &Site) -> Result<Renderer> {
        let theme = theme::Theme::load(&site.root, &site.config.theme)?;
        let mut tera = Tera::new();
        tera.add_raw_templates(theme.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error("theme", &e))?;
        let mut renderer = Renderer { tera, theme, stamp: None };
        renderer.set_site(site);
        Ok(renderer)
    }

    /// Gives every page the site's data again (the navigation, which shows the current
    /// directory's 制度 category), after the directory changed.
    pub fn set_site(&mut self, site: &Site) {
        let view = SiteView::new(site);
        self.tera.global_context().insert("site", &view);
        self.stamp = self.stamp_of(&view);
    }

    /// Renders `page`.
    pub fn render(&self, site: &Site, page: &Page, inputs: &Inputs) -> Result<Output> {
        let made = self.render_unless_kept(site, page, inputs, &|_, _| false)?;
        Ok(made.expect("a page nothing keeps is made"))
    }

    /// Renders `page`, unless `kept` says its file already holds what its inputs make
    /// (given the file's path and the page's input stamp): then `None`.
    pub fn render_unless_kept(&self, site: &Site, page: &Page, inputs: &Inputs, kept: &dyn Fn(&str, u64) -> bool) -> Result<Option<Output>> {
        let job = Job {
            path: page.file_path(site),
            inputs,
            meta: meta::PageMeta::new(site, page),
            section: inputs.section(page.body(site)),
            kept,
        };
        match page {
            Page::Home(body) => self.html_page(job, "home.html", home(Section::new(site, *body)), None),
            Page::Document(i) => {
                let (data, text) = document(site, *i, None);
                self.html_page(job, "document.html", data, Some(text))
            }
            Page::Listing { body, category, number } => {
                self.html_page(job, "listing.html", listing(Section::new(site, *body), category.as_deref(), *number), None)
            }
            Page::Version { body, series, index, stable } => {
                let s = Section::new(site, *body);
                let (folder, versions) = series_of(s.body, *series);
                let version = &versions.pages[*index];
                let text = Text { source: &version.source, markdown: version.body.as_str().into(), report: None, slot: |d: &mut VersionPageContext| &mut d.body };
                self.html_page(job, "version.html", VersionPageContext::new(s, versions, folder, *index, *stable, String::new()), Some(text))
            }
            Page::Changes { body, series, index } => self.html_page(job, "changes.html", changes_page(Section::new(site, *body), *series, *index), None),
            Page::YearIndex { body, reports } => {
                let s = Section::new(site, *body);
                match s.years(*reports).into_iter().max() {
                    Some((_, i)) => {
                        let (data, text) = document(site, i, Some(s.url(if *reports { "reports/" } else { "plans/" })));
                        self.html_page(job, "document.html", data, Some(text))
                    }
                    None => {
                        let (title, path) = if *reports { ("政府信息公开工作年度报告", "reports/") } else { ("政务公开工作要点", "plans/") };
                        self.html_page(job, "series.html", SimplePage { page: simple_page(s, title, path) }, None)
                    }
                }
            }
            Page::Search => self.html_page(job, "search.html", search_page(site), None),
            Page::Apply(body) => {
                let s = Section::new(site, *body);
                let text = apply_text(s);
                self.html_page(job, "apply.html", ApplyPageContext::new(s, String::new()), text)
            }
            Page::HtmlSitemap => self.html_page(job, "sitemap.html", SiteMapPage::new(site), None),
            Page::Departments => self.html_page(job, "departments.html", DepartmentsPage::new(site), None),
            Page::ReportOverview(year) => self.html_page(job, "report_overview.html", ReportOverviewPage::new(site, *year), None),
            Page::NotFound => {
                self.html_page(job, "404.html", SimplePage { page: simple_page(Section::owner(site), "页面不存在", "404.html") }, None)
            }
            Page::CatalogueJson => self.file(job, "catalogue.json", catalogue(site), |entries| Ok(safe_json(entries))),
            Page::Atom => self.file(job, "atom.xml", feed(site, None), |feed| self.html("atom.xml", feed)),
            Page::Feed(body) => self.file(job, "atom.xml", feed(site, Some(*body)), |feed| self.html("atom.xml", feed)),
            Page::Sitemap => self.file(job, "sitemap.xml", sitemap(site), |map| self.html("sitemap.xml", map)),
        }
    }

    /// A page's HTML from `template` and `data`, with the HTML of `text` put in its
    /// place; `None` when the file already holds it ([`Job::is_kept`]).
    fn html_page<T: Serialize>(&self, job: Job, template: &str, mut data: T, text: Option<Text<T>>) -> Result<Option<Output>> {
        let input = job.input(template, &data, text.as_ref());
        if job.is_kept(input) {
            return Ok(None);
        }
        let Job { path, inputs, mut meta, section, .. } = job;
        if let Some(text) = &text {
            *(text.slot)(&mut data) = self.text_html(inputs.site, text)?;
        }
        if let Some(meta) = &mut meta {
            meta.describe();
        }
        let mut ctx = Context::from_serialize(&data).map_err(|e| template_error(template, &e))?;
        ctx.insert("meta", &meta);
        ctx.insert("section", &section.0);
        Ok(Some(Output { path, bytes: self.render_context(template, &ctx)?, input }))
    }

    /// A file that is not a page (the feeds, the sitemaps, catalogue.json), made from
    /// `data` by `make`; `None` when the file already holds it ([`Job::is_kept`]).
    fn file<T: Serialize>(&self, job: Job, name: &str, data: T, make: impl FnOnce(&T) -> Result<Vec<u8>>) -> Result<Option<Output>> {
        let input = job.input(name, &data, None);
        if job.is_kept(input) {
            return Ok(None);
        }
        Ok(Some(Output { path: job.path, bytes: make(&data)?, input }))
    }

    /// The HTML of a page's text; an annual report's statistics tables are rendered
    /// into it.
    fn text_html<T>(&self, site: &Site, text: &Text<T>) -> Result<String> {
        let Some(report) = text.report else {
            return Ok(self.markdown(site, text.source, &text.markdown));
        };
        let mut html = self.markdown(site, text.source, &crate::report::place_tables(&text.markdown));
        let view = crate::report::TablesView::new(report);
        for (name, _, _) in crate::report::TABLES {
            let table = self.html(&format!("report/{name}.html"), &ReportTable { t: &view })?;
            let spot = format!("<p>{}</p>", crate::report::placeholder(name));
            html = html.replacen(&spot, &String::from_utf8_lossy(&table), 1);
        }
        Ok(html)
    }

    /// A page body written in the file `source`.
    fn markdown(&self, site: &Site, source: &std::path::Path, body: &str) -> String {
        markdown::to_html(body, &site.config.base_url, site.config.allow_raw_html, &|dest| crate::links::rewrite(site, source, dest))
    }

    /// A fragment or a file that is not a page (a report table, the feed).
    fn html<T: Serialize>(&self, template: &str, data: &T) -> Result<Vec<u8>> {
        let ctx = Context::from_serialize(data).map_err(|e| template_error(template, &e))?;
        self.render_context(template, &ctx)
    }

    fn render_context(&self, template: &str, ctx: &Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(template, ctx, &mut out).map_err(|e| template_error(template, &e))?;
        Ok(out)
    }
}

/// `/ysqgk/`'s text: `content/apply.md`, or without it the current guide's 依申请公开
/// section (none when the guide has none).
fn apply_text(s: Section<'_>) -> Option<Text<'_, ApplyPageContext>> {
    let slot: fn(&mut ApplyPageContext) -> &mut String = |d| &mut d.body;
    match (&s.body.apply, s.body.guide.current()) {
        (Some(apply), _) => Some(Text { source: &apply.source, markdown: apply.body.as_str().into(), report: None, slot }),
        (None, Some(guide)) => markdown::section(&guide.body, "依申请公开").map(|text| Text { source: &guide.source, markdown: text.into(), report: None, slot }),
        (None, None) => None,
    }
}

/// A document's page, and its text.
fn document(site: &Site, i: usize, stable_url: Option<String>) -> (DocumentPage, Text<'_, DocumentPage>) {
    let doc = &site.documents[i];
    let text = Text { source: &doc.source, markdown: doc.body.as_str().into(), report: doc.report.as_deref(), slot: |d: &mut DocumentPage| &mut d.body };
    (DocumentPage::new(site, i, String::new(), stable_url), text)
}

#[derive(Serialize)]
struct ReportTable<'a> {
    t: &'a crate::report::TablesView,
}

fn changes_page(s: Section, series: Series, i: usize) -> ChangesPage {
    let (folder, versions) = series_of(s.body, series);
    let (old, new) = (&versions.pages[i - 1], &versions.pages[i]);
    let view = |j| version_view(s, versions, folder, j, i);
    let name = if series == Series::Guide { "政府信息公开指南" } else { "政府信息公开目录" };
    ChangesPage {
        page: PageInfo {
            title: format!("{}({} 版)修订对照", new.title, new.version),
            url: s.url(&format!("{folder}/{}/changes/", new.version)),
            canonical: None,
            section: s.url(&format!("{folder}/")),
            breadcrumbs: [
                s.crumbs(),
                vec![
                    Link::new(name, s.url(&format!("{folder}/"))),
                    Link::new(format!("{} 版", new.version), s.url(&format!("{folder}/{}/", new.version))),
                ],
            ]
            .concat(),
        },
        old: view(i - 1),
        new: view(i),
        text: (series == Series::Guide).then(|| changes::text_changes(&old.body, &new.body)),
        directory: if series == Series::Directory { changes::directory_changes(old, new) } else { Vec::new() },
    }
}

/// The categories are there for visitors without JavaScript, who browse instead.
fn search_page(site: &Site) -> SearchPage {
    let s = Section::owner(site);
    SearchPage { page: simple_page(s, "站内搜索", "search/"), tree: s.tree(None) }
}

fn home(s: Section) -> HomePage {
    let site = s.site;
    let version = |v: &Versions, folder: &str| {
        v.current().map(|_| VersionView { url: s.url(&format!("{folder}/")), ..version_view(s, v, folder, v.current, usize::MAX) })
    };
    let documents = s.body.documents();
    // The owner's home is the platform's: its latest documents come from every body.
    let latest: Vec<DocRow> = if s.id == BodyId::OWNER {
        site.documents.iter().take(10).map(|d| DocRow::new(site, d)).collect()
    } else {
        documents.iter().take(10).map(|&i| DocRow::new(site, &site.documents[i])).collect()
    };
    // The owner's home is the site's; a department's carries its name.
    let title = match &s.body.code {
        None => site.config.title.clone(),
        Some(_) => format!("{}政府信息公开", s.body.name),
    };
    HomePage {
        catalogue_url: s.url("catalogue/"),
        page: PageInfo {
            title,
            url: s.url(""),
            canonical: None,
            section: s.url(""),
            breadcrumbs: Vec::new(),
        },
        entries: column_entries(s).into_iter().filter(|(c, _)| site.config.columns.shown(*c).is_some()).map(|(_, e)| e).collect(),
        latest,
        total: documents.len(),
        tree: s.tree(None),
        guide: version(&s.body.guide, "guide"),
        directory: version(&s.body.directory, "directory"),
        plans: year_links(site, s.years(false), None),
        reports: year_links(site, s.years(true), None),
        // The platform's home page lists its departments and towns.
        departments: if s.id == BodyId::OWNER { body_groups(site) } else { Vec::new() },
    }
}

fn listing(s: Section, code: Option<&str>, number: usize) -> ListingPage {
    let site = s.site;
    let indices: &[usize] = match code {
        Some(code) => s.body.documents_in(code),
        None => s.body.documents(),
    };
    let size = site.config.page_size;
    let total_pages = indices.len().div_ceil(size).max(1);
    let rows = indices.iter().skip((number - 1) * size).take(size).map(|&i| DocRow::new(site, &site.documents[i])).collect();
    let category = code.and_then(|c| find_category(s, c));
    let base = listing_base(s.body, code);
    let mut breadcrumbs = s.crumbs();
    breadcrumbs.push(Link::new("信息公开", s.url("catalogue/")));
    if let Some(info) = code.and_then(|c| s.body.categories.get(c)) {
        // The category itself ends the trail as the current page.
        for p in &info.path[..info.path.len() - 1] {
            breadcrumbs.push(Link::new(category_name(s.body, p), s.url(&format!("catalogue/{p}/"))));
        }
    }
    let name = category.map(|c| c.name.clone()).unwrap_or_else(|| "全部信息".into());
    let title = if number > 1 { format!("{name}(第{number}页)") } else { name };
    ListingPage {
        catalogue_url: s.url("catalogue/"),
        page: PageInfo {
            title,
            url: url(site, &if number > 1 { format!("{base}page/{number}/") } else { base.clone() }),
            canonical: None,
            section: s.url("catalogue/"),
            breadcrumbs,
        },
        // The department's own reason for the category, or else the directory's.
        category: category.map(|c| CategoryView { empty_reason: s.body.empty_reason(c).map(str::to_string), ..CategoryView::new(c) }),
        total: indices.len(),
        rows,
        pagination: Pagination::new(site, &base, number, total_pages),
        tree: s.tree(code),
    }
}

fn find_category<'a>(s: Section<'a>, code: &str) -> Option<&'a crate::site::Category> {
    fn find<'a>(nodes: &'a [crate::site::Category], code: &str) -> Option<&'a crate::site::Category> {
        nodes.iter().find_map(|c| if c.code == code { Some(c) } else { find(&c.children, code) })
    }
    find(&s.directory().current()?.categories, code)
}

fn template_error(name: &str, e: &dyn std::error::Error) -> Error {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Template { name: name.to_string(), message }
}
