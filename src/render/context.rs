/*!
The typed data each template receives. Templates are the theme's business; what a
page shows is decided here, once, from the [`Site`]: dates are formatted as
2022-04-12, URLs carry base_url and are percent-encoded, labels are in Chinese.
*/

use serde::Serialize;

use crate::config::Column;
use crate::site::{Body, BodyId, BodyKind, Category, DocKind, Document, Site, VersionPage, Versions};

/// The site-relative URL of an output path such as `docs/2022/通知/`, made by
/// [`crate::config::SiteConfig::url`].
pub fn url(site: &Site, path: &str) -> String {
    site.config.url(path)
}

/// One body's section of the site, which a page belongs to: where its links lead and
/// what it counts.
#[derive(Clone, Copy)]
pub struct Section<'a> {
    pub site: &'a Site,
    pub id: BodyId,
    pub body: &'a Body,
}

impl<'a> Section<'a> {
    pub fn new(site: &'a Site, id: BodyId) -> Section<'a> {
        Section { site, id, body: site.body(id) }
    }

    /// The owner's section, where the platform's own pages (search, site map) are.
    pub fn owner(site: &'a Site) -> Section<'a> {
        Section::new(site, BodyId::OWNER)
    }

    /// The section of the body that publishes `d`.
    pub fn of(site: &'a Site, d: &Document) -> Section<'a> {
        Section::new(site, d.body_id)
    }

    /// The URL of `path` within the section (`guide/`).
    pub fn url(&self, path: &str) -> String {
        self.site.config.url(&self.body.path(path))
    }

    /// The directory the body's documents are filed by.
    pub fn directory(&self) -> &'a Versions {
        self.site.directory_of(self.id)
    }

    /// The plans or (`reports`) the annual reports of the body: (year, document index).
    pub fn years(&self, reports: bool) -> Vec<(i32, usize)> {
        self.site.years(self.id, reports)
    }

    /// The start of every breadcrumb trail in the section: the site's home page, and
    /// for a department its own home page.
    pub fn crumbs(&self) -> Vec<Link> {
        let mut out = vec![Link::new("首页", url(self.site, ""))];
        if self.body.code.is_some() {
            out.push(Link::new(self.body.name.clone(), self.url("")));
        }
        out
    }

    /// The current directory's tree with this section's counts and links.
    pub fn tree(&self, this: Option<&str>) -> Vec<TreeRow> {
        self.directory().current().map(|d| tree_rows(*self, &d.categories, this)).unwrap_or_default()
    }
}

/// The section a page belongs to, as its header shows it: a department's name under
/// the platform's, and the section's own navigation.
#[derive(Serialize)]
pub struct SectionView {
    /// The department's or town's name; none on the owner's pages.
    pub name: Option<String>,
    pub home_url: String,
    /// Its Atom feed: a department's own, the platform's on the owner's pages.
    pub feed_url: String,
    /// 首页 of the section, then the column's items it shows.
    pub nav: Vec<Link>,
}

impl SectionView {
    pub fn new(s: Section) -> SectionView {
        let columns = &s.site.config.columns;
        let mut nav = vec![Link::new("首页", s.url(""))];
        nav.extend(column_links(s).into_iter().filter(|(column, _)| columns.shown(*column).is_some()).map(|(_, link)| link));
        SectionView { name: s.body.code.as_ref().map(|_| s.body.name.clone()), home_url: s.url(""), feed_url: s.url("atom.xml"), nav }
    }
}

/// Data every page can use, set once as Tera's global context.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub organization: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    /// The owner's navigation: 首页, then the column's items the site shows; each
    /// page's own section is in `section.nav`.
    pub nav: Vec<Link>,
    /// Whether the site has a search index (and so a search box and page).
    pub search: bool,
    /// The footer's marks and contact lines.
    pub identity: IdentityView<'a>,
}

/// The record search of the MIIT, where every ICP number is looked up.
const ICP_RECORDS: &str = "https://beian.miit.gov.cn/";

/// The footer's marks and contact lines (site.toml `[identity]`), with their links.
#[derive(Serialize)]
pub struct IdentityView<'a> {
    pub sponsor: &'a str,
    pub undertaker: Option<&'a str>,
    pub address: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub site_id_code: Option<&'a str>,
    pub icp: Option<&'a str>,
    pub icp_url: &'static str,
    pub police_record: Option<&'a str>,
    /// The public-security record page of this number.
    pub police_url: Option<String>,
    pub police_image: Option<String>,
    /// The 党政机关网站标识 image and the address it links to.
    pub conac_image: Option<String>,
    pub conac_url: Option<&'a str>,
    pub error_report_url: Option<&'a str>,
    /// The HTML site map (网站地图).
    pub sitemap_url: String,
}

