/*!
The typed data each template receives. Templates are the theme's business; what a
page shows is decided here, once, from the [`Site`]: dates are formatted as
2022-04-12, URLs carry base_url and are percent-encoded, labels are in Chinese.

This module holds what many pages share: the section a page belongs to, the header and
footer, links, document rows, category trees, pagination and catalogue entries. The
contexts of whole pages are in [`pages`] (one body's section) and [`platform`] (the
pages a platform with departments adds).
*/

mod pages;
mod platform;

pub use pages::*;
pub use platform::*;

use serde::Serialize;

use crate::config::Column;
use crate::site::{Body, BodyId, Category, DocKind, Document, Site, VersionPage, Versions};

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
    /// Its code, which the header's search box sends to search it alone.
    pub code: Option<String>,
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
        SectionView {
            name: s.body.code.as_ref().map(|_| s.body.name.clone()),
            code: s.body.code.clone(),
            home_url: s.url(""),
            feed_url: s.url("atom.xml"),
            nav,
        }
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
    /// 施行日期 and 废止日期, where given.
    pub effective_from: Option<String>,
    pub repealed_on: Option<String>,
    /// 统一登记号 of a 行政规范性文件.
    pub reg_no: Option<String>,
}

#[derive(Serialize)]
pub struct Attachment {
    pub name: String,
    pub url: String,
    /// Upper-case file type shown beside the link, e.g. "PDF".
    pub kind: String,
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
    /// Why the category has no documents, shown on its page instead of 本栏目暂无信息.
    pub empty_reason: Option<String>,
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
            empty_reason: c.empty_reason.clone(),
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
    /// 统一登记号; null when there is none.
    pub reg_no: Option<&'a str>,
    pub keywords: &'a [String],
    pub validity: Option<&'static str>,
    /// 施行日期, 废止日期, the 索引号 of the document that replaced it and of the
    /// policies a 解读 interprets: left out where the document gives none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repealed_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub interprets: &'a [String],
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
            reg_no: d.reg_no.as_deref(),
            keywords: &d.keywords,
            validity: Some(d.validity.key()),
            effective_from: d.policy.effective_from.map(|x| x.to_string()),
            repealed_on: d.policy.repealed_on.map(|x| x.to_string()),
            superseded_by: d.policy.superseded_by.as_deref(),
            interprets: &d.policy.interprets,
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
            reg_no: None,
            keywords: &[],
            validity: None,
            effective_from: None,
            repealed_on: None,
            superseded_by: None,
            interprets: &[],
            version: Some(&v.version),
            department: DepartmentRef::of(s.body),
        }
    }
}