impl<'a> IdentityView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let i = &site.config.identity;
        IdentityView {
            sponsor: &i.sponsor,
            undertaker: i.undertaker.as_deref(),
            address: i.address.as_deref(),
            postcode: i.postcode.as_deref(),
            phone: i.phone.as_deref(),
            email: i.email.as_deref(),
            site_id_code: i.site_id_code.as_deref(),
            icp: i.icp.as_deref(),
            icp_url: ICP_RECORDS,
            police_record: i.police_record.as_deref(),
            police_url: i.police_code().map(|code| format!("https://beian.mps.gov.cn/#/query/webSearch?code={code}")),
            police_image: i.police_image.as_ref().map(|f| url(site, &f.path)),
            conac_image: i.conac_image.as_ref().map(|f| url(site, &f.path)),
            conac_url: i.conac_url.as_deref(),
            error_report_url: i.error_report_url.as_deref(),
            sitemap_url: url(site, "sitemap/"),
        }
    }
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let c = &site.config;
        // The owner's, for themes written before sections had their own (`section.nav`).
        let nav = SectionView::new(Section::owner(site)).nav;
        SiteView {
            title: &c.title,
            organization: &c.organization,
            language: &c.language,
            base_url: &c.base_url,
            nav,
            search: c.search,
            identity: IdentityView::new(site),
        }
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

impl Link {
    pub fn new(title: impl Into<String>, url: String) -> Link {
        Link { title: title.into(), url }
    }
}

/// The column's items that lead somewhere, in the navigation's order, labelled as
/// the site names them; also those the site leaves out of the navigation. The
/// 政府信息公开制度 item is there when a category holds the rules.
pub fn column_links(s: Section) -> Vec<(Column, Link)> {
    Column::ALL
        .into_iter()
        .filter_map(|column| {
            let path = match column {
                Column::Guide => "guide/".to_string(),
                Column::Rules => format!("catalogue/{}/", s.site.rules_category(s.id)?),
                Column::Catalogue => "catalogue/".into(),
                Column::Reports => "reports/".into(),
                // A department without a directory of its own files by the owner's.
                Column::Directory if s.body.directory.pages.is_empty() => return Some((column, Link::new(s.site.config.columns.name(column), url(s.site, "directory/")))),
                Column::Directory => "directory/".into(),
                Column::Apply => "ysqgk/".into(),
                Column::Plans => "plans/".into(),
            };
            Some((column, Link::new(s.site.config.columns.name(column), s.url(&path))))
        })
        .collect()
}

/// An item of the column with a word on what it holds now, as the home page's 公开导航
/// and the site map show it.
#[derive(Serialize)]
pub struct ColumnEntry {
    /// The item's key under `[columns]` (`guide`, `rules`, …), or `home`, `search`.
    pub key: &'static str,
    pub title: String,
    pub url: String,
    /// Its state: the version in effect, the number of documents, the latest year.
    pub note: Option<String>,
}

/// Every item of [`column_links`] as an entry.
pub fn column_entries(s: Section) -> Vec<(Column, ColumnEntry)> {
    let effective = |v: &Versions| v.current().map(|v| format!("{} 起施行", v.effective));
    let latest = |reports: bool, unit: &str| {
        Some(s.years(reports).into_iter().max().map_or_else(|| "暂无".to_string(), |(year, _)| format!("{year} {unit}")))
    };
    column_links(s)
        .into_iter()
        .map(|(column, link)| {
            let note = match column {
                Column::Guide => effective(&s.body.guide),
                Column::Rules => s.site.rules_category(s.id).map(|code| format!("共 {} 条", s.body.documents_in(code).len())),
                Column::Catalogue => Some(format!("共 {} 条", s.body.documents().len())),
                Column::Reports => latest(true, "年度"),
                Column::Directory => effective(s.directory()),
                Column::Apply => Some("申请方式、渠道和申请表".into()),
                Column::Plans => latest(false, "年"),
            };
            (column, ColumnEntry { key: column.key(), title: link.title, url: link.url, note })
        })
        .collect()
}

/// What every page has: its title, its own URL, where it sits.
#[derive(Serialize)]
pub struct PageInfo {
    pub title: String,
    pub url: String,
    /// URL of the canonical page when this one repeats it (the current version at the
    /// stable URL repeats the version's own page).
    pub canonical: Option<String>,
    /// The main navigation entry this page belongs to (its URL).
    pub section: String,
    pub breadcrumbs: Vec<Link>,
}

/// A document as a row of a listing.
#[derive(Serialize)]
pub struct DocRow {
    pub title: String,
    pub url: String,
    pub index_no: String,
    pub doc_no: Option<String>,
    pub publisher: String,
    pub date: String,
    pub category_name: String,
    pub validity: &'static str,
    pub validity_label: &'static str,
}

impl DocRow {
    pub fn new(site: &Site, d: &Document) -> DocRow {
        DocRow {
            title: d.title.clone(),
            url: url(site, &d.path),
            index_no: d.index_no.clone(),
            doc_no: d.doc_no.clone(),
            publisher: d.publisher.clone(),
            date: d.date.to_string(),
            category_name: filed_under(Section::of(site, d), d).0,
            validity: d.validity.key(),
            validity_label: d.validity.label(),
        }
    }
}

/// 2019年5月15日
pub fn chinese_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A document's 公开目录 as its pages show it, name and URL: its category, or for a
/// plan or report filed in none, its series.
pub fn filed_under(s: Section, d: &Document) -> (String, String) {
    match d.kind {
        DocKind::Plan { .. } if d.category.is_empty() => ("政务公开工作要点".into(), s.url("plans/")),
        DocKind::Report { .. } if d.category.is_empty() => ("政府信息公开工作年度报告".into(), s.url("reports/")),
        _ => (category_name(s.body, &d.category), s.url(&format!("catalogue/{}/", d.category))),
    }
}

/// The name of category `code` in a body's current directory.
pub fn category_name(body: &Body, code: &str) -> String {
    body.categories.get(code).map(|c| c.name.clone()).unwrap_or_else(|| code.to_string())
}

/// The metadata header of a document page (索引号, 发布机构, … as on real pages).
#[derive(Serialize)]
pub struct DocView {
    #[serde(flatten)]
    pub row: DocRow,
    pub category: String,
    pub category_url: String,
    pub written: Option<String>,
    pub keywords: Vec<String>,
}

#[derive(Serialize)]
pub struct Attachment {
    pub name: String,
    pub url: String,
    /// Upper-case file type shown beside the link, e.g. "PDF".
    pub kind: String,
}

/// A document's own page.
#[derive(Serialize)]
pub struct DocumentPage {
    pub page: PageInfo,
    pub doc: DocView,
    pub body: String,
    pub related: Vec<DocRow>,
    pub attachments: Vec<Attachment>,
    /// For plans and reports: the other years of the series.
    pub series: Option<SeriesView>,
}

/// The years of the plans or the reports, newest first.
#[derive(Serialize)]
pub struct SeriesView {
    pub name: &'static str,
    pub url: String,
    pub years: Vec<YearLink>,
    /// The year before and after this one, where they exist.
    pub previous: Option<YearLink>,
    pub next: Option<YearLink>,
    /// The same year's report for a plan, the same year's plan for a report.
    pub counterpart: Option<Link>,
}

#[derive(Serialize)]
pub struct YearLink {
    pub year: i32,
    pub title: String,
    pub url: String,
    pub is_this: bool,
}

impl DocumentPage {
    pub fn new(site: &Site, i: usize, body: String, stable_url: Option<String>) -> DocumentPage {
        let d = &site.documents[i];
        let s = Section::of(site, d);
        let info = s.body.categories.get(&d.category);
        let own_url = url(site, &d.path);
        let series = series_view(s, d);
        let mut breadcrumbs = s.crumbs();
        match &series {
            Some(series) => breadcrumbs.push(Link::new(series.name, series.url.clone())),
            None => {
                breadcrumbs.push(Link::new("信息公开", s.url("catalogue/")));
                for code in info.map(|c| c.path.as_slice()).unwrap_or_default() {
                    breadcrumbs.push(Link::new(category_name(s.body, code), s.url(&format!("catalogue/{code}/"))));
                }
            }
        }
        let section = match d.kind {
            DocKind::Doc => s.url("catalogue/"),
            DocKind::Plan { .. } => s.url("plans/"),
            DocKind::Report { .. } => s.url("reports/"),
        };
        DocumentPage {
            page: PageInfo {
                title: d.title.clone(),
                url: stable_url.clone().unwrap_or_else(|| own_url.clone()),
                canonical: stable_url.map(|_| own_url),
                section,
                breadcrumbs,
            },
            doc: DocView {
                row: DocRow::new(site, d),
                category: d.category.clone(),
                category_url: filed_under(s, d).1,
                written: d.written.map(|w| w.to_string()),
                keywords: d.keywords.clone(),
            },
            body,
            related: site.related(i).into_iter().map(|r| DocRow::new(site, r)).collect(),
            attachments: d.attachments.iter().map(|a| attachment(s, a)).collect(),
            series,
        }
    }
}

/// An attachment named as `files/…` in a body's file: it lies in that body's section.
fn attachment(s: Section, path: &str) -> Attachment {
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    let kind = name.rsplit_once('.').map(|(_, e)| e.to_uppercase()).unwrap_or_default();
    Attachment { name, url: s.url(path), kind }
}

fn series_view(s: Section, d: &Document) -> Option<SeriesView> {
    let site = s.site;
    let (name, folder, reports, year) = match d.kind {
        DocKind::Doc => return None,
        DocKind::Plan { year } => ("政务公开工作要点", "plans/", false, year),
        DocKind::Report { year } => ("政府信息公开工作年度报告", "reports/", true, year),
    };
    let years = year_links(site, s.years(reports), Some(d));
    let pos = years.iter().position(|y| y.is_this);
    let neighbour = |p: Option<usize>| p.and_then(|p| years.get(p)).map(|y| YearLink { year: y.year, title: y.title.clone(), url: y.url.clone(), is_this: false });
    let (counterpart_name, other) = if reports { ("工作要点", s.years(false)) } else { ("年度报告", s.years(true)) };
    let counterpart = other.into_iter().find(|(y, _)| *y == year).map(|(_, i)| {
        Link::new(format!("{year}年{counterpart_name}:{}", site.documents[i].title), url(site, &site.documents[i].path))
    });
    Some(SeriesView {
        name,
        url: s.url(folder),
        // Newest first: the next year is one place up, the previous one place down.
        previous: neighbour(pos.map(|p| p + 1)),
        next: neighbour(pos.and_then(|p| p.checked_sub(1))),
        counterpart,
        years,
    })
}

/// Links to the years of a series, newest first.
pub fn year_links(site: &Site, mut years: Vec<(i32, usize)>, this: Option<&Document>) -> Vec<YearLink> {
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    years
        .into_iter()
        .map(|(year, i)| {
            let y = &site.documents[i];
            YearLink { year, title: y.title.clone(), url: url(site, &y.path), is_this: this.is_some_and(|t| t.index_no == y.index_no) }
        })
        .collect()
}

/// One page of a catalogue listing.
#[derive(Serialize)]
pub struct ListingPage {
    pub page: PageInfo,
    /// The section's whole catalogue.
    pub catalogue_url: String,
    pub category: Option<CategoryView>,
    pub total: usize,
    pub rows: Vec<DocRow>,
    pub pagination: Pagination,
    /// The whole current directory with counts, for browsing.
    pub tree: Vec<TreeRow>,
}

#[derive(Serialize)]
pub struct CategoryView {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub deadline: Option<String>,
    pub department: Option<String>,
    pub basis: Option<String>,
    pub channel: Option<String>,
}

impl CategoryView {
    pub fn new(c: &Category) -> CategoryView {
        CategoryView {
            code: c.code.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            deadline: c.deadline.clone(),
            department: c.department.clone(),
            basis: c.basis.clone(),
            channel: c.channel.clone(),
        }
    }
}

/// A category as a row of a flattened tree (a table or an indented list).
#[derive(Serialize)]
pub struct TreeRow {
    #[serde(flatten)]
    pub category: CategoryView,
    /// 0 for top-level categories.
    pub depth: usize,
    pub is_leaf: bool,
    /// Documents in this category and below.
    pub count: usize,
    pub url: String,
    pub is_this: bool,
}

/// A directory's tree with the counts and catalogue links of section `s`.
pub fn tree_rows(s: Section, tree: &[Category], this: Option<&str>) -> Vec<TreeRow> {
    fn walk(s: Section, nodes: &[Category], depth: usize, this: Option<&str>, out: &mut Vec<TreeRow>) {
        for c in nodes {
            out.push(TreeRow {
                category: CategoryView::new(c),
                depth,
                is_leaf: c.is_leaf(),
                count: s.body.count_in(c),
                url: s.url(&format!("catalogue/{}/", c.code)),
                is_this: this == Some(c.code.as_str()),
            });
            walk(s, &c.children, depth + 1, this, out);
        }
    }
    let mut out = Vec::new();
    walk(s, tree, 0, this, &mut out);
    out
}

#[derive(Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
    /// A window of page numbers around the current one.
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub is_current: bool,
}

impl Pagination {
    /// `base` is the listing's first page path (`catalogue/gzjh/`); page n > 1 is at
    /// `<base>page/<n>/`.
    pub fn new(site: &Site, base: &str, current: usize, total: usize) -> Pagination {
        let link = |n: usize| if n <= 1 { url(site, base) } else { url(site, &format!("{base}page/{n}/")) };
        let lo = current.saturating_sub(3).max(1);
        let hi = (current + 3).min(total);
        Pagination {
            current,
            total,
            prev: (current > 1).then(|| link(current - 1)),
            next: (current < total).then(|| link(current + 1)),
            first: link(1),
            last: link(total),
            pages: (lo..=hi).map(|n| PageLink { number: n, url: link(n), is_current: n == current }).collect(),
        }
    }
}

/// A version of the guide or the directory, and its neighbours.
#[derive(Serialize)]
pub struct VersionView {
    pub title: String,
    pub version: String,
    pub effective: String,
    pub summary: Option<String>,
    pub url: String,
    /// The page of what changed against the previous version, for all but the first.
    pub changes_url: Option<String>,
    /// The effective date as 2019年5月15日.
    pub effective_cn: String,
    pub is_current: bool,
    pub is_this: bool,
}

#[derive(Serialize)]
pub struct VersionPageContext {
    pub page: PageInfo,
    pub this: VersionView,
    pub current: VersionView,
    /// The series' stable URL, where the current version always is.
    pub stable_url: String,
    pub previous: Option<VersionView>,
    pub next: Option<VersionView>,
    /// Every version, newest first.
    pub versions: Vec<VersionView>,
    pub body: String,
    /// For a directory: its categories with document counts.
    pub tree: Vec<TreeRow>,
}

impl VersionPageContext {
    /// The page of version `i` of `versions` (in `folder`, "guide" or "directory");
    /// `stable` when rendered at the series' stable URL.
    pub fn new(s: Section, versions: &Versions, folder: &str, i: usize, stable: bool, body: String) -> Self {
        let view = |j: usize| version_view(s, versions, folder, j, i);
        let v = &versions.pages[i];
        let own = s.url(&format!("{folder}/{}/", v.version));
        let stable_url = s.url(&format!("{folder}/"));
        let name = if folder == "guide" { "政府信息公开指南" } else { "政府信息公开目录" };
        VersionPageContext {
            page: PageInfo {
                title: v.title.clone(),
                url: if stable { stable_url.clone() } else { own.clone() },
                canonical: stable.then_some(own),
                section: stable_url.clone(),
                breadcrumbs: [s.crumbs(), vec![Link::new(name, stable_url)]].concat(),
            },
            this: view(i),
            current: view(versions.current),
            stable_url: s.url(&format!("{folder}/")),
            previous: i.checked_sub(1).map(view),
            next: (i + 1 < versions.pages.len()).then(|| view(i + 1)),
            versions: (0..versions.pages.len()).rev().map(view).collect(),
            body,
            tree: tree_rows(s, &v.categories, None),
        }
    }
}

pub fn version_view(s: Section, versions: &Versions, folder: &str, j: usize, this: usize) -> VersionView {
    let v: &VersionPage = &versions.pages[j];
    VersionView {
        title: v.title.clone(),
        version: v.version.clone(),
        effective: v.effective.to_string(),
        summary: v.summary.clone(),
        url: s.url(&format!("{folder}/{}/", v.version)),
        changes_url: (j > 0).then(|| s.url(&format!("{folder}/{}/changes/", v.version))),
        effective_cn: chinese_date(v.effective),
        is_current: j == versions.current,
        is_this: j == this,
    }
}

/// What changed in a version against the one before it.
#[derive(Serialize)]
pub struct ChangesPage {
    pub page: PageInfo,
    pub old: VersionView,
    pub new: VersionView,
    /// For a guide: the text changes by section.
    pub text: Option<super::changes::TextChanges>,
    /// For a directory: one row per changed category and column.
    pub directory: Vec<super::changes::CategoryChange>,
}

/// The home page.
#[derive(Serialize)]
pub struct HomePage {
    pub page: PageInfo,
    /// The section's whole catalogue.
    pub catalogue_url: String,
    /// 公开导航: the column's items the site shows, in the navigation's order.
    pub entries: Vec<ColumnEntry>,
    pub latest: Vec<DocRow>,
    pub total: usize,
    pub tree: Vec<TreeRow>,
    pub guide: Option<VersionView>,
    pub directory: Option<VersionView>,
    pub plans: Vec<YearLink>,
    pub reports: Vec<YearLink>,
    /// On a platform's home page: its departments and towns, by kind.
    pub departments: Vec<BodyGroup>,
}

/// `/bm/`: every department and town of the platform, grouped by kind.
#[derive(Serialize)]
pub struct DepartmentsPage {
    pub page: PageInfo,
    pub groups: Vec<BodyGroup>,
    /// The 年报 overview of each year, newest first.
    pub overviews: Vec<Link>,
}

impl DepartmentsPage {
    pub fn new(site: &Site) -> DepartmentsPage {
        let path = format!("{}/", site.config.departments_path);
        DepartmentsPage {
            page: simple_page(Section::owner(site), crate::render::meta::DEPARTMENTS, &path),
            groups: body_groups(site),
            overviews: overview_links(site),
        }
    }
}

fn overview_links(site: &Site) -> Vec<Link> {
    crate::site::report_years(site).into_iter().rev().map(|y| Link::new(format!("{y} 年度"), url(site, &format!("ndbg/{y}/")))).collect()
}

/// `/ndbg/<year>/`: every body of the platform with its annual report for the year,
/// or marked as having none.
#[derive(Serialize)]
pub struct ReportOverviewPage {
    pub page: PageInfo,
    pub year: i32,
    pub rows: Vec<OverviewRow>,
    /// How many bodies have published theirs.
    pub published: usize,
    /// The overviews of the other years, newest first.
    pub years: Vec<Link>,
}

#[derive(Serialize)]
pub struct OverviewRow {
    pub name: String,
    pub kind: &'static str,
    pub url: String,
    pub report: Option<Link>,
    /// The date it was published, and whether that was after its deadline.
    pub date: Option<String>,
    pub deadline: String,
}

impl ReportOverviewPage {
    pub fn new(site: &Site, year: i32) -> ReportOverviewPage {
        let rows: Vec<OverviewRow> = site
            .body_ids()
            .map(|(id, body)| {
                let s = Section::new(site, id);
                let report = s.years(true).into_iter().find(|(y, _)| *y == year).map(|(_, i)| &site.documents[i]);
                OverviewRow {
                    name: body.name.clone(),
                    kind: body.kind.label(),
                    url: s.url(""),
                    report: report.map(|d| Link::new(d.title.clone(), url(site, &d.path))),
                    date: report.map(|d| d.date.to_string()),
                    deadline: body.report_deadline(year).to_string(),
                }
            })
            .collect();
        let path = format!("ndbg/{year}/");
        let mut page = simple_page(Section::owner(site), &format!("{year}年度政府信息公开工作年度报告发布情况"), &path);
        page.breadcrumbs.push(Link::new(crate::render::meta::DEPARTMENTS, url(site, &format!("{}/", site.config.departments_path))));
        ReportOverviewPage { published: rows.iter().filter(|r| r.report.is_some()).count(), page, year, rows, years: overview_links(site) }
    }
}

/// The bodies of one kind, in their `order`.
#[derive(Serialize)]
pub struct BodyGroup {
    pub kind: &'static str,
    pub bodies: Vec<BodyRow>,
}

/// A department or town as the index lists it.
#[derive(Serialize)]
pub struct BodyRow {
    pub name: String,
    pub url: String,
    /// Its documents, plans and reports.
    pub documents: usize,
    /// The date of its newest document.
    pub latest: Option<String>,
    pub guide_url: Option<String>,
    /// Its directory, or the owner's when it files by that.
    pub directory_url: Option<String>,
    /// Its newest annual report.
    pub report: Option<YearLink>,
}

/// The departments, then the towns, each in their `order` (the bodies' order).
pub fn body_groups(site: &Site) -> Vec<BodyGroup> {
    [BodyKind::Department, BodyKind::Town]
        .into_iter()
        .map(|kind| BodyGroup {
            kind: kind.label(),
            bodies: site.body_ids().filter(|(_, b)| b.kind == kind).map(|(id, _)| BodyRow::new(Section::new(site, id))).collect(),
        })
        .filter(|g| !g.bodies.is_empty())
        .collect()
}

impl BodyRow {
    fn new(s: Section) -> BodyRow {
        let documents = s.body.documents();
        let directory_url = match s.body.directory.pages.is_empty() {
            false => Some(s.url("directory/")),
            true => s.directory().current().map(|_| url(s.site, "directory/")),
        };
        BodyRow {
            name: s.body.name.clone(),
            url: s.url(""),
            documents: documents.len(),
            latest: documents.first().map(|&i| s.site.documents[i].date.to_string()),
            guide_url: s.body.guide.current().map(|_| s.url("guide/")),
            directory_url,
            report: year_links(s.site, s.years(true), None).into_iter().next(),
        }
    }
}

/// `/ysqgk/`, the 依申请公开 page.
#[derive(Serialize)]
pub struct ApplyPageContext {
    pub page: PageInfo,
    /// What `content/apply.md` gives; `None` without it.
    pub apply: Option<ApplyView>,
    /// The text of apply.md, or without it the guide's 依申请公开 section (empty when
    /// the guide has none).
    pub body: String,
    /// The current guide, where the rest of the rules on applying are.
    pub guide: Option<Link>,
}

#[derive(Serialize)]
pub struct ApplyView {
    /// 申请表
    pub forms: Vec<Attachment>,
    pub address: Option<String>,
    pub office_hours: Option<String>,
    pub postal_address: Option<String>,
    pub postal_recipient: Option<String>,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
    /// The external online application system; its link says that it leaves the site.
    pub online_url: Option<String>,
}

impl ApplyPageContext {
    pub fn new(s: Section, body: String) -> ApplyPageContext {
        let title = match &s.body.apply {
            Some(a) => a.title.clone(),
            None => s.site.config.columns.name(Column::Apply).to_string(),
        };
        let apply = s.body.apply.as_ref().map(|a| {
            let postal = a.postal.as_ref();
            ApplyView {
                forms: a.forms.iter().map(|f| attachment(s, f)).collect(),
                address: a.address.clone(),
                office_hours: a.office_hours.clone(),
                postal_address: postal.map(|p| p.address.clone()),
                postal_recipient: postal.and_then(|p| p.recipient.clone()),
                postal_code: postal.and_then(|p| p.postcode.clone()),
                phone: a.phone.clone(),
                online_url: a.online_url.clone(),
            }
        });
        ApplyPageContext {
            page: simple_page(s, &title, "ysqgk/"),
            apply,
            body,
            guide: s.body.guide.current().map(|g| Link::new(g.title.clone(), s.url("guide/"))),
        }
    }
}

/// `/sitemap/`, the 网站地图: every column with what it holds.
#[derive(Serialize)]
pub struct SiteMapPage {
    pub page: PageInfo,
    /// 首页, the column's items (also those left out of the navigation), and search.
    pub columns: Vec<MapColumn>,
    /// The current directory with document counts, under 法定主动公开内容.
    pub tree: Vec<TreeRow>,
}

#[derive(Serialize)]
pub struct MapColumn {
    #[serde(flatten)]
    pub entry: ColumnEntry,
    /// The versions of the guide and the directory, the years of plans and reports.
    pub items: Vec<MapItem>,
}

#[derive(Serialize)]
pub struct MapItem {
    pub title: String,
    pub url: String,
    pub note: Option<String>,
    /// A version's page of changes against the one before.
    pub changes_url: Option<String>,
}

impl SiteMapPage {
    pub fn new(site: &Site) -> SiteMapPage {
        let s = Section::owner(site);
        let page = |key, title: &str, path: &str| MapColumn {
            entry: ColumnEntry { key, title: title.into(), url: url(site, path), note: None },
            items: Vec::new(),
        };
        let mut columns = vec![page("home", "首页", "")];
        columns.extend(column_entries(s).into_iter().map(|(column, entry)| {
            let items = match column {
                Column::Guide => version_items(s, &s.body.guide, "guide"),
                Column::Directory => version_items(s, &s.body.directory, "directory"),
                Column::Reports => year_items(s, true),
                Column::Plans => year_items(s, false),
                Column::Rules | Column::Catalogue | Column::Apply => Vec::new(),
            };
            MapColumn { entry, items }
        }));
        if site.config.search {
            columns.push(page("search", "站内搜索", "search/"));
        }
        SiteMapPage {
            page: simple_page(s, "网站地图", "sitemap/"),
            columns,
            tree: s.tree(None),
        }
    }
}

/// Every version of a series, newest first.
fn version_items(s: Section, versions: &Versions, folder: &str) -> Vec<MapItem> {
    (0..versions.pages.len())
        .rev()
        .map(|j| {
            let v = version_view(s, versions, folder, j, usize::MAX);
            MapItem {
                title: format!("{} 版", v.version),
                url: v.url,
                note: Some(format!("{} 起施行{}", v.effective, if v.is_current { "(现行)" } else { "" })),
                changes_url: v.changes_url,
            }
        })
        .collect()
}

/// The plans or (`reports`) the annual reports, newest first.
fn year_items(s: Section, reports: bool) -> Vec<MapItem> {
    year_links(s.site, s.years(reports), None)
        .into_iter()
        .map(|y| MapItem { title: y.title, url: y.url, note: None, changes_url: None })
        .collect()
}

/// The page information of a page that is a navigation entry of its own, right below
/// the home page of section `s`.
pub fn simple_page(s: Section, title: &str, path: &str) -> PageInfo {
    PageInfo {
        title: title.into(),
        url: s.url(path),
        canonical: None,
        section: s.url(path),
        breadcrumbs: s.crumbs(),
    }
}

/// The search page.
#[derive(Serialize)]
pub struct SearchPage {
    pub page: PageInfo,
    pub tree: Vec<TreeRow>,
}

/// The list of years at `/plans/` and `/reports/` when the series is empty, and the
/// 404 page: just a title.
#[derive(Serialize)]
pub struct SimplePage {
    pub page: PageInfo,
}

/// One entry of catalogue.json and of the feeds.
#[derive(Serialize)]
pub struct CatalogueEntry<'a> {
    /// "document", "plan" or "report"; catalogue.json also lists every "guide" and
    /// "directory" version, whose document-only fields are null.
    pub kind: &'static str,
    pub title: &'a str,
    pub url: String,
    pub index_no: Option<&'a str>,
    pub publisher: &'a str,
    pub category: Option<&'a str>,
    pub category_name: Option<String>,
    pub date: String,
    pub doc_no: Option<&'a str>,
    pub keywords: &'a [String],
    pub validity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'a str>,
    /// On a platform, the department or town it belongs to; none for the owner's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentRef<'a>>,
}

/// A department as catalogue.json names it.
#[derive(Serialize)]
pub struct DepartmentRef<'a> {
    pub code: &'a str,
    pub name: &'a str,
}

impl<'a> DepartmentRef<'a> {
    fn of(body: &'a Body) -> Option<DepartmentRef<'a>> {
        body.code.as_deref().map(|code| DepartmentRef { code, name: &body.name })
    }
}

impl<'a> CatalogueEntry<'a> {
    pub fn new(site: &'a Site, d: &'a Document) -> Self {
        CatalogueEntry {
            kind: match d.kind {
                DocKind::Doc => "document",
                DocKind::Plan { .. } => "plan",
                DocKind::Report { .. } => "report",
            },
            title: &d.title,
            url: url(site, &d.path),
            index_no: Some(&d.index_no),
            publisher: &d.publisher,
            category: Some(d.category.as_str()).filter(|c| !c.is_empty()),
            category_name: Some(filed_under(Section::of(site, d), d).0),
            date: d.date.to_string(),
            doc_no: d.doc_no.as_deref(),
            keywords: &d.keywords,
            validity: Some(d.validity.key()),
            version: None,
            department: DepartmentRef::of(site.body_of(d)),
        }
    }

    /// A version of a body's guide or directory (`folder`) as a catalogue entry.
    pub fn version(s: Section<'a>, folder: &'static str, v: &'a VersionPage) -> Self {
        CatalogueEntry {
            kind: folder,
            title: &v.title,
            url: s.url(&format!("{folder}/{}/", v.version)),
            index_no: None,
            publisher: &s.body.name,
            category: None,
            category_name: None,
            date: v.effective.to_string(),
            doc_no: None,
            keywords: &[],
            validity: None,
            version: Some(&v.version),
            department: DepartmentRef::of(s.body),
        }
    }
}
